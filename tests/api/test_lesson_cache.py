"""GET /api/lessons and /api/lessons/{id} come from the cached catalogue: no query
for anyone once cached, one for a learner's positions; whoever changes a lesson
(admin, seed_lessons, a shell) is seen on the next read; ETag / Last-Modified
answer conditional requests with a bodiless 304."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.api.test_lessons import GREETING, lesson_url, make_lesson, say, start_guided
from tutor.models import Lesson, LessonStep
from tutor.services import catalogue

pytestmark = pytest.mark.django_db

LESSONS = "/api/lessons"
# The token and its learner, in one query (expired tokens are purged at login).
TOKEN_QUERIES = 1


def titles(client) -> list[str]:
    return [item["title"] for item in client.get(LESSONS).json()]


def change_form(lesson: Lesson, **overrides) -> dict:
    """The admin's change form for `lesson` and its steps, as a browser posts it."""
    steps = list(lesson.steps.order_by("position"))
    data = {
        "title": lesson.title,
        "slug": lesson.slug,
        "subtitle": lesson.subtitle,
        "objective": lesson.objective,
        "level": lesson.level,
        "goal": lesson.goal,
        "target_grammar": "\n".join(lesson.target_grammar),
        "target_vocabulary": "\n".join(
            f"{item['word']} = {item['translation']}" for item in lesson.target_vocabulary
        ),
        "is_published": "on" if lesson.is_published else "",
        "position": str(lesson.position),
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(len(steps)),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for n, step in enumerate(steps):
        data.update(
            {
                f"steps-{n}-id": str(step.pk),
                f"steps-{n}-lesson": str(lesson.pk),
                f"steps-{n}-position": str(step.position),
                f"steps-{n}-title": step.title,
                f"steps-{n}-instruction": step.instruction,
                f"steps-{n}-example_answer": step.example_answer,
                f"steps-{n}-target_phrases": "\n".join(step.target_phrases),
            }
        )
    data.update(overrides)
    return data


def post_change(admin_client, lesson: Lesson, **overrides) -> None:
    url = reverse("admin:tutor_lesson_change", args=[lesson.pk])
    response = admin_client.post(url, change_form(lesson, **overrides))
    assert response.status_code == 302, response.context["errors"] if response.context else ""


# --- Queries -----------------------------------------------------------------


def test_the_cached_list_costs_an_anonymous_reader_no_query(
    anon, lesson, django_assert_num_queries
):
    make_lesson("second")
    with django_assert_num_queries(2):  # the first read fills the cache: lessons, steps
        first = anon.get(LESSONS)
    with django_assert_num_queries(0):
        again = anon.get(LESSONS)

    assert again.status_code == 200
    assert again.json() == first.json()
    assert [item["title"] for item in again.json()] == ["Ordering coffee", "Second"]


def test_a_cached_lesson_costs_an_anonymous_reader_no_query(
    anon, lesson, django_assert_num_queries
):
    anon.get(LESSONS)
    with django_assert_num_queries(0):
        response = anon.get(lesson_url(lesson.pk))

    assert response.status_code == 200
    assert response.json()["steps"] == ["Greet", "Order"]


def test_a_learner_pays_one_query_for_their_positions(alice_api, lesson, django_assert_num_queries):
    session_id = start_guided(alice_api, lesson)
    say(alice_api, session_id, GREETING)
    alice_api.get(LESSONS)

    with django_assert_num_queries(TOKEN_QUERIES + 1):
        listed = alice_api.get(LESSONS).json()
    with django_assert_num_queries(TOKEN_QUERIES + 1):
        detail = alice_api.get(lesson_url(lesson.pk)).json()

    assert (listed[0]["current_step"], listed[0]["completed"]) == (2, False)
    assert (detail["current_step"], detail["completed"]) == (2, False)


def test_learners_never_see_each_others_positions_from_the_cache(alice_api, bob_api, anon, lesson):
    session_id = start_guided(alice_api, lesson)
    say(alice_api, session_id, GREETING)

    assert alice_api.get(LESSONS).json()[0]["current_step"] == 2
    assert bob_api.get(LESSONS).json()[0]["current_step"] == 1
    assert anon.get(lesson_url(lesson.pk)).json()["current_step"] == 1


# --- Invalidation ---------------------------------------------------------------


def test_an_admin_edit_of_a_lesson_is_served_at_once(admin_client, anon, lesson):
    assert titles(anon) == ["Ordering coffee"]

    post_change(admin_client, lesson, title="Ordering tea")

    assert titles(anon) == ["Ordering tea"]
    assert anon.get(lesson_url(lesson.pk)).json()["title"] == "Ordering tea"


def test_an_admin_edit_of_a_step_is_served_at_once(admin_client, anon, lesson):
    assert anon.get(lesson_url(lesson.pk)).json()["steps"] == ["Greet", "Order"]

    post_change(admin_client, lesson, **{"steps-1-title": "Order a drink"})

    assert anon.get(lesson_url(lesson.pk)).json()["steps"] == ["Greet", "Order a drink"]
    assert anon.get(LESSONS).json()[0]["steps"] == ["Greet", "Order a drink"]


def test_a_step_deleted_in_the_admin_disappears(admin_client, anon, lesson):
    assert anon.get(LESSONS).json()[0]["total_steps"] == 2

    post_change(admin_client, lesson, **{"steps-1-DELETE": "on"})

    assert anon.get(LESSONS).json()[0]["steps"] == ["Greet"]


def test_the_unpublish_action_hides_the_lesson_at_once(admin_client, anon, lesson):
    assert titles(anon) == ["Ordering coffee"]

    admin_client.post(
        reverse("admin:tutor_lesson_changelist"),
        {"action": "unpublish", "_selected_action": [lesson.pk]},
    )

    assert titles(anon) == []
    assert anon.get(lesson_url(lesson.pk)).status_code == 404


def test_a_deleted_lesson_disappears(anon, lesson):
    extra = make_lesson("extra")
    assert titles(anon) == ["Extra", "Ordering coffee"]

    extra.delete()

    assert titles(anon) == ["Ordering coffee"]
    assert anon.get(lesson_url(extra.pk)).status_code == 404


def test_writes_from_a_shell_are_seen_too(anon, lesson):
    assert titles(anon) == ["Ordering coffee"]

    lesson.subtitle = "At the counter"
    lesson.save()
    assert anon.get(LESSONS).json()[0]["subtitle"] == "At the counter"
    step = lesson.steps.get(position=1)
    step.title = "Say hello"
    step.save()
    assert anon.get(LESSONS).json()[0]["steps"] == ["Say hello", "Order"]

    Lesson.objects.filter(pk=lesson.pk).update(title="Coffee, please")
    assert titles(anon) == ["Coffee, please"]

    LessonStep.objects.bulk_create(
        [LessonStep(lesson=lesson, position=3, title="Pay", instruction="Pay.")]
    )
    assert anon.get(LESSONS).json()[0]["steps"] == ["Say hello", "Order", "Pay"]


def retitle_behind_django(lesson: Lesson, title: str) -> None:
    """A change no signal or queryset of this process sees (a migration, psql)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Lesson._meta.db_table} SET title = %s WHERE id = %s",
            [title, Lesson._meta.pk.get_db_prep_value(lesson.pk, connection)],
        )


def test_a_change_made_by_another_process_is_seen_on_the_next_read(anon, lesson):
    """Each process keeps its own rendered copy while the shared version is unchanged;
    another process's edit bumps the version (here by hand: this process's signals are
    not involved) and every copy is read afresh."""
    assert titles(anon) == ["Ordering coffee"]
    retitle_behind_django(lesson, "Coffee, please")
    assert titles(anon) == ["Ordering coffee"]  # this process's copy, still current

    cache.set(catalogue.VERSION_KEY, "changed elsewhere", None)

    assert titles(anon) == ["Coffee, please"]


def test_a_copy_is_trusted_for_a_minute_at_most_without_news(anon, lesson):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert titles(anon) == ["Ordering coffee"]
        retitle_behind_django(lesson, "Coffee, please")
        cache.delete(catalogue.CATALOGUE_KEY)  # as when the shared copy expires

        traveller.shift(timedelta(seconds=catalogue.CATALOGUE_SECONDS + 1))

        assert titles(anon) == ["Coffee, please"]


def test_seed_lessons_is_served_at_once(anon):
    assert titles(anon) == []

    call_command("seed_lessons", verbosity=0)

    assert len(titles(anon)) == Lesson.objects.published().count() > 0


def test_seed_lessons_update_is_served_at_once(anon):
    call_command("seed_lessons", verbosity=0)
    first = Lesson.objects.published().first()
    Lesson.objects.filter(pk=first.pk).update(title="Edited by an admin")
    assert "Edited by an admin" in titles(anon)

    call_command("seed_lessons", "--update", verbosity=0)

    assert "Edited by an admin" not in titles(anon)


# --- Conditional requests ---------------------------------------------------------


@pytest.mark.parametrize("path", ["list", "detail"])
def test_an_unchanged_catalogue_answers_304_without_a_body(anon, lesson, path):
    url = LESSONS if path == "list" else lesson_url(lesson.pk)
    first = anon.get(url)
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"]

    by_etag = anon.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = anon.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    for response in (by_etag, by_date):
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == first["ETag"]
        assert "Authorization" in response["Vary"]


def test_a_changed_lesson_answers_200_with_a_new_etag(anon, lesson):
    first = anon.get(lesson_url(lesson.pk))

    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        lesson.title = "Ordering tea"
        lesson.save()
        by_etag = anon.get(lesson_url(lesson.pk), HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = anon.get(lesson_url(lesson.pk), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    for response in (by_etag, by_date):
        assert response.status_code == 200
        assert response.json()["title"] == "Ordering tea"
        assert response["ETag"] != first["ETag"]


def test_a_learners_progress_changes_their_etag(alice_api, lesson):
    session_id = start_guided(alice_api, lesson)
    before = alice_api.get(LESSONS)
    assert before["Cache-Control"] == "no-cache, private"
    assert alice_api.get(LESSONS, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304

    say(alice_api, session_id, GREETING)

    after = alice_api.get(LESSONS, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()[0]["current_step"] == 2
    assert after["ETag"] != before["ETag"]
    detail = alice_api.get(lesson_url(lesson.pk), HTTP_IF_NONE_MATCH=before["ETag"])
    assert detail.status_code == 200


def test_a_learner_does_not_get_304_for_the_anonymous_copy(anon, alice_api, lesson):
    session_id = start_guided(alice_api, lesson)
    say(alice_api, session_id, GREETING)
    public = anon.get(LESSONS)

    response = alice_api.get(
        LESSONS,
        HTTP_IF_NONE_MATCH=public["ETag"],
        HTTP_IF_MODIFIED_SINCE=public["Last-Modified"],
    )

    assert response.status_code == 200
    assert response.json()[0]["current_step"] == 2
