"""Macca hears and speaks offline: real sentences, spoken at test time by the local
voices and encoded the way browsers record them, come back as those sentences; Macca's
reply audio, run back through the recogniser, says the reply; replies are compressed,
have a slow and an MP3 variant, and a failing Hugging Face hands each task to the
local engine."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

import providers
from bench.fake_hf import FakeHF
from providers.audio import decode
from providers.local import ESPEAK, PIPER
from providers.local.ears import LocalASR
from providers.local.voice import LocalTTS
from tests.audio import (
    encode_recording,
    espeak_speech,
    normalise_words,
    piper_speech,
    with_silence,
    word_error_rate,
)
from tutor.models import Turn

pytestmark = pytest.mark.usefixtures("real_speech")

CONTENT_TYPES = {
    "webm": "audio/webm",
    "m4a": "audio/mp4",
    "ogg": "audio/ogg",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
}
SENTENCES = {
    "piper": "I went to the market yesterday with my sister.",
    "espeak": "The train was late, so I took a taxi.",
}


@cache
def recording(voice: str, text: str, kind: str) -> bytes:
    samples, rate = (piper_speech if voice == "piper" else espeak_speech)(text)
    return encode_recording(with_silence(samples, rate), rate, kind)


def send(client, audio: bytes, kind: str, **fields):
    upload = SimpleUploadedFile(f"answer.{kind}", audio, content_type=CONTENT_TYPES[kind])
    return client.post(
        "/api/session/turn/audio", {"audio": upload, "mode": "live", **fields}, format="multipart"
    )


def heard_in(audio: bytes, content_type: str) -> str:
    return LocalASR().transcribe(audio, content_type).text


def fetch(client, url: str):
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, url
    return response


# --- Hearing the learner -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["webm", "m4a"])
@pytest.mark.parametrize("voice", ["piper", "espeak"])
def test_a_recorded_sentence_comes_back_as_that_sentence(alice_api, voice, kind):
    sentence = SENTENCES[voice]

    response = send(alice_api, recording(voice, sentence, kind), kind)

    assert response.status_code == 200
    body = response.json()
    assert word_error_rate(sentence, body["transcript"]) <= 0.15, body["transcript"]
    assert body["degraded"] is False
    learner_turn = Turn.objects.get(pk=body["turn_id"])
    assert learner_turn.text == body["transcript"]


@pytest.mark.parametrize("kind", ["ogg", "mp3", "wav"])
def test_other_recorders_formats_are_heard_too(alice_api, kind):
    sentence = SENTENCES["piper"]
    body = send(alice_api, recording("piper", sentence, kind), kind).json()
    assert word_error_rate(sentence, body["transcript"]) <= 0.15, body["transcript"]


def test_the_learners_name_is_heard_because_it_is_in_the_prompt(alice, alice_api):
    alice.name = "Siti"
    alice.save(update_fields=["name"])

    body = send(alice_api, recording("piper", "Hello, my name is Siti.", "webm"), "webm").json()

    assert "Siti" in body["transcript"]


def test_silence_is_heard_as_nothing_and_the_turn_is_kept_as_degraded(alice_api):
    silent = encode_recording(np.zeros(2 * 22_050, np.float32), 22_050, "webm")

    response = send(alice_api, silent, "webm")

    assert response.status_code == 200
    body = response.json()
    assert body["transcript"] == ""
    assert body["degraded"] is True
    assert Turn.objects.filter(pk=body["turn_id"]).exists()


def test_the_transcript_keeps_word_timings_for_fluency_and_pronunciation():
    samples, rate = piper_speech("Good morning, how are you today?")
    audio = encode_recording(with_silence(samples, rate), rate, "webm")
    decoded = decode(audio, content_type="audio/webm", max_seconds=60)

    transcript = LocalASR().transcribe(audio, "audio/webm", samples=decoded.samples)

    assert [w.word.strip(",.?").lower() for w in transcript.words][:3] == ["good", "morning", "how"]
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts)
    assert all(w.end >= w.start for w in transcript.words)
    # The words fill the speech, not the 0.6 s of silence after it.
    assert 1.0 < transcript.words[-1].end <= decoded.duration_seconds - 0.3
    assert transcript.model_id == "faster-whisper/tiny.en"


# --- Macca's voice -------------------------------------------------------------------------


def test_the_reply_audio_says_the_reply_and_is_compressed(alice_api):
    body = alice_api.post(
        "/api/session/turn", {"user_text": "I go to the office yesterday.", "mode": "live"}
    ).json()

    audio = fetch(alice_api, body["macca_audio_url"])

    assert audio["Content-Type"] == "audio/ogg"
    assert body["macca_audio_url"].endswith(".ogg")
    decoded = decode(audio.content, content_type="audio/ogg", max_seconds=120)
    assert len(audio.content) / decoded.duration_seconds <= 4096  # ≤ 4 KB per second
    heard = heard_in(audio.content, "audio/ogg")
    assert word_error_rate(body["macca_text"], heard) <= 0.25, (body["macca_text"], heard)


def test_the_slow_replay_says_the_same_line_more_slowly(alice_api):
    body = alice_api.post(
        "/api/session/turn", {"user_text": "I like my new job.", "mode": "live"}
    ).json()
    url = body["macca_audio_url"]

    normal = fetch(alice_api, url)
    slow = fetch(alice_api, f"{url}?speed=slow")

    normal_seconds = decode(normal.content, max_seconds=120).duration_seconds
    slow_seconds = decode(slow.content, max_seconds=120).duration_seconds
    assert slow_seconds >= 1.25 * normal_seconds
    heard = heard_in(slow.content, "audio/ogg")
    assert word_error_rate(body["macca_text"], heard) <= 0.25, (body["macca_text"], heard)


def test_browsers_without_opus_get_the_same_line_as_mp3(alice_api):
    body = alice_api.post("/api/session/turn", {"user_text": "Hello!", "mode": "live"}).json()

    mp3 = fetch(alice_api, f"{body['macca_audio_url']}?format=mp3")

    assert mp3["Content-Type"] == "audio/mpeg"
    decoded = decode(mp3.content, content_type="audio/mpeg", max_seconds=120)
    assert len(mp3.content) / decoded.duration_seconds <= 4096
    heard = heard_in(mp3.content, "audio/mpeg")
    assert word_error_rate(body["macca_text"], heard) <= 0.25, (body["macca_text"], heard)


def test_espeak_speaks_when_piper_cannot_load(monkeypatch):
    monkeypatch.setattr(PIPER, "error", "piper is broken in this test")
    monkeypatch.setattr(PIPER, "_value", None)

    speech = LocalTTS().synthesize("Thank you very much.")

    assert speech.model_id == f"{ESPEAK.name}/{ESPEAK.model}"
    assert speech.degraded is False
    assert normalise_words(heard_in(speech.audio, "audio/wav")) == ["thank", "you", "very", "much"]


# --- Hugging Face failing: the local engines answer ------------------------------------------


@pytest.fixture
def failing_hf(settings):
    with FakeHF() as fake:
        settings.USE_MOCK_AI = False
        settings.HF_API_KEY = "hf_fake_key"
        settings.HF_API_BASE_URL = fake.url
        settings.HF_LLM_URL = settings.HF_ASR_URL = settings.HF_TTS_URL = ""
        settings.HF_MAX_RETRIES = 0
        settings.HF_TIMEOUT_SECONDS = 0.5
        settings.HF_BREAKER_FAILURES = 100
        fake.configure(llm_ms=0, asr_ms=0, tts_ms=0)
        providers.reset()
        yield fake


@pytest.mark.parametrize("fault", ["asr:500", "asr:timeout", "asr:429", "empty_asr"])
def test_a_failing_hugging_face_asr_falls_back_to_the_local_ears(alice_api, failing_hf, fault):
    failing_hf.configure(fault=fault)
    sentence = SENTENCES["piper"]

    body = send(alice_api, recording("piper", sentence, "webm"), "webm").json()

    assert failing_hf.calls["asr"] >= 1
    assert word_error_rate(sentence, body["transcript"]) <= 0.15, body["transcript"]
    assert body["degraded"] is True
    assert Turn.objects.get(pk=body["turn_id"]).text == body["transcript"]


@pytest.mark.parametrize("fault", ["tts:500", "tts:timeout", "tts_json_error"])
def test_a_failing_hugging_face_voice_falls_back_to_the_local_voice(alice_api, failing_hf, fault):
    failing_hf.configure(fault=fault)

    body = alice_api.post(
        "/api/session/turn", {"user_text": "I go to the office yesterday.", "mode": "live"}
    ).json()

    assert failing_hf.calls["tts"] >= 1
    assert body["degraded"] is True
    assert body["macca_audio_url"] is not None
    audio = fetch(alice_api, body["macca_audio_url"])
    heard = heard_in(audio.content, "audio/ogg")
    assert word_error_rate(body["macca_text"], heard) <= 0.3, (body["macca_text"], heard)
