"""The learner's word list: adding words by hand, and how well each is known."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Lower
from django.http import Http404

from tutor.models import User, VocabularyItem, VocabularySource
from tutor.services import review


def strength(item: VocabularyItem, now: datetime) -> float:
    """Today's recall probability (0..1); 0 before its first review. Scheduled
    by the one FSRS scheduler in review.py, so the retention setting applies."""
    return review.strength(item, now)


def get_item_for(learner: User, item_id: uuid.UUID | str) -> VocabularyItem:
    """The learner's own item; someone else's answers 404, like a missing one."""
    try:
        return VocabularyItem.objects.get(pk=item_id, learner=learner)
    except (VocabularyItem.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("No such word in your list.") from None


def word_list(learner: User, *, query: str = "") -> QuerySet[VocabularyItem]:
    """The learner's words, alphabetically regardless of case (`word_lower`, the order
    of the unique index on (learner, LOWER(word)), which serves it), with the id as a
    tie-breaker; with `query`, only those whose word or translation contains it."""
    items = VocabularyItem.objects.filter(learner=learner).annotate(word_lower=Lower("word"))
    if query:
        items = items.filter(Q(word__icontains=query) | Q(translation__icontains=query))
    return items.order_by("word_lower", "id")


def find_word(learner: User, word: str) -> VocabularyItem | None:
    """Case-insensitively, as the database's unique constraint compares: its LOWER()
    on both sides (SQLite's folds only ASCII, Python's str.lower() folds more)."""
    return (
        VocabularyItem.objects.alias(word_lower=Lower("word"))
        .filter(learner=learner, word_lower=Lower(Value(word.strip())))
        .first()
    )


def add_word(
    *,
    learner: User,
    word: str,
    translation: str,
    example: str = "",
    source: str = VocabularySource.MANUAL,
) -> tuple[VocabularyItem, bool]:
    """(item, created). The same word again, in any case, gives the existing item."""
    existing = find_word(learner, word)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            item = VocabularyItem.objects.create(
                learner=learner,
                word=word.strip(),
                translation=translation.strip(),
                example=example.strip(),
                source=source,
            )
    except IntegrityError:  # added by a concurrent request a moment ago
        return find_word(learner, word), False
    return item, True
