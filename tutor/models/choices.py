"""The fixed vocabularies of Macca's data (the API's enums), and a helper that
turns them into database check constraints."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    A1 = "A1", _("A1 · Beginner")
    A2 = "A2", _("A2 · Elementary")
    B1 = "B1", _("B1 · Intermediate")
    B2 = "B2", _("B2 · Upper intermediate")
    C1 = "C1", _("C1 · Advanced")
    C2 = "C2", _("C2 · Proficient")


class Goal(models.TextChoices):
    JOB_INTERVIEW = "job_interview", _("Job interview")
    STUDY = "study", _("Study")
    DAILY_CONVERSATION = "daily_conversation", _("Daily conversation")


class ExplanationLanguage(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("English")


def in_choices(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


class Mode(models.TextChoices):
    LIVE_CONVERSATION = "live_conversation", _("Conversation")
    GUIDED_LESSON = "guided_lesson", _("Guided lesson")
    PRONUNCIATION_COACH = "pronunciation_coach", _("Pronunciation coach")


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    TUTOR = "tutor", _("Macca")


class FeedbackKind(models.TextChoices):
    GRAMMAR = "grammar", _("Grammar")
    VOCABULARY = "vocabulary", _("Vocabulary")
    PRONUNCIATION = "pronunciation", _("Pronunciation")


class VocabularySource(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    LESSON = "lesson", _("Lesson")
    MANUAL = "manual", _("Added by the learner")


class CardState(models.IntegerChoices):
    """The FSRS card states (fsrs.State): a new card starts in Learning."""

    LEARNING = 1, _("Learning")
    REVIEW = 2, _("Review")
    RELEARNING = 3, _("Relearning")


class ReviewRating(models.IntegerChoices):
    """The FSRS ratings (fsrs.Rating)."""

    AGAIN = 1, _("Again")
    HARD = 2, _("Hard")
    GOOD = 3, _("Good")
    EASY = 4, _("Easy")
