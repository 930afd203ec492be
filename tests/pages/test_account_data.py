"""The settings page's "your data": download a copy (/settings/export/), delete the
account after typing the password (/settings/delete/)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage

from tests.factories import practice_history
from tutor.models import PracticeSession, User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # alice's and bob's (tests/conftest.py)
DELETE = "/settings/delete/"


@pytest.fixture
def alice_browser(client, alice):
    client.force_login(alice)
    return client


def test_settings_offer_a_download_and_a_way_to_delete_the_account(alice_browser):
    body = alice_browser.get("/settings/").content.decode()

    assert 'href="/settings/export/"' in body
    assert ">Download my data</a>" in body
    assert f'href="{DELETE}"' in body


def test_the_confirmation_page_warns_and_asks_for_the_password(alice_browser):
    body = alice_browser.get(DELETE).content.decode()

    assert "This cannot be undone." in body
    assert "all your recordings" in body
    assert 'type="password" name="password"' in body
    assert ">Delete my account for good</button>" in body


def test_a_wrong_password_shows_an_error_and_keeps_the_account(alice_browser, alice):
    history = practice_history(alice)

    response = alice_browser.post(DELETE, {"password": "not my password"})

    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    assert PracticeSession.objects.filter(learner=alice).exists()
    assert all(default_storage.exists(name) for name in history.files)
    assert alice_browser.get("/dashboard/").status_code == 200  # still logged in


@pytest.mark.django_db(transaction=True)  # files go when the deletion commits
def test_the_right_password_deletes_everything_logs_out_and_says_goodbye(alice_browser, alice, bob):
    mine, theirs = practice_history(alice), practice_history(bob)

    response = alice_browser.post(DELETE, {"password": PASSWORD}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "Your account and all your data are deleted." in response.content.decode()
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not any(default_storage.exists(name) for name in mine.files)
    assert all(default_storage.exists(name) for name in theirs.files)
    assert alice_browser.get("/dashboard/").status_code == 302  # logged out
    assert not alice_browser.login(username="alice@example.com", password=PASSWORD)


def test_the_pages_need_a_logged_in_learner(client, alice):
    assert client.get(DELETE).status_code == 302
    assert client.post(DELETE, {"password": PASSWORD}).status_code == 302
    assert client.get("/settings/export/").status_code == 302
    assert User.objects.filter(pk=alice.pk).exists()


def test_the_download_is_the_learners_own_zip(alice_browser, alice, bob):
    practice_history(alice, said="Alice's sentence")
    practice_history(bob, said="Bob's sentence")

    response = alice_browser.get("/settings/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="macca-data-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("macca.json"))
    assert data["sessions"][0]["turns"][0]["text"] == "Alice's sentence"
    assert "Bob's sentence" not in archive.read("macca.json").decode()
