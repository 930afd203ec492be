"""Throttles beyond DRF's per-user and per-IP defaults: logins per IP and per
email (password guessing), sign-ups per IP, and practice turns and spoken lines per
learner (each one costs inference). Counters live in the cache: shared with Redis."""

from __future__ import annotations

import hashlib

from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


class LoginIPThrottle(SimpleRateThrottle):
    scope = "login_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginEmailThrottle(SimpleRateThrottle):
    """Spreading guesses for one account over many addresses doesn't help."""

    scope = "login_email"

    def get_cache_key(self, request, view):
        # An API request (JSON "email"), or the login page's form ("username").
        data = request.data if hasattr(request, "data") else request.POST
        email = (data.get("email") or data.get("username")) if hasattr(data, "get") else None
        if not isinstance(email, str) or not email.strip():
            return None
        # Hashed: any text fits a cache key (length, spaces, control characters, and
        # the lone surrogates JSON allows, which the serializer refuses afterwards).
        ident = hashlib.sha256(email.strip().lower().encode(errors="surrogatepass")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class SignupIPThrottle(LoginIPThrottle):
    scope = "signup_ip"


class SignupEmailThrottle(LoginEmailThrottle):
    """Probing whether an address has an account costs attempts too."""

    scope = "signup_email"


class TurnThrottle(UserRateThrottle):
    scope = "turn"


class SpeechThrottle(UserRateThrottle):
    """Lines a learner asks to hear: a new one costs a synthesis, and the pronunciation
    page asks for one per word tapped, so they get their own budget beside turns."""

    scope = "speech"
