from __future__ import annotations

import pytest

from tutor.models import Lesson, LessonStep, User


@pytest.fixture(autouse=True)
def _isolated_media_and_fast_hashing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user("alice@example.com", "correct horse battery", name="Alice")


@pytest.fixture
def bob(db) -> User:
    return User.objects.create_user("bob@example.com", "correct horse battery", name="Bob")


@pytest.fixture
def lesson(db) -> Lesson:
    lesson = Lesson.objects.create(
        slug="ordering-coffee",
        title="Ordering coffee",
        objective="Order a drink politely.",
        level="A2",
        target_grammar=["Polite requests: Could I have …?"],
        target_vocabulary=[{"word": "latte", "translation": "kopi susu"}],
        is_published=True,
    )
    LessonStep.objects.bulk_create(
        [
            LessonStep(lesson=lesson, position=1, title="Greet", instruction="Say hello."),
            LessonStep(lesson=lesson, position=2, title="Order", instruction="Order a latte."),
        ]
    )
    return lesson
