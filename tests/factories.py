"""Test data in bulk, shared by the tests that need a lot of it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tutor.models import User, VocabularyItem


def add_words(learner: User, count: int) -> None:
    """`count` words in the learner's list; half of them reviewed (their strength
    comes from FSRS state), due over the coming week (some today)."""
    now = timezone.now()
    VocabularyItem.objects.bulk_create(
        VocabularyItem(
            learner=learner,
            word=f"word{n:04d}",
            translation=f"kata {n}",
            stability=3.0 if n % 2 else None,
            difficulty=5.0 if n % 2 else None,
            state=2 if n % 2 else 1,
            last_review=now - timedelta(days=1) if n % 2 else None,
            due=now + timedelta(days=n % 7),
        )
        for n in range(count)
    )
