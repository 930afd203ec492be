"""The practice page: a conversation with Macca in one of the three modes.

The page script talks to the JSON API (start, turns, end); this view only says
what to show: the session named in the URL with its turns so far (so a reload
keeps the conversation), or the chosen mode with its topic or lesson. Without
JavaScript, the text form posts here and a typed turn runs through the same
services as the API's."""

from __future__ import annotations

import difflib
import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tutor.api.throttles import TurnThrottle
from tutor.models import Lesson, Mode, PracticeSession, Role, Turn
from tutor.services import sessions as session_service
from tutor.services.turns import MAX_TEXT_LENGTH, run_turn
from tutor.views import typed_text

SHORT_NAMES = {
    Mode.LIVE_CONVERSATION: "live",
    Mode.GUIDED_LESSON: "guided",
    Mode.PRONUNCIATION_COACH: "pronunciation",
}
_WORD_EDGES = re.compile(r"^[^\w']+|[^\w']+$")


def _mode_labels() -> dict[str, str]:
    return {
        Mode.LIVE_CONVERSATION: _("Conversation"),
        Mode.GUIDED_LESSON: _("Guided lesson"),
        Mode.PRONUNCIATION_COACH: _("Pronunciation coach"),
    }


def page_strings() -> dict[str, str]:
    """Every text the page script shows, in the learner's interface language."""
    return {
        "record": _("Record"),
        "stop": _("Stop and send"),
        "recordDrill": _("Record this drill"),
        "recording": _("Recording… press “Stop and send” when you have finished."),
        "recordingLimit": _("The recording reached the {seconds}-second limit and was sent."),
        "starting": _("Starting your session…"),
        "thinking": _("Macca is thinking…"),
        "ready": _("Your turn: press Record and speak, or type your answer."),
        "ending": _("Ending the session…"),
        "ended": _("This session has ended."),
        "emptyText": _("Type a sentence first."),
        "micDenied": _(
            "The microphone is not available: permission to use it was refused. "
            "You can type your answer instead."
        ),
        "micMissing": _(
            "The microphone is not available: no microphone was found. "
            "You can type your answer instead."
        ),
        "micBusy": _(
            "The microphone is not available: another app may be using it. "
            "You can type your answer instead."
        ),
        "micUnsupported": _(
            "The microphone is not available: this browser cannot record audio. "
            "You can type your answer instead."
        ),
        "micInsecure": _(
            "The microphone is not available on a page that is not secure (https). "
            "You can type your answer instead."
        ),
        "micFailed": _(
            "The microphone is not available: it could not start. You can type your answer instead."
        ),
        "emptyRecording": _("Nothing was recorded. Press Record and try again."),
        "you": _("You"),
        "macca": _("Macca"),
        "spoken": _("Spoken (what Macca heard)"),
        "heardNothing": _("Macca did not hear anything."),
        "betterSentence": _("A better way to say it"),
        "changedWords": _("Changed words are highlighted."),
        "grammar": _("Grammar"),
        "examples": _("Examples"),
        "vocabulary": _("New words"),
        "vocabularySaved": _("saved to your words"),
        "pronunciation": _("Pronunciation"),
        "severityHigh": _("important"),
        "noCorrections": _("Well said: no corrections."),
        "replay": _("Replay"),
        "replaySlow": _("Slowly"),
        "autoplayBlocked": _("Press Replay to hear Macca."),
        "drillRepeat": _("Repeat this sentence"),
        "drillAnswer": _("Answer this question"),
        "offlineCoach": _("Answered by the offline coach"),
        "stepComplete": _("Step complete!"),
        "stepNow": _("Step {step} of {total}: {title}"),
        "stepDone": _("done"),
        "stepCurrent": _("current step"),
        "lessonComplete": _("Lesson complete! Well done."),
        "summaryStats": _("{turns} turns · {minutes} min"),
    }


def marked_words(original: str, better: str | None) -> list[dict]:
    """The better sentence as words, each saying whether it differs from the
    learner's sentence (case and punctuation aside); the page script does the same."""
    if not better:
        return []
    said = [_WORD_EDGES.sub("", word).lower() for word in (original or "").split()]
    words = better.split()
    keys = [_WORD_EDGES.sub("", word).lower() for word in words]
    changed = [True] * len(words)
    for block in difflib.SequenceMatcher(None, said, keys, autojunk=False).get_matching_blocks():
        for j in range(block.b, block.b + block.size):
            changed[j] = False
    if not any(changed):
        return []
    return [{"text": word, "changed": flag} for word, flag in zip(words, changed, strict=True)]


def drill_card(drill: dict) -> dict:
    """A drill to show: its sentence or question, and the instruction unless it
    merely repeats that sentence (the page script does the same)."""
    text = drill.get("sentence") or drill.get("question") or ""
    instruction = drill.get("instruction") or ""
    return {
        "repeat": drill.get("type") == "repeat_sentence",
        "text": text,
        "instruction": "" if text and text in instruction else instruction,
    }


def step_list(titles: list[str], current: int | None, completed: bool) -> list[dict]:
    return [
        {
            "number": number,
            "title": title,
            "done": completed or number < (current or 1),
            "current": not completed and number == current,
        }
        for number, title in enumerate(titles, start=1)
    ]


def conversation(turns: list[Turn]) -> list[dict]:
    """The turns as bubbles: each learner turn with the feedback that Macca's
    next turn carries, each tutor turn with its speech and drills."""
    bubbles = []
    for index, turn in enumerate(turns):
        if turn.role == Role.LEARNER:
            reply = turns[index + 1] if index + 1 < len(turns) else None
            structured = (reply.structured if reply and reply.role == Role.TUTOR else None) or {}
            feedback = structured.get("feedback") or {}
            bubbles.append(
                {
                    "role": "learner",
                    "text": turn.text,
                    "spoken": bool(turn.audio or turn.transcript),
                    "better": marked_words(turn.text, feedback.get("better_sentence")),
                    "grammar": feedback.get("grammar") or [],
                    "vocabulary": feedback.get("vocabulary") or [],
                    "pronunciation": feedback.get("pronunciation") or [],
                    "step_complete": structured.get("step_complete") is True,
                    "answered": reply is not None,
                }
            )
        else:
            speech = turn.speech
            bubbles.append(
                {
                    "role": "tutor",
                    "text": turn.text,
                    "audio_url": speech.audio.url if speech and speech.audio else None,
                    "drills": [drill_card(d) for d in (turn.structured or {}).get("drills") or []],
                    "degraded": turn.degraded,
                }
            )
    return bubbles


def _chosen_mode(value: str | None) -> str | None:
    try:
        return session_service.normalize_mode(value) if value else None
    except ValueError:
        return None


def _uuid(value: str) -> uuid.UUID:
    """An id from the query string; anything else is a page that does not exist."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404("No such page.") from None


def _published_lesson(lesson_id: str) -> Lesson:
    lesson = Lesson.objects.published().filter(pk=_uuid(lesson_id)).first()
    if lesson is None:
        raise Http404("No such lesson.")
    return lesson


def _chosen_lesson(request: HttpRequest) -> Lesson | None:
    """`lesson=<uuid>` (a published lesson, else 404), or the learner's next lesson."""
    if request.GET.get("lesson"):
        return _published_lesson(request.GET["lesson"])
    try:
        return session_service.next_lesson_for(request.user)
    except Http404:
        return None


def _practice_url(**params) -> str:
    query = {key: value for key, value in params.items() if value}
    return f"{reverse('practice')}?{urlencode(query)}" if query else reverse("practice")


@login_required
@require_http_methods(["GET", "POST"])
def practice(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return typed_turn(request)

    session: PracticeSession | None = None
    turns: list[Turn] = []
    if request.GET.get("session"):
        session = session_service.get_session_for(request.user, _uuid(request.GET["session"]))
        mode, topic, lesson = session.mode, session.topic, session.lesson
        turns = list(session.turns.select_related("speech").order_by("position"))
        mode_chosen = True
    else:
        chosen = _chosen_mode(request.GET.get("mode"))
        mode, mode_chosen = chosen or Mode.LIVE_CONVERSATION, chosen is not None
        live = mode == Mode.LIVE_CONVERSATION
        topic = typed_text(request.GET.get("topic"))[:200] if live else ""
        lesson = _chosen_lesson(request) if mode == Mode.GUIDED_LESSON else None
        if mode_chosen:
            # Coming back to the same practice resumes it instead of opening another session.
            resumed = (
                PracticeSession.objects.filter(
                    learner=request.user, mode=mode, topic=topic, lesson=lesson, ended_at=None
                )
                .order_by("-started_at")
                .values_list("pk", flat=True)
                .first()
            )
            if resumed:
                return redirect(_practice_url(session=resumed))
    return render(
        request,
        "tutor/practice.html",
        _page_context(request, session, turns, mode, mode_chosen, topic, lesson),
    )


def _page_context(request, session, turns, mode, mode_chosen, topic, lesson) -> dict:
    titles, completed_before = [], False
    if lesson is not None:
        titles = list(lesson.steps.order_by("position").values_list("title", flat=True))
        _, completed_before = session_service.lesson_positions(request.user).get(
            lesson.pk, (1, False)
        )
    lesson_completed = bool(session and session.lesson_completed_at)
    current_step = (session.current_step if session else 1) if lesson else None
    ended = bool(session and not session.is_open)
    can_practise = mode != Mode.GUIDED_LESSON or bool(titles)
    labels = _mode_labels()
    short = SHORT_NAMES[mode]
    new_session_url = _practice_url(mode=short, topic=topic, lesson=lesson.pk if lesson else None)
    config = {
        "sessionId": str(session.pk) if session else None,
        "mode": mode,
        "topic": topic,
        "lessonId": str(lesson.pk) if lesson else None,
        "steps": titles,
        "currentStep": current_step,
        "totalSteps": len(titles) or None,
        "lessonCompleted": lesson_completed,
        "ended": ended,
        "autoStart": session is None and mode_chosen and can_practise,
        "canPractise": can_practise,
        "maxSeconds": settings.MAX_AUDIO_SECONDS,
        "vocabularyUrl": reverse("vocabulary"),
    }
    return {
        "nav": "practice",
        "session": session,
        "mode": mode,
        "mode_short": short,
        "mode_label": labels[mode],
        "mode_chosen": mode_chosen,
        "modes": [
            {"short": SHORT_NAMES[m], "label": labels[m], "current": m == mode and mode_chosen}
            for m in (Mode.LIVE_CONVERSATION, Mode.GUIDED_LESSON, Mode.PRONUNCIATION_COACH)
        ],
        "topic": topic,
        "lesson": lesson,
        "lessons": (
            Lesson.objects.published().filter(steps__isnull=False).distinct().only("id", "title")
            if mode == Mode.GUIDED_LESSON
            else []
        ),
        "steps": step_list(titles, current_step, lesson_completed),
        "total_steps": len(titles),
        "current_step": current_step,
        "current_title": titles[min(current_step, len(titles)) - 1] if titles else "",
        "lesson_completed": lesson_completed,
        "completed_before": completed_before,
        "bubbles": conversation(turns),
        "ended": ended,
        "can_practise": can_practise,
        "degraded": bool(turns and turns[-1].degraded),
        "new_session_url": new_session_url,
        "max_seconds": settings.MAX_AUDIO_SECONDS,
        "max_text_length": MAX_TEXT_LENGTH,
        "config": config,
        "strings": page_strings(),
    }


def typed_turn(request: HttpRequest) -> HttpResponse:
    """The no-JavaScript way to talk: the plain text form posts a typed turn here
    (into its session, or a new one of the chosen mode), then the page shows
    the session with Macca's answer. Throttled like the API's turns."""
    post = request.POST
    text = typed_text(post.get("user_text"), multiline=True)
    session_id = post.get("session_id", "")
    mode = _chosen_mode(post.get("mode")) or Mode.LIVE_CONVERSATION
    topic = typed_text(post.get("topic"))[:200] if mode == Mode.LIVE_CONVERSATION else ""
    lesson_id = post.get("lesson_id", "") if mode == Mode.GUIDED_LESSON else ""
    back = (
        _practice_url(session=session_id)
        if session_id
        else _practice_url(mode=SHORT_NAMES[mode], topic=topic, lesson=lesson_id)
    )
    problem = None
    if not text:
        problem = _("Type a sentence first.")
    elif len(text) > MAX_TEXT_LENGTH:
        problem = _("Your answer is too long: keep it under %(limit)d characters.") % {
            "limit": MAX_TEXT_LENGTH
        }
    elif not TurnThrottle().allow_request(request, None):
        problem = _("You are sending answers very fast: wait a minute, then try again.")
    if problem:
        messages.error(request, problem)
        return redirect(back)
    try:
        if session_id:
            session = session_service.session_for_turn(
                learner=request.user, session_id=_uuid(session_id), mode=None
            )
        else:
            lesson = _published_lesson(lesson_id) if lesson_id else None
            if mode == Mode.GUIDED_LESSON and lesson is None:
                lesson = session_service.next_lesson_for(request.user)
            session = session_service.start_session(
                learner=request.user, mode=mode, topic=topic, lesson=lesson
            ).session
        run_turn(learner=request.user, session=session, text=text)
    except session_service.SessionError as error:
        messages.error(request, str(error))
        return redirect(back)
    return redirect(_practice_url(session=session.pk))
