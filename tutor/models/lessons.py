"""Guided lessons, curated by admins in the admin site."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .choices import Goal, Level, in_choices


class CatalogueQuerySet(models.QuerySet):
    """Bulk writes send no signals, so these forget the cached lesson catalogue
    themselves (saves and deletes do it through signals: tutor/apps.py)."""

    def update(self, **kwargs) -> int:
        rows = super().update(**kwargs)
        _forget_catalogue()
        return rows

    def bulk_create(self, *args, **kwargs) -> list:
        created = super().bulk_create(*args, **kwargs)
        _forget_catalogue()
        return created

    def bulk_update(self, *args, **kwargs) -> int:
        rows = super().bulk_update(*args, **kwargs)
        _forget_catalogue()
        return rows


def _forget_catalogue() -> None:
    from tutor.services.catalogue import forget_catalogue

    forget_catalogue()


class LessonQuerySet(CatalogueQuerySet):
    def published(self) -> LessonQuerySet:
        return self.filter(is_published=True)


class Lesson(models.Model):
    """A guided lesson, curated by admins: an objective practised in ordered steps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Short stable name, e.g. job-interview-basics."
    )
    title = models.CharField(max_length=120)
    subtitle = models.CharField(max_length=200, blank=True)
    objective = models.TextField(help_text="What the learner can do after this lesson.")
    level = models.CharField(max_length=2, choices=Level.choices, default=Level.B1)
    goal = models.CharField(max_length=32, choices=Goal.choices, default=Goal.DAILY_CONVERSATION)
    target_grammar = models.JSONField(
        default=list, blank=True, help_text="Grammar points practised, e.g. “past simple”."
    )
    target_vocabulary = models.JSONField(
        default=list,
        blank=True,
        help_text="Words practised, each {word, translation} (translation in Indonesian).",
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Lessons are listed by this number, lowest first."
    )
    is_published = models.BooleanField(
        "published", default=False, help_text="Only published lessons are shown to learners."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        indexes = [models.Index(fields=["is_published", "position"], name="tutor_lesson_listing")]
        constraints = [
            models.CheckConstraint(
                condition=in_choices("level", Level), name="tutor_lesson_level_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("goal", Goal), name="tutor_lesson_goal_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.level})"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if not _is_list_of_strings(self.target_grammar):
            errors["target_grammar"] = "Give a list of grammar points (text)."
        if not isinstance(self.target_vocabulary, list) or not all(
            isinstance(item, dict)
            and set(item) == {"word", "translation"}
            and all(isinstance(v, str) and v.strip() for v in item.values())
            for item in self.target_vocabulary
        ):
            errors["target_vocabulary"] = "Give a list of words, each with a translation."
        if errors:
            raise ValidationError(errors)

    @property
    def vocabulary_words(self) -> list[str]:
        return [item["word"] for item in self.target_vocabulary]


class LessonStep(models.Model):
    """One step of a lesson: what Macca asks, and what a good answer looks like."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(help_text="1 for the first step, 2 for the next…")
    title = models.CharField(max_length=120)
    instruction = models.TextField(help_text="What Macca says to open this step.")
    example_answer = models.TextField(blank=True, help_text="A model answer at the lesson's level.")
    target_phrases = models.JSONField(
        default=list, blank=True, help_text="Useful phrases for this step."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["lesson", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "position"],
                name="tutor_lessonstep_unique_position",
                violation_error_message="Two steps of a lesson cannot share a position.",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="tutor_lessonstep_position_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def clean(self) -> None:
        super().clean()
        if not _is_list_of_strings(self.target_phrases):
            raise ValidationError({"target_phrases": "Give a list of phrases (text)."})


def _is_list_of_strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
