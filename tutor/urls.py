"""The learner's pages. Their JavaScript talks to the JSON API (tutor.api)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from . import account_forms
from .views import (
    account_data,
    accounts,
    dashboard,
    history,
    lessons,
    practice,
    pronunciation,
    vocabulary,
)

urlpatterns = [
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=account_forms.PasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("welcome/", accounts.onboarding, name="onboarding"),
    path("settings/", accounts.settings_page, name="settings"),
    path("settings/export/", account_data.export_data, name="export_data"),
    path("settings/delete/", account_data.delete_account_page, name="delete_account"),
    path(
        "settings/devices/<uuid:token_id>/revoke/",
        accounts.revoke_device,
        name="revoke_device",
    ),
    path("settings/log-out-everywhere/", accounts.log_out_everywhere, name="log_out_everywhere"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("practice/", practice.practice, name="practice"),
    path("lessons/", lessons.lesson_list, name="lessons"),
    path("lessons/<uuid:lesson_id>/", lessons.lesson_detail, name="lesson"),
    path("pronunciation/", pronunciation.pronunciation, name="pronunciation"),
    path("vocabulary/", vocabulary.vocabulary_list, name="vocabulary"),
    path("vocabulary/review/", vocabulary.review, name="review"),
    path("history/", history.history, name="history"),
    path("history/<uuid:session_id>/", history.session_detail, name="history_session"),
]
