"""The offline ears: Whisper tiny.en through faster-whisper (CTranslate2, int8 on the CPU).

English only, greedy decoding, silence trimmed by faster-whisper's voice-activity filter
(Silero, inside its wheel), word timestamps kept. What Macca expects to hear (a drill's
sentence, a step's phrases, the learner's name) goes in as the initial prompt, so names
and lesson words come out spelled right. Whisper guesses words, so it never judges
pronunciation: it "corrects" a mispronounced word into a real one."""

from __future__ import annotations

import logging
import time

import numpy as np

from ..audio import SAMPLE_RATE, UndecodableAudio, decode
from ..schemas import Transcript, WordTiming
from . import OPTIONS, WHISPER

logger = logging.getLogger(__name__)

PROMPT_CHARACTERS = 600  # Whisper's prompt holds about 224 tokens; keep well inside
_MAX_SECONDS = 600


def whisper_prompt(prompt: str | None) -> str | None:
    return (prompt or "").strip()[:PROMPT_CHARACTERS] or None


class LocalASR:
    model_id = f"{WHISPER.name}/{WHISPER.model}"

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
        """What was said; `samples` are the upload already decoded (16 kHz mono float32)."""
        try:
            if samples is None:
                samples = decode(audio, content_type=content_type, max_seconds=_MAX_SECONDS).samples
            model = WHISPER.get()
            started = time.perf_counter()
            segments, _ = model.transcribe(
                samples,
                language="en",
                beam_size=OPTIONS["asr_beam_size"],
                vad_filter=True,
                word_timestamps=True,
                condition_on_previous_text=False,
                initial_prompt=whisper_prompt(prompt),
            )
            segments = list(segments)  # decoding happens while iterating
        except UndecodableAudio:
            logger.warning("local ASR: %d bytes of %s are not audio", len(audio), content_type)
            return Transcript(text="", degraded=True, model_id=self.model_id)
        except Exception:
            logger.exception("local ASR failed")
            return Transcript(text="", degraded=True, model_id=self.model_id)
        words = [
            WordTiming(
                word=word.word.strip(),
                start=round(float(word.start), 3),
                end=round(float(word.end), 3),
                probability=round(float(word.probability), 3),
            )
            for segment in segments
            for word in (segment.words or [])
            if word.word.strip()
        ]
        text = " ".join(segment.text.strip() for segment in segments if segment.text.strip())
        logger.info(
            "local ASR: %.1f s of audio in %.2f s, %d words",
            len(samples) / SAMPLE_RATE,
            time.perf_counter() - started,
            len(words),
        )
        return Transcript(text=text, words=words, model_id=self.model_id)

    def warm(self) -> None:
        """Loads the model and runs it once on a short tone, off the request path."""
        try:
            model = WHISPER.get()
        except RuntimeError:
            return
        tone = 0.1 * np.sin(2 * np.pi * 220 * np.arange(SAMPLE_RATE) / SAMPLE_RATE)
        segments, _ = model.transcribe(tone.astype(np.float32), language="en", beam_size=1)
        list(segments)
