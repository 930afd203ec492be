"""`purge_media` on a bucket: old speech nothing plays, speech objects without a row and
recordings no row points to go (their age read from the bucket's LastModified); what
a stored turn points to stays however old; --dry-run removes nothing."""

from __future__ import annotations

import uuid
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
from tests.conftest import client_for
from tutor.models import SpeechClip, Turn

pytestmark = pytest.mark.django_db

OLD = timedelta(days=45)


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_media", "--older-than", "30", *args, stdout=out)
    return out.getvalue()


def saved(name: str, size: int) -> str:
    return default_storage.save(name, ContentFile(b"\0" * size))


@pytest.fixture
def media(alice, bob, bucket) -> dict[str, list[str]]:
    """A bucket 45 days into its life: a spoken turn of Alice's (its recording, the
    session's opening line, the reply), a cached line nothing plays, a speech object
    without a row and a recording without a turn; and, made today, an orphan of each."""
    with time_machine.travel(timezone.now() - OLD, tick=True):
        upload = SimpleUploadedFile("voice.wav", wav_bytes(1), content_type="audio/wav")
        body = client_for(alice).post(
            "/api/session/turn/audio", {"audio": upload, "mode": "live"}, format="multipart"
        )
        assert body.status_code == 200, body.content
        recording = Turn.objects.get(pk=body.json()["turn_id"]).audio.name
        referenced = sorted([recording, *SpeechClip.objects.values_list("audio", flat=True)])
        key = uuid.uuid4().hex * 2
        stale = SpeechClip.objects.create(
            key=key,
            model_id="mock-tts",
            text="See you tomorrow!",
            audio=saved(f"speech/{key}.ogg", 2048),
            content_type="audio/ogg",
        )
        old_orphans = [
            stale.audio.name,
            saved(f"speech/{'a' * 64}.ogg", 1024),
            saved(f"private/recordings/{bob.pk}/{uuid.uuid4().hex}.wav", 4096),
        ]
    young_orphans = [
        saved(f"speech/{'b' * 64}.ogg", 1024),
        saved(f"private/recordings/{bob.pk}/{uuid.uuid4().hex}.wav", 4096),
    ]
    assert len(referenced) == 3
    assert bucket.names() == sorted(referenced + old_orphans + young_orphans)
    return {"referenced": referenced, "old_orphans": old_orphans, "young": young_orphans}


def test_it_removes_old_orphans_from_the_bucket_and_keeps_the_rest(bucket, media):
    out = purge()

    assert bucket.names() == sorted(media["referenced"] + media["young"])
    assert not SpeechClip.objects.filter(text="See you tomorrow!").exists()
    assert out == (
        "Removed 1 speech clip (2.0 KB), 1 orphan speech file (1.0 KB), "
        "1 expired recording (4.0 KB).\n"
    )


def test_a_dry_run_removes_nothing_from_the_bucket(bucket, media):
    before = bucket.names()

    out = purge("--dry-run")

    assert bucket.names() == before
    assert SpeechClip.objects.filter(text="See you tomorrow!").exists()
    assert out == (
        "Dry run: would remove 1 speech clip (2.0 KB), 1 orphan speech file (1.0 KB), "
        "1 expired recording (4.0 KB).\n"
    )


def test_a_second_run_finds_nothing_more(bucket, media):
    purge()

    assert purge() == (
        "Removed 0 speech clips (0 B), 0 orphan speech files (0 B), 0 expired recordings (0 B).\n"
    )
    assert bucket.names() == sorted(media["referenced"] + media["young"])
