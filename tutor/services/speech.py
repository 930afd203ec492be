"""Macca's voice, through a cache: a line is synthesized once per (model, voice,
text) and the stored file is shared by every learner who hears it."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

import providers
from tutor.models import SpeechClip

logger = logging.getLogger(__name__)

EXTENSIONS = {"audio/wav": ".wav", "audio/flac": ".flac", "audio/mpeg": ".mp3"}
# Bumping last_used_at on every hit would turn each replay into a write.
TOUCH_AFTER = timedelta(hours=1)


def speech_key(model_id: str, voice: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\0{voice}\0{text}".encode()).hexdigest()


def speak(text: str, *, voice: str = "") -> tuple[SpeechClip | None, bool]:
    """(the clip saying `text`, degraded). A cache hit makes no provider call;
    a failing voice gives (None, True) and the reply is shown as text only."""
    text = text.strip()
    if not text:
        return None, False
    tts = providers.get_tts()
    key = speech_key(tts.model_id, voice, text)
    clip = SpeechClip.objects.filter(key=key).first()
    if clip is not None:
        now = timezone.now()
        if now - clip.last_used_at <= TOUCH_AFTER:
            return clip, False
        # A line unused for a while may be purged (purge_media) this very moment:
        # kept only if the bump lands; otherwise it is spoken afresh.
        if SpeechClip.objects.filter(pk=clip.pk).update(last_used_at=now):
            return clip, False
    speech = tts.synthesize(text, voice or None)
    if speech.degraded or not speech.audio:
        return None, True
    name = f"speech/{key}{EXTENSIONS.get(speech.content_type, '.wav')}"
    saved = not default_storage.exists(name)
    if saved:
        # Another worker saving the same line at this moment makes the storage pick
        # another name for this copy.
        name = default_storage.save(name, ContentFile(speech.audio))
    clip = SpeechClip(
        key=key,
        model_id=tts.model_id,
        voice=voice,
        text=text,
        content_type=speech.content_type,
    )
    clip.audio.name = name
    try:
        with transaction.atomic():
            clip.save()
    except IntegrityError:  # another worker cached the same line a moment ago
        clip = SpeechClip.objects.get(key=key)
        if saved and clip.audio.name != name:
            default_storage.delete(name)  # our copy of that line: nothing points at it
    return clip, False
