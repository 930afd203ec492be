"""Real browser: a learner deletes their account from the settings page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tutor.models import User

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def log_in_with_the_form(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()


def test_delete_my_account_from_settings_then_no_login_works(page: Page, learner):
    log_in_with_the_form(page, learner.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto("/settings/")
    expect(page.get_by_role("link", name="Download my data")).to_be_visible()
    page.get_by_role("link", name="Delete my account").click()

    expect(page).to_have_url(re.compile(r"/settings/delete/$"))
    expect(page.get_by_role("note")).to_contain_text("This cannot be undone.")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.locator(".errorlist")).to_contain_text("That is not your password.")
    assert User.objects.filter(pk=learner.pk).exists()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account for good").click()

    expect(page).to_have_url(re.compile(r"/$"))
    goodbye = "Your account and all your data are deleted."
    expect(page.get_by_role("status")).to_contain_text(goodbye)
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    assert not User.objects.filter(email=learner.email).exists()

    log_in_with_the_form(page, learner.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("main")).to_contain_text("do not match")
