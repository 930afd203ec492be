"""A circuit breaker per provider, kept in Django's cache so that every worker
(and every server, with Redis) sees the same state: when Hugging Face is down,
learners get the fallback at once instead of waiting through timeouts.

Beside it, per task, the last answer that only a person can mend (credits
exhausted, a token refused), for the readiness probe and the admin to show."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache

logger = logging.getLogger(__name__)

TASKS = ("llm", "asr", "tts")
FALLBACKS = {"llm": "the offline coach", "asr": "the local recogniser", "tts": "the local voice"}
# status: (what it means, what a person should do, where)
NEEDS_A_PERSON = {
    401: (
        "token refused",
        "Check the API key (HF_API_KEY):",
        "https://huggingface.co/settings/tokens",
    ),
    402: ("credits exhausted", "Top up at", "https://huggingface.co/settings/billing"),
    403: (
        "token lacks the Inference Providers permission",
        "Give the token “Make calls to Inference Providers” at",
        "https://huggingface.co/settings/tokens",
    ),
}
PROBLEM_TTL = 24 * 3600  # forgotten after a day without calls: nobody was affected


@dataclass(frozen=True)
class Reading:
    """The breaker as one call finds it: `open` (skip the call), and `clean` when no
    failure is counted and no problem recorded, so a success has nothing to reset."""

    open: bool
    clean: bool


class CircuitBreaker:
    def __init__(self, name: str, *, failures: int, cooldown_seconds: float) -> None:
        self.name = name
        self.failures = failures
        self.cooldown_seconds = cooldown_seconds
        self._count_key = f"hf-breaker:{name}:failures"
        self._open_key = f"hf-breaker:{name}:open-until"

    def read(self, *, task: str | None = None) -> Reading:
        """One cache round trip for everything a call needs to know (with `task`, its
        recorded problem too), so a healthy call costs one read and no write."""
        keys = [self._open_key, self._count_key] + ([_problem_key(task)] if task else [])
        found = cache.get_many(keys)
        open_until = found.get(self._open_key)
        return Reading(
            open=open_until is not None and time.time() < open_until,
            clean=not found,
        )

    def is_open(self) -> bool:
        return self.read().open

    def record_success(self) -> None:
        cache.delete_many([self._count_key, self._open_key])

    def open_for(self, seconds: float) -> None:
        """Skip calls for `seconds` now, whatever the count: no retry mends an
        exhausted credit or a refused token. One failure after it reopens at once."""
        cache.set(self._count_key, self.failures, timeout=None)
        cache.set(self._open_key, time.time() + seconds, timeout=seconds + 1)
        logger.warning("%s: skipping calls for %ss", self.name, seconds)

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


# --- What needs a person ---------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A task's provider answered something only a person can mend."""

    task: str
    model_id: str
    host: str
    status: int
    since: datetime
    until: datetime

    @property
    def summary(self) -> str:
        return NEEDS_A_PERSON[self.status][0]

    @property
    def fix(self) -> str:
        return NEEDS_A_PERSON[self.status][1]

    @property
    def fix_url(self) -> str:
        return NEEDS_A_PERSON[self.status][2]

    @property
    def fallback(self) -> str:
        return FALLBACKS.get(self.task, "the local engine")


def _problem_key(task: str) -> str:
    return f"hf-problem:{task}"


def record_problem(*, task: str, model_id: str, host: str, status: int, seconds: float) -> None:
    """Remember (for every worker) that `task` needs a person, since when it first
    did, and until when its calls are skipped."""
    now = time.time()
    known = cache.get(_problem_key(task))
    since = known["since"] if known and known["status"] == status else now
    value = {"model_id": model_id, "host": host, "status": status, "since": since}
    cache.set(_problem_key(task), {**value, "until": now + seconds}, timeout=PROBLEM_TTL)


def clear_problem(task: str) -> None:
    cache.delete(_problem_key(task))


def current_problems() -> list[Problem]:
    """What needs a person now, one entry per task, for the admin and the readiness probe."""
    found = cache.get_many([_problem_key(task) for task in TASKS])
    problems = []
    for task in TASKS:
        value = found.get(_problem_key(task))
        if not value or value.get("status") not in NEEDS_A_PERSON:
            continue
        problems.append(
            Problem(
                task=task,
                model_id=value["model_id"],
                host=value["host"],
                status=value["status"],
                since=datetime.fromtimestamp(value["since"], tz=UTC),
                until=datetime.fromtimestamp(value["until"], tz=UTC),
            )
        )
    return problems
