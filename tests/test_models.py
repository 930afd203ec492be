"""The rules the data must keep are enforced by the database itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tutor.models import (
    FeedbackIssue,
    LessonStep,
    Mode,
    PracticeSession,
    PronunciationAttempt,
    Turn,
    User,
    VocabularyItem,
)

pytestmark = pytest.mark.django_db


def rejected_by_database():
    return pytest.raises(IntegrityError)


def test_it_rejects_a_duplicate_turn_position_in_a_session(alice):
    session = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    Turn.objects.create(session=session, position=1, role="learner", text="Hello")
    with rejected_by_database(), transaction.atomic():
        Turn.objects.create(session=session, position=1, role="tutor", text="Hi!")
    other = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    Turn.objects.create(
        session=other, position=1, role="learner", text="Same position, other session"
    )
    assert Turn.objects.count() == 2


def test_it_rejects_the_same_word_in_another_case_for_one_learner(alice, bob):
    VocabularyItem.objects.create(learner=alice, word="deadline", translation="tenggat waktu")
    with rejected_by_database(), transaction.atomic():
        VocabularyItem.objects.create(learner=alice, word="Deadline", translation="batas waktu")
    VocabularyItem.objects.create(learner=bob, word="DEADLINE", translation="tenggat waktu")
    assert VocabularyItem.objects.filter(word__iexact="deadline").count() == 2


def test_it_rejects_a_duplicate_step_position_in_a_lesson(lesson):
    with rejected_by_database(), transaction.atomic():
        LessonStep.objects.create(lesson=lesson, position=2, title="Again", instruction="…")
    with rejected_by_database(), transaction.atomic():
        LessonStep.objects.create(lesson=lesson, position=0, title="Zero", instruction="…")
    assert list(lesson.steps.values_list("position", flat=True)) == [1, 2]


def test_it_rejects_an_email_that_differs_only_in_case(alice):
    with rejected_by_database(), transaction.atomic():
        User.objects.create(email="ALICE@example.com")
    # Through validation, a person sees why.
    with pytest.raises(ValidationError, match="already exists"):
        User(email="Alice@Example.com", password="x").full_clean()


def test_it_rejects_values_outside_their_choices(alice):
    with rejected_by_database(), transaction.atomic():
        User.objects.filter(pk=alice.pk).update(level="Z9")
    with rejected_by_database(), transaction.atomic():
        PracticeSession.objects.create(learner=alice, mode="karaoke")


def test_a_guided_session_needs_a_lesson_and_other_modes_have_none(alice, lesson):
    with rejected_by_database(), transaction.atomic():
        PracticeSession.objects.create(learner=alice, mode=Mode.GUIDED_LESSON)
    with rejected_by_database(), transaction.atomic():
        PracticeSession.objects.create(
            learner=alice, mode=Mode.LIVE_CONVERSATION, lesson=lesson, current_step=1
        )
    guided = PracticeSession.objects.create(
        learner=alice, mode=Mode.GUIDED_LESSON, lesson=lesson, current_step=1
    )
    assert guided.lesson == lesson


def test_a_session_cannot_end_before_it_started(alice):
    session = PracticeSession.objects.create(learner=alice, mode=Mode.PRONUNCIATION_COACH)
    with rejected_by_database(), transaction.atomic():
        PracticeSession.objects.filter(pk=session.pk).update(
            ended_at=session.started_at.replace(year=2000)
        )


def test_pronunciation_scores_stay_between_0_and_100(alice):
    with rejected_by_database(), transaction.atomic():
        PronunciationAttempt.objects.create(
            learner=alice, target_text="think", accuracy=101, completeness=100, overall=90
        )


def test_feedback_kind_must_be_known(alice):
    session = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    turn = Turn.objects.create(session=session, position=1, role="learner", text="I go yesterday")
    with rejected_by_database(), transaction.atomic():
        FeedbackIssue.objects.create(
            learner=alice, session=session, turn=turn, kind="spelling", code="past_tense"
        )


def test_session_duration_is_derived_from_its_start_and_end(alice):
    session = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    assert session.duration is None
    assert session.is_open
    session.ended_at = session.started_at + timedelta(minutes=7)
    assert session.duration == timedelta(minutes=7)
    assert not session.is_open
