"""The settings page's devices, "log out everywhere", and resetting a forgotten
password through the pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from rest_framework.test import APIClient

from tests.conftest import browser_for
from tutor.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a kite over the harbour"


def app_of(user: User, agent: str = "MaccaApp/2.1 (Android 14)") -> APIClient:
    app = APIClient(HTTP_USER_AGENT=agent)
    body = {"email": user.email, "password": PASSWORD}
    token = app.post("/api/auth/login", body, format="json").json()["access_token"]
    app.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return app


def test_the_settings_page_lists_the_learners_devices_with_a_log_out_button(alice, bob):
    app = app_of(alice)
    app.get("/api/user/profile")
    app_of(bob, agent="BobsTablet/1.0")

    page = browser_for(alice).get("/settings/").content.decode()

    assert "MaccaApp/2.1 (Android 14)" in page
    assert "last used" in page
    assert "BobsTablet" not in page
    assert page.count('action="/settings/devices/') == 1
    assert "Log out everywhere else" in page


def test_logging_a_device_out_from_the_settings_page(alice):
    app, browser = app_of(alice), browser_for(alice)
    page = browser.get("/settings/").content.decode()
    action = re.search(r'action="(/settings/devices/[^"]+/revoke/)"', page).group(1)

    response = browser.post(action, follow=True)

    assert response.status_code == 200
    assert "That device is logged out." in response.content.decode()
    assert app.get("/api/user/profile").status_code == 401
    assert "MaccaApp" not in response.content.decode()


def test_another_learners_device_cannot_be_logged_out(alice, bob):
    bobs_app = app_of(bob)
    bobs_page = browser_for(bob).get("/settings/").content.decode()
    action = re.search(r'action="(/settings/devices/[^"]+/revoke/)"', bobs_page).group(1)

    browser_for(alice).post(action)

    assert bobs_app.get("/api/user/profile").status_code == 200


def test_log_out_everywhere_from_the_settings_page_keeps_only_this_browser(alice):
    app, browser, other_browser = app_of(alice), browser_for(alice), browser_for(alice)

    response = browser.post("/settings/log-out-everywhere/", follow=True)

    assert "You are logged out everywhere else." in response.content.decode()
    assert browser.get("/dashboard/").status_code == 200
    assert other_browser.get("/dashboard/").status_code == 302
    assert app.get("/api/user/profile").status_code == 401


def test_the_settings_actions_need_a_post(alice):
    browser = browser_for(alice)

    assert browser.get("/settings/log-out-everywhere/").status_code == 405


def test_the_login_page_links_to_the_password_reset(client):
    page = client.get("/accounts/login/").content.decode()

    assert 'href="/accounts/password/reset/"' in page


def test_resetting_a_forgotten_password_through_the_pages(client, alice):
    app = app_of(alice)

    response = client.post("/accounts/password/reset/", {"email": "Alice@Example.com"}, follow=True)

    assert "Check your email" in response.content.decode()
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    mismatch = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": "other one"}
    )
    assert mismatch.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your new password is saved" in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert app.get("/api/user/profile").status_code == 401


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post(
        "/accounts/password/reset/", {"email": "nobody@example.com"}, follow=True
    )

    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_the_reset_pages_speak_indonesian(client, alice):
    client.cookies["django_language"] = "id"

    page = client.get("/accounts/password/reset/").content.decode()

    assert "Reset your password" not in page
