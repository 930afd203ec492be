"""A remote task with its local engine behind it: when Hugging Face fails (after the
client's retries, or straight away while its breaker is open), the local engine
answers instead, and the answer says `degraded=True`. A learner is never left with
an empty transcript or a silent reply because a provider is down."""

from __future__ import annotations

import logging

import numpy as np

from .base import ASRProvider, TTSProvider
from .schemas import Speech, Transcript

logger = logging.getLogger(__name__)


class FallbackASR:
    def __init__(self, remote: ASRProvider, local: ASRProvider) -> None:
        self.remote, self.local = remote, local
        self.model_id = remote.model_id

    def transcribe(
        self,
        audio: bytes,
        content_type: str,
        language: str = "en",
        *,
        expected_text: str | None = None,
        prompt: str | None = None,
        samples: np.ndarray | None = None,
    ) -> Transcript:
        heard = self.remote.transcribe(
            audio, content_type, language, expected_text=expected_text, prompt=prompt
        )
        if not heard.degraded and heard.text.strip():
            return heard
        # Nothing heard in a recording is worth a second opinion too: it costs a second.
        logger.info("asr %s failed or heard nothing: the local recogniser answers", self.model_id)
        local = self.local.transcribe(
            audio,
            content_type,
            language,
            expected_text=expected_text,
            prompt=prompt,
            samples=samples,
        )
        return local.model_copy(update={"degraded": True})


class FallbackTTS:
    def __init__(self, remote: TTSProvider, local: TTSProvider) -> None:
        self.remote, self.local = remote, local
        self.model_id = remote.model_id

    def synthesize(self, text: str, voice: str | None = None, *, slow: bool = False) -> Speech:
        speech = self.remote.synthesize(text, voice, slow=slow)
        if not speech.degraded:
            return speech
        logger.info("tts %s failed: the local voice answers", self.model_id)
        local = self.local.synthesize(text, slow=slow)
        return local.model_copy(update={"degraded": True})
