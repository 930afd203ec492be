"""One exception handler, so every API error has DRF's shape:
{"detail": "..."} or {"field": ["message", ...]}."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tutor.services.audio import AudioRejected
from tutor.services.sessions import SessionError


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):  # over DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response({"detail": _("The request body is too large.")}, status=413)
    if isinstance(exc, TooManyFieldsSent):  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
        return Response({"detail": _("The request has too many fields.")}, status=400)
    if isinstance(exc, TooManyFilesSent):  # over DATA_UPLOAD_MAX_NUMBER_FILES
        return Response({"detail": _("The request has too many files.")}, status=400)
    if isinstance(exc, AudioRejected):
        return Response({"audio": [exc.message]}, status=exc.status)
    if isinstance(exc, SessionError):
        return Response({"detail": str(exc)}, status=400)
    return drf_exception_handler(exc, context)


def bad_request(request, exception=None):
    """Django's 400 for a request refused before any API view answers it (a
    suspicious operation): JSON under /api/, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    return defaults.bad_request(request, exception)


def not_found(request, exception=None):
    """Django's 404 for a URL no route matches (a malformed id, a typo): JSON under
    /api/ like every other API error, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Server error. Please try again.")}, status=500)
    return defaults.server_error(request)
