"""A database outage answers 503 "try again shortly" instead of a 500: JSON with
`Retry-After` under /api/, a friendly page elsewhere. With the database's connect
timeout (DATABASE_CONNECT_TIMEOUT_SECONDS) a hung PostgreSQL gets its answer quickly."""

from __future__ import annotations

import logging
import threading
import time

from csp import constants as csp_constants
from csp import middleware as csp_middleware
from csp.middleware import CheckableLazyObject
from django.conf import settings
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


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, with the policy of an ordinary response built once.

    A response for which no nonce was asked and no view set its own policy (the
    @csp_* decorators) gets the same header every time, yet django-csp deep-copies
    the settings and builds the string again for each one: a sixth of a small API
    request's time. Those get the header built on the first such response; any
    other response, and every one while DEBUG or with excluded URL prefixes, goes
    through django-csp unchanged."""

    VIEW_POLICIES = tuple(
        f"_csp_{kind}{ro}" for kind in ("config", "update", "replace") for ro in ("", "_ro")
    )
    EXEMPTIONS = {
        csp_constants.HEADER: "_csp_exempt",
        csp_constants.HEADER_REPORT_ONLY: "_csp_exempt_ro",
    }

    def __init__(self, get_response=None) -> None:
        super().__init__(get_response)
        self._headers: dict[str, str] | None = None

    def _ordinary(self, request, response) -> bool:
        policies = (
            getattr(settings, "CONTENT_SECURITY_POLICY", None),
            getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None),
        )
        return not (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self.VIEW_POLICIES)
            or any((policy or {}).get("EXCLUDE_URL_PREFIXES") for policy in policies)
        )

    def process_response(self, request, response):
        if not self._ordinary(request, response):
            return super().process_response(request, response)
        if self._headers is None:
            probe = super().process_response(request, HttpResponse())
            self._headers = {name: probe[name] for name in self.EXEMPTIONS if name in probe}
        for name, value in self._headers.items():
            if name not in response and not getattr(response, self.EXEMPTIONS[name], False):
                response[name] = value
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
