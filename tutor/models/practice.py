"""Practice sessions, their turns, and the feedback each learner turn received."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .choices import FeedbackKind, Mode, Role, in_choices
from .lessons import Lesson
from .users import User


def recording_path(instance: models.Model, filename: str) -> str:
    """Learner audio is personal: it lives under a private prefix, per learner,
    and is only ever served to its owner by an authenticated view."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    learner_id = instance.session.learner_id if isinstance(instance, Turn) else instance.learner_id
    return f"private/recordings/{learner_id}/{uuid.uuid4().hex}{suffix}"


class PracticeSession(models.Model):
    """A conversation between a learner and Macca in one mode."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="practice_sessions")
    mode = models.CharField(max_length=32, choices=Mode.choices)
    topic = models.CharField(max_length=200, blank=True)
    lesson = models.ForeignKey(
        Lesson, on_delete=models.PROTECT, null=True, blank=True, related_name="practice_sessions"
    )
    current_step = models.PositiveIntegerField(
        null=True, blank=True, help_text="Guided lessons: the step being practised (1-based)."
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    lesson_completed_at = models.DateTimeField(
        null=True, blank=True, help_text="Guided lessons: when the learner met the last step."
    )
    summary = models.TextField(blank=True)
    last_turn_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its latest turn was written: an open session lasts until then.",
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["learner", "-started_at"], name="tutor_session_by_learner"),
            models.Index(fields=["learner", "mode", "ended_at"], name="tutor_session_open_by_mode"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=in_choices("mode", Mode), name="tutor_session_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode=Mode.GUIDED_LESSON, lesson__isnull=False, current_step__gte=1)
                | (~Q(mode=Mode.GUIDED_LESSON) & Q(lesson__isnull=True, current_step__isnull=True)),
                name="tutor_session_lesson_iff_guided",
                violation_error_message="A guided lesson session needs a lesson and a step; "
                "other modes have neither.",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="tutor_session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        what = self.lesson.title if self.lesson_id else (self.topic or self.get_mode_display())
        return f"{self.get_mode_display()}: {what} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def duration(self) -> timedelta | None:
        return self.ended_at - self.started_at if self.ended_at else None


class Turn(models.Model):
    """One utterance in a session. Positions are gapless from 1 within a session."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(PracticeSession, on_delete=models.CASCADE, related_name="turns")
    position = models.PositiveIntegerField()
    role = models.CharField(max_length=16, choices=Role.choices)
    text = models.TextField()
    transcript = models.TextField(blank=True, help_text="What speech recognition heard.")
    audio = models.FileField(
        upload_to=recording_path, blank=True, help_text="The learner's own recording (private)."
    )
    speech = models.ForeignKey(
        "SpeechClip",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Macca's spoken reply.",
    )
    structured = models.JSONField(
        null=True, blank=True, help_text="The tutor's raw structured reply (MaccaJsonResponse)."
    )
    degraded = models.BooleanField(
        default=False, help_text="A provider failed and a fallback answered."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"], name="tutor_turn_unique_position"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="tutor_turn_position_gte_1"),
            models.CheckConstraint(
                condition=in_choices("role", Role), name="tutor_turn_role_valid"
            ),
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 60 else f"{self.text[:57]}…"
        return f"#{self.position} {self.get_role_display()}: {text}"


class FeedbackIssue(models.Model):
    """One piece of feedback on a learner turn; counted for "most common issues"."""

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="feedback_issues")
    session = models.ForeignKey(
        PracticeSession, on_delete=models.CASCADE, related_name="feedback_issues"
    )
    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="feedback_issues")
    kind = models.CharField(max_length=16, choices=FeedbackKind.choices)
    code = models.SlugField(max_length=64, help_text="e.g. past_tense, article, th_sound.")
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["learner", "code", "-created_at"], name="tutor_issue_by_code"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=in_choices("kind", FeedbackKind), name="tutor_issue_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.code}"
