"""The offline voice: piper's neural en_US-joe-medium voice, or espeak-ng (robotic but
instant) when piper cannot load. Speech comes back as WAV; the speech cache encodes it
small (Ogg/Opus or MP3) for delivery. A slow variant, for replaying a line, stretches
piper's phoneme lengths (its length scale) or lowers espeak-ng's words per minute."""

from __future__ import annotations

import logging
import threading

import numpy as np

from ..audio import wav_bytes
from ..schemas import Speech
from . import ESPEAK, PIPER

logger = logging.getLogger(__name__)

SLOW_LENGTH_SCALE = 1.45
_piper_lock = threading.Lock()  # its espeak-ng phonemizer is one global state per process


def _piper_speak(text: str, slow: bool, *, steady: bool = False) -> tuple[np.ndarray, int]:
    """Piper adds random noise to each reading; `steady` turns it off, so the same text
    always gives the same audio (for tests and benchmarks)."""
    from piper import SynthesisConfig

    voice = PIPER.get()
    noise = {"noise_scale": 0.0, "noise_w_scale": 0.0} if steady else {}
    config = SynthesisConfig(length_scale=SLOW_LENGTH_SCALE if slow else 1.0, **noise)
    with _piper_lock:
        chunks = [chunk.audio_float_array for chunk in voice.synthesize(text, syn_config=config)]
    if not chunks:
        raise RuntimeError("piper produced no audio")
    return np.concatenate(chunks), voice.config.sample_rate


def _espeak_speak(text: str, slow: bool) -> tuple[np.ndarray, int]:
    return ESPEAK.get().synthesize(text, slow=slow)


class LocalTTS:
    """Piper when it loads, espeak-ng otherwise; `model_id` names the one speaking."""

    @property
    def model_id(self) -> str:
        engine = ESPEAK if PIPER.state == "failed" else PIPER
        return f"{engine.name}/{engine.model}"

    def synthesize(self, text: str, voice: str | None = None, *, slow: bool = False) -> Speech:
        text = " ".join(text.split())
        if not text:
            return Speech(audio=b"", content_type="audio/wav", degraded=True)
        for engine, speak in ((PIPER, _piper_speak), (ESPEAK, _espeak_speak)):
            if engine.state == "failed":
                continue
            try:
                samples, rate = speak(text, slow)
            except Exception:
                logger.exception("local voice %s failed", engine.name)
                continue
            return Speech(
                audio=wav_bytes(samples, rate),
                content_type="audio/wav",
                model_id=f"{engine.name}/{engine.model}",
            )
        return Speech(audio=b"", content_type="audio/wav", degraded=True, model_id=self.model_id)

    def warm(self) -> None:
        self.synthesize("Hello.")
