from __future__ import annotations

from csp.constants import NONCE
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import account_data, auth, learner, learning, lessons, meta, practice, speech

app_name = "api"

urlpatterns = [
    path("", meta.RootView.as_view(), name="root"),
    path("health/live", meta.LiveView.as_view(), name="health-live"),
    path("health/ready", meta.ReadyView.as_view(), name="health-ready"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        # Swagger UI's page has one inline script and style, each with this nonce
        # (templates/drf_spectacular/swagger_ui.html); the site's policy forbids both.
        csp_update({"script-src": [NONCE], "style-src": [NONCE]})(
            SpectacularSwaggerView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("auth/signup", auth.SignupView.as_view(), name="signup"),
    path("auth/login", auth.LoginView.as_view(), name="login"),
    path("auth/logout", auth.LogoutView.as_view(), name="logout"),
    path("auth/logout-all", auth.LogoutAllView.as_view(), name="logout-all"),
    path("auth/password", auth.PasswordView.as_view(), name="password"),
    path("auth/password-reset", auth.PasswordResetView.as_view(), name="password-reset"),
    path("auth/tokens", auth.TokenListView.as_view(), name="tokens"),
    path("auth/tokens/<uuid:token_id>", auth.TokenDetailView.as_view(), name="token"),
    path("user", account_data.AccountView.as_view(), name="account"),
    path("user/export", account_data.ExportView.as_view(), name="account-export"),
    path("user/profile", learner.ProfileView.as_view(), name="profile"),
    path("user/progress", learner.ProgressView.as_view(), name="progress"),
    path("user/mistakes", learning.MistakesView.as_view(), name="mistakes"),
    path("user/vocabulary", learner.VocabularyListView.as_view(), name="vocabulary"),
    path("user/vocabulary/review/next", learning.ReviewNextView.as_view(), name="review-next"),
    path(
        "user/vocabulary/review/answer", learning.ReviewAnswerView.as_view(), name="review-answer"
    ),
    path(
        "user/vocabulary/<uuid:item_id>",
        learner.VocabularyItemView.as_view(),
        name="vocabulary-item",
    ),
    path("session/start", practice.SessionStartView.as_view(), name="session-start"),
    path("session/turn", practice.TextTurnView.as_view(), name="session-turn"),
    path("session/turn/audio", practice.AudioTurnView.as_view(), name="session-turn-audio"),
    path("session/<uuid:session_id>/end", practice.SessionEndView.as_view(), name="session-end"),
    path("sessions", practice.SessionListView.as_view(), name="sessions"),
    path("sessions/<uuid:session_id>", practice.SessionDetailView.as_view(), name="session"),
    path("turns/<uuid:turn_id>/audio", practice.TurnAudioView.as_view(), name="turn-audio"),
    path("pronunciation/analyze", learning.AnalyzeView.as_view(), name="pronunciation-analyze"),
    path(
        "pronunciation/analyze/audio",
        learning.AnalyzeAudioView.as_view(),
        name="pronunciation-analyze-audio",
    ),
    path(
        "pronunciation/attempts",
        learning.AttemptListView.as_view(),
        name="pronunciation-attempts",
    ),
    path(
        "pronunciation/attempts/<uuid:attempt_id>",
        learning.AttemptDetailView.as_view(),
        name="pronunciation-attempt",
    ),
    path(
        "pronunciation/attempts/<uuid:attempt_id>/audio",
        learning.AttemptAudioView.as_view(),
        name="pronunciation-attempt-audio",
    ),
    path("lessons", lessons.LessonListView.as_view(), name="lessons"),
    path("lessons/<uuid:lesson_id>", lessons.LessonDetailView.as_view(), name="lesson"),
    path("pronunciation/speech", speech.SpeechView.as_view(), name="pronunciation-speech"),
]
