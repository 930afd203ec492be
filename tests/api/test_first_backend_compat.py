"""The first (FastAPI) backend's clients keep working: same paths, same request
bodies, response keys they read all present (new keys are allowed)."""

from __future__ import annotations

import uuid

from rest_framework.test import APIClient

USER_KEYS = {"id", "email", "name", "level", "goal", "explanation_language"}
AUTH_KEYS = {"access_token", "token_type", "user"}
PROFILE_KEYS = {"id", "name", "email", "level", "goal", "explanation_language", "common_issues"}
START_KEYS = {
    "session_id",
    "initial_prompt",
    "initial_audio_url",
    "lesson_step",
    "lesson_title",
    "total_steps",
}
TURN_KEYS = {
    "session_id",
    "turn_id",
    "transcript",
    "macca_text",
    "macca_audio_url",
    "feedback",
    "next_step",
    "macca",
    "degraded",
}
VOCABULARY_KEYS = {
    "id",
    "word",
    "translation",
    "example",
    "source",
    "strength",
    "due",
    "last_reviewed_at",
}
LESSON_KEYS = {
    "id",
    "title",
    "subtitle",
    "steps",
    "current_step",
    "level",
    "objective",
    "target_grammar",
    "target_vocabulary",
}


def is_uuid(value) -> bool:
    try:
        uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return False
    return True


def is_list_of(kind: type, value) -> bool:
    return isinstance(value, list) and all(isinstance(item, kind) for item in value)


def assert_auth_response(body: dict, email: str, name: str) -> None:
    assert body.keys() >= AUTH_KEYS
    assert isinstance(body["access_token"], str) and body["access_token"]
    assert body["token_type"] == "bearer"
    assert body["user"].keys() >= USER_KEYS
    assert body["user"]["email"] == email
    assert body["user"]["name"] == name
    assert is_uuid(body["user"]["id"])


def assert_turn_response(body: dict) -> None:
    assert body.keys() >= TURN_KEYS, TURN_KEYS - body.keys()
    assert is_uuid(body["session_id"]) and is_uuid(body["turn_id"])
    assert body["transcript"] is None  # a typed turn: nothing was heard
    assert isinstance(body["macca_text"], str) and body["macca_text"]
    assert body["macca_audio_url"] is None or isinstance(body["macca_audio_url"], str)
    assert {"grammar_ok", "tip_id"} <= body["feedback"].keys()
    assert isinstance(body["feedback"]["grammar_ok"], bool)
    assert isinstance(body["feedback"]["tip_id"], str) and body["feedback"]["tip_id"]
    assert body["next_step"] is None or isinstance(body["next_step"], str)
    assert isinstance(body["macca"], dict)
    assert body["macca"]["reply"] == body["macca_text"]
    assert isinstance(body["degraded"], bool)


def assert_lesson(item: dict, lesson, current_step: int) -> None:
    assert item.keys() >= LESSON_KEYS, LESSON_KEYS - item.keys()
    assert item["id"] == str(lesson.pk)
    assert item["title"] == lesson.title
    assert isinstance(item["subtitle"], str)
    assert item["steps"] == ["Greet", "Order"]
    assert item["current_step"] == current_step
    assert item["level"] == "A2"
    assert isinstance(item["objective"], str) and item["objective"]
    assert item["target_grammar"] == ["Polite requests: Could I have …?"]
    assert item["target_vocabulary"] == ["latte"]
    assert is_list_of(str, item["target_vocabulary"])


def test_the_first_backends_client_flow_still_works(lesson):
    client = APIClient()
    email, name, password = "siti@example.com", "Siti", "correct horse battery"

    signup = client.post(
        "/api/auth/signup", {"email": email, "password": password, "name": name}, format="json"
    )
    assert signup.status_code == 201, signup.json()
    assert_auth_response(signup.json(), email, name)

    login = client.post("/api/auth/login", {"email": email, "password": password}, format="json")
    assert login.status_code == 200, login.json()
    assert_auth_response(login.json(), email, name)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access_token']}")

    profile = client.get("/api/user/profile")
    assert profile.status_code == 200
    body = profile.json()
    assert body.keys() >= PROFILE_KEYS, PROFILE_KEYS - body.keys()
    assert (body["email"], body["name"], body["level"]) == (email, name, "B1")
    assert (body["goal"], body["explanation_language"]) == ("daily_conversation", "id")
    assert is_list_of(str, body["common_issues"])

    patched = client.patch("/api/user/profile", {"level": "B2"}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json().keys() >= PROFILE_KEYS
    assert patched.json()["level"] == "B2"
    assert client.get("/api/user/profile").json()["level"] == "B2"

    started = client.post("/api/session/start", {"mode": "live_conversation"}, format="json")
    assert started.status_code == 201, started.json()
    body = started.json()
    assert body.keys() >= START_KEYS, START_KEYS - body.keys()
    assert is_uuid(body["session_id"])
    assert isinstance(body["initial_prompt"], str) and body["initial_prompt"]
    assert body["initial_audio_url"] is None or isinstance(body["initial_audio_url"], str)
    assert (body["lesson_step"], body["lesson_title"], body["total_steps"]) == (None, None, None)
    live_session = body["session_id"]

    turns = {}
    for mode in ("live", "guided", "pronunciation"):
        turn = client.post(
            "/api/session/turn",
            {"user_text": "I go to the office yesterday", "mode": mode},
            format="json",
        )
        assert turn.status_code == 200, (mode, turn.json())
        assert_turn_response(turn.json())
        turns[mode] = turn.json()
    # Without session_id a turn joins the latest open session of its mode.
    assert turns["live"]["session_id"] == live_session
    assert len({turn["session_id"] for turn in turns.values()}) == 3
    assert turns["live"]["next_step"] is None
    assert turns["pronunciation"]["next_step"] is None
    assert turns["guided"]["next_step"] in {"step_1", "step_2"}

    words = client.get("/api/user/vocabulary")
    assert words.status_code == 200
    assert isinstance(words.json(), list)
    added = client.post(
        "/api/user/vocabulary", {"word": "deadline", "translation": "tenggat"}, format="json"
    )
    assert added.status_code == 201, added.json()
    assert added.json().keys() >= VOCABULARY_KEYS
    words = client.get("/api/user/vocabulary").json()
    assert isinstance(words, list)
    assert "deadline" in [item["word"] for item in words]
    for item in words:
        assert item.keys() >= VOCABULARY_KEYS, VOCABULARY_KEYS - item.keys()
        assert is_uuid(item["id"])
        assert all(isinstance(item[key], str) for key in ("word", "translation", "example"))
        assert item["source"] in {"conversation", "lesson", "manual"}
        assert isinstance(item["strength"], int | float) and 0 <= item["strength"] <= 1
        assert isinstance(item["due"], str)
        assert item["last_reviewed_at"] is None or isinstance(item["last_reviewed_at"], str)

    lessons = client.get("/api/lessons")
    assert lessons.status_code == 200
    assert isinstance(lessons.json(), list)  # a plain list, not a page
    assert len(lessons.json()) == 1
    # This learner's place in the lesson is the step the guided turn left them at.
    current_step = int(turns["guided"]["next_step"].removeprefix("step_"))
    assert_lesson(lessons.json()[0], lesson, current_step)

    one = client.get(f"/api/lessons/{lesson.pk}")
    assert one.status_code == 200
    assert_lesson(one.json(), lesson, current_step)


ANALYZE_KEYS = {"word", "target_sound", "status", "tip_id", "tip_en", "score"}


def test_the_first_backends_pronunciation_analysis_still_answers(alice_api):
    response = alice_api.post("/api/pronunciation/analyze", {"word": "think"}, format="json")

    assert response.status_code == 200
    items = response.json()
    assert isinstance(items, list) and items  # a plain list, not a page
    for item in items:
        assert set(item) == ANALYZE_KEYS
        assert item["word"] == "think"
        assert item["status"] in {"good", "needs_work", "excellent"}
        assert all(isinstance(item[key], str) and item[key] for key in ANALYZE_KEYS - {"score"})
        assert item["score"] is None or isinstance(item["score"], int)
    assert "θ" in [item["target_sound"] for item in items]
