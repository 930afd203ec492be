"""Checking a learner's uploaded recording before anything spends time or money on it.

The type is decided from the bytes, never from the file name or the declared content type:
browsers and phones label recordings inconsistently, and a label is easy to fake. Then the
recording is decoded, once, to the 16 kHz samples every speech engine uses; its length is
measured on those samples, whatever the format says of itself, and decoding stops as soon
as it passes the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from providers.audio import AudioTooLong, UndecodableAudio, decode

MB = 1024 * 1024
ACCEPTED_FORMATS = "WebM, Ogg, WAV, MP3 or M4A"

# HEIF/AVIF images are ISO media files too ("....ftyp"); an iPhone photo is not a recording.
_IMAGE_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}


@dataclass(frozen=True)
class AudioUpload:
    data: bytes
    content_type: str
    extension: str
    duration_seconds: float
    samples: np.ndarray  # 16 kHz mono float32, decoded once for every engine


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
    try:
        decoded = decode(data, content_type=content_type, max_seconds=max_seconds)
    except AudioTooLong as too_long:
        raise AudioRejected(
            413,
            ngettext(
                "The recording is longer than %(limit)d second. Record a shorter answer.",
                "The recording is longer than %(limit)d seconds. Record a shorter answer.",
                max_seconds,
            )
            % {"limit": max_seconds},
        ) from too_long
    except UndecodableAudio as undecodable:
        raise AudioRejected(
            415,
            _(
                "That recording could not be played: it may be damaged or cut short. "
                "Record your answer again, or send %(formats)s audio."
            )
            % {"formats": ACCEPTED_FORMATS},
        ) from undecodable
    return AudioUpload(
        data=data,
        content_type=content_type,
        extension=extension,
        duration_seconds=decoded.duration_seconds,
        samples=decoded.samples,
    )


def _too_large(size: int, max_bytes: int) -> AudioRejected:
    return AudioRejected(
        413,
        _("The recording is %(size).1f MB; the limit is %(limit)s MB. Record a shorter answer.")
        % {"size": size / MB, "limit": f"{max_bytes / MB:g}"},
    )
