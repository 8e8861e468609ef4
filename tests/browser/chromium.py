"""Which Chromium the browser tests (and `make screenshots`, `make bench-web`) drive: decided here only.

Debian's /usr/bin/chromium when it is installed; otherwise Playwright's own build, which
`make browsers` installs (`playwright install chromium`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypedDict

from playwright.sync_api import Page, ViewportSize

PHONE: ViewportSize = {"width": 390, "height": 844}  # the screen every page is tested and shown on
# The phone's time zone: where the tests' patients live (tests.conftest.make_patient), not the machine's. On a machine
# in UTC a phone in London's summer time wrote 23:03 of the day before where the server wrote 00:03 (a context's
# `timezone_id` still sets another for one test).
PHONE_ZONE = "Europe/London"

SYSTEM = Path(os.getenv("CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    # Shared memory in /tmp, not /dev/shm: a container's /dev/shm is often 64 MB, where the service worker's
    # precache of the shell failed now and then (Debian's wrapper adds this itself; Playwright's build does not).
    "--disable-dev-shm-usage",
]


def executable() -> str | None:
    """The system Chromium's path, or None for Playwright's own build."""
    return str(SYSTEM) if SYSTEM.exists() else None


class LaunchOptions(TypedDict):
    """Keyword arguments for Playwright's `launch` and `launch_persistent_context`."""

    executable_path: str | None
    args: list[str]
    env: dict[str, str | float | bool]


def launch_options() -> LaunchOptions:
    return {"executable_path": executable(), "args": FLAGS, "env": {**os.environ, "TZ": PHONE_ZONE}}


def set_text_size(page: Page, percent: int) -> None:
    """The browser's own text size for this page (as its "Font size" setting, or a phone's larger text): the
    default 16 px becomes 32 px at 200 %, and every rem and em of the stylesheet grows with it."""
    session = page.context.new_cdp_session(page)
    session.send("Page.enable")
    session.send("Page.setFontSizes", {"fontSizes": {"standard": 16 * percent // 100, "fixed": 13 * percent // 100}})


if __name__ == "__main__":
    print(executable() or "playwright")
