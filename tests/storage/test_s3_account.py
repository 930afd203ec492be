"""A learner's data in the bucket: the export carries their recordings from it, and
deleting the account removes every object of theirs (recordings, the lines spoken to
them) and no one else's."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.audio import wav_bytes
from tests.storage.conftest import spoken_turn
from tutor.models import Turn

pytestmark = pytest.mark.django_db


def test_the_export_carries_the_recordings_from_the_bucket(alice_api, bucket):
    audio = wav_bytes(1)
    spoken_turn(alice_api, audio)

    response = alice_api.get("/api/user/export")

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    recordings = [name for name in archive.namelist() if name.endswith(".wav")]
    assert [archive.read(name) for name in recordings] == [audio]


@pytest.mark.django_db(transaction=True)  # the files go once the deletion commits
def test_deleting_the_account_empties_the_bucket_of_it_and_only_it(
    alice, alice_api, bob, bob_api, bucket
):
    spoken_turn(alice_api, wav_bytes(1))
    body = spoken_turn(bob_api, wav_bytes(1))
    bobs = sorted(bucket.names(f"private/recordings/{bob.pk}/"))
    alices = bucket.names(f"private/recordings/{alice.pk}/")
    assert alices and bobs

    response = alice_api.delete("/api/user", {"password": "correct horse battery"}, format="json")

    assert response.status_code == 204
    assert bucket.names(f"private/recordings/{alice.pk}/") == []
    assert bucket.names(f"private/recordings/{bob.pk}/") == bobs
    assert Turn.objects.get(pk=body["turn_id"]).audio.name in bobs
    assert len(bucket.names("speech/")) == 2  # Bob's opening line and reply
