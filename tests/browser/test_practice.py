"""Real browser: the practice page — speaking with the fake microphone, typing,
guided lessons, a refused microphone, and screenshots at two widths."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from providers.mock import MOCK_TRANSCRIPT
from tutor.models import Lesson

from .conftest import audio_loads, log_in, record_for_a_second, send_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_speak_and_hear_the_reply(learner_page: Page):
    page = learner_page
    page.goto("/practice/?mode=live")
    record_for_a_second(page, "#record-button", "#recording-timer", level="#input-level")

    learner = page.locator("#conversation .bubble.bubble-learner").last
    expect(learner).to_contain_text(MOCK_TRANSCRIPT)
    feedback = page.locator("#conversation .feedback .better-sentence").last
    expect(feedback).to_contain_text("I went to the office yesterday and I met my friend.")
    expect(feedback.locator("mark")).to_have_text(["went", "met"])

    replies = page.locator("#conversation .bubble-learner ~ .bubble.bubble-tutor")
    expect(replies).to_have_count(1)  # (not the opening prompt, if the page shows one)
    reply = replies.first
    expect(reply).to_contain_text("?")  # the reply ends with a follow-up question
    audio = reply.locator("audio")
    expect(audio).to_have_count(1)
    loaded = audio_loads(audio)
    assert loaded["error"] is None and loaded["event"] != "timeout", loaded
    assert loaded["duration"] > 0, loaded
    # It plays by itself (the learner's click on Record allows autoplay).
    played = "(audio) => audio.currentTime > 0 || audio.ended"
    page.wait_for_function(played, arg=audio.element_handle())
    expect(reply.locator("button.replay")).to_be_visible()

    # Ready for the next turn.
    expect(page.locator("#record-button")).to_be_enabled()
    expect(page.locator("#record-button")).to_have_attribute("aria-pressed", "false")


def test_typed_sentence_comes_back_corrected_with_the_change_highlighted(learner_page: Page):
    page = learner_page
    page.goto("/practice/?mode=live")

    send_text(page, "I go to the office yesterday")

    expect(page.locator("#conversation .bubble-learner").last).to_contain_text(
        "I go to the office yesterday"
    )
    better = page.locator("#conversation .better-sentence").last
    expect(better).to_contain_text("I went to the office yesterday")
    expect(better.locator("mark")).to_have_text(["went"])
    expect(page.locator("#conversation .grammar").last).to_contain_text("I went")
    expect(page.locator("#user-text")).to_be_editable()
    expect(page.locator("#user-text")).to_have_value("")


def test_end_session_shows_the_summary(learner_page: Page):
    page = learner_page
    page.goto("/practice/?mode=live")
    send_text(page, "I go to the office yesterday")
    expect(page.locator("#conversation .better-sentence").last).to_be_visible()

    page.locator("#end-session").click()

    summary = page.locator("#session-summary")
    expect(summary).to_be_visible()
    expect(summary).not_to_have_text(re.compile(r"^\s*$"))


def test_guided_lesson_step_advances_after_a_qualifying_answer(learner_page: Page, seeded_lessons):
    page = learner_page
    lesson = Lesson.objects.get(slug="cafe-ordering-food-and-drinks")
    page.goto(f"/practice/?mode=guided&lesson={lesson.id}")
    steps = page.locator("ol#lesson-steps > li")
    expect(steps).to_have_count(lesson.steps.count())
    current = page.locator('#lesson-steps li[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(steps.nth(0)).to_have_attribute("aria-current", "step")

    send_text(page, "I like a small warung near my house because the food is cheap.")

    expect(steps.nth(1)).to_have_attribute("aria-current", "step")
    expect(current).to_have_count(1)
    expect(page.locator("#conversation .bubble-tutor").last).to_contain_text("step 1")


def test_refused_microphone_offers_typing_instead(mic_refusing_browser, live_server, learner):
    context = mic_refusing_browser.new_context(base_url=live_server.url)
    try:
        log_in(context, live_server, learner)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/practice/?mode=live")
        refused = page.evaluate(
            "navigator.mediaDevices.getUserMedia({audio: true}).then(() => 'granted', e => e.name)"
        )
        assert refused == "NotAllowedError"  # what a learner's "Block" gives the page

        record = page.locator("#record-button")
        expect(record).to_be_enabled()
        record.click()

        message = page.locator("#mic-message")
        expect(message).to_be_visible()
        expect(message).to_contain_text("type")
        expect(record).not_to_have_attribute("aria-pressed", "true")
        expect(page.locator("#user-text")).to_be_editable()
        send_text(page, "I go to the office yesterday")
        expect(page.locator("#conversation .better-sentence").last).to_contain_text("I went")
    finally:
        context.close()


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 800), ("phone", 360, 740)])
def test_practice_page_screenshots(learner_page: Page, screenshots_dir, name, width, height):
    """Written to test-artifacts/screenshots/ for a person to look at."""
    page = learner_page
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/practice/?mode=live")
    send_text(page, "I go to the office yesterday")
    reply = page.locator("#conversation .bubble-learner ~ .bubble-tutor")
    expect(reply).to_have_count(1)
    expect(page.locator("#record-button")).to_be_enabled()  # no longer "thinking"
    reply.scroll_into_view_if_needed()
    # What the learner sees (a full-page shot would paint the sticky controls over the chat).
    page.screenshot(path=screenshots_dir / f"practice-{name}.png")

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px wide"
