"""MEDIA_STORAGE=s3: a spoken turn's recording and Macca's spoken reply land in the
bucket, and are served as from disk: to their learner only, whole or by Range (only
the range is fetched from the bucket), with the same caching headers; the bucket's
objects stay private and no URL Macca gives out points at the bucket."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from tests.audio import wav_bytes
from tests.conftest import client_for
from tests.storage.conftest import spoken_turn
from tutor.models import SpeechClip, Turn

pytestmark = pytest.mark.django_db


def speech_path(body: dict) -> str:
    return re.sub(r"^https?://[^/]+", "", body["macca_audio_url"])


def recording_path(body: dict) -> str:
    return f"/api/turns/{body['turn_id']}/audio"


def reply_clip(body: dict) -> SpeechClip:
    return SpeechClip.objects.get(key=re.search(r"([0-9a-f]{64})\.", speech_path(body)).group(1))


@pytest.fixture
def ranges_asked(bucket) -> list[str | None]:
    """The Range header of every GetObject Macca sends to the bucket (None: the whole)."""
    asked: list[str | None] = []

    def note(request, **kwargs) -> None:
        value = request.headers.get("Range")
        asked.append(value.decode() if isinstance(value, bytes) else value)

    default_storage.connection.meta.client.meta.events.register("before-send.s3.GetObject", note)
    return asked


def test_a_spoken_turn_stores_its_recording_and_reply_in_the_bucket(
    alice, alice_api, bucket, settings
):
    audio = wav_bytes(1)

    body = spoken_turn(alice_api, audio)

    turn = Turn.objects.get(pk=body["turn_id"])
    recordings = bucket.names(f"private/recordings/{alice.pk}/")
    assert recordings == [turn.audio.name]
    assert bucket.read(turn.audio.name) == audio
    speech = reply_clip(body).audio.name
    assert speech in bucket.names("speech/")
    assert bucket.read(speech)[:4] == b"OggS"  # stored compressed, as on disk
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing on this server's disk


def test_the_owner_hears_the_recording_whole_and_by_range(alice_api, bucket, ranges_asked):
    audio = wav_bytes(1)
    body = spoken_turn(alice_api, audio)

    whole = alice_api.get(recording_path(body))
    ranged = alice_api.get(recording_path(body), headers={"Range": "bytes=0-99"})

    assert whole.status_code == 200
    assert whole.content == audio
    assert whole["Content-Type"] == "audio/wav"
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Cache-Control"] == "private, max-age=0"
    assert ranged.status_code == 206
    assert ranged["Content-Range"] == f"bytes 0-99/{len(audio)}"
    assert ranged["Content-Length"] == "100"
    assert ranged.content == audio[:100]
    assert ranges_asked[-1] == "bytes=0-99"  # not the whole object for 100 bytes


def test_the_owner_hears_the_spoken_reply_whole_and_by_range(alice_api, bucket, ranges_asked):
    body = spoken_turn(alice_api, wav_bytes(1))
    stored = bucket.read(reply_clip(body).audio.name)

    whole = alice_api.get(speech_path(body))
    ranged = alice_api.get(speech_path(body), headers={"Range": "bytes=0-99"})
    probe = alice_api.get(speech_path(body), headers={"Range": "bytes=0-1"})  # Safari's

    assert whole.status_code == 200
    assert whole.content == stored
    assert whole["Content-Type"] == "audio/ogg"
    assert whole["Cache-Control"] == "private, max-age=31536000, immutable"
    assert {"Cookie", "Authorization"} <= {v.strip() for v in whole["Vary"].split(",")}
    assert ranged.status_code == 206
    assert ranged["Content-Range"] == f"bytes 0-99/{len(stored)}"
    assert ranged.content == stored[:100]
    assert probe.content == stored[:2]
    assert ranges_asked[-2:] == ["bytes=0-99", "bytes=0-1"]


def test_a_range_past_the_end_is_refused_without_reading_the_object(
    alice_api, bucket, ranges_asked
):
    audio = wav_bytes(1)
    body = spoken_turn(alice_api, audio)
    ranges_asked.clear()

    response = alice_api.get(recording_path(body), headers={"Range": f"bytes={len(audio)}-"})
    head = alice_api.head(recording_path(body))

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(audio)}"
    assert head.status_code == 200
    assert head["Content-Length"] == str(len(audio))
    assert ranges_asked == []


def test_the_mp3_and_slow_variants_are_made_from_the_bucket_and_kept_there(alice_api, bucket):
    body = spoken_turn(alice_api, wav_bytes(1))
    before = bucket.names("speech/")  # the opening line and the reply

    mp3 = alice_api.get(f"{speech_path(body)}?format=mp3")
    slow = alice_api.get(f"{speech_path(body)}?speed=slow", headers={"Range": "bytes=0-9"})

    assert mp3.status_code == 200
    assert mp3["Content-Type"] == "audio/mpeg"
    made = sorted(set(bucket.names("speech/")) - set(before))
    assert sorted(key.rsplit(".", 1)[1] for key in made) == ["mp3", "ogg"]
    assert bucket.read(next(key for key in made if key.endswith(".mp3"))) == mp3.content
    assert slow.status_code == 206
    assert slow.content[:4] == b"OggS"


def test_another_learner_gets_a_404_for_both(alice_api, bob_api, bucket):
    body = spoken_turn(alice_api, wav_bytes(1))

    assert bob_api.get(recording_path(body)).status_code == 404
    assert bob_api.get(speech_path(body)).status_code == 404
    ranged = bob_api.get(speech_path(body), headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 404


def test_nobody_signed_in_gets_neither(alice_api, anon, bucket):
    body = spoken_turn(alice_api, wav_bytes(1))

    assert anon.get(recording_path(body)).status_code == 401
    assert anon.get(speech_path(body)).status_code == 404
    assert client_for(None).get(speech_path(body), HTTP_RANGE="bytes=0-99").status_code == 404


def test_no_url_points_at_the_bucket_and_its_objects_are_private(alice_api, bucket, s3_endpoint):
    body = spoken_turn(alice_api, wav_bytes(1))
    detail = alice_api.get(f"/api/sessions/{body['session_id']}")

    for text in (str(body), detail.content.decode()):
        assert s3_endpoint not in text
        assert bucket.name not in text
        assert "private/recordings" not in text
    assert body["macca_audio_url"].startswith("http://testserver/media/speech/")
    for key in bucket.names():
        grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=key)["Grants"]
        assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
        assert "URI" not in grants[0]["Grantee"]  # the owner's, not AllUsers'


def test_a_file_gone_from_the_bucket_is_a_404(alice_api, bucket):
    body = spoken_turn(alice_api, wav_bytes(1))
    for key in bucket.names():
        bucket.client.delete_object(Bucket=bucket.name, Key=key)

    assert alice_api.get(recording_path(body)).status_code == 404
    assert alice_api.get(speech_path(body)).status_code == 404
