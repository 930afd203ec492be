"""Real audio for tests: what a learner's recording looks like on the wire."""

from __future__ import annotations

import io
import wave


def wav_bytes(seconds: float = 0.5, rate: int = 8000) -> bytes:
    """A real, silent 16-bit mono WAV of the given length."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(bytes(2 * int(seconds * rate)))
    return buffer.getvalue()
