"""Counters the progress figures read instead of every turn and every feedback issue.

Written by `tutor.services.activity` in the same transaction as the rows they count, so
they are as true as those rows; they hold nothing the turns and issues do not (a recount
rebuilds them), which is why they need no admin of their own."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import models

from .choices import FeedbackKind, in_choices
from .users import User

QUARTER_SECONDS = 15 * 60


class TurnTally(models.Model):
    """A learner's turns in one UTC quarter-hour. Every time zone in use today is offset
    from UTC by whole quarter-hours, so a quarter never straddles a local midnight: the
    learner's practice days are these rows grouped by their local date, in whatever zone
    the learner has chosen when the figures are read. The quarter is a number, so the
    databases group by local day with integer arithmetic (`tutor.services.progress`)."""

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    quarter = models.PositiveIntegerField(
        help_text="Quarter-hours since 1970-01-01 00:00 UTC: its start is quarter × 900 s."
    )
    turns = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "quarter"], name="tutor_turntally_one_per_quarter"
            ),
        ]

    def __str__(self) -> str:
        start = datetime.fromtimestamp(self.quarter * QUARTER_SECONDS, tz=UTC)
        return f"{self.turns} turns from {start:%Y-%m-%d %H:%M} UTC"


class IssueTally(models.Model):
    """How often a learner got feedback of one kind and code (grammar and pronunciation
    only: vocabulary feedback teaches words, it counts no mistake), and when last."""

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=FeedbackKind.choices)
    code = models.SlugField(max_length=64)
    times = models.PositiveIntegerField()
    last_seen = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "kind", "code"], name="tutor_issuetally_one_per_code"
            ),
            models.CheckConstraint(
                condition=in_choices("kind", FeedbackKind), name="tutor_issuetally_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} × {self.times}"
