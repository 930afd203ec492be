"""Spoken turns: the recording is transcribed and answered, kept privately for its
owner to replay, and rejected, with nothing written, when it is not usable audio."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from providers.mock import MOCK_TRANSCRIPT
from tests.audio import wav_bytes
from tutor.models import FeedbackIssue, FeedbackKind, PracticeSession, Role, Turn

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def recording(content: bytes, name: str = "voice.wav", content_type: str = "audio/wav"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def send_audio(client, content: bytes | None = None, name: str = "voice.wav", **fields):
    body = {k: str(v) for k, v in fields.items()}
    if content is not None:
        body["audio"] = recording(content, name)
    return client.post("/api/session/turn/audio", body, format="multipart")


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def recordings_of(settings, learner) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "private" / "recordings" / str(learner.pk)
    return sorted(folder.iterdir()) if folder.exists() else []


# --- A spoken turn --------------------------------------------------------------------


def test_a_recording_is_transcribed_and_answered(alice_api):
    response = send_audio(alice_api, wav_bytes(1), mode="live")

    assert response.status_code == 200
    body = response.json()
    assert body["transcript"] == MOCK_TRANSCRIPT
    assert body["degraded"] is False
    assert body["feedback"]["grammar_ok"] is False
    assert "past_tense" in [g["issue"] for g in body["macca"]["feedback"]["grammar"]]
    assert body["macca_audio_url"].startswith("http://testserver/media/speech/")
    learner_turn = Turn.objects.get(pk=body["turn_id"])
    assert learner_turn.role == Role.LEARNER
    assert learner_turn.text == MOCK_TRANSCRIPT
    assert learner_turn.transcript == MOCK_TRANSCRIPT
    assert FeedbackIssue.objects.filter(
        turn=learner_turn, kind=FeedbackKind.GRAMMAR, code="past_tense"
    ).exists()


def test_the_recording_is_kept_privately_for_its_owner(alice, alice_api, settings):
    audio = wav_bytes(1)

    body = send_audio(alice_api, audio, mode="live").json()

    saved = recordings_of(settings, alice)
    assert len(saved) == 1
    assert saved[0].suffix == ".wav"
    assert saved[0].read_bytes() == audio
    learner_turn = Turn.objects.get(pk=body["turn_id"])
    assert learner_turn.audio.name == f"private/recordings/{alice.pk}/{saved[0].name}"
    assert "private" not in str(body)  # no public URL points at it
    public = alice_api.get(f"{settings.MEDIA_URL}{learner_turn.audio.name}")
    assert public.status_code == 404


def test_the_session_links_the_recording_to_an_authenticated_url(alice_api):
    audio = wav_bytes(1)
    body = send_audio(alice_api, audio, mode="live").json()

    detail = alice_api.get(f"/api/sessions/{body['session_id']}").json()

    learner = next(t for t in detail["turns"] if t["role"] == "learner")
    assert learner["turn_id"] == body["turn_id"]
    assert learner["transcript"] == MOCK_TRANSCRIPT
    assert learner["audio_url"] == f"http://testserver/api/turns/{body['turn_id']}/audio"
    tutor = detail["turns"][-1]
    assert tutor["audio_url"] == body["macca_audio_url"]


def test_the_owner_can_replay_the_recording(alice_api):
    audio = wav_bytes(1)
    turn_id = send_audio(alice_api, audio, mode="live").json()["turn_id"]

    response = alice_api.get(f"/api/turns/{turn_id}/audio")

    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"] == "private, max-age=0"
    assert response.content == audio


def test_the_recording_answers_range_requests(alice_api):
    audio = wav_bytes(1)
    turn_id = send_audio(alice_api, audio, mode="live").json()["turn_id"]

    response = alice_api.get(f"/api/turns/{turn_id}/audio", headers={"Range": "bytes=0-99"})

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{len(audio)}"
    assert response.content == audio[:100]


def test_other_learners_cannot_replay_the_recording(alice_api, bob_api):
    turn_id = send_audio(alice_api, wav_bytes(1), mode="live").json()["turn_id"]

    response = bob_api.get(f"/api/turns/{turn_id}/audio")

    assert response.status_code == 404
    assert response.content != wav_bytes(1)


def test_the_recording_needs_a_signed_in_learner(alice_api, anon):
    turn_id = send_audio(alice_api, wav_bytes(1), mode="live").json()["turn_id"]

    response = anon.get(f"/api/turns/{turn_id}/audio")

    assert response.status_code == 401


def test_a_typed_turn_has_no_recording_to_replay(alice_api):
    body = alice_api.post(
        "/api/session/turn", {"user_text": "Hello!", "mode": "live"}, format="json"
    ).json()

    assert alice_api.get(f"/api/turns/{body['turn_id']}/audio").status_code == 404


def test_spoken_turns_need_a_signed_in_learner(db, anon, settings):
    response = send_audio(anon, wav_bytes(1), mode="live")

    assert response.status_code == 401
    assert not PracticeSession.objects.exists()
    assert stored_files(settings) == []


def test_a_spoken_turn_goes_to_the_named_session(alice_api):
    session_id = alice_api.post("/api/session/start", {"mode": "live"}, format="json").json()[
        "session_id"
    ]

    body = send_audio(alice_api, wav_bytes(1), session_id=session_id).json()

    assert body["session_id"] == session_id
    positions = Turn.objects.filter(session_id=session_id).values_list("position", "role")
    assert list(positions.order_by("position")) == [
        (1, Role.TUTOR),
        (2, Role.LEARNER),
        (3, Role.TUTOR),
    ]


def test_a_spoken_turn_into_another_learners_session_is_not_found(
    alice_api, bob, bob_api, settings
):
    session_id = alice_api.post("/api/session/start", {"mode": "live"}, format="json").json()[
        "session_id"
    ]

    response = send_audio(bob_api, wav_bytes(1), session_id=session_id)

    assert response.status_code == 404
    assert not Turn.objects.filter(role=Role.LEARNER).exists()
    assert recordings_of(settings, bob) == []


def test_the_pronunciation_coach_hears_the_sentence_it_asked_for(alice_api):
    started = alice_api.post("/api/session/start", {"mode": "pronunciation"}, format="json").json()
    asked = re.search(r"Please say: “(.+)”", started["initial_prompt"]).group(1)

    body = send_audio(alice_api, wav_bytes(1), session_id=started["session_id"]).json()

    assert body["transcript"] == asked
    assert body["macca"]["feedback"]["pronunciation"] == []
    assert body["macca"]["feedback"]["grammar"] == []
    assert "Excellent" in body["macca_text"]
    assert body["feedback"]["grammar_ok"] is True


# --- Rejections write nothing -----------------------------------------------------------


def assert_nothing_written(settings):
    assert not PracticeSession.objects.exists()
    assert not Turn.objects.exists()
    assert stored_files(settings) == []


def only_message(response) -> str:
    body = response.json()
    assert set(body) == {"audio"}
    assert len(body["audio"]) == 1
    assert isinstance(body["audio"][0], str)
    return body["audio"][0]


def test_it_rejects_an_image_whatever_its_name(alice_api, settings):
    response = send_audio(alice_api, PNG, name="voice.webm", mode="live")

    assert response.status_code == 415
    message = only_message(response)
    assert "WebM" in message
    assert "WAV" in message
    assert_nothing_written(settings)


def test_it_rejects_an_empty_recording(alice_api, settings):
    response = send_audio(alice_api, b"", mode="live")

    assert response.status_code == 400
    assert "empty" in only_message(response)
    assert_nothing_written(settings)


def test_it_asks_for_the_audio_field_when_it_is_missing(alice_api, settings):
    response = send_audio(alice_api, None, mode="live")

    assert response.status_code == 400
    assert "audio" in only_message(response)
    assert_nothing_written(settings)


def test_it_rejects_audio_over_the_size_limit(alice_api, settings):
    settings.MAX_AUDIO_UPLOAD_MB = 1
    big = wav_bytes(98)  # 8 kHz × 16 bit × 98 s ≈ 1.5 MB

    response = send_audio(alice_api, big, mode="live")

    assert response.status_code == 413
    message = only_message(response)
    assert "1 MB" in message
    assert "shorter" in message
    assert_nothing_written(settings)


def test_it_refuses_a_declared_oversized_upload_without_reading_it(alice_api, settings):
    settings.MAX_AUDIO_UPLOAD_MB = 1

    response = send_audio(alice_api, wav_bytes(160), mode="live")  # ≈ 2.5 MB

    assert response.status_code == 413
    assert "1 MB" in only_message(response)
    assert_nothing_written(settings)


def test_it_rejects_a_recording_longer_than_the_limit(alice_api, settings):
    settings.MAX_AUDIO_SECONDS = 2

    response = send_audio(alice_api, wav_bytes(3), mode="live")

    assert response.status_code == 413
    assert "longer than 2 seconds" in only_message(response)
    assert_nothing_written(settings)


def test_a_recording_at_the_length_limit_is_accepted(alice_api, settings):
    settings.MAX_AUDIO_SECONDS = 2

    assert send_audio(alice_api, wav_bytes(2), mode="live").status_code == 200


def test_it_rejects_a_broken_wav(alice_api, settings):
    broken = wav_bytes(1)[:12] + b"garbage that is not a fmt chunk"

    response = send_audio(alice_api, broken, mode="live")

    assert response.status_code == 415
    assert "could not be played" in only_message(response)
    assert_nothing_written(settings)


@pytest.mark.parametrize(
    ("fields", "key"),
    [({"mode": "karaoke"}, "mode"), ({"session_id": "not-a-uuid"}, "session_id")],
)
def test_it_rejects_a_bad_target_and_keeps_nothing(alice_api, settings, fields, key):
    response = send_audio(alice_api, wav_bytes(1), **fields)

    assert response.status_code == 400
    assert set(response.json()) == {key}
    assert_nothing_written(settings)
