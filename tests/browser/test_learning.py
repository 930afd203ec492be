"""Real browser: the pronunciation coach and vocabulary flashcards."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tutor.models import VocabularyItem

from .conftest import audio_loads, record_for_a_second

pytestmark = pytest.mark.django_db(transaction=True)


# Every line Macca's voice starts playing (its "playing" event), by address.
COUNT_PLAYS = """() => {
  const voice = document.getElementById("macca-voice");
  window.maccaPlayed = [];
  voice.addEventListener("playing", () => window.maccaPlayed.push(voice.currentSrc));
}"""
PLAYED = "(count) => window.maccaPlayed.length >= count && window.maccaPlayed[count - 1]"


def played(page: Page, count: int) -> str:
    """The address of the count-th line played, once it has started playing."""
    return page.wait_for_function(PLAYED, arg=count).json_value()


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
    words = result.locator("#result-words button.word")
    expect(words.first).to_be_visible()
    expect(words).to_have_count(len(target.input_value().split()))
    # Every word was said as written: nothing is marked, and no label follows a word.
    expect(result.locator("#result-words .word-sound, #result-words .word-missing")).to_have_count(
        0
    )
    expect(result.locator("#result-words")).not_to_contain_text("excellent")
    expect(result.locator("#result-words")).not_to_contain_text("(")
    expect(result.locator("#result-legend")).to_be_hidden()
    expect(result.locator("#result-sounds")).to_contain_text("Well done")
    expect(page.locator("#attempt-history > li")).to_have_count(1)

    # The learner's own recording plays beside the result.
    recording = result.locator("audio#result-recording")
    expect(recording).to_be_visible()
    expect(recording).to_have_attribute("src", re.compile(r"/api/pronunciation/attempts/.+/audio$"))
    loaded = audio_loads(recording)
    assert loaded["error"] is None and loaded["event"] != "timeout", loaded
    assert loaded["duration"] > 0.5, loaded


def test_listen_plays_the_sentence_and_a_tapped_word_in_maccas_voice(learner_page: Page):
    page = learner_page
    page.goto("/pronunciation/")
    page.evaluate(COUNT_PLAYS)
    asked_for: list[str] = []
    page.on(
        "request",
        lambda r: asked_for.append(r.url) if "/api/pronunciation/speech" in r.url else None,
    )
    page.locator("input#target-text").fill("Three thin thieves")
    speech = re.compile(r"/media/speech/[0-9a-f]{64}\.ogg$")

    listen = page.locator("#listen-normal")
    expect(listen).to_be_enabled()
    expect(listen).to_have_accessible_name("Listen")
    with page.expect_response(lambda r: r.url.endswith("/api/pronunciation/speech")) as asked:
        listen.click()
    assert asked.value.status == 200
    assert asked.value.json()["text"] == "Three thin thieves"
    assert speech.search(played(page, 1))

    # The same sentence slowly: the line is known, so no second request; its slow variant.
    slow = page.locator("#listen-slow")
    expect(slow).to_have_accessible_name("Listen slowly")
    slow.click()
    assert played(page, 2).endswith(".ogg?speed=slow")
    assert len(asked_for) == 1

    # A word of the result, tapped, is spoken alone.
    record_for_a_second(page, "#attempt-record", "#attempt-timer")
    word = page.locator("#result-words button.word").first
    expect(word).to_have_text("three")
    with page.expect_response(lambda r: r.url.endswith("/api/pronunciation/speech")) as asked:
        word.click()
    assert asked.value.json()["text"] == "three"
    third = played(page, 3)
    assert speech.search(third) and third != page.evaluate("window.maccaPlayed[0]")
    assert page.locator("audio#macca-voice").evaluate("(audio) => audio.error") is None
    expect(page.locator(".listen-error:visible")).to_have_count(0)


SENTENCE = "I think this is very good"
VISIBLE_TEXT = """(node) => {
  const copy = node.cloneNode(true);
  for (const hidden of copy.querySelectorAll(".visually-hidden")) hidden.remove();
  return copy.textContent;
}"""
TH_TIP = "Put the tip of your tongue between your teeth and blow."
V_TIP = "Rest your top teeth on your lower lip and hum."


def word(text: str, *, sounds=(), missing: bool = False) -> dict:
    return {
        "word": text,
        "heard": None if missing else text,
        "status": "needs_work" if missing or sounds else "excellent",
        "score": 0 if missing else 60 if sounds else 96,
        "sounds": list(sounds),
        "missing": missing,
    }


def swap(target: str, heard: str, code: str) -> dict:
    return {"target_sound": target, "heard_sound": heard, "ok": False, "code": code}


def issue(text: str, target: str, heard: str, code: str, tip: str) -> dict:
    return {
        "word": text,
        "code": code,
        "target_sound": target,
        "heard_sound": heard,
        "message": f"You said /{heard}/ for /{target}/ in “{text}”.",
        "tip": tip,
    }


JUDGED = {
    "method": "acoustic",
    "message": "",
    "accuracy": 72,
    "completeness": 83,
    "overall": 75,
    "words": [
        word("i"),
        word("think", sounds=[swap("θ", "t", "th_voiceless")]),
        word("this"),
        word("is"),
        word("very", sounds=[swap("v", "f", "v")]),
        word("good", missing=True),
    ],
    "issues": [
        issue("think", "θ", "t", "th_voiceless", TH_TIP),
        issue("very", "v", "f", "v", V_TIP),
    ],
}
SILENCE = "I couldn't hear any speech in that recording. Check your microphone."
NOTHING_TO_JUDGE = {
    **JUDGED,
    "message": SILENCE,
    "accuracy": 0,
    "completeness": 0,
    "overall": 0,
    "words": [word(text, missing=True) for text in SENTENCE.lower().split()],
    "issues": [],
}


def judged_as(page: Page, verdict: dict) -> None:
    """The attempt is saved by the app as usual, and answered with `verdict` in place of
    its scores: the acoustic judge does not run under the test stand-ins."""

    def answer(route):
        response = route.fetch()
        route.fulfill(response=response, json={**response.json(), **verdict})

    page.route("**/api/pronunciation/attempts", answer)


def read_aloud(page: Page, verdict: dict) -> None:
    judged_as(page, verdict)
    page.goto("/pronunciation/")
    page.locator("input#target-text").fill(SENTENCE)
    record_for_a_second(page, "#attempt-record", "#attempt-timer")
    expect(page.locator("#attempt-result")).to_be_visible()


def test_a_result_marks_only_the_flagged_and_missing_words_and_says_what_macca_heard(
    learner_page: Page,
):
    page = learner_page
    read_aloud(page, JUDGED)

    words = page.locator("#result-words button.word")
    expect(words).to_have_count(6)
    expect(words.nth(1)).to_have_accessible_name("think (a sound to work on)")
    expect(words.nth(4)).to_have_accessible_name("very (a sound to work on)")
    expect(words.nth(5)).to_have_accessible_name("good (not said)")
    for plain in (0, 2, 3):
        expect(words.nth(plain)).to_have_class("word")  # no colour, no label
    shown = page.locator("#result-words").evaluate(VISIBLE_TEXT)
    assert shown.split() == ["i", "think", "this", "is", "very", "good"]  # labels for ears only
    expect(page.locator("#result-legend")).to_be_visible()

    sounds = page.locator("#result-sounds > li")
    expect(sounds).to_have_count(2)
    expect(sounds.first).to_contain_text("You said /t/ for /θ/ in “think”.")
    expect(sounds.first).to_contain_text(f"How to say /θ/: {TH_TIP}")
    expect(sounds.nth(1)).to_contain_text("You said /f/ for /v/ in “very”.")
    expect(sounds.nth(1)).to_contain_text(V_TIP)
    expect(page.locator("#attempt-result")).not_to_contain_text("Well done")
    expect(page.locator("#note-acoustic")).to_be_visible()
    expect(page.locator("#note-acoustic")).to_contain_text("tuned on synthetic voices")
    expect(page.locator("#note-transcript")).to_be_hidden()


def test_a_recording_with_nothing_to_judge_shows_why_instead_of_praise(learner_page: Page):
    page = learner_page
    read_aloud(page, NOTHING_TO_JUDGE)

    message = page.locator("#result-message")
    expect(message).to_be_visible()
    expect(message).to_have_text(SILENCE)
    expect(page.locator("#attempt-status")).to_have_text(SILENCE)
    expect(page.locator("#result-sounds-block")).to_be_hidden()
    expect(page.locator("#result-words .word-missing, #result-words .word-sound")).to_have_count(0)
    expect(page.locator("#attempt-result")).not_to_contain_text("Well done")
    expect(page.locator("#attempt-history .pron-attempt-message")).to_have_text(SILENCE)


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 800), ("phone", 360, 740)])
def test_pronunciation_page_screenshots(learner_page: Page, screenshots_dir, name, width, height):
    """Written to test-artifacts/screenshots/ for a person to look at."""
    page = learner_page
    page.set_viewport_size({"width": width, "height": height})
    read_aloud(page, JUDGED)
    page.locator("#attempt-result").screenshot(path=screenshots_dir / f"pronunciation-{name}.png")

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px wide"


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
