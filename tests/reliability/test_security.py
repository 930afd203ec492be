"""Security as browsers and API clients meet it: the headers on every kind of
response (Content Security Policy, nosniff, Referrer-Policy, HSTS over HTTPS),
another learner's things out of reach through the pages, CSRF on every write a
logged-in browser can make, dead tokens refused on writes, and the login page's
per-address throttle. Bearer-token isolation is in tests/api/test_isolation.py."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.audio import wav_bytes
from tests.conftest import client_for
from tests.test_settings import PRODUCTION, run_django
from tutor.api.throttles import LoginIPThrottle
from tutor.models import (
    PracticeSession,
    PronunciationAttempt,
    ReviewLog,
    Turn,
    User,
    VocabularyItem,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
SITE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "media-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def recording(name: str = "answer.wav") -> io.BytesIO:
    upload = io.BytesIO(wav_bytes())
    upload.name = name
    return upload


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: sources for name, *sources in directives}


def browser(user: User, **kwargs) -> Client:
    """A logged-in browser: the session cookie, as the pages and their scripts use it."""
    client = Client(**kwargs)
    client.force_login(user)
    return client


@dataclass
class AlicesThings:
    session_id: str
    turn_id: str
    speech_path: str
    word_id: str
    attempt_id: str


@pytest.fixture
def alices(alice, alice_api) -> AlicesThings:
    """An open session with a recorded turn and Macca's spoken reply, a word and a
    pronunciation attempt with its recording, all made the way her apps make them."""
    session_id = alice_api.post("/api/session/start", {"mode": "live"}, format="json").json()[
        "session_id"
    ]
    turn = alice_api.post(
        "/api/session/turn/audio",
        {"audio": recording(), "session_id": session_id},
        format="multipart",
    )
    assert turn.status_code == 200, turn.json()
    word = alice_api.post(
        "/api/user/vocabulary", {"word": "deadline", "translation": "tenggat"}, format="json"
    )
    assert word.status_code == 201, word.json()
    attempt = alice_api.post(
        "/api/pronunciation/attempts",
        {"audio": recording("reading.wav"), "target": "I think this is very good"},
        format="multipart",
    )
    assert attempt.status_code == 201, attempt.json()
    return AlicesThings(
        session_id=session_id,
        turn_id=turn.json()["turn_id"],
        speech_path=re.sub(r"^https?://[^/]+", "", turn.json()["macca_audio_url"]),
        word_id=word.json()["id"],
        attempt_id=attempt.json()["id"],
    )


# --- Security headers ------------------------------------------------------------------


def _responses(alice: User, things: AlicesThings) -> dict[str, Callable]:
    """One of each kind of response: a page, the admin, JSON, a recording, tutor speech."""
    admin = User.objects.create_superuser("admin@example.com", PASSWORD, name="Admin")
    return {
        "page": lambda **kw: browser(alice).get("/dashboard/", **kw),
        "public page": lambda **kw: Client().get("/accounts/login/", **kw),
        "admin": lambda **kw: browser(admin).get("/admin/tutor/lesson/", **kw),
        "api": lambda **kw: client_for(alice).get("/api/user/profile", **kw),
        "recording": lambda **kw: client_for(alice).get(f"/api/turns/{things.turn_id}/audio", **kw),
        "attempt recording": lambda **kw: browser(alice).get(
            f"/api/pronunciation/attempts/{things.attempt_id}/audio", **kw
        ),
        "tutor speech": lambda **kw: browser(alice).get(things.speech_path, **kw),
    }


RESPONSES = [
    "page",
    "public page",
    "admin",
    "api",
    "recording",
    "attempt recording",
    "tutor speech",
]


@pytest.mark.parametrize("kind", RESPONSES)
def test_every_kind_of_response_carries_the_security_headers(kind, alice, alices):
    response = _responses(alice, alices)[kind]()

    assert response.status_code == 200
    assert policy(response) == SITE_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response  # development: HSTS off


@pytest.fixture
def production_like(settings):
    """What DEBUG=false sets (macca/settings.py), with the TLS redirect left to each test."""
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


@pytest.mark.parametrize("kind", RESPONSES)
def test_hsts_is_sent_over_https_in_production(kind, production_like, alice, alices):
    response = _responses(alice, alices)[kind](secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert policy(response) == SITE_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("kind", ["page", "api", "recording"])
def test_hsts_is_never_sent_over_plain_http(kind, production_like, alice, alices):
    response = _responses(alice, alices)[kind]()

    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def test_production_sends_plain_http_to_https(production_like, settings, alice):
    settings.SECURE_SSL_REDIRECT = True

    response = browser(alice).get("/dashboard/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/dashboard/"


@pytest.mark.parametrize("path", ["/api/health/live", "/api/health/ready"])
def test_health_probes_answer_over_plain_http_in_production(production_like, settings, path):
    """Load balancers probe over plain HTTP, often without X-Forwarded-Proto."""
    settings.SECURE_SSL_REDIRECT = True

    assert Client().get(path).status_code == 200
    assert Client().get("/api/lessons").status_code == 301


SHOW_SECURITY = """
import django, json
django.setup()
from django.conf import settings
print(json.dumps({
    "nosniff": settings.SECURE_CONTENT_TYPE_NOSNIFF,
    "referrer": settings.SECURE_REFERRER_POLICY,
    "csp": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "middleware": settings.MIDDLEWARE,
}))
"""


@pytest.mark.parametrize("mode", ["development", "production"])
def test_the_headers_are_on_in_every_mode(mode):
    result = run_django(["-c", SHOW_SECURITY], **(PRODUCTION if mode == "production" else {}))

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["nosniff"] is True
    assert values["referrer"] == "same-origin"
    assert values["csp"] == SITE_POLICY
    assert "macca.middleware.CSPMiddleware" in values["middleware"]  # django-csp's, memoised


def test_only_the_api_docs_allow_their_own_inline_script_and_style(anon):
    response = anon.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    nonces = set(re.findall(r'<(?:script|style) nonce="([^"]+)"', page))
    assert len(nonces) == 1
    nonce = f"'nonce-{nonces.pop()}'"
    assert policy(response) == {
        **SITE_POLICY,
        "script-src": ["'self'", nonce],
        "style-src": ["'self'", nonce],
    }
    # Every inline block carries it; a new nonce on every request.
    assert page.count("<script>") == page.count("<style>") == 0
    assert nonce not in anon.get("/api/docs/")["Content-Security-Policy"]
    # A page without a nonce, after pages with one, gets the site's policy alone.
    assert policy(anon.get("/api/lessons")) == policy(anon.get("/")) == SITE_POLICY


# --- Another learner's things, through the pages ---------------------------------------

PAGES = ["/dashboard/", "/history/", "/history/{session}/", "/practice/?session={session}"]
PAGES += ["/pronunciation/", "/vocabulary/"]


def links_on_alices_pages(alice: User, things: AlicesThings) -> set[str]:
    """Every href/src on her pages that names one of her own things by id."""
    theirs = {things.session_id, things.turn_id, things.word_id, things.attempt_id}
    client = browser(alice)
    links = set()
    for page in PAGES:
        response = client.get(page.format(session=things.session_id))
        assert response.status_code == 200, page
        for url in re.findall(r'(?:href|src)="([^"]+)"', response.content.decode()):
            url = url.replace("&amp;", "&")
            if set(UUID.findall(url)) & theirs:
                links.add(url)
    return links


def test_what_alices_pages_link_to_is_hers_alone(alice, bob, alices):
    links = links_on_alices_pages(alice, alices)

    # The pages do link to each kind of thing she owns.
    kinds = {UUID.sub("{id}", url) for url in links}
    assert {
        "/history/{id}/",
        "/api/turns/{id}/audio",
        "/api/pronunciation/attempts/{id}/audio",
    } <= kinds
    assert any(kind.startswith("/practice/?") and "session={id}" in kind for kind in kinds)
    hers, bobs = browser(alice), browser(bob)
    for url in sorted(links):
        assert hers.get(url).status_code == 200, url
        theirs = bobs.get(url)
        assert theirs.status_code == 404, url
        assert b"deadline" not in theirs.content and b"I think" not in theirs.content


def test_alices_things_are_not_on_bobs_pages(alice, bob, alices):
    client = browser(bob)
    for page in PAGES[:2] + PAGES[4:]:
        html = client.get(page).content.decode()
        for their_id in (alices.session_id, alices.turn_id, alices.word_id, alices.attempt_id):
            assert their_id not in html, page


def _pages_writes(things: AlicesThings) -> dict[str, Callable[[Client], object]]:
    """What the pages' scripts and forms do with an id, done by Bob with Alice's."""
    answer = {"vocabulary_id": things.word_id, "rating": "good"}
    return {
        "end the session (practice page)": lambda c: c.post(
            f"/api/session/{things.session_id}/end"
        ),
        "speak into the session (practice page)": lambda c: c.post(
            "/api/session/turn/audio", {"audio": recording(), "session_id": things.session_id}
        ),
        "type into the session (practice page, no JS)": lambda c: c.post(
            "/practice/", {"user_text": "Hello", "session_id": things.session_id}
        ),
        "answer a review (review page)": lambda c: c.post(
            "/api/user/vocabulary/review/answer",
            json.dumps(answer),
            content_type="application/json",
        ),
        "delete a word (vocabulary page)": lambda c: c.post(
            "/vocabulary/", {"action": "delete", "item_id": things.word_id}
        ),
        "read an attempt (pronunciation page)": lambda c: c.get(
            f"/api/pronunciation/attempts/{things.attempt_id}"
        ),
    }


@pytest.mark.parametrize("action", list(_pages_writes(AlicesThings("", "", "", "", ""))))
def test_bobs_browser_cannot_act_on_alices_things(action, alice, bob, alices):
    turns = Turn.objects.filter(session_id=alices.session_id).count()

    response = _pages_writes(alices)[action](browser(bob))

    assert response.status_code == 404
    session = PracticeSession.objects.get(pk=alices.session_id)
    assert session.is_open and session.summary == ""
    assert Turn.objects.filter(session_id=alices.session_id).count() == turns
    assert VocabularyItem.objects.filter(pk=alices.word_id, learner=alice).exists()
    assert not ReviewLog.objects.exists()
    assert PronunciationAttempt.objects.filter(learner=alice).count() == 1
    assert not PracticeSession.objects.filter(learner=bob).exists()


# --- CSRF on every write a logged-in browser can make ----------------------------------


def _json(method: str, path: str, body: dict) -> Callable:
    return lambda c, **kw: getattr(c, method)(
        path, json.dumps(body), content_type="application/json", **kw
    )


def _writes(things: AlicesThings) -> dict[str, tuple[Callable, int]]:
    """(request, status on success) for each write: the API's, then the pages' forms."""
    session, word = things.session_id, things.word_id
    return {
        "api: start a session": (_json("post", "/api/session/start", {"mode": "live"}), 201),
        "api: text turn": (
            _json("post", "/api/session/turn", {"session_id": session, "user_text": "Hi there"}),
            200,
        ),
        "api: audio turn": (
            lambda c, **kw: c.post(
                "/api/session/turn/audio", {"audio": recording(), "session_id": session}, **kw
            ),
            200,
        ),
        "api: end a session": (lambda c, **kw: c.post(f"/api/session/{session}/end", **kw), 200),
        "api: add a word": (
            _json("post", "/api/user/vocabulary", {"word": "meeting", "translation": "rapat"}),
            201,
        ),
        "api: delete a word": (
            lambda c, **kw: c.delete(f"/api/user/vocabulary/{word}", **kw),
            204,
        ),
        "api: answer a review": (
            _json(
                "post",
                "/api/user/vocabulary/review/answer",
                {"vocabulary_id": word, "rating": "good"},
            ),
            200,
        ),
        "api: change the profile": (_json("patch", "/api/user/profile", {"level": "B2"}), 200),
        "api: record a pronunciation attempt": (
            lambda c, **kw: c.post(
                "/api/pronunciation/attempts",
                {"audio": recording(), "target": "Three trees"},
                **kw,
            ),
            201,
        ),
        "api: analyze a word": (
            _json("post", "/api/pronunciation/analyze", {"word": "think"}),
            200,
        ),
        "api: analyze a spoken word": (
            lambda c, **kw: c.post(
                "/api/pronunciation/analyze/audio", {"audio": recording(), "word": "think"}, **kw
            ),
            200,
        ),
        "page: type a turn": (
            lambda c, **kw: c.post("/practice/", {"user_text": "Hi", "session_id": session}, **kw),
            302,
        ),
        "page: add a word": (
            lambda c, **kw: c.post(
                "/vocabulary/", {"word": "office", "translation": "kantor"}, **kw
            ),
            302,
        ),
        "page: delete a word": (
            lambda c, **kw: c.post("/vocabulary/", {"action": "delete", "item_id": word}, **kw),
            302,
        ),
        "page: save settings": (
            lambda c, **kw: c.post(
                "/settings/",
                {
                    "name": "Alice",
                    "level": "B1",
                    "goal": "study",
                    "explanation_language": "en",
                    "time_zone": "Asia/Jakarta",
                },
                **kw,
            ),
            302,
        ),
        "page: change the password": (
            lambda c, **kw: c.post(
                "/accounts/password/",
                {
                    "old_password": PASSWORD,
                    "new_password1": "a much longer passphrase 42",
                    "new_password2": "a much longer passphrase 42",
                },
                **kw,
            ),
            302,
        ),
        "page: log out": (lambda c, **kw: c.post("/accounts/logout/", **kw), 302),
    }


WRITES = list(_writes(AlicesThings("", "", "", "", "")))


@pytest.mark.parametrize("write", WRITES)
def test_a_logged_in_browser_s_write_needs_the_csrf_token(write, alice, alices):
    request, success = _writes(alices)[write]
    client = browser(alice, enforce_csrf_checks=True)
    assert client.get("/dashboard/").status_code == 200  # the page sets the CSRF cookie
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value

    forged = request(client)  # a cross-site request: the cookies, but not the token

    assert forged.status_code == 403
    if write.startswith("api:"):
        assert forged.json()["detail"].startswith("CSRF Failed")
    alice.refresh_from_db()
    assert alice.level != "B2" and alice.check_password(PASSWORD)
    assert client.get("/api/user/profile").status_code == 200  # still logged in

    # The header static/js/api.js sends (a form's hidden field is checked the same way).
    genuine = request(client, HTTP_X_CSRFTOKEN=token)

    assert genuine.status_code == success, getattr(genuine, "content", b"")[:300]


def test_the_forged_writes_changed_nothing(alice, alices):
    client = browser(alice, enforce_csrf_checks=True)
    client.get("/dashboard/")
    before = (
        PracticeSession.objects.count(),
        Turn.objects.count(),
        VocabularyItem.objects.count(),
        ReviewLog.objects.count(),
        PronunciationAttempt.objects.count(),
    )

    for request, _success in _writes(alices).values():
        assert request(client).status_code == 403

    assert before == (
        PracticeSession.objects.count(),
        Turn.objects.count(),
        VocabularyItem.objects.count(),
        ReviewLog.objects.count(),
        PronunciationAttempt.objects.count(),
    )
    assert PracticeSession.objects.get(pk=alices.session_id).is_open


def test_bearer_token_writes_need_no_csrf_token(alice):
    client = APIClient(enforce_csrf_checks=True)
    _, token = AuthToken.objects.create(alice)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = client.post("/api/user/vocabulary", {"word": "office", "translation": "kantor"})

    assert response.status_code == 201


# --- Dead tokens on writes -------------------------------------------------------------

TOKEN_WRITES = {
    "start a session": ("post", "/api/session/start", {"mode": "live"}),
    "add a word": ("post", "/api/user/vocabulary", {"word": "office", "translation": "kantor"}),
    "change the profile": ("patch", "/api/user/profile", {"level": "C1"}),
    "analyze a word": ("post", "/api/pronunciation/analyze", {"word": "think"}),
}


def _nothing_written(alice: User) -> None:
    alice.refresh_from_db()
    assert alice.level != "C1"
    assert not PracticeSession.objects.exists()
    assert not VocabularyItem.objects.exists()


@pytest.mark.parametrize("write", list(TOKEN_WRITES))
def test_an_expired_token_cannot_write(write, alice):
    method, path, body = TOKEN_WRITES[write]
    start = datetime(2025, 3, 10, 5, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        _, token = AuthToken.objects.create(alice)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        traveller.move_to(start + timedelta(hours=django_settings.TOKEN_TTL_HOURS, seconds=1))

        response = getattr(client, method)(path, body, format="json")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    _nothing_written(alice)


@pytest.mark.parametrize("write", list(TOKEN_WRITES))
def test_a_revoked_token_cannot_write(write, alice):
    method, path, body = TOKEN_WRITES[write]
    client = client_for(alice)
    assert client.post("/api/auth/logout").status_code == 204

    response = getattr(client, method)(path, body, format="json")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    _nothing_written(alice)


# --- The login page's per-address throttle ---------------------------------------------


def test_the_login_page_throttles_guesses_from_one_address_across_emails(
    client, alice, monkeypatch
):
    monkeypatch.setattr(LoginIPThrottle, "rate", "3/min", raising=False)
    for n in range(3):
        response = client.post(
            "/accounts/login/",
            {"username": f"guess{n}@example.com", "password": "wrong"},
            REMOTE_ADDR="10.0.0.7",
        )
        assert response.status_code == 200

    response = client.post(
        "/accounts/login/",
        {"username": "alice@example.com", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.7",
    )

    assert response.status_code == 429
    assert "Too many login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    other = Client().post(
        "/accounts/login/",
        {"username": "alice@example.com", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.8",
    )
    assert other.status_code == 302
