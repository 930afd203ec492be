"""The offline ears: Whisper tiny.en through faster-whisper (CTranslate2, int8 on the CPU).

English only, greedy decoding, silence trimmed by faster-whisper's voice-activity filter
(Silero, inside its wheel), word timestamps kept. What Macca expects to hear (a drill's
sentence, a step's phrases, the learner's name) goes in as the initial prompt, so names
and lesson words come out spelled right. Whisper guesses words, so its transcript never
judges pronunciation: it "corrects" a mispronounced word into a real one. What it can do
is compare given spellings of one sentence ("think" against "tink") for the same audio,
forced rather than guessed: `spelling_log_probs`, the pronunciation judge's second opinion."""

from __future__ import annotations

import logging
import time
from functools import cache

import numpy as np

from ..audio import SAMPLE_RATE, UndecodableAudio, decode
from ..schemas import Transcript, WordTiming
from . import OPTIONS, WHISPER

logger = logging.getLogger(__name__)

PROMPT_CHARACTERS = 600  # Whisper's prompt holds about 224 tokens; keep well inside
_MAX_SECONDS = 600


def whisper_prompt(prompt: str | None) -> str | None:
    return (prompt or "").strip()[:PROMPT_CHARACTERS] or None


_WINDOW_SAMPLES = 30 * SAMPLE_RATE  # Whisper hears 30 s at a time
_SCORED_AT_ONCE = 8


def _encoded(model, samples: np.ndarray) -> tuple[np.ndarray, int]:
    """Whisper's encoding of the audio and its length in frames. A second of padding past
    the speech, not the whole 30 s window: the same verdicts at a tenth of the time."""
    from faster_whisper.audio import pad_or_trim

    features = model.feature_extractor(samples)
    frames = min(features.shape[-1], 3000)
    return np.asarray(model.encode(pad_or_trim(features, min(frames + 100, 3000)))), frames


@cache
def _silence(model) -> tuple[np.ndarray, int]:
    return _encoded(model, np.zeros(2 * SAMPLE_RATE, np.float32))


@cache
def _tokenizer(model):
    from faster_whisper.tokenizer import Tokenizer

    tokenizer = Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")
    return tokenizer, [*tokenizer.sot_sequence, tokenizer.no_timestamps]


def _forced(model, encoded: tuple[np.ndarray, int], texts: list[str]) -> list[float]:
    """The sum of each text's token log probabilities, forced through the decoder."""
    import ctranslate2

    tokenizer, start = _tokenizer(model)
    audio, frames = encoded
    scores: list[float] = []
    for at in range(0, len(texts), _SCORED_AT_ONCE):
        batch = [tokenizer.encode(" " + text.strip()) for text in texts[at : at + _SCORED_AT_ONCE]]
        repeated = ctranslate2.StorageView.from_array(np.repeat(audio, len(batch), axis=0))
        results = model.model.align(repeated, start, batch, [frames] * len(batch))
        scores += [float(np.log(np.maximum(r.text_token_probs, 1e-12)).sum()) for r in results]
    return scores


def spelling_log_probs(
    samples: np.ndarray, texts: list[str]
) -> tuple[list[float], list[float]] | None:
    """Whisper's log probability of each of `texts` as what was said in the audio (16 kHz
    mono float32), each text forced through the decoder after the audio is encoded once;
    and the same for silence, what Whisper expects of English anyway (it would rather read
    "I think" than "I tink" whatever it hears). Only differences between texts of the same
    audio mean anything. None when the audio is longer than Whisper's 30 s window, the
    model cannot load or scoring fails (the judge then goes on without this opinion)."""
    if not texts or len(samples) > _WINDOW_SAMPLES:
        return None
    try:
        model = WHISPER.get()
        heard = _forced(model, _encoded(model, samples), texts)
        return heard, _forced(model, _silence(model), texts)
    except Exception:
        logger.exception("local ASR: scoring %d spellings failed", len(texts))
        return None


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
