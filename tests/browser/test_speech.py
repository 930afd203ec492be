"""Real browser, real speech: the fake microphone plays a sentence spoken by piper,
Chromium records it as WebM/Opus the way a learner's browser does, and the practice
page shows that sentence as heard and answers aloud; *Slowly* plays the line slowly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from providers.audio import decode, wav_bytes
from tests.audio import piper_speech, with_silence, word_error_rate

from .conftest import CHROMIUM_ARGS, TIMEOUT_MS, audio_loads, log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("real_speech")]

SENTENCE = "I went to the market yesterday with my sister."
RECORDED_FOUR_SECONDS = re.compile(r"^\s*0?0:0[4-9]\s*$")


@pytest.fixture(scope="module")
def spoken_wav(tmp_path_factory) -> Path:
    samples, rate = piper_speech(SENTENCE)
    path = tmp_path_factory.mktemp("spoken-mic") / "sentence.wav"
    path.write_bytes(wav_bytes(with_silence(samples, rate, 0.3, 1.5), rate))
    return path


@pytest.fixture(scope="module")
def speaking_browser(launch_browser, spoken_wav):
    browser = launch_browser(
        args=[
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-audio-capture={spoken_wav}%noloop",
            *CHROMIUM_ARGS,
        ]
    )
    yield browser
    browser.close()


def test_a_sentence_said_into_the_microphone_is_heard_and_answered_aloud(
    speaking_browser, live_server, learner
):
    context = speaking_browser.new_context()
    log_in(context, live_server, learner)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS * 2)
    page.goto(f"{live_server.url}/practice/?mode=live")

    record = page.locator("#record-button")
    expect(record).to_be_enabled()
    record.click()
    expect(page.locator("#recording-timer")).to_have_text(RECORDED_FOUR_SECONDS)
    record.click()

    heard = page.locator("#conversation .bubble.bubble-learner .bubble-text").last
    expect(heard).not_to_be_empty()
    assert word_error_rate(SENTENCE, heard.inner_text()) <= 0.15, heard.inner_text()

    reply = page.locator("#conversation .bubble-learner ~ .bubble.bubble-tutor").last
    normal = audio_loads(reply.locator("audio").first)
    assert normal["error"] is None, normal
    assert ".ogg" in normal["src"]

    reply.locator("button.replay-slow").click()
    slow = audio_loads(reply.locator("audio.slow"))
    assert slow["error"] is None, slow
    assert "speed=slow" in slow["src"]
    # The live test server hands out MEDIA_URL files itself, query string ignored, so the
    # slow line is fetched here through the app, at the very URL the button played, as
    # the learner: a reply is hers alone.
    path = slow["src"].removeprefix(live_server.url)
    client = Client()
    client.force_login(learner)
    slow_line = client.get(path)
    assert slow_line.status_code == 200
    normal_line = page.request.get(normal["src"]).body()
    slow_seconds = decode(slow_line.content, max_seconds=60).duration_seconds
    assert slow_seconds > 1.2 * decode(normal_line, max_seconds=60).duration_seconds
    context.close()
