"""What this API is, and whether it is healthy (for load balancers)."""

from __future__ import annotations

import logging

from django.core.cache import cache, caches
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

import providers
from macca import __version__
from macca.cache import FallbackRedisCache
from macca.middleware import RETRY_AFTER_SECONDS
from providers.breaker import current_problems

logger = logging.getLogger(__name__)


class _Public(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []


def _engine(name: str, fallback: bool = True, **kwargs) -> serializers.Serializer:
    fields = {
        "name": serializers.CharField(),
        "model": serializers.CharField(),
        "status": serializers.CharField(
            required=False,
            help_text="Local models: not loaded, loading, loaded or failed (loaded lazily, "
            "warmed in the background at start-up).",
        ),
        "load_seconds": serializers.FloatField(required=False),
        "provider": serializers.CharField(
            required=False,
            help_text="Hugging Face speech: the Inference Provider whose request shape is "
            "used (hf-inference, fal-ai, replicate, deepinfra, together; endpoint for a "
            "dedicated URL).",
        ),
    }
    if fallback:
        fields["fallback"] = _engine(
            f"{name}Fallback",
            fallback=False,
            required=False,
            help_text="The local engine that answers when the remote one fails.",
        )
    return inline_serializer(name, fields, **kwargs)


class RootView(_Public):
    @extend_schema(
        operation_id="api_root",
        responses=inline_serializer(
            "ApiRoot",
            {
                "message": serializers.CharField(),
                "version": serializers.CharField(),
                "ai_mode": serializers.ChoiceField(choices=["local", "huggingface", "openai"]),
                "engines": inline_serializer(
                    "Engines",
                    {
                        task: _engine(f"{task.title()}Engine")
                        for task in ("llm", "asr", "tts", "pronunciation")
                    },
                ),
            },
        ),
        description="What answers each task: the local engines (loaded or not yet, and "
        "how long they took), or Hugging Face models or an OpenAI-compatible server's, "
        "with the local engine behind each.",
    )
    def get(self, request):
        return Response(
            {
                "message": "Macca API",
                "version": __version__,
                "ai_mode": providers.ai_mode()[0],
                "engines": providers.describe_engines(),
            }
        )


class LiveView(_Public):
    @extend_schema(
        operation_id="health_live",
        responses=inline_serializer(
            "HealthLive",
            {
                "status": serializers.CharField(),
                "version": serializers.CharField(),
                "use_mock_ai": serializers.BooleanField(),
            },
        ),
        description="The process answers. Touches no database.",
    )
    def get(self, request):
        mock = providers.ai_mode()[0] == "local"
        return Response({"status": "ok", "version": __version__, "use_mock_ai": mock})


class ReadyView(_Public):
    @extend_schema(
        operation_id="health_ready",
        responses={
            (code, "application/json"): inline_serializer(
                f"HealthReady{code}",
                {
                    "status": serializers.CharField(),
                    "database": serializers.CharField(),
                    "cache": serializers.CharField(),
                    "ai": serializers.CharField(
                        help_text='"ok", or "degraded: <task>: <problem> (<status>)" while a '
                        "provider answers what only a person can mend (402 credits "
                        "exhausted, 401/403 token): learners get the local engines, so "
                        "this never makes the probe fail."
                    ),
                },
            )
            for code in (200, 503)
        },
        description="The database and the cache answer; 503 names the part that does not. "
        "`ai` says whether a remote AI task needs a person; it never makes this 503.",
    )
    def get(self, request):
        parts = {"database": _check_database(), "cache": _check_cache()}
        ok = all(value == "ok" for value in parts.values())
        if ok:
            return Response({"status": "ok", **parts, "ai": _check_ai()})
        return Response(
            {"status": "error", **parts, "ai": _check_ai()},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # any failure means "not ready"; the log has the detail
        logger.warning("readiness: database failed: %s", exc)
        return f"error: {type(exc).__name__}"


def _check_ai() -> str:
    """Learners still get the local fallback, so this is reported, never a 503: a load
    balancer must not pull every server because the AI credits ran out."""
    try:
        problems = current_problems()
    except Exception as exc:  # the cache check reports the cause
        return f"unknown: {type(exc).__name__}"
    if not problems:
        return "ok"
    return "degraded: " + "; ".join(f"{p.task}: {p.summary} ({p.status})" for p in problems)


def _check_cache() -> str:
    try:
        cache.set("health:ready", "ok", timeout=5)
        if cache.get("health:ready") != "ok":
            return "error: value not kept"
    except Exception as exc:
        logger.warning("readiness: cache failed: %s", exc)
        return f"error: {type(exc).__name__}"
    backend = caches["default"]
    if isinstance(backend, FallbackRedisCache) and backend.redis_failure:
        return f"error: {backend.redis_failure}"  # kept in this process's memory, not Redis
    return "ok"
