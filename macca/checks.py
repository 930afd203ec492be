"""System checks for the AI settings: `manage.py check` and server start fail
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
