"""What a learner builds up: vocabulary with its spaced-repetition state,
pronunciation attempts, and the cache of Macca's synthesized speech."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from tutor.text import ONLY_INVISIBLE, clean_text

from .choices import CardState, ReviewRating, VocabularySource, in_choices
from .practice import recording_path
from .users import User


class VocabularyItem(models.Model):
    """A word in a learner's list, with its FSRS card state."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="vocabulary")
    word = models.CharField(max_length=100)
    translation = models.CharField(max_length=200, blank=True)
    example = models.TextField(blank=True)
    source = models.CharField(
        max_length=16, choices=VocabularySource.choices, default=VocabularySource.MANUAL
    )
    due = models.DateTimeField(default=timezone.now)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    state = models.PositiveSmallIntegerField(choices=CardState.choices, default=CardState.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True, default=0)
    last_review = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["word"]
        indexes = [models.Index(fields=["learner", "due"], name="tutor_vocab_due")]
        constraints = [
            models.UniqueConstraint(
                "learner",
                Lower("word"),
                name="tutor_vocab_unique_word_per_learner",
                violation_error_message="This word is already in the learner's list.",
            ),
            models.CheckConstraint(
                condition=in_choices("source", VocabularySource), name="tutor_vocab_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=CardState.values), name="tutor_vocab_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.word} — {self.translation}" if self.translation else self.word

    def clean(self) -> None:
        """Where the admin's edits pass: its words are cleaned as the learner's are
        (tutor.text), and one of only invisible characters is refused."""
        super().clean()
        errors = {}
        for name, multiline in (("word", False), ("translation", False), ("example", True)):
            raw = getattr(self, name)
            cleaned = clean_text(raw, multiline=multiline)
            if raw and not cleaned:
                errors[name] = ONLY_INVISIBLE
            setattr(self, name, cleaned)
        if errors:
            raise ValidationError(errors)


class ReviewLog(models.Model):
    """One flashcard review of a vocabulary item."""

    item = models.ForeignKey(VocabularyItem, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(choices=ReviewRating.choices)
    reviewed_at = models.DateTimeField(default=timezone.now)
    review_duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_at"]
        indexes = [models.Index(fields=["item", "-reviewed_at"], name="tutor_review_by_item")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__in=ReviewRating.values), name="tutor_review_rating_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.word}: {self.get_rating_display()} ({self.reviewed_at:%Y-%m-%d})"


def _score_range(field: str) -> Q:
    return Q(**{f"{field}__gte": 0, f"{field}__lte": 100})


class PronunciationAttempt(models.Model):
    """A learner reading a target aloud, judged from the audio (older attempts, and test
    stand-ins, from what speech recognition heard: `method` says which)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="pronunciation_attempts"
    )
    target_text = models.CharField(max_length=300)
    transcript = models.TextField(blank=True)
    accuracy = models.PositiveSmallIntegerField(help_text="Share of target sounds produced, 0–100.")
    completeness = models.PositiveSmallIntegerField(help_text="Share of target words heard, 0–100.")
    overall = models.PositiveSmallIntegerField(help_text="Weighted mix, 0–100.")
    words = models.JSONField(default=list, blank=True, help_text="Per-word scores and sounds.")
    audio = models.FileField(upload_to=recording_path, blank=True)
    degraded = models.BooleanField(
        default=False,
        help_text="Nothing could judge the reading: the recording is kept, the scores say nothing.",
    )
    method = models.CharField(
        max_length=16,
        default="transcript",
        help_text="acoustic: judged from the sounds in the audio; transcript: from what "
        "speech recognition heard.",
    )
    message = models.CharField(
        max_length=300, blank=True, help_text="Why there was nothing to judge, when so."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["learner", "-created_at"], name="tutor_attempt_by_learner"),
        ]
        constraints = [
            models.CheckConstraint(condition=_score_range(name), name=f"tutor_attempt_{name}_0_100")
            for name in ("accuracy", "completeness", "overall")
        ]

    def __str__(self) -> str:
        return f"“{self.target_text}”: {self.overall}/100"


class SpeechClip(models.Model):
    """Synthesized tutor speech, cached by a keyed hash of (owner, model, voice, speed,
    format, text) so a line is synthesized once: a shared line (no owner) for everyone,
    a personal one (with the learner's name or words) only for its learner."""

    key = models.CharField(
        max_length=64,
        unique=True,
        help_text="HMAC-SHA256 of owner, model, voice, speed, format, text.",
    )
    owner = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="speech_clips",
        help_text="The learner this line speaks to; empty for a line shared by everyone.",
    )
    model_id = models.CharField(max_length=200)
    voice = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    slow = models.BooleanField(default=False, help_text="The slow variant, for a replay.")
    audio = models.FileField(upload_to="speech/")
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-last_used_at"]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 60 else f"{self.text[:57]}…"
        return f"{self.model_id}: {text}"
