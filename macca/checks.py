"""System checks for the AI and media settings: `manage.py check` and server start fail
loudly, naming the variable, instead of failing on the first learner."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register("macca")
def check_ai_settings(app_configs, **kwargs) -> list[Error]:
    if settings.AI_PROVIDER == "openai":
        return _check_openai_settings()
    if settings.AI_PROVIDER == "huggingface":
        asked = "AI_PROVIDER=huggingface"
    elif settings.AI_PROVIDER == "" and settings.USE_MOCK_AI is False:
        asked = "USE_MOCK_AI=false"
    else:
        return []  # local engines, or local unless a key is set: nothing can be missing
    hint = "Set it in the environment or .env, or set AI_PROVIDER=local for the offline engines."
    errors = []
    if not settings.HF_API_KEY:
        errors.append(Error(f"{asked} but HF_API_KEY is not set.", hint=hint, id="macca.E001"))
    for name in ("HF_LLM_MODEL_ID", "HF_ASR_MODEL_ID", "HF_TTS_MODEL_ID"):
        if not getattr(settings, name):
            errors.append(Error(f"{asked} but {name} is empty.", hint=hint, id="macca.E002"))
    return errors


def _check_openai_settings() -> list[Error | Warning]:
    if not settings.OPENAI_BASE_URL:
        return [
            Error(
                "AI_PROVIDER=openai but OPENAI_BASE_URL is not set.",
                hint="Set it to the server's base URL, e.g. http://127.0.0.1:8000/v1.",
                id="macca.E003",
            )
        ]
    names = ("OPENAI_LLM_MODEL", "OPENAI_ASR_MODEL", "OPENAI_TTS_MODEL")
    if not any(getattr(settings, name) for name in names):
        return [
            Warning(
                "AI_PROVIDER=openai but no task has a model: the local engines answer all.",
                hint=f"Set at least one of {', '.join(names)}.",
                id="macca.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_email_settings(app_configs, **kwargs) -> list[Warning]:
    """Learners reset forgotten passwords by email: in production it must be sent."""
    if settings.EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend":
        return []
    return [
        Warning(
            "EMAIL_URL is not set: password reset emails are printed to the log, not sent.",
            hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587.",
            id="macca.W001",
        )
    ]


@register("macca")
def check_media_storage(app_configs, **kwargs) -> list[Error]:
    """MEDIA_STORAGE=s3 needs a bucket, both halves of a key, and MEDIA_URL on Macca."""
    if settings.MEDIA_STORAGE != "s3":
        return []
    errors = []
    if not settings.MEDIA_S3_BUCKET:
        errors.append(
            Error(
                "MEDIA_STORAGE=s3 but MEDIA_S3_BUCKET is not set.",
                hint="Set MEDIA_S3_BUCKET to an existing private bucket (and "
                "MEDIA_S3_ENDPOINT_URL for a server other than AWS S3), or set "
                "MEDIA_STORAGE=filesystem to keep media under MEDIA_ROOT.",
                id="macca.E004",
            )
        )
    if bool(settings.MEDIA_S3_ACCESS_KEY_ID) != bool(settings.MEDIA_S3_SECRET_ACCESS_KEY):
        given, missing = ("MEDIA_S3_ACCESS_KEY_ID", "MEDIA_S3_SECRET_ACCESS_KEY")
        if settings.MEDIA_S3_SECRET_ACCESS_KEY:
            given, missing = missing, given
        errors.append(
            Error(
                f"MEDIA_STORAGE=s3: {given} is set but {missing} is not.",
                hint="Set both, or neither to use boto3's own credentials "
                "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws, an instance role).",
                id="macca.E005",
            )
        )
    endpoint = settings.MEDIA_S3_ENDPOINT_URL
    if endpoint and not endpoint.startswith(("http://", "https://")):
        errors.append(
            Error(
                f"MEDIA_S3_ENDPOINT_URL is {endpoint!r}, not an http:// or https:// URL.",
                hint="e.g. https://<account>.r2.cloudflarestorage.com or http://127.0.0.1:9000 "
                "(MinIO); leave it empty for AWS S3.",
                id="macca.E007",
            )
        )
    if not settings.MEDIA_URL.startswith("/"):
        errors.append(
            Error(
                f"MEDIA_STORAGE=s3 but MEDIA_URL is {settings.MEDIA_URL!r}, not a path: the "
                "bucket is private and Macca serves its files itself, after checking who asks.",
                hint="Set MEDIA_URL to a path on this site, e.g. /media/.",
                id="macca.E006",
            )
        )
    return errors
