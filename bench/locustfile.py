"""Simulated Macca learners for locust, run headless by bench/load.py and bench/scale.py.

Learner: signs up (a unique email), then repeats: start a session, BENCH_TURNS text turns
(5) each followed by fetching the reply's audio, list the vocabulary, fetch progress.
LessonsReader / ProfileReader: sign up, then GET /api/lessons or GET /api/user/profile
in a loop. No think time: each user is a closed
loop, so K users keep K requests in flight.

Settings (environment):
  BENCH_HOSTS    comma-separated base URLs; requests go to them in turn, all users'
                 requests in one rotation (a load balancer's round robin), so a learner's
                 consecutive requests land on different hosts. Default: locust's --host.
  BENCH_USERS    the measured window starts once this many users have signed up.
  BENCH_SECONDS  length of the measured window; the run quits at its end (--run-time is
                 only a safety cap), and locust's own stats are reset at its start.
  BENCH_EVENTS   a JSON file written at exit: the window and every request
                 [end time, name, milliseconds, ok, error], for the scripts' figures.
  BENCH_TURNS    text turns per session (5).
"""

from __future__ import annotations

import itertools
import json
import os
import time
import uuid

import gevent
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

HOSTS = [h.strip().rstrip("/") for h in os.environ.get("BENCH_HOSTS", "").split(",") if h.strip()]
EXPECTED_USERS = int(os.environ.get("BENCH_USERS", "0") or 0)
WINDOW_SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
EVENTS_FILE = os.environ.get("BENCH_EVENTS", "")
TURNS = int(os.environ.get("BENCH_TURNS", "5"))
PASSWORD = "bench-Password-7193"
SENTENCES = [
    "Yesterday I go to the market with my mother.",
    "I am very interesting in learn English for my work.",
    "She don't like coffee but she drink tea every morning.",
    "Last weekend we was at the beach and it very hot.",
    "My brother have two childs and they goes to school.",
    "I want to improve my speaking because I shy.",
    "Can you explain me how to order food in restaurant?",
    "Tomorrow I will going to Bandung by train.",
]

state = {"ready": 0, "window_start": None, "window_end": None, "events": []}
_sequence = itertools.count(1)
_hosts = itertools.cycle(HOSTS or [""])  # one rotation for every user: gevent, one thread


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    error = None if exception is None else (str(exception) or type(exception).__name__)[:300]
    state["events"].append([time.time(), name, round(response_time, 2), exception is None, error])


def _end_window(environment) -> None:
    state["window_end"] = time.time()
    environment.runner.quit()


def _user_ready(environment) -> None:
    """Counts users past sign-up; the last one opens the measured window."""
    state["ready"] += 1
    if state["window_start"] is None and state["ready"] >= EXPECTED_USERS:
        state["window_start"] = time.time()
        environment.runner.stats.reset_all()
        gevent.spawn_later(WINDOW_SECONDS, _end_window, environment)


@events.quitting.add_listener
def _write_events(environment, **kwargs):
    if not EVENTS_FILE:
        return
    with open(EVENTS_FILE, "w") as out:
        json.dump(
            {
                "users_ready": state["ready"],
                "window_start": state["window_start"],
                "window_end": state["window_end"] or time.time(),
                "events": state["events"],
            },
            out,
        )


class BenchUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    network_timeout = 60.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        self.number = next(_sequence)
        self.token = None
        email = f"bench-{uuid.uuid4().hex[:12]}@example.com"
        body = {"email": email, "password": PASSWORD, "name": f"Learner {self.number}"}
        try:
            data = self.call("POST", "/api/auth/signup", "signup", json=body, expect=201)
            if data:
                self.token = data["access_token"]
        finally:
            _user_ready(self.environment)
        if not self.token:
            raise StopUser()

    def call(self, method: str, path: str, name: str, *, expect: int = 200, **kwargs):
        """The JSON body of a request to the next host, or None (a failure recorded)."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        url = next(_hosts) + path
        with self.client.request(
            method, url, name=name, headers=headers, catch_response=True, **kwargs
        ) as response:
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code}: {(response.text or '')[:200]}")
                return None
            try:
                data = response.json()
            except ValueError:
                response.failure("not JSON")
                return None
            if isinstance(data, dict) and data.get("degraded"):
                response.failure("degraded: true (a provider call failed)")
                return None
            return data

    def fetch_audio(self, url: str) -> None:
        """The reply's speech, as a player fetches it, from the next host (any host
        serves any learner's audio: they share the media storage). A reply is personal:
        only its learner, here by token, may hear it."""
        path = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
        headers = {"Authorization": f"Bearer {self.token}"}
        with self.client.request(
            "GET", next(_hosts) + path, name="reply audio", headers=headers, catch_response=True
        ) as response:
            content_type = response.headers.get("Content-Type", "")
            if response.status_code != 200 or not content_type.startswith("audio/"):
                response.failure(f"HTTP {response.status_code} {content_type}")


class Learner(BenchUser):
    @task
    def practise(self) -> None:
        started = self.call(
            "POST",
            "/api/session/start",
            "session start",
            json={"mode": "live_conversation", "topic": "daily life"},
            expect=201,
        )
        if started is None:
            return
        for i in range(TURNS):
            text = f"{SENTENCES[(self.number + i) % len(SENTENCES)]} ({self.number}.{i})"
            reply = self.call(
                "POST",
                "/api/session/turn",
                "turn",
                json={"session_id": started["session_id"], "user_text": text},
            )
            if reply is None:
                return
            if reply.get("macca_audio_url"):
                self.fetch_audio(reply["macca_audio_url"])
        self.call("GET", "/api/user/vocabulary", "vocabulary")
        self.call("GET", "/api/user/progress", "progress")


class LessonsReader(BenchUser):
    @task
    def lessons(self) -> None:
        self.call("GET", "/api/lessons", "GET /api/lessons")


class ProfileReader(BenchUser):
    @task
    def profile(self) -> None:
        self.call("GET", "/api/user/profile", "GET /api/user/profile")
