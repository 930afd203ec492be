"""The three things Macca asks of an AI provider. Each has a Hugging Face and a local
implementation (and instant stubs for tests); callers depend only on these protocols."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from .schemas import HistoryTurn, LearnerProfile, PracticeContext, Speech, Transcript, TutorReply


class LLMProvider(Protocol):
    model_id: str

    def generate(
        self,
        profile: LearnerProfile,
        context: PracticeContext,
        history: list[HistoryTurn],
        learner_text: str,
    ) -> TutorReply:
        """Macca's structured reply to what the learner just said. Never raises:
        a failure answers with a fallback and `degraded=True`."""
        ...


class ASRProvider(Protocol):
    model_id: str

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
        """What was said in `audio` (the bytes as uploaded, of `content_type`).
        `expected_text` is what the learner was asked to say (a drill's sentence),
        `prompt` words Macca expects to hear (names, a lesson's phrases); `samples`
        are the upload already decoded to 16 kHz mono, for local engines. Never raises."""
        ...


class TTSProvider(Protocol):
    model_id: str

    def synthesize(self, text: str, voice: str | None = None, *, slow: bool = False) -> Speech:
        """`text` spoken aloud (`slow`: more slowly, for a replay): audio bytes and
        their content type. Never raises; on failure the audio is empty and `degraded=True`."""
        ...
