"""Test data in bulk, shared by the tests that need a lot of it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tutor.models import (
    FeedbackIssue,
    Mode,
    PracticeSession,
    PronunciationAttempt,
    ReviewLog,
    SpeechClip,
    Turn,
    User,
    VocabularyItem,
    recording_path,
)


def add_words(learner: User, count: int) -> None:
    """`count` words in the learner's list; half of them reviewed (their strength
    comes from FSRS state), due over the coming week (some today)."""
    now = timezone.now()
    VocabularyItem.objects.bulk_create(
        VocabularyItem(
            learner=learner,
            word=f"word{n:04d}",
            translation=f"kata {n}",
            stability=3.0 if n % 2 else None,
            difficulty=5.0 if n % 2 else None,
            state=2 if n % 2 else 1,
            last_review=now - timedelta(days=1) if n % 2 else None,
            due=now + timedelta(days=n % 7),
        )
        for n in range(count)
    )


@dataclass
class History:
    """What `practice_history` made: the rows, and every stored file by name."""

    session: PracticeSession
    learner_turn: Turn
    tutor_turn: Turn
    word: VocabularyItem
    attempt: PronunciationAttempt
    speech: SpeechClip
    files: dict[str, bytes] = field(default_factory=dict)  # storage name -> content


def practice_history(
    learner: User, *, said: str = "I goed to the market", word: str = "market"
) -> History:
    """A learner with a bit of everything: a session with a recorded learner turn (and
    its feedback) and a spoken tutor reply (a line of their own), a word with a review,
    a recorded pronunciation attempt. Each recording's bytes name the learner."""
    files: dict[str, bytes] = {}

    def recording(row, content: bytes) -> str:
        name = default_storage.save(recording_path(row, "answer.webm"), ContentFile(content))
        files[name] = content
        return name

    session = PracticeSession.objects.create(
        learner=learner, mode=Mode.LIVE_CONVERSATION, topic="Markets"
    )
    learner_turn = Turn(session=session, position=1, role="learner", text=said, transcript=said)
    learner_turn.audio.name = recording(learner_turn, f"turn by {learner.email}".encode())
    learner_turn.save()
    speech_name = f"speech/{uuid.uuid4().hex}.ogg"
    files[speech_name] = f"Macca to {learner.name}".encode()
    default_storage.save(speech_name, ContentFile(files[speech_name]))
    speech = SpeechClip.objects.create(
        key=uuid.uuid4().hex * 2,
        owner=learner,
        model_id="mock-tts",
        text=f"Well done, {learner.name}!",
        audio=speech_name,
        content_type="audio/ogg",
    )
    tutor_turn = Turn.objects.create(
        session=session, position=2, role="tutor", text="I went to the market.", speech=speech
    )
    FeedbackIssue.objects.create(
        learner=learner,
        session=session,
        turn=learner_turn,
        kind="grammar",
        code="past_tense",
        detail={"original_text": said, "better_sentence": "I went to the market"},
    )
    item = VocabularyItem.objects.create(learner=learner, word=word, translation="pasar")
    ReviewLog.objects.create(item=item, rating=3)
    attempt = PronunciationAttempt(
        learner=learner, target_text="three", accuracy=80, completeness=100, overall=86
    )
    attempt.audio.name = recording(attempt, f"attempt by {learner.email}".encode())
    attempt.save()
    return History(session, learner_turn, tutor_turn, item, attempt, speech, files)
