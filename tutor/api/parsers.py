"""Request body parsers."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing a body nested more than MAX_DEPTH levels (400).

    Python's json module recurses once per level: about a thousand levels (a few KB
    of `[[[[…`) raise RecursionError, a 500, and a few hundred less parse but leave
    too little stack for whatever walks the data next. Every body this API takes is
    one flat object of strings, numbers and booleans (depth 1); 32 leaves clients
    room for anything reasonable and the stack far from its limit.
    """

    MAX_DEPTH = 32

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise self._too_deep() from None
        if _nested_deeper_than(data, self.MAX_DEPTH):
            raise self._too_deep()
        return data

    def _too_deep(self) -> ParseError:
        return ParseError(
            _("The JSON is nested more than %(depth)d levels deep. Send an object of fields.")
            % {"depth": self.MAX_DEPTH}
        )


def _nested_deeper_than(data: object, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` levels, found without
    recursion (the point is not to need the stack)."""
    containers = [(data, 1)] if isinstance(data, (dict, list)) else []
    while containers:
        value, depth = containers.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        containers.extend(
            (child, depth + 1) for child in children if isinstance(child, (dict, list))
        )
    return False
