"""`make screenshots`: a PNG of every page at 390x844 (the first screen, as a phone shows it), signed in
as the demo patient of `seed_demo`, written to the folder given (docs/screenshots/ by default); the main
pages again at 200 % text (`<name>-text-200.png`, the browser's own text size: chromium.set_text_size).

It builds a scratch SQLite database in a temporary folder, serves it with `runserver`, and drives the
same Chromium as the browser tests. The emergency screen needs an alarming episode: one is logged for
the demo patient in the scratch database after the ordinary pages are taken.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
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


def scratch_django(prefix: str) -> Path:
    """Set Django up on a fresh SQLite file in a temporary folder (returned, for the caller to remove)."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{scratch / 'db.sqlite3'}",
        CELERY_TASK_ALWAYS_EAGER="1",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ALLOW_ASYNC_UNSAFE="true",  # Playwright's sync API runs an event loop in this thread
    )
    import django

    django.setup()
    return scratch


class Served(str):
    """The base URL of a running server, which `stop()` stops (to look at the app with no connection)."""

    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextlib.contextmanager
def served() -> Iterator[Served]:
    """`runserver` on that database and a free port while the block runs; its base URL."""
    from tests.processes import free_port

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = Served(f"http://127.0.0.1:{port}")
    base.process = server
    try:
        wait_for(f"{base}/healthz")
        yield base
    finally:
        base.stop()


def main(out: Path) -> None:
    scratch = scratch_django("screenshots-")
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone
    from playwright.sync_api import Page, sync_playwright

    from diary import services
    from diary.demo import DEMO_PASSWORD, DEMO_USERNAME
    from questionnaires.instruments import MNSI_HISTORY
    from questionnaires.services import save_response
    from report import sharing
    from tests.browser import chromium
    from triage.review import review_patient

    call_command("migrate", verbosity=0)
    call_command("seed_demo", reset=True, verbosity=0)
    demo = User.objects.get(username=DEMO_USERNAME)
    today = timezone.localdate()
    link = sharing.create_link(patient=demo, first=today - dt.timedelta(days=90), last=today)

    out.mkdir(parents=True, exist_ok=True)
    try:
        with served() as base, sync_playwright() as playwright:
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
            # Treatments (the demo takes pregabalin every day and ibuprofen when needed): the pages, Today's card,
            # the log form's question, and Trends' bands under the frequency chart with the cards above it.
            from treatments.models import Treatment

            pregabalin = Treatment.objects.get(patient=demo, name="Pregabalin")
            for name, path in (
                ("treatments", "/treatments/"),
                ("treatment-add", "/treatments/add/"),
                ("treatment", f"/treatments/{pregabalin.id}/"),
            ):
                shoot(name, path)
            for name, path, anchor in (
                ("today-treatments", "/", ".treatments-today"),
                ("log-took-something", "/log/", "#field-took"),
                ("trends-treatments", "/trends/", "#chart-frequency"),
                ("trends-treatment-cards", "/trends/", ".treatment-cards"),
            ):
                page.goto(path)
                page.wait_for_load_state("networkidle")
                page.locator(anchor).scroll_into_view_if_needed()
                page.evaluate(f"document.querySelector('{anchor}').scrollIntoView({{block: 'start'}})")
                target = out / f"{name}.png"
                page.screenshot(path=str(target))
                shrink(target)
                print(f"{target} ({target.stat().st_size // 1024} KB)")
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
            # The questionnaire (offered on Today above): answered two and one months ago, and now on the phone.
            for days, yes in ((62, {1, 2}), (31, {1, 2, 4, 5, 11})):
                save_response(
                    patient=demo,
                    response_id=None,
                    instrument=MNSI_HISTORY,
                    completed_at=timezone.now() - dt.timedelta(days=days),
                    answers={str(n): n in yes for n in range(1, 16)},
                    live=False,
                )
            shoot("questionnaire", "/questionnaires/mnsi-history/")
            for n in range(1, 16):
                page.locator(f"#item-{n} label", has_text="Yes" if n in {1, 2, 3, 5, 11, 12} else "No").click()
            page.click("button:has-text('See my score')")
            page.wait_for_url(f"{base}/questionnaires/answers/**")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / "questionnaire-result.png"))
            shrink(out / "questionnaire-result.png")
            page.goto("/trends/")
            page.wait_for_load_state("networkidle")
            page.locator(".questionnaire-trend").evaluate("section => section.scrollIntoView()")
            page.screenshot(path=str(out / "trends-questionnaire.png"))
            shrink(out / "trends-questionnaire.png")

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
            signed_out = browser.new_context(viewport=chromium.PHONE, base_url=base, is_mobile=True, has_touch=True)
            big = signed_out.new_page()
            chromium.set_text_size(big, 200)
            shoot("signup-text-200", "/accounts/signup/", big)
            signed_out.close()
            # A stroke sign logged three days after it started: the "see a doctor today" screen.
            late = services.save_episode(
                patient=demo,
                episode_id=None,
                started_at=timezone.now() - dt.timedelta(days=3),
                duration_minutes=10,
                severity=5,
                locations=[("left", "shin")],
                sensations=["numbness"],
                symptoms=["arm_weakness"],
                alarm_answered=True,
            ).episode
            shoot("warning-late", f"/alert/{late.id}/")
            # The Save bar's question when the saddle region is the only alarming thing.
            page.goto("/log/")
            page.locator('.region[data-location="left:saddle"]').first.tap()
            page.locator(".chips.severity label", has_text="4").first.click()
            page.locator(".chips.duration label", has_text="15 min").click()
            page.click("button.log-save")
            page.locator("[data-region-check]").wait_for()
            page.screenshot(path=str(out / "saddle-question.png"))
            shrink(out / "saddle-question.png")
            # Last, with the server stopped: the phone's own check of an entry kept offline.
            page.goto("/log/")
            page.wait_for_load_state("networkidle")
            base.stop()
            page.goto("/log/")
            page.locator('.region[data-location="right:shin"]').first.tap()
            page.locator(".chips.severity label", has_text="6").first.click()
            page.locator(".chips.duration label", has_text="15 min").click()
            page.click(".alarm-check summary")
            page.locator(".alarm-check label.chip", has_text="Can't control bladder or bowel").click()
            page.click("button.log-save")
            page.locator(".alert-screen[role=alert]").wait_for()
            page.screenshot(path=str(out / "offline-warning.png"))
            shrink(out / "offline-warning.png")
            browser.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
