"""The doctor behind `manage.py check_ai`: one minimal call per remote task, as the
app would make it (the configured adapter's URL, headers, body shape, model and
`response_format`), sent straight to the provider and reported as an `Outcome`
(provider, model, latency, and on failure what went wrong with the fix).

It goes around everything that hides a failure from a learner: no retries, no local
fallback, and the circuit breaker is only read, never counted or reset, so checking
a setup never changes what learners get."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import numpy as np
import requests
from django.conf import settings

from .audio import SAMPLE_RATE, wav_bytes
from .http import MAX_REDIRECTS, HuggingFaceClient, is_error_body, provider_message
from .huggingface import AUDIO_TYPES, sniffed_audio_type
from .schemas import LearnerProfile, PracticeContext
from .speech_shapes import Body, base_content_type

__all__ = ["Outcome", "check_all", "explain", "one_second_clip"]

PROMPT = "Say hello to a new English learner in one short sentence."
# Enough for a few words of the JSON reply: the call proves the model and its
# response_format are accepted, not that the reply is complete.
LLM_MAX_TOKENS = 48
SPEECH_TEXT = "Hello from Macca."
INFERENCE_PROVIDERS_URL = "https://huggingface.co/settings/inference-providers"
BILLING_URL = "https://huggingface.co/settings/billing"
TOKENS_URL = "https://huggingface.co/settings/tokens"
# What a provider's message says when it rejects the structured output Macca asks for.
RESPONSE_FORMAT_WORDS = ("response_format", "json_schema", "json schema", "structured output")
ROUTING_SUFFIXES = ("fastest", "cheapest", "preferred")


@dataclass(frozen=True)
class Outcome:
    """One task's check. `latency_ms` is None when no call was made (a local task)."""

    task: str
    provider: str
    model: str
    ok: bool
    latency_ms: int | None = None
    reason: str = ""  # on failure: what went wrong, and the fix
    status: int | None = None  # the HTTP status, when an answer came
    message: str = ""  # the provider's own words, when it sent any
    detail: str = ""  # on success: what came back
    url: str = ""
    local: bool = False
    breaker_open: bool = False  # learners get the fallback for now


class Failed(Exception):
    """The call was answered, but not as the app needs."""

    def __init__(self, reason: str, *, status: int | None = None, message: str = "") -> None:
        super().__init__(reason)
        self.reason, self.status, self.message = reason, status, message


def one_second_clip(seconds: float = 1.0) -> bytes:
    """A quiet tone with a little noise, as a 16 kHz WAV: audio every recogniser takes
    (it may hear nothing in it, which is fine: the call is what is checked)."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    noise = np.random.default_rng(13).normal(0.0, 0.01, t.size)
    return wav_bytes((0.1 * np.sin(2 * np.pi * 220 * t) + noise).astype(np.float32), SAMPLE_RATE)


# --- What a refusal means ---------------------------------------------------------------


def explain(*, task: str, status: int, message: str, model: str, mode: str) -> str:
    """A provider's refusal as the reason and the fix a deployer can act on."""
    lowered = message.lower()
    hf = mode == "huggingface"
    if status == 400 and "not supported by any provider" in lowered:
        return (
            f"not served by any provider you enabled: {model}. Pick another model or enable "
            f"a provider at {INFERENCE_PROVIDERS_URL}"
        )
    if task == "llm" and status in (400, 422) and any(w in lowered for w in RESPONSE_FORMAT_WORDS):
        return f"{status}: response_format unsupported: set HF_LLM_JSON_MODE=off"
    if status in (401, 403):
        if not hf:
            return f"{status}: the server refused the key: check OPENAI_API_KEY"
        return (
            f"{status}: token lacks the Inference Providers permission (or is wrong): create a "
            f"fine-grained token with 'Make calls to Inference Providers' at {TOKENS_URL} and "
            "set HF_API_KEY to it"
        )
    if status == 402:
        if not hf:
            return "402: the server asks for payment"
        return f"402: credits exhausted. Top up at {BILLING_URL} (free accounts get $0.10 a month)"
    if status == 404:
        return f"404: model not found or not deployed: {model}. Check {_model_setting(task, mode)}"
    if status == 429:
        return "429: rate limited: try again in a minute"
    if status == 504:
        return "504: the gateway timed out waiting for the model: try again later"
    if status >= 500:
        return f"{status}: the provider's server failed: try again later"
    if status < 400:
        return f"an error in a {status} answer: the provider could not do it"
    return f"{status}: the provider refused the request"


def _model_setting(task: str, mode: str) -> str:
    upper = task.upper()
    if mode == "openai":
        return f"OPENAI_{upper}_MODEL"
    if task == "llm":
        return "HF_LLM_MODEL_ID"
    return f"HF_{upper}_MODEL_ID, HF_{upper}_PROVIDER_MODEL and HF_{upper}_PROVIDER"


def _url_setting(task: str, mode: str) -> str:
    if mode == "openai":
        return "OPENAI_BASE_URL"
    own = f"HF_{task.upper()}_URL"
    return own if getattr(settings, own) else "HF_API_BASE_URL"


# --- One call ---------------------------------------------------------------------------


class Call:
    """A plain session with the task's headers (its token) and timeouts: no retries, and
    the client's breaker is neither consulted nor counted."""

    def __init__(self, client: HuggingFaceClient) -> None:
        self.client = client
        self.session = requests.Session()
        self.session.headers.update(client.session.headers)

    def post(self, body: Body) -> requests.Response:
        headers = {"Content-Type": body.content_type} if body.content_type else {}
        response = self.session.post(
            self.client.url,
            json=body.json,
            data=body.data,
            headers=headers,
            timeout=self.client.timeout,
        )
        return self.checked(response)

    def download(self, url: str) -> requests.Response:
        """A file the answer points to, only from the provider's media hosts (as the app)."""
        for _ in range(MAX_REDIRECTS + 1):
            if not self.client.may_fetch(url):
                host = urlsplit(url).netloc or url[:80]
                raise Failed(
                    f"the answer points to {host}, not a media host of this provider: not fetched"
                )
            response = self.session.get(
                url,
                headers={"Authorization": None},
                allow_redirects=False,
                timeout=self.client.timeout,
            )
            if not response.is_redirect:
                break
            url = urljoin(url, response.headers["Location"])
        else:
            raise Failed(f"more than {MAX_REDIRECTS} redirects fetching the audio file")
        if response.status_code >= 400:
            raise Failed(
                f"{response.status_code} fetching the audio file from {urlsplit(url).netloc}",
                status=response.status_code,
                message=provider_message(response),
            )
        return response

    @staticmethod
    def checked(response: requests.Response) -> requests.Response:
        """An error status, or an error in a 200's JSON, is explained by `explain`."""
        if response.status_code >= 400 or is_error_body(response):
            raise Failed("", status=response.status_code, message=provider_message(response))
        return response


def _run(
    *, task: str, mode: str, provider: str, model: str, client: HuggingFaceClient, call: Callable
) -> Outcome:
    """Times `call(Call)` → (detail, provider or None) and turns whatever happens into an
    Outcome."""
    common = {
        "task": task,
        "model": model,
        "url": client.url,
        "breaker_open": client.breaker.is_open(),
    }
    host = urlsplit(client.url).netloc
    connect, read = client.timeout
    started = time.monotonic()

    def elapsed() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        detail, answered_by = call(Call(client))
    except Failed as failure:
        reason = failure.reason
        if failure.status is not None and not reason:
            reason = explain(
                task=task, status=failure.status, message=failure.message, model=model, mode=mode
            )
        return Outcome(
            **common,
            provider=provider,
            ok=False,
            latency_ms=elapsed(),
            reason=reason,
            status=failure.status,
            message=failure.message,
        )
    except requests.ConnectTimeout:
        reason = (
            f"no connection to {host} within {connect:g} s (HF_CONNECT_TIMEOUT_SECONDS): is "
            f"the server up, and {_url_setting(task, mode)} right?"
        )
    except requests.Timeout:
        reason = (
            f"timed out: {host} sent no answer within {read:g} s (HF_TIMEOUT_SECONDS; learners "
            "wait that long before the fallback)"
        )
    except requests.RequestException as exc:
        what = "connection refused" if "refused" in str(exc).lower() else type(exc).__name__
        reason = (
            f"cannot connect to {host} ({what}): is the server up, and "
            f"{_url_setting(task, mode)} right?"
        )
    else:
        return Outcome(
            **common, provider=answered_by or provider, ok=True, latency_ms=elapsed(), detail=detail
        )
    return Outcome(**common, provider=provider, ok=False, latency_ms=elapsed(), reason=reason)


# --- The three tasks --------------------------------------------------------------------


def _llm_provider(mode: str, model: str) -> str:
    if mode == "openai":
        return "openai"
    if settings.HF_LLM_URL:
        return "endpoint"
    suffix = model.rpartition(":")[2] if ":" in model else ""
    return suffix if suffix and suffix not in ROUTING_SUFFIXES else "router"


def _check_llm(mode: str) -> Outcome:
    from . import get_llm

    llm = get_llm()
    # The app's own payload (model, temperature, response_format), with a one-line prompt.
    payload = llm.payload(LearnerProfile(), PracticeContext(), [], PROMPT)
    payload["messages"] = [{"role": "user", "content": PROMPT}]
    payload["max_tokens"] = LLM_MAX_TOKENS

    def call(caller: Call) -> tuple[str, str | None]:
        response = caller.post(Body(json=payload))
        try:
            choice = response.json()["choices"][0]
            content = choice["message"]["content"]
            finish_reason = choice.get("finish_reason")
        except (ValueError, KeyError, IndexError, TypeError):
            raise Failed(
                "not a chat completion: the answer has no choices[0].message.content",
                status=response.status_code,
            ) from None
        if isinstance(content, str):
            detail = f"{finish_reason}: {content[:60]!r}"
        elif finish_reason == "length":  # a thinking model spent the few tokens it had
            detail = "cut off at max_tokens before any text"
        else:
            raise Failed("no text in the chat completion", status=response.status_code)
        # The router says which provider served the call.
        return detail, response.headers.get("x-inference-provider")

    provider = _llm_provider(mode, llm.model_id)
    return _run(
        task="llm", mode=mode, provider=provider, model=llm.model_id, client=llm.client, call=call
    )


def _speech_provider(task: str, mode: str) -> str:
    from . import _hf_provider

    return "openai" if mode == "openai" else _hf_provider(task)


def _check_asr(mode: str) -> Outcome:
    from . import get_asr

    asr = get_asr().remote
    body = asr.shape.build(
        audio=one_second_clip(), content_type="audio/wav", language="en", model=asr.provider_model
    )

    def call(caller: Call) -> tuple[str, None]:
        response = caller.post(body)
        try:
            text = response.json()["text"]
        except (ValueError, KeyError, TypeError):
            raise Failed(
                "not a transcription: the answer has no text", status=response.status_code
            ) from None
        if not isinstance(text, str):
            raise Failed("not a transcription: its text is not a string")
        return f"heard {text.strip()[:60]!r} in a one-second tone", None

    return _run(
        task="asr",
        mode=mode,
        provider=_speech_provider("asr", mode),
        model=asr.model_id,
        client=asr.client,
        call=call,
    )


def _audio(response: requests.Response, declared: str = "") -> str:
    served = base_content_type(response.headers.get("Content-Type", ""))
    kind = AUDIO_TYPES.get(declared) or AUDIO_TYPES.get(served)
    kind = kind or sniffed_audio_type(response.content)
    if not response.content or kind is None:
        raise Failed(f"not audio: a {served or 'typeless'} answer of {len(response.content)} bytes")
    return f"{len(response.content)} bytes of {kind}"


def _speech_in(caller: Call, response: requests.Response) -> str:
    """The audio in a TTS answer, in each provider's shape (as providers.huggingface)."""
    if base_content_type(response.headers.get("Content-Type", "")).startswith("audio/"):
        return _audio(response)
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        return _audio(response)
    output = answer.get("output")
    if isinstance(output, list):
        output = output[0] if output else None
    if isinstance(output, str):  # replicate
        return _audio(caller.download(output))
    audio = answer.get("audio")
    if isinstance(audio, dict) and isinstance(audio.get("url"), str):  # fal-ai
        declared = base_content_type(audio.get("content_type") or "")
        return _audio(caller.download(audio["url"]), declared)
    if isinstance(audio, list) and audio:  # a dedicated endpoint's samples
        return f"{len(audio)} audio samples"
    if "output" in answer:
        status = answer.get("status", "unknown")
        raise Failed(f"no audio: the prediction gave no output URL (status {status})")
    raise Failed("not audio: the answer has no audio, audio URL or output URL")


def _check_tts(mode: str) -> Outcome:
    from . import get_tts

    tts = get_tts().remote
    body = tts.shape.build(text=SPEECH_TEXT, voice=tts.voice, model=tts.provider_model)

    def call(caller: Call) -> tuple[str, None]:
        return _speech_in(caller, caller.post(body)), None

    return _run(
        task="tts",
        mode=mode,
        provider=_speech_provider("tts", mode),
        model=tts.model_id,
        client=tts.client,
        call=call,
    )


def _local(task: str) -> Outcome:
    from . import local_asr, local_tts

    model = {
        "llm": lambda: "rule-based coach",
        "asr": lambda: local_asr().model_id,
        "tts": lambda: local_tts().model_id,
    }[task]()
    return Outcome(task=task, provider="local", model=model, ok=True, local=True)


CHECKS = {"llm": _check_llm, "asr": _check_asr, "tts": _check_tts}


def check_all() -> list[Outcome]:
    """One Outcome per task, remote ones checked by a call; [] in local mode."""
    from . import _remote, ai_mode

    mode = ai_mode()[0]
    if mode == "local":
        return []
    return [CHECKS[task](mode) if _remote(task) else _local(task) for task in ("llm", "asr", "tts")]
