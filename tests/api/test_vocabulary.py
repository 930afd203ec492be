"""The learner's word list: GET/POST /api/user/vocabulary, DELETE /api/user/vocabulary/{id}."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest

from tutor.models import User, VocabularyItem

pytestmark = pytest.mark.django_db

VOCABULARY = "/api/user/vocabulary"
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


def item_url(item_id) -> str:
    return f"{VOCABULARY}/{item_id}"


def add(learner: User, word: str, translation: str, **fields) -> VocabularyItem:
    return VocabularyItem.objects.create(
        learner=learner, word=word, translation=translation, **fields
    )


def test_it_lists_the_learner_s_words_with_their_review_state(alice_api, alice):
    item = add(alice, "office", "kantor", example="I work in an office.")

    response = alice_api.get(VOCABULARY)

    assert response.status_code == 200
    [listed] = response.json()
    assert set(listed) == ITEM_KEYS
    assert listed["id"] == str(item.pk)
    assert (listed["word"], listed["translation"], listed["example"]) == (
        "office",
        "kantor",
        "I work in an office.",
    )
    assert listed["source"] == "manual"
    assert listed["strength"] == 0.0  # never reviewed
    assert datetime.fromisoformat(listed["due"]) == item.due
    assert listed["last_reviewed_at"] is None


@pytest.mark.parametrize(
    ("search", "expected"),
    [("OFF", ["office"]), ("pasar", ["market"]), ("a", ["market", "office"]), ("zz", [])],
)
def test_search_filters_by_word_or_translation(alice_api, alice, search, expected):
    add(alice, "office", "kantor")
    add(alice, "market", "pasar")

    response = alice_api.get(VOCABULARY, {"search": search})

    assert sorted(item["word"] for item in response.json()) == expected


def test_it_adds_a_word_by_hand(alice_api, alice):
    response = alice_api.post(
        VOCABULARY, {"word": " umbrella ", "translation": "payung"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == ITEM_KEYS
    item = VocabularyItem.objects.get(learner=alice)
    assert body["id"] == str(item.pk)
    assert (item.word, item.translation, item.example, item.source) == (
        "umbrella",
        "payung",
        "",
        "manual",
    )
    assert (body["word"], body["source"], body["strength"]) == ("umbrella", "manual", 0.0)


def test_it_keeps_the_source_and_example_given(alice_api, alice):
    response = alice_api.post(
        VOCABULARY,
        {
            "word": "office",
            "translation": "kantor",
            "example": "I work in an office.",
            "source": "conversation",
        },
        format="json",
    )

    assert response.status_code == 201
    item = VocabularyItem.objects.get(learner=alice)
    assert (item.source, item.example) == ("conversation", "I work in an office.")


def test_the_same_word_in_another_case_returns_the_existing_item(alice_api, alice):
    item = add(alice, "office", "kantor")

    response = alice_api.post(
        VOCABULARY, {"word": "Office", "translation": "ruang kerja"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["id"] == str(item.pk)
    assert response.json()["translation"] == "kantor"
    assert VocabularyItem.objects.filter(learner=alice).count() == 1


@pytest.mark.parametrize("word", ["Ärger", "İstanbul", "café"])
def test_the_same_non_ascii_word_again_returns_the_existing_item(alice_api, alice, word):
    # Found a bug: Python's lower() and the database's LOWER() disagree on these.
    first = alice_api.post(VOCABULARY, {"word": word, "translation": "x"}, format="json")
    again = alice_api.post(VOCABULARY, {"word": word, "translation": "y"}, format="json")

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert VocabularyItem.objects.filter(learner=alice).count() == 1


def test_a_word_in_someone_else_s_list_is_added_to_mine(bob_api, alice, bob):
    add(alice, "office", "kantor")

    response = bob_api.post(VOCABULARY, {"word": "office", "translation": "kantor"}, format="json")

    assert response.status_code == 201
    assert VocabularyItem.objects.filter(learner=bob).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"translation": "kantor"}, "word"),
        ({"word": "office"}, "translation"),
        ({"word": "   ", "translation": "kantor"}, "word"),
        ({"word": "x" * 101, "translation": "kantor"}, "word"),
        ({"word": "office", "translation": "kantor", "source": "telepathy"}, "source"),
    ],
    ids=["no-word", "no-translation", "blank-word", "word-too-long", "unknown-source"],
)
def test_it_rejects_invalid_words_naming_the_field(alice_api, alice, body, field):
    response = alice_api.post(VOCABULARY, body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {field}
    assert not VocabularyItem.objects.exists()


def test_a_word_of_100_characters_is_accepted(alice_api):
    response = alice_api.post(VOCABULARY, {"word": "x" * 100, "translation": "t"}, format="json")

    assert response.status_code == 201


def test_it_deletes_a_word(alice_api, alice):
    item = add(alice, "office", "kantor")

    response = alice_api.delete(item_url(item.pk))

    assert response.status_code == 204
    assert not VocabularyItem.objects.filter(pk=item.pk).exists()


def test_deleting_an_unknown_word_is_404(alice_api):
    response = alice_api.delete(item_url(uuid.uuid4()))

    assert response.status_code == 404
    assert "detail" in response.json()


def test_a_learner_cannot_delete_someone_else_s_word(bob_api, alice):
    item = add(alice, "office", "kantor")

    response = bob_api.delete(item_url(item.pk))

    assert response.status_code == 404
    assert VocabularyItem.objects.filter(pk=item.pk).exists()


def test_a_learner_sees_only_their_own_words(bob_api, alice, bob):
    add(alice, "office", "kantor")
    add(bob, "market", "pasar")

    response = bob_api.get(VOCABULARY)

    assert [item["word"] for item in response.json()] == ["market"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", VOCABULARY), ("post", VOCABULARY), ("delete", item_url(uuid.uuid4()))],
)
def test_anonymous_is_401(anon, method, path):
    response = getattr(anon, method)(path, {"word": "office", "translation": "kantor"})

    assert response.status_code == 401
    assert not VocabularyItem.objects.exists()


def test_a_malformed_id_in_a_service_lookup_is_a_404_not_a_500(alice):
    from django.http import Http404

    from tutor.services.vocabulary import get_item_for

    with pytest.raises(Http404):
        get_item_for(alice, "not-a-uuid")
