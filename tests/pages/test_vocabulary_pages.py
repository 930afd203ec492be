"""The vocabulary pages: the learner's list with search, add and delete (plain
forms), and the flashcard review page that the FSRS endpoints drive."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import add_words
from tutor.models import VocabularyItem, VocabularySource
from tutor.services.review import RATINGS, answer_review

pytestmark = pytest.mark.django_db


def word(learner, text: str, translation: str = "", **fields) -> VocabularyItem:
    return VocabularyItem.objects.create(
        learner=learner, word=text, translation=translation or f"{text} (id)", **fields
    )


@pytest.mark.parametrize("path", ["/vocabulary/", "/vocabulary/review/"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={path}"


def test_the_list_shows_each_word_with_its_details(client, alice):
    word(alice, "office", "kantor", example="I work in an office.")
    reviewed = word(alice, "apple", "apel", source=VocabularySource.LESSON)
    answer_review(item=reviewed, rating=RATINGS["good"])
    client.force_login(alice)

    response = client.get("/vocabulary/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "office" in html and "kantor" in html
    assert "I work in an office." in html
    assert "Added by you" in html
    assert "From a lesson" in html
    assert "0% · New: not reviewed yet" in html
    assert "100% · Strong" in html
    assert "Due now" in html
    assert html.index("apple") < html.index("office")  # alphabetical


def test_the_list_has_the_search_box_and_the_add_form(client, alice):
    client.force_login(alice)

    html = client.get("/vocabulary/").content.decode()

    assert 'type="search"' in html and 'name="q"' in html
    for field in ("word", "translation", "example"):
        assert f'name="{field}"' in html


def test_the_list_shows_only_the_learners_own_words(client, alice, bob):
    word(alice, "office")
    word(bob, "secret")
    client.force_login(alice)

    html = client.get("/vocabulary/").content.decode()

    assert "office" in html
    assert "secret" not in html


def test_search_filters_by_word_or_translation(client, alice):
    word(alice, "office", "kantor")
    word(alice, "kitchen", "dapur")
    word(alice, "weather", "cuaca")
    client.force_login(alice)

    by_word = client.get("/vocabulary/", {"q": "KITCH"}).content.decode()
    by_translation = client.get("/vocabulary/", {"q": "kantor"}).content.decode()
    nothing = client.get("/vocabulary/", {"q": "zzz"}).content.decode()

    assert "kitchen" in by_word and "office" not in by_word and "weather" not in by_word
    assert "office" in by_translation and "kitchen" not in by_translation
    assert "No words match" in nothing
    assert 'value="KITCH"' in by_word


def test_adding_a_word_puts_it_in_the_list(client, alice):
    client.force_login(alice)

    response = client.post(
        "/vocabulary/",
        {
            "action": "add",
            "word": " borrow ",
            "translation": "meminjam",
            "example": "Can I borrow it?",
        },
        follow=True,
    )

    item = VocabularyItem.objects.get(learner=alice)
    assert (item.word, item.translation, item.example) == ("borrow", "meminjam", "Can I borrow it?")
    assert item.source == VocabularySource.MANUAL
    assert response.redirect_chain == [("/vocabulary/", 302)]
    assert "“borrow” was added to your list." in response.content.decode()


def test_the_same_word_in_another_case_is_not_added_twice(client, alice):
    word(alice, "office", "kantor")
    client.force_login(alice)

    response = client.post(
        "/vocabulary/", {"action": "add", "word": "OFFICE", "translation": "kantor"}, follow=True
    )

    assert VocabularyItem.objects.filter(learner=alice).count() == 1
    assert "“office” is already in your list." in response.content.decode()


def test_a_word_needs_a_translation(client, alice):
    client.force_login(alice)

    response = client.post("/vocabulary/", {"action": "add", "word": "office", "translation": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not VocabularyItem.objects.exists()


def test_adding_needs_the_csrf_token(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post("/vocabulary/", {"action": "add", "word": "x", "translation": "y"})

    assert response.status_code == 403
    assert not VocabularyItem.objects.exists()


def test_deleting_removes_the_learners_own_word(client, alice):
    office = word(alice, "office")
    kept = word(alice, "kitchen")
    client.force_login(alice)

    response = client.post(
        "/vocabulary/", {"action": "delete", "item_id": office.id, "q": "o"}, follow=True
    )

    assert response.redirect_chain == [("/vocabulary/?q=o", 302)]
    assert list(VocabularyItem.objects.all()) == [kept]
    assert "“office” was removed from your list." in response.content.decode()


def test_nobody_can_delete_another_learners_word(client, alice, bob):
    office = word(alice, "office")
    client.force_login(bob)

    response = client.post("/vocabulary/", {"action": "delete", "item_id": office.id})

    assert response.status_code == 404
    assert VocabularyItem.objects.filter(pk=office.pk).exists()


def test_deleting_a_malformed_id_is_not_found(client, alice):
    client.force_login(alice)

    assert client.post("/vocabulary/", {"action": "delete", "item_id": "nope"}).status_code == 404


def test_the_list_links_to_the_review_with_the_number_due(client, alice):
    word(alice, "office")
    word(alice, "kitchen")
    later = word(alice, "weather")
    answer_review(item=later, rating=RATINGS["easy"])
    client.force_login(alice)

    html = client.get("/vocabulary/").content.decode()

    assert 'href="/vocabulary/review/"' in html
    assert "2 words are ready to review." in html


def test_the_list_costs_a_fixed_number_of_queries(client, alice):
    word(alice, "first")
    client.force_login(alice)
    client.get("/vocabulary/")

    with CaptureQueriesContext(connection) as few:
        client.get("/vocabulary/")
    for n in range(15):
        item = word(alice, f"word{n}")
        if n % 2:
            answer_review(item=item, rating=RATINGS["good"])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/vocabulary/")

    assert response.content.decode().count('class="vocab-item card"') == 16
    assert len(many) == len(few)


def test_the_review_page_has_the_flashcard_and_the_rating_buttons(client, alice):
    word(alice, "office")
    client.force_login(alice)

    response = client.get("/vocabulary/review/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="flashcard card"' in html
    assert 'class="flashcard-word"' in html
    assert 'id="reveal"' in html
    for rating, label in (("again", "Again"), ("hard", "Hard"), ("good", "Good"), ("easy", "Easy")):
        assert f'data-rating="{rating}"' in html
        assert f'data-rating="{rating}" disabled>{label}</button>' in html
    assert 'data-next-url="/api/user/vocabulary/review/next?limit=20"' in html
    assert 'data-answer-url="/api/user/vocabulary/review/answer"' in html
    assert "/static/js/review.js" in html
    done = html[html.index('id="review-done"') :]
    assert done[: done.index(">")].endswith("hidden")
    assert 'href="/vocabulary/"' in done


def test_the_review_page_says_done_when_nothing_is_due(client, alice):
    item = word(alice, "office")
    answer_review(item=item, rating=RATINGS["easy"])
    VocabularyItem.objects.filter(pk=item.pk).update(due=timezone.now() + timedelta(days=3))
    client.force_login(alice)

    html = client.get("/vocabulary/review/").content.decode()

    done = html[html.index('id="review-done"') :]
    assert "hidden" not in done[: done.index(">")]
    assert "All done for now!" in html


def test_a_long_list_shows_its_first_100_words_and_a_link_to_more(client, alice):
    add_words(alice, 130)
    client.force_login(alice)

    html = client.get("/vocabulary/").content.decode()

    assert html.count('class="vocab-item card"') == 100
    assert "word0099" in html and "word0100" not in html
    assert "(130)" in html  # the whole list's size, not the page's
    more = re.search(r'<a class="button button-secondary" href="([^"]+)" rel="next">', html)
    assert more, "no Show more link"
    assert "Show more words" in html

    rest = client.get(unescape(more[1])).content.decode()

    assert rest.count('class="vocab-item card"') == 30
    assert "word0100" in rest and "word0129" in rest and "word0099" not in rest
    assert 'rel="next"' not in rest
    assert "Back to the first words" in rest


def test_show_more_keeps_the_search(client, alice):
    add_words(alice, 130)  # translations "kata 0" … "kata 129"
    client.force_login(alice)

    pages = [client.get("/vocabulary/", {"q": "KATA 1", "limit": 20}).content.decode()]
    while more := re.search(r'href="([^"]+)" rel="next"', pages[-1]):
        pages.append(client.get(unescape(more[1])).content.decode())

    assert len(pages) == 3
    shown = re.findall(r'class="vocab-word" lang="en">(word\d+)<', "".join(pages))
    matching = [n for n in range(130) if str(n).startswith("1")]  # 1, 10-19, 100-129
    assert shown == [f"word{n:04d}" for n in matching]
    assert all("(41)" in page for page in pages)


def test_a_broken_show_more_link_goes_back_to_the_start(client, alice):
    add_words(alice, 3)
    client.force_login(alice)

    response = client.get("/vocabulary/", {"cursor": "%%%"}, follow=True)

    assert response.redirect_chain == [("/vocabulary/", 302)]
    html = response.content.decode()
    assert "That link into your list does not work" in html
    assert html.count('class="vocab-item card"') == 3
