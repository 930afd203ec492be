"""The three things Macca asks of an AI provider. Each has a Hugging Face and a
mock implementation; callers depend only on these protocols."""

from __future__ import annotations

from typing import Protocol

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
    ) -> Transcript:
        """What was said in `audio`. `expected_text` is what the learner was asked
        to say (pronunciation drills); only the mock uses it. Never raises."""
        ...


class TTSProvider(Protocol):
    model_id: str

    def synthesize(self, text: str, voice: str | None = None) -> Speech:
        """`text` spoken aloud: audio bytes and their content type. Never raises;
        on failure the audio is empty and `degraded=True`."""
        ...
