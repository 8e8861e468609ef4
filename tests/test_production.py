"""The production path, run for real: `bin/diary build`, `migrate` and `web` — the commands the Dockerfile
and docker-compose.yml run — with production settings (DEBUG off, a random secret key, the test
database, Redis), then pages, a signed-in page and compressed, cached static files over HTTP.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import brotli
import pytest
import redis
from django.conf import global_settings

from tests.conftest import make_patient
from tests.processes import REDIS_URL, database_url, free_port
from tests.pwa.test_app_views import worker_config

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]
BIN = str(Path(sys.executable).parent)  # the virtualenv's bin/: `python` in bin/diary is this one
HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating proxy in front would add


def run(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(ROOT / "bin" / "diary"), command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"bin/diary {command} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for stale in (ROOT / "diary" / "__pycache__").glob("forms.*.pyc"):
        stale.unlink()
    root = tmp_path_factory.mktemp("static")
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ENVIRONMENT")}
    run("build", env | {"PATH": f"{BIN}:{os.environ['PATH']}", "STATIC_ROOT": str(root)})
    return root


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        encoding = self.headers.get("Content-Encoding")
        raw = gzip.decompress(self.body) if encoding == "gzip" else self.body
        return raw.decode()


@dataclass
class Browser:
    """A tiny HTTP client that keeps cookies, as a browser behind the site's HTTPS proxy would."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, body: str | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": f"127.0.0.1:{self.port}"} | (headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        answer = Answer(response.status, response.msg, response.read())
        connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return answer

    def get(self, path: str, **headers: str) -> Answer:
        return self.request("GET", path, HTTPS | {k.replace("_", "-"): v for k, v in headers.items()})

    def sign_in(self, username: str, password: str) -> Answer:
        form = self.get("/accounts/login/").text
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert found
        token = found.group(1)
        return self.request(
            "POST",
            "/accounts/login/",
            HTTPS
            | {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://127.0.0.1:{self.port}",
                "Referer": f"https://127.0.0.1:{self.port}/accounts/login/",
            },
            urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password}),
        )


@pytest.fixture
def server(static_root, tmp_path):
    redis.Redis.from_url(REDIS_URL).flushdb()  # no rate-limit counts left by an earlier run
    port = free_port()
    skipped = ("CELERY_TASK_ALWAYS_EAGER", "DJANGO_ALLOW_ASYNC_UNSAFE")
    inherited = {k: v for k, v in os.environ.items() if k not in skipped}
    env = inherited | {
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "ENVIRONMENT": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "STATIC_ROOT": str(static_root),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "BIND": "127.0.0.1",
        "PORT": str(port),
        "WEB_WORKERS": "2",
    }
    assert "No migrations to apply" in run("migrate", env).stdout  # pytest-django migrated this database
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [str(ROOT / "bin" / "diary"), "web"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    browser = Browser(port)
    deadline = time.monotonic() + 60
    while True:
        try:
            if browser.request("GET", "/healthz").status == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL) if process.poll() is None else None
            pytest.fail(f"gunicorn did not answer /healthz:\n{log.read_text()[-4000:]}")
        time.sleep(0.2)
    yield browser
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
    assert "Traceback" not in log.read_text(), log.read_text()[-4000:]


def test_gunicorn_with_production_settings_serves_pages_signed_in_and_compressed_static(server, settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the server's, not the tests' fast one
    make_patient("paula", password="a-long-pass-phrase")

    health = server.request("GET", "/healthz")  # a plain-HTTP health check is not redirected
    assert health.status == 200 and health.body == b"ok"
    assert server.request("GET", "/accounts/login/").status == 301  # everything else goes to HTTPS

    login = server.get("/accounts/login/", Accept_Encoding="gzip")
    assert login.status == 200 and "Log in" in login.text
    assert login.headers["Content-Encoding"] == "gzip"  # HTML compressed (GZipMiddleware)
    assert "max-age=31536000" in login.headers["Strict-Transport-Security"]

    signed_in = server.sign_in("paula", "a-long-pass-phrase")
    assert signed_in.status == 302 and signed_in.headers["Location"] == "/"
    today = server.get("/", Accept_Encoding="gzip")
    assert today.status == 200 and "Log numbness" in today.text and "Log out" in today.text
    assert "no-store" in today.headers["Cache-Control"] and "private" in today.headers["Cache-Control"]
    assert server.get("/settings/").status == 200

    found = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', login.text)
    assert found
    stylesheet = found.group(1)
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        static = server.get(stylesheet, Accept_Encoding=encoding)
        assert static.status == 200 and static.headers["Content-Encoding"] == encoding
        assert "--accent" in decompress(static.body).decode()  # the real stylesheet
        cache_control = static.headers["Cache-Control"]
        assert "max-age=315360000" in cache_control and "immutable" in cache_control  # hashed: cached forever
    # The scripts every page runs, joined at collectstatic into two files (web/scripts.py), hashed like the rest.
    bundles = re.findall(r'<script src="(/static/js/bundle/[\w-]+\.[0-9a-f]{12}\.js)"', today.text)
    assert len(bundles) == 2
    for bundle, first in zip(bundles, ["util", "offline"], strict=True):
        script = server.get(bundle, Accept_Encoding="br")
        assert script.status == 200 and "immutable" in script.headers["Cache-Control"]
        assert brotli.decompress(script.body).decode().startswith(f"// js/{first}.js\n")
    # The service worker's shell, as the manifest storage names it: every file it precaches is there.
    worker = server.get("/sw.js")
    assert worker.status == 200
    shell = worker_config(worker.text)["shell"]
    assert any(
        re.fullmatch(r"/static/js/bundle/offline_undo_bodymap_logform_focus_instant\.[0-9a-f]{12}\.js", u)
        for u in shell
    )
    assert [url for url in shell if server.get(url).status != 200] == []
    plain = server.get("/static/css/app.css")  # the unhashed name is served too, but only briefly cached
    assert plain.status == 200 and "immutable" not in plain.headers["Cache-Control"]


def test_the_build_leaves_bytecode_so_no_start_compiles_the_app(static_root):
    # The image never writes .pyc at run time (PYTHONDONTWRITEBYTECODE): the build must have made them.
    tag = sys.implementation.cache_tag
    for module in ("diary/forms", "report/fhir_export", "treatments/comparison", "config/settings"):
        folder, name = module.rsplit("/", 1)
        assert (ROOT / folder / "__pycache__" / f"{name}.{tag}.pyc").is_file(), module
