"""What is asked again and what is not, counted on a real socket: the LLM never
asks twice after a 504 or a read timeout (the learner already waited the whole
time); speech recognition still retries a 504, its calls being short."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import providers
from providers.schemas import PracticeContext
from tests.providers.loopback import serve

from .conftest import HF_KEY

CONTEXT = PracticeContext(mode="live_conversation", topic="weekend plans")


@pytest.fixture
def remote(settings):
    """Hugging Face mode with retries on; each test points a task's URL at its server."""
    settings.USE_MOCK_AI = False
    settings.HF_API_KEY = HF_KEY
    settings.HF_MAX_RETRIES = 2
    settings.HF_RETRY_BUDGET_SECONDS = 15
    settings.HF_BREAKER_FAILURES = 5
    settings.HF_LLM_JSON_MODE = "json_schema"
    return settings


def gateway_timeout() -> tuple[int, dict, dict]:
    return (504, {}, {"error": "Gateway Timeout"})


def test_the_llm_asks_once_after_a_504_and_the_coach_answers(remote, profile, caplog):
    with serve([gateway_timeout(), (200, {}, {"choices": []})]) as (base_url, seen):
        remote.HF_LLM_URL = f"{base_url}/v1/chat/completions"
        providers.reset()
        with caplog.at_level(logging.WARNING, logger="providers"):
            reply = providers.get_llm().generate(profile, CONTEXT, [], "She work in a bank")

    assert len(seen) == 1
    assert reply.degraded is True
    assert reply.response.feedback.better_sentence == "She works in a bank"
    assert "HTTP 504" in caplog.text


def test_the_llm_still_retries_a_503(remote, profile):
    replies = [(503, {}, {"error": "Service Unavailable"})] * 3
    with serve(replies) as (base_url, seen):
        remote.HF_LLM_URL = f"{base_url}/v1/chat/completions"
        providers.reset()
        providers.get_llm().generate(profile, CONTEXT, [], "Hi")

    assert len(seen) == 3  # the first try and HF_MAX_RETRIES=2 retries


def test_speech_recognition_retries_a_504(remote):
    replies = [gateway_timeout(), (200, {}, {"text": "I went to the market."})]
    with serve(replies) as (base_url, seen):
        remote.HF_ASR_URL = f"{base_url}/models/openai/whisper-large-v3-turbo"
        providers.reset()
        transcript = providers.get_asr().transcribe(b"RIFF....WAVEfmt ", "audio/wav")

    assert len(seen) == 2
    assert (transcript.text, transcript.degraded) == ("I went to the market.", False)


@contextmanager
def silent_server() -> Iterator[tuple[str, list[float]]]:
    """Accepts connections and reads the request, then never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[float] = []
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:  # closed: the test is over
                return
            accepted.append(time.monotonic())
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    finally:
        listener.close()
        for connection in held:
            connection.close()


@pytest.mark.parametrize("task", ["llm", "asr"])
def test_a_read_timeout_is_not_retried_and_is_logged_as_one(remote, profile, caplog, task):
    remote.HF_TIMEOUT_SECONDS = 0.3
    with silent_server() as (base_url, accepted):
        remote.HF_LLM_URL = remote.HF_ASR_URL = f"{base_url}/model"
        providers.reset()
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="providers"):
            if task == "llm":
                degraded = providers.get_llm().generate(profile, CONTEXT, [], "Hi").degraded
            else:
                degraded = providers.get_asr().transcribe(b"RIFF....", "audio/wav").degraded
        took = time.monotonic() - started

    assert degraded is True
    assert len(accepted) == 1
    assert took < 2  # one timeout's wait, no second one
    assert "timed out after" in caplog.text
    assert "ReadTimeout" in caplog.text
