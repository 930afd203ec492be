"""The one way out to Hugging Face: a pooled session per provider with timeouts,
bounded retries, the circuit breaker, and one log line per failure (with the
status, the provider's message and the model id, never the key)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Collection
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from .breaker import NEEDS_A_PERSON, CircuitBreaker, clear_problem, record_problem

logger = logging.getLogger(__name__)

RETRY_STATUSES = (408, 429, 500, 502, 503, 504)
# A 504 is the router giving up on a long generation: asking again doubles the
# learner's wait and the cost. Speech calls are short, so they still retry one.
LLM_RETRY_STATUSES = (408, 429, 500, 502, 503)
MESSAGE_LIMIT = 200
MAX_REDIRECTS = 3


class BoundedRetry(Retry):
    """urllib3's Retry, bounded in total time as well as in count: a retry whose
    wait (Retry-After, HF's `RateLimit: ...;t=N`, or backoff) would end past the
    budget is not attempted, and the last response is returned instead."""

    def __init__(self, *args, budget: float = 15.0, deadline: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget = budget
        self.deadline = deadline

    def new(self, **kwargs) -> BoundedRetry:
        kwargs.setdefault("budget", self.budget)
        kwargs.setdefault("deadline", self.deadline or time.monotonic() + self.budget)
        return super().new(**kwargs)

    def get_retry_after(self, response) -> float | None:
        seconds = super().get_retry_after(response)
        if seconds is None:
            match = re.search(r"\bt=(\d+(?:\.\d+)?)", response.headers.get("RateLimit", ""))
            seconds = float(match.group(1)) if match else None
        return seconds

    def increment(
        self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None
    ) -> BoundedRetry:
        new = super().increment(method, url, response, error, _pool, _stacktrace)
        wait = new.get_retry_after(response) if response is not None else None
        wait = new.get_backoff_time() if wait is None else wait
        if time.monotonic() + wait > new.deadline:
            raise MaxRetryError(_pool, url, error or ResponseError("retry time budget spent"))
        return new


class _Session(requests.Session):
    """requests reads the proxy and CA settings from the environment on every call
    (hundreds of environment lookups, milliseconds a turn); here once per destination
    and set of options. A change to them is seen by a new process."""

    def __init__(self) -> None:
        super().__init__()
        self._environment: dict[tuple, dict] = {}

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        if proxies:  # given for this call: requests' own rules
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc, stream, verify, cert)
        settings = self._environment.get(key)
        if settings is None:
            settings = super().merge_environment_settings(url, proxies, stream, verify, cert)
            self._environment[key] = settings
        return dict(settings, proxies=dict(settings["proxies"]))


def make_session(
    *, retries: int, budget: float, statuses: Collection[int] = RETRY_STATUSES
) -> requests.Session:
    """Keep-alive connections (no TLS handshake per turn) with bounded retries.
    POST is retried: inference calls have no side effects worth protecting."""
    retry = BoundedRetry(
        total=retries,
        connect=retries,
        # A read timeout already cost the learner the full wait: never retried, and
        # raised as itself (requests.ReadTimeout), not as "max retries exceeded".
        read=False,
        status=retries,
        other=0,
        status_forcelist=statuses,
        allowed_methods=frozenset({"GET", "POST"}),
        backoff_factor=0.5,
        respect_retry_after_header=True,
        raise_on_status=False,
        budget=budget,
    )
    session = _Session()
    adapter = HTTPAdapter(max_retries=retry, pool_connections=4, pool_maxsize=32)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def provider_message(response: requests.Response) -> str:
    """The error text wherever this provider put it, truncated for the log."""
    message = response.headers.get("X-Error-Message", "")
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            error = error.get("message") or error
        elif isinstance(error, list):
            error = "; ".join(str(item) for item in error)
        errors = body.get("errors")
        if not error and isinstance(errors, list):
            error = "; ".join(
                str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors
            )
        message = str(
            error
            or body.get("error_description")
            or body.get("detail")
            or body.get("message")
            or message
        )
    elif not message:
        message = response.text
    message = " ".join(message.split())
    return message[:MESSAGE_LIMIT] + ("…" if len(message) > MESSAGE_LIMIT else "")


def is_error_body(response: requests.Response) -> bool:
    """Hugging Face sometimes reports errors with a 200 and a JSON `error` key."""
    if "json" not in response.headers.get("Content-Type", ""):
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and "error" in body


class HuggingFaceClient:
    """Posts to one Hugging Face model. Returns the response, or None after a
    failure it has logged (and counted towards the breaker)."""

    def __init__(
        self,
        *,
        task: str,
        model_id: str,
        url: str,
        api_key: str,
        connect_timeout: float,
        read_timeout: float,
        retries: int,
        retry_budget: float,
        breaker: CircuitBreaker,
        headers: dict[str, str] | None = None,
        media_hosts: tuple[str, ...] = (),
        retry_statuses: Collection[int] | None = None,
        credits_cooldown_seconds: float = 900.0,
    ) -> None:
        self.task = task
        self.model_id = model_id
        self.url = url
        self.timeout = (connect_timeout, read_timeout)
        self.breaker = breaker
        # Where get() may fetch a file the answer points to: the provider's media hosts
        # ("host", "host:port" or "*.domain") and the host this client posts to.
        self.media_hosts = (*media_hosts, urlsplit(url).netloc.lower())
        # How long the breaker stays open after an answer only a person can mend (402).
        self.credits_cooldown_seconds = credits_cooldown_seconds
        if retry_statuses is None:
            retry_statuses = LLM_RETRY_STATUSES if task == "llm" else RETRY_STATUSES
        self.session = make_session(retries=retries, budget=retry_budget, statuses=retry_statuses)
        self.session.headers.update(headers or {})
        if api_key:  # a self-hosted server may need no key at all
            self.session.headers["Authorization"] = f"Bearer {api_key}"

    def post(
        self, *, json: dict | None = None, data: bytes | None = None, content_type: str = ""
    ) -> requests.Response | None:
        headers = {"Content-Type": content_type} if content_type else {}
        return self._send("POST", self.url, json=json, data=data, headers=headers)

    def get(self, url: str) -> requests.Response | None:
        """Fetch a file the provider pointed to (a TTS result URL), only from its media
        hosts: a URL elsewhere, also at the end of a redirect, is a failure, never fetched."""
        for _ in range(MAX_REDIRECTS + 1):
            if not self.may_fetch(url):
                host = urlsplit(url).netloc or url[:80]
                return self._failed(
                    logging.ERROR, f"refused to fetch {host!r}: not a media host of this provider"
                )
            # No host, not even the provider's file server, receives our token.
            response = self._send(
                "GET", url, headers={"Authorization": None}, allow_redirects=False
            )
            if response is None or not response.is_redirect:
                return response
            url = urljoin(url, response.headers["Location"])
        return self._failed(logging.WARNING, f"more than {MAX_REDIRECTS} redirects")

    def may_fetch(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        netloc, host = parts.netloc.lower().rpartition("@")[2], parts.hostname.lower()
        for allowed in self.media_hosts:
            if allowed.startswith("*."):
                if host.endswith(allowed[1:]):
                    return True
            elif allowed in (netloc, host):
                return True
        return False

    def _send(self, method: str, url: str, **kwargs) -> requests.Response | None:
        reading = self.breaker.read(task=self.task if url == self.url else None)
        if reading.open:
            logger.info("%s %s: breaker open, using the fallback", self.task, self.model_id)
            return None
        started = time.monotonic()
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            return self._failed(
                logging.WARNING,
                f"timed out after {time.monotonic() - started:.1f}s ({type(exc).__name__})",
            )
        except requests.RequestException as exc:
            return self._failed(logging.WARNING, f"connection failed ({type(exc).__name__})")
        if response.status_code >= 400 or is_error_body(response):
            # Server trouble and rate limits pass; a bad request, token or model
            # id needs a person, so it is an error.
            level = logging.WARNING if response.status_code in RETRY_STATUSES else logging.ERROR
            self.fail(response, "error response", level=level)
            if url == self.url and response.status_code in NEEDS_A_PERSON:
                self._needs_a_person(response.status_code)
            return None
        if not reading.clean:  # a failure was counted or a problem recorded: reset
            self.breaker.record_success()
            if url == self.url:
                clear_problem(self.task)
        return response

    def _needs_a_person(self, status: int) -> None:
        """Credits or the token: skip calls for longer, and say so in the admin."""
        self.breaker.open_for(self.credits_cooldown_seconds)
        record_problem(
            task=self.task,
            model_id=self.model_id,
            host=urlsplit(self.url).netloc,
            status=status,
            seconds=self.credits_cooldown_seconds,
        )

    def fail(self, response: requests.Response, what: str, *, level: int = logging.WARNING) -> None:
        """Log a failure found in a response (also a well-formed one with the
        wrong content), count it towards the breaker, and return None."""
        request_id = response.headers.get("x-request-id")
        detail = (
            f"{what}: HTTP {response.status_code}: {provider_message(response) or '(no message)'}"
        )
        if request_id:
            detail += f" [x-request-id {request_id}]"
        return self._failed(level, detail)

    def _failed(self, level: int, detail: str) -> None:
        logger.log(level, "%s %s failed, using the fallback: %s", self.task, self.model_id, detail)
        self.breaker.record_failure()
        return None
