"""Macca's settings: every value comes from the environment (or `.env`), with a
safe development default. Production values are documented in `.env.example`
and the README; a bad or missing production value stops start-up loudly."""

from __future__ import annotations

import warnings
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
ENV_FILE = Path(env.str("ENV_FILE", default=str(BASE_DIR / ".env")))
if ENV_FILE.is_file():
    # Real environment variables win over the file.
    environ.Env.read_env(ENV_FILE, overwrite=False)


def _positive_int(name: str, default: int) -> int:
    value = env.int(name, default=default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be a positive whole number, got {value}.")
    return value


# --- Core -------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=True)

DEVELOPMENT_SECRET_KEY = "django-insecure-macca-development-only-key-do-not-deploy"
SECRET_KEY = env.str("SECRET_KEY", default="") or DEVELOPMENT_SECRET_KEY
if not DEBUG and (
    SECRET_KEY == DEVELOPMENT_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure-")
    or len(SECRET_KEY) < 50
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when "
        "DEBUG=false. Generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "macca",  # owns the settings: their system checks, the AI mode log line
    "macca.admin.MaccaAdminConfig",  # django.contrib.admin, its login throttled
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so `runserver` serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets served by this app, no CDN
    "csp",  # the Content-Security-Policy header (its system checks, its decorators)
    "tutor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "macca.middleware.CSPMiddleware",  # django-csp's, the same header built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "macca.middleware.DatabaseUnavailableMiddleware",  # a database outage is a quick 503
]

ROOT_URLCONF = "macca.urls"
WSGI_APPLICATION = "macca.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tutor.context_processors.ai_mode",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite by default (zero set-up); DATABASE_URL=postgres://user:pass@host:5432/name
# for production and CI (psycopg 3).

DATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///db.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database that accepts connections and never answers must not hold every
    # request (and thread) for minutes: requests then get a quick 503.
    pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    pg_options["connect_timeout"] = _positive_int("DATABASE_CONNECT_TIMEOUT_SECONDS", 5)
    statement_timeout_ms = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=30_000)
    if statement_timeout_ms < 0:
        raise ImproperlyConfigured(
            "DATABASE_STATEMENT_TIMEOUT_MS must be 0 (no limit) or more, "
            f"got {statement_timeout_ms}."
        )
    pg_options["options"] = " ".join(
        filter(None, [pg_options.get("options"), f"-c statement_timeout={statement_timeout_ms}"])
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        # A relative path is relative to the project, not to the current directory.
        DATABASES["default"]["NAME"] = BASE_DIR / DATABASES["default"]["NAME"]
    # Take the write lock when a transaction starts, and let readers work while
    # a turn is written: no "database is locked" under the dev server's threads.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# Redis when REDIS_URL is set (shared by every app server: throttling, circuit
# breaker); a per-process memory cache otherwise. While Redis refuses or hangs
# (past a short socket timeout), each process falls back to its own memory.

REDIS_URL = env.str("REDIS_URL", default="")
REDIS_SOCKET_TIMEOUT_SECONDS = env.float("REDIS_SOCKET_TIMEOUT_SECONDS", default=0.5)
if REDIS_SOCKET_TIMEOUT_SECONDS <= 0:
    raise ImproperlyConfigured(
        f"REDIS_SOCKET_TIMEOUT_SECONDS must be positive, got {REDIS_SOCKET_TIMEOUT_SECONDS}."
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "macca.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "macca",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Users and auth ---------------------------------------------------------

AUTH_USER_MODEL = "tutor.User"
# The email is unique case-insensitively, by the functional constraint
# tutor_user_email_ci_unique on LOWER(email), which this check cannot see.
SILENCED_SYSTEM_CHECKS = ["auth.E003"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

TOKEN_TTL_HOURS = _positive_int("TOKEN_TTL_HOURS", 24)
# Password reset links: valid this long, and used once (Django's default is 3 days).
PASSWORD_RESET_TIMEOUT = _positive_int("PASSWORD_RESET_TIMEOUT_HOURS", 24) * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# --- Email (password reset links) ------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587 (django-environ's
# email URL). Unset, emails are printed to the console: fine in development, and
# `check --deploy` warns about it in production.

EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
_email = environ.Env.email_url_config(EMAIL_URL)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10  # a slow mail server must not hold a request for long
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Macca <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- JSON API (Django REST Framework) ---------------------------------------
# Bearer tokens (knox: opaque, hashed at rest, expiring) for API clients; the
# session cookie with CSRF for the browser pages. Throttle counters live in the
# cache, so they are shared by every app server when Redis is configured.

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials gets 401 + WWW-Authenticate.
        "tutor.api.authentication.TokenAuthentication",  # knox's, 401 on a non-ASCII token
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "tutor.api.parsers.JSONParser",  # DRF's, refusing absurdly nested JSON
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        # DRF's anon and user rates, counted with one cache round trip per request.
        "tutor.api.throttles.AnonThrottle",
        "tutor.api.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON_RATE", default="120/min"),
        "user": env.str("THROTTLE_USER_RATE", default="300/min"),
        "turn": env.str("THROTTLE_TURN_RATE", default="30/min"),
        "speech": env.str("THROTTLE_SPEECH_RATE", default="60/min"),
        # Wrong passwords only: per (email, IP), per IP (a school's network shares one),
        # and a high ceiling per email that refuses only the addresses that failed.
        "login_email_ip": env.str("THROTTLE_LOGIN_RATE", default="10/min"),
        "login_ip": env.str("THROTTLE_LOGIN_IP_RATE", default="30/min"),
        "login_email": env.str("THROTTLE_LOGIN_EMAIL_RATE", default="100/hour"),
        # Wrong current passwords typed by a logged-in learner (password change, deletion).
        "password_check": env.str("THROTTLE_LOGIN_RATE", default="10/min"),
        "password_reset_ip": env.str("THROTTLE_PASSWORD_RESET_RATE", default="10/hour"),
        "password_reset_email": env.str("THROTTLE_PASSWORD_RESET_RATE", default="10/hour"),
        "signup_ip": env.str("THROTTLE_SIGNUP_RATE", default="20/hour"),
        "signup_email": env.str("THROTTLE_SIGNUP_RATE", default="20/hour"),
    },
    # Throttles key on the client's IP: trust X-Forwarded-For only from this many
    # proxies in front of the app, or anyone could dodge them with a forged header.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "DEFAULT_PAGINATION_CLASS": "tutor.api.pagination.PagePagination",  # ?page_size= 1..100
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "tutor.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
KNOX_TOKEN_MODEL = "knox.AuthToken"  # named, so tutor.TokenActivity can point at it
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": timedelta(hours=TOKEN_TTL_HOURS),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Macca API",
    "DESCRIPTION": (
        "The JSON API of Macca, an AI English speaking coach for Indonesian learners. "
        "Authenticate with `Authorization: Bearer <access_token>` (from signup or login) "
        "or, in the browser, the session cookie with a CSRF token. Errors come as "
        '`{"detail": "..."}` or `{"field": ["message", ...]}`. Pronunciation feedback '
        "is based on what the speech recogniser heard, not on the raw sound."
    ),
    "VERSION": "1.0.0",
    # 3.1: JSON Schema proper, so the pydantic schema of MaccaJsonResponse (null types) fits.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "tutor.models.choices.Level",
        "GoalEnum": "tutor.models.choices.Goal",
        "ExplanationLanguageEnum": "tutor.models.choices.ExplanationLanguage",
    },
}

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files and media -------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = BASE_DIR / env.str("MEDIA_ROOT", default="media")  # relative to the project

# Tutor speech and learner recordings: files under MEDIA_ROOT, or objects in an
# S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, …) that every app server shares.
# Either way Macca serves them itself (macca/storage.py), after its owner check.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem").strip().lower()
if MEDIA_STORAGE not in ("filesystem", "s3"):
    raise ImproperlyConfigured(
        f"MEDIA_STORAGE must be filesystem or s3, got {MEDIA_STORAGE!r}: filesystem keeps "
        "media under MEDIA_ROOT, s3 in the bucket MEDIA_S3_BUCKET."
    )
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
MEDIA_S3_ENDPOINT_URL = env.str("MEDIA_S3_ENDPOINT_URL", default="")
MEDIA_S3_REGION = env.str("MEDIA_S3_REGION", default="")
MEDIA_S3_ACCESS_KEY_ID = env.str("MEDIA_S3_ACCESS_KEY_ID", default="")
MEDIA_S3_SECRET_ACCESS_KEY = env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="")
MEDIA_S3_PREFIX = env.str("MEDIA_S3_PREFIX", default="").strip("/")
MEDIA_S3_ADDRESSING_STYLE = env.str("MEDIA_S3_ADDRESSING_STYLE", default="auto").strip().lower()
if MEDIA_S3_ADDRESSING_STYLE not in ("auto", "path", "virtual"):
    raise ImproperlyConfigured(
        f"MEDIA_S3_ADDRESSING_STYLE must be auto, path or virtual, "
        f"got {MEDIA_S3_ADDRESSING_STYLE!r}."
    )
if MEDIA_STORAGE == "s3":
    MEDIA_BACKEND = {
        "BACKEND": "macca.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": MEDIA_S3_ENDPOINT_URL or None,
            "region_name": MEDIA_S3_REGION or None,
            # Empty: boto3's own chain (AWS_* variables, ~/.aws, an instance role).
            "access_key": MEDIA_S3_ACCESS_KEY_ID or None,
            "secret_key": MEDIA_S3_SECRET_ACCESS_KEY or None,
            "location": MEDIA_S3_PREFIX,
            "addressing_style": None
            if MEDIA_S3_ADDRESSING_STYLE == "auto"
            else MEDIA_S3_ADDRESSING_STYLE,
        },
    }
else:
    MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": MEDIA_BACKEND,
    # Compressed files with hashed names in production (after `collectstatic`);
    # plain files straight from static/ in development.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if DEBUG:
    # In development whitenoise serves app files through the finders;
    # STATIC_ROOT only exists after `collectstatic`, so its absence is expected.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
WHITENOISE_MIMETYPES = {".wav": "audio/wav", ".webm": "audio/webm", ".ogg": "audio/ogg"}

# --- Security (on by default whenever DEBUG=false) --------------------------

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe health over plain HTTP, often without X-Forwarded-Proto.
SECURE_REDIRECT_EXEMPT = [r"^api/health/"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    # Only behind a proxy that sets X-Forwarded-Proto itself and strips the client's.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# In every mode, not only in production: the pages are built to work under them.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): scripts, styles and everything else from this
# origin only; no inline <script>, no style="" attributes, no eval. Recorded blobs and
# served audio play in <audio>. The Swagger UI page relaxes it for its one inline
# script and style (tutor/api/urls.py); the admin needs nothing more.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Logging ----------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Replaces Django's own console handler, so each line is printed once.
    "loggers": {"django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}},
}

# --- AI providers (local engines, or Hugging Face) ---------------------------
# AI_PROVIDER=local: everything offline (Whisper tiny.en ears, piper voice, the
# rule-based coach). AI_PROVIDER=huggingface: Hugging Face models, each task falling
# back to its local engine when a call fails; a missing HF_API_KEY is then a check
# error. AI_PROVIDER=openai: OpenAI-compatible servers (OPENAI_* below). Unset:
# Hugging Face when HF_API_KEY is set, local otherwise. The older
# USE_MOCK_AI=true still means local, USE_MOCK_AI=false Hugging Face.

AI_PROVIDER = env.str("AI_PROVIDER", default="").strip().lower()
if AI_PROVIDER not in ("", "local", "huggingface", "openai"):
    raise ImproperlyConfigured(
        f"AI_PROVIDER must be local, huggingface or openai, got {AI_PROVIDER!r}."
    )
USE_MOCK_AI = env.bool("USE_MOCK_AI", default=None)
# real: the local speech engines (faster-whisper, piper). stub: instant stand-ins that
# hear nothing and speak tones, for tests that are not about speech.
LOCAL_SPEECH = env.str("LOCAL_SPEECH", default="real")
if LOCAL_SPEECH not in ("real", "stub"):
    raise ImproperlyConfigured(f"LOCAL_SPEECH must be real or stub, got {LOCAL_SPEECH!r}.")
LOCAL_ASR_THREADS = _positive_int("LOCAL_ASR_THREADS", 2)
LOCAL_ASR_BEAM_SIZE = _positive_int("LOCAL_ASR_BEAM_SIZE", 1)
# Load the local models in a background thread when the server starts (runserver, gunicorn).
LOCAL_WARM_UP = env.bool("LOCAL_WARM_UP", default=True)
HF_API_KEY = env.str("HF_API_KEY", default="")
HF_API_BASE_URL = env.str("HF_API_BASE_URL", default="https://router.huggingface.co").rstrip("/")
# Defaults that Inference Providers are documented to serve; README's "Using real Hugging
# Face models" lists each one's providers, source and the date it was checked.
# Gemma 4 31B: 140+ languages, structured output, Apache-2.0 (cerebras, novita, …).
HF_LLM_MODEL_ID = env.str("HF_LLM_MODEL_ID", default="google/gemma-4-31B-it")
# Whisper large-v3 turbo, MIT (hf-inference; openai/whisper-large-v3 on five providers).
HF_ASR_MODEL_ID = env.str("HF_ASR_MODEL_ID", default="openai/whisper-large-v3-turbo")
# Kokoro 82M, Apache-2.0 (replicate, together, deepinfra).
HF_TTS_MODEL_ID = env.str("HF_TTS_MODEL_ID", default="hexgrad/Kokoro-82M")
# Full URLs (e.g. a dedicated Inference Endpoint) override the router-derived ones;
# a speech endpoint speaks the inference toolkit's shape, whatever HF_*_PROVIDER says.
HF_LLM_URL = env.str("HF_LLM_URL", default="")
HF_ASR_URL = env.str("HF_ASR_URL", default="")
HF_TTS_URL = env.str("HF_TTS_URL", default="")
HF_LLM_JSON_MODE = env.str("HF_LLM_JSON_MODE", default="json_schema")
if HF_LLM_JSON_MODE not in ("json_schema", "off"):
    raise ImproperlyConfigured(
        f"HF_LLM_JSON_MODE must be json_schema or off, got {HF_LLM_JSON_MODE!r}."
    )
HF_LLM_MAX_TOKENS = _positive_int("HF_LLM_MAX_TOKENS", 1500)
HF_CONNECT_TIMEOUT_SECONDS = env.float("HF_CONNECT_TIMEOUT_SECONDS", default=5.0)
HF_TIMEOUT_SECONDS = env.float("HF_TIMEOUT_SECONDS", default=30.0)
HF_MAX_RETRIES = env.int("HF_MAX_RETRIES", default=2)
HF_RETRY_BUDGET_SECONDS = env.float("HF_RETRY_BUDGET_SECONDS", default=15.0)
HF_BREAKER_FAILURES = _positive_int("HF_BREAKER_FAILURES", 5)
HF_BREAKER_COOLDOWN_SECONDS = _positive_int("HF_BREAKER_COOLDOWN_SECONDS", 30)
# After a 402 (credits exhausted) or 401/403 (token refused): no retry mends those.
HF_CREDITS_COOLDOWN_SECONDS = _positive_int("HF_CREDITS_COOLDOWN_SECONDS", 900)
# Which Inference Provider serves speech, each with its own request shape
# (providers/speech_shapes.py). *_PROVIDER_MODEL: the provider's own model id when it
# is not the Hub's (fal-ai/..., replicate owner/name[:version]); empty: the Hub id, or
# the provider's known id for it. HF_TTS_VOICE: the voice asked for (Kokoro's names).
HF_ASR_PROVIDER = env.str("HF_ASR_PROVIDER", default="hf-inference").strip().lower()
if HF_ASR_PROVIDER not in ("hf-inference", "fal-ai", "deepinfra"):
    raise ImproperlyConfigured(
        f"HF_ASR_PROVIDER must be hf-inference, fal-ai or deepinfra, got {HF_ASR_PROVIDER!r}."
    )
HF_ASR_PROVIDER_MODEL = env.str("HF_ASR_PROVIDER_MODEL", default="")
HF_TTS_PROVIDER = env.str("HF_TTS_PROVIDER", default="together").strip().lower()
if HF_TTS_PROVIDER not in ("hf-inference", "fal-ai", "replicate", "deepinfra", "together"):
    raise ImproperlyConfigured(
        "HF_TTS_PROVIDER must be hf-inference, fal-ai, replicate, deepinfra or together, "
        f"got {HF_TTS_PROVIDER!r}."
    )
HF_TTS_PROVIDER_MODEL = env.str("HF_TTS_PROVIDER_MODEL", default="")
HF_TTS_VOICE = env.str("HF_TTS_VOICE", default="af_alloy")
# AI_PROVIDER=openai: self-hosted OpenAI-compatible servers (vLLM, llama.cpp, Ollama,
# speaches, Kokoro-FastAPI) at OPENAI_BASE_URL (ending in /v1). A task whose model is
# empty stays on its local engine. Timeouts, retries and the breaker are the HF_* ones.
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="").rstrip("/")
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
OPENAI_LLM_MODEL = env.str("OPENAI_LLM_MODEL", default="")
OPENAI_ASR_MODEL = env.str("OPENAI_ASR_MODEL", default="")
OPENAI_TTS_MODEL = env.str("OPENAI_TTS_MODEL", default="")
OPENAI_TTS_VOICE = env.str("OPENAI_TTS_VOICE", default="af_heart")

# --- Learning ---------------------------------------------------------------

# The recall probability FSRS schedules vocabulary reviews for: higher means
# more frequent reviews. Anki's default, 0.9, suits most learners.
FSRS_DESIRED_RETENTION = env.float("FSRS_DESIRED_RETENTION", default=0.9)
if not 0.7 <= FSRS_DESIRED_RETENTION <= 0.99:
    raise ImproperlyConfigured(
        f"FSRS_DESIRED_RETENTION must be between 0.7 and 0.99, got {FSRS_DESIRED_RETENTION}."
    )

# --- Learner uploads --------------------------------------------------------

MAX_AUDIO_UPLOAD_MB = _positive_int("MAX_AUDIO_UPLOAD_MB", 10)
MAX_AUDIO_SECONDS = _positive_int("MAX_AUDIO_SECONDS", 60)
