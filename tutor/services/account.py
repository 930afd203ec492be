"""A learner's rights over their data (Indonesia's personal data law, UU 27/2022):
deleting the account with everything in it, and taking a copy of it away.

Deleting removes every row of the learner (sessions, turns, feedback, vocabulary and
its reviews, pronunciation attempts, tokens, browser sessions, their own tutor speech)
and every stored file at once, not at the next `purge_media`. Exporting gives a zip:
`macca.json` with the learner's data, and their recordings under `recordings/`."""

from __future__ import annotations

import json
import logging
import posixpath
import shutil
import zipfile
from collections.abc import Iterable
from tempfile import SpooledTemporaryFile
from typing import IO

from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from tutor.models import (
    PracticeSession,
    PronunciationAttempt,
    SpeechClip,
    Turn,
    User,
    VocabularyItem,
)

from .media import RECORDINGS_DIR
from .mistakes import recurring_mistakes
from .speech import forget_speech

logger = logging.getLogger(__name__)

EXPORT_FORMAT_VERSION = 1
# Up to this much of the zip stays in memory; a bigger one spills to a temporary file.
EXPORT_MEMORY_BYTES = 8 * 1024 * 1024
_EVERY_MISTAKE = 1000  # more than there are issue codes


# --- Deleting -------------------------------------------------------------------------


def delete_account(*, user: User) -> None:
    """Deletes the learner's rows in one transaction, then their files once it commits.

    Rows first, files after the commit: if the transaction fails, every row still
    points at a file that still exists, so nothing is half deleted and the learner can
    simply try again; if removing a file fails after the commit, that file is one no
    row points to any more, which the next `purge_media` removes. Deleting files first
    would risk the opposite: rows (still shown in the learner's history) whose
    recordings are gone. The learner's recordings folder is swept too, for a
    recording an upload stored a moment before its row could be saved."""
    # The speech cache's own cleanup, run by its owner (its lines are re-spoken on
    # demand, so losing them when the rest then fails costs only a synthesis).
    forget_speech(user)
    with transaction.atomic():
        names = _stored_files_of(user)
        folder = posixpath.join(RECORDINGS_DIR, str(user.pk))
        _browser_sessions_of(user).delete()
        user.delete()  # cascades to every row that belongs to the learner
        transaction.on_commit(lambda: _remove_files([*names, *_files_in(folder)]), robust=True)


def _stored_files_of(user: User) -> list[str]:
    """The storage names of every file a row of the learner points to."""
    sources = (
        Turn.objects.filter(session__learner=user),
        PronunciationAttempt.objects.filter(learner=user),
        SpeechClip.objects.filter(owner=user),  # any line spoken since forget_speech ran
    )
    return [
        name
        for rows in sources
        for name in rows.exclude(audio="").values_list("audio", flat=True).iterator()
    ]


def _browser_sessions_of(user: User):
    """The learner's browser sessions, expired ones too (they hold the user id until
    `clearsessions` runs). Django keeps the id inside each session's encoded data, so
    every session is decoded and matched: a scan, but one per deleted account."""
    user_id = str(user.pk)
    keys = [
        session.session_key
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    return Session.objects.filter(session_key__in=keys)


def _files_in(folder: str) -> list[str]:
    try:
        _directories, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [posixpath.join(folder, name) for name in files]


def _remove_files(names: Iterable[str]) -> None:
    for name in dict.fromkeys(names):  # each once, in order
        try:
            default_storage.delete(name)
        except Exception:  # whatever the storage raises, the other files still go
            # The rows are gone already: the file is an orphan purge_media removes.
            logger.exception("could not remove %s of a deleted account", name)


# --- Exporting ------------------------------------------------------------------------


def export_account(*, user: User) -> IO[bytes]:
    """The learner's data as a zip, rewound and ready to send: `macca.json` and every
    recording it names (`recordings/turns/<turn id>.<ext>`,
    `recordings/pronunciation/<attempt id>.<ext>`). Recordings are copied in chunks and
    the zip spills to disk past EXPORT_MEMORY_BYTES, so memory stays bounded by the
    JSON (text only) whatever the recordings weigh. The caller closes the file."""
    # Returned open: the response streams it, then closes it.
    archive = SpooledTemporaryFile(max_size=EXPORT_MEMORY_BYTES)  # noqa: SIM115
    try:
        _write_zip(archive, user)
    except BaseException:
        archive.close()
        raise
    archive.seek(0)
    return archive


def _write_zip(archive: IO[bytes], user: User) -> None:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        recordings: dict[str, str] = {}  # archive name -> storage name
        data = _account_data(user, recordings)
        present = {arcname for arcname, name in recordings.items() if _copy(zipped, name, arcname)}
        # A recording missing from the storage is named by nothing in the JSON.
        _drop_missing(data, present)
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        zipped.writestr("macca.json", text)


def _account_data(user: User, recordings: dict[str, str]) -> dict:
    """Everything the learner made, as plain data; fills `recordings` with the files
    to put beside it."""
    return {
        "format": "macca-export",
        "version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now(),
        "profile": {
            "id": user.pk,
            "email": user.email,
            "name": user.name,
            "level": user.level,
            "goal": user.goal,
            "explanation_language": user.explanation_language,
            "time_zone": user.time_zone,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "sessions": [_session(session, recordings) for session in _sessions_of(user)],
        "vocabulary": [_word(item) for item in _vocabulary_of(user)],
        "pronunciation_attempts": [
            _attempt(attempt, recordings)
            for attempt in PronunciationAttempt.objects.filter(learner=user).order_by("created_at")
        ],
        "mistakes": recurring_mistakes(user, limit=_EVERY_MISTAKE),
    }


def _sessions_of(user: User):
    return (
        PracticeSession.objects.filter(learner=user)
        .select_related("lesson")
        .prefetch_related("turns__feedback_issues")
        .order_by("started_at")
    )


def _vocabulary_of(user: User):
    return VocabularyItem.objects.filter(learner=user).prefetch_related("reviews").order_by("word")


def _recording(file, folder: str, row_id, recordings: dict[str, str]) -> str | None:
    if not file.name:
        return None
    arcname = f"recordings/{folder}/{row_id}{posixpath.splitext(file.name)[1]}"
    recordings[arcname] = file.name
    return arcname


def _session(session: PracticeSession, recordings: dict[str, str]) -> dict:
    return {
        "id": session.pk,
        "mode": session.mode,
        "topic": session.topic,
        "lesson": session.lesson.title if session.lesson_id else None,
        "current_step": session.current_step,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "lesson_completed_at": session.lesson_completed_at,
        "summary": session.summary,
        "turns": [
            {
                "id": turn.pk,
                "position": turn.position,
                "role": turn.role,
                "text": turn.text,
                "transcript": turn.transcript,
                "recording": _recording(turn.audio, "turns", turn.pk, recordings),
                "structured": turn.structured,
                "degraded": turn.degraded,
                "created_at": turn.created_at,
                "feedback": [
                    {
                        "kind": issue.kind,
                        "code": issue.code,
                        "detail": issue.detail,
                        "created_at": issue.created_at,
                    }
                    for issue in turn.feedback_issues.all()
                ],
            }
            for turn in session.turns.all()
        ],
    }


def _word(item: VocabularyItem) -> dict:
    return {
        "id": item.pk,
        "word": item.word,
        "translation": item.translation,
        "example": item.example,
        "source": item.source,
        "due": item.due,
        "stability": item.stability,
        "difficulty": item.difficulty,
        "state": item.state,
        "last_review": item.last_review,
        "created_at": item.created_at,
        "reviews": [
            {
                "rating": review.rating,
                "reviewed_at": review.reviewed_at,
                "review_duration_ms": review.review_duration_ms,
            }
            for review in item.reviews.all()
        ],
    }


def _attempt(attempt: PronunciationAttempt, recordings: dict[str, str]) -> dict:
    return {
        "id": attempt.pk,
        "target_text": attempt.target_text,
        "transcript": attempt.transcript,
        "accuracy": attempt.accuracy,
        "completeness": attempt.completeness,
        "overall": attempt.overall,
        "words": attempt.words,
        "method": attempt.method,
        "degraded": attempt.degraded,
        "message": attempt.message,
        "recording": _recording(attempt.audio, "pronunciation", attempt.pk, recordings),
        "created_at": attempt.created_at,
    }


def _copy(zipped: zipfile.ZipFile, name: str, arcname: str) -> bool:
    """Copies one stored recording into the zip in chunks; False when it is gone."""
    try:
        with default_storage.open(name) as stored, zipped.open(_stored(arcname), "w") as out:
            shutil.copyfileobj(stored, out)
    except FileNotFoundError:
        return False
    return True


def _stored(arcname: str) -> zipfile.ZipInfo:
    """An entry kept as is: recordings are compressed audio already."""
    info = zipfile.ZipInfo(arcname, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    return info


def _drop_missing(data: dict, present: set[str]) -> None:
    rows = [turn for session in data["sessions"] for turn in session["turns"]]
    for row in [*rows, *data["pronunciation_attempts"]]:
        if row["recording"] not in present:
            row["recording"] = None
