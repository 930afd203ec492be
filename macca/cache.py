"""Redis as the cache every app server shares, riding out Redis outages: when Redis
refuses, hangs past its short socket timeout or errs, each operation is answered by
this process's own memory cache instead, so throttles and the circuit breaker keep
working (per process) and learners are served rather than shown a 500."""

from __future__ import annotations

import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.commands.core import Script

logger = logging.getLogger(__name__)


class _RedisState:
    """What this process knows of one Redis server, shared by its threads (Django gives
    each thread its own cache object): when to ask it again, when the last warning was."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down = False
        self.failure = ""
        self.retry_at = 0.0
        self.warned_at: float | None = None


_states: dict[str, _RedisState] = {}
_states_lock = threading.Lock()


class _ReusedClients(RedisCacheClient):
    """Django's client builds a new `redis.Redis` for every operation, and each one
    sets up its table of response callbacks: about half a millisecond of Python per
    cache call, several per request. One per connection pool is enough (a client
    takes a pooled connection per command, so threads may share it)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, redis.Redis] = {}

    def get_client(self, key=None, *, write=False) -> redis.Redis:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FallbackRedisCache(RedisCache):
    """Django's RedisCache, with this process's memory standing in while Redis fails.
    Set `socket_connect_timeout` and `socket_timeout` in OPTIONS: a hung Redis then
    costs one short wait, after which Redis is left alone for RETRY_SECONDS."""

    RETRY_SECONDS = 5.0
    WARNING_INTERVAL_SECONDS = 60.0

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ReusedClients
        local_params = {key: value for key, value in params.items() if key != "OPTIONS"}
        # Room for a busy process's throttle counters (LocMemCache's default is 300).
        local_params["OPTIONS"] = {"MAX_ENTRIES": 10_000}
        self._local = LocMemCache(f"macca-redis-fallback:{server}", local_params)
        with _states_lock:
            self._state = _states.setdefault(str(server), _RedisState())

    def _redis_or_local(self, operation: str, *args):
        state = self._state
        if state.down and time.time() < state.retry_at:
            return getattr(self._local, operation)(*args)
        try:
            result = getattr(super(), operation)(*args)
        except redis.RedisError as exc:
            self._note_failure(exc)
            return getattr(self._local, operation)(*args)
        if state.down:
            self._note_recovery()
        return result

    def _note_failure(self, exc: redis.RedisError) -> None:
        state = self._state
        now = time.time()
        with state.lock:
            state.down = True
            state.failure = type(exc).__name__
            state.retry_at = now + self.RETRY_SECONDS
            warned_lately = state.warned_at is not None and (
                now - state.warned_at < self.WARNING_INTERVAL_SECONDS
            )
            if warned_lately:
                return
            state.warned_at = now
        # The address stays out of the line: a Redis URL may hold a password.
        logger.warning(
            "cache: Redis failed (%s: %s); this process uses its own memory cache until "
            "Redis answers (throttles and the circuit breaker count per process meanwhile)",
            type(exc).__name__,
            exc,
        )

    def _note_recovery(self) -> None:
        with self._state.lock:
            if not self._state.down:
                return
            self._state.down = False
        logger.info("cache: Redis answers again; the shared cache is back in use")

    @property
    def redis_failure(self) -> str | None:
        """The error Redis last failed with while this process stands in for it, else
        None: the readiness probe must see the outage that requests ride out."""
        return self._state.failure if self._state.down else None

    def count(self, key: str, *, timeout: int, peek: str) -> tuple[int, int]:
        """Adds one to the counter `key` (created to live `timeout` seconds) and reads
        the counter `peek`: (key's new value, peek's value or 0), in one round trip."""
        state = self._state
        if state.down and time.time() < state.retry_at:
            return count_in(self._local, key, timeout=timeout, peek=peek)
        full, other = self.make_and_validate_key(key), self.make_and_validate_key(peek)
        try:
            client = self._cache.get_client(full, write=True)
            # redis-py's Script: EVALSHA, loading the script again after a Redis restart.
            script = _count_script(client)
            value, peeked = script(keys=[full, other], args=[int(timeout)], client=client)
        except redis.RedisError as exc:
            self._note_failure(exc)
            return count_in(self._local, key, timeout=timeout, peek=peek)
        if state.down:
            self._note_recovery()
        return value, int(peeked or 0)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._redis_or_local("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._redis_or_local("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._redis_or_local("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._redis_or_local("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._redis_or_local("delete", key, version)

    def get_many(self, keys, version=None):
        return self._redis_or_local("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._redis_or_local("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._redis_or_local("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._redis_or_local("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._redis_or_local("delete_many", keys, version)

    def clear(self):
        self._local.clear()
        return self._redis_or_local("clear")


# Adds one to KEYS[1] (given ARGV[1] seconds to live when new) and reads KEYS[2]: one
# command, where a pipeline of three costs three times the Python to pack and parse.
COUNT_SCRIPT = """
local value = redis.call('INCR', KEYS[1])
if value == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {value, redis.call('GET', KEYS[2])}
"""
_count: Script | None = None


def _count_script(client: redis.Redis) -> Script:
    global _count
    if _count is None:
        _count = client.register_script(COUNT_SCRIPT)
    return _count


def count_in(cache, key: str, *, timeout: int, peek: str) -> tuple[int, int]:
    """`FallbackRedisCache.count` with any Django cache: three calls instead of one."""
    if cache.add(key, 1, timeout):
        value = 1
    else:
        try:
            value = cache.incr(key)
        except ValueError:  # expired in between
            cache.set(key, 1, timeout)
            value = 1
    return value, int(cache.get(peek) or 0)
