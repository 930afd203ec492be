"""Macca's AI: the tutor's language model, speech recognition and voice.

Provider choice happens here, once per process: the local engines (Whisper tiny.en,
piper, the rule-based coach) when AI_PROVIDER=local, USE_MOCK_AI=true or no
HF_API_KEY; Hugging Face otherwise, each task falling back to its local engine when
a call fails. Callers use get_llm() / get_asr() / get_tts() and the protocols in
providers.base."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from .base import ASRProvider, LLMProvider, TTSProvider
from .breaker import CircuitBreaker
from .fallback import FallbackASR, FallbackTTS
from .http import HuggingFaceClient

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
    """("local" or "huggingface", why)."""
    if settings.AI_PROVIDER == "local":
        return "local", "AI_PROVIDER=local"
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
    return (
        f"AI mode: HUGGING FACE llm={settings.HF_LLM_MODEL_ID} "
        f"asr={settings.HF_ASR_MODEL_ID} tts={settings.HF_TTS_MODEL_ID}; "
        f"fallbacks: rule-based coach, {ears}, {voice}"
    )


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
    pronunciation = _local_status("pronunciation")
    if ai_mode()[0] == "local":
        return {
            "llm": _coach_status(),
            "asr": _local_status("asr"),
            "tts": _local_status("tts"),
            "pronunciation": pronunciation,
        }
    return {
        "llm": {
            "name": "huggingface",
            "model": settings.HF_LLM_MODEL_ID,
            "fallback": _coach_status(),
        },
        "asr": {
            "name": "huggingface",
            "model": settings.HF_ASR_MODEL_ID,
            "fallback": _local_status("asr"),
        },
        "tts": {
            "name": "huggingface",
            "model": settings.HF_TTS_MODEL_ID,
            "fallback": _local_status("tts"),
        },
        "pronunciation": pronunciation,
    }


def _client(task: str, model_id: str, url: str) -> HuggingFaceClient:
    return HuggingFaceClient(
        task=task,
        model_id=model_id,
        url=url,
        api_key=settings.HF_API_KEY,
        connect_timeout=settings.HF_CONNECT_TIMEOUT_SECONDS,
        read_timeout=settings.HF_TIMEOUT_SECONDS,
        retries=settings.HF_MAX_RETRIES,
        retry_budget=settings.HF_RETRY_BUDGET_SECONDS,
        breaker=CircuitBreaker(
            f"{task}:{model_id}",
            failures=settings.HF_BREAKER_FAILURES,
            cooldown_seconds=settings.HF_BREAKER_COOLDOWN_SECONDS,
        ),
    )


def _model_url(model_id: str) -> str:
    return f"{settings.HF_API_BASE_URL}/hf-inference/models/{model_id}"


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


@cache
def get_llm() -> LLMProvider:
    if ai_mode()[0] == "local":
        from .mock import MockLLM

        return MockLLM()
    from .huggingface import HuggingFaceLLM

    url = settings.HF_LLM_URL or f"{settings.HF_API_BASE_URL}/v1/chat/completions"
    return HuggingFaceLLM(
        client=_client("llm", settings.HF_LLM_MODEL_ID, url),
        json_mode=settings.HF_LLM_JSON_MODE,
        max_tokens=settings.HF_LLM_MAX_TOKENS,
    )


@cache
def get_asr() -> ASRProvider:
    if ai_mode()[0] == "local":
        return local_asr()
    from .huggingface import HuggingFaceASR

    url = settings.HF_ASR_URL or _model_url(settings.HF_ASR_MODEL_ID)
    remote = HuggingFaceASR(client=_client("asr", settings.HF_ASR_MODEL_ID, url))
    return FallbackASR(remote, local_asr())


@cache
def get_tts() -> TTSProvider:
    if ai_mode()[0] == "local":
        return local_tts()
    from .huggingface import HuggingFaceTTS

    url = settings.HF_TTS_URL or _model_url(settings.HF_TTS_MODEL_ID)
    remote = HuggingFaceTTS(client=_client("tts", settings.HF_TTS_MODEL_ID, url))
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
