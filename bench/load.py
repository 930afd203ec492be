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

# The README's production command: 2 workers (one per core) × 32 threads. A turn holds a
# thread through its provider wait, so the threads must outnumber the learners one
# instance holds (32 here, bench/RESULTS.md), with room for their other requests.
WORKERS, THREADS = 2, 32
GOAL_RATIO = 1.2  # turn p50 within 1.2× the providers' time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=64, help="concurrent learners (K)")
    parser.add_argument("--seconds", type=float, default=40, help="the measured window")
    parser.add_argument(
        "--sweep",
        default="16,24,32,48,64",
        help="learner counts to try first, each for --sweep-seconds ('' for none)",
    )
    parser.add_argument("--sweep-seconds", type=float, default=25)
    parser.add_argument("--readers", type=int, default=10, help="concurrent readers")
    parser.add_argument("--read-seconds", type=float, default=20)
    parser.add_argument("--llm-ms", type=float, default=800)
    parser.add_argument("--tts-ms", type=float, default=400)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--threads", type=int, default=THREADS)
    args = parser.parse_args()
    provider_ms = args.llm_ms + args.tts_ms
    sweep = [int(n) for n in args.sweep.split(",") if n.strip()]

    print("preparing the bench database (PostgreSQL)…", flush=True)
    database_url = prepare_database()
    with FakeHF(llm_ms=args.llm_ms, tts_ms=args.tts_ms, asr_ms=300) as fake:
        env = app_env(HF_API_BASE_URL=fake.url)
        with Gunicorn(None, env, workers=args.workers, threads=args.threads) as server:
            print(f"gunicorn on {server.url} ({args.workers} workers × {args.threads} threads)")
            levels = []
            for users in sweep:
                print(f"{users} learners for {args.sweep_seconds:.0f} s…", flush=True)
                level = swarm([server.url], "Learner", users=users, seconds=args.sweep_seconds)
                levels.append(level)
                print(f"  p50 {level.latency('turn', 50):.0f} ms, {len(level.errors)} errors")
            print(f"{args.users} learners for {args.seconds:.0f} s…", flush=True)
            learners = swarm([server.url], "Learner", users=args.users, seconds=args.seconds)
            reads = {}
            for user_class, name in (
                ("LessonsReader", "GET /api/lessons"),
                ("ProfileReader", "GET /api/user/profile"),
            )[: 2 if args.readers else 0]:
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
    held = [level.users for level in [*levels, learners] if _holds(level, provider_ms)]
    sweep_table = markdown_table(
        ["learners", "turns/s", "turn p50 ms", "turn p95 ms", "p50 / providers", "errors"],
        [
            [
                level.users,
                f"{level.rate('turn'):.2f}",
                f"{level.latency('turn', 50):.0f}",
                f"{level.latency('turn', 95):.0f}",
                f"{level.latency('turn', 50) / provider_ms:.3f}",
                len(level.errors),
            ]
            for level in levels
        ],
    )
    lines = [
        f"- one instance holds {max(held, default=0)} learners in back-to-back turns with "
        f"p50 ≤ {GOAL_RATIO}× the providers' {provider_ms:.0f} ms and no error (goal ≥ 64: "
        f"{'met' if max(held, default=0) >= 64 else 'NOT met'})",
        f"- {turns_per_second:.2f} turns/s completed by {args.users} learners "
        f"({learners.seconds:.0f} s window); turn p50 {learners.latency('turn', 50):.0f} ms, "
        f"p95 {learners.latency('turn', 95):.0f} ms, p99 {learners.latency('turn', 99):.0f} ms; "
        f"p50 / providers (LLM + TTS {provider_ms:.0f} ms) = "
        f"{learners.latency('turn', 50) / provider_ms:.3f}",
        *(
            [
                f"- GET /api/lessons: {reads['GET /api/lessons'].rate('GET /api/lessons'):.0f} "
                f"req/s; GET /api/user/profile: "
                f"{reads['GET /api/user/profile'].rate('GET /api/user/profile'):.0f} req/s "
                f"({args.readers} locust readers; make bench-reads measures reads with wrk)"
            ]
            if reads
            else []
        ),
        f"- errors: {len(errors)} (target: 0)" + (f"; first: {errors[0]}" if errors else ""),
    ]
    setup = (
        f"gunicorn gthread ({args.workers} workers × {args.threads} threads) on PostgreSQL, locust "
        f"headless on the same machine; fake Hugging Face at LLM {args.llm_ms:.0f} ms, "
        f"TTS {args.tts_ms:.0f} ms. Each learner: start a session, 5 text turns (each followed "
        f"by fetching the reply audio), list the "
        f"vocabulary, fetch progress, again, with no think time. {args.users} learners for "
        f"{args.seconds:.0f} s (first {', '.join(map(str, sweep)) or 'no'} learners for "
        f"{args.sweep_seconds:.0f} s each); then {args.readers} readers per read endpoint for "
        f"{args.read_seconds:.0f} s.\n\n"
        f"    make bench-load                                  # this run\n"
        f"    make bench-load BENCH_ARGS='--workers 2 --threads 16 --users 32'"
    )
    path = write_results(
        "Throughput (make bench-load)",
        f"{setup}\n\n{sweep_table}\n\n{args.users} learners for {args.seconds:.0f} s:\n\n"
        f"{table}\n\n" + "\n".join(lines),
        database_url=database_url,
    )
    print()
    print(table)
    print(f"\nwritten to {path.relative_to(path.parent.parent)}")
    print("\n".join(lines))
    return 1 if errors else 0


def _holds(level, provider_ms: float) -> bool:
    return (
        not level.errors
        and level.count("turn") > 0
        and level.latency("turn", 50) <= GOAL_RATIO * provider_ms
    )


if __name__ == "__main__":
    run_main(main)
