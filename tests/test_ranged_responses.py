"""Stored audio is served with Range support, because Safari will not play it otherwise."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile, File
from django.test import RequestFactory

from tutor.files import ranged_file_response

DATA = b"0123456789"


def respond(range_header: str | None = None, method: str = "get", file: File | None = None):
    headers = {"Range": range_header} if range_header is not None else {}
    request = getattr(RequestFactory(), method)("/recordings/1", headers=headers)
    if file is None:  # not `or`: a File without a name is falsy
        file = ContentFile(DATA, name="turn.wav")
    return ranged_file_response(request, file, size=len(DATA), content_type="audio/wav")


def test_it_serves_the_whole_file_and_advertises_ranges():
    response = respond()
    assert response.status_code == 200
    assert response.content == DATA
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "audio/wav"
    assert response["Content-Length"] == "10"
    assert response["Cache-Control"] == "private, max-age=0"
    assert not response.has_header("Content-Range")


def test_it_answers_safaris_first_probe_with_two_bytes():
    response = respond("bytes=0-1")
    assert response.status_code == 206
    assert response.content == b"01"
    assert response["Content-Range"] == "bytes 0-1/10"
    assert response["Content-Length"] == "2"
    assert response["Accept-Ranges"] == "bytes"


def test_it_serves_a_range_from_the_middle():
    response = respond("bytes=3-5", file=File(io.BytesIO(DATA)))
    assert (response.status_code, response.content) == (206, b"345")
    assert response["Content-Range"] == "bytes 3-5/10"


def test_it_serves_an_open_ended_range_to_the_end():
    response = respond("bytes=7-")
    assert (response.status_code, response.content) == (206, b"789")
    assert response["Content-Range"] == "bytes 7-9/10"


def test_it_serves_a_suffix_range():
    response = respond("bytes=-4")
    assert (response.status_code, response.content) == (206, b"6789")
    assert response["Content-Range"] == "bytes 6-9/10"


def test_it_clamps_a_range_that_runs_past_the_end():
    response = respond("bytes=8-100")
    assert (response.status_code, response.content) == (206, b"89")
    assert response["Content-Range"] == "bytes 8-9/10"


def test_it_refuses_a_range_that_starts_past_the_end():
    response = respond("bytes=10-")
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */10"
    assert response.content == b""


def test_it_ignores_a_garbage_range_header():
    for header in ("pages=1-2", "bytes=abc", "bytes=5-2", "bytes=-"):
        response = respond(header)
        assert (response.status_code, response.content) == (200, DATA), header


def test_it_sends_the_whole_file_for_multiple_ranges():
    response = respond("bytes=0-1, 4-5")
    assert (response.status_code, response.content) == (200, DATA)


def test_it_answers_head_with_headers_and_no_body():
    response = respond(method="head")
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Length"] == "10"
    assert response["Accept-Ranges"] == "bytes"

    ranged = respond("bytes=0-1", method="head")
    assert (ranged.status_code, ranged.content) == (206, b"")
    assert ranged["Content-Range"] == "bytes 0-1/10"
    assert ranged["Content-Length"] == "2"


def test_it_closes_the_file():
    file = File(io.BytesIO(DATA))
    respond("bytes=0-1", file=file)
    assert file.closed
