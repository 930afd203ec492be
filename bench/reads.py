"""make bench-reads: the plain read endpoints under wrk, side by side with the first backend.

gunicorn (gthread) serves the app on PostgreSQL and Redis with DEBUG off and the demo
lessons seeded; the throttles are on, at rates no bench client reaches. wrk (C, keep-alive,
--latency) hammers each read for a fixed window at 4 and 16 connections:

- GET /api/lessons, anonymous and with a learner's Bearer token
- GET /api/user/profile (token)
- GET /api/user/vocabulary (token; a learner with 20 words, and one with 10,000: the
  first page)

Each endpoint is warmed up first; then three rounds, each running every endpoint at each
connection count once, so slow spells on this shared machine spread over all of them.
Reported: the median req/s, p50 and p99 of the rounds, errors summed (non-2xx/3xx answers,
socket errors, timeouts past wrk's 2 s), the gunicorn processes' CPU time per request, and
the first backend's req/s from issue 16 with Macca's ratio to it. wrk runs on this machine
too, as do PostgreSQL and Redis, so they all share its cores: how busy the machine was and
how evenly the workers shared the work are reported with the figures.

    python bench/reads.py [--duration 10] [--warmup 2] [--rounds 3] [--quick]
                          [--workers 2] [--threads 8] [--reuse-port]
                          [--no-server-cpu] [--no-big-vocabulary] [--database-url URL]

The table goes to stdout and, except with --quick, into bench/RESULTS.md."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    GENEROUS_RATE,
    BenchError,
    Gunicorn,
    app_env,
    bench_database_url,
    clear_redis,
    django_shell,
    markdown_table,
    prepare_database,
    run_main,
    signup,
    write_results,
)

# The server under test, in one place (also --workers / --threads).
WORKERS, THREADS = 2, 8
# Extra gunicorn arguments (README's command has none). With keep-alive clients, which
# worker serves a connection is fixed when it is accepted, and one worker often accepts
# most of them; --reuse-port (option below) lets the kernel spread the accepts.
GUNICORN_ARGS: tuple[str, ...] = ()
CONNECTIONS = (4, 16)
WRK_THREADS = 2
WRK_TIMEOUT = "2s"  # wrk's default, said out loud: a slower answer counts as an error
REDIS_URL = "redis://127.0.0.1:6379/13"  # its own Redis database, emptied at the start
DATABASE_NAME = "macca_bench_reads"  # its own PostgreSQL database, next to macca_bench
SMALL_WORDS, LARGE_WORDS = 20, 10_000

# Issue 16's measurements of the first backend (FastAPI, one uvicorn process, PostgreSQL,
# this machine, wrk, medians of three rounds): req/s at 4 and 16 connections. The issue
# does not say whether its lessons requests carried a token: both lessons rows use it.
FIRST_BACKEND = {
    "lessons": {4: 2637, 16: 3100},
    "profile": {4: 430, 16: 311},
    "vocabulary": {4: 292, 16: 165},
}

# done() only: wrk's request path stays its own C one. One JSON line with exact figures.
WRK_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "MACCA_WRK {\"requests\": %.0f, \"duration_us\": %.0f, \"bytes\": %.0f, " ..
    "\"connect\": %.0f, \"read\": %.0f, \"write\": %.0f, \"status\": %.0f, " ..
    "\"timeout\": %.0f, \"p50_us\": %.0f, \"p90_us\": %.0f, \"p99_us\": %.0f, " ..
    "\"max_us\": %.0f}\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
"""

WRK_HELP = (
    "wrk is not installed. Install it (Debian/Ubuntu: apt-get install wrk; macOS: brew "
    "install wrk; or build https://github.com/wg/wrk), or run make bench-reads as root on "
    "Debian, which installs it."
)

FILL_WORDS = """
from tutor.models import User, VocabularyItem
learner = User.objects.get(email={email!r})
VocabularyItem.objects.bulk_create(
    [VocabularyItem(learner=learner, word=f"word{{n:05d}}", translation=f"kata {{n}}",
                    example=f"An example with word{{n:05d}}.")
     for n in range({words})], batch_size=2000)
print(learner.vocabulary.count())
"""


# wrk's error counts, by what the report calls them.
ERROR_KINDS = {
    "status": "non-2xx/3xx",
    "connect": "connect",
    "read": "read",
    "write": "write",
    "timeout": "timeout",
}


@dataclass(frozen=True)
class Endpoint:
    key: str  # a key of FIRST_BACKEND, or ""
    label: str
    path: str
    token: str | None = None
    expect_items: int | None = None  # a list body of this length


@dataclass
class Run:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    cpu_ms: float | None  # gunicorn CPU time spent during the run
    busiest_worker_ms: float | None  # the share of it the busiest process spent
    bytes: int = 0
    machine_busy: float | None = None  # cores busy on the whole machine during the run
    error_kinds: dict[str, int] = field(default_factory=dict)  # non-zero counts only

    @property
    def server_cores(self) -> float | None:
        return None if self.cpu_ms is None else self.cpu_ms / 1000 / self.seconds

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def busiest_worker_cores(self) -> float | None:
        if self.busiest_worker_ms is None:
            return None
        return self.busiest_worker_ms / 1000 / self.seconds

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.cpu_ms is None or not self.requests:
            return None
        return self.cpu_ms / self.requests


@dataclass
class Cell:
    endpoint: Endpoint
    connections: int
    runs: list[Run] = field(default_factory=list)

    def median(self, attribute: str) -> float | None:
        values = [getattr(run, attribute) for run in self.runs]
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    @property
    def errors(self) -> int:
        return sum(run.errors for run in self.runs)

    def errors_text(self) -> str:
        kinds: dict[str, int] = {}
        for run in self.runs:
            for name, count in run.error_kinds.items():
                kinds[name] = kinds.get(name, 0) + count
        if not kinds:
            return str(self.errors)
        return f"{self.errors} (" + ", ".join(f"{n} {c}" for n, c in kinds.items()) + ")"


# --- wrk ---------------------------------------------------------------------------------


def ensure_wrk() -> str:
    """wrk's path; installed with apt-get when missing and running as root on Debian."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (apt-get)…", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
            result = subprocess.run(command, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise BenchError(f"{' '.join(command)} failed:\n{result.stderr[-1500:]}")
        found = shutil.which("wrk")
        if found:
            return found
    raise BenchError(WRK_HELP)


def run_wrk(
    wrk: str, lua: Path, url: str, endpoint: Endpoint, connections: int, seconds: float, sample
) -> Run:
    command = [
        wrk,
        "--latency",
        f"-t{min(WRK_THREADS, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        WRK_TIMEOUT,
        "-s",
        str(lua),
    ]
    if endpoint.token:
        command += ["-H", f"Authorization: Bearer {endpoint.token}"]
    command.append(url + endpoint.path)
    before, busy_before = sample(), machine_busy_seconds()
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    elapsed = time.monotonic() - started
    after, busy_after = sample(), machine_busy_seconds()
    line = next(
        (x for x in result.stdout.splitlines() if x.startswith("MACCA_WRK ")),
        None,
    )
    if result.returncode != 0 or line is None:
        raise BenchError(
            f"wrk failed ({result.returncode}) on {endpoint.label}:\n"
            f"{result.stdout[-1500:]}\n{result.stderr[-1500:]}"
        )
    figures = json.loads(line.removeprefix("MACCA_WRK "))
    spent = (
        {pid: after[pid] - before[pid] for pid in after if pid in before}
        if before and after
        else None
    )
    kinds = {name: int(figures[key]) for key, name in ERROR_KINDS.items() if int(figures[key])}
    errors = sum(kinds.values())
    return Run(
        requests=int(figures["requests"]),
        seconds=figures["duration_us"] / 1e6,
        errors=errors,
        error_kinds=kinds,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        cpu_ms=None if not spent else sum(spent.values()) * 1000,
        busiest_worker_ms=None if not spent else max(spent.values()) * 1000,
        bytes=int(figures["bytes"]),
        machine_busy=None
        if busy_before is None or busy_after is None
        else (busy_after - busy_before) / elapsed,
    )


# --- The server's CPU time -------------------------------------------------------------------


def machine_busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent not idle (all cores, /proc/stat), or None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except (OSError, IndexError):
        return None
    ticks = [int(x) for x in fields[:8]]  # user nice system idle iowait irq softirq steal
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def cpu_sampler(server: Gunicorn, enabled: bool):
    """A function giving the CPU seconds (user + system, /proc) used so far by each of
    gunicorn's processes (master and workers) by pid, or None when disabled or unreadable."""
    ticks = os.sysconf("SC_CLK_TCK")

    def sample() -> dict[int, float] | None:
        if not enabled or server.process is None:
            return None
        master = server.process.pid
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        except OSError:
            return None
        seconds = {}
        for pid in [master, *map(int, children)]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # a worker that just exited
                continue
            seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
        return seconds

    return sample


# --- Preparing the data ------------------------------------------------------------------


def reads_database_url(url: str | None) -> str:
    if url:
        return url
    parts = urlsplit(bench_database_url())
    return urlunsplit(parts._replace(path=f"/{DATABASE_NAME}"))


def prepare_learners(server: Gunicorn, env: dict[str, str], big: bool) -> dict[str, object]:
    small = signup(server.url, name="Reads Learner")
    for n in range(SMALL_WORDS):
        small.request(
            "POST",
            "/api/user/vocabulary",
            json={
                "word": f"reading{n:02d}",
                "translation": f"membaca {n}",
                "example": f"I keep reading{n:02d} every day.",
            },
        )
    prepared = {"small": small, "large": None, "fill_seconds": None}
    if big:
        large = signup(server.url, name="Reads Learner 10k")
        started = time.perf_counter()
        count = django_shell(FILL_WORDS.format(email=large.email, words=LARGE_WORDS), env=env)
        prepared["fill_seconds"] = time.perf_counter() - started
        if int(count.strip().splitlines()[-1]) != LARGE_WORDS:
            raise BenchError(f"the 10,000-word learner has {count.strip()} words")
        prepared["large"] = large
    return prepared


def check_endpoints(url: str, endpoints: list[Endpoint]) -> dict[str, int]:
    """Each endpoint answers 200 with the body expected, before any is measured; the body
    sizes in bytes."""
    sizes = {}
    for endpoint in endpoints:
        headers = {"Authorization": f"Bearer {endpoint.token}"} if endpoint.token else {}
        response = requests.get(url + endpoint.path, headers=headers, timeout=30)
        if response.status_code != 200:
            raise BenchError(
                f"{endpoint.label} answered {response.status_code}: {response.text[:300]}"
            )
        body = response.json()
        if endpoint.expect_items is not None and len(body) != endpoint.expect_items:
            raise BenchError(
                f"{endpoint.label} answered {len(body)} items, not {endpoint.expect_items}"
            )
        sizes[endpoint.label] = len(response.content)
    return sizes


# --- Reporting ---------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def report_rows(cells: list[Cell]) -> list[list[str]]:
    rows = []
    for cell in cells:
        rate = cell.median("rate")
        first = FIRST_BACKEND.get(cell.endpoint.key, {}).get(cell.connections)
        rows.append(
            [
                cell.endpoint.label,
                str(cell.connections),
                fmt(rate),
                fmt(cell.median("p50_ms"), 1),
                fmt(cell.median("p99_ms"), 1),
                cell.errors_text(),
                fmt(cell.median("cpu_ms_per_request"), 2),
                fmt(first),
                fmt(rate / first, 2) if first and rate is not None else "—",
            ]
        )
    return rows


HEADERS = [
    "endpoint",
    "conns",
    "req/s",
    "p50 ms",
    "p99 ms",
    "errors",
    "server CPU ms/req",
    "first backend req/s",
    "Macca / first",
]


def goal_lines(cells: list[Cell]) -> list[str]:
    """Issue 16's read goals, each met or NOT met, with what gunicorn's CPU time per
    request allows on this machine (a figure less swayed by others' work than req/s)."""
    cores = os.cpu_count() or 1
    goals = (
        ("GET /api/lessons (anonymous)", 1000, True),
        ("GET /api/lessons (token)", 1000, True),
        ("GET /api/user/profile", 500, False),
    )
    lines = []
    for label, target, no_errors in goals:
        c = next(
            (c for c in cells if c.endpoint.label == label and c.connections == 16),
            None,
        )
        if c is None:
            continue
        rate = c.median("rate") or 0
        met = rate >= target and (c.errors == 0 or not no_errors)
        line = (
            f"- {label} ≥ {target:,} req/s at 16 connections"
            f"{' with 0 errors' if no_errors else ''}: {'met' if met else 'NOT met'} "
            f"({rate:,.0f} req/s, {c.errors} errors)"
        )
        cpu = c.median("cpu_ms_per_request")
        if cpu:
            line += (
                f"; at {cpu:.2f} ms of gunicorn CPU per request, {cores} free cores would "
                f"serve at most {cores * 1000 / cpu:,.0f} req/s: the goal needs ≤ "
                f"{cores * 1000 / target:.1f} ms (less, as PostgreSQL, Redis and wrk share them)"
            )
        lines.append(line)
    return lines


def busy_line(cells: list[Cell], workers: int) -> str:
    runs = [run for cell in cells for run in cell.runs]
    machine = [r.machine_busy for r in runs if r.machine_busy is not None]
    server = [r.server_cores for r in runs if r.server_cores is not None]
    if not machine:
        return ""
    text = (
        f"During the runs the machine's {os.cpu_count()} cores were busy "
        f"{statistics.median(machine):.2f} cores' worth (median of the runs)"
    )
    if server:
        text += f", gunicorn {statistics.median(server):.2f} of it"
    text += (
        "; the rest is PostgreSQL, Redis, wrk and anything else running on the machine "
        "(it was shared with other work)."
    )
    shares = [
        r.busiest_worker_ms / r.cpu_ms
        for cell in cells
        if cell.connections == max(CONNECTIONS)
        for r in cell.runs
        if r.cpu_ms and r.busiest_worker_ms is not None
    ]
    if shares:
        text += (
            f" At {max(CONNECTIONS)} connections the busiest gunicorn process did "
            f"{statistics.median(shares):.0%} of gunicorn's work (median of the runs; "
            f"{min(shares):.0%}–{max(shares):.0%}; {1 / workers:.0%} would be an even "
            f"spread over the {workers} workers): a keep-alive connection stays on the worker "
            f"that accepted it, and one worker often accepts most of them."
        )
    return text


# --- Main ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per run (10)")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up seconds per endpoint")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (3)")
    parser.add_argument("--workers", type=int, default=WORKERS, help=f"gunicorn ({WORKERS})")
    parser.add_argument("--threads", type=int, default=THREADS, help=f"per worker ({THREADS})")
    parser.add_argument(
        "--reuse-port",
        action="store_true",
        help="gunicorn --reuse-port: the kernel spreads connections over the workers",
    )
    parser.add_argument(
        "--server-cpu",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="sample gunicorn's CPU time around each run (default on)",
    )
    parser.add_argument(
        "--big-vocabulary",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"also a learner with {LARGE_WORDS:,} words (first page; default on)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 1 round of 2 s, 1 s warm-ups; prints only, RESULTS.md untouched",
    )
    parser.add_argument("--database-url", help=f"default: BENCH_DATABASE_URL's /{DATABASE_NAME}")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.warmup, args.rounds = 2, 1, 1

    wrk = ensure_wrk()
    print("preparing the bench database (PostgreSQL) and Redis…", flush=True)
    database_url = prepare_database(reads_database_url(args.database_url))
    clear_redis(REDIS_URL)
    # No local models loading in the background while reads are timed: a read never uses
    # them, and their loading would be counted as the first runs' CPU.
    env = app_env(DATABASE_URL=database_url, REDIS_URL=REDIS_URL, LOCAL_WARM_UP=False)

    with tempfile.TemporaryDirectory(prefix="macca-bench-reads-") as tmp:
        lua = Path(tmp) / "report.lua"
        lua.write_text(WRK_LUA)
        gunicorn_args = GUNICORN_ARGS + (("--reuse-port",) if args.reuse_port else ())
        with Gunicorn(
            None, env, workers=args.workers, threads=args.threads, extra_args=gunicorn_args
        ) as server:
            print(
                f"gunicorn on {server.url} ({args.workers} workers × {args.threads} threads"
                f"{' ' + ' '.join(gunicorn_args) if gunicorn_args else ''})"
            )
            prepared = prepare_learners(server, env, args.big_vocabulary)
            small, large = prepared["small"], prepared["large"]
            endpoints = [
                Endpoint("lessons", "GET /api/lessons (anonymous)", "/api/lessons"),
                Endpoint("lessons", "GET /api/lessons (token)", "/api/lessons", small.token),
                Endpoint("profile", "GET /api/user/profile", "/api/user/profile", small.token),
                Endpoint(
                    "vocabulary",
                    f"GET /api/user/vocabulary ({SMALL_WORDS} words)",
                    "/api/user/vocabulary",
                    small.token,
                    expect_items=SMALL_WORDS,
                ),
            ]
            if large is not None:
                print(
                    f"{LARGE_WORDS:,} words inserted in {prepared['fill_seconds']:.1f} s "
                    "(bulk_create in manage.py shell)"
                )
                endpoints.append(
                    Endpoint(
                        "",
                        f"GET /api/user/vocabulary ({LARGE_WORDS:,} words, first page)",
                        "/api/user/vocabulary",
                        large.token,
                        expect_items=100,
                    )
                )
            sizes = check_endpoints(server.url, endpoints)
            sample = cpu_sampler(server, args.server_cpu)

            for endpoint in endpoints:
                print(f"warming up {endpoint.label} ({args.warmup:.0f} s)…", flush=True)
                run_wrk(wrk, lua, server.url, endpoint, max(CONNECTIONS), args.warmup, sample)

            cells = [Cell(e, c) for e in endpoints for c in CONNECTIONS]
            for round_number in range(1, args.rounds + 1):
                for cell in cells:
                    run = run_wrk(
                        wrk, lua, server.url, cell.endpoint, cell.connections, args.duration, sample
                    )
                    cell.runs.append(run)
                    print(
                        f"round {round_number}: {cell.endpoint.label} ×{cell.connections}: "
                        f"{run.rate:,.0f} req/s, p50 {run.p50_ms:.1f} ms, p99 "
                        f"{run.p99_ms:.1f} ms, {run.errors} errors"
                        f"{' ' + str(run.error_kinds) if run.error_kinds else ''}, "
                        f"CPU {fmt(run.cpu_ms_per_request, 2)} ms/req; cores busy: "
                        f"gunicorn {fmt(run.server_cores, 2)} (busiest process "
                        f"{fmt(run.busiest_worker_cores, 2)}), machine "
                        f"{fmt(run.machine_busy, 2)} of {os.cpu_count()}",
                        flush=True,
                    )
            log_tail = server.log_tail(1500).strip()
            small.close()
            if large is not None:
                large.close()

    table = markdown_table(HEADERS, report_rows(cells))
    goals = goal_lines(cells)
    errors = sum(cell.errors for cell in cells)
    command = "make bench-reads" + (
        f' BENCH_ARGS="{" ".join(sys.argv[1:])}"' if len(sys.argv) > 1 else ""
    )
    body_sizes = "; ".join(f"{label} {size / 1024:.1f} KB" for label, size in sizes.items())
    setup = (
        f"    {command}\n\n"
        f"gunicorn gthread, {args.workers} workers × {args.threads} threads"
        f"{' ' + ' '.join(gunicorn_args) if gunicorn_args else ''} "
        f"(`WORKERS, THREADS` in bench/reads.py, or `--workers`/`--threads`), DEBUG off, on "
        f"PostgreSQL (database {DATABASE_NAME}) and Redis ({REDIS_URL}, emptied first), "
        f"demo lessons seeded (`manage.py seed_lessons`). The throttles are active, with "
        f"generous rates (THROTTLE_*_RATE={GENEROUS_RATE}, so one IP is never refused): "
        f"their work, the Redis round trips included, is in every figure. "
        f"wrk {WRK_THREADS} threads, keep-alive, `--latency`, timeout {WRK_TIMEOUT}, "
        f"on the same machine; a {args.warmup:.0f} s warm-up per endpoint, then "
        f"{args.rounds} interleaved rounds of {args.duration:.0f} s runs (every endpoint × "
        f"connections once per round); medians of the rounds, errors summed (non-2xx/3xx "
        f"answers, socket errors, timeouts). Server CPU: gunicorn's master and workers' "
        f"user + system time over each run divided by its requests (PostgreSQL, Redis and "
        f"wrk not included). Bodies: {body_sizes}. The first backend's req/s are issue "
        f"16's (FastAPI, one uvicorn process, on PostgreSQL, this machine; it does not say "
        f"whether its lessons requests carried a token). {busy_line(cells, args.workers)}"
    )
    print()
    print(table)
    print()
    print("\n".join(goals))
    print(busy_line(cells, args.workers))
    print(f"errors: {errors}")
    if errors and log_tail:
        print(f"gunicorn's log ends:\n{log_tail}")
    if args.quick:
        print("\n(--quick: bench/RESULTS.md left as it was)")
    else:
        path = write_results(
            "Reads (make bench-reads)",
            f"{setup}\n\n{table}\n\nGoals (issue 16):\n\n" + "\n".join(goals),
            database_url=database_url,
        )
        print(f"\nwritten to {path.relative_to(path.parent.parent)}")
    return 1 if errors else 0


if __name__ == "__main__":
    run_main(main)
