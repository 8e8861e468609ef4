"""Operator-facing wiring: production guards, health check, security headers, the compose file."""

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def settings_import(
    code: str = "import django; django.setup()", _unset: Sequence[str] = (), **env: str
) -> subprocess.CompletedProcess[str]:
    """Django's settings read in a fresh process, with the operator's variables `env` (and no DEBUG, key or
    environment of this one, nor a cache of its own, nor the variables named in `_unset`)."""
    unset = ("DEBUG", "SECRET_KEY", "ENVIRONMENT", "CACHE_URL", *_unset)
    environment = {k: v for k, v in os.environ.items() if k not in unset} | env
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.integration  # runs another process
def test_production_refuses_debug():
    result = settings_import(ENVIRONMENT="production", DEBUG="1", SECRET_KEY="k" * 50)
    assert result.returncode != 0 and "DEBUG must be off" in result.stderr


@pytest.mark.integration  # runs another process
def test_production_refuses_the_development_secret_key():
    result = settings_import(ENVIRONMENT="production", DEBUG="0")
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr


@pytest.mark.integration  # runs another process
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


def compose(*arguments: str) -> str:
    """`docker compose <arguments>` on the project's compose file (parsing needs no Docker engine)."""
    result = subprocess.run(
        [*compose_command(), *arguments],
        cwd=ROOT,
        env=os.environ | {"SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.integration  # runs another process
def test_compose_file_parses_with_every_service():
    result = compose("config", "--services")
    assert {"web", "worker", "beat", "redis", "postgres"} <= set(result.split())


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


PRODUCTION = {
    "ENVIRONMENT": "production",
    "DEBUG": "0",
    "SECRET_KEY": "4f9kq-Zr7pX2mV8sT1wY6bN3cH5jL0dG-aE9uQ7iO2kR4tS6vW8xZ1yB3nM5pC7",
    "ALLOWED_HOSTS": "diary.example.org",
}


# Not the test process's own switches: the browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE.
NOT_INHERITED = ("DEBUG", "SECRET_KEY", "ENVIRONMENT", "DJANGO_ALLOW_ASYNC_UNSAFE")


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.integration  # runs another process
def test_check_deploy_with_production_settings_has_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.integration  # runs another process
def test_check_deploy_names_what_an_operator_turned_off():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SECURE_SSL_REDIRECT="0")
    assert result.returncode != 0 and "security.W008" in result.stderr


@pytest.mark.integration  # runs another process
def test_production_security_settings():
    script = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_PROXY_SSL_HEADER, s.SECURE_REDIRECT_EXEMPT)"
    )
    result = manage("shell", "-c", script, **PRODUCTION, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert result.stdout.strip().splitlines()[-1] == (
        "True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https') ['^healthz$']"
    ), result.stderr


@pytest.mark.integration  # runs another process
def test_dockerfile_and_compose_run_the_commands_the_production_test_runs():
    """bin/diary is the one place for the production commands: the image and every service use it."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "RUN bin/diary build\n" in dockerfile and 'CMD ["bin/diary", "web"]' in dockerfile
    assert "collectstatic" not in dockerfile and "gunicorn" not in dockerfile
    services = yaml.safe_load(compose("config"))["services"]
    for name, command in (("migrate", "migrate"), ("web", "web"), ("worker", "worker"), ("beat", "beat")):
        assert services[name]["command"] == ["bin/diary", command], name
    assert os.access(ROOT / "bin" / "diary", os.X_OK)


@pytest.mark.integration  # runs another process
def test_the_web_server_refuses_to_start_without_collected_static_files(tmp_path):
    result = subprocess.run(
        [str(ROOT / "bin" / "diary"), "web"],
        cwd=ROOT,
        env=os.environ | {"STATIC_ROOT": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "run bin/diary build first" in result.stderr


@pytest.mark.integration  # runs another process
def test_a_nightly_review_hour_that_is_no_hour_stops_the_start():
    # Checked with the settings, not when beat's schedule is built on the first task sent (inside a save).
    result = settings_import(NIGHTLY_REVIEW_HOUR_UTC="24")
    assert result.returncode != 0 and "NIGHTLY_REVIEW_HOUR_UTC: 24 is not an hour (0 to 23)." in result.stderr


@pytest.mark.integration  # runs another process
def test_a_malformed_rate_limit_stops_the_start_with_its_name():
    result = settings_import(RATE_LIMIT_SIGNUP_ADDRESS="ten per hour")
    assert result.returncode != 0 and "Rate limit signup-address: 'ten per hour' is not like '10/15m'" in result.stderr


@pytest.mark.integration  # runs another process
@pytest.mark.parametrize(
    "env, cache",
    [
        ({"REDIS_URL": "redis://broker:6379/0"}, "redis://broker:6379/0"),
        ({"REDIS_URL": "redis://broker:6379/0", "CACHE_URL": "redis://cache:6379/0"}, "redis://cache:6379/0"),
    ],
)
def test_the_cache_shares_the_brokers_redis_unless_it_has_its_own(env, cache):
    code = "from django.conf import settings; print(settings.CACHES['default']['LOCATION'], settings.CELERY_BROKER_URL)"
    result = settings_import(code, **env, CELERY_TASK_ALWAYS_EAGER="0")
    assert result.stdout.split() == [cache, env["REDIS_URL"]], result.stderr


@pytest.mark.integration  # runs another process
@pytest.mark.parametrize(
    "env, options",
    [
        ({"DB_SERVER_SIDE_BINDING": "", "DB_PREPARE_THRESHOLD": ""}, "True None"),  # the defaults (unset)
        ({"DB_SERVER_SIDE_BINDING": "1", "DB_PREPARE_THRESHOLD": "5"}, "True 5"),  # docker-compose.yml's
        ({"DB_SERVER_SIDE_BINDING": "0", "DB_PREPARE_THRESHOLD": "0"}, "False None"),
    ],
)
def test_postgresql_binds_parameters_on_the_server_and_prepares_only_when_asked(env, options):
    code = "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; "
    code += "print(o['server_side_binding'], o['prepare_threshold'])"
    given = {name: value for name, value in env.items() if value}
    result = settings_import(
        code, DATABASE_URL="postgres://diary@db:5432/diary", **given, _unset=[k for k, v in env.items() if not v]
    )
    assert result.stdout.split() == options.split(), result.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's driver options")
def test_the_connection_binds_on_the_server_and_prepares_a_repeated_statement(transactional_db):
    """Not only the settings: psycopg's connection itself, and PostgreSQL's own list of prepared statements."""
    options = connection.settings_dict["OPTIONS"]
    before = options.get("prepare_threshold")
    connection.close()
    options["prepare_threshold"] = 2
    try:
        connection.ensure_connection()
        assert connection.features.uses_server_side_binding  # type: ignore[attr-defined]  # the PostgreSQL backend's
        assert connection.connection.prepare_threshold == 2
        with connection.cursor() as cursor:
            for _ in range(3):
                cursor.execute("SELECT count(*) FROM diary_episode WHERE severity = %s", [4])
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [statement for (statement,) in cursor.fetchall()]
        assert any("diary_episode" in statement for statement in prepared), prepared
    finally:
        connection.close()
        options["prepare_threshold"] = before
