"""Breaker under load: with the language model down (every call hangs past the read
timeout), the first turns pay the timeout and open the circuit breaker; after that,
twenty learners' turns arriving at once are all answered at once by the offline coach,
each under the read timeout, with 200 and `degraded: true`, and every one is
stored with its reply.

The turns run in real threads, each with its own database connection, in a
transactional test (committed data, as in production), against a fake Hugging Face on
a real socket. On SQLite the writers take turns for the write lock, so each turn's own
time is measured and bounded, lock waits included."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from knox.models import AuthToken

import providers
from bench.fake_hf import FakeHF
from tests.reliability.test_faults import assert_nothing_half_written, media_files
from tutor.models import PracticeSession, Role, SpeechClip, Turn, User
from tutor.services import speech

READ_TIMEOUT = 5.0
FAILURES = 2  # consecutive failures that open the breaker
TURNS = 20
# "Under the read timeout": a turn that waited for the model takes READ_TIMEOUT or more;
# one answered by the open breaker, twenty at once in one process (one GIL, two cores)
# with their database waits and their speech encoded, takes 1–2.5 s here, so the
# timeout is long enough that the budget keeps a margin on both sides.
TURN_BUDGET = READ_TIMEOUT * 0.8
# Twenty learners answering the same question: the same fallback reply, voiced at once.
SENTENCE = "I watch a film last night"


@pytest.fixture
def database_that_waits_for_locks(transactional_db, tmp_path):
    """On SQLite, this test's data lives in a database file, as in production: the test
    runner's in-memory database (shared cache) answers a second writer with "database
    table is locked" at once, where a file makes it wait its turn (WAL, busy timeout).
    Every thread's new connection opens the file; the in-memory database is kept open
    and put back afterwards. PostgreSQL needs nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    settings_dict = connection.settings_dict
    in_memory_name = settings_dict["NAME"]
    connection.ensure_connection()
    in_memory = connection.connection
    path = tmp_path / "concurrent.sqlite3"
    file_copy = sqlite3.connect(path)
    in_memory.backup(file_copy)  # the migrated schema
    # WAL now, as a long-running database already is: otherwise every thread's first
    # connection switches it (init_command), and a switch racing another is "locked".
    file_copy.execute("PRAGMA journal_mode=WAL")
    file_copy.close()
    settings_dict["NAME"] = str(path)
    connection.connection = None  # the next query connects to the file
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = in_memory_name
        connection.connection = in_memory


@pytest.fixture
def llm_down(settings):
    """Hugging Face mode against a fake whose chat completions hang past the read
    timeout; speech synthesis works. No retries, and a breaker that opens after
    FAILURES failures and stays open for the rest of the test."""
    with FakeHF(fault="llm:timeout", hang_seconds=READ_TIMEOUT + 2) as hf:
        settings.USE_MOCK_AI = False
        settings.HF_API_KEY = "hf_test"
        settings.HF_API_BASE_URL = hf.url
        settings.HF_LLM_URL = settings.HF_ASR_URL = settings.HF_TTS_URL = ""
        settings.HF_CONNECT_TIMEOUT_SECONDS = 1.0
        settings.HF_TIMEOUT_SECONDS = READ_TIMEOUT
        settings.HF_MAX_RETRIES = 0
        settings.HF_BREAKER_FAILURES = FAILURES
        settings.HF_BREAKER_COOLDOWN_SECONDS = 300
        cache.clear()  # the breaker's state (in Redis when REDIS_URL is set)
        providers.reset()
        yield hf
    cache.clear()
    providers.reset()


@dataclass
class Outcome:
    seconds: float
    status: int
    body: dict


def run_at_once(count: int, work: Callable[[int], object], *, timeout: float) -> list:
    """work(0) … work(count - 1) in as many threads, released together; their results,
    or the exceptions they raised. Each thread closes its own database connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except BaseException as exc:  # reported by the caller with the others
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    errors = [result for result in results if isinstance(result, BaseException)]
    assert errors == [], errors
    return results


def api_client(learner: User) -> Client:
    _, token = AuthToken.objects.create(learner)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def take_turn(client: Client, session_id: str, text: str) -> Outcome:
    started = time.monotonic()
    response = client.post(
        "/api/session/turn",
        {"session_id": session_id, "user_text": text},
        content_type="application/json",
    )
    seconds = time.monotonic() - started
    return Outcome(seconds, response.status_code, response.json())


def start_session(client: Client) -> str:
    response = client.post("/api/session/start", {"mode": "live"}, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["session_id"]


def test_once_the_breaker_is_open_concurrent_turns_are_answered_at_once(
    database_that_waits_for_locks, llm_down, settings
):
    learners = [
        User.objects.create_user(f"learner{i}@example.com", "correct horse battery", name=f"L{i}")
        for i in range(TURNS)
    ]
    clients = [api_client(learner) for learner in learners]
    sessions = [start_session(client) for client in clients]

    # The model hangs: the first turns (at once) each wait out the read timeout, and
    # open the breaker.
    slow_turns: list[Outcome] = run_at_once(
        FAILURES,
        lambda i: take_turn(clients[i], sessions[i], f"{SENTENCE}, before"),
        timeout=3 * READ_TIMEOUT,
    )
    for slow in slow_turns:
        assert slow.status == 200, slow.body
        assert slow.body["degraded"] is True
        assert slow.seconds >= READ_TIMEOUT * 0.9, "the model was not really down"
    assert llm_down.calls["llm"] == FAILURES

    outcomes: list[Outcome] = run_at_once(
        TURNS, lambda i: take_turn(clients[i], sessions[i], SENTENCE), timeout=3 * READ_TIMEOUT
    )

    for outcome in outcomes:
        assert outcome.status == 200, (outcome.status, outcome.body)
        assert outcome.body["degraded"] is True
        assert outcome.body["macca_text"]
    times = sorted(round(outcome.seconds, 2) for outcome in outcomes)
    assert times[-1] < TURN_BUDGET, (
        f"a turn took {times[-1]}s with the breaker open; the budget is {TURN_BUDGET}s "
        f"(read timeout {READ_TIMEOUT}s). All turns: {times}"
    )
    assert llm_down.calls["llm"] == FAILURES, "a call reached the model past the open breaker"

    # Every turn is stored, paired with its reply; every file belongs to a stored row.
    for i, outcome in enumerate(outcomes):
        session = PracticeSession.objects.get(pk=sessions[i])
        learner_turn = Turn.objects.get(pk=outcome.body["turn_id"])
        assert (learner_turn.session_id, learner_turn.role) == (session.pk, Role.LEARNER)
        assert learner_turn.text == SENTENCE
        reply = session.turns.get(position=learner_turn.position + 1)
        assert (reply.role, reply.text, reply.degraded) == (
            Role.TUTOR,
            outcome.body["macca_text"],
            True,
        )
        assert session.turns.count() == 1 + 2 * (2 if i < FAILURES else 1)
    assert_nothing_half_written(settings.MEDIA_ROOT)


class StorageThatLooksTogether:
    """The storage, except that workers asking whether a speech file exists all get
    their answer before any of them goes on to save it: the race, every time."""

    def __init__(self, storage, workers: int) -> None:
        self._storage = storage
        self._looked = threading.Barrier(workers)

    def exists(self, name: str) -> bool:
        found = self._storage.exists(name)
        self._looked.wait(timeout=10)
        return found

    def __getattr__(self, name: str):
        return getattr(self._storage, name)


def test_workers_voicing_the_same_line_at_once_leave_one_clip_and_one_file(
    database_that_waits_for_locks, settings, monkeypatch
):
    """Macca's reply is voiced after the turn is saved, outside any lock: two turns
    getting the same reply both synthesize it. One clip wins; the other copy of the
    file must not stay behind in the media folder with nothing pointing at it."""
    workers = 2
    monkeypatch.setattr(
        speech, "default_storage", StorageThatLooksTogether(default_storage, workers)
    )

    results = run_at_once(
        workers, lambda i: speech.speak("Tell me more, please.", owner=None), timeout=30
    )

    clip = SpeechClip.objects.get()
    assert [(result[0].pk, result[1]) for result in results] == [(clip.pk, False)] * workers
    assert media_files(settings.MEDIA_ROOT) == {clip.audio.name}
