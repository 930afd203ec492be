"""Errors a client or a person meets: JSON under /api/ (including URLs no route
matches and oversized bodies), the site's own pages elsewhere."""

from __future__ import annotations

import json

import pytest

from tutor.models import Turn

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/api/sessions/not-a-uuid", "/api/no-such-endpoint", "/api/user/vocabulary/12"]
)
def test_a_url_no_api_route_matches_is_a_json_404(alice_api, path):
    response = alice_api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_missing_page_is_the_sites_own_404_page(client, alice):
    client.force_login(alice)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'href="/dashboard/"' in response.content.decode()


def test_a_server_error_under_api_is_json(alice_api, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("tutor.api.learner.word_list", broken)
    alice_api.raise_request_exception = False

    response = alice_api.get("/api/user/vocabulary")

    assert response.status_code == 500
    assert response.json() == {"detail": "Server error. Please try again."}


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_a_body_over_the_upload_limit_is_a_413_and_nothing_is_saved(
    alice_api, settings, content_type
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    text = "I go to school. " * 1000  # 16 KB
    body = (
        json.dumps({"user_text": text, "mode": "live"})
        if content_type == "application/json"
        else f"mode=live&user_text={text}"
    )

    response = alice_api.generic("POST", "/api/session/turn", body, content_type=content_type)

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}
    assert not Turn.objects.exists()


def test_a_body_under_the_limit_is_parsed_as_before(alice_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = alice_api.post(
        "/api/session/turn", {"user_text": "I go to school yesterday.", "mode": "live"}, "json"
    )

    assert response.status_code == 200
    assert Turn.objects.count() == 3  # the opening prompt, the learner, Macca
