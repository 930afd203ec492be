"""A database outage answers 503 "try again shortly" instead of a 500: JSON with
`Retry-After` under /api/, a friendly page elsewhere. With the database's connect
timeout (DATABASE_CONNECT_TIMEOUT_SECONDS) a hung PostgreSQL gets its answer quickly."""

from __future__ import annotations

import logging
import threading
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
WARNING_INTERVAL_SECONDS = 60.0

_warned_at: float | None = None
_warned_lock = threading.Lock()


class DatabaseUnavailableMiddleware:
    """Sees what views raise (DRF re-raises what its exception handler leaves
    unanswered, so the API's errors come here too)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        _warn_once_per_interval(exception)
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"detail": _("Macca is briefly unavailable. Please try again shortly.")},
                status=503,
            )
        else:
            # Standalone: the site's base template asks the database who is logged in.
            page = render_to_string("503.html", {"retry_url": request.get_full_path()})
            response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def _warn_once_per_interval(exception: Exception) -> None:
    global _warned_at
    now = time.time()
    with _warned_lock:
        if _warned_at is not None and now - _warned_at < WARNING_INTERVAL_SECONDS:
            return
        _warned_at = now
    logger.warning(
        "database unavailable (%s: %s); answering 503 (logged once per %ds)",
        type(exception).__name__,
        exception,
        WARNING_INTERVAL_SECONDS,
        exc_info=exception,
    )
