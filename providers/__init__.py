"""Macca's AI: the tutor's language model, speech recognition and voice.

Provider choice happens here, once per process: the local engines (Whisper tiny.en,
piper, the rule-based coach) when AI_PROVIDER=local, USE_MOCK_AI=true or no
HF_API_KEY; an OpenAI-compatible server (vLLM, llama.cpp, Ollama, speaches,
Kokoro-FastAPI) for each task given a model when AI_PROVIDER=openai; Hugging Face
otherwise, ASR and TTS each through the provider HF_ASR_PROVIDER / HF_TTS_PROVIDER
names (its request shape in providers.speech_shapes). Every remote task falls back to
its local engine when a call fails. Callers use get_llm() / get_asr() / get_tts() and
the protocols in providers.base."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from .base import ASRProvider, LLMProvider, TTSProvider
from .breaker import CircuitBreaker
from .fallback import FallbackASR, FallbackTTS
from .http import HuggingFaceClient
from .speech_shapes import ASR_SHAPES, TTS_SHAPES, Shape

__all__ = [
    "acoustic_judge_enabled",
    "ai_mode",
    "describe_engines",
    "describe_mode",
    "get_asr",
    "get_llm",
    "get_tts",
    "local_asr",
    "local_tts",
    "reset",
    "warm_up",
]

COACH = {"name": "rule-based coach", "model": "macca-coach"}


def _coach_status() -> dict:
    """The rule-based coach, with the parser its grammar checks read."""
    from .local import PARSER

    return {**COACH, "parser": PARSER.status()}


def ai_mode() -> tuple[str, str]:
    """("local", "huggingface" or "openai", why)."""
    if settings.AI_PROVIDER == "local":
        return "local", "AI_PROVIDER=local"
    if settings.AI_PROVIDER == "openai":
        if not settings.OPENAI_BASE_URL:
            return "local", "OPENAI_BASE_URL not set"
        return "openai", ""
    if settings.AI_PROVIDER != "huggingface" and settings.USE_MOCK_AI:
        return "local", "USE_MOCK_AI=true"
    if not settings.HF_API_KEY:
        return "local", "HF_API_KEY not set"
    return "huggingface", ""


def acoustic_judge_enabled() -> bool:
    """Pronunciation is judged from the audio (pocketsphinx, always local, in every AI
    mode); only the test stand-ins (LOCAL_SPEECH=stub) compare transcripts instead."""
    return settings.LOCAL_SPEECH != "stub"


def _speech_engines() -> tuple[str, str]:
    if settings.LOCAL_SPEECH == "stub":
        return "stub recogniser (hears nothing)", "stub voice (tones)"
    from .local import PIPER, WHISPER

    return f"{WHISPER.name} {WHISPER.model}", f"{PIPER.name} {PIPER.model}"


def describe_mode() -> str:
    mode, why = ai_mode()
    ears, voice = _speech_engines()
    if mode == "local":
        return f"AI mode: LOCAL ({why}): tutor=rule-based coach, ears={ears}, voice={voice}"
    fallbacks = f"fallbacks: rule-based coach, {ears}, {voice}"
    if mode == "openai":
        local = {"llm": "rule-based coach", "asr": ears, "tts": voice}
        tasks = " ".join(
            f"{task}={_openai_model(task) or 'local ' + local[task]}" for task in local
        )
        return f"AI mode: OPENAI-COMPATIBLE {settings.OPENAI_BASE_URL} {tasks}; {fallbacks}"
    return (
        f"AI mode: HUGGING FACE llm={settings.HF_LLM_MODEL_ID} "
        f"asr={settings.HF_ASR_MODEL_ID} ({_hf_provider('asr')}) "
        f"tts={settings.HF_TTS_MODEL_ID} ({_hf_provider('tts')}); {fallbacks}"
    )


def _openai_model(task: str) -> str:
    return {
        "llm": settings.OPENAI_LLM_MODEL,
        "asr": settings.OPENAI_ASR_MODEL,
        "tts": settings.OPENAI_TTS_MODEL,
    }[task]


def _hf_provider(task: str) -> str:
    """The provider answering a speech task: "endpoint" for a dedicated Inference
    Endpoint's full URL (HF_ASR_URL, HF_TTS_URL), which speaks the toolkit's shape."""
    if getattr(settings, f"HF_{task.upper()}_URL"):
        return "endpoint"
    return getattr(settings, f"HF_{task.upper()}_PROVIDER")


def _local_status(task: str) -> dict:
    if settings.LOCAL_SPEECH == "stub":
        if task == "pronunciation":
            return {"name": "transcript comparison", "model": "cmudict", "status": "loaded"}
        name = {"asr": "stub recogniser", "tts": "stub voice"}[task]
        return {"name": name, "model": f"mock-{task}", "status": "loaded"}
    from .local import engines_status

    return engines_status()[task]


def describe_engines() -> dict:
    """What answers each task, for GET /api/: name, model, and for local models
    whether they are loaded and how long that took."""
    mode = ai_mode()[0]
    local = {"llm": _coach_status(), "asr": _local_status("asr"), "tts": _local_status("tts")}
    engines = {}
    for task, fallback in local.items():
        if mode == "local" or (mode == "openai" and not _openai_model(task)):
            engines[task] = fallback
        elif mode == "openai":
            engines[task] = {"name": "openai", "model": _openai_model(task), "fallback": fallback}
        else:
            model = getattr(settings, f"HF_{task.upper()}_MODEL_ID")
            engines[task] = {"name": "huggingface", "model": model, "fallback": fallback}
            if task != "llm":
                engines[task]["provider"] = _hf_provider(task)
    return {**engines, "pronunciation": _local_status("pronunciation")}


def _client(
    task: str, model_id: str, url: str, shape: Shape | None = None, *, api_key: str | None = None
) -> HuggingFaceClient:
    """The bounded client (timeouts, retries, breaker) of one remote task, the same for
    Hugging Face and OpenAI-compatible servers."""
    return HuggingFaceClient(
        task=task,
        model_id=model_id,
        url=url,
        api_key=settings.HF_API_KEY if api_key is None else api_key,
        headers=shape.headers if shape else None,
        media_hosts=shape.media_hosts if shape else (),
        connect_timeout=settings.HF_CONNECT_TIMEOUT_SECONDS,
        read_timeout=settings.HF_TIMEOUT_SECONDS,
        retries=settings.HF_MAX_RETRIES,
        retry_budget=settings.HF_RETRY_BUDGET_SECONDS,
        credits_cooldown_seconds=settings.HF_CREDITS_COOLDOWN_SECONDS,
        breaker=CircuitBreaker(
            f"{task}:{model_id}",
            failures=settings.HF_BREAKER_FAILURES,
            cooldown_seconds=settings.HF_BREAKER_COOLDOWN_SECONDS,
        ),
    )


def _configure_local() -> None:
    from .local import OPTIONS

    OPTIONS["asr_threads"] = settings.LOCAL_ASR_THREADS
    OPTIONS["asr_beam_size"] = settings.LOCAL_ASR_BEAM_SIZE


@cache
def local_asr() -> ASRProvider:
    """The offline ears (or, with LOCAL_SPEECH=stub, a stand-in that hears nothing)."""
    if settings.LOCAL_SPEECH == "stub":
        from .mock import MockASR

        return MockASR()
    _configure_local()
    from .local.ears import LocalASR

    return LocalASR()


@cache
def local_tts() -> TTSProvider:
    """The offline voice (or, with LOCAL_SPEECH=stub, a stand-in that speaks tones)."""
    if settings.LOCAL_SPEECH == "stub":
        from .mock import MockTTS

        return MockTTS()
    from .local.voice import LocalTTS

    return LocalTTS()


def _remote(task: str) -> bool:
    """Whether a remote engine answers `task` (AI_PROVIDER=openai: if it has a model)."""
    mode = ai_mode()[0]
    return mode == "huggingface" or (mode == "openai" and bool(_openai_model(task)))


def _openai_client(task: str, shape: Shape | None = None) -> HuggingFaceClient:
    model, base = _openai_model(task), settings.OPENAI_BASE_URL
    url = shape.url(base, model) if shape else f"{base}/chat/completions"
    return _client(task, model, url, shape, api_key=settings.OPENAI_API_KEY)


@cache
def get_llm() -> LLMProvider:
    if not _remote("llm"):
        from .mock import MockLLM

        return MockLLM()
    from .huggingface import HuggingFaceLLM

    if ai_mode()[0] == "openai":
        client = _openai_client("llm")
    else:
        url = settings.HF_LLM_URL or f"{settings.HF_API_BASE_URL}/v1/chat/completions"
        client = _client("llm", settings.HF_LLM_MODEL_ID, url)
    return HuggingFaceLLM(
        client=client, json_mode=settings.HF_LLM_JSON_MODE, max_tokens=settings.HF_LLM_MAX_TOKENS
    )


@cache
def get_asr() -> ASRProvider:
    if not _remote("asr"):
        return local_asr()
    from .huggingface import HuggingFaceASR

    if ai_mode()[0] == "openai":
        shape = ASR_SHAPES["openai"]
        client = _openai_client("asr", shape)
        model = settings.OPENAI_ASR_MODEL
    else:
        shape = ASR_SHAPES[_hf_provider("asr")]
        model = shape.provider_model(settings.HF_ASR_MODEL_ID, settings.HF_ASR_PROVIDER_MODEL)
        url = settings.HF_ASR_URL or shape.url(settings.HF_API_BASE_URL, model)
        client = _client("asr", settings.HF_ASR_MODEL_ID, url, shape)
    remote = HuggingFaceASR(client=client, shape=shape, provider_model=model)
    return FallbackASR(remote, local_asr())


@cache
def get_tts() -> TTSProvider:
    if not _remote("tts"):
        return local_tts()
    from .huggingface import HuggingFaceTTS

    if ai_mode()[0] == "openai":
        shape = TTS_SHAPES["openai"]
        client = _openai_client("tts", shape)
        model, voice = settings.OPENAI_TTS_MODEL, settings.OPENAI_TTS_VOICE
    else:
        shape = TTS_SHAPES[_hf_provider("tts")]
        model = shape.provider_model(settings.HF_TTS_MODEL_ID, settings.HF_TTS_PROVIDER_MODEL)
        url = settings.HF_TTS_URL or shape.url(settings.HF_API_BASE_URL, model)
        client = _client("tts", settings.HF_TTS_MODEL_ID, url, shape)
        voice = settings.HF_TTS_VOICE
    remote = HuggingFaceTTS(client=client, shape=shape, provider_model=model, voice=voice)
    return FallbackTTS(remote, local_tts())


def warm_up():
    """Loads the local speech models in the background (the server calls this at
    start-up): in local mode they answer every turn, otherwise every failed call."""
    if settings.LOCAL_SPEECH == "stub" or not settings.LOCAL_WARM_UP:
        return None
    _configure_local()
    from .local import warm_up as start

    return start()


def reset() -> None:
    """Forget the built providers (tests that change settings call this)."""
    for getter in (get_llm, get_asr, get_tts, local_asr, local_tts):
        getter.cache_clear()
