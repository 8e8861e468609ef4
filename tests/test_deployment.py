"""Operator-facing wiring: production guards, health check, security headers, the compose file."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def settings_import(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ENVIRONMENT")} | env
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_debug():
    result = settings_import(ENVIRONMENT="production", DEBUG="1", SECRET_KEY="k" * 50)
    assert result.returncode != 0 and "DEBUG must be off" in result.stderr


def test_production_refuses_the_development_secret_key():
    result = settings_import(ENVIRONMENT="production", DEBUG="0")
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr


def test_production_starts_with_proper_settings():
    assert settings_import(ENVIRONMENT="production", DEBUG="0", SECRET_KEY="k" * 50).returncode == 0


def test_healthz_and_content_security_policy(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    page = client.get("/accounts/login/")
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in page.content.decode() and "style=" not in page.content.decode()


def compose_command() -> list[str]:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.fail("Neither `docker compose` nor `docker-compose` is installed (.ci/run installs it).")


def test_compose_file_parses_with_every_service():
    result = subprocess.run(
        [*compose_command(), "config", "--services"],
        cwd=ROOT,
        env=os.environ | {"SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert {"web", "worker", "beat", "redis", "postgres"} <= set(result.stdout.split())


def test_openapi_schema_is_valid_without_warnings(tmp_path, db):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    for path in (
        "/api/v1/episodes/{id}/",
        "/api/v1/checkins/{date}/",
        "/api/v1/trends/",
        "/api/v1/flags/{id}/acknowledge/",
    ):
        assert path in schema
