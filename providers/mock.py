"""The rule-based coach as an LLM provider (the local tutor), and instant stand-ins
for the speech engines: a recogniser that hears nothing and a tone-pattern voice.
The stand-ins answer only with LOCAL_SPEECH=stub, which the test suite sets for
tests that are not about speech; Macca itself listens and speaks with the real
local engines (providers.local)."""

from __future__ import annotations

import logging
import math
import zlib
from array import array
from functools import cache

import numpy as np

from .audio import wav_bytes
from .coach import coach_reply
from .schemas import (
    HistoryTurn,
    LearnerProfile,
    PracticeContext,
    Speech,
    Transcript,
    TutorReply,
)

logger = logging.getLogger(__name__)

__all__ = ["MOCK_TRANSCRIPT", "MockASR", "MockLLM", "MockTTS", "coach_reply"]

MOCK_TRANSCRIPT = "I go to the office yesterday and I meet my friend."


# --- Providers -------------------------------------------------------------------------


class MockLLM:
    model_id = "mock-coach"

    def generate(
        self,
        profile: LearnerProfile,
        context: PracticeContext,
        history: list[HistoryTurn],
        learner_text: str,
    ) -> TutorReply:
        response = coach_reply(profile, context, history, learner_text)
        return TutorReply(response=response, degraded=False, raw_text=response.model_dump_json())


class MockASR:
    model_id = "mock-asr"

    def transcribe(
        self,
        audio: bytes,
        content_type: str,
        language: str = "en",
        *,
        expected_text: str | None = None,
        prompt: str | None = None,
        samples=None,
    ) -> Transcript:
        """Hears nothing: returns what the learner was asked to say, or a fixed
        sentence with typical mistakes so the feedback has something to show."""
        if not audio:
            text, source = "", "nothing (empty audio)"
        elif expected_text is not None:
            text, source = expected_text, "the expected text"
        else:
            text, source = MOCK_TRANSCRIPT, "a fixed sentence"
        logger.info(
            "mock ASR (no speech recognition): %d bytes of %s, answering %s",
            len(audio),
            content_type,
            source,
        )
        return Transcript(text=text, degraded=False, model_id=self.model_id)


SAMPLE_RATE = 16_000
_PITCHES = (200, 250, 320, 400)  # Hz; each is a whole number of samples per period at 16 kHz
_AMPLITUDE = 0.2 * 32767
_FADE_SAMPLES = 160  # 10 ms, so tones start and stop without clicks


@cache
def _period(frequency: int) -> array[int]:
    size = SAMPLE_RATE // frequency
    return array("h", (round(_AMPLITUDE * math.sin(2 * math.pi * k / size)) for k in range(size)))


def _tone(frequency: int, length: int) -> array[int]:
    period = _period(frequency)
    samples = (period * (length // len(period) + 1))[:length]
    fade = min(_FADE_SAMPLES, length // 2)
    for k in range(fade):
        gain = k / fade
        samples[k] = int(samples[k] * gain)
        samples[length - 1 - k] = int(samples[length - 1 - k] * gain)
    return samples


def _speech_samples(text: str, stretch: float = 1.0) -> array[int]:
    """One soft tone per word, with a short gap after each; ~20 ms per character, from
    0.5 to 5 s (short, so that encoding it for delivery costs the tests little)."""
    seconds = min(max(len(text.strip()) * 0.02, 0.5), 5.0) * stretch
    total = int(seconds * SAMPLE_RATE)
    words = text.split()
    if not words:
        return array("h", bytes(2 * total))
    samples = array("h")
    weights = [len(word) + 1 for word in words]
    whole, done, edge = sum(weights), 0, 0
    for word, weight in zip(words, weights, strict=True):
        done += weight
        end = total * done // whole
        length = end - edge
        voiced = length * 3 // 4
        samples += _tone(_PITCHES[zlib.crc32(word.encode()) % len(_PITCHES)], voiced)
        samples += array("h", bytes(2 * (length - voiced)))
        edge = end
    return samples


class MockTTS:
    model_id = "mock-tts"

    def synthesize(self, text: str, voice: str | None = None, *, slow: bool = False) -> Speech:
        """A playable WAV whose length follows the text: enough to test the audio path."""
        samples = np.array(_speech_samples(text, 1.45 if slow else 1.0), dtype=np.int16)
        return Speech(
            audio=wav_bytes(samples, SAMPLE_RATE),
            content_type="audio/wav",
            degraded=False,
            model_id=self.model_id,
        )
