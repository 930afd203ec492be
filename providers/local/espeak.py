"""espeak-ng through ctypes, from the library and data inside the espeakng-loader wheel:
Macca's second voice (robotic but instant) and a text-to-IPA converter.

The library keeps one global state per process (its voice included), so it is
initialised once and every call holds one lock and says which voice it wants."""

from __future__ import annotations

import ctypes
import threading

import numpy as np

_SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS: samples come back through the callback
_CHARS_UTF8 = 1
_RATE = 1  # espeakRATE, words per minute
_IPA = 0x02  # espeakPHONEMES_IPA
_PHONEME_INPUT = 0x100  # espeakPHONEMES: [[ ... ]] in the text holds phoneme mnemonics
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)

NORMAL_WPM = 165
SLOW_WPM = 115


class Espeak:
    def __init__(self, voice: str = "en-us") -> None:
        import espeakng_loader

        self.voice = voice
        self._lock = threading.Lock()
        self._chunks: list[np.ndarray] = []
        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_TextToPhonemes.argtypes = [
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.c_int,
            ctypes.c_int,
        ]
        self.sample_rate = lib.espeak_Initialize(
            _SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0
        )
        if self.sample_rate <= 0:
            raise RuntimeError("espeak-ng did not initialise")
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise RuntimeError(f"espeak-ng has no voice {voice!r}")
        self._voice_set = voice
        self._callback = _SYNTH_CALLBACK(self._collect)  # kept alive with the object
        lib.espeak_SetSynthCallback(self._callback)
        self._lib = lib

    def _collect(self, wav, count, events) -> int:
        if wav and count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0

    def _use(self, voice: str) -> None:
        if voice != self._voice_set:
            if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise RuntimeError(f"espeak-ng has no voice {voice!r}")
            self._voice_set = voice

    def synthesize(
        self, text: str, *, slow: bool = False, voice: str | None = None, phonemes: bool = False
    ) -> tuple[np.ndarray, int]:
        """(float samples in -1..1, sample rate) of `text` spoken, in `voice` (an espeak-ng
        voice such as "en-us", "en" for British English, "en-us+f3" for a variant). With
        `phonemes`, text inside [[ ]] is read as espeak-ng phoneme mnemonics."""
        flags = _CHARS_UTF8 | (_PHONEME_INPUT if phonemes else 0)
        data = text.encode() + b"\0"
        with self._lock:
            self._use(voice or self.voice)
            self._chunks = []
            self._lib.espeak_SetParameter(_RATE, SLOW_WPM if slow else NORMAL_WPM, 0)
            buffer = ctypes.create_string_buffer(data)
            status = self._lib.espeak_Synth(buffer, len(data), 0, 0, 0, flags, None, None)
            self._lib.espeak_Synchronize()
            chunks, self._chunks = self._chunks, []
        if status != 0 or not chunks:
            raise RuntimeError(f"espeak-ng could not speak (status {status})")
        return np.concatenate(chunks).astype(np.float32) / 32768.0, self.sample_rate

    def ipa(self, text: str, *, mnemonics: bool = False) -> str:
        """`text` in IPA, e.g. "I think" → "aɪ θˈɪŋk" (or in espeak-ng's own phoneme
        mnemonics, "aI T'INk", which `synthesize(phonemes=True)` reads back)."""
        mode = 0 if mnemonics else _IPA
        pieces = []
        source = text.encode()  # kept alive here while the library walks a pointer through it
        with self._lock:
            self._use(self.voice)
            pointer = ctypes.c_char_p(source)
            while pointer.value:
                phonemes = self._lib.espeak_TextToPhonemes(ctypes.byref(pointer), _CHARS_UTF8, mode)
                if phonemes:
                    pieces.append(phonemes.decode())
        return " ".join(pieces)
