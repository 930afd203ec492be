"""A text turn costs a fixed number of queries, whatever the session length and
however much the learner has built up: the history sent to the model is a
bounded slice, and the learner's profile is one aggregate, not a loop."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import add_words
from tutor.models import (
    FeedbackIssue,
    FeedbackKind,
    Lesson,
    LessonStep,
    Mode,
    PracticeSession,
    PronunciationAttempt,
    Role,
    SpeechClip,
    Turn,
    User,
    VocabularyItem,
)

# Generous but finite: knox (2), the session, the history, the profile, the
# locked session, the position, two turns, feedback, words, the voice cache (2-3)…
MAX_QUERIES = 25
TEXT = "I go to the office yesterday and I buy a coffee"
SENTENCE = "I think three thin thieves thought a thousand thoughts."
SOUNDS = ["th_voiceless", "th_voiced", "v_sound", "r_sound", "final_s"]


def make_lesson() -> Lesson:
    lesson = Lesson.objects.create(
        slug="a-day-at-work",
        title="A day at work",
        objective="Talk about yesterday.",
        level="A2",
        target_grammar=["past simple"],
        target_vocabulary=[{"word": "meeting", "translation": "rapat"}],
        is_published=True,
    )
    LessonStep.objects.bulk_create(
        LessonStep(lesson=lesson, position=p, title=f"Step {p}", instruction="Say what you did.")
        for p in range(1, 6)
    )
    return lesson


def learner_with(email: str, *, words: int, issues: int, attempts: int) -> User:
    """A learner with `words` vocabulary items, `issues` feedback issues (spread over
    grammar and pronunciation codes, in an old session) and `attempts` attempts."""
    learner = User.objects.create_user(email, "correct horse battery", name="Learner")
    add_words(learner, words)
    now = timezone.now()
    old = PracticeSession.objects.create(
        learner=learner,
        mode=Mode.LIVE_CONVERSATION,
        started_at=now - timedelta(days=3),
        ended_at=now - timedelta(days=3) + timedelta(minutes=20),
    )
    said = Turn.objects.create(session=old, position=1, role=Role.LEARNER, text="I go home")
    FeedbackIssue.objects.bulk_create(
        FeedbackIssue(
            learner=learner,
            session=old,
            turn=said,
            kind=FeedbackKind.PRONUNCIATION if n % 3 == 0 else FeedbackKind.GRAMMAR,
            code=SOUNDS[n % len(SOUNDS)] if n % 3 == 0 else f"grammar_{n % 17}",
            detail={"issue": "x"},
            created_at=now - timedelta(minutes=n),
        )
        for n in range(issues)
    )
    PronunciationAttempt.objects.bulk_create(
        PronunciationAttempt(
            learner=learner,
            target_text=SENTENCE,
            transcript=SENTENCE,
            accuracy=80,
            completeness=90,
            overall=85,
            words=[{"word": "three", "checks": [{"code": "th_voiceless", "ok": n % 2 == 0}]}],
            created_at=now - timedelta(minutes=n),
        )
        for n in range(attempts)
    )
    return learner


def session_with(learner: User, mode: str, lesson: Lesson | None, earlier: int):
    """An open session of `mode` with `earlier` turns, Macca first; each of Macca's
    turns carries its structured reply with a sentence to read, each learner turn
    two feedback issues."""
    guided = mode == Mode.GUIDED_LESSON
    session = PracticeSession.objects.create(
        learner=learner,
        mode=mode,
        lesson=lesson if guided else None,
        current_step=1 if guided else None,
        started_at=timezone.now() - timedelta(hours=1),
    )
    structured = {
        "version": "1.0",
        "reply": "Please read this.",
        "feedback": {"grammar": [], "vocabulary": [], "pronunciation": []},
        "drills": [{"type": "repeat_sentence", "instruction": "Say it", "sentence": SENTENCE}],
        "next_prompt": "Please read this.",
        "step_complete": None,
    }
    turns = Turn.objects.bulk_create(
        Turn(
            session=session,
            position=n,
            role=Role.TUTOR if n % 2 else Role.LEARNER,
            text=f"Macca's line {n}" if n % 2 else f"My sentence number {n}",
            structured=structured if n % 2 else None,
        )
        for n in range(1, earlier + 1)
    )
    FeedbackIssue.objects.bulk_create(
        FeedbackIssue(learner=learner, session=session, turn=turn, kind=kind, code=code)
        for turn in turns
        if turn.role == Role.LEARNER
        for kind, code in ((FeedbackKind.GRAMMAR, "past_tense"), (FeedbackKind.GRAMMAR, "article"))
    )
    return session


def queries_for_turn(learner: User, session: PracticeSession) -> tuple[int, list[str], dict]:
    """The queries of one text turn through the API, with Macca's voice not yet cached
    (the same reply is spoken in every scenario, so each one synthesizes it)."""
    SpeechClip.objects.all().delete()
    api = client_for(learner)
    with CaptureQueriesContext(connection) as captured:
        response = api.post(
            "/api/session/turn", {"user_text": TEXT, "session_id": str(session.pk)}, format="json"
        )
    assert response.status_code == 200, response.content
    return len(captured), [q["sql"] for q in captured.captured_queries], response.json()


@pytest.fixture
def unthrottled(monkeypatch):
    from tutor.api.throttles import TurnThrottle

    monkeypatch.setattr(TurnThrottle, "rate", "10000/min", raising=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mode", [Mode.LIVE_CONVERSATION, Mode.GUIDED_LESSON, Mode.PRONUNCIATION_COACH]
)
def test_a_text_turn_costs_the_same_queries_for_2_or_200_earlier_turns(mode, unthrottled):
    lesson = make_lesson()
    learner = learner_with("small@example.com", words=5, issues=5, attempts=5)
    short = session_with(learner, mode, lesson, earlier=2)
    long = session_with(learner, mode, lesson, earlier=200)

    few, _few_sql, first = queries_for_turn(learner, short)
    many, many_sql, second = queries_for_turn(learner, long)

    print(f"\n{mode} text turn: {few} queries after 2 turns, {many} after 200")
    assert first["degraded"] is second["degraded"] is False
    assert first["macca_audio_url"] and second["macca_audio_url"]
    assert Turn.objects.filter(session=long).count() == 202
    assert many == few, "\n".join(many_sql)
    assert many <= MAX_QUERIES, "\n".join(many_sql)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mode", [Mode.LIVE_CONVERSATION, Mode.GUIDED_LESSON, Mode.PRONUNCIATION_COACH]
)
def test_a_text_turn_costs_the_same_queries_for_a_new_or_a_seasoned_learner(mode, unthrottled):
    lesson = make_lesson()
    new = learner_with("new@example.com", words=5, issues=5, attempts=5)
    seasoned = learner_with("seasoned@example.com", words=500, issues=500, attempts=500)
    new_session = session_with(new, mode, lesson, earlier=2)
    seasoned_session = session_with(seasoned, mode, lesson, earlier=2)

    few, _few_sql, _ = queries_for_turn(new, new_session)
    many, many_sql, _ = queries_for_turn(seasoned, seasoned_session)

    print(f"\n{mode} text turn: {few} queries for 5 words/issues, {many} for 500")
    assert VocabularyItem.objects.filter(learner=seasoned).count() >= 500
    assert many == few, "\n".join(many_sql)
    assert many <= MAX_QUERIES, "\n".join(many_sql)


@pytest.mark.django_db
def test_a_cached_voice_saves_queries_but_stays_fixed(unthrottled):
    """A reply already spoken once costs no synthesis and no insert: still a fixed
    count. Twin sessions (same history, so the same reply) warm the voice cache."""
    learner = learner_with("cached@example.com", words=5, issues=5, attempts=0)
    api = client_for(learner)

    def turn(session) -> tuple[int, dict]:
        body = {"user_text": TEXT, "session_id": str(session.pk)}
        with CaptureQueriesContext(connection) as captured:
            response = api.post("/api/session/turn", body, format="json")
        assert response.status_code == 200, response.content
        return len(captured), response.json()

    counts = {}
    for earlier in (2, 200):
        SpeechClip.objects.all().delete()
        twin, session = (
            session_with(learner, Mode.LIVE_CONVERSATION, None, earlier) for _ in range(2)
        )
        miss, warmed = turn(twin)
        hit, body = turn(session)
        assert body["macca_text"] == warmed["macca_text"]
        assert body["macca_audio_url"] == warmed["macca_audio_url"]
        counts[earlier] = (miss, hit)
    print(
        f"\nlive text turn (voice new, cached): {counts[2]} after 2 turns, {counts[200]} after 200"
    )
    assert counts[2] == counts[200]
    miss, hit = counts[200]
    assert hit < miss <= MAX_QUERIES
