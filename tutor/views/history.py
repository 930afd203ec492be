"""The learner's past sessions, and one session's transcript with the feedback
each answer received and the recordings and replies to listen to again."""

from __future__ import annotations

import difflib
import re

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tutor.models import FeedbackIssue, FeedbackKind, Mode, PracticeSession, Role, Turn
from tutor.services.progress import session_seconds
from tutor.services.sessions import sessions_with_counts

PER_PAGE = 20


def _duration(seconds: int) -> str:
    if seconds < 60:
        return _("%(seconds)d s") % {"seconds": seconds}
    return _("%(minutes)d min") % {"minutes": round(seconds / 60)}


def _about(session: PracticeSession) -> str:
    """What the session was about: its lesson, its topic, or nothing in particular."""
    if session.lesson_id:
        return session.lesson.title
    if session.topic:
        return session.topic
    if session.mode == Mode.PRONUNCIATION_COACH:
        return _("Reading sentences aloud")
    return _("Free conversation")


def _session_row(session: PracticeSession) -> dict:
    return {
        "session": session,
        "mode": session.get_mode_display(),
        "about": _about(session),
        "duration": _duration(session_seconds(session)),
        "turns": session.learner_turns,
    }


@login_required
def history(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(sessions_with_counts(request.user), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "nav": "history",
        "page": page,
        "rows": [_session_row(session) for session in page],
    }
    return render(request, "tutor/history.html", context)


_WORD_EDGES = re.compile(r"^\W+|\W+$")


def _marked(original: str, better: str) -> list[tuple[str, bool]]:
    """The better sentence as (word, changed) pairs: the words the learner did
    not say (compared without case and punctuation) are the changed ones."""
    said = [_WORD_EDGES.sub("", word.lower()) for word in original.split()]
    words = better.split()
    wanted = [_WORD_EDGES.sub("", word.lower()) for word in words]
    matcher = difflib.SequenceMatcher(a=said, b=wanted, autojunk=False)
    marked: list[tuple[str, bool]] = []
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        marked.extend((word, tag != "equal") for word in words[j1:j2])
    return marked


def _feedback(turn: Turn, reply: dict | None) -> dict:
    """A learner turn's feedback rows by kind, with the tutor's better sentence."""
    issues = list(turn.feedback_issues.all())
    better = ((reply or {}).get("feedback") or {}).get("better_sentence")
    if not better:
        better = next((i.detail.get("better_sentence") for i in issues if i.detail), None)
    by_kind = {kind: [] for kind in FeedbackKind.values}
    for issue in issues:
        detail = dict(issue.detail or {})
        detail["label"] = issue.code.replace("_", " ")  # past_tense → past tense
        by_kind.setdefault(issue.kind, []).append(detail)
    same = better and better.strip().lower() == turn.text.strip().lower()
    return {
        "better": _marked(turn.text, better) if better and not same else [],
        "grammar": by_kind[FeedbackKind.GRAMMAR],
        "vocabulary": by_kind[FeedbackKind.VOCABULARY],
        "pronunciation": by_kind[FeedbackKind.PRONUNCIATION],
        "any": bool(issues) or bool(better and not same),
    }


def _turn_rows(turns: list[Turn]) -> list[dict]:
    rows = []
    for index, turn in enumerate(turns):
        if turn.role == Role.LEARNER:
            reply = next(
                (later.structured for later in turns[index + 1 :] if later.role == Role.TUTOR),
                None,
            )
            audio = reverse("api:turn-audio", args=[turn.pk]) if turn.audio else None
            rows.append(
                {"turn": turn, "learner": True, "audio_url": audio, **_feedback(turn, reply)}
            )
        else:
            speech = turn.speech if turn.speech_id and turn.speech.audio else None
            rows.append(
                {"turn": turn, "learner": False, "audio_url": speech.audio.url if speech else None}
            )
    return rows


@login_required
def session_detail(request: HttpRequest, session_id) -> HttpResponse:
    """The same reads as the API's session detail: a fixed number of queries."""
    turns = Turn.objects.select_related("speech").prefetch_related(
        Prefetch("feedback_issues", queryset=FeedbackIssue.objects.order_by("id"))
    )
    session = (
        sessions_with_counts(request.user)
        .prefetch_related(Prefetch("turns", queryset=turns.order_by("position")))
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404("No such practice session.")
    context = {
        "nav": "history",
        "row": _session_row(session),
        "turns": _turn_rows(list(session.turns.all())),
    }
    return render(request, "tutor/history_session.html", context)
