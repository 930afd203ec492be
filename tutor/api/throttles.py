"""Throttles beyond DRF's per-user and per-IP defaults: failed logins (password
guessing), sign-ups per IP and per email, and practice turns and spoken lines per
learner (each one costs inference). Counters live in the cache: shared with Redis."""

from __future__ import annotations

import contextlib
import hashlib

from django.http import HttpRequest
from rest_framework.exceptions import Throttled
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from macca.cache import count_in


class WindowThrottle(SimpleRateThrottle):
    """DRF's rate throttle, counted cheaply. DRF keeps the time of every request in
    the cache and reads and writes that list back on each one: two round trips to
    Redis and a pickled list as long as the rate. This keeps a counter per period of
    the rate (one round trip: add one to this period's, read the last one's) and
    estimates the requests of the last full period as this period's count plus the
    last period's, weighted by how much of it still lies within one period of now.
    The estimate moves smoothly across period boundaries, so a client cannot double
    its rate at one; a refused request is taken back out, as DRF does not count it."""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        period = int(self.now // self.duration)
        self.elapsed = self.now / self.duration - period  # 0..1 of this period gone
        this, last = f"{self.key}:{period}", f"{self.key}:{period - 1}"
        args = {"timeout": 2 * self.duration + 1, "peek": last}
        if hasattr(self.cache, "count"):  # Redis: one round trip
            self.current, self.previous = self.cache.count(this, **args)
        else:
            self.current, self.previous = count_in(self.cache, this, **args)
        if self._estimate(self.current) <= self.num_requests:
            return True
        self.current -= 1
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to take back
            self.cache.decr(this)
        return False

    def _estimate(self, current: int) -> float:
        return current + self.previous * (1 - self.elapsed)

    def wait(self) -> float:
        """Seconds until one more request fits."""
        room = self.num_requests - 1 - self.current
        if self.previous and room >= 0:
            # The last period's weight falls to room / previous.
            return max((1 - room / self.previous - self.elapsed) * self.duration, 1)
        # Not before the next period, in which this one weighs in as the last.
        later = 1 - (self.num_requests - 1) / self.current if self.current else 0
        return max((1 - self.elapsed + max(later, 0)) * self.duration, 1)


class AnonThrottle(WindowThrottle, AnonRateThrottle):
    """Requests without an account, per client address (`anon` rate)."""


class UserThrottle(WindowThrottle, UserRateThrottle):
    """Requests per learner (`user` rate). A request without an account is counted by
    AnonThrottle alone, not twice per address as DRF's pair does."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


def _email_in(request) -> str | None:
    """The address an API request (JSON "email") or a login form ("username") is about."""
    data = request.data if hasattr(request, "data") else request.POST
    email = (data.get("email") or data.get("username")) if hasattr(data, "get") else None
    if not isinstance(email, str) or not email.strip():
        return None
    # Hashed: any text fits a cache key (length, spaces, control characters, and
    # the lone surrogates JSON allows, which the serializer refuses afterwards).
    return hashlib.sha256(email.strip().lower().encode(errors="surrogatepass")).hexdigest()


class SignupIPThrottle(WindowThrottle):
    scope = "signup_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignupEmailThrottle(WindowThrottle):
    """Probing whether an address has an account costs attempts too."""

    scope = "signup_email"

    def get_cache_key(self, request, view):
        email = _email_in(request)
        return email and self.cache_format % {"scope": self.scope, "ident": email}


class PasswordResetIPThrottle(SignupIPThrottle):
    scope = "password_reset_ip"


class PasswordResetEmailThrottle(SignupEmailThrottle):
    """One inbox is not flooded with reset emails, whoever asks."""

    scope = "password_reset_email"


MAX_FAILED_ADDRESSES = 2000


class _FailureThrottle(SimpleRateThrottle):
    """Counts failed logins only: `allow_request` looks, `failed()` counts one. A
    learner who types the right password never uses up anything."""

    def allow_request(self, request, view) -> bool:
        self.key = self.get_cache_key(request, view) if self.rate else None
        if self.key is None:
            return True
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        return len(self.history) < self.num_requests

    def failed(self) -> None:
        if self.key is not None:
            self.cache.set(self.key, [self.now, *self.history], self.duration)


class LoginIPThrottle(_FailureThrottle):
    """Failures from one address, whatever the accounts: one guesser trying many."""

    scope = "login_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginEmailIPThrottle(_FailureThrottle):
    """Failures for one account from one address: the limit a guesser meets first,
    and one that never touches the owner logging in from elsewhere."""

    scope = "login_email_ip"

    def get_cache_key(self, request, view):
        email = _email_in(request)
        ident = email and f"{email}:{self.get_ident(request)}"
        return ident and self.cache_format % {"scope": self.scope, "ident": ident}


class LoginEmailThrottle(_FailureThrottle):
    """A high ceiling on failures for one account from anywhere: many addresses
    guessing together. Past it only the addresses that failed are refused, so the
    owner's right password from an address that has not been failing still gets in."""

    scope = "login_email"

    def get_cache_key(self, request, view):
        email = _email_in(request)
        self.ident = self.get_ident(request)
        return email and self.cache_format % {"scope": self.scope, "ident": email}

    def allow_request(self, request, view) -> bool:
        self.key = self.get_cache_key(request, view) if self.rate else None
        if self.key is None:
            return True
        self.now = self.timer()
        # Entries are [time, address]: which addresses failed, and when.
        self.history = [e for e in self.cache.get(self.key, []) if e[0] > self.now - self.duration]
        if len(self.history) < self.num_requests:
            return True
        return all(address != self.ident for _time, address in self.history)

    def failed(self) -> None:
        if self.key is not None:
            # Every address that failed in the window (bounded: a botnet's worth).
            entries = [[self.now, self.ident], *self.history][:MAX_FAILED_ADDRESSES]
            self.cache.set(self.key, entries, self.duration)

    def wait(self) -> float:
        oldest = min((t for t, address in self.history if address == self.ident), default=self.now)
        return max(self.duration - (self.now - oldest), 1)


class LoginGuard:
    """The three login throttles together, for the API, the login page and the admin.

    `allows()` before checking the password (when False, `wait` says for how long);
    `failed()` after a wrong one."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.throttles = (LoginEmailIPThrottle(), LoginIPThrottle(), LoginEmailThrottle())
        self.wait: float = 0

    def allows(self) -> bool:
        refused = [t for t in self.throttles if not t.allow_request(self.request, None)]
        self.wait = max((t.wait() or 1 for t in refused), default=0)
        return not refused

    def failed(self) -> None:
        for throttle in self.throttles:
            throttle.failed()


class PasswordCheckThrottle(_FailureThrottle):
    """Wrong passwords typed by a logged-in learner (to change it, to delete the
    account): a stolen session or token is no way to find the password out."""

    scope = "password_check"

    def __init__(self, user) -> None:
        self.user = user
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.user.pk}


def confirm_password(user, password: str) -> bool:
    """Whether `password` is the learner's; raises Throttled after too many wrong ones."""
    throttle = PasswordCheckThrottle(user)
    if not throttle.allow_request(None, None):
        raise Throttled(wait=throttle.wait())
    if user.check_password(password):
        return True
    throttle.failed()
    return False


class TurnThrottle(UserThrottle):
    scope = "turn"


class SpeechThrottle(UserThrottle):
    """Lines a learner asks to hear: a new one costs a synthesis, and the pronunciation
    page asks for one per word tapped, so they get their own budget beside turns."""

    scope = "speech"
