"""Macca's speech files, served from the storage with Range support.

A shared line (the pronunciation page's) is anyone's and cached publicly. A personal
line, with a learner's name or words, is served only to that learner (session cookie
or Bearer token); anyone else gets the 404 of a file that does not exist, so a name
says nothing about what was spoken to whom.

`?speed=slow` gives the same line spoken slowly and `?format=mp3` the same line as MP3
(for browsers without Opus); each variant is made on its first request and cached,
owned by the same learner."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from tutor.files import stored_file_response
from tutor.models import User
from tutor.services.speech import AUDIO_FORMATS, clip_named, may_hear, variant

SPEECH_TYPES = {"wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg", "ogg": "audio/ogg"}
SPEEDS = ("normal", "slow")
# Its name is a keyed hash of its content, so a file never changes: cached for good,
# by any cache for a shared line, by the learner's browser only for a personal one.
SHARED_CACHING = "public, max-age=31536000, immutable"
PERSONAL_CACHING = "private, max-age=31536000, immutable"


@require_safe
def speech_file(request: HttpRequest, key: str, extension: str) -> HttpResponse:
    """Tutor speech; it answers Range requests, without which Safari plays nothing."""
    speed = request.GET.get("speed", "normal")
    audio_format = request.GET.get("format", extension)
    if speed not in SPEEDS or audio_format not in (*AUDIO_FORMATS, extension):
        return JsonResponse(
            {"detail": _("speed is normal or slow; format is ogg or mp3.")}, status=400
        )
    clip = clip_named(key, extension)
    if clip is None or (clip.owner_id is not None and not may_hear(clip, listener(request))):
        raise Http404("No such speech file.")
    if speed == "slow" or audio_format != extension:
        clip = variant(clip, slow=speed == "slow", audio_format=audio_format)
        if clip is None:
            raise Http404("No such speech file.")
        extension = audio_format
    try:
        response = stored_file_response(
            request,
            clip.audio.name,
            content_type=SPEECH_TYPES[extension],
            cache_control=SHARED_CACHING if clip.owner_id is None else PERSONAL_CACHING,
        )
    except FileNotFoundError:
        raise Http404("No such speech file.") from None
    if clip.owner_id is not None:  # not a cached copy for another login in this browser
        patch_vary_headers(response, ("Cookie", "Authorization"))
    return response


def listener(request: HttpRequest) -> User | None:
    """Who is asking, as the API decides it: an API client's Bearer token, or the
    browser's logged-in learner (an <audio> element sends the session cookie). A bad
    token is nobody, answered like anyone else: 404."""
    authenticators = [auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    try:
        user = Request(request, authenticators=authenticators).user
    except APIException:
        return None
    return user if user.is_authenticated else None
