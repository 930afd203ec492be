"""Server-rendered pages, and Macca's speech files."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .files import ranged_file_response
from .models import Lesson

SPEECH_TYPES = {"wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg"}


def home(request: HttpRequest) -> HttpResponse:
    """What Macca is, and the lessons a learner can practise."""
    lessons = Lesson.objects.published().only(
        "title", "subtitle", "objective", "level", "goal", "target_vocabulary"
    )
    return render(request, "tutor/home.html", {"lessons": lessons})


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
