"""Settings come from the environment. Each case runs Django in a fresh process,
because settings are read once, at start-up."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3Q9vT1xWm7Zr2Lp8Yc4Nd6Hf0Js5Ba9Ge3Ui7Ox1Rq4Tw8Ey2Kv6Mz0Pb5",
    "ALLOWED_HOSTS": "macca.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://macca.example.com",
    "EMAIL_URL": "smtp+tls://macca:secret@smtp.example.com:587",
}
SHOW_SETTINGS = """
import django, json
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "conn_max_age": db.get("CONN_MAX_AGE"),
    "health_checks": db.get("CONN_HEALTH_CHECKS"), "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "cache_options": settings.CACHES["default"].get("OPTIONS"), "db_options": db.get("OPTIONS"),
    "static": settings.STORAGES["staticfiles"]["BACKEND"], "debug": settings.DEBUG,
    "max_audio_mb": settings.MAX_AUDIO_UPLOAD_MB, "mock": settings.USE_MOCK_AI,
}))
"""


def run_django(args: list[str], **env_vars: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    # A developer's own .env must not change what these tests see.
    env.update({"DJANGO_SETTINGS_MODULE": "macca.settings", "ENV_FILE": os.devnull, **env_vars})
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def settings_under(**env_vars: str) -> dict:
    result = run_django(["-c", SHOW_SETTINGS], **env_vars)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_under_production_settings():
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_warns_when_reset_emails_would_not_be_sent():
    production = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_URL"}
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production)
    assert result.returncode != 0
    assert "macca.W001" in result.stderr + result.stdout
    assert "EMAIL_URL" in result.stderr + result.stdout


def test_development_defaults_fail_the_deploy_check():
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DEBUG="true")
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on


@pytest.mark.parametrize(
    "secret", ["", "short-key", "django-insecure-" + "x" * 60], ids=["unset", "short", "insecure"]
)
def test_it_refuses_to_start_in_production_without_a_real_secret_key(secret):
    env = {**PRODUCTION, "SECRET_KEY": secret}
    if not secret:
        del env["SECRET_KEY"]
    result = run_django(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a random value" in result.stderr


def test_the_defaults_need_no_setup():
    values = settings_under()
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["debug"] is True
    assert values["static"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert values["max_audio_mb"] == 10


def test_postgres_uses_persistent_checked_connections():
    values = settings_under(DATABASE_URL="postgres://macca:pw@db.internal:5432/macca")
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "macca"
    assert values["conn_max_age"] == 60
    assert values["health_checks"] is True
    # A hung database is a quick 503, not a request held for minutes.
    assert values["db_options"] == {
        "connect_timeout": 5,
        "options": "-c statement_timeout=30000",
    }


def test_redis_url_switches_the_cache_to_redis():
    values = settings_under(REDIS_URL="redis://127.0.0.1:6379/3")
    assert values["cache"] == "macca.cache.FallbackRedisCache"  # Django's, riding out outages
    assert values["cache_location"] == "redis://127.0.0.1:6379/3"
    assert values["cache_options"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def test_production_serves_compressed_hashed_static_files():
    assert settings_under(**PRODUCTION)["static"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_it_names_a_bad_numeric_setting():
    result = run_django(["manage.py", "check"], MAX_AUDIO_UPLOAD_MB="0")
    assert result.returncode != 0
    assert "MAX_AUDIO_UPLOAD_MB must be a positive whole number" in result.stderr


def test_env_example_documents_every_variable_the_settings_read():
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', (ROOT / "macca/settings.py").read_text()))
    read |= set(
        re.findall(r'_positive_int\(\s*"([A-Z_]+)"', (ROOT / "macca/settings.py").read_text())
    )
    example = (ROOT / ".env.example").read_text().splitlines()
    documented = {line.split("=")[0] for line in example if re.match(r"^[A-Z_]+=", line)}
    assert read - {"ENV_FILE"} == documented
    for i, line in enumerate(example):
        if re.match(r"^[A-Z_]+=", line):
            assert example[i - 1].startswith("# "), f"{line} has no documentation line"


def test_a_copy_of_env_example_gives_a_working_development_setup():
    values = settings_under(ENV_FILE=str(ROOT / ".env.example"))
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")
    assert values["debug"] is True
    assert values["mock"] is True
    assert values["max_audio_mb"] == 10


# The Hugging Face defaults: models Inference Providers are documented to serve.
DOCUMENTED_HF_DEFAULTS = {
    "HF_LLM_MODEL_ID": "google/gemma-4-31B-it",
    "HF_ASR_MODEL_ID": "openai/whisper-large-v3-turbo",
    "HF_TTS_MODEL_ID": "hexgrad/Kokoro-82M",
}
SHOW_HF_DEFAULTS = f"""
import json, os
for name in {list(DOCUMENTED_HF_DEFAULTS)!r}:
    os.environ.pop(name, None)
import django
django.setup()
from django.conf import settings
print(json.dumps({{name: getattr(settings, name) for name in {list(DOCUMENTED_HF_DEFAULTS)!r}}}))
"""


def readme_default_models() -> dict[str, list[str]]:
    """The rows of the README's table of default models, by model id."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n### The default models\n", 1)[1].split("\n### ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 6 and cells[1].startswith("`"):
            rows[cells[1].strip("`")] = cells
    return rows


def test_the_hugging_face_defaults_are_served_models_documented_in_the_readme():
    result = run_django(["-c", SHOW_HF_DEFAULTS])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == DOCUMENTED_HF_DEFAULTS
    example = (ROOT / ".env.example").read_text().splitlines()
    rows = readme_default_models()
    for name, model in DOCUMENTED_HF_DEFAULTS.items():
        assert f"{name}={model}" in example
        assert model in rows, f"{model} is not in the README's table of default models"
        task, _, licence, served_by, source, checked = rows[model]
        assert f"`{name}`" in task
        assert licence and served_by
        assert "github.com/huggingface/" in source, f"{model} has no source"
        assert re.search(r"\b20\d\d-\d\d-\d\d\b", source), f"{model}'s source has no date"
        assert re.fullmatch(r"20\d\d-\d\d-\d\d", checked), f"{model} has no date checked"
