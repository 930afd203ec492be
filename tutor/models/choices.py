"""The fixed vocabularies of Macca's data (the API's enums), and a helper that
turns them into database check constraints."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Level(models.TextChoices):
    A1 = "A1", "A1 · Beginner"
    A2 = "A2", "A2 · Elementary"
    B1 = "B1", "B1 · Intermediate"
    B2 = "B2", "B2 · Upper intermediate"
    C1 = "C1", "C1 · Advanced"
    C2 = "C2", "C2 · Proficient"


class Goal(models.TextChoices):
    JOB_INTERVIEW = "job_interview", "Job interview"
    STUDY = "study", "Study"
    DAILY_CONVERSATION = "daily_conversation", "Daily conversation"


class ExplanationLanguage(models.TextChoices):
    INDONESIAN = "id", "Bahasa Indonesia"
    ENGLISH = "en", "English"


def in_choices(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


class Mode(models.TextChoices):
    LIVE_CONVERSATION = "live_conversation", "Conversation"
    GUIDED_LESSON = "guided_lesson", "Guided lesson"
    PRONUNCIATION_COACH = "pronunciation_coach", "Pronunciation coach"


class Role(models.TextChoices):
    LEARNER = "learner", "Learner"
    TUTOR = "tutor", "Macca"


class FeedbackKind(models.TextChoices):
    GRAMMAR = "grammar", "Grammar"
    VOCABULARY = "vocabulary", "Vocabulary"
    PRONUNCIATION = "pronunciation", "Pronunciation"


class VocabularySource(models.TextChoices):
    CONVERSATION = "conversation", "Conversation"
    LESSON = "lesson", "Lesson"
    MANUAL = "manual", "Added by the learner"


class CardState(models.IntegerChoices):
    """The FSRS card states (fsrs.State): a new card starts in Learning."""

    LEARNING = 1, "Learning"
    REVIEW = 2, "Review"
    RELEARNING = 3, "Relearning"


class ReviewRating(models.IntegerChoices):
    """The FSRS ratings (fsrs.Rating)."""

    AGAIN = 1, "Again"
    HARD = 2, "Hard"
    GOOD = 3, "Good"
    EASY = 4, "Easy"
