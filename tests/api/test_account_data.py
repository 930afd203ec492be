"""DELETE /api/user (the account and everything in it, at once) and GET /api/user/export
(a zip of the learner's data and recordings): the learner's rights under UU 27/2022."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from tests.conftest import client_for
from tests.factories import practice_history
from tutor.models import (
    FeedbackIssue,
    PracticeSession,
    PronunciationAttempt,
    ReviewLog,
    SpeechClip,
    Turn,
    User,
    VocabularyItem,
)

pytestmark = pytest.mark.django_db

# Files go when the deletion commits: those tests commit for real.
committing = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"  # alice's and bob's (tests/conftest.py)


def rows_of(user: User) -> dict[str, int]:
    return {
        "sessions": PracticeSession.objects.filter(learner=user).count(),
        "turns": Turn.objects.filter(session__learner=user).count(),
        "feedback": FeedbackIssue.objects.filter(learner=user).count(),
        "words": VocabularyItem.objects.filter(learner=user).count(),
        "reviews": ReviewLog.objects.filter(item__learner=user).count(),
        "attempts": PronunciationAttempt.objects.filter(learner=user).count(),
        "speech": SpeechClip.objects.filter(owner=user).count(),
        "tokens": AuthToken.objects.filter(user=user).count(),
    }


def browser_session_of(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.session.session_key


def delete(api, body: dict | None = None):
    return api.delete("/api/user", body if body is not None else {}, format="json")


# --- DELETE /api/user -------------------------------------------------------------------


@committing
def test_deleting_removes_the_account_every_row_and_every_file(alice, bob, alice_api):
    mine, theirs = practice_history(alice), practice_history(bob)
    browser = browser_session_of(alice)
    kept_browser = browser_session_of(bob)
    bob_rows = rows_of(bob)
    assert all(default_storage.exists(name) for name in mine.files)

    response = delete(alice_api, {"password": PASSWORD})

    assert response.status_code == 204
    assert not User.objects.filter(pk=alice.pk).exists()
    assert set(rows_of(alice).values()) == {0}
    assert not Session.objects.filter(session_key=browser).exists()
    assert [name for name in mine.files if default_storage.exists(name)] == []
    # Bob's rows, files and browser session are untouched.
    assert rows_of(bob) == bob_rows
    assert all(default_storage.exists(name) for name in theirs.files)
    assert Session.objects.filter(session_key=kept_browser).exists()


def test_after_deleting_the_token_no_longer_works(alice, alice_api):
    delete(alice_api, {"password": PASSWORD})

    assert alice_api.get("/api/user/profile").status_code == 401


@committing
def test_a_recording_without_a_row_in_the_learners_folder_goes_too(alice, alice_api):
    """An upload stored a moment before its row (a turn racing the deletion)."""
    stray = default_storage.save(f"private/recordings/{alice.pk}/stray.webm", ContentFile(b"x"))

    delete(alice_api, {"password": PASSWORD})

    assert not default_storage.exists(stray)


@committing
def test_files_go_only_once_the_rows_are_gone_for_good(alice, alice_api, monkeypatch):
    """A deletion that fails in the database leaves every file its rows point to."""
    history = practice_history(alice)

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(User, "delete", fail)
    with pytest.raises(RuntimeError):
        delete(alice_api, {"password": PASSWORD})

    assert User.objects.filter(pk=alice.pk).exists()
    turn_and_attempt = [history.learner_turn.audio.name, history.attempt.audio.name]
    assert all(default_storage.exists(name) for name in turn_and_attempt)


@committing
def test_a_file_the_storage_fails_to_remove_does_not_keep_the_others(alice, alice_api, monkeypatch):
    history = practice_history(alice)
    stuck = history.learner_turn.audio.name
    remove = FileSystemStorage.delete

    def flaky(storage, name):
        if name == stuck:
            raise OSError("storage unavailable")
        remove(storage, name)

    monkeypatch.setattr(FileSystemStorage, "delete", flaky)

    response = delete(alice_api, {"password": PASSWORD})

    assert response.status_code == 204
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not default_storage.exists(history.attempt.audio.name)


@pytest.mark.parametrize("body", [{"password": "not my password"}, {}, {"password": ""}])
def test_a_wrong_or_missing_password_is_a_400_and_deletes_nothing(alice, alice_api, body):
    history = practice_history(alice)
    before = rows_of(alice)

    response = delete(alice_api, body)

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert User.objects.filter(pk=alice.pk).exists()
    assert rows_of(alice) == before
    assert all(default_storage.exists(name) for name in history.files)


def test_the_wrong_password_error_says_so(alice_api):
    response = delete(alice_api, {"password": "not my password"})

    assert response.json() == {"password": ["That is not your password."]}


def test_anonymous_cannot_delete_anything(anon, alice):
    response = delete(anon, {"password": PASSWORD})

    assert response.status_code == 401
    assert User.objects.filter(pk=alice.pk).exists()


def test_a_browser_deleting_with_its_session_cookie_is_logged_out(alice):
    browser = Client(enforce_csrf_checks=False)
    browser.force_login(alice)

    response = browser.delete(
        "/api/user", json.dumps({"password": PASSWORD}), content_type="application/json"
    )

    assert response.status_code == 204
    assert browser.get("/dashboard/").status_code == 302  # to the login page


def test_every_model_with_a_file_is_one_account_deletion_knows():
    """A new model storing files must have them removed with the account
    (tutor/services/account.py `_stored_files_of`): this fails until it is added there."""
    with_files = {
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    }

    assert with_files == {"Turn.audio", "PronunciationAttempt.audio", "SpeechClip.audio"}


# --- GET /api/user/export ---------------------------------------------------------------


def exported(response) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("macca.json")), archive


def test_the_export_is_a_dated_zip_download(alice, alice_api):
    response = alice_api.get("/api/user/export")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="macca-data-')
    assert response["Content-Disposition"].endswith('.zip"')
    data, archive = exported(response)
    assert archive.testzip() is None
    assert data["profile"]["email"] == "alice@example.com"


def test_the_export_holds_the_learners_turns_words_attempts_and_recordings(alice, bob, alice_api):
    mine = practice_history(alice, said="I goed to the market")
    practice_history(bob, said="Bob's secret sentence")

    data, archive = exported(alice_api.get("/api/user/export"))

    [session] = data["sessions"]
    learner_turn, tutor_turn = session["turns"]
    assert learner_turn["text"] == "I goed to the market"
    assert learner_turn["feedback"][0]["code"] == "past_tense"
    assert tutor_turn["text"] == "I went to the market."
    assert archive.read(learner_turn["recording"]) == mine.files[mine.learner_turn.audio.name]
    [word] = data["vocabulary"]
    assert (word["word"], word["translation"], len(word["reviews"])) == ("market", "pasar", 1)
    [attempt] = data["pronunciation_attempts"]
    assert archive.read(attempt["recording"]) == mine.files[mine.attempt.audio.name]
    assert data["mistakes"][0]["code"] == "past_tense"
    assert sorted(archive.namelist()) == sorted(
        ["macca.json", learner_turn["recording"], attempt["recording"]]
    )


def test_the_export_holds_nothing_of_another_learner(alice, bob):
    practice_history(alice)
    practice_history(bob, said="Bob's secret sentence")

    _, archive = exported(client_for(alice).get("/api/user/export"))

    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"bob" not in everything.lower()
    assert b"Bob's secret sentence" not in everything


def test_a_recording_missing_from_storage_is_left_out_not_an_error(alice, alice_api):
    history = practice_history(alice)
    default_storage.delete(history.learner_turn.audio.name)

    response = alice_api.get("/api/user/export")

    assert response.status_code == 200
    data, archive = exported(response)
    assert data["sessions"][0]["turns"][0]["recording"] is None
    assert data["pronunciation_attempts"][0]["recording"] in archive.namelist()


def test_the_exports_query_count_does_not_grow_with_the_history(alice, alice_api):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            exported(alice_api.get("/api/user/export"))
        return len(captured)

    practice_history(alice, said="One")
    queries()  # a first request may note things once (the token's first use)
    once = queries()
    for said in ("Two", "Three", "Four"):
        practice_history(alice, said=said, word=said.lower())

    assert queries() == once


def test_the_export_is_a_zip_even_to_a_client_that_asks_for_one(alice_api):
    response = alice_api.get("/api/user/export", HTTP_ACCEPT="application/zip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"


def test_anonymous_gets_no_export(anon):
    response = anon.get("/api/user/export")

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
