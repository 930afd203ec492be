"""Serving stored files with HTTP Range support: Safari will not play <audio> without it."""

from __future__ import annotations

import re

from django.core.files import File
from django.http import HttpRequest, HttpResponse

_SINGLE_RANGE = re.compile(r"bytes=\s*([0-9]*)\s*-\s*([0-9]*)\s*")
# 10**18 bytes is an exabyte: a longer position is a probe, not a player, and is
# answered 416 before int() sees it (int() refuses more than 4,300 digits).
MAX_POSITION_DIGITS = 18


class _Unsatisfiable(Exception):
    pass


def ranged_file_response(
    request: HttpRequest,
    file: File,
    *,
    size: int,
    content_type: str,
    cache_control: str = "private, max-age=0",
) -> HttpResponse:
    """The whole file (200), the requested byte range (206) or 416; closes `file` either way."""
    try:
        try:
            byte_range = _requested_range(request.headers.get("Range", ""), size)
        except _Unsatisfiable:
            response = HttpResponse(status=416)
            response.headers["Content-Range"] = f"bytes */{size}"
            length = 0
        else:
            start, end = byte_range or (0, size - 1)
            length = max(end - start + 1, 0)
            response = HttpResponse(status=206 if byte_range else 200)
            if byte_range:
                response.headers["Content-Range"] = f"bytes {start}-{end}/{size}"
            if request.method != "HEAD":
                file.seek(start)
                response.content = file.read(length)
                length = len(response.content)
    finally:
        file.close()
    response.headers["Content-Type"] = content_type
    response.headers["Content-Length"] = str(length)
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["Cache-Control"] = cache_control
    return response


def _requested_range(header: str, size: int) -> tuple[int, int] | None:
    """Inclusive (start, end) of one satisfiable range, or None to send the whole file.

    Malformed headers and multiple ranges are ignored, as RFC 9110 allows.
    """
    match = _SINGLE_RANGE.fullmatch(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if max(len(first), len(last)) > MAX_POSITION_DIGITS:
        raise _Unsatisfiable
    if first:
        start = int(first)
        if last and int(last) < start:
            return None
        if start >= size:
            raise _Unsatisfiable
        end = min(int(last), size - 1) if last else size - 1
        return start, end
    if last:  # a suffix: the final n bytes
        if int(last) == 0 or size == 0:
            raise _Unsatisfiable
        return max(size - int(last), 0), size - 1
    return None
