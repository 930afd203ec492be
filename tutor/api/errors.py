"""One exception handler, so every API error has DRF's shape:
{"detail": "..."} or {"field": ["message", ...]}."""

from __future__ import annotations

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tutor.services.audio import AudioRejected
from tutor.services.sessions import SessionError


def exception_handler(exc, context):
    if isinstance(exc, AudioRejected):
        return Response({"audio": [exc.message]}, status=exc.status)
    if isinstance(exc, SessionError):
        return Response({"detail": str(exc)}, status=400)
    return drf_exception_handler(exc, context)
