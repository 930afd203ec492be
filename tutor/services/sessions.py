"""Practice sessions: starting one with Macca's opening line, finding the one a
turn belongs to, and ending one with a summary of what was practised."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from providers.schemas import Drill, MaccaJsonResponse
from tutor.models import (
    FeedbackIssue,
    FeedbackKind,
    Lesson,
    LessonStep,
    Mode,
    PracticeSession,
    Role,
    SpeechClip,
    Turn,
    User,
    VocabularyItem,
    VocabularySource,
)

from .activity import record_turns
from .progress import session_seconds
from .pronunciation_coach import opening_sentence
from .pronunciation_data import HARD_SOUNDS
from .speech import speak

SHORT_MODES = {
    "live": Mode.LIVE_CONVERSATION,
    "guided": Mode.GUIDED_LESSON,
    "pronunciation": Mode.PRONUNCIATION_COACH,
}


class SessionError(Exception):
    """A request about a session that cannot be honoured; the message says why."""


def normalize_mode(value: str | None) -> str:
    """`live`/`guided`/`pronunciation` or the long names; empty means conversation."""
    if not value:
        return Mode.LIVE_CONVERSATION
    value = value.strip().lower()
    if value in Mode.values:
        return value
    if value in SHORT_MODES:
        return SHORT_MODES[value]
    raise ValueError(value)


def get_session_for(learner: User, session_id: uuid.UUID | str) -> PracticeSession:
    """The learner's own session; someone else's answers 404, like a missing one."""
    try:
        return PracticeSession.objects.select_related("lesson").get(pk=session_id, learner=learner)
    except (PracticeSession.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("No such practice session.") from None


def next_lesson_for(learner: User) -> Lesson:
    """The first published lesson the learner has not completed (or the first one)."""
    published = Lesson.objects.published().filter(steps__isnull=False).distinct()
    done = PracticeSession.objects.filter(
        learner=learner, lesson_completed_at__isnull=False
    ).values("lesson_id")
    lesson = published.exclude(pk__in=done).first() or published.first()
    if lesson is None:
        raise Http404("There is no published lesson to practise yet.")
    return lesson


def session_for_turn(
    *, learner: User, session_id: uuid.UUID | None, mode: str | None
) -> PracticeSession:
    """The session a turn goes to: the one named, else the learner's latest open
    session of that mode, else a new one (the first backend's clients send none)."""
    if session_id is not None:
        session = get_session_for(learner, session_id)
        if mode is not None and normalize_mode(mode) != session.mode:
            raise SessionError(
                _("This session is a %(mode)s session.")
                % {"mode": session.get_mode_display().lower()}
            )
        if not session.is_open:
            raise SessionError(_("This session has ended; start a new one."))
        return session
    mode = normalize_mode(mode)
    open_session = (
        PracticeSession.objects.select_related("lesson")
        .filter(learner=learner, mode=mode, ended_at__isnull=True)
        .order_by("-started_at")
        .first()
    )
    if open_session is not None:
        return open_session
    lesson = next_lesson_for(learner) if mode == Mode.GUIDED_LESSON else None
    return start_session(learner=learner, mode=mode, lesson=lesson).session


@dataclass
class StartedSession:
    session: PracticeSession
    prompt: str
    speech: SpeechClip | None
    total_steps: int | None
    degraded: bool


def _first_name(learner: User) -> str:
    return learner.name.split()[0] if learner.name.strip() else "there"


def opening(
    learner: User, mode: str, topic: str, lesson: Lesson | None, steps: list[LessonStep]
) -> MaccaJsonResponse:
    """What Macca says first: it fits the mode, the topic or the lesson's first step."""
    name = _first_name(learner)
    if mode == Mode.GUIDED_LESSON and lesson is not None:
        step = steps[0]
        prompt = (
            f"Hi {name}! Welcome to “{lesson.title}”. Step 1 of {len(steps)}: "
            f"{step.title}. {step.instruction}"
        )
        return MaccaJsonResponse(reply=prompt, next_prompt=step.instruction)
    if mode == Mode.PRONUNCIATION_COACH:
        sentence = opening_sentence(learner)
        ask = f"Please say: “{sentence}”"
        return MaccaJsonResponse(
            reply=f"Hi {name}! Let's work on your pronunciation. {ask}",
            next_prompt=ask,
            drills=[Drill(type="repeat_sentence", instruction=ask, sentence=sentence)],
        )
    if topic:
        question = f"Tell me something about {topic}: what comes to mind first?"
        return MaccaJsonResponse(
            reply=f"Hi {name}! Let's talk about {topic}. {question}", next_prompt=question
        )
    question = "How was your day? Tell me one thing you did."
    return MaccaJsonResponse(
        reply=f"Hi {name}! I'm Macca, your English coach. {question}", next_prompt=question
    )


def start_session(
    *, learner: User, mode: str, topic: str = "", lesson: Lesson | None = None
) -> StartedSession:
    """A new session whose first turn is Macca's opening line, spoken."""
    steps = list(lesson.steps.order_by("position")) if lesson is not None else []
    if lesson is not None and not steps:
        raise Http404("This lesson has no steps yet.")
    response = opening(learner, mode, topic, lesson, steps)
    session = PracticeSession.objects.create(
        learner=learner,
        mode=mode,
        topic=topic[:200],
        lesson=lesson,
        current_step=1 if lesson is not None else None,
    )
    if lesson is not None:
        add_lesson_words(learner, lesson)
    turn = Turn.objects.create(
        session=session,
        position=1,
        role=Role.TUTOR,
        text=response.reply,
        structured=response.model_dump(mode="json"),
    )
    record_turns(session=session, turns=[turn])
    clip, degraded = speak(response.reply, owner=learner)  # it greets them by name
    if clip is not None or degraded:
        Turn.objects.filter(pk=turn.pk).update(speech=clip, degraded=degraded)
    return StartedSession(
        session=session,
        prompt=response.reply,
        speech=clip,
        total_steps=len(steps) or None,
        degraded=degraded,
    )


def add_lesson_words(learner: User, lesson: Lesson) -> None:
    """A lesson's target vocabulary joins the learner's list when they start it,
    once per word (the case-insensitive unique constraint skips known words)."""
    VocabularyItem.objects.bulk_create(
        [
            VocabularyItem(
                learner=learner,
                word=item["word"].strip()[:100],
                translation=item["translation"].strip()[:200],
                source=VocabularySource.LESSON,
            )
            for item in lesson.target_vocabulary
            if item.get("word", "").strip()
        ],
        ignore_conflicts=True,
    )


SUGGESTIONS = {
    "past_tense": "tell Macca about your last weekend, to practise the past tense",
    "third_person_s": "describe a friend's daily routine (he works, she goes…)",
    "article": "describe your job and your home, using a and an",
    "plural_noun": "talk about things you bought, with numbers (two books, three cups)",
    "age_with_have": "introduce your family: “My sister is 20 years old.”",
    "very_like": "say what you really like and don't like about your city",
    "missing_be": "describe people you know: “She is kind.”",
}


def issue_label(code: str) -> str:
    """past_tense → "past tense"; th_voiceless → "the /θ/ sound"."""
    if code == "final_consonant":
        return "final consonants"
    if code == "final_cluster":
        return "word endings (-s, -ed, -st)"
    if code in HARD_SOUNDS:
        return f"the /{HARD_SOUNDS[code]['sound']}/ sound"
    return code.replace("_", " ")


def _suggestion(top_code: str | None, session: PracticeSession) -> str:
    if top_code in SUGGESTIONS:
        return SUGGESTIONS[top_code]
    if top_code in ("final_consonant", "final_cluster"):
        return "practise word endings (-t, -d, -st, -ed) in the pronunciation coach"
    if top_code in HARD_SOUNDS:
        return f"practise the /{HARD_SOUNDS[top_code]['sound']}/ sound in the pronunciation coach"
    if top_code:
        return f"try the same topic again and watch out for {issue_label(top_code)}"
    if session.lesson_id and not session.lesson_completed_at:
        return "finish the lesson's remaining steps"
    return "try a new topic or the next lesson"


def session_summary(session: PracticeSession) -> str:
    """What was practised, the main issues with one of the learner's own sentences
    each, the new words, and one suggestion for next time."""
    if session.lesson_id:
        what = f"Lesson “{session.lesson.title}”"
    elif session.mode == Mode.PRONUNCIATION_COACH:
        what = "Pronunciation practice"
    else:
        what = f"Conversation about {session.topic}" if session.topic else "Free conversation"
    learner_turns = session.turns.filter(role=Role.LEARNER).count()
    minutes = max(1, round(session_seconds(session) / 60)) if learner_turns else 0
    parts = [
        f"{what}: {learner_turns} turn{'s' if learner_turns != 1 else ''}, "
        f"{minutes} minute{'s' if minutes != 1 else ''}."
    ]
    if session.lesson_completed_at:
        parts.append("Lesson completed!")
    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    words: list[str] = []
    rows = (
        FeedbackIssue.objects.filter(session=session)
        .order_by("created_at", "id")
        .values_list("kind", "code", "detail", "turn__text")
    )
    for kind, code, detail, text in rows:
        if kind == FeedbackKind.VOCABULARY:
            words.append((detail or {}).get("word", ""))
            continue
        counts[code] += 1
        better = (detail or {}).get("better_sentence")
        if code not in example and text:
            example[code] = f"“{text}” → “{better}”" if better else f"“{text}”"
    top = counts.most_common(3)
    if top:
        listed = "; ".join(
            f"{issue_label(code)} ({n}×), e.g. {example[code]}"
            if code in example
            else f"{issue_label(code)} ({n}×)"
            for code, n in top
        )
        parts.append(f"To work on: {listed}.")
    elif learner_turns:
        parts.append("No mistakes found: well done!")
    words = list(dict.fromkeys(w for w in words if w))
    if words:
        parts.append(f"New words: {', '.join(words[:5])}.")
    if learner_turns:
        parts.append(f"Next time: {_suggestion(top[0][0] if top else None, session)}.")
    return " ".join(parts)


def end_session(session: PracticeSession) -> PracticeSession:
    """Ends the session (once; ending again changes nothing) and writes its summary."""
    if session.is_open:
        session.ended_at = max(timezone.now(), session.started_at)
        session.summary = session_summary(session)
        session.save(update_fields=["ended_at", "summary"])
    return session


def learner_turn_count(session: PracticeSession) -> int:
    return session.turns.filter(role=Role.LEARNER).count()


def sessions_with_counts(learner: User):
    """The learner's sessions, newest first, each with its learner-turn count and its
    lesson's step count (subqueries: no join fan-out); its last turn's time is a column."""
    learner_turns = (
        Turn.objects.filter(session=OuterRef("pk"), role=Role.LEARNER)
        .values("session")
        .annotate(n=Count("*"))
        .values("n")
    )
    steps = (
        LessonStep.objects.filter(lesson=OuterRef("lesson"))
        .values("lesson")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        PracticeSession.objects.filter(learner=learner)
        .select_related("lesson")
        .annotate(
            learner_turns=Coalesce(Subquery(learner_turns), 0),
            total_steps=Subquery(steps),
        )
        .order_by("-started_at", "-id")  # the id keeps pages stable on a tie
    )


def lesson_positions(learner: User) -> dict:
    """{lesson id: (current step, completed)} from the learner's guided sessions:
    the latest session's step, and completed once any session met the last step."""
    positions: dict = {}
    rows = (
        PracticeSession.objects.filter(learner=learner, mode=Mode.GUIDED_LESSON)
        .order_by("started_at")
        .values_list("lesson_id", "current_step", "lesson_completed_at")
    )
    for lesson_id, step, completed_at in rows:
        completed = positions.get(lesson_id, (1, False))[1] or completed_at is not None
        positions[lesson_id] = (step or 1, completed)
    return positions
