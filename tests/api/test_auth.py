"""Sign-up, login, logout and how the API authenticates a request (Bearer token or
session cookie), including token expiry and the login/sign-up throttles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils.crypto import get_random_string
from knox.models import AuthToken
from rest_framework.test import APIClient

from tutor.api.throttles import (
    LoginEmailIPThrottle,
    LoginEmailThrottle,
    LoginIPThrottle,
    SignupEmailThrottle,
    SignupIPThrottle,
)
from tutor.models import User, VocabularyItem

pytestmark = pytest.mark.django_db

SIGNUP = "/api/auth/signup"
LOGIN = "/api/auth/login"
LOGOUT = "/api/auth/logout"
PROFILE = "/api/user/profile"
PASSWORD = "correct horse battery"
AUTH_KEYS = {"access_token", "token_type", "expires_at", "user"}
USER_KEYS = {"id", "email", "name", "level", "goal", "explanation_language"}


def signup(client: APIClient, *, remote_addr: str = "127.0.0.1", **fields):
    body = {"email": "carol@example.com", "password": "tea with lemon 42", "name": "Carol"}
    return client.post(SIGNUP, {**body, **fields}, format="json", REMOTE_ADDR=remote_addr)


def login(client: APIClient, email: str = "alice@example.com", password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"email": email, "password": password}, format="json", **extra)


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def assert_throttled(response) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "throttled" in response.json()["detail"]


# --- Sign-up ---------------------------------------------------------------------


def test_signup_creates_a_learner_with_the_default_profile_and_returns_a_token(anon):
    response = signup(anon)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == AUTH_KEYS
    assert body["token_type"] == "bearer"
    assert set(body["user"]) == USER_KEYS
    user = User.objects.get(email="carol@example.com")
    assert body["user"] == {
        "id": str(user.pk),
        "email": "carol@example.com",
        "name": "Carol",
        "level": "B1",
        "goal": "daily_conversation",
        "explanation_language": "id",
    }
    assert user.check_password("tea with lemon 42")


def test_signup_stores_the_email_in_lower_case(anon):
    response = signup(anon, email="  Carol@Example.COM ")

    assert response.status_code == 201
    assert response.json()["user"]["email"] == "carol@example.com"
    assert User.objects.get().email == "carol@example.com"


def test_the_signup_token_works_as_a_bearer_token(anon):
    token = signup(anon).json()["access_token"]

    response = bearer(token).get(PROFILE)

    assert response.status_code == 200
    assert response.json()["email"] == "carol@example.com"


def test_tokens_are_stored_hashed_never_in_the_clear(anon):
    token = signup(anon).json()["access_token"]

    rows = list(AuthToken.objects.values())
    assert len(rows) == 1
    assert all(token not in str(value) for value in rows[0].values())


def test_the_token_expires_after_token_ttl_hours(anon):
    assert settings.TOKEN_TTL_HOURS == 24
    start = datetime(2025, 3, 10, 5, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        body = signup(anon).json()
        assert datetime.fromisoformat(body["expires_at"]) == start + timedelta(hours=24)

        traveller.move_to(start + timedelta(hours=23, minutes=59))
        assert bearer(body["access_token"]).get(PROFILE).status_code == 200

        traveller.move_to(start + timedelta(hours=24, minutes=1))
        response = bearer(body["access_token"]).get(PROFILE)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_it_rejects_a_duplicate_email_in_another_case(anon, alice):
    response = signup(anon, email="ALICE@Example.com")

    assert response.status_code == 400
    assert response.json() == {"email": ["A learner with this email address already exists."]}
    assert User.objects.count() == 1


def test_it_rejects_an_invalid_email(anon):
    response = signup(anon, email="carol-at-example.com")

    assert response.status_code == 400
    assert set(response.json()) == {"email"}
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("x7!kq", "This password is too short. It must contain at least 8 characters."),
        ("password", "This password is too common."),
        ("48213905716", "This password is entirely numeric."),
        ("carol@example.com", "The password is too similar to the email address."),
    ],
)
def test_it_rejects_a_weak_password_with_django_s_validator_message(anon, password, message):
    response = signup(anon, password=password)

    assert response.status_code == 400
    assert set(response.json()) == {"password"}
    assert message in response.json()["password"]
    assert not User.objects.exists()


def test_it_names_each_missing_field(anon):
    response = anon.post(SIGNUP, {}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "email": ["This field is required."],
        "password": ["This field is required."],
    }


# --- Login -----------------------------------------------------------------------


def test_login_returns_a_working_token_and_the_user(anon, alice):
    response = login(anon)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == AUTH_KEYS
    assert body["token_type"] == "bearer"
    assert set(body["user"]) == USER_KEYS
    assert body["user"]["id"] == str(alice.pk)
    assert bearer(body["access_token"]).get(PROFILE).json()["id"] == str(alice.pk)


def test_login_accepts_the_email_in_any_case(anon, alice):
    response = login(anon, email="  ALICE@Example.com")

    assert response.status_code == 200
    assert response.json()["user"]["email"] == "alice@example.com"


@pytest.mark.parametrize(
    ("email", "password"),
    [("alice@example.com", "wrong horse battery"), ("nobody@example.com", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_login_answers_401_invalid_credentials(anon, alice, email, password):
    response = login(anon, email=email, password=password)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid credentials"}
    assert not AuthToken.objects.exists()


def test_an_inactive_learner_cannot_log_in(anon, alice):
    User.objects.filter(pk=alice.pk).update(is_active=False)

    response = login(anon)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid credentials"}


def test_a_deactivated_learner_s_token_stops_working(alice, alice_api):
    User.objects.filter(pk=alice.pk).update(is_active=False)

    assert alice_api.get(PROFILE).status_code == 401


def test_login_without_a_password_is_a_400_naming_the_field(anon):
    response = anon.post(LOGIN, {"email": "alice@example.com"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"password": ["This field is required."]}


# --- Logout ----------------------------------------------------------------------


def test_logout_revokes_the_token(anon, alice):
    token = login(anon).json()["access_token"]
    client = bearer(token)

    assert client.post(LOGOUT).status_code == 204
    assert not AuthToken.objects.exists()
    response = client.get(PROFILE)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_logout_leaves_the_learner_s_other_devices_logged_in(anon, alice):
    phone = bearer(login(anon).json()["access_token"])
    laptop = bearer(login(anon).json()["access_token"])

    assert phone.post(LOGOUT).status_code == 204

    assert phone.get(PROFILE).status_code == 401
    assert laptop.get(PROFILE).status_code == 200


def test_logout_without_credentials_is_401(anon):
    response = anon.post(LOGOUT)

    assert response.status_code == 401
    assert "detail" in response.json()


# --- Which requests are authenticated -------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", PROFILE),
        ("patch", PROFILE),
        ("get", "/api/user/progress"),
        ("get", "/api/user/vocabulary"),
        ("post", "/api/user/vocabulary"),
        ("get", "/api/sessions"),
        ("post", "/api/session/start"),
        ("post", "/api/session/turn"),
    ],
)
def test_anonymous_learner_requests_get_401_with_www_authenticate(anon, method, path):
    response = getattr(anon, method)(path, {}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_a_made_up_token_is_401(anon):
    response = bearer("not-a-real-token").get(PROFILE)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_session_cookie_authenticates_reads(alice):
    client = APIClient()
    client.force_login(alice)

    response = client.get(PROFILE)

    assert response.status_code == 200
    assert response.json()["id"] == str(alice.pk)


def test_a_session_post_without_a_csrf_token_is_rejected(alice):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(email="alice@example.com", password=PASSWORD)

    response = client.post(
        "/api/user/vocabulary", {"word": "office", "translation": "kantor"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
    assert not VocabularyItem.objects.exists()


def test_a_session_post_with_the_csrf_token_is_accepted(alice):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(email="alice@example.com", password=PASSWORD)
    secret = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret

    response = client.post(
        "/api/user/vocabulary",
        {"word": "office", "translation": "kantor"},
        format="json",
        HTTP_X_CSRFTOKEN=secret,
    )

    assert response.status_code == 201
    assert VocabularyItem.objects.filter(learner=alice, word="office").exists()


# --- Throttling ------------------------------------------------------------------


def test_wrong_passwords_for_one_email_from_one_address_are_throttled(anon, alice):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login_email_ip"] == "10/min"
    for _ in range(10):
        assert login(anon, password="wrong horse battery").status_code == 401

    # Even the right password, from the address that was guessing.
    assert_throttled(login(anon))
    assert not AuthToken.objects.filter(user=alice).exists()
    # The owner from another address is not refused.
    assert login(anon, REMOTE_ADDR="10.0.0.99").status_code == 200


def test_an_attacker_guessing_from_many_addresses_cannot_lock_the_owner_out(
    anon, alice, monkeypatch
):
    monkeypatch.setattr(LoginEmailThrottle, "rate", "3/min", raising=False)
    for n in range(5):
        response = login(anon, password="wrong horse battery", REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 401

    # Past the ceiling, the addresses that failed are refused, the right password too...
    assert_throttled(login(anon, email="Alice@Example.com", REMOTE_ADDR="10.0.0.1"))
    # ...but the owner, from an address that has not been failing, logs in.
    assert login(anon, email="Alice@Example.com", REMOTE_ADDR="10.0.9.9").status_code == 200
    # Other accounts are not affected.
    assert login(anon, email="bob@example.com", REMOTE_ADDR="10.0.0.1").status_code == 401


def test_wrong_passwords_from_one_address_are_throttled_across_emails(anon, alice, monkeypatch):
    monkeypatch.setattr(LoginIPThrottle, "rate", "3/min", raising=False)
    for n in range(3):
        response = login(anon, email=f"guess{n}@example.com", REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 401

    assert_throttled(login(anon, REMOTE_ADDR="10.0.0.1"))
    assert login(anon, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_right_passwords_use_up_no_attempts(anon, alice, monkeypatch):
    """A school's learners share one address: logging in is never what blocks them."""
    monkeypatch.setattr(LoginIPThrottle, "rate", "3/min", raising=False)
    monkeypatch.setattr(LoginEmailIPThrottle, "rate", "3/min", raising=False)
    for _ in range(6):
        assert login(anon, REMOTE_ADDR="10.0.0.1").status_code == 200


def test_a_forged_x_forwarded_for_does_not_dodge_the_login_throttle(anon, alice, monkeypatch):
    """Without a proxy in front (none is configured), X-Forwarded-For comes from the client."""
    monkeypatch.setattr(LoginIPThrottle, "rate", "3/min", raising=False)
    for n in range(3):
        login(anon, email=f"guess{n}@example.com", REMOTE_ADDR="10.0.0.1")

    response = login(
        anon, email="guess9@example.com", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7"
    )

    assert_throttled(response)


def test_signups_from_one_address_are_throttled(anon, monkeypatch):
    monkeypatch.setattr(SignupIPThrottle, "rate", "2/min", raising=False)
    for n in range(2):
        response = signup(anon, email=f"learner{n}@example.com", remote_addr="10.0.0.1")
        assert response.status_code == 201

    assert_throttled(signup(anon, email="learner9@example.com", remote_addr="10.0.0.1"))
    assert not User.objects.filter(email="learner9@example.com").exists()
    assert signup(anon, email="learner9@example.com", remote_addr="10.0.0.2").status_code == 201


def test_signups_for_one_email_are_throttled_across_addresses(anon, monkeypatch):
    monkeypatch.setattr(SignupEmailThrottle, "rate", "2/min", raising=False)
    for n in range(2):
        signup(anon, email="Probe@example.com", remote_addr=f"10.0.0.{n}")

    assert_throttled(signup(anon, email="probe@example.com", remote_addr="10.0.0.50"))
    assert signup(anon, email="other@example.com", remote_addr="10.0.0.50").status_code == 201
