"""Learners log in with their email address, whatever its case."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError

from tutor.models import User

pytestmark = pytest.mark.django_db


def test_a_new_learner_gets_the_default_learning_profile():
    user = User.objects.create_user("  Siti@Example.COM ", "correct horse battery", name="Siti")
    user.refresh_from_db()
    assert user.email == "siti@example.com"
    assert (user.level, user.goal, user.explanation_language) == ("B1", "daily_conversation", "id")
    assert user.time_zone == "Asia/Jakarta"
    assert not user.is_staff


def test_it_logs_in_by_email_in_any_case(alice):
    assert authenticate(email="ALICE@Example.com", password="correct horse battery") == alice
    assert authenticate(email="alice@example.com", password="wrong") is None
    assert authenticate(email="nobody@example.com", password="correct horse battery") is None


def test_a_superuser_can_be_created_from_the_command_line():
    admin = User.objects.create_superuser("admin@example.com", "s3cret-pass!", name="Admin")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password("s3cret-pass!")


def test_it_rejects_an_unknown_time_zone(alice):
    alice.time_zone = "Mars/Olympus_Mons"
    with pytest.raises(ValidationError, match="not a time zone"):
        alice.full_clean()
