"""Outages of Redis and PostgreSQL as learners meet them. With Redis refusing or hung,
every request is still served within a short socket timeout (each process stands in
with its own memory, and says so in the log once a minute, not once a request), while
readiness reports the cache as failing. With PostgreSQL hung, requests get a quick
503 that says to retry (JSON under /api/, a friendly page elsewhere), not a 130 s wait."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
import requests
import time_machine
from django.conf import settings as django_settings
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle

from providers.breaker import CircuitBreaker
from tests.test_settings import PRODUCTION

ROOT = Path(__file__).resolve().parent.parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
FAST = 1.0  # seconds: "well under" a learner noticing


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def hung_server() -> Iterator[int]:
    """A loopback port whose server accepts connections (the kernel does, from the
    backlog) and never answers a byte: a Redis or PostgreSQL that hangs."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        yield sock.getsockname()[1]


def redis_cache_at(url: str) -> dict:
    """The cache settings.py configures for REDIS_URL=url."""
    return {
        "default": {
            **django_settings.CACHES["default"],
            "BACKEND": "macca.cache.FallbackRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "macca",
            "OPTIONS": {
                "socket_connect_timeout": django_settings.REDIS_SOCKET_TIMEOUT_SECONDS,
                "socket_timeout": django_settings.REDIS_SOCKET_TIMEOUT_SECONDS,
            },
        }
    }


@pytest.fixture(params=["refused", "hung"])
def redis_down(request, settings) -> Iterator[str]:
    """Redis at an address that refuses connections, or at one that never answers."""
    with contextlib.ExitStack() as stack:
        port = closed_port() if request.param == "refused" else stack.enter_context(hung_server())
        settings.CACHES = redis_cache_at(f"redis://127.0.0.1:{port}/0")
        yield request.param


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def cache_warnings(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "macca.cache" and r.levelno >= logging.WARNING]


# --- Redis down ------------------------------------------------------------------------


@pytest.fixture
def coach_loaded(alice_api) -> None:
    """One turn before the outage, so the coach's language model (loaded once per
    process) is not what a timed turn waits for."""
    alice_api.post("/api/session/turn", {"user_text": "Hello.", "mode": "live"}, format="json")


@pytest.mark.django_db
def test_the_api_answers_quickly_while_redis_is_down(
    coach_loaded, redis_down, alice_api, anon, lesson
):
    calls = {
        "lessons": lambda: anon.get("/api/lessons"),
        "profile": lambda: alice_api.get("/api/user/profile"),
        "turn": lambda: alice_api.post(
            "/api/session/turn", {"user_text": "I like coffee.", "mode": "live"}, format="json"
        ),
    }
    for name, call in calls.items():
        for _ in range(3):
            response, seconds = timed(call)
            assert response.status_code == 200, (name, response.content[:300])
            assert seconds < FAST, (name, seconds)


@pytest.mark.django_db
def test_a_redis_outage_is_logged_once_a_minute_not_once_a_request(redis_down, anon, caplog):
    with time_machine.travel(time.time(), tick=True) as traveller:
        for _ in range(10):
            assert anon.get("/api/lessons").status_code == 200
        assert len(cache_warnings(caplog)) == 1
        assert "Redis failed" in cache_warnings(caplog)[0].getMessage()

        traveller.shift(timedelta(seconds=61))
        for _ in range(10):
            assert anon.get("/api/lessons").status_code == 200

    assert len(cache_warnings(caplog)) == 2


@pytest.mark.django_db
def test_throttles_still_count_per_process_while_redis_is_down(redis_down, anon, monkeypatch):
    monkeypatch.setattr(
        AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "3/min"}
    )

    statuses = [anon.get("/api/lessons").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_the_circuit_breaker_still_opens_while_redis_is_down(redis_down):
    breaker = CircuitBreaker("llm", failures=2, cooldown_seconds=30)

    breaker.record_failure()
    assert not breaker.is_open()
    breaker.record_failure()

    assert breaker.is_open()


@pytest.mark.django_db
def test_readiness_reports_the_redis_outage_quickly(redis_down, anon):
    for _ in range(3):
        response, seconds = timed(lambda: anon.get("/api/health/ready"))

        assert response.status_code == 503
        assert response.json()["database"] == "ok"
        assert response.json()["cache"].startswith("error")
        assert response["Retry-After"]
        assert seconds < FAST


@pytest.mark.django_db
def test_the_shared_cache_is_used_again_once_redis_answers(settings, anon, caplog):
    if not django_settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    settings.CACHES = redis_cache_at(django_settings.REDIS_URL)
    cache.clear()

    response = anon.get("/api/health/ready")
    assert response.status_code == 200
    assert response.json()["cache"] == "ok"
    assert anon.get("/api/lessons").status_code == 200

    # The anonymous throttle's counter is in Redis, where other servers see it.
    other_server = redis.Redis.from_url(django_settings.REDIS_URL)
    assert other_server.keys(cache.make_key("throttle_anon_*"))
    assert cache_warnings(caplog) == []


# --- PostgreSQL hung -------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(**env_vars: str) -> Iterator[str]:
    """Macca under gunicorn (gthread, as in production) on a free loopback port."""
    port = closed_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        {
            **PRODUCTION,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "ENV_FILE": os.devnull,
            "AI_PROVIDER": "local",
            "LOCAL_SPEECH": "stub",
            "LOCAL_WARM_UP": "false",
            **env_vars,
        }
    )
    command = [str(GUNICORN), "macca.wsgi", "--worker-class", "gthread", "--threads", "4"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stderr.read().decode()[-3000:]
            try:
                requests.get(f"{url}/api/health/live", timeout=5).raise_for_status()
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


@pytest.fixture(scope="module")
def hung_database() -> Iterator[str]:
    with (
        hung_server() as port,
        gunicorn(
            DATABASE_URL=f"postgres://macca:pw@127.0.0.1:{port}/macca",
            DATABASE_CONNECT_TIMEOUT_SECONDS="2",  # psycopg's least
        ) as url,
    ):
        yield url


@pytest.mark.parametrize(
    ("path", "token"),
    [("/api/health/ready", None), ("/api/lessons", None), ("/api/user/profile", "a" * 64)],
    ids=["ready", "lessons", "bearer-profile"],
)
def test_a_hung_database_gets_the_api_a_quick_503(hung_database, path, token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response, seconds = timed(
        lambda: requests.get(hung_database + path, headers=headers, timeout=30)
    )

    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert "detail" in response.json() or response.json()["database"].startswith("error")
    assert int(response.headers["Retry-After"]) > 0
    assert seconds < 3.5


def test_a_hung_database_gets_pages_a_friendly_503(hung_database):
    # A session cookie makes the page ask the database who is logged in.
    response, seconds = timed(
        lambda: requests.get(
            hung_database + "/lessons/", cookies={"sessionid": "a" * 32}, timeout=30
        )
    )

    assert response.status_code == 503
    assert "Macca is back in a moment" in response.text
    assert "try again in a minute" in response.text
    assert int(response.headers["Retry-After"]) > 0
    assert seconds < 3.5


def test_the_lessons_api_answers_json_503_naming_no_internals(hung_database):
    body = requests.get(hung_database + "/api/lessons", timeout=30).json()

    assert body == {"detail": "Macca is briefly unavailable. Please try again shortly."}
