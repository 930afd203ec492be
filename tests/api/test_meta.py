"""What the API is and whether it is healthy: /api/, the health probes and the docs page."""

from __future__ import annotations

import re

import pytest
import responses
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import OperationalError, connection

import providers
from macca import __version__

pytestmark = pytest.mark.django_db


@pytest.fixture
def hugging_face(settings):
    """No explicit USE_MOCK_AI and a key: the real providers."""
    settings.USE_MOCK_AI = None
    settings.HF_API_KEY = "hf_test_key"
    providers.reset()


def test_the_root_says_what_it_is_and_that_the_ai_is_mocked(anon):
    response = anon.get("/api/")

    assert response.status_code == 200
    body = response.json()
    assert (body["message"], body["version"], body["ai_mode"]) == (
        "Macca API",
        __version__,
        "local",
    )
    llm = body["engines"]["llm"]
    assert (llm["name"], llm["model"]) == ("rule-based coach", "macca-coach")
    assert (llm["parser"]["name"], llm["parser"]["model"]) == ("spacy", "en_core_web_sm 3.8.0")
    assert body["engines"]["asr"]["model"] == "mock-asr"  # the tests' stand-in
    assert set(body["engines"]) == {"llm", "asr", "tts", "pronunciation"}


def test_the_root_says_which_local_engines_are_loaded_and_in_how_long(anon, real_speech):
    before = anon.get("/api/").json()["engines"]
    assert before["asr"]["name"] == "faster-whisper"
    assert before["asr"]["model"] == "tiny.en"
    assert before["tts"]["name"] == "piper"

    providers.warm_up().join(timeout=60)

    after = anon.get("/api/").json()["engines"]
    assert after["asr"]["status"] == after["tts"]["status"] == "loaded"
    assert 0 < after["asr"]["load_seconds"] < 30
    assert 0 < after["tts"]["load_seconds"] < 30
    assert after["llm"]["parser"]["status"] == "loaded"  # warmed with the speech engines


def test_the_root_reports_hugging_face_when_a_key_is_set(anon, hugging_face):
    body = anon.get("/api/").json()
    assert body["ai_mode"] == "huggingface"
    assert body["engines"]["asr"]["model"] == "openai/whisper-large-v3-turbo"
    assert body["engines"]["asr"]["fallback"]["name"] == "stub recogniser"
    assert body["engines"]["llm"]["fallback"]["name"] == "rule-based coach"


def test_without_a_key_the_local_engines_answer_even_when_not_asked_for(anon, settings):
    settings.USE_MOCK_AI = None
    settings.HF_API_KEY = ""
    providers.reset()

    assert anon.get("/api/").json()["ai_mode"] == "local"


def test_liveness_answers_ok_without_touching_the_database(anon, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = anon.get("/api/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__, "use_mock_ai": True}


@pytest.mark.django_db(False)
def test_liveness_works_with_the_database_out_of_reach(anon):
    # Without database access, any query would raise here.
    response = anon.get("/api/health/live")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_liveness_reports_real_ai(anon, hugging_face):
    assert anon.get("/api/health/live").json()["use_mock_ai"] is False


def test_readiness_answers_ok_when_database_and_cache_answer(anon):
    response = anon.get("/api/health/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "ai": "ok"}


def test_readiness_is_503_naming_the_database_when_it_fails(anon, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = anon.get("/api/health/ready")

    assert response.status_code == 503
    body = response.json()
    assert set(body) == {"status", "database", "cache", "ai"}
    assert body["status"] == "error"
    assert body["database"].startswith("error")
    assert body["cache"] == "ok"


def test_readiness_is_503_naming_the_cache_when_it_fails(anon, monkeypatch):
    def broken_set(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "set", broken_set)

    response = anon.get("/api/health/ready")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["cache"].startswith("error")


@pytest.fixture
def out_of_credits(settings):
    """Hugging Face mode whose LLM answers 402, as a free account's does once its
    monthly credits are spent."""
    settings.USE_MOCK_AI = False
    settings.HF_API_KEY = "hf_test_key"
    settings.HF_LLM_URL = "https://hf.test/v1/chat/completions"
    providers.reset()
    with responses.RequestsMock() as mocked:
        mocked.post(settings.HF_LLM_URL, status=402, json={"error": "Credits exhausted"})
        yield mocked


def tutor_turn() -> bool:
    """One tutor reply; True when the offline coach answered it."""
    from providers.schemas import LearnerProfile, PracticeContext

    reply = providers.get_llm().generate(LearnerProfile(), PracticeContext(), [], "Hello")
    return reply.degraded


def test_readiness_stays_200_and_says_the_credits_are_exhausted(anon, out_of_credits):
    assert tutor_turn() is True  # the learner still got an answer

    response = anon.get("/api/health/ready")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "ai": "degraded: llm: credits exhausted (402)",
    }


def test_readiness_says_ok_again_once_a_call_succeeds(anon, settings, out_of_credits, time_machine):
    time_machine.move_to("2026-11-24 10:42:00", tick=False)
    tutor_turn()
    time_machine.move_to("2026-11-24 11:00:00", tick=False)  # past the 900 s cooldown
    reply = {"choices": [{"message": {"content": '{"reply": "Hi!"}'}, "finish_reason": "stop"}]}
    out_of_credits.replace("POST", settings.HF_LLM_URL, json=reply)

    assert tutor_turn() is False
    assert anon.get("/api/health/ready").json()["ai"] == "ok"


@pytest.mark.parametrize("path", ["/api/", "/api/health/live", "/api/health/ready"])
def test_meta_endpoints_ignore_credentials_even_bad_ones(anon, path):
    anon.credentials(HTTP_AUTHORIZATION="Bearer not-a-real-token")

    assert anon.get(path).status_code == 200


def test_the_docs_page_serves_swagger_ui_from_this_app_not_a_cdn(anon):
    response = anon.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "cdn.jsdelivr" not in page
    assert "unpkg" not in page
    assert "/api/schema/" in page
    assets = re.findall(r"""(?:src|href)=["']/static/([^"']+)["']""", page)
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in assets
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in assets
    for asset in assets:
        assert finders.find(asset), f"{asset} is not among this app's static files"
