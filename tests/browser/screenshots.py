"""`make screenshots`: a PNG of every page at 390x844 (the first screen, as a phone shows it), signed in
as the demo patient of `seed_demo`, written to the folder given (docs/screenshots/ by default); the main
pages again at 200 % text (`<name>-text-200.png`, the browser's own text size: chromium.set_text_size).

It builds a scratch SQLite database in a temporary folder, serves it with `runserver`, and drives the
same Chromium as the browser tests. The emergency screen needs an alarming episode: one is logged for
the demo patient in the scratch database after the ordinary pages are taken.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def shrink(path: Path) -> None:
    """256 colours are plenty for a screen of flat UI: about a fifth of the bytes."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)


def main(out: Path) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="screenshots-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{scratch / 'db.sqlite3'}",
        CELERY_TASK_ALWAYS_EAGER="1",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ALLOW_ASYNC_UNSAFE="true",  # Playwright's sync API runs an event loop in this thread
    )
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone
    from playwright.sync_api import Page, sync_playwright

    from diary import services
    from diary.demo import DEMO_PASSWORD, DEMO_USERNAME
    from report import sharing
    from tests.browser import chromium
    from tests.processes import free_port
    from triage.review import review_patient

    call_command("migrate", verbosity=0)
    call_command("seed_demo", reset=True, verbosity=0)
    demo = User.objects.get(username=DEMO_USERNAME)
    today = timezone.localdate()
    link = sharing.create_link(patient=demo, first=today - dt.timedelta(days=90), last=today)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    out.mkdir(parents=True, exist_ok=True)
    try:
        wait_for(f"{base}/healthz")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**chromium.launch_options())
            context = browser.new_context(viewport=chromium.PHONE, base_url=base, is_mobile=True, has_touch=True)
            page = context.new_page()

            def shoot(name: str, path: str, on: Page | None = None) -> None:
                tab = on or page
                tab.goto(path)
                tab.wait_for_load_state("networkidle")
                target = out / f"{name}.png"
                tab.screenshot(path=str(target))
                shrink(target)
                print(f"{target} ({target.stat().st_size // 1024} KB)")

            for name, path in (("login", "/accounts/login/"), ("signup", "/accounts/signup/")):
                shoot(name, path)
            shoot("shared-report", f"/share/{link.token}/")
            page.goto("/accounts/login/")
            page.fill("#id_username", DEMO_USERNAME)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            for name, path in (
                ("today", "/"),
                ("log", "/log/"),
                ("history", "/history/"),
                ("trends", "/trends/"),
                ("flags", "/flags/"),
                ("report", "/report/"),
                ("settings", "/settings/"),
            ):
                shoot(name, path)
            # Chromium offers installation (beforeinstallprompt) only to a secure origin that was visited
            # before; the offer is shown here as it appears then, floating above the tabs.
            page.goto("/")
            page.wait_for_load_state("networkidle")
            page.evaluate("document.getElementById('install-hint').hidden = false")
            page.screenshot(path=str(out / "today-install-offer.png"))
            shrink(out / "today-install-offer.png")

            # The main pages at 200 % text, as a patient with large text on the phone sees them.
            large = browser.new_context(
                viewport=chromium.PHONE,
                base_url=base,
                is_mobile=True,
                has_touch=True,
                storage_state=context.storage_state(),
            )
            big = large.new_page()
            chromium.set_text_size(big, 200)
            yesterday = timezone.localdate() - dt.timedelta(days=1)
            for name, path in (
                ("today", "/"),
                ("log", "/log/"),
                ("history", "/history/"),
                ("day", f"/days/{yesterday:%Y-%m-%d}/"),
                ("trends", "/trends/"),
                ("settings", "/settings/"),
            ):
                shoot(f"{name}-text-200", path, big)

            alarming = services.save_episode(
                patient=demo,
                episode_id=None,
                started_at=timezone.now() - dt.timedelta(minutes=20),
                duration_minutes=15,
                severity=7,
                locations=[("right", "calf")],
                sensations=["numbness"],
                symptoms=["speech_difficulty"],
            ).episode
            review_patient(demo.pk)
            shoot("emergency", f"/alert/{alarming.id}/")
            shoot("today-with-a-warning-sign", "/")
            shoot("emergency-text-200", f"/alert/{alarming.id}/", big)
            large.close()
            page.context.clear_cookies()
            big = context.new_page()
            chromium.set_text_size(big, 200)
            shoot("signup-text-200", "/accounts/signup/", big)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
