"""Server-rendered pages, one module per area; they call the same services as
the JSON API, and their JavaScript calls the API itself."""

from __future__ import annotations

from tutor.text import clean_text


def typed_text(value: str | None, *, multiline: bool = False) -> str:
    """Text from a form or the query string, cleaned as the API cleans it (no NUL,
    which PostgreSQL refuses even in a lookup, no zero-width or bidi characters)."""
    return clean_text(value or "", multiline=multiline)
