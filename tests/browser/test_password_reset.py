"""Real browser: a learner who forgot their password gets a link by email, sets a
new one, and logs in with it; the app logged in with the old one is logged out."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from rest_framework.test import APIClient

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a kite over the harbour"


def test_reset_a_forgotten_password_from_the_login_page(page: Page, live_server, learner):
    app = APIClient()
    body = {"email": learner.email, "password": PASSWORD}
    token = app.post("/api/auth/login", body, format="json").json()["access_token"]
    app.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email address").fill(learner.email.upper())
    page.get_by_role("button", name="Send me the link").click()
    expect(page.locator("h1")).to_have_text("Check your email")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.locator("[role=status]")).to_contain_text("Your new password is saved")

    page.get_by_role("main").get_by_role("link", name="Log in").click()
    page.locator("input[name=username]").fill(learner.email)
    page.locator("input[name=password]").fill(NEW_PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert app.get("/api/user/profile").status_code == 401

    # The link worked once.
    page.goto(link)
    expect(page.locator("h1")).to_have_text("This link does not work any more")
