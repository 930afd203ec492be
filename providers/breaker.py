"""A circuit breaker per provider, kept in Django's cache so that every worker
(and every server, with Redis) sees the same state: when Hugging Face is down,
learners get the fallback at once instead of waiting through timeouts."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(self, name: str, *, failures: int, cooldown_seconds: float) -> None:
        self.name = name
        self.failures = failures
        self.cooldown_seconds = cooldown_seconds
        self._count_key = f"hf-breaker:{name}:failures"
        self._open_key = f"hf-breaker:{name}:open-until"

    def is_open(self) -> bool:
        open_until = cache.get(self._open_key)
        return open_until is not None and time.time() < open_until

    def record_success(self) -> None:
        cache.delete_many([self._count_key, self._open_key])

    def record_failure(self) -> None:
        # add() then incr(): atomic in Redis, so concurrent workers count every failure.
        if cache.add(self._count_key, 1, timeout=None):
            count = 1
        else:
            try:
                count = cache.incr(self._count_key)
            except ValueError:  # deleted by a success in between
                count = 1
        if count >= self.failures:
            # Once the cooldown ends one call goes through (half-open); it closes
            # the breaker on success, and a failure opens it again at once.
            cache.set(
                self._open_key,
                time.time() + self.cooldown_seconds,
                timeout=self.cooldown_seconds + 1,
            )
            logger.warning(
                "%s: %d consecutive failures, skipping calls for %ss",
                self.name,
                count,
                self.cooldown_seconds,
            )
