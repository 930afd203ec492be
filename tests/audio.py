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


# --- Real speech, made at test time with the local voices -------------------------------

# What each browser uploads: Chrome and Firefox record WebM/Opus, Safari M4A (AAC);
# Ogg, MP3 and WAV come from other recorders and apps.
BROWSER_FORMATS = {
    "webm": ("webm", "libopus", 48_000),
    "m4a": ("ipod", "aac", 44_100),
    "ogg": ("ogg", "libopus", 48_000),
    "mp3": ("mp3", "libmp3lame", 44_100),
    "wav": ("wav", "pcm_s16le", 48_000),
}


def encode_recording(samples, sample_rate: int, kind: str) -> bytes:
    """Float samples as a recording in the container and codec a browser would use."""
    from providers.audio import encode_as

    container, codec, rate = BROWSER_FORMATS[kind]
    bit_rate = {"libopus": 48_000, "aac": 64_000, "libmp3lame": 64_000}.get(codec)
    return encode_as(
        samples, sample_rate, container=container, codec=codec, rate=rate, bit_rate=bit_rate
    )


def piper_speech(text: str, *, steady: bool = False):
    """(samples, rate) of `text` in piper's joe voice; `steady`: without piper's random
    noise, so the same text always gives the same audio."""
    from providers.local.voice import _piper_speak

    return _piper_speak(text, False, steady=steady)


def espeak_speech(text: str):
    """(samples, rate) of `text` in espeak-ng's voice: a second, very different speaker."""
    from providers.local.voice import _espeak_speak

    return _espeak_speak(text, False)


def with_silence(samples, sample_rate: int, before: float = 0.4, after: float = 0.6):
    """A pause before and after the words, as a real recording has."""
    import numpy as np

    return np.concatenate(
        [
            np.zeros(int(before * sample_rate), np.float32),
            samples,
            np.zeros(int(after * sample_rate), np.float32),
        ]
    )


def long_recording(seconds: float, kind: str) -> bytes:
    """A quiet tone `seconds` long, in `kind` (for the length limit)."""
    import numpy as np

    rate = 16_000
    t = np.arange(int(seconds * rate)) / rate
    return encode_recording((0.05 * np.sin(2 * np.pi * 200 * t)).astype(np.float32), rate, kind)


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance over the reference's length, ignoring case and punctuation."""
    ref, hyp = normalise_words(reference), normalise_words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        current = [i]
        for j, heard in enumerate(hyp, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != heard))
            )
        previous = current
    return previous[-1] / max(len(ref), 1)


SPELLINGS = {"favourite": "favorite", "colour": "color", "neighbour": "neighbor", "ok": "okay"}


def normalise_words(text: str) -> list[str]:
    """Lower-case words without punctuation, British spellings as American (Whisper
    writes American English)."""
    import re

    words = re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))
    return [SPELLINGS.get(word, word) for word in words]


# --- Mispronounced speech: a word said the way Indonesian learners often say it -------

# (IPA in espeak-ng's output, espeak-ng's own phoneme mnemonic) for each sound, so the same
# substitution can be spoken by piper (which reads IPA inside [[ ]]) and by espeak-ng
# (which reads its mnemonics inside [[ ]]). Mnemonic patterns skip the affricates that
# contain the same letter (tS, dZ) and the diphthongs starting with a (aI, aU).
SOUNDS = {
    "θ": ("θ", "T"),
    "ð": ("ð", "D"),
    "v": ("v", "v"),
    "f": ("f", "f"),
    "z": ("z", r"(?<!d)z"),
    "s": ("s", "s"),
    "ʃ": ("ʃ", r"(?<!t)S"),
    "ʒ": ("ʒ", r"(?<!d)Z"),
    "tʃ": ("tʃ", "tS"),
    "dʒ": ("dʒ", "dZ"),
    "t": ("t", r"t(?!S)"),
    "d": ("d", r"d(?!Z)"),
    "p": ("p", "p"),
    "b": ("b", "b"),
    "k": ("k", "k"),
    "æ": ("æ", r"a(?![IU@])"),
    "ɛ": ("ɛ", "E"),
    "iː": ("iː", "i:"),
    "ɪ": ("ɪ", r"I(?!@)"),
}
_PLAIN = {"z": "z", "ʃ": "S", "ʒ": "Z", "t": "t", "d": "d", "æ": "a", "ɪ": "I"}


def _phonemes(word: str, mnemonics: bool) -> str:
    from providers.local import ESPEAK

    return ESPEAK.get().ipa(word, mnemonics=mnemonics).replace(" ", "")


def say_as(word: str, target: str | None, heard: str | None, *, mnemonics: bool) -> str:
    """`word`'s phonemes with the first `target` sound said as `heard` ("" drops it;
    target None leaves the word as it is; target "final" drops the last consonant)."""
    import re

    phonemes = _phonemes(word, mnemonics)
    if target is None:
        return phonemes
    if target == "final":
        consonants = "bdfgkpstvzθðʃʒ" if not mnemonics else "bdfgkpstvzTDSZ"
        match = re.search(rf"[{consonants}](?=[^a-zA-Z@ɪʊəɛæɑɔʌɜiueoa]*$)", phonemes)
        return phonemes[: match.start()] + phonemes[match.end() :] if match else phonemes
    ipa, pattern = SOUNDS[target]
    if not mnemonics:
        return phonemes.replace(ipa, heard or "", 1)
    replacement = _PLAIN.get(heard or "", SOUNDS[heard][1] if heard else "")
    return re.sub(pattern, replacement, phonemes, count=1)


def mispronounced(sentence: str, changes: dict[int, tuple[str, str]], voice: str = "piper"):
    """(samples, rate) of `sentence` in `voice` ("piper", "piper-steady" without piper's
    random noise, "espeak", or "espeak:<voice>" such as "espeak:en+f3"), with the words at
    the given indexes said differently: {index: (target sound, heard sound)}, where heard
    "" drops the sound and target "final" drops the word's last consonant."""
    import re

    words = re.findall(r"[A-Za-z']+", sentence)
    mnemonics = voice.startswith("espeak")
    spoken = [
        say_as(w, *changes.get(i, (None, None)), mnemonics=mnemonics) for i, w in enumerate(words)
    ]
    if mnemonics:
        from providers.local import ESPEAK

        name = voice.partition(":")[2] or None
        return ESPEAK.get().synthesize("[[" + " ".join(spoken) + "]]", phonemes=True, voice=name)
    return piper_speech("[[ " + " ".join(spoken) + " ]]", steady=voice == "piper-steady")
