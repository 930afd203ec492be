"""AI_PROVIDER=openai: the three tasks against a self-hosted OpenAI-compatible server
(vLLM, llama.cpp, Ollama, speaches, Kokoro-FastAPI); a task without a model stays on
its local engine; a missing base URL is a check error."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import SystemCheckError

import providers
from bench.fake_hf import parse_multipart
from providers.fallback import FallbackASR, FallbackTTS
from providers.huggingface import HuggingFaceLLM
from providers.mock import MockASR, MockLLM, MockTTS
from providers.schemas import LearnerProfile, PracticeContext
from tests.audio import wav_bytes

from .loopback import record
from .test_huggingface import VALID_REPLY, completion

PROFILE = LearnerProfile(name="Siti", level="B1", explanation_language="id")
CONTEXT = PracticeContext(mode="live_conversation", topic="work")
MODELS = {
    "OPENAI_LLM_MODEL": "Qwen/Qwen2.5-7B-Instruct",
    "OPENAI_ASR_MODEL": "Systran/faster-distil-whisper-small.en",
    "OPENAI_TTS_MODEL": "kokoro",
}


@pytest.fixture
def openai(settings):
    """AI_PROVIDER=openai with every task given a model; `use(base, **settings)`."""
    settings.AI_PROVIDER = "openai"
    settings.HF_API_KEY = ""
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_TTS_VOICE = "af_heart"
    settings.HF_LLM_JSON_MODE = "json_schema"
    settings.HF_MAX_RETRIES = 0
    settings.HF_BREAKER_FAILURES = 100
    for name, value in MODELS.items():
        setattr(settings, name, value)

    def use(base: str, **values) -> None:
        settings.OPENAI_BASE_URL = f"{base}/v1"
        for name, value in values.items():
            setattr(settings, name, value)
        cache.clear()
        providers.reset()

    use("http://127.0.0.1:9")
    yield use
    providers.reset()


def test_the_three_tasks_speak_openai_style_without_a_key(openai):
    routes = {
        ("POST", "/v1/chat/completions"): (200, {}, completion(json.dumps(VALID_REPLY))),
        ("POST", "/v1/audio/transcriptions"): (200, {}, {"text": " I went home. "}),
        ("POST", "/v1/audio/speech"): (200, {"Content-Type": "audio/mpeg"}, b"ID3mp3"),
    }
    with record(routes) as (base, seen):
        openai(base)
        reply = providers.get_llm().generate(PROFILE, CONTEXT, [], "I go home yesterday")
        heard = providers.get_asr().transcribe(wav_bytes(), "audio/wav", "en")
        speech = providers.get_tts().synthesize("Nice to meet you!")

    assert reply.degraded is False and reply.response.reply == VALID_REPLY["reply"]
    assert (heard.text, heard.degraded) == ("I went home.", False)
    assert (speech.audio, speech.content_type, speech.degraded) == (b"ID3mp3", "audio/mpeg", False)
    chat, transcription, voice = seen
    assert all("authorization" not in r.headers for r in seen)
    assert chat.json()["model"] == MODELS["OPENAI_LLM_MODEL"]
    assert chat.json()["response_format"]["type"] == "json_schema"
    form = parse_multipart(transcription.headers["content-type"], transcription.body)
    assert form == {
        "file": ("speech.wav", "audio/wav", wav_bytes()),
        "model": MODELS["OPENAI_ASR_MODEL"],
        "language": "en",
        "response_format": "json",
    }
    assert voice.json() == {
        "model": "kokoro",
        "input": "Nice to meet you!",
        "voice": "af_heart",
        "response_format": "mp3",
    }


def test_an_api_key_is_sent_as_a_bearer_token(openai):
    routes = {("POST", "/v1/chat/completions"): (200, {}, completion(json.dumps(VALID_REPLY)))}
    with record(routes) as (base, seen):
        openai(base, OPENAI_API_KEY="sk-local-secret")
        assert not providers.get_llm().generate(PROFILE, CONTEXT, [], "Hi").degraded
    assert seen[0].headers["authorization"] == "Bearer sk-local-secret"


def test_a_task_without_a_model_stays_on_its_local_engine(openai):
    openai("http://127.0.0.1:9", OPENAI_ASR_MODEL="", OPENAI_TTS_MODEL="")
    assert isinstance(providers.get_llm(), HuggingFaceLLM)
    assert isinstance(providers.get_asr(), MockASR)
    assert isinstance(providers.get_tts(), MockTTS)
    engines = providers.describe_engines()
    assert engines["llm"]["name"] == "openai"
    assert engines["llm"]["model"] == MODELS["OPENAI_LLM_MODEL"]
    assert engines["llm"]["fallback"]["name"] == "rule-based coach"
    assert engines["asr"]["name"] == "stub recogniser"
    assert engines["tts"]["name"] == "stub voice"
    assert providers.describe_mode() == (
        "AI mode: OPENAI-COMPATIBLE http://127.0.0.1:9/v1 llm=Qwen/Qwen2.5-7B-Instruct "
        "asr=local stub recogniser (hears nothing) tts=local stub voice (tones); "
        "fallbacks: rule-based coach, stub recogniser (hears nothing), stub voice (tones)"
    )


def test_a_failing_server_falls_back_to_the_local_engines(openai):
    with record({}) as (base, seen):  # 404 everywhere
        openai(base)
        assert isinstance(providers.get_asr(), FallbackASR)
        assert isinstance(providers.get_tts(), FallbackTTS)
        reply = providers.get_llm().generate(PROFILE, CONTEXT, [], "She work in a bank")
        heard = providers.get_asr().transcribe(wav_bytes(), "audio/wav", "en")
        speech = providers.get_tts().synthesize("Hello")
    assert reply.degraded and reply.response.reply
    assert heard.degraded and heard.model_id == providers.local_asr().model_id
    assert speech.degraded and speech.model_id == providers.local_tts().model_id
    assert len(seen) == 3


def test_the_api_root_reports_the_openai_mode(openai, client):
    openai("http://127.0.0.1:9", OPENAI_ASR_MODEL="")
    body = client.get("/api/").json()
    assert body["ai_mode"] == "openai"
    assert body["engines"]["llm"] == {
        "name": "openai",
        "model": MODELS["OPENAI_LLM_MODEL"],
        "fallback": body["engines"]["llm"]["fallback"],
    }
    assert body["engines"]["tts"]["model"] == "kokoro"
    assert body["engines"]["asr"]["name"] == "stub recogniser"


def test_without_a_base_url_the_mode_is_local_and_check_fails(openai, settings):
    settings.OPENAI_BASE_URL = ""
    providers.reset()
    assert providers.ai_mode() == ("local", "OPENAI_BASE_URL not set")
    assert isinstance(providers.get_llm(), MockLLM)
    with pytest.raises(SystemCheckError, match=r"macca.E003.*OPENAI_BASE_URL is not set"):
        call_command("check")


def test_check_warns_when_no_task_has_a_model(openai, settings, capsys):
    for name in MODELS:
        setattr(settings, name, "")
    call_command("check")
    assert "macca.W002" in capsys.readouterr().err
    settings.OPENAI_LLM_MODEL = "llama3.1"
    call_command("check")
    assert "macca.W002" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("AI_PROVIDER", "openia", "AI_PROVIDER must be local, huggingface or openai"),
        ("HF_ASR_PROVIDER", "groq", "HF_ASR_PROVIDER must be hf-inference, fal-ai or deepinfra"),
        ("HF_TTS_PROVIDER", "elevenlabs", "HF_TTS_PROVIDER must be hf-inference, fal-ai"),
    ],
)
def test_a_misspelt_provider_is_refused_at_start_naming_the_choices(name, value, message):
    from tests.test_settings import run_django

    result = run_django(["manage.py", "check"], **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_openai_mode_starts_with_a_base_url():
    from tests.test_settings import run_django

    result = run_django(
        ["manage.py", "check"],
        AI_PROVIDER="openai",
        OPENAI_BASE_URL="http://127.0.0.1:8000/v1",
        OPENAI_LLM_MODEL="llama3.1",
    )
    assert result.returncode == 0, result.stderr
