"""A learner's recording is accepted or rejected by what it contains, not by what it is called."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.audio import long_recording, wav_bytes
from tutor.services.audio import AudioRejected, read_audio_upload, sniff_audio_type

MB = 1024 * 1024
LIMITS = {"max_bytes": 10 * MB, "max_seconds": 60}

WEBM_HEAD = bytes.fromhex("1a45dfa3 9f4286810142f7810142f2810442f381084282847765626d")
OGG_HEAD = b"OggS\x00\x02" + bytes(20) + b"\x01\x1e\x01vorbis"
ID3_HEAD = b"ID3\x04\x00\x00\x00\x00\x00\x00"
M4A_HEAD = struct.pack(">I", 24) + b"ftypM4A \x00\x00\x00\x00M4A mp42isom"
PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def make_mp3(seconds: float) -> bytes:
    """Silent MPEG-1 Layer III frames at 128 kbit/s, 44.1 kHz: 417 bytes per 1152 samples."""
    frame = b"\xff\xfb\x90\x00" + bytes(417 - 4)
    return frame * round(seconds * 44100 / 1152)


def upload(content: bytes, name: str = "voice.txt", content_type: str = "text/plain"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("kind", "content_type", "extension"),
    [
        ("webm", "audio/webm", ".webm"),
        ("ogg", "audio/ogg", ".ogg"),
        ("wav", "audio/wav", ".wav"),
        ("mp3", "audio/mpeg", ".mp3"),
        ("m4a", "audio/mp4", ".m4a"),
    ],
)
def test_it_recognises_each_format_by_content_whatever_the_name(kind, content_type, extension):
    content = long_recording(1.5, kind)
    audio = read_audio_upload(upload(content, "notes.txt", "text/plain"), **LIMITS)
    assert (audio.content_type, audio.extension) == (content_type, extension)
    assert audio.data == content
    assert audio.duration_seconds == pytest.approx(1.5, abs=0.1)
    assert audio.samples.dtype == np.float32
    assert audio.samples.size == pytest.approx(1.5 * 16_000, rel=0.07)  # 16 kHz mono


@pytest.mark.parametrize("head", [WEBM_HEAD, OGG_HEAD, ID3_HEAD, M4A_HEAD])
def test_a_header_with_nothing_playable_after_it_is_415(head):
    with pytest.raises(AudioRejected) as rejected:
        read_audio_upload(upload(head), **LIMITS)
    assert rejected.value.status == 415
    assert "could not be played" in rejected.value.message


def test_it_rejects_a_png_named_like_a_recording():
    with pytest.raises(AudioRejected) as rejected:
        read_audio_upload(upload(PNG_HEAD, "voice.webm", "audio/webm"), **LIMITS)
    assert rejected.value.status == 415
    assert "WebM, Ogg, WAV, MP3 or M4A" in rejected.value.message


def test_it_rejects_text_named_like_a_recording():
    with pytest.raises(AudioRejected) as rejected:
        read_audio_upload(
            upload(b"hello, this is me speaking", "voice.webm", "audio/webm"), **LIMITS
        )
    assert rejected.value.status == 415


def test_it_rejects_an_iphone_photo_although_it_is_an_iso_media_file():
    heic = struct.pack(">I", 24) + b"ftypheic\x00\x00\x00\x00mif1heic"
    assert sniff_audio_type(heic) is None


def test_it_does_not_mistake_stray_ff_bytes_for_mp3():
    assert sniff_audio_type(b"\xff\xff\xff\xff\xff\xff") is None
    assert sniff_audio_type(b"\xff\xd8\xff\xe0\x00\x10JFIF") is None  # a JPEG


def test_it_rejects_a_missing_recording():
    with pytest.raises(AudioRejected) as rejected:
        read_audio_upload(None, **LIMITS)
    assert rejected.value.status == 400
    assert rejected.value.message == "Attach the recording as the multipart field “audio”."


def test_it_rejects_an_empty_recording():
    with pytest.raises(AudioRejected) as rejected:
        read_audio_upload(upload(b"", "voice.webm", "audio/webm"), **LIMITS)
    assert (rejected.value.status, rejected.value.message) == (400, "The recording is empty.")


def test_it_rejects_audio_over_the_size_limit_without_reading_it():
    too_big = upload(WEBM_HEAD + bytes(MB), "voice.webm", "audio/webm")
    with pytest.raises(AudioRejected) as rejected:
        read_audio_upload(too_big, max_bytes=MB, max_seconds=60)
    assert rejected.value.status == 413
    assert "1.0 MB" in rejected.value.message
    assert "limit is 1 MB" in rejected.value.message
    assert too_big.file.tell() == 0


def test_it_rejects_audio_over_the_size_limit_even_when_the_declared_size_is_wrong():
    lying = upload(WEBM_HEAD + bytes(MB), "voice.webm", "audio/webm")
    lying.size = 100
    with pytest.raises(AudioRejected) as rejected:
        read_audio_upload(lying, max_bytes=MB, max_seconds=60)
    assert rejected.value.status == 413


def test_it_rejects_a_wav_longer_than_the_limit():
    with pytest.raises(AudioRejected) as rejected:
        read_audio_upload(upload(wav_bytes(61)), max_bytes=10 * MB, max_seconds=60)
    assert rejected.value.status == 413
    assert "longer than 60 seconds" in rejected.value.message


def test_it_gives_the_duration_of_a_wav_within_the_limit():
    audio = read_audio_upload(upload(wav_bytes(2.5)), **LIMITS)
    assert audio.duration_seconds == pytest.approx(2.5)


def test_it_counts_the_frames_present_when_a_wav_header_overstates_them():
    streamed = bytearray(wav_bytes(2))
    streamed[40:44] = b"\xff\xff\xff\xff"  # the data chunk's size, as streaming writers leave it
    audio = read_audio_upload(upload(bytes(streamed)), **LIMITS)
    assert audio.duration_seconds == pytest.approx(2)


def test_it_rejects_a_truncated_wav():
    with pytest.raises(AudioRejected) as rejected:
        read_audio_upload(upload(wav_bytes(1)[:20]), **LIMITS)
    assert rejected.value.status == 415
    assert "could not be played" in rejected.value.message


def test_it_measures_an_mp3_by_decoding_it_and_rejects_a_long_one():
    assert read_audio_upload(upload(make_mp3(3)), **LIMITS).duration_seconds == pytest.approx(
        3, abs=0.1
    )
    with pytest.raises(AudioRejected) as rejected:
        read_audio_upload(upload(make_mp3(5)), max_bytes=10 * MB, max_seconds=4)
    assert rejected.value.status == 413
