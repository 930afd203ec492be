"""Macca's voice, through a cache: a line is synthesized once per (listener, voice
model, voice, text, speed, format). A line with a learner's name or words (a reply, an
opening greeting) is owned by that learner and served to nobody else; a shared line
(the pronunciation page's words and sentences) has no owner and is one file for all.
Files are named by an HMAC of all that, keyed by SECRET_KEY, so nobody can compute
the name of a line to test whether it was spoken to someone.

Whatever a voice returns (WAV from the local voices, WAV, FLAC or MP3 from Hugging
Face) is stored compressed: Ogg/Opus by default, MP3 for browsers without Opus, about
3 KB per second of speech. The slow variant, for replaying a line, is always spoken
by the local voice, whose length scale slows the speech without changing its pitch."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

import providers
from providers.audio import CONTENT_TYPES, FORMATS, UndecodableAudio, transcode
from tutor.models import SpeechClip, User

logger = logging.getLogger(__name__)

DEFAULT_FORMAT = "ogg"
AUDIO_FORMATS = tuple(FORMATS)  # ("ogg", "mp3"): the file extension too
# Bumping last_used_at on every hit would turn each replay into a write.
TOUCH_AFTER = timedelta(hours=1)
KEY_SALT = "tutor.services.speech.speech_key"


def speech_key(
    model_id: str,
    voice: str,
    text: str,
    *,
    slow: bool = False,
    audio_format: str = "ogg",
    owner_id: uuid.UUID | None = None,
    secret: str | None = None,
) -> str:
    """The clip's key and file name (64 hex): keyed, so it cannot be computed from the
    text; with the owner in it, so two learners never share a personal file."""
    speed = "slow" if slow else "normal"
    owner = owner_id.hex if owner_id else ""
    line = f"{owner}\0{model_id}\0{voice}\0{speed}\0{audio_format}\0{text}"
    return salted_hmac(KEY_SALT, line, secret=secret, algorithm="sha256").hexdigest()


def clip_named(key: str, extension: str) -> SpeechClip | None:
    """The clip stored as speech/<key>.<extension>, if that name is the keyed hash of
    its line under SECRET_KEY or one of its fallbacks: a row from before keyed names,
    whose name anyone could compute from the text, is not served."""
    clip = SpeechClip.objects.filter(key=key).first()
    if clip is None or clip.audio.name != f"speech/{key}.{extension}":
        return None
    for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
        expected = speech_key(
            clip.model_id,
            clip.voice,
            clip.text,
            slow=clip.slow,
            audio_format=extension,
            owner_id=clip.owner_id,
            secret=secret,
        )
        if constant_time_compare(expected, key):
            return clip
    return None


def may_hear(clip: SpeechClip, user: User | None) -> bool:
    """A shared line is anyone's; a personal one only its learner's."""
    return clip.owner_id is None or (user is not None and user.pk == clip.owner_id)


def _cached(key: str) -> SpeechClip | None:
    clip = SpeechClip.objects.filter(key=key).first()
    if clip is None:
        return None
    now = timezone.now()
    if now - clip.last_used_at <= TOUCH_AFTER:
        return clip
    # A line unused for a while may be purged (purge_media) this very moment:
    # kept only if the bump lands; otherwise it is spoken afresh.
    if SpeechClip.objects.filter(pk=clip.pk).update(last_used_at=now):
        return clip
    return None


def speak(
    text: str,
    *,
    owner: User | None,
    voice: str = "",
    slow: bool = False,
    audio_format: str = DEFAULT_FORMAT,
) -> tuple[SpeechClip | None, bool]:
    """(the clip saying `text`, degraded). `owner` is the learner a line with their
    name or words is spoken to (None for a shared line, the same for everyone). A cache
    hit makes no provider call. When the voice fails and its fallback speaks, the clip
    is degraded and cached under the fallback's name, so the next request asks the real
    voice again; when every voice fails the answer is (None, True) and the reply is
    shown as text only."""
    return _speak(
        text,
        owner_id=owner.pk if owner else None,
        voice=voice,
        slow=slow,
        audio_format=audio_format,
    )


def _speak(
    text: str, *, owner_id: uuid.UUID | None, voice: str, slow: bool, audio_format: str
) -> tuple[SpeechClip | None, bool]:
    text = text.strip()
    if not text:
        return None, False
    tts = providers.local_tts() if slow else providers.get_tts()
    clip = _cached(
        speech_key(
            tts.model_id, voice, text, slow=slow, audio_format=audio_format, owner_id=owner_id
        )
    )
    if clip is not None:
        return clip, False
    speech = tts.synthesize(text, voice or None, slow=slow)
    if not speech.audio:
        return None, True
    model_id = speech.model_id or tts.model_id
    key = speech_key(model_id, voice, text, slow=slow, audio_format=audio_format, owner_id=owner_id)
    # The fallback voice spoke a line it has spoken before: its clip is already stored.
    stored = _cached(key) if model_id != tts.model_id else None
    if stored is not None:
        return stored, speech.degraded
    try:
        audio = transcode(speech.audio, audio_format)
    except UndecodableAudio:
        logger.warning("tts %s returned audio that does not decode", speech.model_id)
        return None, True
    clip = _store(key, model_id, voice, text, slow, audio_format, audio, owner_id=owner_id)
    return clip, speech.degraded


def _store(
    key: str,
    model_id: str,
    voice: str,
    text: str,
    slow: bool,
    audio_format: str,
    audio: bytes,
    *,
    owner_id: uuid.UUID | None,
) -> SpeechClip:
    name = f"speech/{key}.{audio_format}"
    saved = not default_storage.exists(name)
    if saved:
        # Another worker saving the same line at this moment makes the storage pick
        # another name for this copy.
        name = default_storage.save(name, ContentFile(audio))
    clip = SpeechClip(
        key=key,
        model_id=model_id,
        voice=voice,
        text=text,
        slow=slow,
        content_type=CONTENT_TYPES[audio_format],
        owner_id=owner_id,
    )
    clip.audio.name = name
    try:
        with transaction.atomic():
            clip.save()
    except IntegrityError:  # another worker cached the same line a moment ago
        clip = SpeechClip.objects.get(key=key)
        if saved and clip.audio.name != name:
            default_storage.delete(name)  # our copy of that line: nothing points at it
    return clip


def variant(clip: SpeechClip, *, slow: bool, audio_format: str) -> SpeechClip | None:
    """The same line as `clip`, slow and/or in another format (made on first request),
    owned by the same learner."""
    if clip.slow == slow and clip.audio.name.endswith(f".{audio_format}"):
        return clip
    if clip.slow != slow:
        found, _ = _speak(
            clip.text,
            owner_id=clip.owner_id,
            voice=clip.voice,
            slow=slow,
            audio_format=audio_format,
        )
        return found
    # Only the format differs: the stored line re-encoded, in the same voice, no new call.
    key = speech_key(
        clip.model_id,
        clip.voice,
        clip.text,
        slow=slow,
        audio_format=audio_format,
        owner_id=clip.owner_id,
    )
    found = _cached(key)
    if found is not None:
        return found
    try:
        with default_storage.open(clip.audio.name) as stored:
            audio = transcode(stored.read(), audio_format)
    except (OSError, UndecodableAudio):
        return None
    return _store(
        key, clip.model_id, clip.voice, clip.text, slow, audio_format, audio, owner_id=clip.owner_id
    )


def forget_speech(user: User) -> int:
    """Delete every line spoken to `user` and its stored file (for account deletion:
    the files hold the learner's name and words); returns how many clips went."""
    clips = list(SpeechClip.objects.filter(owner=user))
    for clip in clips:
        if clip.audio.name:
            default_storage.delete(clip.audio.name)
    SpeechClip.objects.filter(pk__in=[clip.pk for clip in clips]).delete()
    return len(clips)
