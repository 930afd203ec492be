"""The benchmarks' fake Hugging Face (bench/fake_hf.py) speaks the wire formats the
real providers accept, over a real socket; and each fault it injects makes them
fall back, as the real service's failures would."""

from __future__ import annotations

import base64
import json
import time

import pytest

import providers
from bench.fake_hf import TRANSCRIPT, FakeHF, parse_faults
from providers.schemas import HistoryTurn, LearnerProfile, PracticeContext
from tests.audio import wav_bytes

PROFILE = LearnerProfile(name="Siti", level="B1", explanation_language="id")
CONTEXT = PracticeContext(mode="live_conversation", topic="work")
HISTORY = [HistoryTurn(role="learner", text="Hi"), HistoryTurn(role="tutor", text="Hello!")]


@pytest.fixture
def fake():
    with FakeHF() as server:
        yield server


@pytest.fixture
def hf(settings, fake):
    """Hugging Face mode against the fake server; no retries, a short read timeout."""
    settings.USE_MOCK_AI = False
    settings.HF_API_KEY = "hf_fake_key"
    settings.HF_API_BASE_URL = fake.url
    settings.HF_LLM_URL = settings.HF_ASR_URL = settings.HF_TTS_URL = ""
    settings.HF_LLM_JSON_MODE = "json_schema"
    settings.HF_MAX_RETRIES = 0
    settings.HF_TIMEOUT_SECONDS = 0.5
    settings.HF_BREAKER_FAILURES = 100
    providers.reset()
    return fake


def generate(text: str = "I go to the office yesterday"):
    return providers.get_llm().generate(PROFILE, CONTEXT, HISTORY, text)


def transcribe():
    return providers.get_asr().transcribe(wav_bytes(), "audio/wav", "en")


def synthesize():
    return providers.get_tts().synthesize("Nice to meet you!")


def test_the_llm_gets_valid_macca_json_from_a_chat_completion(hf):
    reply = generate()
    assert not reply.degraded
    assert "I go to the office yesterday" in reply.response.reply
    assert reply.response.feedback.grammar[0].issue == "past_tense"
    assert reply.response.feedback.vocabulary[0].word == "commute"
    seen = hf.last_request["llm"]
    assert seen["path"] == "/v1/chat/completions"
    assert seen["headers"]["authorization"] == "Bearer hf_fake_key"
    assert hf.calls["llm"] == 1


def test_asr_transcribes_base64_audio_with_the_language(hf):
    heard = transcribe()
    assert not heard.degraded
    assert heard.text == TRANSCRIPT
    sent = json.loads(hf.last_request["asr"]["body"])
    assert base64.b64decode(sent["inputs"]) == wav_bytes()
    assert sent["parameters"]["generation_parameters"]["language"] == "en"


def test_asr_transcribes_raw_audio_on_a_dedicated_endpoint(hf, settings):
    settings.HF_ASR_URL = f"{hf.url}/hf-inference/models/{settings.HF_ASR_MODEL_ID}"
    providers.reset()
    assert transcribe().text == TRANSCRIPT
    assert hf.last_request["asr"]["headers"]["content-type"] == "audio/wav"
    assert hf.last_request["asr"]["body"] == wav_bytes()


@pytest.mark.parametrize("tts_format", ["wav", "url", "samples"])
def test_hf_inference_tts_answers_a_wav_in_each_shape(hf, settings, tts_format):
    settings.HF_TTS_PROVIDER = "hf-inference"
    providers.reset()
    hf.configure(tts_format=tts_format)
    speech = synthesize()
    assert not speech.degraded
    assert speech.content_type == "audio/wav"
    assert speech.audio[:4] == b"RIFF" and speech.audio[8:12] == b"WAVE"
    assert hf.calls["download"] == (1 if tts_format == "url" else 0)


SPEECH_ROUTES = {
    "hf-inference": "/hf-inference/models/{model}",
    "fal-ai": "/fal-ai/{model}",
    "replicate": "/replicate/v1/models/jaaari/kokoro-82m/predictions",
    "deepinfra": "/deepinfra/v1/openai/audio/speech",
    "together": "/together/v1/audio/speech",
}


@pytest.mark.parametrize("provider", SPEECH_ROUTES)
def test_tts_speaks_in_each_providers_shape(hf, settings, provider):
    settings.HF_TTS_PROVIDER = provider
    providers.reset()
    speech = synthesize()
    assert not speech.degraded
    assert speech.audio[:4] == b"RIFF"
    seen = hf.last_request["tts"]
    assert seen["path"] == SPEECH_ROUTES[provider].format(model=settings.HF_TTS_MODEL_ID)
    assert seen["headers"]["authorization"] == "Bearer hf_fake_key"
    assert hf.calls["download"] == (1 if provider in ("fal-ai", "replicate") else 0)


@pytest.mark.parametrize(
    ("provider", "path"),
    [
        ("fal-ai", "/fal-ai/fal-ai/whisper"),
        ("deepinfra", "/deepinfra/v1/openai/audio/transcriptions"),
    ],
)
def test_asr_transcribes_in_each_providers_shape(hf, settings, provider, path):
    settings.HF_ASR_PROVIDER = provider
    providers.reset()
    heard = transcribe()
    assert (heard.text, heard.degraded) == (TRANSCRIPT, False)
    assert hf.last_request["asr"]["path"] == path


def test_the_openai_compatible_routes_need_no_token(hf, settings):
    settings.AI_PROVIDER = "openai"
    settings.OPENAI_BASE_URL = hf.openai_url
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_LLM_MODEL = "qwen2.5-7b-instruct"
    settings.OPENAI_ASR_MODEL = "Systran/faster-whisper-small"
    settings.OPENAI_TTS_MODEL = "kokoro"
    providers.reset()
    assert not generate().degraded
    assert (transcribe().text, synthesize().degraded) == (TRANSCRIPT, False)
    form = hf.last_request["asr"]["form"]
    assert (form["model"], form["language"]) == ("Systran/faster-whisper-small", "en")
    assert form["file"][2] == wav_bytes()
    for task in ("llm", "asr", "tts"):
        assert hf.last_request[task]["path"].startswith("/openai/v1/")
        assert "authorization" not in hf.last_request[task]["headers"]


@pytest.mark.parametrize(
    ("path", "body", "detail"),
    [
        ("/together/v1/audio/speech", {"model": "m", "input": "Hi"}, "voice is required"),
        ("/deepinfra/v1/openai/audio/speech", {"input": "Hi"}, "model is required"),
        ("/replicate/v1/predictions", {"input": {}}, "Invalid TTS request"),
        ("/fal-ai/fal-ai/whisper", {"audio_url": "https://x/a.wav"}, "base64 data URL"),
    ],
)
def test_a_request_in_the_wrong_shape_is_refused(fake, path, body, detail):
    import requests

    response = requests.post(
        f"{fake.url}{path}", json=body, headers={"Authorization": "Bearer k"}, timeout=5
    )
    assert response.status_code in (400, 422)
    assert detail in response.json()["error"]


def test_replies_vary_unless_repeat_reply(hf):
    assert generate("one").response.reply != generate("one").response.reply
    hf.configure(repeat_reply=True)
    assert generate("one").response.reply == generate("two").response.reply


def test_latency_is_per_task(hf):
    hf.configure(llm_ms=300, tts_ms=0)
    started = time.monotonic()
    synthesize()
    assert time.monotonic() - started < 0.25
    started = time.monotonic()
    assert not generate().degraded
    assert time.monotonic() - started >= 0.3
    hf.reset_counts()
    assert sum(hf.calls.values()) == 0


@pytest.mark.parametrize("fault", ["timeout", "429", "503_loading", "500", "malformed_json"])
def test_llm_faults_end_in_the_fallback(hf, fault):
    hf.configure(fault=f"llm:{fault}", hang_seconds=2)
    started = time.monotonic()
    reply = generate()
    assert reply.degraded
    assert reply.response.reply  # the offline coach answered
    assert time.monotonic() - started < 1.5  # the read timeout, not the hang


def test_a_truncated_answer_with_no_reply_left_ends_in_the_fallback(hf):
    hf.configure(fault="truncated_json")
    assert generate().degraded


@pytest.mark.parametrize("fault", ["timeout", "429", "503_loading", "500"])
def test_asr_and_tts_faults_degrade_to_the_local_engines(hf, fault):
    hf.configure(fault=fault, hang_seconds=2)
    heard, speech = transcribe(), synthesize()
    assert heard.degraded and heard.model_id == providers.local_asr().model_id
    assert speech.degraded and speech.audio  # the local voice spoke instead
    assert speech.model_id == providers.local_tts().model_id
    assert hf.calls["asr"] == hf.calls["tts"] == 1  # HF_MAX_RETRIES=0: one call each


def test_tts_json_error_with_200_degrades(hf):
    hf.configure(fault="tts_json_error")
    assert synthesize().degraded
    assert not transcribe().degraded  # the fault is the voice's only


def test_empty_asr_asks_the_local_recogniser_for_a_second_opinion(hf):
    hf.configure(fault="empty_asr")
    heard = transcribe()
    assert heard.degraded and heard.model_id == providers.local_asr().model_id


def test_fail_rate_one_fails_every_call(hf):
    hf.configure(fail_rate=1.0)
    assert generate().degraded and transcribe().degraded and synthesize().degraded


def test_a_closed_port_is_connection_refused(hf, settings):
    hf.stop()
    providers.reset()
    assert generate().degraded and transcribe().degraded and synthesize().degraded


def test_a_missing_token_is_refused(fake):
    import requests

    response = requests.post(f"{fake.url}/v1/chat/completions", json={"messages": []}, timeout=5)
    assert response.status_code == 401


def test_faults_are_parsed_per_task():
    assert parse_faults("500") == {"llm": "500", "asr": "500", "tts": "500"}
    assert parse_faults("llm:timeout,tts:500") == {"llm": "timeout", "tts": "500"}
    assert parse_faults("empty_asr") == {"asr": "empty_asr"}
    for bad in ("nope", "asr:malformed_json", "gpu:500"):
        with pytest.raises(ValueError):
            parse_faults(bad)
    with pytest.raises(TypeError):
        FakeHF(llm_ms=1).configure(lag=1)
