"""MEDIA_STORAGE and MEDIA_S3_* from the environment: files under MEDIA_ROOT by
default, the bucket when asked, and a setup that cannot work named before the first
learner finds out (an unknown storage at start-up, a missing bucket by `check`)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from macca.checks import check_media_storage
from tests.test_settings import run_django

SHOW_MEDIA = """
import django, json
django.setup()
from django.conf import settings
from django.core.files.storage import storages
print(json.dumps({"default": settings.STORAGES["default"],
                  "class": type(storages["default"]).__name__}))
"""

S3 = {
    "MEDIA_STORAGE": "s3",
    "MEDIA_S3_BUCKET": "macca-media",
    "MEDIA_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "MEDIA_S3_REGION": "eu-west-1",
    "MEDIA_S3_ACCESS_KEY_ID": "key-id",
    "MEDIA_S3_SECRET_ACCESS_KEY": "secret",
    "MEDIA_S3_PREFIX": "/macca/",
    "MEDIA_S3_ADDRESSING_STYLE": "path",
}


def media_under(**env: str) -> dict:
    result = run_django(["-c", SHOW_MEDIA], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_media_stays_on_disk_by_default():
    assert media_under() == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "class": "FileSystemStorage",
    }


def test_media_storage_s3_configures_the_bucket_from_the_environment():
    assert media_under(**S3) == {
        "default": {
            "BACKEND": "macca.storage.MediaS3Storage",
            "OPTIONS": {
                "bucket_name": "macca-media",
                "endpoint_url": "http://127.0.0.1:9000",
                "region_name": "eu-west-1",
                "access_key": "key-id",
                "secret_key": "secret",
                "location": "macca",
                "addressing_style": "path",
            },
        },
        "class": "MediaS3Storage",
    }


def test_an_unknown_media_storage_stops_start_up_naming_the_choices():
    result = run_django(["manage.py", "check"], MEDIA_STORAGE="gcs")

    assert result.returncode != 0
    assert "MEDIA_STORAGE must be filesystem or s3, got 'gcs'" in result.stderr


def test_check_fails_when_the_bucket_is_missing():
    env = {k: v for k, v in S3.items() if k != "MEDIA_S3_BUCKET"}
    result = run_django(["manage.py", "check"], **env)

    assert result.returncode != 0
    assert "macca.E004" in result.stderr
    assert "MEDIA_STORAGE=s3 but MEDIA_S3_BUCKET is not set." in result.stderr


@pytest.fixture
def s3_settings(settings):
    settings.MEDIA_STORAGE = "s3"
    for name, value in S3.items():
        setattr(settings, name, value)
    return settings


def problems() -> list[tuple[str, str]]:
    return [(error.id, error.msg) for error in check_media_storage(None)]


def test_a_complete_s3_setup_passes(s3_settings):
    assert problems() == []
    call_command("check")


def test_half_a_key_is_named(s3_settings):
    s3_settings.MEDIA_S3_SECRET_ACCESS_KEY = ""

    assert problems() == [
        (
            "macca.E005",
            "MEDIA_STORAGE=s3: MEDIA_S3_ACCESS_KEY_ID is set "
            "but MEDIA_S3_SECRET_ACCESS_KEY is not.",
        )
    ]


def test_no_keys_at_all_is_boto3s_own_credentials(s3_settings):
    s3_settings.MEDIA_S3_ACCESS_KEY_ID = s3_settings.MEDIA_S3_SECRET_ACCESS_KEY = ""

    assert problems() == []


def test_an_endpoint_that_is_not_a_url_is_named(s3_settings):
    s3_settings.MEDIA_S3_ENDPOINT_URL = "127.0.0.1:9000"

    assert [id for id, _ in problems()] == ["macca.E007"]


def test_media_url_off_the_site_is_refused_with_s3(s3_settings):
    """A MEDIA_URL elsewhere (the bucket, a CDN) would hand out links that skip Macca's
    owner check, and Macca would not route its own: the check stops it."""
    s3_settings.MEDIA_URL = "https://macca-media.s3.amazonaws.com/"

    assert [id for id, _ in problems()] == ["macca.E006"]
    with pytest.raises(SystemCheckError, match="MEDIA_URL"):
        call_command("check")


def test_the_filesystem_needs_none_of_it(settings):
    settings.MEDIA_STORAGE = "filesystem"
    settings.MEDIA_S3_BUCKET = ""

    assert problems() == []
