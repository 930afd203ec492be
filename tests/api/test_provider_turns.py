"""A voice turn end to end through each speech provider's request shape, against the
fake Hugging Face (bench/fake_hf.py) on a real socket: the recording is heard, the
reply is spoken and fetchable, and nothing is degraded. And the same through a
self-hosted OpenAI-compatible server (AI_PROVIDER=openai)."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

import providers
from bench.fake_hf import TRANSCRIPT, FakeHF
from tests.audio import encode_recording, wav_bytes

HEARD = TRANSCRIPT.strip()


@pytest.fixture
def fake(settings):
    """Hugging Face mode against the fake server: no retries, a short read timeout."""
    with FakeHF() as hf:
        settings.USE_MOCK_AI = False
        settings.AI_PROVIDER = "huggingface"
        settings.HF_API_KEY = "hf_test_key"
        settings.HF_API_BASE_URL = hf.url
        settings.HF_LLM_URL = settings.HF_ASR_URL = settings.HF_TTS_URL = ""
        settings.HF_ASR_PROVIDER_MODEL = settings.HF_TTS_PROVIDER_MODEL = ""
        settings.HF_TIMEOUT_SECONDS = 2
        settings.HF_MAX_RETRIES = 0
        settings.HF_BREAKER_FAILURES = 100
        providers.reset()
        yield hf
    providers.reset()


def send_audio(client, audio: bytes, name: str = "voice.wav", content_type: str = "audio/wav"):
    upload = SimpleUploadedFile(name, audio, content_type=content_type)
    return client.post("/api/session/turn/audio", {"audio": upload, "mode": "live"})


def assert_a_full_turn(client, response) -> dict:
    assert response.status_code == 200
    body = response.json()
    assert body["transcript"] == HEARD
    assert body["degraded"] is False
    assert body["macca"]["feedback"]["grammar"][0]["issue"] == "past_tense"
    speech = client.get(body["macca_audio_url"])
    assert speech.status_code == 200
    assert speech["Content-Type"].startswith("audio/")
    return body


def safari_recording() -> bytes:
    """What Safari uploads: M4A (AAC), sniffed as audio/mp4."""
    return encode_recording(np.zeros(16_000, dtype=np.float32), 16_000, "m4a")


ASR_PATHS = {
    "hf-inference": "/hf-inference/models/{model}",
    "fal-ai": "/fal-ai/fal-ai/whisper",
    "deepinfra": "/deepinfra/v1/openai/audio/transcriptions",
}


@pytest.mark.parametrize("provider", ASR_PATHS)
def test_a_voice_turn_is_heard_through_each_asr_provider(alice_api, fake, settings, provider):
    settings.HF_ASR_PROVIDER = provider
    providers.reset()
    audio = wav_bytes(1)

    assert_a_full_turn(alice_api, send_audio(alice_api, audio))

    seen = fake.last_request["asr"]
    assert seen["path"] == ASR_PATHS[provider].format(model=settings.HF_ASR_MODEL_ID)
    assert seen["headers"]["authorization"] == "Bearer hf_test_key"
    if provider == "deepinfra":
        form = seen["form"]
        assert (form["language"], form["file"][1], form["file"][2]) == ("en", "audio/wav", audio)
    elif provider == "fal-ai":
        sent = json.loads(seen["body"])
        assert sent["language"] == "en"
        assert sent["audio_url"] == f"data:audio/wav;base64,{base64.b64encode(audio).decode()}"
    else:
        sent = json.loads(seen["body"])
        assert sent["parameters"]["generation_parameters"]["language"] == "en"
        assert base64.b64decode(sent["inputs"]) == audio


def test_safaris_recording_reaches_a_dedicated_endpoint_as_m4a(alice_api, fake, settings):
    settings.HF_ASR_URL = f"{fake.url}/hf-inference/models/{settings.HF_ASR_MODEL_ID}"
    providers.reset()
    audio = safari_recording()

    assert_a_full_turn(alice_api, send_audio(alice_api, audio, "voice.m4a", "audio/mp4"))

    seen = fake.last_request["asr"]
    assert seen["headers"]["content-type"] == "audio/m4a"
    assert seen["body"] == audio


def test_safaris_recording_reaches_fal_as_an_m4a_data_url(alice_api, fake, settings):
    settings.HF_ASR_PROVIDER = "fal-ai"
    providers.reset()

    assert_a_full_turn(alice_api, send_audio(alice_api, safari_recording(), "voice.m4a"))

    assert json.loads(fake.last_request["asr"]["body"])["audio_url"].startswith(
        "data:audio/m4a;base64,"
    )


TTS_PATHS = {
    "hf-inference": "/hf-inference/models/{model}",
    "fal-ai": "/fal-ai/{model}",
    "replicate": "/replicate/v1/models/jaaari/kokoro-82m/predictions",
    "deepinfra": "/deepinfra/v1/openai/audio/speech",
    "together": "/together/v1/audio/speech",
}


@pytest.mark.parametrize("provider", TTS_PATHS)
def test_a_voice_turn_is_answered_through_each_tts_provider(alice_api, fake, settings, provider):
    settings.HF_TTS_PROVIDER = provider
    if provider == "replicate":
        settings.HF_TTS_MODEL_ID = "hexgrad/Kokoro-82M"  # replicate's id for it is known
    providers.reset()

    body = assert_a_full_turn(alice_api, send_audio(alice_api, wav_bytes(1)))

    seen = fake.last_request["tts"]
    assert seen["path"] == TTS_PATHS[provider].format(model=settings.HF_TTS_MODEL_ID)
    assert seen["headers"]["authorization"] == "Bearer hf_test_key"
    sent = json.loads(seen["body"])
    text = {"hf-inference": "inputs", "fal-ai": "text"}.get(provider, "input")
    said = sent["input"]["text"] if provider == "replicate" else sent[text]
    assert said == body["macca_text"]
    downloads = fake.calls["download"]
    assert downloads == (2 if provider in ("fal-ai", "replicate") else 0)  # opening + reply
    if downloads:
        assert "authorization" not in fake.last_request["download"]["headers"]


def test_a_voice_url_on_another_host_is_not_fetched_and_the_local_voice_speaks(
    alice_api, fake, settings
):
    settings.HF_TTS_PROVIDER = "fal-ai"
    providers.reset()
    with FakeHF() as elsewhere:
        fake.configure(media_url=f"{elsewhere.url}/files/speech.wav")

        response = send_audio(alice_api, wav_bytes(1))

        assert elsewhere.calls["download"] == 0
    body = response.json()
    assert response.status_code == 200
    assert body["degraded"] is True
    assert alice_api.get(body["macca_audio_url"]).status_code == 200  # the local voice


def test_a_voice_turn_works_through_an_openai_compatible_server(alice_api, fake, settings):
    settings.AI_PROVIDER = "openai"
    settings.HF_API_KEY = ""
    settings.OPENAI_BASE_URL = fake.openai_url
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_LLM_MODEL = "Qwen/Qwen2.5-7B-Instruct"
    settings.OPENAI_ASR_MODEL = "Systran/faster-whisper-small"
    settings.OPENAI_TTS_MODEL = "kokoro"
    settings.OPENAI_TTS_VOICE = "af_bella"
    providers.reset()
    audio = wav_bytes(1)

    assert_a_full_turn(alice_api, send_audio(alice_api, audio))

    assert dict(fake.calls) == {"asr": 1, "llm": 1, "tts": 2}
    assert fake.last_request["llm"]["path"] == "/openai/v1/chat/completions"
    form = fake.last_request["asr"]["form"]
    assert fake.last_request["asr"]["path"] == "/openai/v1/audio/transcriptions"
    assert (form["model"], form["language"], form["file"][2]) == (
        "Systran/faster-whisper-small",
        "en",
        audio,
    )
    voice = json.loads(fake.last_request["tts"]["body"])
    assert fake.last_request["tts"]["path"] == "/openai/v1/audio/speech"
    assert (voice["model"], voice["voice"]) == ("kokoro", "af_bella")
    assert alice_api.get("/api/").json()["ai_mode"] == "openai"
