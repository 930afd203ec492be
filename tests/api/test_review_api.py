"""Vocabulary review over the API: POST /api/user/vocabulary/review/next (what to
review now) and POST /api/user/vocabulary/review/answer (how well the learner
recalled a word; FSRS schedules the next review)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tutor.models import CardState, ReviewLog, ReviewRating, User, VocabularyItem

pytestmark = pytest.mark.django_db

NEXT = "/api/user/vocabulary/review/next"
ANSWER = "/api/user/vocabulary/review/answer"
PROGRESS = "/api/user/progress"
ITEM_KEYS = {
    "id",
    "word",
    "translation",
    "example",
    "source",
    "strength",
    "due",
    "last_reviewed_at",
}


@pytest.fixture
def now(time_machine) -> datetime:
    """The clock stands still, so due dates and messages are exact."""
    moment = timezone.now().replace(microsecond=0)
    time_machine.move_to(moment, tick=False)
    return moment


def new_word(learner: User, word: str, translation: str = "", **fields) -> VocabularyItem:
    """A word never reviewed: it waits in the queue as a new card."""
    return VocabularyItem.objects.create(
        learner=learner, word=word, translation=translation, **fields
    )


def reviewed_word(learner: User, word: str, *, due: datetime) -> VocabularyItem:
    """A word answered before, now scheduled for `due`."""
    return VocabularyItem.objects.create(
        learner=learner,
        word=word,
        translation="",
        due=due,
        stability=3.0,
        difficulty=5.0,
        state=CardState.REVIEW,
        step=None,
        last_review=due - timedelta(days=3),
    )


def next_words(client, **params) -> list[str]:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    response = client.post(f"{NEXT}?{query}" if query else NEXT)
    assert response.status_code == 200, response.content
    return [item["word"] for item in response.json()["items"]]


def answer(client, item_id, **body):
    return client.post(ANSWER, {"vocabulary_id": str(item_id), **body}, format="json")


# --- What to review next ----------------------------------------------------------------


def test_next_answers_with_items_in_the_vocabulary_item_shape(alice_api, alice, now):
    item = new_word(alice, "office", "kantor", example="I work in an office.")

    response = alice_api.post(NEXT)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items"}
    [listed] = body["items"]
    assert set(listed) == ITEM_KEYS
    assert listed["id"] == str(item.pk)
    assert (listed["word"], listed["translation"], listed["example"]) == (
        "office",
        "kantor",
        "I work in an office.",
    )
    assert listed["source"] == "manual"
    assert listed["strength"] == 0.0
    assert datetime.fromisoformat(listed["due"]) == item.due
    assert listed["last_reviewed_at"] is None


def test_due_words_come_before_new_ones_the_most_overdue_first(alice_api, alice, now):
    new_word(alice, "apple")
    reviewed_word(alice, "office", due=now - timedelta(days=1))
    reviewed_word(alice, "market", due=now - timedelta(days=3))
    reviewed_word(alice, "bridge", due=now - timedelta(minutes=5))

    assert next_words(alice_api, limit=10) == ["market", "office", "bridge", "apple"]


def test_words_not_yet_due_are_left_out(alice_api, alice, now):
    reviewed_word(alice, "office", due=now + timedelta(hours=1))
    reviewed_word(alice, "market", due=now + timedelta(days=2))
    reviewed_word(alice, "bridge", due=now)

    assert next_words(alice_api, limit=10) == ["bridge"]


def test_a_word_answered_just_now_comes_back_when_it_is_due(alice_api, alice, now, time_machine):
    item = new_word(alice, "office")
    assert answer(alice_api, item.pk, rating="good").status_code == 200

    assert next_words(alice_api) == []

    time_machine.shift(timedelta(minutes=10))
    assert next_words(alice_api) == ["office"]


def test_it_offers_at_most_five_words_by_default(alice_api, alice, now):
    for n in range(7):
        new_word(alice, f"word{n}", created_at=now - timedelta(minutes=10 - n))

    response = alice_api.post(NEXT)

    assert [item["word"] for item in response.json()["items"]] == [
        "word0",
        "word1",
        "word2",
        "word3",
        "word4",
    ]


@pytest.mark.parametrize("limit", [1, 2, 50])
def test_it_offers_no_more_words_than_the_limit(alice_api, alice, now, limit):
    for n in range(3):
        reviewed_word(alice, f"due{n}", due=now - timedelta(days=n + 1))
    for n in range(60):
        new_word(alice, f"new{n:02}", created_at=now - timedelta(minutes=100 - n))

    words = next_words(alice_api, limit=limit)

    assert len(words) == min(limit, 63)
    assert words[:3] == ["due2", "due1", "due0"][:limit]


@pytest.mark.parametrize("limit", ["0", "51", "-1", "abc", "2.5", ""])
def test_it_refuses_a_limit_outside_1_to_50(alice_api, alice, limit):
    new_word(alice, "office")

    response = alice_api.post(f"{NEXT}?limit={limit}")

    assert response.status_code == 400
    assert "limit" in response.json()


def test_next_offers_only_the_learner_s_own_words(alice_api, bob_api, alice, bob, now):
    new_word(alice, "office")
    reviewed_word(alice, "market", due=now - timedelta(days=1))
    new_word(bob, "umbrella")
    reviewed_word(bob, "bridge", due=now - timedelta(days=5))

    assert next_words(alice_api, limit=10) == ["market", "office"]
    assert next_words(bob_api, limit=10) == ["bridge", "umbrella"]


def test_next_with_an_empty_list_offers_nothing(alice_api):
    response = alice_api.post(NEXT)

    assert response.status_code == 200
    assert response.json() == {"items": []}


# --- Answering a flashcard --------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "stored", "interval", "message"),
    [
        ("again", ReviewRating.AGAIN, timedelta(minutes=1), "See you again in 1 minute."),
        (
            "hard",
            ReviewRating.HARD,
            timedelta(minutes=5, seconds=30),
            "See you again in 6 minutes.",
        ),
        ("good", ReviewRating.GOOD, timedelta(minutes=10), "See you again in 10 minutes."),
        ("easy", ReviewRating.EASY, timedelta(days=8), "Next review in 8 days."),
    ],
)
def test_an_answer_schedules_the_word_and_says_when_it_comes_back(
    alice_api, alice, now, rating, stored, interval, message
):
    item = new_word(alice, "office", "kantor")

    response = answer(alice_api, item.pk, rating=rating)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"item", "message"}
    assert set(body["item"]) == ITEM_KEYS
    assert body["item"]["id"] == str(item.pk)
    assert body["message"] == message
    assert datetime.fromisoformat(body["item"]["due"]) == now + interval
    assert datetime.fromisoformat(body["item"]["last_reviewed_at"]) == now
    assert body["item"]["strength"] > 0
    item.refresh_from_db()
    assert item.due == now + interval
    assert item.last_review == now
    [log] = ReviewLog.objects.filter(item=item)
    assert (log.rating, log.reviewed_at) == (stored, now)


def test_good_brings_a_word_back_later_than_again(alice_api, alice, now):
    forgotten = new_word(alice, "office")
    recalled = new_word(alice, "market")

    again = answer(alice_api, forgotten.pk, rating="again").json()["item"]
    good = answer(alice_api, recalled.pk, rating="good").json()["item"]

    assert datetime.fromisoformat(good["due"]) > datetime.fromisoformat(again["due"]) > now


@pytest.mark.parametrize(("correct", "rating"), [(True, "good"), (False, "again")])
def test_a_right_or_wrong_answer_counts_as_good_or_again(alice_api, alice, now, correct, rating):
    by_correct = new_word(alice, "office")
    by_rating = new_word(alice, "market")

    first = answer(alice_api, by_correct.pk, correct=correct)
    second = answer(alice_api, by_rating.pk, rating=rating)

    assert first.status_code == second.status_code == 200
    assert first.json()["item"]["due"] == second.json()["item"]["due"]
    assert first.json()["message"] == second.json()["message"]
    assert (
        ReviewLog.objects.get(item=by_correct).rating
        == ReviewLog.objects.get(item=by_rating).rating
    )


def test_the_answer_time_is_logged_with_its_duration(alice_api, alice, now):
    item = new_word(alice, "office")

    answer(alice_api, item.pk, rating="good", duration_ms=4200)

    log = ReviewLog.objects.get(item=item)
    assert log.review_duration_ms == 4200


def test_a_word_gets_stronger_after_a_review(alice_api, alice, now):
    item = new_word(alice, "office")
    before = alice_api.get("/api/user/vocabulary").json()[0]["strength"]

    answer(alice_api, item.pk, rating="good")

    after = alice_api.get("/api/user/vocabulary").json()[0]
    assert before == 0.0
    assert after["strength"] > 0
    assert datetime.fromisoformat(after["last_reviewed_at"]) == now


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "rating"),
        ({"rating": None, "correct": None}, "rating"),
        ({"rating": "good", "correct": True}, "rating"),
        ({"rating": "again", "correct": False}, "rating"),
        ({"rating": "great"}, "rating"),
        ({"correct": "maybe"}, "correct"),
        ({"rating": "good", "duration_ms": -1}, "duration_ms"),
    ],
)
def test_it_refuses_an_answer_without_exactly_one_valid_rating(alice_api, alice, body, field):
    item = new_word(alice, "office")

    response = answer(alice_api, item.pk, **body)

    assert response.status_code == 400
    assert field in response.json()
    assert not ReviewLog.objects.exists()


@pytest.mark.parametrize("vocabulary_id", ["not-a-uuid", "", "42", None])
def test_it_refuses_a_malformed_vocabulary_id(alice_api, alice, vocabulary_id):
    new_word(alice, "office")

    response = alice_api.post(
        ANSWER, {"vocabulary_id": vocabulary_id, "rating": "good"}, format="json"
    )

    assert response.status_code == 400
    assert "vocabulary_id" in response.json()
    assert not ReviewLog.objects.exists()


def test_it_refuses_an_answer_without_a_vocabulary_id(alice_api):
    response = alice_api.post(ANSWER, {"rating": "good"}, format="json")

    assert response.status_code == 400
    assert "vocabulary_id" in response.json()


def test_an_unknown_word_is_not_found(alice_api, alice):
    new_word(alice, "office")

    response = answer(alice_api, uuid.uuid4(), rating="good")

    assert response.status_code == 404
    assert "detail" in response.json()
    assert not ReviewLog.objects.exists()


def test_a_learner_cannot_review_another_learner_s_word(alice_api, bob_api, alice, now):
    item = new_word(alice, "office")
    before = VocabularyItem.objects.values().get(pk=item.pk)

    response = answer(bob_api, item.pk, rating="easy")

    assert response.status_code == 404
    assert response.json() == answer(bob_api, uuid.uuid4(), rating="easy").json()
    assert VocabularyItem.objects.values().get(pk=item.pk) == before
    assert not ReviewLog.objects.exists()


@pytest.mark.parametrize("path", [NEXT, ANSWER])
def test_review_needs_a_signed_in_learner(anon, alice, path):
    item = new_word(alice, "office")

    response = anon.post(path, {"vocabulary_id": str(item.pk), "rating": "good"}, format="json")

    assert response.status_code == 401
    assert "detail" in response.json()
    assert not ReviewLog.objects.exists()


# --- Progress ---------------------------------------------------------------------------


def test_a_word_answered_easy_counts_as_learned(alice_api, alice, now):
    item = new_word(alice, "office")
    new_word(alice, "market")  # saved, never reviewed: not learned
    assert alice_api.get(PROGRESS).json()["vocabulary_learned"] == 0

    answer(alice_api, item.pk, rating="easy")

    item.refresh_from_db()
    assert item.state == CardState.REVIEW
    assert alice_api.get(PROGRESS).json()["vocabulary_learned"] == 1


def test_a_word_answered_good_twice_when_due_counts_as_learned(alice_api, alice, now, time_machine):
    item = new_word(alice, "office")

    first = answer(alice_api, item.pk, rating="good").json()
    assert first["message"] == "See you again in 10 minutes."
    assert alice_api.get(PROGRESS).json()["vocabulary_learned"] == 0  # still learning

    time_machine.shift(timedelta(minutes=10))
    second = answer(alice_api, item.pk, rating="good").json()

    assert second["message"].startswith("Next review")
    item.refresh_from_db()
    assert item.state == CardState.REVIEW
    assert alice_api.get(PROGRESS).json()["vocabulary_learned"] == 1


def test_another_learner_s_learned_words_do_not_count(alice_api, bob_api, bob, now):
    item = new_word(bob, "office")

    answer(bob_api, item.pk, rating="easy")

    assert alice_api.get(PROGRESS).json()["vocabulary_learned"] == 0
    assert bob_api.get(PROGRESS).json()["vocabulary_learned"] == 1
