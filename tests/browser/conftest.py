"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's
live server, in mock AI mode, with a WAV file as the microphone.

Chromium comes from the system (`apt-get install chromium`, done by `.ci/run`), never
from `playwright install`; without it every test here is skipped with that advice.
"""

from __future__ import annotations

import math
import os
import random
import re
import wave
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tutor.models import Lesson, User

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BROWSER_TESTS = Path(__file__).resolve().parent
REPO = BROWSER_TESTS.parents[1]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
TIMEOUT_MS = 10_000
PASSWORD = "correct horse battery"
ALLOW_ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

# Each test waits on locators, never on fixed sleeps; 10 s is generous for a local server.
expect.set_options(timeout=TIMEOUT_MS)

CHROMIUM_ARGS = [
    "--use-fake-device-for-media-stream",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_missing() -> bool:
    return not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK))


def pytest_itemcollected(item):
    """Every test in this folder is a `browser` test (`-m "not browser"` leaves them
    out), skipped when Chromium is missing."""
    item.add_marker(pytest.mark.browser)
    if chromium_missing():
        item.add_marker(
            pytest.mark.skip(
                reason=f"Chromium not found at {CHROMIUM}: apt-get install chromium "
                "(CI's .ci/run does this; or set CHROMIUM_PATH)"
            )
        )


@pytest.hookimpl(trylast=True)  # after pytest-django's and pytest's own reordering
def pytest_collection_modifyitems(config, items):
    """The browser tests run after all the others (see `_orm_beside_playwright`)."""
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    if browser_tests:
        others = [item for item in items if not item.get_closest_marker("browser")]
        items[:] = others + browser_tests


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright():
    """Playwright's sync API keeps an asyncio loop running in this thread from its
    start to the end of the session, and Django then refuses ORM calls made here
    (SynchronousOnlyOperation) unless DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set
    only from the first browser test on (they run last), not at import: other tests
    start `manage.py check --deploy` in subprocesses, which fails on that variable."""
    previous = os.environ.get(ALLOW_ASYNC_UNSAFE)
    os.environ[ALLOW_ASYNC_UNSAFE] = "true"
    yield
    if previous is None:
        os.environ.pop(ALLOW_ASYNC_UNSAFE, None)
    else:
        os.environ[ALLOW_ASYNC_UNSAFE] = previous


# --- The fake microphone ---------------------------------------------------------------


def write_speech_like_wav(path: Path, seconds: float = 2.5, rate: int = 16_000) -> Path:
    """A real 16-bit mono WAV: syllable-like bursts of a voiced tone (a 110-160 Hz
    fundamental whose harmonics are weighted by two formants), with short pauses
    between them. The mock speech recogniser ignores the content; the recording only
    has to contain sound, as a learner's would."""
    rng = random.Random(7)
    samples = array("h", bytes(2 * int(seconds * rate)))
    position, end = int(0.15 * rate), len(samples) - int(0.2 * rate)
    while position < end:
        length = min(int(rng.uniform(0.12, 0.28) * rate), end - position)
        f0 = rng.uniform(110, 160)
        formants = (rng.uniform(500, 800), rng.uniform(1000, 1800))
        harmonics = [
            (h, 0.1 / h + sum(1 / (1 + ((f0 * h - f) / 150) ** 2) for f in formants))
            for h in range(1, int(3000 / f0))
        ]
        for n in range(length):
            envelope = math.sin(math.pi * n / length) ** 2
            phase = 2 * math.pi * f0 * n / rate
            value = sum(weight * math.sin(h * phase) for h, weight in harmonics)
            samples[position + n] = max(-32767, min(32767, int(4000 * envelope * value)))
        position += length + int(rng.uniform(0.04, 0.16) * rate)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


@pytest.fixture(scope="session")
def fake_mic_wav(tmp_path_factory) -> Path:
    return write_speech_like_wav(tmp_path_factory.mktemp("fake-mic") / "learner.wav")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, fake_mic_wav):
    """pytest-playwright's launch options, pointed at the system Chromium, with the
    microphone permission granted by a fake prompt and fed from the WAV file
    (`%noloop`: silence after its end; each getUserMedia starts it again)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-audio-capture={fake_mic_wav}%noloop",
            *CHROMIUM_ARGS,
        ],
    }


@pytest.fixture(scope="session")
def mic_refusing_browser(launch_browser) -> Iterator[Browser]:
    """A second Chromium without the fake permission prompt: headless Chromium then
    refuses every getUserMedia with NotAllowedError, as when a learner clicks "Block"."""
    browser = launch_browser(args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# --- Pages and learners ---------------------------------------------------------------


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """`page.goto("/practice/")` goes to the live test server (this also replaces
    pytest-playwright's own `--base-url` fixture)."""
    return live_server.url


@pytest.fixture
def page(page: Page, live_server) -> Iterator[Page]:
    """pytest-playwright's page, with short timeouts; fails the test if the page
    asked anything of another origin (Macca makes no third-party requests)."""
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    foreign: list[str] = []
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if request.url.startswith(("http:", "https:", "ws:", "wss:"))
            and not request.url.startswith(live_server.url)
            else None
        ),
    )
    yield page
    assert not foreign, f"third-party requests: {foreign}"


@pytest.fixture
def learner(transactional_db) -> User:
    return User.objects.create_user(
        "siti@example.com",
        PASSWORD,
        name="Siti Rahma",
        level="A2",
        explanation_language="id",
    )


def log_in(context: BrowserContext, live_server, user: User) -> None:
    """The session cookie of a real login, given to the browser (the login form
    itself is exercised by test_accounts.py)."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def learner_page(page: Page, live_server, learner) -> Page:
    """A page whose browser is logged in as `learner`."""
    log_in(page.context, live_server, learner)
    return page


@pytest.fixture
def seeded_lessons(transactional_db) -> list[Lesson]:
    call_command("seed_lessons", verbosity=0)
    return list(Lesson.objects.filter(is_published=True))


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# --- Shared steps ----------------------------------------------------------------------

RECORDED_ONE_SECOND = re.compile(r"^\s*0?0:0[1-9]\s*$")


LEVEL_MOVES = """(selector) => {
  const level = document.querySelector(selector);
  const value = level.value ?? level.getAttribute("aria-valuenow") ?? parseFloat(level.style.width);
  return Number(value) > 0;
}"""


def record_for_a_second(page: Page, button: str, timer: str, level: str | None = None) -> None:
    """Press `button`, let the fake microphone play into the recorder until `timer`
    shows a second or more (and the `level` meter moved), press it again to send."""
    record = page.locator(button)
    expect(record).to_be_enabled()
    record.click()
    expect(record).to_have_attribute("aria-pressed", "true")
    expect(page.locator(timer)).to_be_visible()
    if level:
        expect(page.locator(level)).to_be_visible()
        page.wait_for_function(LEVEL_MOVES, arg=level)
    expect(page.locator(timer)).to_have_text(RECORDED_ONE_SECOND)
    record.click()


def send_text(page: Page, text: str) -> None:
    page.locator("#user-text").fill(text)
    page.locator("form#text-turn").get_by_role("button", name="Send").click()


AUDIO_LOADS = """(audio) => new Promise((resolve) => {
  const report = (event) => resolve({
    event, duration: audio.duration, error: audio.error && audio.error.code, src: audio.currentSrc,
  });
  if (audio.error) return report("error");
  if (audio.readyState >= HTMLMediaElement.HAVE_METADATA) return report("loadedmetadata");
  audio.addEventListener("loadedmetadata", () => report("loadedmetadata"), {once: true});
  audio.addEventListener("canplaythrough", () => report("canplaythrough"), {once: true});
  audio.addEventListener("error", () => report("error"), {once: true});
  if (audio.preload === "none") audio.load();
  setTimeout(() => report("timeout"), 8000);
})"""


def audio_loads(audio) -> dict:
    """Waits for an <audio> element's metadata (or its error): {event, duration, error, src}."""
    return audio.evaluate(AUDIO_LOADS)
