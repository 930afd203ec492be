"""Real browser: signing up, onboarding, logging in, the interface language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tutor.models import User

from .conftest import PASSWORD, REPO, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_onboard_and_land_on_the_dashboard(page: Page):
    page.goto("/accounts/signup/")
    page.get_by_label("Email address").fill("dewi@example.com")
    page.get_by_label("Name", exact=True).fill("Dewi Lestari")
    page.get_by_label("Password", exact=True).fill("a long and unusual passphrase 42")
    page.get_by_label("Password confirmation").fill("a long and unusual passphrase 42")
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url(re.compile(r"/welcome/$"))
    page.get_by_label("Your English level").select_option("B1")
    page.get_by_label("Your goal").select_option("job_interview")
    page.get_by_label("Explanations in").select_option("en")
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("h1")).to_contain_text("Dewi")
    dewi = User.objects.get(email="dewi@example.com")
    assert (dewi.name, dewi.level, dewi.goal, dewi.explanation_language) == (
        "Dewi Lestari",
        "B1",
        "job_interview",
        "en",
    )


def test_log_in_through_the_form_from_the_home_page(page: Page, learner):
    page.goto("/")
    expect(page.locator("h1")).to_be_visible()
    page.get_by_role("link", name="Log in").first.click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("input[name=username]").fill(learner.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("h1")).to_contain_text("Siti")


def test_switch_the_interface_to_bahasa_indonesia(page: Page, live_server, learner):
    catalogue = REPO / "locale" / "id" / "LC_MESSAGES" / "django.mo"
    assert catalogue.exists(), (
        f"{catalogue.relative_to(REPO)} is missing: "
        "run `.venv/bin/python manage.py compilemessages -l id` (and commit the .mo file)"
    )
    log_in(page.context, live_server, learner)
    page.goto("/dashboard/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Practice", exact=True)).to_be_visible()

    page.get_by_label("Language", exact=True).select_option("id")  # the switcher submits on change

    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    nav = page.locator("nav.main-nav")
    for label in ("Dasbor", "Latihan", "Pelajaran", "Pelafalan", "Kosakata", "Riwayat"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name="Keluar")).to_be_visible()
