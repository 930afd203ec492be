"""Checking a learner's uploaded recording before anything spends time or money on it.

The type is decided from the bytes, never from the file name or the declared content type:
browsers and phones label recordings inconsistently, and a label is easy to fake.
"""

from __future__ import annotations

import io
import math
import wave
from dataclasses import dataclass

import mutagen
from django.utils.translation import gettext as _

MB = 1024 * 1024
ACCEPTED_FORMATS = "WebM, Ogg, WAV, MP3 or M4A"

# HEIF/AVIF images are ISO media files too ("....ftyp"); an iPhone photo is not a recording.
_IMAGE_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}


@dataclass(frozen=True)
class AudioUpload:
    data: bytes
    content_type: str
    extension: str
    duration_seconds: float | None  # None when it cannot be read (browser webm has no duration)


class AudioRejected(Exception):
    """status is 400, 413 or 415; message is a sentence a learner can act on."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def sniff_audio_type(head: bytes) -> tuple[str, str] | None:
    """(content_type, extension) from the magic bytes at the start of the file, or None."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "audio/webm", ".webm"
    if head.startswith(b"OggS"):
        return "audio/ogg", ".ogg"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav", ".wav"
    if head.startswith(b"ID3") or _is_mpeg_frame_header(head):
        return "audio/mpeg", ".mp3"
    if head[4:8] == b"ftyp" and head[8:12] not in _IMAGE_BRANDS:
        return "audio/mp4", ".m4a"
    return None


def _is_mpeg_frame_header(head: bytes) -> bool:
    """An MPEG audio frame sync with sane header fields, so stray 0xFF bytes do not pass."""
    if len(head) < 3 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    bitrate, sample_rate = head[2] >> 4, (head[2] >> 2) & 0b11
    return version != 0b01 and layer != 0b00 and bitrate != 0b1111 and sample_rate != 0b11


def read_audio_upload(upload, *, max_bytes: int, max_seconds: int) -> AudioUpload:
    """Validate an UploadedFile (or None) and return its bytes with what we learned about them.

    Raises AudioRejected with the HTTP status and a message for the learner.
    """
    if upload is None:
        raise AudioRejected(400, _("Attach the recording as the multipart field “audio”."))
    # Decided from the size alone, so an oversized upload is never read into memory.
    if upload.size > max_bytes:
        raise _too_large(upload.size, max_bytes)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:  # the declared size was wrong
        raise _too_large(len(data), max_bytes)
    if not data:
        raise AudioRejected(400, _("The recording is empty."))

    sniffed = sniff_audio_type(data[:16])
    if sniffed is None:
        raise AudioRejected(
            415,
            _("That file is not a recording we can use. Send %(formats)s audio.")
            % {"formats": ACCEPTED_FORMATS},
        )
    content_type, extension = sniffed

    if content_type == "audio/wav":
        duration = _wav_duration(data)
    elif content_type == "audio/webm":
        duration = None  # MediaRecorder writes no duration into its WebM header
    else:
        duration = _mutagen_duration(data)

    if duration is not None and duration > max_seconds:
        raise AudioRejected(
            400,
            _(
                "The recording is %(seconds).1f seconds long; the limit is %(limit)d seconds. "
                "Record a shorter answer."
            )
            % {"seconds": duration, "limit": max_seconds},
        )
    return AudioUpload(
        data=data, content_type=content_type, extension=extension, duration_seconds=duration
    )


def _too_large(size: int, max_bytes: int) -> AudioRejected:
    return AudioRejected(
        413,
        _("The recording is %(size).1f MB; the limit is %(limit)s MB. Record a shorter answer.")
        % {"size": size / MB, "limit": f"{max_bytes / MB:g}"},
    )


def _wav_duration(data: bytes) -> float:
    try:
        with wave.open(io.BytesIO(data)) as wav:
            frame_size = wav.getsampwidth() * wav.getnchannels()
            # Count the frames present: streaming writers leave the header's size at 0xFFFFFFFF.
            frames = len(wav.readframes(wav.getnframes())) // frame_size
            return frames / wav.getframerate()
    except Exception as e:  # wave raises RuntimeError, EOFError, struct.error… on bad input
        raise AudioRejected(
            400, _("The recording could not be read as WAV audio. Try recording again.")
        ) from e


def _mutagen_duration(data: bytes) -> float | None:
    """The length mutagen finds, or None: an unknown length is for the speech model to judge."""
    try:
        audio = mutagen.File(io.BytesIO(data))
        length = audio.info.length if audio is not None else None
    except Exception:  # mutagen raises more than MutagenError on malformed input
        return None
    if not isinstance(length, int | float) or not math.isfinite(length) or length <= 0:
        return None
    return float(length)
