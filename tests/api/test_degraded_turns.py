"""With Hugging Face behind it, a turn survives every provider failure: the
learner's words are saved, a fallback answers and the response says
`degraded: true`. And turns, which cost inference, are throttled per learner."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import requests
import responses as responses_lib
from django.core.files.uploadedfile import SimpleUploadedFile

import providers
from providers.audio import decode
from providers.mock import MOCK_TRANSCRIPT, MockASR
from providers.schemas import Speech, Transcript
from tests.audio import long_recording, wav_bytes
from tutor.api.throttles import TurnThrottle
from tutor.models import FeedbackIssue, PracticeSession, Role, Turn

BASE = "https://hf.test"
VOICE = long_recording(1.0, "mp3")  # what a Hugging Face voice sends back
SILENT = Speech(audio=b"", content_type="audio/wav", degraded=True)
PAST_TENSE = "I go to the office yesterday"
REPLY = {
    "version": "1.0",
    "reply": "That sounds busy! What did you do at the office?",
    "feedback": {
        "better_sentence": "I went to the office yesterday.",
        "grammar": [
            {
                "issue": "past_tense",
                "original_text": "I go",
                "explanation_language": "id",
                "explanation": "Pakai bentuk lampau untuk kemarin: went.",
                "examples": ["I went to the office yesterday."],
            }
        ],
        "vocabulary": [],
        "pronunciation": [],
    },
    "drills": [],
    "next_prompt": "What did you do at the office?",
    "step_complete": None,
}


def completion(content: str) -> dict:
    return {
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ]
    }


@pytest.fixture
def urls(settings) -> dict[str, str]:
    models = f"{BASE}/hf-inference/models"
    return {
        "llm": f"{BASE}/v1/chat/completions",
        "asr": f"{models}/{settings.HF_ASR_MODEL_ID}",
        "tts": f"{BASE}/deepinfra/v1/openai/audio/speech",  # HF_TTS_PROVIDER=deepinfra
    }


@pytest.fixture
def hf(settings):
    """Hugging Face mode against a fake base URL; `responses` answers every call.
    No retries and a breaker that never opens: each failure is seen exactly once."""
    settings.USE_MOCK_AI = False
    settings.HF_API_KEY = "hf_test"
    settings.HF_API_BASE_URL = BASE
    settings.HF_LLM_URL = settings.HF_ASR_URL = settings.HF_TTS_URL = ""
    settings.HF_ASR_PROVIDER, settings.HF_TTS_PROVIDER = "hf-inference", "deepinfra"
    settings.HF_LLM_JSON_MODE = "json_schema"
    settings.HF_MAX_RETRIES = 0
    settings.HF_BREAKER_FAILURES = 100
    providers.reset()
    with responses_lib.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        yield mocked
    providers.reset()


@pytest.fixture
def voice(hf, urls):
    """A working TTS, so that only the provider under test fails."""
    hf.post(urls["tts"], body=VOICE, content_type="audio/mpeg")
    return hf


def send(client, text=PAST_TENSE, **target):
    body = {"user_text": text, "mode": "live", **target}
    return client.post("/api/session/turn", body, format="json")


def send_audio(client, audio: bytes):
    upload = SimpleUploadedFile("voice.wav", audio, content_type="audio/wav")
    return client.post("/api/session/turn/audio", {"audio": upload, "mode": "live"})


def assert_learner_turn_saved(body, text):
    learner_turn = Turn.objects.get(pk=body["turn_id"])
    assert (learner_turn.role, learner_turn.text) == (Role.LEARNER, text)
    tutor_turn = learner_turn.session.turns.get(position=learner_turn.position + 1)
    assert tutor_turn.text == body["macca_text"]
    assert tutor_turn.degraded is True
    return learner_turn


# --- The language model fails -----------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        {"body": requests.ReadTimeout("read timed out")},
        {"status": 503, "json": {"error": "Model is currently loading", "estimated_time": 20.0}},
        {"status": 500, "json": {"error": "Internal Server Error"}},
        {"json": completion("Great job! Keep practising your past tense, it is getting better.")},
        {"json": {"object": "not a chat completion"}},
    ],
    ids=["read-timeout", "503-loading", "500", "prose-instead-of-json", "not-a-completion"],
)
def test_a_failing_language_model_is_answered_by_the_offline_coach(alice_api, voice, urls, answer):
    voice.post(urls["llm"], **answer)

    response = send(alice_api)

    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is True
    assert body["macca_text"]
    assert body["macca"]["reply"] == body["macca_text"]
    # The offline coach still catches the mistake.
    assert body["macca"]["feedback"]["better_sentence"] == "I went to the office yesterday"
    assert body["feedback"]["grammar_ok"] is False
    assert body["macca_audio_url"].endswith(".ogg")
    assert_learner_turn_saved(body, PAST_TENSE)
    assert [call.request.url for call in voice.calls].count(urls["llm"]) == 1


def test_a_degraded_turn_is_shown_as_such_in_the_session(alice_api, voice, urls):
    voice.post(urls["llm"], status=500, json={"error": "boom"})
    body = send(alice_api).json()

    detail = alice_api.get(f"/api/sessions/{body['session_id']}").json()

    tutor = detail["turns"][-1]
    assert (tutor["role"], tutor["degraded"]) == ("tutor", True)
    assert tutor["text"] == body["macca_text"]


# --- The voice fails --------------------------------------------------------------------


def test_a_failing_voice_is_replaced_by_the_local_voice(alice_api, hf, urls):
    hf.post(urls["llm"], json=completion(json.dumps(REPLY)))
    hf.post(urls["tts"], status=500, json={"error": "Internal Server Error"})

    response = send(alice_api)

    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is True
    assert body["macca_text"] == REPLY["reply"]
    assert alice_api.get(body["macca_audio_url"]).status_code == 200
    tutor_turn = assert_learner_turn_saved(body, PAST_TENSE).session.turns.get(position=3)
    assert tutor_turn.speech.model_id == providers.local_tts().model_id


def test_when_every_voice_fails_the_reply_is_text(alice_api, hf, urls, monkeypatch):
    hf.post(urls["llm"], json=completion(json.dumps(REPLY)))
    hf.post(urls["tts"], status=500, json={"error": "Internal Server Error"})
    monkeypatch.setattr(providers.local_tts(), "synthesize", lambda *a, **k: SILENT)

    body = send(alice_api).json()

    assert body["degraded"] is True
    assert body["macca_audio_url"] is None
    tutor_turn = assert_learner_turn_saved(body, PAST_TENSE).session.turns.get(position=3)
    assert tutor_turn.speech is None


def test_a_session_started_while_the_voice_fails_opens_in_the_local_voice(alice_api, hf, urls):
    hf.post(urls["tts"], status=500, json={"error": "Internal Server Error"})

    response = alice_api.post("/api/session/start", {"mode": "live"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["degraded"] is True
    assert alice_api.get(body["initial_audio_url"]).status_code == 200
    assert body["initial_prompt"]


# --- Speech recognition fails -----------------------------------------------------------


def test_failing_speech_recognition_still_keeps_the_recording(
    alice, alice_api, voice, urls, settings
):
    voice.post(urls["asr"], status=500, json={"error": "Internal Server Error"})
    voice.post(urls["llm"], json=completion(json.dumps(REPLY)))
    audio = wav_bytes(1)

    response = send_audio(alice_api, audio)

    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is True
    assert body["macca_text"]
    assert body["transcript"] == MOCK_TRANSCRIPT  # the local recogniser heard it instead
    learner_turn = Turn.objects.get(pk=body["turn_id"])
    assert learner_turn.role == Role.LEARNER
    assert learner_turn.audio.name.startswith(f"private/recordings/{alice.pk}/")
    assert (Path(settings.MEDIA_ROOT) / learner_turn.audio.name).read_bytes() == audio
    assert alice_api.get(f"/api/turns/{learner_turn.pk}/audio").content == audio


def test_when_nothing_is_heard_macca_asks_again_instead_of_inventing_feedback(
    alice_api, voice, urls, monkeypatch
):
    """Nothing was heard, by Hugging Face or by the local recogniser, so there is
    nothing to correct: the language model is not asked about an empty message, and
    no feedback is recorded against the turn."""
    monkeypatch.setattr(MockASR, "transcribe", lambda *a, **k: Transcript(text=""))
    voice.post(urls["asr"], status=503, json={"error": "Model is currently loading"})
    voice.post(urls["llm"], json=completion(json.dumps(REPLY)))

    body = send_audio(alice_api, wav_bytes(1)).json()

    assert body["degraded"] is True
    assert body["macca_text"]
    assert body["macca"]["feedback"]["grammar"] == []
    assert not FeedbackIssue.objects.filter(turn_id=body["turn_id"]).exists()
    assert urls["llm"] not in [call.request.url for call in voice.calls]


# --- Everything works -------------------------------------------------------------------


def learner_turn_speech(body):
    learner_turn = Turn.objects.get(pk=body["turn_id"])
    return learner_turn.session.turns.get(position=learner_turn.position + 1).speech


def test_a_healthy_hugging_face_turn_is_not_degraded(alice_api, hf, urls, settings):
    hf.post(urls["llm"], json=completion(json.dumps(REPLY)))
    hf.post(urls["tts"], body=VOICE, content_type="audio/mpeg")

    response = send(alice_api)

    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is False
    assert body["macca_text"] == REPLY["reply"]
    assert body["macca"]["feedback"]["grammar"][0]["issue"] == "past_tense"
    assert body["macca_audio_url"].startswith("http://testserver/media/speech/")
    assert body["macca_audio_url"].endswith(".ogg")  # re-encoded small for delivery
    audio = alice_api.get(body["macca_audio_url"])
    assert audio.status_code == 200
    assert audio["Content-Type"] == "audio/ogg"
    assert decode(audio.content, max_seconds=10).duration_seconds == pytest.approx(1.0, abs=0.1)
    assert learner_turn_speech(body).model_id == settings.HF_TTS_MODEL_ID
    learner_turn = Turn.objects.get(pk=body["turn_id"])
    assert learner_turn.session.turns.get(position=3).degraded is False


def test_a_healthy_spoken_turn_uses_what_whisper_heard(alice_api, hf, urls):
    hf.post(urls["asr"], json={"text": " I go to the office yesterday "})
    hf.post(urls["llm"], json=completion(json.dumps(REPLY)))
    hf.post(urls["tts"], body=VOICE, content_type="audio/mpeg")
    audio = wav_bytes(1)

    response = send_audio(alice_api, audio)

    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is False
    assert body["transcript"] == PAST_TENSE
    assert body["macca_audio_url"].endswith(".ogg")
    asr_call = next(c for c in hf.calls if c.request.url == urls["asr"])
    assert asr_call.request.headers["Content-Type"] == "application/json"
    sent = json.loads(asr_call.request.body)
    assert base64.b64decode(sent["inputs"]) == audio
    assert sent["parameters"]["generation_parameters"]["language"] == "en"
    assert Turn.objects.get(pk=body["turn_id"]).text == PAST_TENSE


# --- Throttling -------------------------------------------------------------------------


@pytest.fixture
def two_turns_a_minute(monkeypatch):
    # SimpleRateThrottle only reads THROTTLE_RATES when the class sets no rate.
    monkeypatch.setattr(TurnThrottle, "rate", "2/min", raising=False)


def test_turns_are_throttled_per_learner(alice_api, bob_api, two_turns_a_minute):
    assert send(alice_api, "I like coffee.").status_code == 200
    assert send(alice_api, "I like tea.").status_code == 200

    third = send(alice_api, "I like milk.")

    assert third.status_code == 429
    assert int(third["Retry-After"]) > 0
    assert third.json()["detail"]
    assert not Turn.objects.filter(text="I like milk.").exists()
    assert send(bob_api, "I like milk.").status_code == 200


def test_spoken_and_typed_turns_share_the_limit(alice_api, two_turns_a_minute):
    assert send(alice_api, "I like coffee.").status_code == 200
    assert send(alice_api, "I like tea.").status_code == 200

    response = send_audio(alice_api, wav_bytes(1))

    assert response.status_code == 429
    assert response.has_header("Retry-After")
    assert PracticeSession.objects.count() == 1
    assert Turn.objects.filter(role=Role.LEARNER).count() == 2
