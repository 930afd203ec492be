"""Real browser: every page works under the Content Security Policy. Chromium
reports what the policy blocks (a `securitypolicyviolation` event and a console
line); a page passes when nothing was reported and its scripts did their work."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from tests.audio import wav_bytes
from tutor.models import Lesson, User, VocabularyItem

from .conftest import PASSWORD, audio_loads, log_in, send_text

pytestmark = pytest.mark.django_db(transaction=True)

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || document.location.href}:${event.lineNumber}`
  );
});
"""
CSP_CONSOLE = re.compile(r"Content Security Policy|Refused to")


class Violations:
    """What the policy blocked on a page: its events and its console lines."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(COLLECT_VIOLATIONS)
        page.on(
            "console",
            lambda message: (
                self.console.append(message.text) if CSP_CONSOLE.search(message.text) else None
            ),
        )

    def assert_none(self, where: str) -> None:
        events = self.page.evaluate("window.__cspViolations || []")
        assert not events and not self.console, f"{where}: {events + self.console}"


@pytest.fixture
def violations(page: Page) -> Iterator[Violations]:
    yield Violations(page)


def site_script_ran(page: Page) -> None:
    """static/js/site.js hides the language switcher's button on every page."""
    expect(page.locator(".language-switcher button[type=submit]")).to_be_hidden()


def visit(page: Page, violations: Violations, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    site_script_ran(page)
    violations.assert_none(path)


@pytest.fixture
def learners_things(learner, seeded_lessons) -> dict:
    """An ended session with a recorded turn, a word due for review and a scored
    pronunciation attempt: each page then has its recordings, cards and history."""
    api = Client()
    api.force_login(learner)
    session_id = api.post(
        "/api/session/start", {"mode": "live"}, content_type="application/json"
    ).json()["session_id"]
    recording = io.BytesIO(wav_bytes())
    recording.name = "answer.wav"
    turn = api.post("/api/session/turn/audio", {"audio": recording, "session_id": session_id})
    assert turn.status_code == 200, turn.content
    assert api.post(f"/api/session/{session_id}/end").status_code == 200
    VocabularyItem.objects.create(learner=learner, word="receipt", translation="struk")
    reading = io.BytesIO(wav_bytes())
    reading.name = "reading.wav"
    attempt = api.post(
        "/api/pronunciation/attempts", {"audio": reading, "target": "I think this is good"}
    )
    assert attempt.status_code == 201, attempt.content
    return {"session_id": session_id, "lesson": seeded_lessons[0]}


def test_the_public_pages_work_under_the_policy(page: Page, violations: Violations):
    for path in ("/", "/accounts/login/", "/accounts/signup/"):
        visit(page, violations, path)


def test_the_learners_pages_work_under_the_policy(
    page: Page, violations: Violations, live_server, learner, learners_things
):
    log_in(page.context, live_server, learner)
    lesson: Lesson = learners_things["lesson"]
    session_id = learners_things["session_id"]
    for path in (
        "/dashboard/",
        "/lessons/",
        f"/lessons/{lesson.pk}/",
        "/vocabulary/",
        "/history/",
        "/settings/",
        "/accounts/password/",
        "/welcome/",
    ):
        visit(page, violations, path)

    visit(page, violations, "/vocabulary/review/")
    expect(page.locator("#reveal")).to_be_enabled()  # review.js loaded the due card

    visit(page, violations, "/pronunciation/")
    expect(page.locator("#attempt-record")).to_be_enabled()  # pronunciation.js is ready
    page.locator("#listen-normal").click()  # Macca's voice: fetch() then served speech
    voice = page.locator("audio#macca-voice")
    expect(voice).to_have_attribute("src", re.compile(r"/media/speech/"))
    loaded = audio_loads(voice)
    assert loaded["error"] is None and loaded["event"] != "timeout", loaded
    violations.assert_none("Macca's voice on the pronunciation page")

    visit(page, violations, f"/history/{session_id}/")
    recording = page.locator("audio[src*='/api/turns/']").first
    loaded = audio_loads(recording)  # served audio plays (media-src)
    assert loaded["error"] is None and loaded["event"] != "timeout", loaded
    violations.assert_none("a recording on the history page")


def test_a_practice_turn_works_under_the_policy(
    page: Page, violations: Violations, live_server, learner
):
    log_in(page.context, live_server, learner)
    visit(page, violations, "/practice/?mode=live")
    expect(page.locator("#practice")).to_have_class(re.compile(r"\bjs-ready\b"))

    send_text(page, "I go to the office yesterday")  # fetch() to the API (connect-src)
    reply = page.locator("#conversation .bubble-learner ~ .bubble.bubble-tutor").first
    expect(reply).to_be_visible()
    audio = reply.locator("audio")
    expect(audio).to_have_count(1)
    loaded = audio_loads(audio)  # Macca's reply, served speech (media-src)
    assert loaded["error"] is None and loaded["event"] != "timeout", loaded
    violations.assert_none("a practice turn")


def test_the_admin_works_under_the_policy(
    page: Page, violations: Violations, live_server, seeded_lessons
):
    admin = User.objects.create_superuser("admin@example.com", PASSWORD, name="Admin")
    log_in(page.context, live_server, admin)
    lesson = seeded_lessons[0]
    for path in (
        "/admin/",
        "/admin/tutor/lesson/",
        "/admin/tutor/lesson/add/",
        f"/admin/tutor/lesson/{lesson.pk}/change/",
        "/admin/tutor/practicesession/",
        "/admin/tutor/user/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("#site-name")).to_be_visible()
        violations.assert_none(path)

    # The admin's own scripts ran: the slug follows the title (prepopulate.js).
    page.goto("/admin/tutor/lesson/add/")
    page.locator("#id_title").press_sequentially("Asking for directions")
    expect(page.locator("#id_slug")).to_have_value("asking-for-directions")
    violations.assert_none("typing in the admin")


def test_the_api_docs_work_under_their_policy(page: Page, violations: Violations):
    page.goto("/api/docs/")
    # Swagger UI drew the operations it read from /api/schema/.
    operation = page.locator(".opblock").first
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").click()
    expect(operation.locator(".opblock-body")).to_be_visible()
    page.wait_for_load_state("networkidle")
    violations.assert_none("/api/docs/")
