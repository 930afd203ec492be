"""make bench-load: how many learners one machine serves.

gunicorn (gthread) serves the app on PostgreSQL in Hugging Face mode, pointed at
bench/fake_hf.py at realistic latencies (LLM 800 ms, TTS 400 ms). locust, headless,
runs K simulated learners (bench/locustfile.py: start a session, 5 text turns, list
the vocabulary, fetch progress, again) for a fixed window, then readers hammering
GET /api/lessons and GET /api/user/profile. Reported: completed turns per second,
turn latency p50/p95/p99, errors (target: zero), and requests per second of the two
reads. Everything runs on this machine, locust included, so it shares the cores.

    python bench/load.py [--users 20] [--seconds 60] [--readers 10] [--read-seconds 20]

Figures go to stdout (ratios last) and into bench/RESULTS.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    Gunicorn,
    app_env,
    markdown_table,
    prepare_database,
    run_main,
    write_results,
)
from bench.fake_hf import FakeHF
from bench.swarm import swarm

WORKERS, THREADS = 2, 16


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent learners (K)")
    parser.add_argument("--seconds", type=float, default=60, help="the measured window")
    parser.add_argument("--readers", type=int, default=10, help="concurrent readers")
    parser.add_argument("--read-seconds", type=float, default=20)
    parser.add_argument("--llm-ms", type=float, default=800)
    parser.add_argument("--tts-ms", type=float, default=400)
    args = parser.parse_args()

    print("preparing the bench database (PostgreSQL)…", flush=True)
    database_url = prepare_database()
    with FakeHF(llm_ms=args.llm_ms, tts_ms=args.tts_ms, asr_ms=300) as fake:
        env = app_env(HF_API_BASE_URL=fake.url)
        with Gunicorn(None, env, workers=WORKERS, threads=THREADS) as server:
            print(f"gunicorn on {server.url} ({WORKERS} workers × {THREADS} threads)")
            print(f"{args.users} learners for {args.seconds:.0f} s…", flush=True)
            learners = swarm([server.url], "Learner", users=args.users, seconds=args.seconds)
            reads = {}
            for user_class, name in (
                ("LessonsReader", "GET /api/lessons"),
                ("ProfileReader", "GET /api/user/profile"),
            ):
                print(f"{args.readers} readers of {name} for {args.read_seconds:.0f} s…")
                reads[name] = swarm(
                    [server.url], user_class, users=args.readers, seconds=args.read_seconds
                )

    turns_per_second = learners.rate("turn")
    errors = learners.errors + [e for r in reads.values() for e in r.errors]
    rows = [
        [
            name,
            learners.count(name),
            f"{learners.rate(name):.2f}",
            f"{learners.latency(name, 50):.0f}",
            f"{learners.latency(name, 95):.0f}",
            f"{learners.latency(name, 99):.0f}",
        ]
        for name in ("session start", "turn", "reply audio", "vocabulary", "progress")
    ]
    rows += [
        [
            name,
            r.count(name),
            f"{r.rate(name):.1f}",
            f"{r.latency(name, 50):.0f}",
            f"{r.latency(name, 95):.0f}",
            f"{r.latency(name, 99):.0f}",
        ]
        for name, r in reads.items()
    ]
    table = markdown_table(
        ["request", "completed", "per second", "p50 ms", "p95 ms", "p99 ms"], rows
    )
    provider_ms = args.llm_ms + args.tts_ms
    lines = [
        f"- {turns_per_second:.2f} turns/s completed by {args.users} learners "
        f"({learners.seconds:.0f} s window); turn p50 {learners.latency('turn', 50):.0f} ms, "
        f"p95 {learners.latency('turn', 95):.0f} ms, p99 {learners.latency('turn', 99):.0f} ms; "
        f"p50 / providers (LLM + TTS {provider_ms:.0f} ms) = "
        f"{learners.latency('turn', 50) / provider_ms:.3f}",
        f"- GET /api/lessons: {reads['GET /api/lessons'].rate('GET /api/lessons'):.0f} req/s; "
        f"GET /api/user/profile: "
        f"{reads['GET /api/user/profile'].rate('GET /api/user/profile'):.0f} req/s "
        f"({args.readers} readers)",
        f"- errors: {len(errors)} (target: 0)" + (f"; first: {errors[0]}" if errors else ""),
    ]
    setup = (
        f"gunicorn gthread ({WORKERS} workers × {THREADS} threads) on PostgreSQL, locust "
        f"headless on the same machine; fake Hugging Face at LLM {args.llm_ms:.0f} ms, "
        f"TTS {args.tts_ms:.0f} ms. Each learner: start a session, 5 text turns (each followed "
        f"by fetching the reply audio), list the "
        f"vocabulary, fetch progress, again, with no think time. {args.users} learners for "
        f"{args.seconds:.0f} s; then {args.readers} readers per read endpoint for "
        f"{args.read_seconds:.0f} s."
    )
    path = write_results(
        "Throughput (make bench-load)",
        f"{setup}\n\n{table}\n\n" + "\n".join(lines),
        database_url=database_url,
    )
    print()
    print(table)
    print(f"\nwritten to {path.relative_to(path.parent.parent)}")
    print("\n".join(lines))
    return 1 if errors else 0


if __name__ == "__main__":
    run_main(main)
