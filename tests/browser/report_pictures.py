"""`python -m tests.browser.report_pictures [docs/report]`: the physician report as a physician sees it, for people
to look at: every page of the demo diary's PDF and of three stories' PDFs as PNGs (pdftoppm), and the demo's
shared page at 390 and 1280 px wide (Chromium, the whole page).

It builds a scratch SQLite database in a temporary folder. The stories (tests/fixtures/diaries) are logged one
entry at a time, each five minutes after it began, as a patient would, then reviewed and reported on 15 June 2026
at 09:49 in the patient's zone.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import zoneinfo
from pathlib import Path

from tests.browser.screenshots import scratch_django, served, shrink

STORIES = ("saddle-and-weak-legs-still-going", "sides-alternating", "gap-then-return")
REVIEW = dt.date(2026, 6, 15)


def pdf_pages(data: bytes, out: Path, name: str) -> None:
    """Each page of a PDF as `<name>-<n>.png` at 60 dpi."""
    pdf = out / f"{name}.pdf"
    pdf.write_bytes(data)
    for old in out.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / name)], check=True)  # noqa: S603, S607
    pdf.unlink()
    for png in sorted(out.glob(f"{name}-*.png")):
        shrink(png)
        print(png)


def main(out: Path) -> None:
    scratch = scratch_django("report-pictures-")
    import time_machine
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone
    from playwright.sync_api import sync_playwright

    from diary.demo import DEMO_USERNAME
    from diary.interchange import import_diary
    from report import content, sharing
    from report.pdf import render_pdf
    from tests.browser import chromium
    from tests.conftest import REPO, load_vignette, make_patient
    from triage.review import review_patient

    out.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", reset=True, verbosity=0)
    demo = User.objects.get(username=DEMO_USERNAME)
    today = timezone.localdate()
    first = today - dt.timedelta(days=90)
    pdf_pages(render_pdf(content.build(demo, first, today)), out, "demo")

    for name in STORIES:
        vignette = load_vignette(REPO / "tests" / "fixtures" / "diaries" / f"{name}.json")
        document = vignette["diary"]
        zone = zoneinfo.ZoneInfo(document["profile"]["timezone"])
        patient = make_patient(name[:30], tz=zone.key, date_of_birth=dt.date(1958, 11, 3))
        patient.first_name, patient.last_name = "Ada", "Example"
        patient.save()
        for n, episode in enumerate(document["episodes"]):
            started = dt.datetime.fromisoformat(episode["started_at"].replace("Z", "+00:00"))
            with time_machine.travel(started + dt.timedelta(minutes=5), tick=False):
                import_diary(patient=patient, document=document | {"episodes": [episode], "checkins": []}
                             | ({"checkins": document["checkins"]} if n == 0 else {}))  # fmt: skip
        with time_machine.travel(dt.datetime.combine(REVIEW, dt.time(9, 49), tzinfo=zone), tick=False):
            review_patient(patient.pk, REVIEW)
            report = content.build(patient, REVIEW - dt.timedelta(days=89), REVIEW)
            pdf_pages(render_pdf(report), out, name)

    link = sharing.create_link(patient=demo, first=first, last=today)
    try:
        with served() as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(**chromium.launch_options())
            for width in (390, 1280):
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                page.goto(f"{base}/share/{link.token}/")
                page.wait_for_load_state("networkidle")
                target = out / f"shared-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                shrink(target)
                print(target)
                context.close()
            browser.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/report"))
