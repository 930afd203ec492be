"""Practice sessions over the API: starting one in each mode with Macca's spoken
opening line, ending it with a summary, and reading the learner's history."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import client_for
from tutor.models import Lesson, LessonStep, Mode, PracticeSession, Role, Turn

START_FIELDS = {
    "session_id",
    "mode",
    "initial_prompt",
    "initial_audio_url",
    "lesson_step",
    "lesson_title",
    "total_steps",
    "degraded",
}
END_FIELDS = {"session_id", "duration_seconds", "turns", "summary"}
SUMMARY_FIELDS = {
    "session_id",
    "mode",
    "topic",
    "lesson_id",
    "lesson_title",
    "current_step",
    "total_steps",
    "lesson_completed",
    "started_at",
    "ended_at",
    "duration_seconds",
    "turns",
    "summary",
}
TURN_FIELDS = {
    "turn_id",
    "position",
    "role",
    "text",
    "transcript",
    "audio_url",
    "degraded",
    "created_at",
    "feedback",
    "macca",
}
MACCA_FIELDS = {"version", "reply", "feedback", "drills", "next_prompt", "step_complete"}


def start(client, **body):
    return client.post("/api/session/start", body, format="json")


def turn(client, session_id, text):
    return client.post(
        "/api/session/turn", {"session_id": str(session_id), "user_text": text}, format="json"
    )


def end(client, session_id):
    return client.post(f"/api/session/{session_id}/end")


# --- Starting a session ---------------------------------------------------------------


@pytest.mark.parametrize("mode", ["live", "live_conversation"])
def test_it_starts_a_conversation_in_either_spelling_of_the_mode(alice_api, mode):
    response = start(alice_api, mode=mode)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == START_FIELDS
    assert body["mode"] == "live_conversation"
    assert body["initial_prompt"]
    assert body["lesson_step"] is None
    assert body["lesson_title"] is None
    assert body["total_steps"] is None
    assert body["degraded"] is False
    assert PracticeSession.objects.get(pk=body["session_id"]).mode == Mode.LIVE_CONVERSATION


def test_a_conversation_opens_on_the_learners_topic(alice_api):
    body = start(alice_api, mode="live", topic="street food in Jakarta").json()

    assert "street food in Jakarta" in body["initial_prompt"]
    session = PracticeSession.objects.get(pk=body["session_id"])
    assert session.topic == "street food in Jakarta"


@pytest.mark.parametrize("mode", ["guided", "guided_lesson"])
def test_a_guided_lesson_opens_on_its_first_step(alice_api, lesson, mode):
    response = start(alice_api, mode=mode, lesson_id=str(lesson.pk))

    assert response.status_code == 201
    body = response.json()
    assert set(body) == START_FIELDS
    assert body["mode"] == "guided_lesson"
    assert "Say hello." in body["initial_prompt"]
    assert body["lesson_step"] == 1
    assert body["lesson_title"] == "Ordering coffee"
    assert body["total_steps"] == 2
    session = PracticeSession.objects.get(pk=body["session_id"])
    assert (session.lesson, session.current_step) == (lesson, 1)


@pytest.mark.parametrize("mode", ["pronunciation", "pronunciation_coach"])
def test_the_pronunciation_coach_opens_by_asking_for_a_sentence(alice_api, mode):
    response = start(alice_api, mode=mode)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == START_FIELDS
    assert body["mode"] == "pronunciation_coach"
    assert "Please say:" in body["initial_prompt"]
    assert (body["lesson_step"], body["lesson_title"], body["total_steps"]) == (None, None, None)


def test_a_lesson_id_goes_with_guided_mode_only(alice_api, lesson):
    response = start(alice_api, mode="live", lesson_id=str(lesson.pk))

    assert response.status_code == 400
    assert "guided" in response.json()["lesson_id"][0]
    assert not PracticeSession.objects.exists()


def test_the_opening_line_is_spoken_as_ogg_opus_under_media_url(alice_api):
    body = start(alice_api, mode="live").json()

    url = body["initial_audio_url"]
    assert url.startswith("http://testserver/media/speech/")
    assert url.endswith(".ogg")
    audio = alice_api.get(url)  # it greets her by name: hers only (test_private_speech)
    assert audio.status_code == 200
    assert audio["Content-Type"] == "audio/ogg"
    assert audio["Accept-Ranges"] == "bytes"
    assert audio.content[:4] == b"OggS"
    assert b"OpusHead" in audio.content[:100]


def test_the_opening_audio_answers_a_range_request_with_206(alice_api):
    url = start(alice_api, mode="live").json()["initial_audio_url"]
    size = len(alice_api.get(url).content)

    partial = alice_api.get(url, headers={"Range": "bytes=0-99"})

    assert partial.status_code == 206
    assert partial["Content-Range"] == f"bytes 0-99/{size}"
    assert partial["Content-Length"] == "100"
    assert len(partial.content) == 100
    assert partial.content[:4] == b"OggS"


def test_the_opening_line_is_saved_as_macca_s_first_turn(alice_api):
    body = start(alice_api, mode="live", topic="music").json()

    turns = list(Turn.objects.filter(session_id=body["session_id"]))
    assert len(turns) == 1
    opening = turns[0]
    assert (opening.position, opening.role) == (1, Role.TUTOR)
    assert opening.text == body["initial_prompt"]
    assert opening.speech is not None
    assert body["initial_audio_url"].endswith(opening.speech.audio.url)


def test_it_rejects_an_unknown_mode(alice_api):
    response = start(alice_api, mode="karaoke")

    assert response.status_code == 400
    assert "karaoke" in response.json()["mode"][0]
    assert not PracticeSession.objects.exists()


def test_a_guided_lesson_needs_a_lesson_id(alice_api, lesson):
    response = start(alice_api, mode="guided")

    assert response.status_code == 400
    assert "lesson" in response.json()["lesson_id"][0].lower()
    assert not PracticeSession.objects.exists()


def test_an_unknown_lesson_is_not_found(alice_api, lesson):
    response = start(alice_api, mode="guided", lesson_id=str(uuid.uuid4()))

    assert response.status_code == 404
    assert response.json()["detail"]
    assert not PracticeSession.objects.exists()


def test_an_unpublished_lesson_is_not_found(alice_api):
    draft = Lesson.objects.create(
        slug="draft", title="Draft", objective="Not yet.", level="A2", is_published=False
    )
    LessonStep.objects.create(lesson=draft, position=1, title="One", instruction="Say one.")

    response = start(alice_api, mode="guided", lesson_id=str(draft.pk))

    assert response.status_code == 404
    assert not PracticeSession.objects.exists()


# --- Ending a session -----------------------------------------------------------------


def test_ending_a_session_sums_up_the_practice(alice_api):
    session_id = start(alice_api, mode="live").json()["session_id"]
    assert turn(alice_api, session_id, "I go to the office yesterday").status_code == 200
    assert turn(alice_api, session_id, "My friend is very kind.").status_code == 200

    response = end(alice_api, session_id)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == END_FIELDS
    assert body["session_id"] == session_id
    assert body["turns"] == 2  # the learner's turns, not Macca's
    assert body["duration_seconds"] >= 0
    assert "past tense" in body["summary"]
    assert "office" in body["summary"]
    session = PracticeSession.objects.get(pk=session_id)
    assert session.ended_at is not None
    assert session.summary == body["summary"]


def test_ending_a_session_again_changes_nothing(alice_api):
    session_id = start(alice_api, mode="live").json()["session_id"]
    turn(alice_api, session_id, "I go to the office yesterday")
    first = end(alice_api, session_id).json()
    ended_at = PracticeSession.objects.get(pk=session_id).ended_at

    again = end(alice_api, session_id)

    assert again.status_code == 200
    assert again.json() == first
    assert PracticeSession.objects.get(pk=session_id).ended_at == ended_at


def test_a_turn_into_an_ended_session_is_refused(alice_api):
    session_id = start(alice_api, mode="live").json()["session_id"]
    end(alice_api, session_id)

    response = turn(alice_api, session_id, "Hello again!")

    assert response.status_code == 400
    assert "ended" in response.json()["detail"]
    assert Turn.objects.filter(session_id=session_id).count() == 1


def test_it_does_not_end_other_learners_sessions(alice_api, bob_api):
    session_id = start(alice_api, mode="live").json()["session_id"]

    response = end(bob_api, session_id)

    assert response.status_code == 404
    assert PracticeSession.objects.get(pk=session_id).ended_at is None


def test_ending_an_unknown_session_is_not_found(alice_api):
    assert end(alice_api, uuid.uuid4()).status_code == 404


# --- Listing sessions -----------------------------------------------------------------


def test_it_lists_sessions_newest_first_with_their_summary_fields(alice_api, lesson):
    live = start(alice_api, mode="live", topic="music").json()["session_id"]
    turn(alice_api, live, "I go to the office yesterday")
    end(alice_api, live)
    guided = start(alice_api, mode="guided", lesson_id=str(lesson.pk)).json()["session_id"]

    response = alice_api.get("/api/sessions")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert (body["next"], body["previous"]) == (None, None)
    newest, oldest = body["results"]
    assert set(newest) == SUMMARY_FIELDS
    assert set(oldest) == SUMMARY_FIELDS
    assert newest["session_id"] == guided
    assert newest["mode"] == "guided_lesson"
    assert newest["lesson_id"] == str(lesson.pk)
    assert newest["lesson_title"] == "Ordering coffee"
    assert (newest["current_step"], newest["total_steps"]) == (1, 2)
    assert newest["lesson_completed"] is False
    assert newest["ended_at"] is None
    assert newest["turns"] == 0
    assert oldest["session_id"] == live
    assert oldest["mode"] == "live_conversation"
    assert oldest["topic"] == "music"
    assert (oldest["lesson_id"], oldest["lesson_title"], oldest["total_steps"]) == (
        None,
        None,
        None,
    )
    assert oldest["ended_at"] is not None
    assert oldest["turns"] == 1
    assert "past tense" in oldest["summary"]


def test_the_session_list_is_paginated_by_twenty(alice, alice_api):
    now = timezone.now()
    PracticeSession.objects.bulk_create(
        PracticeSession(
            learner=alice,
            mode=Mode.LIVE_CONVERSATION,
            topic=f"topic {n}",
            started_at=now - timedelta(minutes=n),
        )
        for n in range(25)
    )

    first = alice_api.get("/api/sessions").json()

    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"]
    assert [s["topic"] for s in first["results"]] == [f"topic {n}" for n in range(20)]
    second = alice_api.get(first["next"]).json()
    assert [s["topic"] for s in second["results"]] == [f"topic {n}" for n in range(20, 25)]
    assert second["next"] is None
    assert second["previous"]


def test_it_hides_other_learners_sessions(alice_api, bob_api):
    start(alice_api, mode="live")

    body = bob_api.get("/api/sessions").json()

    assert body["count"] == 0
    assert body["results"] == []


# --- One session in detail ------------------------------------------------------------


def test_a_session_shows_its_turns_in_order_with_feedback_and_audio(alice_api):
    session_id = start(alice_api, mode="live").json()["session_id"]
    turn(alice_api, session_id, "I go to the office yesterday")
    turn(alice_api, session_id, "My friend is very kind.")

    response = alice_api.get(f"/api/sessions/{session_id}")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == SUMMARY_FIELDS | {"turn_count"}
    assert body["session_id"] == session_id
    assert body["turn_count"] == 2
    turns = body["turns"]
    assert [t["position"] for t in turns] == [1, 2, 3, 4, 5]
    assert [t["role"] for t in turns] == ["tutor", "learner", "tutor", "learner", "tutor"]
    for item in turns:
        assert set(item) == TURN_FIELDS

    learner = turns[1]
    assert learner["text"] == "I go to the office yesterday"
    assert learner["macca"] is None
    assert learner["audio_url"] is None  # typed, not recorded
    assert {(f["kind"], f["code"]) for f in learner["feedback"]} == {
        ("grammar", "past_tense"),
        ("vocabulary", "vocabulary"),
    }
    for issue in learner["feedback"]:
        assert set(issue) == {"kind", "code", "detail"}
    grammar = next(f for f in learner["feedback"] if f["kind"] == "grammar")
    assert grammar["detail"]["issue"] == "past_tense"
    vocabulary = next(f for f in learner["feedback"] if f["kind"] == "vocabulary")
    assert vocabulary["detail"]["word"] == "office"

    for tutor in (turns[0], turns[2], turns[4]):
        assert set(tutor["macca"]) == MACCA_FIELDS
        assert tutor["macca"]["reply"] == tutor["text"]
        assert tutor["feedback"] == []
        assert tutor["audio_url"].startswith("http://testserver/media/speech/")
    assert turns[2]["macca"]["feedback"]["better_sentence"] == "I went to the office yesterday"


def test_it_hides_other_learners_session_details(alice_api, bob_api):
    session_id = start(alice_api, mode="live").json()["session_id"]

    response = bob_api.get(f"/api/sessions/{session_id}")

    assert response.status_code == 404
    assert "turns" not in response.json()


def test_an_unknown_session_is_not_found(alice_api):
    assert alice_api.get(f"/api/sessions/{uuid.uuid4()}").status_code == 404


# --- Authentication -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/session/start"),
        ("post", "/api/session/{id}/end"),
        ("get", "/api/sessions"),
        ("get", "/api/sessions/{id}"),
    ],
)
def test_sessions_need_a_signed_in_learner(alice, anon, method, path):
    session_id = start(client_for(alice), mode="live").json()["session_id"]

    response = getattr(anon, method)(path.format(id=session_id), format="json")

    assert response.status_code == 401
    assert response.json()["detail"]
    assert PracticeSession.objects.count() == 1
    assert PracticeSession.objects.get().ended_at is None
