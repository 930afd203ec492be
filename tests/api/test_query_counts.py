"""List and detail endpoints cost a fixed number of queries, however much the
learner has: no query per session, turn, word or lesson."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import add_words
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
)

# Every count includes knox's two: the token with its user, then the user's tokens
# (knox purges expired ones).
MAX_QUERIES = 6


def queries_for(api, path: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(queries), response


def add_sessions(learner, lesson, count: int) -> list[PracticeSession]:
    """`count` sessions, every third a guided lesson, each with a tutor and a learner turn."""
    now = timezone.now()
    sessions = PracticeSession.objects.bulk_create(
        [
            PracticeSession(
                learner=learner,
                mode=Mode.GUIDED_LESSON if i % 3 == 0 else Mode.LIVE_CONVERSATION,
                lesson=lesson if i % 3 == 0 else None,
                current_step=1 if i % 3 == 0 else None,
                started_at=now - timedelta(hours=i + 1),
                ended_at=now - timedelta(hours=i) if i % 2 else None,
            )
            for i in range(count)
        ]
    )
    Turn.objects.bulk_create(
        [
            Turn(session=session, position=position, role=role, text=f"{role} says hello")
            for session in sessions
            for position, role in ((1, Role.TUTOR), (2, Role.LEARNER))
        ]
    )
    return sessions


def add_turns(session: PracticeSession, count: int) -> None:
    """`count` turns alternating Macca (spoken) and the learner (recorded, two issues each)."""
    clips = SpeechClip.objects.bulk_create(
        [
            SpeechClip(
                key=f"{session.pk.hex}{n:08d}",
                model_id="mock-tts",
                text=f"Reply {n}",
                audio=f"speech/{session.pk.hex}-{n}.wav",
                content_type="audio/wav",
            )
            for n in range(1, count + 1, 2)
        ]
    )
    clips_iter = iter(clips)
    turns = Turn.objects.bulk_create(
        [
            Turn(
                session=session,
                position=n,
                role=Role.TUTOR if n % 2 else Role.LEARNER,
                text=f"Turn {n}",
                speech=next(clips_iter) if n % 2 else None,
                audio="" if n % 2 else f"private/recordings/{session.learner_id}/{n}.wav",
                structured={"reply": f"Turn {n}"} if n % 2 else None,
            )
            for n in range(1, count + 1)
        ]
    )
    FeedbackIssue.objects.bulk_create(
        [
            FeedbackIssue(
                learner_id=session.learner_id,
                session=session,
                turn=turn,
                kind=kind,
                code=code,
                detail={"issue": code},
            )
            for turn in turns
            if turn.role == Role.LEARNER
            for kind, code in (
                (FeedbackKind.GRAMMAR, "past_tense"),
                (FeedbackKind.GRAMMAR, "article"),
            )
        ]
    )


def add_lessons(count: int, first: int = 0) -> None:
    """`count` published lessons of 3, 4 or 5 steps."""
    lessons = Lesson.objects.bulk_create(
        [
            Lesson(
                slug=f"lesson-{n}",
                title=f"Lesson {n}",
                objective="Practise.",
                level="B1",
                target_grammar=["past simple"],
                target_vocabulary=[{"word": "meeting", "translation": "rapat"}],
                position=n,
                is_published=True,
            )
            for n in range(first, first + count)
        ]
    )
    LessonStep.objects.bulk_create(
        [
            LessonStep(lesson=lesson, position=p, title=f"Step {p}", instruction="Say it.")
            for n, lesson in enumerate(lessons, start=first)
            for p in range(1, 3 + n % 3 + 1)
        ]
    )


def test_the_session_list_costs_the_same_for_3_or_30_sessions(
    alice, alice_api, bob, bob_api, lesson, django_assert_max_num_queries
):
    add_sessions(alice, lesson, 3)
    add_sessions(bob, lesson, 30)

    few, response = queries_for(alice_api, "/api/sessions")
    assert response.json()["count"] == 3
    many, response = queries_for(bob_api, "/api/sessions")
    assert response.json()["count"] == 30
    assert len(response.json()["results"]) == 20  # the first page
    assert any(item["lesson_title"] == lesson.title for item in response.json()["results"])
    print(f"GET /api/sessions: {few} queries for 3 sessions, {many} for 30")
    assert many == few
    with django_assert_max_num_queries(MAX_QUERIES):
        bob_api.get("/api/sessions")


def test_a_session_costs_the_same_with_2_or_50_turns(
    alice, alice_api, django_assert_max_num_queries
):
    short = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    long = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    add_turns(short, 2)
    add_turns(long, 50)

    few, response = queries_for(alice_api, f"/api/sessions/{short.pk}")
    assert len(response.json()["turns"]) == 2
    many, response = queries_for(alice_api, f"/api/sessions/{long.pk}")
    turns = response.json()["turns"]
    assert [turn["position"] for turn in turns] == list(range(1, 51))
    assert all(turn["audio_url"] for turn in turns)
    assert [len(turn["feedback"]) for turn in turns[:2]] == [0, 2]
    print(f"GET /api/sessions/<id>: {few} queries for 2 turns, {many} for 50")
    assert many == few
    with django_assert_max_num_queries(MAX_QUERIES):
        alice_api.get(f"/api/sessions/{long.pk}")


def test_the_word_list_costs_the_same_for_2_or_200_words(
    alice, alice_api, bob, bob_api, django_assert_max_num_queries
):
    add_words(alice, 2)
    add_words(bob, 200)

    few, response = queries_for(alice_api, "/api/user/vocabulary")
    assert len(response.json()) == 2
    many, response = queries_for(bob_api, "/api/user/vocabulary?limit=500")  # one page
    assert len(response.json()) == 200
    assert any(item["strength"] > 0 for item in response.json())
    print(f"GET /api/user/vocabulary: {few} queries for 2 words, {many} for 200")
    assert many == few
    with django_assert_max_num_queries(MAX_QUERIES):
        bob_api.get("/api/user/vocabulary")


def test_the_lesson_list_costs_the_same_for_1_or_8_lessons(
    alice, alice_api, anon, django_assert_max_num_queries
):
    add_lessons(1)
    # The learner's place in each lesson comes from their guided sessions.
    PracticeSession.objects.create(
        learner=alice, mode=Mode.GUIDED_LESSON, lesson=Lesson.objects.get(), current_step=2
    )
    few, response = queries_for(alice_api, "/api/lessons")
    assert [lesson["current_step"] for lesson in response.json()] == [2]

    add_lessons(7, first=1)
    many, response = queries_for(alice_api, "/api/lessons")
    assert len(response.json()) == 8
    assert [len(lesson["steps"]) for lesson in response.json()] == [3, 4, 5, 3, 4, 5, 3, 4]
    anonymous, _ = queries_for(anon, "/api/lessons")
    print(f"GET /api/lessons: {few} queries for 1 lesson, {many} for 8 ({anonymous} anonymous)")
    assert many == few
    with django_assert_max_num_queries(MAX_QUERIES):
        alice_api.get("/api/lessons")
