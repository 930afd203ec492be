"""Text a learner types, made safe to store and show: NFC-normalised, without the
invisible characters that let a name or a word look like something else.

No forms, serializers or models here: the API's serializer field, the page forms and
the models' clean() all call clean_text(), so every way in stores the same text.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext_lazy as _

#: The message for a field that had only invisible characters (the one Django's
#: and DRF's "may not be blank" would give reads wrong: the learner typed something).
ONLY_INVISIBLE = _(
    "This field has only invisible characters (zero-width spaces, direction marks or "
    "control characters). Type some letters."
)

ZERO_WIDTH_JOINER = "\u200d"
# Letters that render as nothing (Hangul fillers): the usual trick for a blank name.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Kept in multi-line text (a typed answer, an example sentence); a space elsewhere.
LAYOUT_CONTROLS = frozenset("\n\t")
WHITESPACE_CONTROLS = frozenset("\t\n\v\f\x1c\x1d\x1e\x1f\x85")
EMOJI_MODIFIERS = frozenset("\ufe0f\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """`value` NFC-normalised, trimmed, without control (Cc), format (Cf: zero-width
    spaces and joiners, U+2060, U+FEFF, the bidi embeddings, overrides, isolates and
    marks, U+061C, Unicode tags) or invisible filler characters.

    A line break (CRLF and CR become LF) or a tab stays in multi-line text; elsewhere
    it becomes a space, so two words on two lines do not run together. Emoji and
    every script stay as they are. One exception to dropping Cf: a zero-width joiner
    between two emoji (👨‍👩‍👧, 🏳️‍🌈) is kept, since it only joins pictures, hides no
    text, and without it a family becomes three people.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")  # a textarea sends CRLF
    kept: list[str] = []
    for index, char in enumerate(value):
        if char in INVISIBLE_LETTERS:
            continue
        category = unicodedata.category(char)
        if category == "Cc":
            if multiline and char in LAYOUT_CONTROLS:
                kept.append(char)
            elif char in WHITESPACE_CONTROLS:
                kept.append(" ")
            continue
        if category == "Cf":
            if char == ZERO_WIDTH_JOINER and _joins_emoji(kept, value, index):
                kept.append(char)
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).strip()


def _joins_emoji(kept: list[str], value: str, index: int) -> bool:
    before = kept[-1] if kept else ""
    after = value[index + 1] if index + 1 < len(value) else ""
    return _is_emoji(before) and _is_emoji(after)


def _is_emoji(char: str) -> bool:
    """A pictograph (So: other symbol) or what follows one in an emoji sequence."""
    return bool(char) and (char in EMOJI_MODIFIERS or unicodedata.category(char) == "So")
