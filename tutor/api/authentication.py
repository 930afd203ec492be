"""Bearer-token authentication: knox's, hardened against headers no client sends."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth as knox_auth
from knox.signals import token_expired
from rest_framework import exceptions

from tutor.services import tokens


class TokenAuthentication(knox_auth.TokenAuthentication):
    """knox's TokenAuthentication, but a token that is not ASCII (a byte over 0x7f
    in the header, which WSGI hands over as Latin-1) is an invalid token, 401, not
    the UnicodeDecodeError knox raises on it. Its tokens are hex digits."""

    def authenticate_credentials(self, token: bytes):
        if not token.isascii():
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user, auth_token = super().authenticate_credentials(token)
        tokens.record_use(auth_token)  # "last used" on the settings page's devices
        return user, auth_token

    def _cleanup_token(self, auth_token) -> bool:
        """True when this token has expired (and is deleted). knox also loads every
        other token of the learner to delete the expired ones, a query on every
        request; `tokens.issue_token` does that at each login instead."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            token_expired.send(
                sender=self.__class__, username=auth_token.user.get_username(), source="auth_token"
            )
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI bearer scheme drf-spectacular gives knox's class, for this one and
    any subclass of it."""

    target_class = "tutor.api.authentication.TokenAuthentication"
    match_subclasses = True
