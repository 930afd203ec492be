"""The lesson pages: published lessons with each learner's progress, and one
lesson's objective, steps, words and the link that starts it."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tutor.models import Lesson, LessonStep, Mode, PracticeSession

pytestmark = pytest.mark.django_db


def guided_session(learner, lesson, *, step: int, completed: bool = False) -> PracticeSession:
    return PracticeSession.objects.create(
        learner=learner,
        mode=Mode.GUIDED_LESSON,
        lesson=lesson,
        current_step=step,
        lesson_completed_at=timezone.now() if completed else None,
    )


def add_lesson(slug: str, *, published: bool = True, steps: int = 2, position: int = 1) -> Lesson:
    lesson = Lesson.objects.create(
        slug=slug,
        title=f"Lesson {slug}",
        objective="Do something useful.",
        level="B1",
        position=position,
        is_published=published,
    )
    LessonStep.objects.bulk_create(
        LessonStep(lesson=lesson, position=n, title=f"Step {n}", instruction="Talk.")
        for n in range(1, steps + 1)
    )
    return lesson


def test_visitors_see_the_published_lessons(client, lesson):
    add_lesson("hidden-draft", published=False)

    response = client.get("/lessons/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ordering coffee" in html
    assert "A2" in html
    assert "2 steps" in html
    assert f'href="/lessons/{lesson.id}/"' in html
    assert "Lesson hidden-draft" not in html
    assert "to start a lesson and keep track of your progress" in html


def test_a_lesson_without_steps_is_not_listed(client, lesson):
    add_lesson("empty", steps=0)

    assert "Lesson empty" not in client.get("/lessons/").content.decode()


def test_a_learner_sees_a_lesson_not_started_yet(client, alice, lesson):
    client.force_login(alice)

    html = client.get("/lessons/").content.decode()

    assert "Not started yet" in html
    assert 'aria-current="page"' in html  # the Lessons navigation item


def test_a_learner_sees_where_they_are_in_a_lesson(client, alice, lesson):
    guided_session(alice, lesson, step=2)
    client.force_login(alice)

    html = client.get("/lessons/").content.decode()

    assert "In progress: step 2 of 2" in html


def test_a_completed_lesson_says_so(client, alice, lesson):
    guided_session(alice, lesson, step=2, completed=True)
    client.force_login(alice)

    assert "Completed" in client.get("/lessons/").content.decode()


def test_progress_is_each_learners_own(client, alice, bob, lesson):
    guided_session(bob, lesson, step=2, completed=True)
    client.force_login(alice)

    html = client.get("/lessons/").content.decode()

    assert "Not started yet" in html
    assert "Completed" not in html


def test_the_lesson_list_costs_a_fixed_number_of_queries(client, alice, lesson):
    guided_session(alice, lesson, step=1)
    client.force_login(alice)
    client.get("/lessons/")  # warm up the session

    with CaptureQueriesContext(connection) as few:
        client.get("/lessons/")
    for n in range(5):
        other = add_lesson(f"more-{n}", steps=3, position=n + 2)
        guided_session(alice, other, step=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/lessons/")

    assert response.content.decode().count('class="lesson-card"') == 6
    assert len(many) == len(few)


def test_the_detail_shows_objective_steps_grammar_words_and_the_start_link(client, lesson):
    response = client.get(f"/lessons/{lesson.id}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Ordering coffee</h1>" in html
    assert "Order a drink politely." in html
    assert html.index("Greet") < html.index("Order a latte.")
    assert "Say hello." in html
    assert "Polite requests: Could I have …?" in html
    assert "latte" in html
    assert "kopi susu" in html
    assert f'href="/practice/?mode=guided&amp;lesson={lesson.id}"' in html
    assert "Start the lesson" in html


def test_the_detail_marks_the_learners_current_step(client, alice, lesson):
    guided_session(alice, lesson, step=2)
    client.force_login(alice)

    html = client.get(f"/lessons/{lesson.id}/").content.decode()

    assert "In progress: step 2 of 2" in html
    current = html[html.index('aria-current="step"') :]
    assert "Order" in current[: current.index("</li>")]
    assert "Continue the lesson" in html


def test_an_unpublished_lesson_is_not_found(client, alice):
    draft = add_lesson("draft", published=False)
    client.force_login(alice)

    assert client.get(f"/lessons/{draft.id}/").status_code == 404


def test_an_unknown_lesson_is_not_found(client):
    assert client.get(f"/lessons/{uuid.uuid4()}/").status_code == 404


def test_a_lesson_without_steps_is_not_found(client):
    empty = add_lesson("no-steps", steps=0)

    assert client.get(f"/lessons/{empty.id}/").status_code == 404
