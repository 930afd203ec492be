"""Server-rendered pages, one module per area; they call the same services as
the JSON API, and their JavaScript calls the API itself."""

from __future__ import annotations


def typed_text(value: str | None) -> str:
    """Text from a form or the query string, trimmed and without NUL characters:
    nobody types one, and PostgreSQL refuses them in text, even in a lookup."""
    return (value or "").replace("\x00", "").strip()
