"""The learner's own account forms: sign up, log in, onboarding and settings.
(The admin's forms are in tutor/forms.py.)"""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled

from .api.throttles import LoginGuard, confirm_password
from .forms import CleanCharField
from .models import User
from .models.choices import ExplanationLanguage, Goal, Level
from .models.users import normalize_email

# The model's choice labels are not translated; the learner reads these.
LEVEL_CHOICES = [
    (Level.A1, _("A1 · Beginner")),
    (Level.A2, _("A2 · Elementary")),
    (Level.B1, _("B1 · Intermediate")),
    (Level.B2, _("B2 · Upper intermediate")),
    (Level.C1, _("C1 · Advanced")),
    (Level.C2, _("C2 · Proficient")),
]
GOAL_CHOICES = [
    (Goal.DAILY_CONVERSATION, _("Daily conversation")),
    (Goal.JOB_INTERVIEW, _("A job interview")),
    (Goal.STUDY, _("Studying (at school, university or abroad)")),
]
EXPLANATION_LANGUAGE_CHOICES = [
    (ExplanationLanguage.INDONESIAN, "Bahasa Indonesia"),
    (ExplanationLanguage.ENGLISH, "English"),
]
TIME_ZONE_CHOICES = [
    (
        _("Indonesia"),
        [
            ("Asia/Jakarta", _("WIB · Jakarta, Java, Sumatra")),
            ("Asia/Makassar", _("WITA · Makassar, Bali, Sulawesi")),
            ("Asia/Jayapura", _("WIT · Jayapura, Maluku, Papua")),
        ],
    ),
    (
        _("Elsewhere"),
        [
            ("Asia/Singapore", _("Singapore")),
            ("Asia/Kuala_Lumpur", _("Kuala Lumpur")),
            ("Asia/Bangkok", _("Bangkok")),
            ("Asia/Manila", _("Manila")),
            ("Asia/Hong_Kong", _("Hong Kong")),
            ("Asia/Shanghai", _("Shanghai")),
            ("Asia/Tokyo", _("Tokyo")),
            ("Asia/Seoul", _("Seoul")),
            ("Asia/Kolkata", _("India")),
            ("Asia/Dubai", _("Dubai")),
            ("Asia/Riyadh", _("Riyadh, Mecca")),
            ("Australia/Perth", _("Perth")),
            ("Australia/Sydney", _("Sydney, Melbourne")),
            ("Pacific/Auckland", _("Auckland")),
            ("Europe/London", _("London")),
            ("Europe/Amsterdam", _("Amsterdam")),
            ("Europe/Berlin", _("Berlin")),
            ("America/New_York", _("New York")),
            ("America/Chicago", _("Chicago")),
            ("America/Los_Angeles", _("Los Angeles")),
            ("UTC", _("UTC")),
        ],
    ),
]


DUPLICATE_EMAIL = _("There is already an account with this email address. Log in instead?")


def _time_zone_choices(current: str) -> list:
    """The common zones, plus the learner's own if it is another one (set through the API)."""
    known = {zone for _group, zones in TIME_ZONE_CHOICES for zone, _label in zones}
    if current and current not in known:
        return [*TIME_ZONE_CHOICES, (_("Your current time zone"), [(current, current)])]
    return TIME_ZONE_CHOICES


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
    )
    name = CleanCharField(
        label=_("Name"),
        max_length=150,
        help_text=_("Macca greets you by your first name."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Enter the same password again."),
    )

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        try:
            User.objects.get_by_natural_key(email)
        except User.DoesNotExist:
            return email
        raise forms.ValidationError(DUPLICATE_EMAIL, code="duplicate_email")

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2",
                forms.ValidationError(
                    _("The two passwords are different."), code="password_mismatch"
                ),
            )
        elif password1:
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password1, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self) -> User | None:
        """The new learner, or None (with the form's error) when a sign-up for the
        same email won the race since validation."""
        data = self.cleaned_data
        try:
            with transaction.atomic():
                return User.objects.create_user(data["email"], data["password1"], name=data["name"])
        except IntegrityError:
            self.add_error("email", forms.ValidationError(DUPLICATE_EMAIL, code="duplicate_email"))
            return None


class GuardedLoginMixin:
    """Wrong passwords counted by the API login's throttles (per email and address,
    per address, and a high ceiling per email), so no login form is a way around them.
    `throttled` tells the view to answer 429, with `retry_after` seconds."""

    throttled = False
    retry_after = 0

    def clean(self) -> dict:
        if self.request is None:  # a form built outside a request: nothing to count by
            return super().clean()
        guard = LoginGuard(self.request)
        if not guard.allows():
            self.throttled, self.retry_after = True, int(guard.wait)
            raise forms.ValidationError(
                _("Too many login attempts. Please wait a minute and try again."),
                code="throttled",
            )
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                guard.failed()
            raise


class AdminLoginForm(GuardedLoginMixin, AdminAuthenticationForm):
    pass


class LoginForm(GuardedLoginMixin, AuthenticationForm):
    """Django's login form, asking for the email address (any case) by that name."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That email address and password do not match. Please try again."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autocapitalize": "none", "autofocus": True}
        )


class _ProfileForm(forms.ModelForm):
    """Level, goal, explanation language and time zone, with labels a learner reads."""

    level = forms.ChoiceField(
        label=_("Your English level"),
        choices=LEVEL_CHOICES,
        help_text=_(
            "Not sure? B1 means you can hold a simple conversation; A2, that you can talk "
            "about everyday things slowly. Macca adapts as you go."
        ),
    )
    goal = forms.ChoiceField(label=_("Your goal"), choices=GOAL_CHOICES)
    explanation_language = forms.ChoiceField(
        label=_("Explanations in"),
        choices=EXPLANATION_LANGUAGE_CHOICES,
        help_text=_("The language Macca uses to explain your mistakes."),
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        required=False,
        help_text=_("Your practice days and streak follow your own calendar."),
    )

    class Meta:
        model = User
        fields = ["level", "goal", "explanation_language", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _time_zone_choices(self.instance.time_zone)

    def clean_time_zone(self) -> str:
        # Optional: leaving it out keeps the learner's zone (Asia/Jakarta for a new one).
        return self.cleaned_data.get("time_zone") or self.instance.time_zone

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if commit:
            user.save(update_fields=list(self.Meta.fields))
        return user


class OnboardingForm(_ProfileForm):
    pass


class SettingsForm(_ProfileForm):
    name = CleanCharField(
        label=_("Name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    class Meta(_ProfileForm.Meta):
        fields = ["name", "level", "goal", "explanation_language", "time_zone"]


class AccountDeleteForm(forms.Form):
    """The learner's password, asked again before their account is deleted for good."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not _confirm_password(self.user, password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's, with wrong current passwords counted like the API's."""

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not _confirm_password(self.user, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


def _confirm_password(user: User, password: str) -> bool:
    try:
        return confirm_password(user, password)
    except Throttled as refused:
        raise forms.ValidationError(
            _("Too many wrong passwords. Please wait a minute and try again."),
            code="throttled",
        ) from refused
