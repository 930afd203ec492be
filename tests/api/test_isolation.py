"""A learner only ever sees and changes their own things: someone else's id
answers 404, exactly like an id that does not exist (never 403)."""

from __future__ import annotations

import io
import uuid

import pytest

from tests.audio import wav_bytes
from tutor.models import PracticeSession, PronunciationAttempt, Role, Turn, VocabularyItem

MISSING = uuid.UUID("00000000-0000-4000-8000-000000000000")


def recording() -> io.BytesIO:
    upload = io.BytesIO(wav_bytes())
    upload.name = "answer.wav"
    return upload


def start_session(api, mode: str = "live") -> str:
    response = api.post("/api/session/start", {"mode": mode}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["session_id"]


def turn_count(session_id) -> int:
    return Turn.objects.filter(session_id=session_id).count()


@pytest.fixture
def alices_session(alice_api) -> str:
    session_id = start_session(alice_api)
    turn = alice_api.post(
        "/api/session/turn",
        {"user_text": "I go to the office yesterday", "session_id": session_id},
        format="json",
    )
    assert turn.status_code == 200, turn.json()
    return session_id


@pytest.fixture
def alices_recorded_turn(alice_api, alices_session) -> str:
    """Alice's learner turn with her own recording attached."""
    response = alice_api.post(
        "/api/session/turn/audio",
        {"audio": recording(), "session_id": alices_session},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    turn = Turn.objects.get(pk=response.json()["turn_id"])
    assert turn.role == Role.LEARNER and turn.audio
    return str(turn.pk)


@pytest.fixture
def alices_word(alice_api) -> str:
    response = alice_api.post(
        "/api/user/vocabulary", {"word": "deadline", "translation": "tenggat"}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_it_hides_another_learners_session(bob_api, alices_session):
    response = bob_api.get(f"/api/sessions/{alices_session}")
    assert response.status_code == 404


def test_it_does_not_let_another_learner_end_a_session(bob_api, alices_session):
    response = bob_api.post(f"/api/session/{alices_session}/end")
    assert response.status_code == 404
    session = PracticeSession.objects.get(pk=alices_session)
    assert session.is_open
    assert session.summary == ""


def test_it_does_not_let_another_learner_add_a_text_turn(bob_api, alices_session):
    before = turn_count(alices_session)
    response = bob_api.post(
        "/api/session/turn",
        {"user_text": "Hello, is this my session?", "session_id": alices_session},
        format="json",
    )
    assert response.status_code == 404
    assert turn_count(alices_session) == before
    assert not Turn.objects.filter(text="Hello, is this my session?").exists()


def test_it_does_not_let_another_learner_add_an_audio_turn(bob_api, alices_session):
    before = turn_count(alices_session)
    response = bob_api.post(
        "/api/session/turn/audio",
        {"audio": recording(), "session_id": alices_session},
        format="multipart",
    )
    assert response.status_code == 404
    assert turn_count(alices_session) == before
    assert not PracticeSession.objects.filter(learner__email="bob@example.com").exists()


def test_it_serves_a_recording_only_to_its_owner(alice_api, bob_api, alices_recorded_turn):
    assert alice_api.get(f"/api/turns/{alices_recorded_turn}/audio").status_code == 200
    response = bob_api.get(f"/api/turns/{alices_recorded_turn}/audio")
    assert response.status_code == 404


def test_it_does_not_let_another_learner_delete_a_word(bob_api, alices_word):
    response = bob_api.delete(f"/api/user/vocabulary/{alices_word}")
    assert response.status_code == 404
    assert VocabularyItem.objects.filter(pk=alices_word).exists()


def test_it_lists_only_the_learners_own_sessions(bob_api, alices_session):
    bobs_session = start_session(bob_api)
    response = bob_api.get("/api/sessions")
    assert response.status_code == 200
    listed = [item["session_id"] for item in response.json()["results"]]
    assert listed == [bobs_session]
    assert response.json()["count"] == 1


def test_it_lists_only_the_learners_own_words(bob_api, alices_word):
    added = bob_api.post(
        "/api/user/vocabulary", {"word": "meeting", "translation": "rapat"}, format="json"
    )
    assert added.status_code == 201
    response = bob_api.get("/api/user/vocabulary")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [added.json()["id"]]
    assert alices_word not in [item["id"] for item in response.json()]


def test_the_same_word_as_another_learners_is_a_new_item(bob_api, alices_word):
    response = bob_api.post(
        "/api/user/vocabulary", {"word": "Deadline", "translation": "batas waktu"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["id"] != alices_word
    assert VocabularyItem.objects.get(pk=alices_word).translation == "tenggat"


def _requests(session_id, turn_id, word_id) -> dict:
    """(method, path, body, format) per endpoint that takes an id of the learner's."""
    return {
        "session detail": ("get", f"/api/sessions/{session_id}", None, None),
        "end session": ("post", f"/api/session/{session_id}/end", None, None),
        "text turn": (
            "post",
            "/api/session/turn",
            {"user_text": "Hello there", "session_id": str(session_id)},
            "json",
        ),
        "audio turn": ("post", "/api/session/turn/audio", {"session_id": str(session_id)}, None),
        "recording": ("get", f"/api/turns/{turn_id}/audio", None, None),
        "delete word": ("delete", f"/api/user/vocabulary/{word_id}", None, None),
    }


@pytest.mark.parametrize("endpoint", list(_requests(1, 1, 1)))
def test_someone_elses_id_answers_exactly_like_an_unknown_one(
    endpoint, bob_api, alices_session, alices_recorded_turn, alices_word
):
    def call(session_id, turn_id, word_id):
        method, path, body, fmt = _requests(session_id, turn_id, word_id)[endpoint]
        if endpoint == "audio turn":
            body, fmt = {**body, "audio": recording()}, "multipart"
        return getattr(bob_api, method)(path, body, format=fmt)

    theirs = call(alices_session, alices_recorded_turn, alices_word)
    unknown = call(MISSING, MISSING, MISSING)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json()
    assert set(theirs.json()) == {"detail"}


# --- Pronunciation attempts ---------------------------------------------------------


@pytest.fixture
def alices_attempt(alice_api) -> str:
    response = alice_api.post(
        "/api/pronunciation/attempts",
        {"audio": recording(), "target": "I think this is very good"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


@pytest.mark.parametrize("suffix", ["", "/audio"], ids=["detail", "recording"])
def test_it_hides_another_learners_pronunciation_attempt(
    alice_api, bob_api, alices_attempt, suffix
):
    assert alice_api.get(f"/api/pronunciation/attempts/{alices_attempt}{suffix}").status_code == 200

    theirs = bob_api.get(f"/api/pronunciation/attempts/{alices_attempt}{suffix}")
    unknown = bob_api.get(f"/api/pronunciation/attempts/{MISSING}{suffix}")

    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json()
    assert set(theirs.json()) == {"detail"}


def test_it_lists_only_the_learners_own_pronunciation_attempts(bob_api, alices_attempt):
    response = bob_api.get("/api/pronunciation/attempts")

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []
    assert PronunciationAttempt.objects.filter(pk=alices_attempt).exists()
