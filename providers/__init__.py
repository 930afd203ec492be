"""Macca's AI: the tutor's language model, speech recognition and voice.

Provider choice happens here, once per process: the offline mocks when
USE_MOCK_AI=true or HF_API_KEY is empty, Hugging Face otherwise. Callers use
get_llm() / get_asr() / get_tts() and the protocols in providers.base."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from .base import ASRProvider, LLMProvider, TTSProvider
from .breaker import CircuitBreaker
from .http import HuggingFaceClient

__all__ = ["ai_mode", "describe_mode", "get_asr", "get_llm", "get_tts", "reset"]


def ai_mode() -> tuple[str, str]:
    """("mock" or "huggingface", why)."""
    if settings.USE_MOCK_AI:
        return "mock", "USE_MOCK_AI=true"
    if not settings.HF_API_KEY:
        return "mock", "HF_API_KEY not set"
    return "huggingface", ""


def describe_mode() -> str:
    mode, why = ai_mode()
    if mode == "mock":
        return f"AI mode: MOCK ({why})"
    return (
        f"AI mode: HUGGING FACE llm={settings.HF_LLM_MODEL_ID} "
        f"asr={settings.HF_ASR_MODEL_ID} tts={settings.HF_TTS_MODEL_ID}"
    )


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


@cache
def get_llm() -> LLMProvider:
    if ai_mode()[0] == "mock":
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
    if ai_mode()[0] == "mock":
        from .mock import MockASR

        return MockASR()
    from .huggingface import HuggingFaceASR

    url = settings.HF_ASR_URL or _model_url(settings.HF_ASR_MODEL_ID)
    return HuggingFaceASR(client=_client("asr", settings.HF_ASR_MODEL_ID, url))


@cache
def get_tts() -> TTSProvider:
    if ai_mode()[0] == "mock":
        from .mock import MockTTS

        return MockTTS()
    from .huggingface import HuggingFaceTTS

    url = settings.HF_TTS_URL or _model_url(settings.HF_TTS_MODEL_ID)
    return HuggingFaceTTS(client=_client("tts", settings.HF_TTS_MODEL_ID, url))


def reset() -> None:
    """Forget the built providers (tests that change settings call this)."""
    for getter in (get_llm, get_asr, get_tts):
        getter.cache_clear()
