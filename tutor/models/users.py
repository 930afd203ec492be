"""Learners (and admins): they log in with their email address, whatever its case."""

from __future__ import annotations

import uuid
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from tutor.text import ONLY_INVISIBLE, clean_text

from .choices import ExplanationLanguage, Goal, Level, in_choices


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(
            "“%(value)s” is not a time zone name such as Asia/Jakarta.", params={"value": value}
        )


class UserManager(BaseUserManager):
    def get_by_natural_key(self, email: str) -> User:
        # LOWER(email) matches the unique index, so a login is one indexed lookup.
        return self.alias(email_lower=Lower("email")).get(email_lower=email.strip().lower())

    def _create(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively, so they are stored lower-cased."""
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """A learner (or an admin). Logs in with their email address."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("email address", max_length=254)
    name = models.CharField(max_length=150, blank=True)
    level = models.CharField(max_length=2, choices=Level.choices, default=Level.B1)
    goal = models.CharField(max_length=32, choices=Goal.choices, default=Goal.DAILY_CONVERSATION)
    explanation_language = models.CharField(
        max_length=2,
        choices=ExplanationLanguage.choices,
        default=ExplanationLanguage.INDONESIAN,
        help_text="The language Macca explains mistakes in.",
    )
    time_zone = models.CharField(
        max_length=64,
        default="Asia/Jakarta",
        validators=[validate_time_zone],
        help_text="The learner's time zone: practice days and streaks follow it.",
    )
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Can log in to this admin site."
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Unselect this instead of deleting the account."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    session_epoch = models.PositiveIntegerField(
        default=0, editable=False, help_text="Raised by “log out everywhere”."
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="tutor_user_email_ci_unique",
                violation_error_message="A user with this email address already exists.",
            ),
            models.CheckConstraint(
                condition=in_choices("level", Level), name="tutor_user_level_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("goal", Goal), name="tutor_user_goal_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("explanation_language", ExplanationLanguage),
                name="tutor_user_explanation_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    def clean(self) -> None:
        """Also where the admin's edits pass: a name of only invisible characters
        is refused there as on the pages and in the API."""
        super().clean()
        self.email = normalize_email(self.email)
        name = clean_text(self.name)
        if self.name and not name:
            raise ValidationError({"name": ONLY_INVISIBLE})
        self.name = name

    def save(self, *args, **kwargs) -> None:
        # Django marks a new password in _password until it is saved. Whoever changed
        # it (the pages, the API, a reset link, the admin, `changepassword`), the API
        # tokens issued under the old one stop working, as its browser sessions do.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            from knox.models import AuthToken

            kept = getattr(self, "keep_token_digest", None)
            AuthToken.objects.filter(user=self).exclude(digest=kept).delete()

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password, which every browser session carries; "log out
        everywhere" raises the epoch, so the sessions made before stop matching."""
        if not self.session_epoch:
            return super().get_session_auth_hash()
        return salted_hmac(
            "tutor.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class TokenActivity(models.Model):
    """What knox does not keep about an API token: an id to show and revoke it by
    (its digest is a secret), the device it was issued to, and when it was last used."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token = models.OneToOneField(
        settings.KNOX_TOKEN_MODEL, on_delete=models.CASCADE, related_name="activity"
    )
    user_agent = models.CharField(max_length=200, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "token activity"

    def __str__(self) -> str:
        return f"{self.token.token_key}… ({self.user_agent or 'unknown device'})"
