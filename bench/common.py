"""What every benchmark needs: a bench PostgreSQL database, the environment of an
app server pointed at the fake Hugging Face, gunicorn started and stopped cleanly,
learners signed up through the API, turns timed, and results written into
bench/RESULTS.md with the machine and date.

No Django import here: the app runs in its own processes (gunicorn, manage.py)."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import io
import math
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import wave
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
RESULTS = BENCH_DIR / "RESULTS.md"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
DEFAULT_DATABASE_URL = "postgres://macca:macca@127.0.0.1:5432/macca_bench"
PASSWORD = "bench-Passw0rd-macca!"
GENEROUS_RATE = "1000000/min"
BENCH_SECRET_KEY = "bench-" + "k3y-not-for-production-" * 3  # ≥ 50 chars, not django-insecure

POSTGRES_HELP = (
    "PostgreSQL is not reachable at {where} ({error}).\n"
    "The benchmarks need PostgreSQL (see ../shared/RECIPES.md, 'PostgreSQL and Redis'):\n"
    "  pg_isready -h 127.0.0.1 -p 5432\n"
    "  pg_ctlcluster $(ls /etc/postgresql | head -1) main start\n"
    "  runuser -u postgres -- psql -c \"CREATE ROLE macca LOGIN CREATEDB PASSWORD 'macca'\"\n"
    "or point BENCH_DATABASE_URL at a database of a role that may create databases."
)


class BenchError(RuntimeError):
    """A benchmark cannot run; the message says why and what to do."""


# --- Clean exits ------------------------------------------------------------------------

_children: set[subprocess.Popen] = set()
_children_lock = threading.Lock()


def _stop_children() -> None:
    with _children_lock:
        children = list(_children)
    for process in children:
        _terminate(process)


def _terminate(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """SIGTERM the process group we started, then SIGKILL if it lingers."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    with _children_lock:
        _children.discard(process)


def _raise_keyboard_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def install_signal_handlers() -> None:
    """SIGTERM and SIGHUP unwind like Ctrl-C, so every `with` block stops its servers;
    anything still running at exit is stopped too."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_keyboard_interrupt)


atexit.register(_stop_children)


def run_main(main) -> None:
    """Run a benchmark's main(): clean exit codes and messages for Ctrl-C and BenchError."""
    install_signal_handlers()
    try:
        code = main()
    except KeyboardInterrupt:
        print("\ninterrupted: servers stopped", file=sys.stderr)
        code = 130
    except BenchError as exc:
        print(f"\nbenchmark failed: {exc}", file=sys.stderr)
        code = 2
    finally:
        _stop_children()
    sys.exit(code or 0)


# --- Database ---------------------------------------------------------------------------


def bench_database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL


def _conninfo(url: str, dbname: str | None = None) -> str:
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        parts = parts._replace(scheme="postgresql")
    if dbname is not None:
        parts = parts._replace(path=f"/{dbname}")
    return urlunsplit(parts)


def _connect(url: str, dbname: str | None = None):
    import psycopg

    try:
        return psycopg.connect(_conninfo(url, dbname), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        parts = urlsplit(url)
        where = f"{parts.hostname}:{parts.port or 5432}"
        error = " ".join(str(exc).split())[:300]
        raise BenchError(POSTGRES_HELP.format(where=where, error=error)) from None


def postgres_version(url: str | None = None) -> str:
    try:
        with _connect(url or bench_database_url()) as conn:
            return str(conn.execute("SHOW server_version").fetchone()[0]).split()[0]
    except Exception:  # only for the stamp: never fail a run on it
        return "unknown"


def prepare_database(url: str | None = None, *, verbose: bool = True) -> str:
    """Create the bench database if missing, migrate, seed the lessons and empty every
    learner's data (users, sessions, turns, words, tokens, speech cache), so runs repeat."""
    url = url or bench_database_url()
    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name or ""):
        raise BenchError(f"bench database name {name!r} should be letters, digits and _")
    with _connect(url, "postgres") as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            if verbose:
                print(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')
    env = app_env(DATABASE_URL=url)
    manage("migrate", "--noinput", "--verbosity", "0", env=env)
    manage("seed_lessons", env=env)
    with _connect(url) as conn:
        conn.execute(
            "TRUNCATE tutor_user, tutor_speechclip, django_session RESTART IDENTITY CASCADE"
        )
    return url


def clear_redis(url: str = "redis://127.0.0.1:6379/0") -> None:
    """Empty the Redis database the app servers share (throttle counters, breaker state)."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).flushdb()
    except redis.RedisError as exc:
        raise BenchError(
            f"Redis is not reachable at {url} ({exc}). Start it (../shared/RECIPES.md): "
            "redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no"
        ) from None


# --- The app's environment and processes ---------------------------------------------------

_media_root: str | None = None


def media_root() -> str:
    """A temporary media folder for this run (removed at exit)."""
    global _media_root
    if _media_root is None:
        _media_root = tempfile.mkdtemp(prefix="macca-bench-media-")
        atexit.register(shutil.rmtree, _media_root, True)
    return _media_root


def app_env(**overrides) -> dict[str, str]:
    """The environment of an app process: PostgreSQL, Hugging Face mode against
    HF_API_BASE_URL (pass the fake's URL), production-like settings over plain HTTP,
    throttles that never stop a bench learner, no retries. An override of None
    removes that variable (e.g. REDIS_URL=None)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HF_", "THROTTLE_", "SECURE_", "DJANGO_", "MEDIA_"))
        and key not in ("DATABASE_URL", "REDIS_URL", "DEBUG")
    }
    env.update(
        {
            "ENV_FILE": str(BENCH_DIR / "no-such.env"),  # a developer's .env must not leak in
            "DJANGO_SETTINGS_MODULE": "macca.settings",
            "DATABASE_URL": bench_database_url(),
            "USE_MOCK_AI": "false",
            "HF_API_KEY": "bench-key",
            "HF_API_BASE_URL": "http://127.0.0.1:9",  # closed: pass the fake server's URL
            "HF_MAX_RETRIES": "0",
            "DEBUG": "false",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "THROTTLE_ANON_RATE": GENEROUS_RATE,
            "THROTTLE_USER_RATE": GENEROUS_RATE,
            "THROTTLE_TURN_RATE": GENEROUS_RATE,
            "THROTTLE_LOGIN_RATE": GENEROUS_RATE,
            "THROTTLE_SIGNUP_RATE": GENEROUS_RATE,
            "MEDIA_ROOT": media_root(),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return env


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    """`python manage.py <args>` in the project with `env`; output captured."""
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if check and result.returncode != 0:
        raise BenchError(
            f"manage.py {' '.join(args[:2])} failed ({result.returncode}):\n"
            f"{result.stderr.strip()[-2000:]}"
        )
    return result


def django_shell(code: str, *, env: dict[str, str]) -> str:
    """Run Python `code` in `manage.py shell -c` (the ORM, bulk_create…); its stdout."""
    return manage("shell", "--no-imports", "-c", code, env=env).stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Started:
    """`with Server(...) as server:` for a process started by `start()`: stopped on
    exit, and when starting it fails half-way."""

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


class Gunicorn(_Started):
    """`with Gunicorn(port, env) as server:` — gunicorn gthread serving macca.wsgi on
    127.0.0.1:port (a free one when port is None), ready once /api/health/ready answers
    200; stopped (SIGTERM, then SIGKILL) on exit, Ctrl-C or error."""

    def __init__(
        self,
        port: int | None,
        env: dict[str, str],
        workers: int = 2,
        threads: int = 8,
        *,
        ready_timeout: float = 60.0,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.port = port or free_port()
        self.env = env
        self.workers = workers
        self.threads = threads
        self.ready_timeout = ready_timeout
        self.extra_args = tuple(extra_args)
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in stop())
            prefix=f"macca-bench-gunicorn-{self.port}-", suffix=".log", delete=False
        )
        self.log_path = Path(self._log.name)

    def start(self) -> Gunicorn:
        command = [
            str(GUNICORN),
            "macca.wsgi",
            "--worker-class",
            "gthread",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
            *self.extra_args,
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole, by us
        )
        with _children_lock:
            _children.add(self.process)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(
                    f"gunicorn exited ({self.process.returncode}) before it was ready:\n"
                    f"{self.log_tail()}"
                )
            try:
                response = requests.get(f"{self.url}/api/health/ready", timeout=2)
                if response.status_code == 200:
                    return
                last = f"HTTP {response.status_code}: {response.text[:300]}"
            except requests.RequestException as exc:
                last = type(exc).__name__
            time.sleep(0.2)
        self.stop()
        raise BenchError(
            f"gunicorn on {self.url} not ready after {self.ready_timeout:.0f}s ({last}):\n"
            f"{self.log_tail()}"
        )

    def log_tail(self, chars: int = 3000) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-chars:]
        return ""

    def stop(self) -> None:
        if self.process is not None:
            _terminate(self.process)
            self.process = None
        self._log.close()

    def __exit__(self, *exc) -> None:
        super().__exit__(*exc)
        with contextlib.suppress(OSError):
            self.log_path.unlink()


class S3Server(_Started):
    """`with S3Server() as s3:` — moto's standalone S3 server (moto[s3] and flask, from
    requirements-dev.txt) in a child process on 127.0.0.1 and a free port, with one
    empty bucket; `s3.app_env()` is the MEDIA_* environment that puts an app server's
    media in it, and `s3.names()` lists what is there. Stopped on exit, Ctrl-C or error."""

    ACCESS_KEY, SECRET_KEY, REGION = "bench-key", "bench-secret", "us-east-1"

    def __init__(self, bucket: str = "macca-bench-media", *, ready_timeout: float = 30.0):
        self.bucket = bucket
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ready_timeout = ready_timeout
        self.process: subprocess.Popen | None = None
        self.client = None

    def app_env(self) -> dict[str, str]:
        return {
            "MEDIA_STORAGE": "s3",
            "MEDIA_S3_BUCKET": self.bucket,
            "MEDIA_S3_ENDPOINT_URL": self.url,
            "MEDIA_S3_REGION": self.REGION,
            "MEDIA_S3_ACCESS_KEY_ID": self.ACCESS_KEY,
            "MEDIA_S3_SECRET_ACCESS_KEY": self.SECRET_KEY,
            "MEDIA_S3_ADDRESSING_STYLE": "path",
        }

    def names(self, prefix: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def start(self) -> S3Server:
        import boto3
        import botocore.exceptions

        self.process = subprocess.Popen(
            [str(PYTHON), "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # one log line per request
            start_new_session=True,
        )
        with _children_lock:
            _children.add(self.process)
        self.client = boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=self.REGION,
            aws_access_key_id=self.ACCESS_KEY,
            aws_secret_access_key=self.SECRET_KEY,
        )
        deadline = time.monotonic() + self.ready_timeout
        while True:
            if self.process.poll() is not None:
                raise BenchError(
                    f"moto's S3 server exited ({self.process.returncode}): is moto[s3] "
                    "installed (requirements-dev.txt)?"
                )
            try:
                self.client.create_bucket(Bucket=self.bucket)
                return self
            except botocore.exceptions.EndpointConnectionError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise BenchError(f"moto's S3 server not ready on {self.url}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            _terminate(self.process)
            self.process = None


# --- Figures ------------------------------------------------------------------------------


def percentile(values, p: float) -> float:
    """The p-th percentile (0..100), linear between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def machine_description(database_url: str | None = None) -> str:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f", {kb / 1024 / 1024:.1f} GB RAM"
    return (
        f"{os.cpu_count()} CPU ({model}){memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; PostgreSQL {postgres_version(database_url)}"
    )


def write_results(
    section_title: str, markdown_body: str, *, database_url: str | None = None
) -> Path:
    """Replace the `## section_title` section of bench/RESULTS.md (the others stay),
    stamped with the date and the machine."""
    stamp = (
        f"_Run {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on "
        f"{machine_description(database_url)}._"
    )
    section = f"## {section_title}\n\n{stamp}\n\n{markdown_body.strip()}\n"
    text = RESULTS.read_text() if RESULTS.exists() else ""
    if not text.strip():
        text = (
            "# Benchmark results\n\n"
            "Written by `make bench-turn`, `make bench-load`, `make bench-scale` and "
            "`make bench-speech` (bench/); each run replaces its own section.\n"
        )
    pattern = re.compile(rf"^## {re.escape(section_title)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text.rstrip("\n") + "\n")
    return RESULTS


def markdown_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


# --- Talking to the API --------------------------------------------------------------------


def wav_bytes(seconds: float = 1.0, rate: int = 16000) -> bytes:
    """A real small recording: 16-bit mono WAV, a quiet tone (what /turn/audio accepts)."""
    frames = int(seconds * rate)
    samples = (int(3000 * math.sin(2 * math.pi * 220 * n / rate)) for n in range(frames))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(int(s).to_bytes(2, "little", signed=True) for s in samples))
    return buffer.getvalue()


class ApiError(BenchError):
    def __init__(self, response: requests.Response):
        self.response = response
        super().__init__(
            f"{response.request.method} {response.url} → HTTP {response.status_code}: "
            f"{response.text[:500]}"
        )


class Learner:
    """A learner signed up through the API, with a keep-alive session carrying the token."""

    def __init__(self, base_url: str, token: str, email: str, user: dict) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.email = email
        self.user = user
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, *, expect=(200, 201), **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 120)
        response = self.http.request(method, f"{self.base_url}{path}", **kwargs)
        if expect and response.status_code not in expect:
            raise ApiError(response)
        return response

    def start_session(self, mode: str = "live", topic: str = "my weekend") -> dict:
        return self.request(
            "POST", "/api/session/start", json={"mode": mode, "topic": topic}
        ).json()

    def text_turn(
        self, text: str, *, session_id: str | None = None, mode: str = "live"
    ) -> tuple[float, dict]:
        """(seconds the request took, the turn's JSON)."""
        body = {"user_text": text, "mode": mode}
        if session_id:
            body["session_id"] = str(session_id)
        started = time.perf_counter()
        response = self.request("POST", "/api/session/turn", json=body)
        return time.perf_counter() - started, response.json()

    def audio_turn(
        self,
        audio: bytes,
        *,
        session_id: str | None = None,
        mode: str = "live",
        filename: str = "turn.wav",
        content_type: str = "audio/wav",
    ) -> tuple[float, dict]:
        """(seconds the request took, the turn's JSON); multipart to /api/session/turn/audio."""
        data = {"mode": mode}
        if session_id:
            data["session_id"] = str(session_id)
        started = time.perf_counter()
        response = self.request(
            "POST",
            "/api/session/turn/audio",
            data=data,
            files={"audio": (filename, audio, content_type)},
        )
        return time.perf_counter() - started, response.json()

    def close(self) -> None:
        self.http.close()


def signup(base_url: str, *, email: str | None = None, name: str = "Bench Learner") -> Learner:
    """A new learner through POST /api/auth/signup (a unique email unless given)."""
    email = email or f"bench-{uuid.uuid4().hex[:12]}@example.com"
    response = requests.post(
        f"{base_url.rstrip('/')}/api/auth/signup",
        json={"email": email, "password": PASSWORD, "name": name},
        timeout=60,
    )
    if response.status_code != 201:
        raise ApiError(response)
    body = response.json()
    return Learner(base_url, body["access_token"], email, body.get("user", {}))


def login(base_url: str, email: str) -> Learner:
    """A new token for a learner signed up with `signup` (the bench password)."""
    response = requests.post(
        f"{base_url.rstrip('/')}/api/auth/login",
        json={"email": email, "password": PASSWORD},
        timeout=60,
    )
    if response.status_code != 200:
        raise ApiError(response)
    body = response.json()
    return Learner(base_url, body["access_token"], email, body.get("user", {}))
