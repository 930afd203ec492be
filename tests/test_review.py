from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from fsrs import Rating, State

from tutor.models import CardState, ReviewLog, ReviewRating, VocabularyItem
from tutor.services.review import (
    answer_review,
    card_for,
    is_learned,
    next_review_message,
    rating_from,
    review_queue,
    scheduler,
    strength,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def word(learner, text: str, *, created_at: datetime = NOW, **fields) -> VocabularyItem:
    return VocabularyItem.objects.create(
        learner=learner, word=text, created_at=created_at, **{"due": created_at, **fields}
    )


def reviewed(learner, text: str, *, due: datetime, created_at: datetime = NOW) -> VocabularyItem:
    """A word answered once before, now scheduled for `due`."""
    return word(
        learner,
        text,
        created_at=created_at,
        due=due,
        stability=3.0,
        difficulty=5.0,
        state=CardState.REVIEW,
        step=None,
        last_review=due - timedelta(days=3),
    )


def interval_after(learner, text: str, *ratings: Rating) -> timedelta:
    """Answer a new word with `ratings`, each when it falls due; the last interval."""
    item = word(learner, text)
    at = NOW
    for rating in ratings:
        answer_review(item=item, rating=rating, now=at)
        interval, at = item.due - at, item.due
    return interval


# --- Scheduling --------------------------------------------------------------


def test_a_new_word_is_a_new_card(alice):
    card = card_for(word(alice, "queue"))

    assert card.state == State.Learning
    assert card.step == 0
    assert card.stability is None
    assert card.difficulty is None
    assert card.last_review is None


def test_a_good_answer_brings_a_new_word_back_later_than_again(alice):
    assert interval_after(alice, "good", Rating.Good) > interval_after(alice, "again", Rating.Again)


def test_an_easy_answer_brings_a_new_word_back_later_than_good(alice):
    assert interval_after(alice, "easy", Rating.Easy) > interval_after(alice, "good", Rating.Good)


def test_the_same_answer_at_the_same_time_schedules_the_same_due_date(alice):
    first = interval_after(alice, "first", Rating.Good, Rating.Good, Rating.Good)
    second = interval_after(alice, "second", Rating.Good, Rating.Good, Rating.Good)

    assert first == second  # no fuzzing


def test_the_card_survives_a_round_trip_through_the_database(alice):
    item = word(alice, "sturdy")
    answer_review(item=item, rating=Rating.Good, now=NOW)
    answer_review(item=item, rating=Rating.Good, now=NOW + timedelta(minutes=10))
    before = card_for(item)

    after = card_for(VocabularyItem.objects.get(pk=item.pk))

    assert after.state == before.state == State.Review
    assert after.step is None
    assert after.stability == before.stability
    assert after.difficulty == before.difficulty
    assert after.due == before.due
    assert after.last_review == before.last_review == NOW + timedelta(minutes=10)


def test_each_answer_is_logged_with_its_rating_and_time(alice):
    item = word(alice, "ledger")

    first = answer_review(item=item, rating=Rating.Again, now=NOW, duration_ms=4200)
    answer_review(item=item, rating=Rating.Good, now=NOW + timedelta(minutes=1))

    logs = ReviewLog.objects.filter(item=item).order_by("reviewed_at")
    assert [(log.rating, log.reviewed_at) for log in logs] == [
        (ReviewRating.AGAIN, NOW),
        (ReviewRating.GOOD, NOW + timedelta(minutes=1)),
    ]
    assert first.log == logs[0]
    assert logs[0].review_duration_ms == 4200
    assert logs[1].review_duration_ms is None


def test_good_answers_make_a_word_learned_with_growing_intervals(alice):
    item = word(alice, "steady")
    at, intervals = NOW, []

    answer_review(item=item, rating=Rating.Good, now=at)
    assert not is_learned(item)  # one learning step to go

    for _ in range(4):
        at = item.due
        answer_review(item=item, rating=Rating.Good, now=at)
        intervals.append(item.due - at)

    assert is_learned(VocabularyItem.objects.get(pk=item.pk))
    assert intervals == sorted(intervals)
    assert len(set(intervals)) == len(intervals)
    assert intervals[0] >= timedelta(days=1)


def test_a_forgotten_word_goes_back_to_relearning(alice):
    item = word(alice, "slippery")
    answer_review(item=item, rating=Rating.Easy, now=NOW)
    assert is_learned(item)

    answer_review(item=item, rating=Rating.Again, now=item.due)

    assert item.state == CardState.RELEARNING
    assert not is_learned(item)


def test_an_answer_builds_on_the_stored_card_not_a_stale_copy(alice):
    item = word(alice, "fresh")
    stale = VocabularyItem.objects.get(pk=item.pk)
    answer_review(item=item, rating=Rating.Good, now=NOW)

    outcome = answer_review(item=stale, rating=Rating.Good, now=NOW + timedelta(minutes=10))

    assert outcome.item is stale
    assert stale.state == CardState.REVIEW  # the second learning step, not the first again


def test_the_answer_time_defaults_to_now(alice):
    item = word(alice, "today")

    with time_machine.travel(NOW, tick=False):
        outcome = answer_review(item=item, rating=Rating.Good)

    assert outcome.log.reviewed_at == NOW
    assert item.last_review == NOW


def test_a_naive_answer_time_is_refused(alice):
    item = word(alice, "naive")

    with pytest.raises(ValueError, match="timezone-aware"):
        answer_review(item=item, rating=Rating.Good, now=datetime(2026, 3, 2, 9, 0))
    assert not ReviewLog.objects.exists()


def test_a_higher_desired_retention_schedules_shorter_intervals(alice, settings):
    settings.FSRS_DESIRED_RETENTION = 0.9
    relaxed = interval_after(alice, "relaxed", Rating.Good, Rating.Good, Rating.Good)
    settings.FSRS_DESIRED_RETENTION = 0.97
    strict = interval_after(alice, "strict", Rating.Good, Rating.Good, Rating.Good)

    assert scheduler().desired_retention == 0.97
    assert timedelta(days=1) <= strict < relaxed


# --- Ratings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "rating"),
    [("again", Rating.Again), ("hard", Rating.Hard), ("good", Rating.Good), ("Easy", Rating.Easy)],
)
def test_a_rating_is_read_from_its_name(name, rating):
    assert rating_from(rating=name) == rating


def test_a_correct_answer_is_good_and_a_wrong_one_is_again():
    assert rating_from(correct=True) == Rating.Good
    assert rating_from(correct=False) == Rating.Again


@pytest.mark.parametrize(
    "kwargs",
    [{"rating": "perfect"}, {"rating": ""}, {}, {"rating": "good", "correct": True}],
    ids=["unknown", "empty", "neither", "both"],
)
def test_a_missing_or_unknown_rating_is_refused(kwargs):
    with pytest.raises(ValueError):
        rating_from(**kwargs)


# --- Strength ----------------------------------------------------------------


def test_a_new_word_has_no_strength(alice):
    assert strength(word(alice, "unseen"), NOW) == 0.0


def test_strength_is_high_right_after_a_review_and_fades_with_the_days(alice):
    item = word(alice, "fade")
    with time_machine.travel(NOW, tick=False):
        answer_review(item=item, rating=Rating.Good)
        answer_review(item=item, rating=Rating.Good)
    item = VocabularyItem.objects.get(pk=item.pk)

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        fresh = strength(item, datetime.now(UTC))
    with time_machine.travel(NOW + timedelta(days=30), tick=False):
        faded = strength(item, datetime.now(UTC))

    assert fresh >= 0.99
    assert 0 < faded < 0.8
    assert faded == round(faded, 3)


# --- Messages ----------------------------------------------------------------


def test_the_message_says_when_a_word_comes_back(alice):
    again = answer_review(item=word(alice, "soon"), rating=Rating.Again, now=NOW)
    good = answer_review(item=word(alice, "later"), rating=Rating.Good, now=NOW)
    easy = answer_review(item=word(alice, "much later"), rating=Rating.Easy, now=NOW)

    assert again.message == "See you again in 1 minute."
    assert good.message == "See you again in 10 minutes."
    assert easy.message == "Next review in 8 days."


@pytest.mark.parametrize(
    ("interval", "message"),
    [
        (timedelta(minutes=5, seconds=30), "See you again in 6 minutes."),
        (timedelta(hours=1), "See you again in 1 hour."),
        (timedelta(hours=5), "See you again in 5 hours."),
        (timedelta(days=1), "Next review tomorrow."),
        (timedelta(days=3), "Next review in 3 days."),
    ],
)
def test_the_message_rounds_the_interval_to_a_readable_unit(interval, message):
    assert next_review_message(interval) == message


# --- The queue ---------------------------------------------------------------


def test_the_queue_puts_due_words_before_new_ones(alice):
    new = word(alice, "new", created_at=NOW - timedelta(days=9))
    due = reviewed(alice, "due", due=NOW - timedelta(hours=1))

    assert review_queue(alice, now=NOW) == [due, new]


def test_the_queue_puts_the_longest_overdue_word_first(alice):
    yesterday = reviewed(alice, "yesterday", due=NOW - timedelta(days=1))
    last_week = reviewed(alice, "last week", due=NOW - timedelta(days=7))
    just_now = reviewed(alice, "just now", due=NOW)

    assert review_queue(alice, now=NOW) == [last_week, yesterday, just_now]


def test_the_queue_puts_the_oldest_new_word_first(alice):
    newer = word(alice, "newer", created_at=NOW - timedelta(days=1))
    older = word(alice, "older", created_at=NOW - timedelta(days=2))

    assert review_queue(alice, now=NOW) == [older, newer]


def test_the_queue_leaves_out_words_not_yet_due(alice):
    reviewed(alice, "tomorrow", due=NOW + timedelta(days=1))

    assert review_queue(alice, now=NOW) == []


def test_the_queue_defaults_to_now(alice):
    due = reviewed(alice, "due", due=NOW - timedelta(minutes=1))
    reviewed(alice, "not yet", due=NOW + timedelta(minutes=1))

    with time_machine.travel(NOW, tick=False):
        assert review_queue(alice) == [due]


def test_the_queue_respects_the_limit(alice):
    for n in range(3):
        reviewed(alice, f"due {n}", due=NOW - timedelta(days=n + 1))
        word(alice, f"new {n}")

    assert len(review_queue(alice, now=NOW)) == 5
    assert len(review_queue(alice, limit=2, now=NOW)) == 2
    four = [item.word for item in review_queue(alice, limit=4, now=NOW)]
    assert four[:3] == ["due 2", "due 1", "due 0"]
    assert four[3].startswith("new")


@pytest.mark.parametrize("limit", [0, -1])
def test_the_queue_refuses_a_limit_below_one(alice, limit):
    with pytest.raises(ValueError):
        review_queue(alice, limit=limit, now=NOW)


def test_the_queue_hides_other_learners_words(alice, bob):
    reviewed(bob, "bob's due", due=NOW - timedelta(days=1))
    word(bob, "bob's new")
    mine = word(alice, "mine")

    assert review_queue(alice, now=NOW) == [mine]


def test_the_queue_takes_at_most_two_queries(alice, django_assert_max_num_queries):
    for n in range(4):
        reviewed(alice, f"due {n}", due=NOW - timedelta(days=n + 1))
        word(alice, f"new {n}")

    with django_assert_max_num_queries(2):
        assert len(review_queue(alice, limit=6, now=NOW)) == 6
    with django_assert_max_num_queries(1):  # the due words fill it
        assert len(review_queue(alice, limit=3, now=NOW)) == 3
