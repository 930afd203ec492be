"""Running locust headless against app servers, and reading its figures: what
bench/load.py and bench/scale.py share. The simulated learners are bench/locustfile.py."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import BENCH_DIR, ROOT, BenchError, percentile

LOCUST = ROOT / ".venv" / "bin" / "locust"


@dataclass
class Swarm:
    """What one locust run measured inside its window (all users signed up)."""

    users: int
    seconds: float
    requests: dict[str, list[float]] = field(default_factory=dict)  # name → ms of the OK ones
    errors: list[str] = field(default_factory=list)  # every failed request, whenever it was

    def count(self, name: str) -> int:
        return len(self.requests.get(name, []))

    def rate(self, name: str) -> float:
        return self.count(name) / self.seconds if self.seconds else 0.0

    def total_rate(self) -> float:
        return sum(len(ms) for ms in self.requests.values()) / self.seconds

    def latency(self, name: str, p: float) -> float:
        return percentile(self.requests.get(name, []), p)


def swarm(
    hosts: list[str], user_class: str, *, users: int, seconds: float, turns: int = 5
) -> Swarm:
    """`users` locust users of `user_class` against `hosts` (alternating per request)
    for a window of `seconds` once all have signed up."""
    with tempfile.TemporaryDirectory(prefix="macca-bench-locust-") as tmp:
        events_file = Path(tmp) / "events.json"
        env = {
            **os.environ,
            "BENCH_HOSTS": ",".join(hosts),
            "BENCH_USERS": str(users),
            "BENCH_SECONDS": str(seconds),
            "BENCH_EVENTS": str(events_file),
            "BENCH_TURNS": str(turns),
        }
        command = [
            str(LOCUST),
            "-f",
            str(BENCH_DIR / "locustfile.py"),
            "--headless",
            "--host",
            hosts[0],
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users)),
            "--run-time",
            f"{int(seconds + 120)}s",  # a safety cap: the locustfile ends the window itself
            "--stop-timeout",
            "30",
            "--only-summary",
            "--loglevel",
            "WARNING",
            user_class,
        ]
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if not events_file.exists():
            raise BenchError(
                f"locust wrote no figures (exit {result.returncode}):\n{result.stderr[-3000:]}"
            )
        data = json.loads(events_file.read_text())
    if data["window_start"] is None:
        raise BenchError(
            f"only {data['users_ready']} of {users} users signed up; locust said:\n"
            f"{result.stderr[-2000:]}"
        )
    start, end = data["window_start"], data["window_end"]
    measured = Swarm(users=users, seconds=end - start)
    for ended, name, ms, ok, error in data["events"]:
        if not ok:
            measured.errors.append(f"{name}: {error}")
        elif start <= ended <= end:
            measured.requests.setdefault(name, []).append(ms)
    return measured
