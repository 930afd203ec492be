"""GET /api/user/vocabulary in pages: a plain list of at most `limit` words,
alphabetically, with the next page's URL in an RFC 8288 `Link` header."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import add_words
from tutor.models import VocabularyItem

pytestmark = pytest.mark.django_db

VOCABULARY = "/api/user/vocabulary"
NEXT = re.compile(r'^<(?P<url>[^>]+)>; rel="next"$')


def next_url(response) -> str | None:
    """The URL of the `Link: <…>; rel="next"` header, or None without one."""
    if "Link" not in response.headers:
        return None
    match = NEXT.match(response.headers["Link"])
    assert match, response.headers["Link"]
    return match["url"]


def pages(api, path: str, params: dict | None = None) -> list:
    """Every page of the list, following the Link headers from `path`."""
    responses = [api.get(path, params)]
    while (url := next_url(responses[-1])) is not None:
        assert url.startswith("http://testserver/api/user/vocabulary?")
        responses.append(api.get(url.removeprefix("http://testserver")))
        assert len(responses) < 50, "the Link headers go round in circles"
    return responses


def words(response) -> list[str]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert isinstance(body, list)  # the first backend's plain list, no envelope
    return [item["word"] for item in body]


def test_250_words_come_in_3_pages_each_word_once_in_order(alice_api, alice):
    add_words(alice, 250)

    responses = pages(alice_api, VOCABULARY, {"limit": 100})

    assert [len(words(r)) for r in responses] == [100, 100, 50]
    listed = [word for r in responses for word in words(r)]
    assert listed == [f"word{n:04d}" for n in range(250)]
    assert [next_url(r) is not None for r in responses] == [True, True, False]


def test_the_next_link_is_absolute_and_keeps_the_search_and_the_limit(alice_api, alice):
    add_words(alice, 30)

    response = alice_api.get(VOCABULARY, {"q": "WORD001", "limit": 4})

    assert words(response) == ["word0010", "word0011", "word0012", "word0013"]
    url = urlsplit(next_url(response))
    assert (url.scheme, url.netloc, url.path) == ("http", "testserver", VOCABULARY)
    params = parse_qs(url.query)
    assert params["q"] == ["WORD001"]
    assert params["limit"] == ["4"]
    assert params["cursor"][0]


def test_the_default_page_is_100_words(alice_api, alice):
    add_words(alice, 101)

    response = alice_api.get(VOCABULARY)

    assert len(words(response)) == 100
    assert parse_qs(urlsplit(next_url(response)).query)["limit"] == ["100"]
    assert words(alice_api.get(next_url(response))) == ["word0100"]


def test_a_list_that_fits_one_page_has_no_link(alice_api, alice):
    add_words(alice, 3)

    response = alice_api.get(VOCABULARY, {"limit": 3})

    assert len(words(response)) == 3
    assert "Link" not in response.headers


def test_a_page_of_500_words_is_allowed(alice_api, alice):
    add_words(alice, 501)

    response = alice_api.get(VOCABULARY, {"limit": 500})

    assert len(words(response)) == 500
    assert next_url(response) is not None


@pytest.mark.parametrize("limit", ["501", "0", "-1", "ten", "", "1.5"])
def test_a_bad_limit_is_a_400_naming_it(alice_api, alice, limit):
    add_words(alice, 3)

    response = alice_api.get(VOCABULARY, {"limit": limit})

    assert response.status_code == 400
    assert list(response.json()) == ["limit"]


def test_the_search_is_case_insensitive_and_pages_too(alice_api, alice):
    for n in range(5):
        VocabularyItem.objects.create(learner=alice, word=f"Coffee {n}", translation="kopi")
        VocabularyItem.objects.create(learner=alice, word=f"tea {n}", translation="teh")

    responses = pages(alice_api, VOCABULARY, {"q": "cOFFEE", "limit": 2})

    assert [words(r) for r in responses] == [
        ["Coffee 0", "Coffee 1"],
        ["Coffee 2", "Coffee 3"],
        ["Coffee 4"],
    ]


def test_the_order_ignores_case(alice_api, alice):
    for word in ("banana", "Apple", "cherry", "apricot"):
        VocabularyItem.objects.create(learner=alice, word=word, translation="buah")

    responses = pages(alice_api, VOCABULARY, {"limit": 1})

    assert [w for r in responses for w in words(r)] == ["Apple", "apricot", "banana", "cherry"]


def test_a_search_over_100_characters_is_a_400_naming_it(alice_api):
    response = alice_api.get(VOCABULARY, {"q": "a" * 101})

    assert response.status_code == 400
    assert list(response.json()) == ["q"]


def test_the_search_is_cleaned_like_other_text(alice_api, alice):
    VocabularyItem.objects.create(learner=alice, word="office", translation="kantor")
    VocabularyItem.objects.create(learner=alice, word="market", translation="pasar")

    response = alice_api.get(VOCABULARY, {"q": "off\u200bice"})  # a zero-width space

    assert words(response) == ["office"]


def test_another_learner_s_words_never_appear_on_any_page(alice_api, bob_api, alice, bob):
    add_words(alice, 7)
    VocabularyItem.objects.bulk_create(
        VocabularyItem(learner=bob, word=f"word{n:04d}b", translation="bob's") for n in range(7)
    )

    alice_pages = pages(alice_api, VOCABULARY, {"limit": 3})
    # Bob following Alice's cursors sees his own words from that place, never hers.
    bob_page = bob_api.get(next_url(alice_pages[0]).removeprefix("http://testserver"))

    assert [w for r in alice_pages for w in words(r)] == [f"word{n:04d}" for n in range(7)]
    assert words(bob_page) == ["word0002b", "word0003b", "word0004b"]


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64!",
        "%%%",
        base64.b64encode(b"o=ten").decode(),
        base64.b64encode(b"p=a\x00b").decode(),  # PostgreSQL refuses NUL in a string
        "A" * 2000,
    ],
)
def test_a_tampered_cursor_is_a_400_naming_it(alice_api, alice, cursor):
    add_words(alice, 3)

    response = alice_api.get(VOCABULARY, {"cursor": cursor})

    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_a_page_costs_the_same_queries_for_10_or_1000_words(
    alice_api, bob_api, alice, bob, django_assert_max_num_queries
):
    add_words(alice, 10)
    add_words(bob, 1000)
    alice_api.get(VOCABULARY)  # warm: knox's first-use bookkeeping

    with django_assert_max_num_queries(4) as few:
        assert len(words(alice_api.get(VOCABULARY))) == 10
    with django_assert_max_num_queries(len(few)) as many:
        first = bob_api.get(VOCABULARY)
        assert len(words(first)) == 100
    with django_assert_max_num_queries(len(few)):
        assert len(words(bob_api.get(next_url(first)))) == 100
    assert len(many) == len(few)


def test_options_describes_the_list_without_reading_a_page(alice_api):
    """OPTIONS, even with a cursor no list gave, is the API's description, not a 500."""
    response = alice_api.options("/api/user/vocabulary?cursor=" + "0" * 1200 + "&limit=100")

    assert response.status_code == 200
    assert "word" in response.json()["actions"]["POST"]
