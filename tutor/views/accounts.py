"""The learner's account pages: sign up, onboarding and settings. Logging in and
changing the password are Django's own views (tutor/urls.py) with our templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tutor.account_forms import LoginForm, OnboardingForm, SettingsForm, SignupForm
from tutor.api.throttles import (
    PasswordResetEmailThrottle,
    PasswordResetIPThrottle,
    SignupIPThrottle,
)
from tutor.services import tokens


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """A new learner: created, logged in, then asked about their level and goal."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        # The same counter as the API's sign-up, so the page is no way around it.
        throttle = SignupIPThrottle()
        if not throttle.allow_request(request, None):
            form.add_error(None, _("Too many sign-ups from your network. Please try again later."))
            status = 429
        elif form.is_valid() and (user := form.save()) is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("onboarding")
    return render(request, "tutor/signup.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest) -> HttpResponse:
    """Level, goal, explanation language and time zone, right after signing up."""
    form = OnboardingForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("dashboard")
    return render(request, "tutor/onboarding.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings are saved."))
        return redirect("settings")
    context = {"form": form, "nav": "settings", "devices": tokens.active_tokens(user=request.user)}
    return render(request, "tutor/settings.html", context)


@login_required
@require_http_methods(["POST"])
def revoke_device(request: HttpRequest, token_id) -> HttpResponse:
    """One API token (an app on a phone, a script) stops working."""
    if tokens.revoke_token(user=request.user, token_id=token_id):
        messages.success(request, _("That device is logged out."))
    return redirect("settings")


@login_required
@require_http_methods(["POST"])
def log_out_everywhere(request: HttpRequest) -> HttpResponse:
    """Every device and every other browser is logged out; this browser stays in."""
    tokens.log_out_everywhere(user=request.user)
    update_session_auth_hash(request, request.user)
    messages.success(request, _("You are logged out everywhere else."))
    return redirect("settings")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by email, with the API's limits on how often one address and
    one network may ask (no inbox flooded with links)."""

    def post(self, request, *args, **kwargs):
        throttles = (PasswordResetIPThrottle(), PasswordResetEmailThrottle())
        if not all(throttle.allow_request(request, None) for throttle in throttles):
            form = self.get_form()
            form.add_error(None, _("Too many reset emails asked for. Please try again later."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


def throttled_login(response: HttpResponse, form) -> HttpResponse:
    """A login page refused by the login throttles (LoginForm, AdminLoginForm): 429."""
    if getattr(form, "throttled", False):
        response.status_code = 429
        response.headers["Retry-After"] = str(max(form.retry_after, 1))
    return response


class LoginView(auth_views.LoginView):
    """Django's login, by email; wrong passwords are counted by the API login's
    throttles (LoginForm), so the page is no way around them."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        return throttled_login(super().form_invalid(form), form)
