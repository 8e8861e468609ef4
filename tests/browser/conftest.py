"""Playwright driving Chromium (see chromium.py) at the reference phone size, against pytest-django's live server."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.browser import chromium
from tests.browser.appserver import AppServer

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**chromium.launch_options())
        yield browser
        browser.close()


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    # The live server's pages without the service worker: Playwright's offline switch reaches the page's own
    # requests only. The installable-app tests (app_phone) run the worker against a server they really stop.
    context = browser.new_context(
        viewport=chromium.PHONE, base_url=live_server.url, is_mobile=True, has_touch=True, service_workers="block"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(phone: Page, django_user_model: type[User]) -> Callable[..., User]:
    """Create a patient and log in on the phone; returns the patient."""

    def sign_in(username: str = "pat", **profile: Any) -> User:
        from tests.conftest import make_patient

        patient = make_patient(username, password="correct-horse-battery", **profile)
        phone.goto("/accounts/login/")
        phone.fill("#id_username", username)
        phone.fill("#id_password", "correct-horse-battery")
        phone.click("button:has-text('Log in')")
        phone.wait_for_selector("text=Log numbness")
        return patient

    return sign_in


@pytest.fixture
def server(tmp_path: Path) -> Iterator[AppServer]:
    """A web server in a subprocess that the test can stop (really unreachable) and start again."""
    app = AppServer(tmp_path / "server.log")
    app.start()
    yield app
    app.stop()


@pytest.fixture
def app_phone(browser: Browser, server: AppServer) -> Iterator[Page]:
    """The phone against that server (the service worker's requests go there too)."""
    context = browser.new_context(viewport=chromium.PHONE, base_url=server.url, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
