"""Macca's speech is private where it is personal: a reply or an opening line (the
learner's name, their sentence corrected) is served to its learner only, by cookie or
Bearer token, and is a 404 to anyone else; files are named by a keyed hash, so nobody
can compute a name from a guessed line. A pronunciation-page line stays one public
file for everyone. `forget_speech` removes a learner's lines for account deletion."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import client_for
from tutor.models import SpeechClip, User
from tutor.services.speech import forget_speech

pytestmark = pytest.mark.django_db

VARIANTS = ["", "?speed=slow", "?format=mp3", "?speed=slow&format=mp3"]
SENTENCE = "I like coffee."


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def opening_url(api) -> str:
    response = api.post("/api/session/start", {"mode": "live"}, format="json")
    assert response.status_code == 201, response.json()
    return path_of(response.json()["initial_audio_url"])


def reply(api, text: str = SENTENCE) -> dict:
    response = api.post("/api/session/turn", {"user_text": text}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def reply_url(api) -> str:
    return path_of(reply(api)["macca_audio_url"])


def clip_at(path: str) -> SpeechClip:
    return SpeechClip.objects.get(key=re.search(r"([0-9a-f]{64})\.", path).group(1))


def unkeyed_sha256(clip: SpeechClip) -> str:
    """How files were named before: anyone could compute it from the text."""
    speed = "slow" if clip.slow else "normal"
    audio_format = Path(clip.audio.name).suffix[1:]
    line = f"{clip.model_id}\0{clip.voice}\0{speed}\0{audio_format}\0{clip.text}"
    return hashlib.sha256(line.encode()).hexdigest()


@pytest.fixture(params=["opening line", "reply"])
def alices_line(request, alice_api) -> str:
    return opening_url(alice_api) if request.param == "opening line" else reply_url(alice_api)


# --- Only its learner hears a personal line ------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("how", ["bearer token", "session cookie"])
def test_a_personal_line_plays_for_its_learner_and_only_her_browser_caches_it(
    alice, alices_line, variant, how
):
    client = client_for(alice) if how == "bearer token" else browser(alice)

    response = client.get(f"{alices_line}{variant}")

    assert response.status_code == 200
    assert response["Content-Type"] == ("audio/mpeg" if "mp3" in variant else "audio/ogg")
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"
    assert {"Cookie", "Authorization"} <= {v.strip() for v in response["Vary"].split(",")}
    assert len(response.content) > 100


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("who", ["another learner's token", "another learner's browser", "anyone"])
def test_a_personal_line_is_not_found_for_anyone_else(bob, alices_line, variant, who):
    client = {
        "another learner's token": client_for(bob),
        "another learner's browser": browser(bob),
        "anyone": Client(),
    }[who]

    response = client.get(f"{alices_line}{variant}")

    assert response.status_code == 404  # not 403: nothing says the line exists
    assert b"OggS" not in response.content


def test_a_bad_bearer_token_is_not_found_like_anyone_else(alices_line):
    response = Client().get(alices_line, headers={"Authorization": "Bearer not-a-token"})

    assert response.status_code == 404


def test_a_variant_asked_for_by_someone_else_is_not_made(bob, alices_line):
    clips = SpeechClip.objects.count()

    client_for(bob).get(f"{alices_line}?speed=slow")

    assert SpeechClip.objects.count() == clips


def test_a_personal_lines_variants_belong_to_the_same_learner(alice, alice_api):
    url = reply_url(alice_api)
    for variant in VARIANTS[1:]:
        assert alice_api.get(f"{url}{variant}").status_code == 200

    text = clip_at(url).text
    assert SpeechClip.objects.filter(text=text).count() == len(VARIANTS)
    assert set(SpeechClip.objects.filter(text=text).values_list("owner", flat=True)) == {alice.pk}


def test_two_learners_who_get_the_same_reply_get_different_files(alice_api, bob_api, bob):
    alices, bobs = reply(alice_api), reply(bob_api)

    assert alices["macca_text"] == bobs["macca_text"]
    assert alices["macca_audio_url"] != bobs["macca_audio_url"]
    assert SpeechClip.objects.filter(text=alices["macca_text"]).count() == 2
    assert bob_api.get(path_of(bobs["macca_audio_url"])).status_code == 200
    assert bob_api.get(path_of(alices["macca_audio_url"])).status_code == 404


# --- Names nobody can compute -----------------------------------------------------------


def test_a_files_name_is_not_the_plain_hash_of_its_line(alice_api):
    url = reply_url(alice_api)
    clip = clip_at(url)

    assert unkeyed_sha256(clip) not in url
    assert clip.audio.name == f"speech/{clip.key}.ogg"


def test_another_secret_key_names_the_same_line_differently(alice_api, settings):
    first = alice_api.post("/api/session/start", {"mode": "live"}, format="json").json()
    alice_api.post(f"/api/session/{first['session_id']}/end")
    settings.SECRET_KEY = "another secret key, at least fifty characters long, for this test"

    again = alice_api.post("/api/session/start", {"mode": "live"}, format="json").json()

    assert again["initial_prompt"] == first["initial_prompt"]
    assert again["initial_audio_url"] != first["initial_audio_url"]


def test_a_line_named_the_old_way_is_served_to_nobody(alice, alice_api):
    """A row from before keyed names: its name can be computed from its text."""
    clip = clip_at(reply_url(alice_api))
    old_key = unkeyed_sha256(clip)
    name = default_storage.save(f"speech/{old_key}.ogg", ContentFile(b"OggS" + b"\0" * 200))
    SpeechClip.objects.create(
        key=old_key,
        model_id=clip.model_id,
        text=clip.text,
        audio=name,
        content_type="audio/ogg",
    )

    for client in (Client(), client_for(alice), browser(alice)):
        assert client.get(f"/media/{name}").status_code == 404


def test_lines_named_before_a_secret_key_rotation_still_play(alice, alice_api, settings):
    url = reply_url(alice_api)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new secret key, at least fifty characters long, for this test"

    assert client_for(alice).get(url).status_code == 200
    assert client_for(alice).get(f"{url}?speed=slow").status_code == 200


# --- Shared lines -----------------------------------------------------------------------


def test_a_pronunciation_line_is_one_public_file_for_everyone(alice_api, bob_api):
    alices = alice_api.post("/api/pronunciation/speech", {"text": "think"}, format="json")
    bobs = bob_api.post("/api/pronunciation/speech", {"text": "think"}, format="json")

    assert alices.json() == bobs.json()
    assert SpeechClip.objects.get().owner is None
    for field in ("audio_url", "slow_audio_url"):
        response = Client().get(path_of(alices.json()[field]))
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"


# --- Forgetting and purging -------------------------------------------------------------


def test_forget_speech_removes_a_learners_lines_and_files_and_nobody_elses(
    alice, alice_api, bob_api
):
    url = reply_url(alice_api)
    alice_api.get(f"{url}?speed=slow")
    bobs = reply_url(bob_api)
    shared = alice_api.post("/api/pronunciation/speech", {"text": "think"}, format="json")
    alices_files = list(SpeechClip.objects.filter(owner=alice).values_list("audio", flat=True))
    assert len(alices_files) == 3  # the opening line, the reply and its slow variant

    assert forget_speech(alice) == 3

    assert not SpeechClip.objects.filter(owner=alice).exists()
    assert not any(default_storage.exists(name) for name in alices_files)
    assert bob_api.get(bobs).status_code == 200
    assert Client().get(path_of(shared.json()["audio_url"])).status_code == 200
    assert forget_speech(alice) == 0


def test_a_deleted_learners_speech_is_purged_with_the_orphan_files(alice, alice_api):
    url = reply_url(alice_api)
    alice_api.get(f"{url}?speed=slow")
    names = list(SpeechClip.objects.values_list("audio", flat=True))
    alice.delete()
    assert not SpeechClip.objects.exists()  # the rows go with her
    old = (timezone.now() - timedelta(days=45)).timestamp()
    for name in names:
        os.utime(default_storage.path(name), (old, old))

    call_command("purge_media", "--older-than", "30", verbosity=0)

    assert not any(default_storage.exists(name) for name in names)
