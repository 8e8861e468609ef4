"""A real web server (gunicorn) in a subprocess on the test database, that a test can stop and start again:
with it stopped the site is really unreachable, for the page and for its service worker alike."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from playwright.sync_api import Page

from tests.conftest import make_patient
from tests.processes import database_url, free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"


class AppServer:
    def __init__(self, log: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = log.with_suffix(".access")
        self.log = log
        self.env = env or {}  # e.g. a REDIS_URL where nothing listens, and no in-process background work
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = (
            os.environ
            | {
                "DATABASE_URL": database_url(),
                "DEBUG": "1",  # WhiteNoise serves the static files straight from static/
                "CELERY_TASK_ALWAYS_EAGER": "1",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
            }
            | self.env
        )
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
                    "--workers", "1", "--threads", "4", "--access-logfile", str(self.access_log),
                ],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        for _ in range(300):  # readiness, not a timing assertion: up to 30 s for a cold start on a busy machine
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).close()
                return
            except (urllib.error.URLError, ConnectionError, OSError) as e:
                if self.process.poll() is not None:
                    raise RuntimeError("the server exited: " + self.log.read_text()) from e
                time.sleep(0.1)
        raise RuntimeError("the server did not start: " + self.log.read_text())

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def requests(self, method: str, path: str) -> int:
        """How many requests of this method and path the server answered, over every start."""
        if not self.access_log.exists():
            return 0
        return sum(f'"{method} {path} ' in line for line in self.access_log.read_text().splitlines())


def until(page: Page, check: Callable[[], object], tries: int = 150) -> None:
    """Wait for a condition the page reaches by itself (wait_for_function needs eval, which CSP forbids)."""
    for _ in range(tries):
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError("never happened")


def sign_in(page: Page, username: str, *, new: bool = True) -> User:
    """Log in on the phone (creating the patient unless new=False) and wait for the worker to control the page."""
    from django.contrib.auth import get_user_model

    if new:
        patient = make_patient(username, password=PASSWORD)
        # The server process has the production hashers, not the tests' fast one.
        patient.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
        patient.save(update_fields=["password"])
    else:
        patient = get_user_model().objects.get(username=username)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_selector("text=Log numbness")
    # The worker controls the page once it has precached the whole shell (about 70 files from one gunicorn worker):
    # up to 30 s on a loaded CI machine, where 15 s once ran out.
    try:
        until(page, lambda: page.evaluate("!!navigator.serviceWorker.controller"), tries=300)
    except AssertionError:
        raise AssertionError(f"the service worker never controlled Today: {worker_state(page)}") from None
    return patient


def worker_state(page: Page) -> str:
    """The states of the registration's workers, for a failure's message."""
    state: str = page.evaluate(
        """async () => {
            const r = await navigator.serviceWorker.getRegistration();
            if (!r) return "no registration";
            const of = (w) => (w ? w.state : "none");
            return `installing ${of(r.installing)}, waiting ${of(r.waiting)}, active ${of(r.active)}`;
        }"""
    )
    return state
