"""Loading curated lessons (the demo content, or any file of the same shape)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from tutor.models import Lesson, LessonStep

DEMO_LESSONS = Path(__file__).resolve().parent.parent / "fixtures" / "lessons.json"

LESSON_FIELDS = (
    "title",
    "subtitle",
    "objective",
    "level",
    "goal",
    "position",
    "target_grammar",
    "target_vocabulary",
)
STEP_FIELDS = ("title", "instruction", "example_answer", "target_phrases")


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class LessonFileError(ValueError):
    """The lesson file cannot be loaded; the message says where and why."""


def read_lesson_file(path: Path = DEMO_LESSONS) -> list[dict]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        lessons = data["lessons"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LessonFileError(f"{path}: not a lesson file ({exc})") from exc
    if not isinstance(lessons, list):
        raise LessonFileError(f"{path}: 'lessons' must be a list")
    return lessons


def _build(entry: dict, lesson: Lesson | None = None) -> tuple[Lesson, list[LessonStep]]:
    """Make (unsaved) model instances from one entry, validated like the admin does."""
    slug = entry.get("slug", "?")
    try:
        lesson = lesson or Lesson(slug=slug)
        for field in LESSON_FIELDS:
            if field in entry:
                setattr(lesson, field, entry[field])
        lesson.is_published = entry.get("is_published", True)
        lesson.full_clean(validate_unique=False)
        steps = [
            LessonStep(position=position, **{f: step.get(f, "") for f in STEP_FIELDS})
            for position, step in enumerate(entry["steps"], start=1)
        ]
        if not steps:
            raise ValidationError({"steps": "A lesson needs at least one step."})
        for step in steps:
            step.target_phrases = step.target_phrases or []
            step.full_clean(exclude=["lesson"], validate_unique=False)
    except (ValidationError, KeyError, TypeError) as exc:
        detail = exc.message_dict if isinstance(exc, ValidationError) else repr(exc)
        raise LessonFileError(f"lesson {slug!r}: {detail}") from exc
    return lesson, steps


def _differs(lesson: Lesson, entry: dict) -> bool:
    current = {f: getattr(lesson, f) for f in LESSON_FIELDS}
    current["is_published"] = lesson.is_published
    current["steps"] = [
        {f: getattr(s, f) for f in STEP_FIELDS} for s in lesson.steps.order_by("position")
    ]
    wanted = {f: entry.get(f) for f in LESSON_FIELDS}
    wanted["is_published"] = entry.get("is_published", True)
    wanted["steps"] = [
        {f: s.get(f, [] if f == "target_phrases" else "") for f in STEP_FIELDS}
        for s in entry["steps"]
    ]
    return current != wanted


@transaction.atomic
def seed_lessons(entries: list[dict], *, update: bool = False) -> SeedResult:
    """Create the lessons that are missing (matched by slug). Lessons already
    there keep an admin's edits, unless `update` rewrites them from the file."""
    result = SeedResult()
    existing = {
        lesson.slug: lesson
        for lesson in Lesson.objects.filter(slug__in=[e.get("slug") for e in entries])
    }
    new_lessons, new_steps = [], []
    for entry in entries:
        current = existing.get(entry.get("slug"))
        if current is None:
            lesson, steps = _build(entry)
            new_lessons.append(lesson)
            for step in steps:
                step.lesson = lesson
            new_steps.extend(steps)
        elif update and _differs(current, entry):
            lesson, steps = _build(entry, current)
            lesson.save()
            # Steps are referenced by position, never by id: replace them whole.
            lesson.steps.all().delete()
            for step in steps:
                step.lesson = lesson
            LessonStep.objects.bulk_create(steps)
            result.updated += 1
        else:
            _build(entry)  # still validate the file
            result.unchanged += 1
    Lesson.objects.bulk_create(new_lessons)
    LessonStep.objects.bulk_create(new_steps)
    result.created = len(new_lessons)
    return result
