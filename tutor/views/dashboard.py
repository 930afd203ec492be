"""The learner's dashboard: streaks, minutes, a 30-day chart, recurring mistakes,
words to review, and the way into each practice mode. A fixed number of queries."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from tutor.charts import daily_bar_chart
from tutor.models import FeedbackKind, PracticeSession, User
from tutor.services.mistakes import recurring_mistakes
from tutor.services.progress import practice_progress
from tutor.services.review import review_queue
from tutor.services.sessions import (
    SHORT_MODES,
    issue_label,
    next_lesson_for,
    sessions_with_counts,
)

TOP_MISTAKES = 3
# Counting due words through the review queue keeps one definition of "due";
# past this many the dashboard says "100+".
DUE_LIMIT = 100
WEEK_DAYS = 7
_SHORT_MODE = {mode: short for short, mode in SHORT_MODES.items()}

# (what Macca is asked to talk about, in English; what the learner reads)
TOPICS = [
    ("your weekend", _("Your weekend")),
    ("food you love", _("Food you love")),
    ("your work or studies", _("Your work or studies")),
    ("a job interview", _("A job interview")),
    ("travel", _("Travel")),
]


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    learner: User = request.user
    progress = practice_progress(learner)
    days = progress["daily_minutes"]
    due = review_queue(learner, limit=DUE_LIMIT)
    open_session = sessions_with_counts(learner).filter(ended_at__isnull=True).first()
    try:
        next_lesson = next_lesson_for(learner)
    except Http404:
        next_lesson = None
    return render(
        request,
        "tutor/dashboard.html",
        {
            "nav": "dashboard",
            "first_name": learner.name.split()[0] if learner.name.strip() else "",
            "is_new": progress["turns_total"] == 0,
            "progress": progress,
            "minutes_this_week": sum(day["minutes"] for day in days[-WEEK_DAYS:]),
            "chart": daily_bar_chart(days),
            "mistakes": [_mistake(m) for m in recurring_mistakes(learner, limit=TOP_MISTAKES)],
            "due_count": len(due),
            "due_more": len(due) >= DUE_LIMIT,
            "continue_session": open_session,
            "continue_url": _continue_url(open_session) if open_session else "",
            "next_lesson": next_lesson,
            "topics": TOPICS,
        },
    )


def _mistake(mistake: dict) -> dict:
    """One recurring mistake as the dashboard shows it: one example sentence."""
    return {
        "label": issue_label(mistake["code"]),
        "count": mistake["count"],
        "is_pronunciation": mistake["kind"] == FeedbackKind.PRONUNCIATION,
        "explanation": mistake["explanation"],
        "example": next(iter(mistake["examples"]), None),
    }


def _continue_url(session: PracticeSession) -> str:
    query = urlencode({"session": session.pk, "mode": _SHORT_MODE[session.mode]})
    return f"{reverse('practice')}?{query}"
