"""Account security through the API: a password change or reset revokes the learner's
other tokens and browser sessions, "log out everywhere", the list of devices
(tokens) with revoking one, and the admin login's throttle."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.conftest import browser_for, client_for
from tutor.models import TokenActivity, User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a kite over the harbour"
PROFILE = "/api/user/profile"


def is_logged_in(browser: Client) -> bool:
    return browser.get("/dashboard/").status_code == 200


def login(client: APIClient, password: str = PASSWORD, **extra):
    body = {"email": "alice@example.com", "password": password}
    return client.post("/api/auth/login", body, format="json", **extra)


# --- Password change -------------------------------------------------------------


def test_an_api_password_change_revokes_every_other_token_and_browser_session(alice):
    caller, other_device = client_for(alice), client_for(alice)
    browser = browser_for(alice)

    response = caller.post(
        "/api/auth/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
    )

    assert response.status_code == 204
    assert caller.get(PROFILE).status_code == 200  # the token making the call
    assert other_device.get(PROFILE).status_code == 401
    assert not is_logged_in(browser)
    assert login(APIClient()).status_code == 401
    assert login(APIClient(), password=NEW_PASSWORD).status_code == 200


def test_a_password_change_with_the_session_cookie_keeps_that_browser_in(alice):
    device, browser, other_browser = client_for(alice), browser_for(alice), browser_for(alice)

    response = browser.post(
        "/api/auth/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 204
    assert is_logged_in(browser)
    assert not is_logged_in(other_browser)
    assert device.get(PROFILE).status_code == 401


def test_a_wrong_current_password_changes_nothing(alice, alice_api):
    response = alice_api.post(
        "/api/auth/password",
        {"current_password": "not my password", "new_password": NEW_PASSWORD},
        format="json",
    )

    assert response.status_code == 400
    assert "current_password" in response.json()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_weak_new_password_is_refused_by_djangos_validators(alice, alice_api):
    response = alice_api.post(
        "/api/auth/password",
        {"current_password": PASSWORD, "new_password": "12345678"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["new_password"]
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_the_password_page_revokes_the_learners_api_tokens(alice):
    device, browser = client_for(alice), browser_for(alice)

    response = browser.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert device.get(PROFILE).status_code == 401
    assert is_logged_in(browser)


def test_any_new_password_revokes_the_tokens_whoever_sets_it(alice, bob):
    """The admin's password form and `changepassword` save the user like this."""
    device, bobs = client_for(alice), client_for(bob)

    alice.set_password(NEW_PASSWORD)
    alice.save()

    assert device.get(PROFILE).status_code == 401
    assert bobs.get(PROFILE).status_code == 200
    # Saving other fields keeps the tokens.
    fresh = client_for(alice)
    alice.name = "Alice A."
    alice.save()
    assert fresh.get(PROFILE).status_code == 200


def test_the_admin_changing_a_learners_password_revokes_their_tokens(alice):
    User.objects.create_superuser("admin@example.com", PASSWORD)
    device, admin = client_for(alice), Client()
    admin.login(email="admin@example.com", password=PASSWORD)

    response = admin.post(
        f"/admin/tutor/user/{alice.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert device.get(PROFILE).status_code == 401


# --- Password reset --------------------------------------------------------------


def reset_link() -> str:
    assert len(mail.outbox) == 1
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)


def test_a_password_reset_is_accepted_alike_for_known_and_unknown_addresses(alice, anon):
    unknown = anon.post("/api/auth/password-reset", {"email": "nobody@example.com"}, format="json")
    assert unknown.status_code == 202
    assert mail.outbox == []

    known = anon.post("/api/auth/password-reset", {"email": "ALICE@example.com"}, format="json")

    assert known.status_code == 202
    assert known.content == unknown.content
    assert mail.outbox[0].to == ["alice@example.com"]
    assert "Reset your Macca password" in mail.outbox[0].subject
    assert "/accounts/reset/" in mail.outbox[0].body


def test_a_password_reset_needs_an_email_address(anon):
    response = anon.post("/api/auth/password-reset", {"email": "not an address"}, format="json")

    assert response.status_code == 400
    assert "email" in response.json()


def test_the_reset_link_sets_a_new_password_once_and_revokes_every_token(alice, anon):
    device, browser = client_for(alice), browser_for(alice)
    anon.post("/api/auth/password-reset", {"email": "alice@example.com"}, format="json")
    link = reset_link()

    page = Client()
    form_url = page.get(link).url  # Django moves the token out of the URL first
    response = page.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert page.get(response.url).status_code == 200
    assert device.get(PROFILE).status_code == 401
    assert not is_logged_in(browser)
    assert login(APIClient(), password=NEW_PASSWORD).status_code == 200
    # The link works once.
    again = Client().get(link, follow=True)
    assert "does not work any more" in again.content.decode()


def test_reset_emails_for_one_address_are_throttled(alice, anon, monkeypatch):
    from tutor.api.throttles import PasswordResetEmailThrottle

    monkeypatch.setattr(PasswordResetEmailThrottle, "rate", "2/hour", raising=False)
    for n in range(2):
        body = {"email": "alice@example.com"}
        response = anon.post(
            "/api/auth/password-reset", body, format="json", REMOTE_ADDR=f"10.0.0.{n}"
        )
        assert response.status_code == 202

    response = anon.post(
        "/api/auth/password-reset",
        {"email": "alice@example.com"},
        format="json",
        REMOTE_ADDR="10.0.0.9",
    )

    assert response.status_code == 429
    assert len(mail.outbox) == 2


# --- Logging out -------------------------------------------------------------------


def test_log_out_everywhere_revokes_every_token_and_browser_session(alice, bob):
    caller, other_device, browser = client_for(alice), client_for(alice), browser_for(alice)
    bobs = client_for(bob)

    assert caller.post("/api/auth/logout-all").status_code == 204

    assert caller.get(PROFILE).status_code == 401
    assert other_device.get(PROFILE).status_code == 401
    assert not is_logged_in(browser)
    assert bobs.get(PROFILE).status_code == 200
    assert login(APIClient()).status_code == 200  # the password still works


def test_logging_out_of_the_browser_leaves_the_api_tokens_alone(alice):
    device, browser = client_for(alice), browser_for(alice)

    browser.post("/accounts/logout/")

    assert not is_logged_in(browser)
    assert device.get(PROFILE).status_code == 200


# --- Devices (tokens) ------------------------------------------------------------------


def test_the_learner_lists_their_active_tokens_with_the_one_in_use_marked(alice, bob):
    phone = APIClient(HTTP_USER_AGENT="MaccaApp/2.1 (Android 14)")
    token = login(phone).json()["access_token"]
    phone.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    laptop = client_for(alice)
    client_for(bob)

    response = phone.get("/api/auth/tokens")

    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 2
    assert set(rows[0]) == {
        "id",
        "prefix",
        "device",
        "created",
        "expires_at",
        "last_used_at",
        "current",
    }
    mine = next(row for row in rows if row["current"])
    assert token.startswith(mine["prefix"])
    assert mine["device"] == "MaccaApp/2.1 (Android 14)"
    assert mine["last_used_at"] is not None
    assert [row["current"] for row in rows].count(True) == 1
    assert laptop.get(PROFILE).status_code == 200


def test_revoking_a_token_logs_that_device_out(alice):
    phone, laptop = client_for(alice), client_for(alice)
    rows = laptop.get("/api/auth/tokens").json()
    phone_id = next(row["id"] for row in rows if not row["current"])

    assert laptop.delete(f"/api/auth/tokens/{phone_id}").status_code == 204

    assert phone.get(PROFILE).status_code == 401
    assert laptop.get(PROFILE).status_code == 200
    assert laptop.delete(f"/api/auth/tokens/{phone_id}").status_code == 404


def test_a_learner_cannot_see_or_revoke_another_learners_tokens(alice, bob):
    bobs = client_for(bob)
    bobs.get(PROFILE)
    bob_token_id = TokenActivity.objects.get(token__user=bob).id

    response = client_for(alice).delete(f"/api/auth/tokens/{bob_token_id}")

    assert response.status_code == 404
    assert bobs.get(PROFILE).status_code == 200
    assert str(bob_token_id) not in client_for(alice).get("/api/auth/tokens").content.decode()


def test_expired_tokens_are_not_listed(alice, alice_api):
    from datetime import timedelta

    from django.utils import timezone

    old, _ = AuthToken.objects.create(alice)
    AuthToken.objects.filter(pk=old.pk).update(expiry=timezone.now() - timedelta(minutes=1))

    rows = alice_api.get("/api/auth/tokens").json()

    assert [row["current"] for row in rows] == [True]


# --- The admin login ---------------------------------------------------------------


def test_the_admin_login_is_throttled_like_the_learners_logins():
    User.objects.create_superuser("admin@example.com", PASSWORD)
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login_email_ip"].split("/")[0])
    admin = Client()
    for _ in range(limit):
        response = admin.post(
            "/admin/login/",
            {"username": "admin@example.com", "password": "guess"},
            REMOTE_ADDR="10.0.0.1",
        )
        assert response.status_code == 200

    response = admin.post(
        "/admin/login/",
        {"username": "admin@example.com", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )

    assert response.status_code == 429
    assert "Too many login attempts" in response.content.decode()
    assert admin.get("/admin/").status_code == 302  # not logged in
    # The admin, from another address, gets in.
    response = admin.post(
        "/admin/login/",
        {"username": "admin@example.com", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 302
    assert admin.get("/admin/").status_code == 200


def test_a_tokens_last_use_is_noted_at_most_once_a_minute(alice):
    import time_machine
    from django.utils import timezone

    app = client_for(alice)
    issued = TokenActivity.objects.get(token__user=alice).last_used_at

    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        app.get(PROFILE)
    assert TokenActivity.objects.get(token__user=alice).last_used_at == issued

    later = timezone.now() + timedelta(minutes=5)
    cache.clear()  # the minute's marker expires (Redis keeps its own clock, not the test's)
    with time_machine.travel(later, tick=False):
        app.get(PROFILE)
    assert TokenActivity.objects.get(token__user=alice).last_used_at == later


def test_a_stolen_token_cannot_be_used_to_guess_the_password(alice, alice_api, monkeypatch):
    from tutor.api.throttles import PasswordCheckThrottle

    monkeypatch.setattr(PasswordCheckThrottle, "rate", "3/min", raising=False)
    for guess in ("guess one", "guess two", "guess three"):
        body = {"current_password": guess, "new_password": NEW_PASSWORD}
        assert alice_api.post("/api/auth/password", body, format="json").status_code == 400
    assert (
        alice_api.delete("/api/user", {"password": "guess four"}, format="json").status_code == 429
    )

    # Even the right password waits now, on every form that asks for it.
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    response = alice_api.post("/api/auth/password", body, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = browser_for(alice).post("/settings/delete/", {"password": PASSWORD})
    assert "Too many wrong passwords" in page.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
