"""Real browser: the pronunciation coach and vocabulary flashcards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tutor.models import VocabularyItem

from .conftest import record_for_a_second

pytestmark = pytest.mark.django_db(transaction=True)


def test_pronunciation_coach_scores_each_word(learner_page: Page):
    page = learner_page
    page.goto("/pronunciation/")
    target = page.locator("input#target-text")
    expect(target).not_to_have_value("")

    record_for_a_second(page, "#attempt-record", "#attempt-timer")

    result = page.locator("#attempt-result")
    expect(result).to_be_visible()
    expect(page.locator("#score-overall")).to_have_text("100")  # the mock hears the target
    expect(page.locator("#score-completeness")).to_have_text("100")
    words = result.locator("#result-words .word")
    expect(words.first).to_be_visible()
    expect(result.locator("#result-words .word:not(.status-excellent)")).to_have_count(0)
    expect(words.first).to_contain_text("excellent")  # the status as text, not colour alone
    expect(page.locator("#attempt-history > li")).to_have_count(1)


def test_vocabulary_review_rates_a_card_and_shows_the_next(learner_page: Page, learner):
    now = timezone.now()
    first = VocabularyItem.objects.create(
        learner=learner,
        word="receipt",
        translation="struk",
        example="Could I have the receipt, please?",
        created_at=now - timedelta(hours=2),
    )
    VocabularyItem.objects.create(
        learner=learner,
        word="spicy",
        translation="pedas",
        example="Is the sambal spicy?",
        created_at=now - timedelta(hours=1),
    )
    page = learner_page
    page.goto("/vocabulary/review/")
    word = page.locator(".flashcard .flashcard-word")
    expect(word).to_have_text("receipt")

    page.locator("#reveal").click()
    expect(page.locator(".flashcard")).to_contain_text("struk")
    expect(page.locator(".flashcard")).to_contain_text("Could I have the receipt, please?")
    good = page.locator('button[data-rating="good"]')
    expect(good).to_have_accessible_name("Good")
    with page.expect_response(lambda r: "/review/answer" in r.url) as answered:
        good.click()
    assert answered.value.ok

    expect(word).to_have_text("spicy")
    first.refresh_from_db()
    assert first.last_review is not None and first.due > now
