"""A real S3-compatible server for the storage tests: moto's standalone server on
127.0.0.1 and a free port, started once per test run, and a fresh private bucket per
test with Macca's media storage pointed at it (MEDIA_STORAGE=s3)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

import boto3
import pytest

from tests.api.test_audio_turns import send_audio

ACCESS_KEY = "macca-test-key"
SECRET_KEY = "macca-test-secret"
REGION = "us-east-1"


@dataclass
class Bucket:
    name: str
    endpoint_url: str
    client: object  # a boto3 S3 client of its own, to look at the bucket from outside Macca

    def names(self, prefix: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=prefix
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


def s3_media(bucket: Bucket, *, prefix: str = "") -> dict:
    """STORAGES["default"] as macca/settings.py builds it for MEDIA_STORAGE=s3."""
    return {
        "BACKEND": "macca.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": bucket.name,
            "endpoint_url": bucket.endpoint_url,
            "region_name": REGION,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "location": prefix,
            "addressing_style": "path",
        },
    }


def use_media(settings, storage: dict) -> None:
    """Points default_storage at `storage`: a new storage object, as in a fresh process."""
    settings.STORAGES = {**settings.STORAGES, "default": storage}


def spoken_turn(api, audio: bytes) -> dict:
    """A spoken turn in a new live session; its JSON."""
    response = send_audio(api, audio, mode="live")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture(scope="session")
def s3_endpoint() -> str:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one log line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings) -> Bucket:
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    bucket = Bucket(f"macca-{uuid.uuid4().hex[:16]}", s3_endpoint, client)
    client.create_bucket(Bucket=bucket.name)
    settings.MEDIA_STORAGE = "s3"
    settings.MEDIA_S3_BUCKET = bucket.name
    use_media(settings, s3_media(bucket))
    return bucket
