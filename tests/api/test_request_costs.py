"""What a plain request costs in shared state: the rate throttles count with one cache
round trip and hold their rate across period boundaries, a healthy provider call
writes nothing to the breaker, and a token costs one query. Run against the cache
the suite is configured with (Redis when REDIS_URL is set, memory otherwise)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import redis
import responses
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone
from knox.models import AuthToken

from providers.breaker import CircuitBreaker
from providers.http import HuggingFaceClient
from tests.conftest import client_for
from tutor.api.throttles import AnonThrottle, UserThrottle
from tutor.services.tokens import issue_token


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def throttle(rate: str, clock: Clock, cls=AnonThrottle):
    instance = cls()
    instance.rate = rate
    instance.num_requests, instance.duration = instance.parse_rate(rate)
    instance.timer = clock
    return instance


@pytest.fixture
def request_from(rf):
    def make(address: str):
        request = rf.get("/api/lessons", REMOTE_ADDR=address)
        request.user = AnonymousUser()
        return request

    return make


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def allowed(guard, request) -> bool:
    return guard.allow_request(request, None)


def test_the_rate_is_kept_and_refusals_say_when_to_come_back(request_from):
    clock = Clock(60_000.0)  # the start of a minute
    request = request_from("10.0.0.1")
    guard = throttle("3/min", clock)

    assert [allowed(guard, request) for _ in range(3)] == [True, True, True]
    assert not allowed(guard, request)
    assert 1 <= guard.wait() <= 120
    assert allowed(throttle("3/min", clock), request_from("10.0.0.2"))  # another address


def test_the_rate_does_not_double_across_a_period_boundary(request_from):
    clock = Clock(60_000.0 + 55)  # five seconds before a minute ends
    request = request_from("10.0.0.1")
    guard = throttle("3/min", clock)
    assert [allowed(guard, request) for _ in range(3)] == [True, True, True]

    clock.now += 10  # five seconds into the next minute

    assert not allowed(guard, request)
    clock.now += 60  # a full minute after the three
    assert allowed(guard, request)


def test_refused_requests_are_not_counted(request_from):
    clock = Clock(60_000.0)
    request = request_from("10.0.0.1")
    guard = throttle("2/min", clock)
    assert [allowed(guard, request) for _ in range(2)] == [True, True]
    assert [allowed(guard, request) for _ in range(20)] == [False] * 20

    clock.now += 60 + 60 * 0.51  # the two weigh less than one now: room for one more

    assert allowed(guard, request)
    assert not allowed(guard, request)


def test_a_learner_is_counted_by_account_not_by_address(rf, alice, bob):
    clock = Clock(60_000.0)
    first = rf.get("/api/user/profile", REMOTE_ADDR="10.0.0.1")
    first.user = alice
    second = rf.get("/api/user/profile", REMOTE_ADDR="10.0.0.1")
    second.user = bob

    assert allowed(throttle("1/min", clock, UserThrottle), first)
    assert not allowed(throttle("1/min", clock, UserThrottle), first)
    assert allowed(throttle("1/min", clock, UserThrottle), second)


def test_a_throttled_request_costs_one_cache_round_trip(request_from):
    if not hasattr(cache, "count"):
        pytest.skip("one round trip needs Redis (REDIS_URL); memory takes three calls")
    guard = throttle("100/min", Clock(60_000.0))
    request = request_from("10.0.0.1")
    allowed(guard, request)  # the counting script is loaded on first use
    command = redis.Redis.execute_command
    with mock.patch.object(redis.Redis, "execute_command", autospec=True) as sent:
        sent.side_effect = command
        assert allowed(guard, request)
    assert sent.call_count == 1

    cache._cache.get_client(write=True).script_flush()  # as after a Redis restart
    assert allowed(guard, request)
    assert guard.current == 3


# --- The breaker --------------------------------------------------------------------


@responses.activate
def test_a_healthy_provider_call_writes_nothing_to_the_breaker():
    responses.post("https://router.example/v1/chat", json={"ok": True})
    breaker = CircuitBreaker("llm-test", failures=3, cooldown_seconds=30)
    client = HuggingFaceClient(
        task="llm",
        url="https://router.example/v1/chat",
        model_id="m",
        api_key="k",
        connect_timeout=5,
        read_timeout=5,
        retries=0,
        retry_budget=1,
        breaker=breaker,
    )
    with (
        mock.patch.object(cache, "delete_many", wraps=cache.delete_many) as delete_many,
        mock.patch.object(cache, "delete", wraps=cache.delete) as delete,
    ):
        assert client.post(json={}) is not None
    assert delete_many.call_count == delete.call_count == 0

    breaker.record_failure()
    breaker.record_failure()
    assert client.post(json={}) is not None  # a success after failures resets the count
    breaker.record_failure()
    breaker.record_failure()
    assert not breaker.is_open()


# --- Tokens -------------------------------------------------------------------------


@pytest.mark.django_db
def test_expired_tokens_go_at_the_next_login_and_cost_requests_nothing(
    alice, django_assert_num_queries
):
    old, _ = issue_token(user=alice)
    AuthToken.objects.filter(pk=old.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    api = client_for(alice)  # a login: issues a token
    assert not AuthToken.objects.filter(pk=old.pk).exists()

    api.get("/api/lessons")
    with django_assert_num_queries(2):  # the token with its learner, their lesson positions
        response = api.get("/api/lessons")
    assert response.status_code == 200
