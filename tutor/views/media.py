"""Macca's speech files, served from the storage with Range support.

`?speed=slow` gives the same line spoken slowly and `?format=mp3` the same line as MP3
(for browsers without Opus); each variant is made on its first request and cached."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tutor.files import ranged_file_response
from tutor.models import SpeechClip
from tutor.services.speech import AUDIO_FORMATS, variant

SPEECH_TYPES = {"wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg", "ogg": "audio/ogg"}
SPEEDS = ("normal", "slow")


@require_safe
def speech_file(request: HttpRequest, key: str, extension: str) -> HttpResponse:
    """Tutor speech is shareable and named by its content hash, so it is cached
    for good; it answers Range requests, without which Safari plays nothing."""
    name = f"speech/{key}.{extension}"
    speed = request.GET.get("speed", "normal")
    audio_format = request.GET.get("format", extension)
    if speed not in SPEEDS or audio_format not in (*AUDIO_FORMATS, extension):
        return JsonResponse(
            {"detail": _("speed is normal or slow; format is ogg or mp3.")}, status=400
        )
    if speed == "slow" or audio_format != extension:
        clip = SpeechClip.objects.filter(key=key).first()  # a file is named by its clip's key
        found = clip and variant(clip, slow=speed == "slow", audio_format=audio_format)
        if not found:
            raise Http404("No such speech file.")
        name, extension = found.audio.name, audio_format
    if not default_storage.exists(name):
        raise Http404("No such speech file.")
    return ranged_file_response(
        request,
        default_storage.open(name),
        size=default_storage.size(name),
        content_type=SPEECH_TYPES[extension],
        cache_control="public, max-age=31536000, immutable",
    )
