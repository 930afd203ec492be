"""A learner reading a target aloud: judged from the audio by the acoustic judge (and
transcribed, to show what a recogniser made of it), and saved with the recording (kept
privately, like every learner recording)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404

import providers
from tutor.models import PronunciationAttempt, User, recording_path

from .audio import AudioUpload
from .pronunciation import Scoring, score_recording
from .sound_record import attempt_words


def record_attempt(
    *, learner: User, target: str, audio: AudioUpload
) -> tuple[PronunciationAttempt, Scoring | None]:
    """(the saved attempt, its scoring). When nothing could judge the reading (the
    acoustic judge and speech recognition both failed) the recording is still kept, the
    attempt is marked degraded and scores nothing (its zeros never count towards the
    learner's averages)."""
    target = " ".join(target.split())
    heard = providers.get_asr().transcribe(
        audio.data, audio.content_type, "en", expected_text=target, samples=audio.samples
    )
    name = recording_path(PronunciationAttempt(learner=learner), f"attempt{audio.extension}")
    stored = default_storage.save(name, ContentFile(audio.data))
    scoring = score_recording(target, audio.samples, None if heard.degraded else heard.text)
    attempt = PronunciationAttempt(
        learner=learner,
        target_text=target[:300],
        transcript=heard.text,
        accuracy=scoring.accuracy if scoring else 0,
        completeness=scoring.completeness if scoring else 0,
        overall=scoring.overall if scoring else 0,
        words=attempt_words(scoring) if scoring else [],
        degraded=scoring is None,
        method=scoring.method if scoring else "transcript",
        message=_message(scoring, learner),
    )
    attempt.audio.name = stored
    try:
        attempt.save()
    except BaseException:
        default_storage.delete(stored)
        raise
    return attempt, scoring


def _message(scoring: Scoring | None, learner: User) -> str:
    if scoring is None:
        return ""
    return scoring.message_id if learner.explanation_language == "id" else scoring.message_en


def get_attempt_for(learner: User, attempt_id) -> PronunciationAttempt:
    """The learner's own attempt; someone else's answers 404, like a missing one."""
    try:
        return PronunciationAttempt.objects.get(pk=attempt_id, learner=learner)
    except (PronunciationAttempt.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("No such pronunciation attempt.") from None
