"""App servers sharing one bucket: what one writes, another serves and purges, each
with its own storage object and connections, as two processes or hosts would; a key
prefix (MEDIA_S3_PREFIX) keeps two sites in one bucket apart."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from tests.audio import wav_bytes
from tests.storage.conftest import s3_media, use_media

pytestmark = pytest.mark.django_db


def spoken_turn(api) -> tuple[dict, bytes]:
    audio = wav_bytes(1)
    upload = SimpleUploadedFile("voice.wav", audio, content_type="audio/wav")
    response = api.post(
        "/api/session/turn/audio", {"audio": upload, "mode": "live"}, format="multipart"
    )
    assert response.status_code == 200, response.content
    return response.json(), audio


def speech_path(body: dict) -> str:
    return re.sub(r"^https?://[^/]+", "", body["macca_audio_url"])


def old_orphan(learner) -> str:
    """A recording no turn points to, stored 45 days ago."""
    with time_machine.travel(timezone.now() - timedelta(days=45), tick=True):
        name = f"private/recordings/{learner.pk}/gone.wav"
        return default_storage.save(name, ContentFile(b"1"))


def purge() -> str:
    out = StringIO()
    call_command("purge_media", "--older-than", "30", stdout=out)
    return out.getvalue()


def test_what_one_instance_stores_another_serves(alice_api, bucket, settings):
    body, audio = spoken_turn(alice_api)
    first = default_storage._wrapped

    use_media(settings, s3_media(bucket))  # the second server's own storage and client
    recording = alice_api.get(f"/api/turns/{body['turn_id']}/audio")
    speech = alice_api.get(speech_path(body), headers={"Range": "bytes=0-99"})

    assert default_storage._wrapped is not first
    assert default_storage.connection is not first.connection
    assert recording.status_code == 200
    assert recording.content == audio
    assert speech.status_code == 206
    assert speech.content == bucket.read(speech_path(body).removeprefix("/media/"))[:100]


def test_a_line_one_instance_spoke_is_not_spoken_again_by_another(alice_api, bucket, settings):
    """The speech cache is the bucket plus the database: a second server reuses the file."""
    body, _ = spoken_turn(alice_api)
    stored = bucket.names("speech/")

    use_media(settings, s3_media(bucket))
    slow = alice_api.get(f"{speech_path(body)}?speed=slow")
    use_media(settings, s3_media(bucket))  # a third server
    again = alice_api.get(f"{speech_path(body)}?speed=slow")

    assert slow.status_code == again.status_code == 200
    assert again.content == slow.content
    assert len(bucket.names("speech/")) == len(stored) + 1  # one slow file, made once


def test_another_instance_purges_what_the_first_left(bob, bucket, settings):
    orphan = old_orphan(bob)
    use_media(settings, s3_media(bucket))

    out = purge()

    assert orphan not in bucket.names()
    assert "1 expired recording (1 B)" in out


def test_a_prefix_keeps_two_sites_in_one_bucket_apart(alice_api, bob, bucket, settings):
    use_media(settings, s3_media(bucket, prefix="site-a"))
    body, audio = spoken_turn(alice_api)
    orphan = old_orphan(bob)

    assert f"site-a/{orphan}" in bucket.names()
    assert all(name.startswith("site-a/") for name in bucket.names())
    assert alice_api.get(f"/api/turns/{body['turn_id']}/audio").content == audio

    use_media(settings, s3_media(bucket, prefix="site-b"))
    assert alice_api.get(f"/api/turns/{body['turn_id']}/audio").status_code == 404
    assert "0 expired recordings" in purge()
    assert f"site-a/{orphan}" in bucket.names()

    use_media(settings, s3_media(bucket, prefix="site-a"))
    assert "1 expired recording" in purge()
    assert f"site-a/{orphan}" not in bucket.names()
