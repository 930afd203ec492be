from __future__ import annotations

import ipaddress
import socket

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

import providers
from tutor.models import Lesson, LessonStep, User
from tutor.services.tokens import issue_token


@pytest.fixture(autouse=True)
def _isolated_media_and_fast_hashing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_connect = socket.socket.connect


def _is_loopback(address) -> bool:
    if not isinstance(address, tuple):  # a Unix socket (PostgreSQL's, say)
        return True
    host = address[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a name to resolve: a test has no business resolving names


def _loopback_only(self, address):
    if not _is_loopback(address):
        raise ConnectionRefusedError(f"tests may only connect to loopback, not {address!r}")
    return _connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _no_network():
    """Fails any outbound connection that is not to this machine, so a hidden download
    (a model from a hub, a call to Hugging Face) cannot creep into the suite."""
    socket.socket.connect = _loopback_only
    yield
    socket.socket.connect = _connect


@pytest.fixture(autouse=True)
def _offline_ai_and_fresh_counters(settings):
    """Local AI whatever the developer's environment says, with instant stand-ins for
    the speech engines (tests about speech ask for the real ones: `real_speech`);
    throttle counters and the circuit breaker live in the cache, so every test starts
    with an empty one."""
    settings.AI_PROVIDER = ""
    settings.USE_MOCK_AI = True
    settings.LOCAL_SPEECH = "stub"
    providers.reset()
    cache.clear()
    yield
    providers.reset()
    cache.clear()


def pytest_collection_modifyitems(items):
    """`-m "not speech"` leaves out every test that loads the real speech engines."""
    for item in items:
        if "real_speech" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.speech)


@pytest.fixture
def real_speech(settings):
    """The real local engines (Whisper tiny.en, piper): loaded once per test process."""
    settings.LOCAL_SPEECH = "real"
    providers.reset()
    yield
    providers.reset()


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user("alice@example.com", "correct horse battery", name="Alice")


@pytest.fixture
def bob(db) -> User:
    return User.objects.create_user("bob@example.com", "correct horse battery", name="Bob")


def client_for(user: User | None) -> APIClient:
    """An API client that sends `user`'s Bearer token, as a mobile client would."""
    client = APIClient()
    if user is not None:
        _, token = issue_token(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def browser_for(user: User, password: str = "correct horse battery") -> Client:
    """A browser logged in as `user` with the session cookie, as the pages are used."""
    browser = Client()
    assert browser.login(email=user.email, password=password)
    return browser


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def alice_api(alice) -> APIClient:
    return client_for(alice)


@pytest.fixture
def bob_api(bob) -> APIClient:
    return client_for(bob)


@pytest.fixture
def lesson(db) -> Lesson:
    lesson = Lesson.objects.create(
        slug="ordering-coffee",
        title="Ordering coffee",
        objective="Order a drink politely.",
        level="A2",
        target_grammar=["Polite requests: Could I have …?"],
        target_vocabulary=[{"word": "latte", "translation": "kopi susu"}],
        is_published=True,
    )
    LessonStep.objects.bulk_create(
        [
            LessonStep(lesson=lesson, position=1, title="Greet", instruction="Say hello."),
            LessonStep(lesson=lesson, position=2, title="Order", instruction="Order a latte."),
        ]
    )
    return lesson
