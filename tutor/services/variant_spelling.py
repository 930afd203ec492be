"""How a word said the way a learner said it would be written: "tink" for "think" said with
/t/, "pery" for "very" with /p/, "ca" for "cat" without its /t/. The judge asks Whisper
how likely each spelling is for the audio (a second opinion next to the phone alignment),
so a spelling only has to be how an English reader would write those sounds, not a word.

English spelling maps sounds to letters loosely, so this covers the common spellings of
each hard sound (/z/ written "s" becomes "ss" or "ce": "bussy", "roce") and gives up
(None) on the rest, e.g. /ʃ/ written "s" as in "sugar": a spelling that changes nothing
would tell Whisper nothing."""

from __future__ import annotations

import re

# The letters that spell each sound, longest first, and what the heard sound is written as.
_LETTERS: dict[str, str] = {
    "TH": "th",
    "DH": "th",
    "V": "v",
    "F": "ph|ff|f",
    "Z": "zz|z",
    "SH": "sh|ti(?=[aeiou])|ci(?=[aeiou])",
    "CH": "tch|ch",
    "AE": "a",
    "IY": "ee|ea|ie|ei|ey|e|i",
}
_WRITTEN = {
    "T": "t", "D": "d", "S": "s", "F": "f", "P": "p", "B": "b", "SH": "sh", "EH": "e",
    "IH": "i", "Z": "z",
}  # fmt: skip
# A dropped final sound: the letters that end a word with it (a silent e goes with them).
_FINALS = {"T": "tt|te|t", "D": "dd|de|d", "K": "ck|ke|que|k|c", "S": "ss|ce|se|s"}


def variant_spelling(word: str, phones: tuple[str, ...], position: int, heard: str) -> str | None:
    """`word` (lower case, pronounced `phones`) written with the phone at `position` said as
    `heard` ("" = dropped); None when its letters for that sound can't be found."""
    target = phones[position]
    if not heard:
        if position != len(phones) - 1 or target not in _FINALS:
            return None
        match = re.search(f"(?:{_FINALS[target]})$", word)
        stem = word[: match.start()] if match else ""
        return stem if len(stem) >= 1 and stem != word else None
    pattern, written = _LETTERS.get(target), _WRITTEN.get(heard)
    if pattern is None or written is None:
        return None
    nth = sum(1 for p in phones[:position] if p == target)
    matches = list(re.finditer(pattern, word))
    if target == "Z" and not matches and word.count("s") == 1:
        # /z/ written "s" ("busy", "rose"): "ss" or "ce" is how /s/ is written there.
        stem, _, rest = word.partition("s")
        return stem + ("ce" if rest == "e" else "ss" + rest)
    if nth >= len(matches):
        return None
    match = matches[nth]
    letters = match.group()
    replacement = written * 2 if letters in ("ff", "zz") else written  # "coppee", "pussle"
    spelled = word[: match.start()] + replacement + word[match.end() :]
    return spelled if spelled != word else None
