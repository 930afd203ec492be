"""Serializer fields shared by the API's input serializers."""

from __future__ import annotations

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers

from tutor.text import ONLY_INVISIBLE, clean_text


class CleanCharField(serializers.CharField):
    """Text a learner types, through tutor.text.clean_text(): NFC, without control,
    zero-width or bidi characters. The length limit applies to the cleaned text; a
    value that had only such characters is a 400 naming the field, even where an
    empty value is allowed (it was not left empty on purpose). A NUL stays the 400
    DRF gives it, as it was before this field."""

    default_error_messages = {"invisible": ONLY_INVISIBLE}

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        value = super().to_internal_value(data)
        ProhibitNullCharactersValidator()(value)
        cleaned = clean_text(value, multiline=self.multiline)
        if value and not cleaned:
            self.fail("invisible")
        return cleaned
