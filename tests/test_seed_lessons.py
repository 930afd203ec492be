"""`seed_lessons` loads Macca's demo lessons, and is safe to run again."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from tutor.models import Lesson, LessonStep

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[list, list]:
    lessons = list(Lesson.objects.order_by("slug").values())
    for row in lessons:
        row.pop("updated_at")
    steps = list(LessonStep.objects.order_by("lesson__slug", "position").values())
    return lessons, steps


def test_seeding_twice_gives_the_same_rows(capsys):
    call_command("seed_lessons")
    first = snapshot()
    call_command("seed_lessons")
    assert snapshot() == first
    out = capsys.readouterr().out
    assert "Lessons: 8 created, 0 updated, 0 unchanged." in out
    assert "Lessons: 0 created, 0 updated, 8 unchanged." in out


def test_the_demo_lessons_cover_real_situations_from_a2_to_b2():
    call_command("seed_lessons", verbosity=0)
    lessons = list(Lesson.objects.published().prefetch_related("steps"))
    assert len(lessons) >= 8
    assert {lesson.level for lesson in lessons} == {"A2", "B1", "B2"}
    titles = " ".join(f"{lesson.title} {lesson.subtitle}".lower() for lesson in lessons)
    for topic in (
        "interview",
        "restaurant",
        "airport",
        "small talk",
        "abroad",
        "phone",
        "past",
        "directions",
    ):
        assert topic in titles, topic
    for lesson in lessons:
        assert 3 <= len(lesson.steps.all()) <= 5, lesson.slug
        assert [s.position for s in lesson.steps.all()] == list(
            range(1, len(lesson.steps.all()) + 1)
        )
        assert all(s.instruction and s.example_answer for s in lesson.steps.all()), lesson.slug
        assert lesson.objective and lesson.target_grammar, lesson.slug
        assert lesson.target_vocabulary, lesson.slug
        assert all(item["translation"] for item in lesson.target_vocabulary), lesson.slug


def test_it_keeps_an_admins_edits_unless_asked_to_update(capsys):
    call_command("seed_lessons", verbosity=0)
    lesson = Lesson.objects.order_by("position").first()
    original_title = lesson.title
    lesson.title = "Edited by an admin"
    lesson.save(update_fields=["title"])
    lesson.steps.filter(position=1).delete()

    call_command("seed_lessons", verbosity=0)
    lesson.refresh_from_db()
    assert lesson.title == "Edited by an admin"

    call_command("seed_lessons", "--update")
    lesson.refresh_from_db()
    assert lesson.title == original_title
    assert lesson.steps.filter(position=1).exists()
    assert "Lessons: 0 created, 1 updated, 7 unchanged." in capsys.readouterr().out


def test_it_names_the_lesson_and_field_that_is_wrong_and_saves_nothing(tmp_path):
    good = {
        "slug": "good",
        "title": "Good",
        "objective": "Fine.",
        "level": "A2",
        "goal": "study",
        "steps": [{"title": "One", "instruction": "Say hi."}],
    }
    bad = {**good, "slug": "bad-level", "level": "Z9"}
    path = tmp_path / "lessons.json"
    path.write_text(json.dumps({"lessons": [good, bad]}))
    with pytest.raises(CommandError, match=r"bad-level.*level"):
        call_command("seed_lessons", "--file", str(path))
    assert not Lesson.objects.exists()


def test_it_rejects_a_file_that_is_not_a_lesson_file(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text("[1, 2")
    with pytest.raises(CommandError, match="not a lesson file"):
        call_command("seed_lessons", "--file", str(path))
