"""Serving stored files with HTTP Range support: Safari will not play <audio> without it."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.files import File
from django.core.files.storage import Storage, default_storage
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

    def read(start: int, length: int) -> bytes:
        file.seek(start)
        return file.read(length)

    try:
        return _ranged_response(
            request, read, size=size, content_type=content_type, cache_control=cache_control
        )
    finally:
        file.close()


def stored_file_response(
    request: HttpRequest,
    name: str,
    *,
    content_type: str,
    cache_control: str = "private, max-age=0",
    storage: Storage | None = None,
) -> HttpResponse:
    """The stored file `name`, as `ranged_file_response` answers; FileNotFoundError when
    the storage has no such file. Only the bytes sent are read: from an object store that
    offers `read_range` (macca.storage) one ranged GET, after one request for the size."""
    storage = storage or default_storage
    size = storage.size(name)  # FileNotFoundError: gone
    read_range = getattr(storage, "read_range", None)

    def read(start: int, length: int) -> bytes:
        if read_range is not None:
            return read_range(name, start, length)
        with storage.open(name) as file:
            file.seek(start)
            return file.read(length)

    return _ranged_response(
        request, read, size=size, content_type=content_type, cache_control=cache_control
    )


def _ranged_response(
    request: HttpRequest,
    read: Callable[[int, int], bytes],
    *,
    size: int,
    content_type: str,
    cache_control: str,
) -> HttpResponse:
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
            response.content = read(start, length) if length else b""
            length = len(response.content)
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
