"""The learner's API tokens as devices: issued with a record of where they went,
listed, revoked one by one or all at once ("log out everywhere")."""

from __future__ import annotations

import math
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from knox.models import AuthToken

from tutor.models import TokenActivity, User

# Recording every use would turn each API read into a write.
TOUCH_AFTER = timedelta(minutes=1)


def issue_token(*, user: User, request: HttpRequest | None = None) -> tuple[AuthToken, str]:
    """A new token (instance, the secret to hand out once), remembered as a device."""
    agent = request.headers.get("User-Agent", "") if request is not None else ""
    with transaction.atomic():
        # The learner's expired tokens go at a login, not at every request (knox's way).
        AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
        instance, token = AuthToken.objects.create(user)
        TokenActivity.objects.create(
            token=instance, user_agent=agent[:200], last_used_at=instance.created
        )
    cache.set(_used_key(instance), True, TOUCH_AFTER.total_seconds())  # issuing is a use
    return instance, token


def _used_key(token: AuthToken) -> str:
    return f"token-used:{token.digest[:32]}"


def active_tokens(*, user: User) -> QuerySet[AuthToken]:
    """Unexpired tokens, newest first, each with its activity (tokens issued before
    devices were recorded get theirs now)."""
    unrecorded = AuthToken.objects.filter(user=user, activity__isnull=True)
    TokenActivity.objects.bulk_create(
        [TokenActivity(token=token) for token in unrecorded], ignore_conflicts=True
    )
    return (
        AuthToken.objects.filter(user=user)
        .exclude(expiry__lte=timezone.now())
        .select_related("activity")
        .order_by("-created")
    )


# Tokens this process noted lately (digest prefix → when): most requests of a token
# then skip the shared cache too. Bounded: forgotten all at once when it grows large.
_noted: dict[str, float] = {}
MAX_NOTED = 10_000


def record_use(token: AuthToken) -> None:
    """Notes that a token was used, at most once a minute per token: a cache key
    says it was noted lately, so most requests make no query for it (and this
    process's memory says so, so most make no cache call either)."""
    key, now = _used_key(token), time.time()
    if now - _noted.get(key, -math.inf) < TOUCH_AFTER.total_seconds():
        return
    if len(_noted) >= MAX_NOTED:
        _noted.clear()
    _noted[key] = now
    if not cache.add(key, True, TOUCH_AFTER.total_seconds()):
        return
    now = timezone.now()
    if not TokenActivity.objects.filter(token=token).update(last_used_at=now):
        # A token issued before devices were recorded.
        TokenActivity.objects.get_or_create(token=token, defaults={"last_used_at": now})


def revoke_token(*, user: User, token_id) -> bool:
    """Deletes one of the learner's tokens by its public id; False if not theirs."""
    deleted, _ = AuthToken.objects.filter(user=user, activity__id=token_id).delete()
    return bool(deleted)


def log_out_everywhere(*, user: User) -> None:
    """Every API token and every browser session of the learner stops working."""
    AuthToken.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
