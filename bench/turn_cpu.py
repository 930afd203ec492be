"""make bench-turn-cpu: the CPU Macca itself spends on a turn, the provider's time left out.

A turn mostly waits: on the model, the recogniser and the voice. What it costs the server
is the CPU around those waits (the request, the database, the prompt, the reply's checks,
the speech file), and that is what decides how many learners one instance holds. This
runs turns in-process through Django's test client (the whole middleware stack, a Bearer
token, DEBUG off) on PostgreSQL and Redis, in Hugging Face mode against bench/fake_hf.py
answering at once from its own threads, and measures each request's CPU time on the
calling thread (`time.thread_time`): the fake's work and every wait are not counted.

    python bench/turn_cpu.py [--turns N] [--profile] [--database-url URL]

`--profile` also prints a pyinstrument profile of the text turns (what to cut next).
Figures go to stdout and into bench/RESULTS.md."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BENCH_DIR,
    BENCH_SECRET_KEY,
    GENEROUS_RATE,
    BenchError,
    _connect,
    clear_redis,
    markdown_table,
    percentile,
    run_main,
    wav_bytes,
    write_results,
)
from bench.fake_hf import FakeHF
from bench.turn import SENTENCES

DEFAULT_DATABASE_URL = "postgres://macca:macca@127.0.0.1:5432/macca_bench_turn_cpu"
REDIS_URL = "redis://127.0.0.1:6379/12"
GOAL_MS = 10.0
# A reply of a few seconds, as a real voice speaks one (the fake's default is a blip).
SPEECH_SECONDS = 3.0


def _configure(database_url: str, fake: FakeHF) -> None:
    """Production-like settings in Hugging Face mode against the fake, before Django starts."""
    os.environ.update(
        {
            "ENV_FILE": str(BENCH_DIR / "no-such.env"),  # a developer's .env must not leak in
            "DJANGO_SETTINGS_MODULE": "macca.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "USE_MOCK_AI": "false",
            "AI_PROVIDER": "huggingface",
            "HF_API_KEY": "bench-key",
            "HF_API_BASE_URL": fake.url,
            "HF_MAX_RETRIES": "0",
            "DEBUG": "false",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "MEDIA_ROOT": tempfile.mkdtemp(prefix="macca-bench-cpu-"),
            "THROTTLE_USER_RATE": GENEROUS_RATE,
            "THROTTLE_TURN_RATE": GENEROUS_RATE,
            "THROTTLE_SPEECH_RATE": GENEROUS_RATE,
            "LOG_LEVEL": "WARNING",
        }
    )
    clear_redis(REDIS_URL)
    if urlsplit(database_url).scheme.startswith("postgres"):
        name = urlsplit(database_url).path.lstrip("/")
        with _connect(database_url, "postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)


def _client():
    from rest_framework.test import APIClient

    from tutor.models import User
    from tutor.services.tokens import issue_token

    learner = User.objects.create_user(
        "cpu@example.com", "bench-Passw0rd-macca!", name="Bench Learner"
    )
    client = APIClient()
    _, token = issue_token(user=learner)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _timed(call) -> tuple[float, float, object]:
    """(CPU ms on this thread, wall ms, the response)."""
    cpu, wall = time.thread_time(), time.perf_counter()
    response = call()
    return (time.thread_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000, response


def _turns(client, kind: str, count: int, session_id: str, audio: bytes) -> list[float]:
    cpu_ms = []
    for n in range(count):
        if kind == "text":
            text = f"{SENTENCES[n % len(SENTENCES)]} ({n})"

            def call(text=text):
                return client.post(
                    "/api/session/turn",
                    {"user_text": text, "session_id": session_id},
                    format="json",
                )
        else:

            def call():
                return client.post(
                    "/api/session/turn/audio",
                    {
                        "session_id": session_id,
                        "audio": _upload(audio),
                    },
                    format="multipart",
                )

        cpu, _, response = _timed(call)
        if response.status_code != 200:
            raise BenchError(f"{kind} turn answered {response.status_code}: {response.content}")
        if response.json().get("degraded"):
            raise BenchError(f"{kind} turn was degraded: the fake did not answer as expected")
        cpu_ms.append(cpu)
    return cpu_ms


def _upload(audio: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("turn.wav", audio, content_type="audio/wav")


def _start(client) -> str:
    response = client.post(
        "/api/session/start", {"mode": "live", "topic": "my weekend"}, format="json"
    )
    if response.status_code not in (200, 201):
        raise BenchError(f"session start answered {response.status_code}: {response.content}")
    return response.json()["session_id"]


def _row(label: str, values: list[float]) -> list:
    return [
        label,
        len(values),
        f"{statistics.median(values):.1f}",
        f"{percentile(values, 95):.1f}",
        f"{statistics.mean(values):.1f}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60, help="turns of each kind (default 60)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile")
    parser.add_argument("--no-write", action="store_true", help="don't update bench/RESULTS.md")
    parser.add_argument(
        "--speech-seconds",
        type=float,
        default=SPEECH_SECONDS,
        help=f"length of the voice's MP3 answer (default {SPEECH_SECONDS:g}; 0.3 as bench-load)",
    )
    args = parser.parse_args()

    fake = FakeHF(tts_seconds=args.speech_seconds, tts_format="mp3").start()
    try:
        _configure(args.database_url, fake)
        client = _client()
        session_id = _start(client)
        audio = wav_bytes(2.0)
        # Warm-up: the first turns load the grammar parser, the prompt templates, caches.
        _turns(client, "text", 5, session_id, audio)
        _turns(client, "audio", 2, session_id, audio)

        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        text = _turns(client, "text", args.turns, session_id, audio)
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        spoken = _turns(client, "audio", max(5, args.turns // 4), session_id, audio)
    finally:
        fake.stop()

    rows = [_row("text turn", text), _row("audio turn (2 s WAV)", spoken)]
    table = markdown_table(["turn", "n", "CPU p50 ms", "CPU p95 ms", "CPU mean ms"], rows)
    p50 = statistics.median(text)
    verdict = "met" if p50 <= GOAL_MS else "NOT met"
    summary = f"- text turn CPU p50 {p50:.1f} ms (goal ≤ {GOAL_MS:.0f} ms: {verdict})"
    print(table)
    print(summary)
    if not args.no_write:
        body = f"""
Macca's own CPU per turn, in-process (Django's test client through the whole middleware
stack, Bearer token, DEBUG off) on {urlsplit(args.database_url).scheme} and Redis, in Hugging
Face mode against bench/fake_hf.py answering at once ({args.speech_seconds:g} s of reply speech):
`time.thread_time()` of the request's thread, so the providers' time and every wait are
left out. An audio turn also runs the local acoustic pronunciation judge on the learner's
recording (a local model, not a provider), which is most of its CPU.

    make bench-turn-cpu                           # PostgreSQL, database macca_bench_turn_cpu
    make bench-turn-cpu BENCH_ARGS="--profile"    # and a pyinstrument profile of the text turns

{table}

{summary}
"""
        write_results("Turn CPU (make bench-turn-cpu)", body, database_url=args.database_url)
    return 0


if __name__ == "__main__":
    run_main(main)
