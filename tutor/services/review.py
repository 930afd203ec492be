"""Vocabulary review: the FSRS scheduler, answering a flashcard, and which
words to review next. The item's columns are the FSRS card; this module is
the only place that turns one into the other."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from fsrs import Card, Rating, Scheduler, State

from tutor.models import CardState, ReviewLog, User, VocabularyItem

RATINGS = {
    "again": Rating.Again,
    "hard": Rating.Hard,
    "good": Rating.Good,
    "easy": Rating.Easy,
}

_CARD_FIELDS = ["due", "stability", "difficulty", "state", "step", "last_review"]


def scheduler() -> Scheduler:
    """The scheduler for the configured retention. Fuzzing is off so a review's
    due date is deterministic (and testable)."""
    return _scheduler_for(float(getattr(settings, "FSRS_DESIRED_RETENTION", 0.9)))


@functools.cache
def _scheduler_for(desired_retention: float) -> Scheduler:
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


def _utc(moment: datetime | None) -> datetime | None:
    """fsrs insists on tzinfo == datetime.UTC; the database may hand back another UTC."""
    if moment is None:
        return None
    if timezone.is_naive(moment):
        raise ValueError("A review time must be timezone-aware.")
    return moment.astimezone(UTC)


def card_for(item: VocabularyItem) -> Card:
    """The item's FSRS card. The id is the item's creation time in ms: stable, and
    passing one keeps Card() from sleeping a millisecond to invent its own."""
    return Card(
        card_id=int(item.created_at.timestamp() * 1000),
        state=State(item.state),
        step=item.step,
        stability=item.stability,
        difficulty=item.difficulty,
        due=_utc(item.due),
        last_review=_utc(item.last_review),
    )


def store_card(item: VocabularyItem, card: Card) -> None:
    """Copy the card onto the item's columns; the caller saves."""
    item.due = card.due
    item.stability = card.stability
    item.difficulty = card.difficulty
    item.state = CardState(card.state.value)
    item.step = card.step
    item.last_review = card.last_review


def strength(item: VocabularyItem, now: datetime) -> float:
    """Today's recall probability (0..1); 0 before the first review, since
    nothing is known about the word yet."""
    if item.stability is None or item.last_review is None:
        return 0.0
    return round(scheduler().get_card_retrievability(card_for(item), _utc(now)), 3)


def is_learned(item: VocabularyItem) -> bool:
    """Reviewed to a stable state: past the learning steps, scheduled in days."""
    return item.state == CardState.REVIEW


def rating_from(*, rating: str | None = None, correct: bool | None = None) -> Rating:
    """A rating from the learner's button ("again" … "easy") or a right/wrong
    answer. A forgotten word is Again, never Hard: Hard means recalled with effort."""
    if rating is not None and correct is not None:
        raise ValueError("Give a rating or whether the answer was correct, not both.")
    if rating is not None:
        try:
            return RATINGS[rating.strip().lower()]
        except KeyError:
            raise ValueError(
                f"Unknown rating {rating!r}; expected one of {', '.join(RATINGS)}."
            ) from None
    if correct is not None:
        return Rating.Good if correct else Rating.Again
    raise ValueError("Give a rating or whether the answer was correct.")


@dataclass
class ReviewOutcome:
    item: VocabularyItem
    log: ReviewLog
    message: str


def answer_review(
    *,
    item: VocabularyItem,
    rating: Rating,
    now: datetime | None = None,
    duration_ms: int | None = None,
) -> ReviewOutcome:
    """Review the word at `now` and schedule it. The row is locked and re-read
    first, so two answers at once are applied one after the other, not one lost.
    `item` itself is refreshed and updated in place."""
    now = _utc(now or timezone.now())
    rating = Rating(int(rating))
    with transaction.atomic():
        item.refresh_from_db(from_queryset=VocabularyItem.objects.select_for_update())
        card, _ = scheduler().review_card(card_for(item), rating, review_datetime=now)
        store_card(item, card)
        item.save(update_fields=_CARD_FIELDS)
        log = ReviewLog.objects.create(
            item=item, rating=int(rating), reviewed_at=now, review_duration_ms=duration_ms
        )
    return ReviewOutcome(item=item, log=log, message=next_review_message(card.due - now))


def next_review_message(interval: timedelta) -> str:
    """When the word comes back, in words a learner reads at a glance (in the
    active language: the page's, or the API client's Accept-Language)."""
    seconds = interval.total_seconds()
    if seconds < 3600:
        n = max(1, round(seconds / 60))
        return ngettext("See you again in %(n)d minute.", "See you again in %(n)d minutes.", n) % {
            "n": n
        }
    if seconds < 86400:
        n = max(1, round(seconds / 3600))
        return ngettext("See you again in %(n)d hour.", "See you again in %(n)d hours.", n) % {
            "n": n
        }
    days = max(1, round(seconds / 86400))
    if days == 1:
        return gettext("Next review tomorrow.")
    return ngettext("Next review in %(n)d day.", "Next review in %(n)d days.", days) % {"n": days}


def review_queue(
    learner: User, *, limit: int = 5, now: datetime | None = None
) -> list[VocabularyItem]:
    """What to review next: words due again (the longest overdue first), then
    words never reviewed (the oldest first); at most `limit`, in two queries."""
    if limit < 1:
        raise ValueError("limit must be at least 1.")
    now = now or timezone.now()
    mine = VocabularyItem.objects.filter(learner=learner)
    due = list(
        mine.filter(last_review__isnull=False, due__lte=now).order_by("due", "created_at")[:limit]
    )
    if len(due) == limit:
        return due
    new = mine.filter(last_review__isnull=True).order_by("created_at", "word")[: limit - len(due)]
    return due + list(new)
