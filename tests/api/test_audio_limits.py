"""Every recording is decoded before anything is kept: its length is measured on the
decoded samples whatever the format claims (413 past the limit), bytes that do not play
as audio are a 415, and a rejected upload stores nothing at all."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from providers.audio import AudioTooLong, decode
from tests.audio import BROWSER_FORMATS, long_recording, wav_bytes
from tutor.models import PracticeSession, PronunciationAttempt, Turn

MAGIC = {
    "webm": bytes.fromhex("1a45dfa3 9f4286810142f7810142f2810442f381084282847765626d"),
    "ogg": b"OggS\x00\x02" + bytes(20) + b"\x01\x1e\x01vorbis",
    "wav": b"RIFF\x24\x00\x00\x00WAVEfmt ",
    "mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00",
    "m4a": b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A mp42isom",
}
ENDPOINTS = {
    "turn": ("/api/session/turn/audio", {"mode": "live"}),
    "attempt": ("/api/pronunciation/attempts", {"target": "I think so."}),
}


@cache
def sixty_one_seconds(kind: str) -> bytes:
    return long_recording(61, kind)


def post(client, endpoint: str, content: bytes, kind: str):
    path, fields = ENDPOINTS[endpoint]
    upload = SimpleUploadedFile(f"answer.{kind}", content, content_type="application/octet-stream")
    return client.post(path, {"audio": upload, **fields}, format="multipart")


def message(response) -> str:
    body = response.json()
    return body["audio"][0] if "audio" in body else body["detail"]


def nothing_stored(settings) -> bool:
    root = Path(settings.MEDIA_ROOT)
    files = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return (
        not files
        and not Turn.objects.exists()
        and not PronunciationAttempt.objects.exists()
        and not PracticeSession.objects.filter(turns__isnull=False).exists()
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("kind", BROWSER_FORMATS)
def test_a_61_second_recording_is_413_in_every_format(alice_api, settings, kind, endpoint):
    response = post(alice_api, endpoint, sixty_one_seconds(kind), kind)

    assert response.status_code == 413
    assert "60 seconds" in message(response)
    assert nothing_stored(settings)


@pytest.mark.parametrize("kind", BROWSER_FORMATS)
def test_a_recording_just_inside_the_limit_is_accepted(alice_api, settings, kind):
    settings.MAX_AUDIO_SECONDS = 5
    response = post(alice_api, "turn", long_recording(4.5, kind), kind)
    assert response.status_code == 200


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("kind", MAGIC)
def test_junk_after_valid_magic_bytes_is_415(alice_api, settings, kind, endpoint):
    junk = MAGIC[kind] + os.urandom(200_000)

    response = post(alice_api, endpoint, junk, kind)

    assert response.status_code == 415
    assert "could not be played" in message(response)
    assert nothing_stored(settings)


def test_ten_megabytes_of_junk_behind_a_webm_header_is_415_and_not_stored(alice_api, settings):
    junk = MAGIC["webm"] + os.urandom(10 * 1024 * 1024 - 100)

    response = post(alice_api, "turn", junk, "webm")

    assert response.status_code == 415
    assert nothing_stored(settings)


def test_a_recording_cut_short_keeps_what_was_said(alice_api):
    whole = long_recording(3, "webm")

    response = post(alice_api, "turn", whole[: len(whole) * 2 // 3], "webm")

    assert response.status_code == 200


def test_decoding_stops_as_soon_as_the_limit_is_passed():
    five_minutes = long_recording(300, "webm")

    with pytest.raises(AudioTooLong) as too_long:
        decode(five_minutes, content_type="audio/webm", max_seconds=60)

    assert 60 < too_long.value.seconds < 61  # not decoded to the end


def test_the_limit_holds_for_a_streamed_wav_that_states_no_length(alice_api, settings):
    wav = bytearray(wav_bytes(61))
    wav[40:44] = b"\xff\xff\xff\xff"  # the data size, as streaming writers leave it

    response = post(alice_api, "turn", bytes(wav), "wav")

    assert response.status_code == 413
    assert nothing_stored(settings)
