"""GET /api/lessons and /api/lessons/{id}: published lessons for anyone, and for a
learner, where they are in each one."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tutor.models import Lesson, LessonStep, Mode, PracticeSession

pytestmark = pytest.mark.django_db

LESSONS = "/api/lessons"
LESSON_KEYS = {
    "id",
    "title",
    "subtitle",
    "level",
    "goal",
    "objective",
    "steps",
    "total_steps",
    "current_step",
    "completed",
    "target_grammar",
    "target_vocabulary",
    "vocabulary",
}
# With the mock coach, six correct words complete a step, and the lesson's word completes it too.
GREETING = "Hello, my name is Alice and I am happy to be here today."
ORDER = "Could I have a latte, please?"


def lesson_url(lesson_id) -> str:
    return f"{LESSONS}/{lesson_id}"


def make_lesson(slug: str, *, published: bool = True, steps: int = 2) -> Lesson:
    lesson = Lesson.objects.create(
        slug=slug, title=slug.title(), objective="Practise.", is_published=published
    )
    LessonStep.objects.bulk_create(
        LessonStep(lesson=lesson, position=n, title=f"Step {n}", instruction="Talk.")
        for n in range(1, steps + 1)
    )
    return lesson


def start_guided(client, lesson: Lesson) -> str:
    response = client.post(
        "/api/session/start", {"mode": "guided", "lesson_id": str(lesson.pk)}, format="json"
    )
    assert response.status_code == 201
    return response.json()["session_id"]


def say(client, session_id: str, text: str) -> dict:
    response = client.post(
        "/api/session/turn", {"session_id": session_id, "user_text": text}, format="json"
    )
    assert response.status_code == 200
    return response.json()


def test_anyone_can_read_a_published_lesson(anon, lesson):
    response = anon.get(lesson_url(lesson.pk))

    assert response.status_code == 200
    assert response.json() == {
        "id": str(lesson.pk),
        "title": "Ordering coffee",
        "subtitle": "",
        "level": "A2",
        "goal": "daily_conversation",
        "objective": "Order a drink politely.",
        "steps": ["Greet", "Order"],
        "total_steps": 2,
        "current_step": 1,
        "completed": False,
        "target_grammar": ["Polite requests: Could I have …?"],
        "target_vocabulary": ["latte"],
        "vocabulary": [{"word": "latte", "translation": "kopi susu"}],
    }


def test_the_list_has_only_published_lessons_with_steps(anon, lesson):
    hidden = make_lesson("draft", published=False)
    empty = make_lesson("no-steps-yet", steps=0)

    response = anon.get(LESSONS)

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body] == [str(lesson.pk)]
    assert set(body[0]) == LESSON_KEYS
    assert str(hidden.pk) not in response.content.decode()
    assert str(empty.pk) not in response.content.decode()


def test_steps_are_listed_by_title_in_order(anon):
    lesson = Lesson.objects.create(
        slug="trip", title="Trip", objective="Travel.", is_published=True
    )
    LessonStep.objects.create(lesson=lesson, position=2, title="Second", instruction=".")
    LessonStep.objects.create(lesson=lesson, position=1, title="First", instruction=".")
    LessonStep.objects.create(lesson=lesson, position=3, title="Third", instruction=".")

    body = anon.get(lesson_url(lesson.pk)).json()

    assert body["steps"] == ["First", "Second", "Third"]
    assert body["total_steps"] == 3


@pytest.mark.parametrize("kind", ["unpublished", "without-steps", "unknown"])
def test_an_unpublished_empty_or_unknown_lesson_is_404(anon, kind):
    lesson_id = {
        "unpublished": lambda: make_lesson("draft", published=False).pk,
        "without-steps": lambda: make_lesson("empty", steps=0).pk,
        "unknown": uuid.uuid4,
    }[kind]()

    response = anon.get(lesson_url(lesson_id))

    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_list_runs_the_same_queries_however_many_lessons(anon, lesson):
    with CaptureQueriesContext(connection) as one:
        anon.get(LESSONS)
    make_lesson("second")
    make_lesson("third")

    with CaptureQueriesContext(connection) as three:
        assert len(anon.get(LESSONS).json()) == 3

    assert len(three) == len(one)


def test_a_learner_sees_the_step_they_reached(alice_api, lesson):
    session_id = start_guided(alice_api, lesson)
    assert say(alice_api, session_id, GREETING)["lesson_step"] == 2

    for body in (alice_api.get(lesson_url(lesson.pk)).json(), alice_api.get(LESSONS).json()[0]):
        assert (body["current_step"], body["completed"]) == (2, False)


def test_a_learner_who_finished_the_lesson_sees_it_completed(alice_api, lesson):
    session_id = start_guided(alice_api, lesson)
    say(alice_api, session_id, GREETING)
    say(alice_api, session_id, ORDER)

    body = alice_api.get(lesson_url(lesson.pk)).json()

    assert body["completed"] is True


def test_a_completed_lesson_stays_completed_when_the_learner_starts_it_again(
    alice_api, alice, lesson
):
    PracticeSession.objects.create(
        learner=alice,
        mode=Mode.GUIDED_LESSON,
        lesson=lesson,
        current_step=2,
        lesson_completed_at=timezone.now(),
    )
    start_guided(alice_api, lesson)

    body = alice_api.get(lesson_url(lesson.pk)).json()

    assert (body["current_step"], body["completed"]) == (1, True)


def test_a_learner_s_position_is_their_own(alice_api, bob_api, lesson):
    say(alice_api, start_guided(alice_api, lesson), GREETING)

    body = bob_api.get(lesson_url(lesson.pk)).json()

    assert (body["current_step"], body["completed"]) == (1, False)


def test_an_invalid_bearer_token_is_401_even_on_this_public_endpoint(anon, lesson):
    """A client sending a stale token learns it must log in again, rather than silently
    seeing lessons as an anonymous visitor."""
    anon.credentials(HTTP_AUTHORIZATION="Bearer expired-or-revoked")

    response = anon.get(LESSONS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
