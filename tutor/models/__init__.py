"""Macca's data: learners, curated lessons, practice sessions and what they teach.

Rules the data must keep are database constraints with names, so they hold for
every writer (API, admin, management commands), not only for forms."""

from .choices import (
    CardState,
    ExplanationLanguage,
    FeedbackKind,
    Goal,
    Level,
    Mode,
    ReviewRating,
    Role,
    VocabularySource,
)
from .learning import PronunciationAttempt, ReviewLog, SpeechClip, VocabularyItem
from .lessons import Lesson, LessonQuerySet, LessonStep
from .practice import FeedbackIssue, PracticeSession, Turn, recording_path
from .tallies import IssueTally, TurnTally
from .users import TokenActivity, User, UserManager, normalize_email, validate_time_zone

__all__ = [
    "CardState",
    "ExplanationLanguage",
    "FeedbackIssue",
    "FeedbackKind",
    "Goal",
    "IssueTally",
    "Lesson",
    "LessonQuerySet",
    "LessonStep",
    "Level",
    "Mode",
    "PracticeSession",
    "PronunciationAttempt",
    "ReviewLog",
    "ReviewRating",
    "Role",
    "SpeechClip",
    "TokenActivity",
    "Turn",
    "TurnTally",
    "User",
    "UserManager",
    "VocabularyItem",
    "VocabularySource",
    "normalize_email",
    "recording_path",
    "validate_time_zone",
]
