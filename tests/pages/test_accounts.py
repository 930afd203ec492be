"""The account pages: sign up, log in by email, onboarding, settings, password change."""

from __future__ import annotations

import pytest
from django.conf import settings

from tutor.account_forms import LoginForm
from tutor.api.throttles import SignupIPThrottle
from tutor.models import User

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
GOOD = {
    "email": "Citra@Example.com",
    "name": "Citra Lestari",
    "password1": "a long and lovely password",
    "password2": "a long and lovely password",
}


# --- Sign up ----------------------------------------------------------------------------


def test_the_signup_page_has_labelled_fields_and_a_sign_up_button(client):
    body = client.get(SIGNUP).content.decode()
    for name, label in (
        ("email", "Email address"),
        ("name", "Name"),
        ("password1", "Password"),
        ("password2", "Password confirmation"),
    ):
        assert f'name="{name}"' in body
        assert f'<label for="id_{name}">{label}</label>' in body
    assert ">Sign up</button>" in body


def test_signing_up_creates_the_learner_logs_them_in_and_starts_onboarding(client):
    response = client.post(SIGNUP, GOOD)

    assert response.status_code == 302
    assert response.url == "/welcome/"
    user = User.objects.get()
    assert (user.email, user.name) == ("citra@example.com", "Citra Lestari")
    assert user.check_password(GOOD["password1"])
    assert client.get("/welcome/").status_code == 200  # logged in


def test_an_email_already_used_in_another_case_is_refused(client, alice):
    response = client.post(SIGNUP, {**GOOD, "email": "ALICE@example.COM"})

    assert response.status_code == 200
    assert "already an account with this email address" in response.content.decode()
    assert User.objects.count() == 1


def test_a_weak_password_is_refused_with_the_reason(client):
    response = client.post(SIGNUP, {**GOOD, "password1": "12345678", "password2": "12345678"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "This password is too common." in body
    assert 'aria-invalid="true"' in body
    assert not User.objects.exists()


def test_different_passwords_are_refused(client):
    response = client.post(SIGNUP, {**GOOD, "password2": "another long password"})

    assert "The two passwords are different." in response.content.decode()
    assert not User.objects.exists()


def test_a_learner_already_logged_in_goes_to_the_dashboard(client, alice):
    client.force_login(alice)
    response = client.get(SIGNUP)
    assert (response.status_code, response.url) == (302, "/dashboard/")


def test_signing_up_is_throttled_per_ip_like_the_api(client, monkeypatch):
    monkeypatch.setitem(SignupIPThrottle.THROTTLE_RATES, "signup_ip", "1/hour")

    client.post(SIGNUP, {**GOOD, "password2": "typo"})
    response = client.post(SIGNUP, GOOD)

    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()
    assert not User.objects.exists()


# --- Log in -----------------------------------------------------------------------------


def test_the_login_page_asks_for_the_email_address(client):
    body = client.get(LOGIN).content.decode()
    assert '<label for="id_username">Email address</label>' in body
    assert 'name="password"' in body


@pytest.mark.parametrize("email", ["alice@example.com", "  Alice@Example.COM "])
def test_logging_in_by_email_in_any_case_leads_to_the_dashboard(client, alice, email):
    response = client.post(LOGIN, {"username": email, "password": "correct horse battery"})

    assert (response.status_code, response.url) == (302, "/dashboard/")
    assert client.get("/dashboard/").status_code == 200


def test_a_wrong_password_shows_an_error_on_the_page(client, alice):
    response = client.post(LOGIN, {"username": "alice@example.com", "password": "nope"})

    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in body


def test_logging_in_returns_to_the_page_asked_for(client, alice):
    response = client.post(
        f"{LOGIN}?next=/settings/",
        {
            "username": "alice@example.com",
            "password": "correct horse battery",
            "next": "/settings/",
        },
    )
    assert response.url == "/settings/"


def test_the_email_login_form_accepts_any_case_and_says_what_went_wrong(alice):
    """LoginForm, ready for LoginView(authentication_form=LoginForm)."""
    form = LoginForm(data={"username": "ALICE@example.com", "password": "correct horse battery"})
    assert form.is_valid()
    assert form.get_user() == alice
    assert 'type="email"' in str(form["username"])

    wrong = LoginForm(data={"username": "alice@example.com", "password": "nope"})
    assert not wrong.is_valid()
    assert wrong.non_field_errors() == [
        "That email address and password do not match. Please try again."
    ]


# --- Access -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/dashboard/", "/welcome/", "/settings/", "/accounts/password/"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={path}"


# --- Onboarding -------------------------------------------------------------------------


def test_onboarding_asks_level_goal_explanation_language_and_time_zone(client, alice):
    client.force_login(alice)
    body = client.get("/welcome/").content.decode()

    assert "Welcome to Macca, Alice!" in body
    for name, label in (
        ("level", "Your English level"),
        ("goal", "Your goal"),
        ("explanation_language", "Explanations in"),
        ("time_zone", "Your time zone"),
    ):
        assert f'<select name="{name}"' in body
        assert f'<label for="id_{name}">{label}</label>' in body
    assert '<option value="Asia/Jakarta" selected>' in body
    assert 'value="Asia/Makassar"' in body and 'value="Asia/Jayapura"' in body
    assert ">Continue</button>" in body


def test_onboarding_saves_the_answers_and_goes_to_the_dashboard(client, alice):
    client.force_login(alice)
    response = client.post(
        "/welcome/",
        {
            "level": "A2",
            "goal": "job_interview",
            "explanation_language": "en",
            "time_zone": "Asia/Makassar",
        },
    )

    assert (response.status_code, response.url) == (302, "/dashboard/")
    alice.refresh_from_db()
    assert (alice.level, alice.goal, alice.explanation_language, alice.time_zone) == (
        "A2",
        "job_interview",
        "en",
        "Asia/Makassar",
    )


def test_onboarding_without_a_time_zone_keeps_the_learners_own(client, alice):
    client.force_login(alice)
    response = client.post(
        "/welcome/", {"level": "B2", "goal": "study", "explanation_language": "id"}
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.level, alice.time_zone) == ("B2", "Asia/Jakarta")


def test_onboarding_refuses_an_unknown_level(client, alice):
    client.force_login(alice)
    response = client.post(
        "/welcome/", {"level": "Z9", "goal": "study", "explanation_language": "id"}
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.level == "B1"


# --- Settings ---------------------------------------------------------------------------


def settings_form(**changes) -> dict:
    return {
        "name": "Alice Wonder",
        "level": "C1",
        "goal": "study",
        "explanation_language": "en",
        "time_zone": "Asia/Jayapura",
        **changes,
    }


def test_the_settings_page_shows_the_learners_values_and_a_password_link(client, alice):
    client.force_login(alice)
    body = client.get("/settings/").content.decode()

    assert 'value="Alice"' in body
    assert '<option value="B1" selected>' in body
    assert 'href="/accounts/password/"' in body
    assert 'aria-current="page">Settings</a>' in body


def test_settings_are_saved_with_a_message(client, alice):
    client.force_login(alice)
    response = client.post("/settings/", settings_form(), follow=True)

    assert response.redirect_chain == [("/settings/", 302)]
    assert "Your settings are saved." in response.content.decode()
    alice.refresh_from_db()
    assert (alice.name, alice.level, alice.goal, alice.explanation_language, alice.time_zone) == (
        "Alice Wonder",
        "C1",
        "study",
        "en",
        "Asia/Jayapura",
    )


def test_settings_refuse_an_unknown_time_zone(client, alice):
    client.force_login(alice)
    response = client.post("/settings/", settings_form(time_zone="Mars/Olympus_Mons"))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_time_zone_error"' in body
    alice.refresh_from_db()
    assert (alice.name, alice.time_zone) == ("Alice", "Asia/Jakarta")


def test_settings_keep_a_time_zone_set_elsewhere(client, alice):
    alice.time_zone = "Europe/Paris"
    alice.save(update_fields=["time_zone"])
    client.force_login(alice)

    assert '<option value="Europe/Paris" selected>' in client.get("/settings/").content.decode()
    client.post("/settings/", settings_form(time_zone="Europe/Paris"))
    alice.refresh_from_db()
    assert (alice.name, alice.time_zone) == ("Alice Wonder", "Europe/Paris")


def test_settings_refuse_an_empty_name(client, alice):
    client.force_login(alice)
    response = client.post("/settings/", settings_form(name="  "))

    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.name == "Alice"


# --- Password change --------------------------------------------------------------------


def test_the_password_can_be_changed(client, alice):
    client.force_login(alice)
    assert "Change your password" in client.get("/accounts/password/").content.decode()

    response = client.post(
        "/accounts/password/",
        {
            "old_password": "correct horse battery",
            "new_password1": "a brand new passphrase",
            "new_password2": "a brand new passphrase",
        },
        follow=True,
    )

    assert response.redirect_chain == [("/accounts/password/done/", 302)]
    assert "Password changed" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password("a brand new passphrase")


def test_a_wrong_current_password_is_shown_next_to_its_field(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "wrong",
            "new_password1": "a brand new passphrase",
            "new_password2": "a brand new passphrase",
        },
    )
    assert 'id="id_old_password_error"' in response.content.decode()


# --- Language ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/login/"])
def test_the_pages_follow_the_chosen_interface_language(client, path):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert '<html lang="id"' in client.get(path).content.decode()


def test_the_pages_follow_the_browsers_language(client, alice):
    client.force_login(alice)
    body = client.get("/settings/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="id"' in body


def test_the_translated_choices_cover_every_model_choice():
    from tutor.account_forms import EXPLANATION_LANGUAGE_CHOICES, GOAL_CHOICES, LEVEL_CHOICES
    from tutor.models.choices import ExplanationLanguage, Goal, Level

    for ours, model in (
        (LEVEL_CHOICES, Level),
        (GOAL_CHOICES, Goal),
        (EXPLANATION_LANGUAGE_CHOICES, ExplanationLanguage),
    ):
        assert sorted(value for value, _label in ours) == sorted(model.values)


def test_the_login_page_is_throttled_like_the_api_login(client, alice, monkeypatch):
    from tutor.api.throttles import LoginEmailIPThrottle

    monkeypatch.setattr(LoginEmailIPThrottle, "rate", "2/min", raising=False)
    for _ in range(2):
        response = client.post(
            "/accounts/login/",
            {"username": "alice@example.com", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
        )
        assert response.status_code == 200
        assert "do not match" in response.content.decode()

    response = client.post(
        "/accounts/login/",
        {"username": "ALICE@example.com", "password": "correct horse battery"},
        REMOTE_ADDR="10.0.0.1",
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The learner from another network logs in.
    response = client.post(
        "/accounts/login/",
        {"username": "alice@example.com", "password": "correct horse battery"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 302
