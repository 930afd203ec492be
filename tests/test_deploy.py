"""deploy/nginx.conf, the reverse proxy the README puts in front of gunicorn: valid
nginx, and its limits agree with Macca's own (uploads, turn time)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx.conf"
# Debian keeps it in /usr/sbin, which a normal user's PATH may lack.
NGINX = shutil.which("nginx", path="/usr/sbin:/usr/bin:/sbin:/bin")


def directive(name: str) -> str:
    values = set(re.findall(rf"^\s*{name}\s+([^;]+);", SITE.read_text(), re.MULTILINE))
    assert len(values) == 1, (name, values)
    return values.pop()


def seconds(value: str) -> int:
    return int(value.removesuffix("s"))


def test_it_accepts_the_largest_recording_with_room_for_the_form():
    limit_mb = int(directive("client_max_body_size").removesuffix("m"))

    assert settings.MAX_AUDIO_UPLOAD_MB < limit_mb <= settings.MAX_AUDIO_UPLOAD_MB + 5


def test_it_waits_longer_for_gunicorn_than_a_turn_can_take():
    per_call = settings.HF_TIMEOUT_SECONDS + settings.HF_RETRY_BUDGET_SECONDS
    turn = 3 * per_call  # recognition, the language model, the voice

    assert seconds(directive("proxy_read_timeout")) > turn


def test_slow_clients_get_short_timeouts_and_requests_are_buffered():
    assert seconds(directive("client_body_timeout")) <= 15
    assert seconds(directive("client_header_timeout")) <= 15
    assert directive("proxy_request_buffering") == "on"
    assert directive("proxy_set_header X-Forwarded-Proto") == "$scheme"


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed")
def test_nginx_accepts_the_config(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    openssl = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    openssl += ["-subj", "/CN=macca.example.com", "-keyout", key, "-out", cert]
    subprocess.run(openssl, check=True, capture_output=True)
    site = SITE.read_text()
    site = re.sub(r"ssl_certificate .*;", f"ssl_certificate {cert};", site)
    site = re.sub(r"ssl_certificate_key .*;", f"ssl_certificate_key {key};", site)
    (tmp_path / "macca.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"error_log {tmp_path}/error.log;\n"
        f"pid {tmp_path}/nginx.pid;\n"
        "events {}\n"
        f"http {{\n  access_log {tmp_path}/access.log;\n  include {tmp_path}/macca.conf;\n}}\n"
    )

    result = subprocess.run(
        [NGINX, "-t", "-p", tmp_path, "-e", tmp_path / "error.log", "-c", tmp_path / "nginx.conf"],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
