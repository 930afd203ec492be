"""Macca's speech files, served from the storage with Range support."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from tutor.files import ranged_file_response

SPEECH_TYPES = {"wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg"}


@require_safe
def speech_file(request: HttpRequest, key: str, extension: str) -> HttpResponse:
    """Tutor speech is shareable and named by its content hash, so it is cached
    for good; it answers Range requests, without which Safari plays nothing."""
    name = f"speech/{key}.{extension}"
    if not default_storage.exists(name):
        raise Http404("No such speech file.")
    return ranged_file_response(
        request,
        default_storage.open(name),
        size=default_storage.size(name),
        content_type=SPEECH_TYPES[extension],
        cache_control="public, max-age=31536000, immutable",
    )
