"""Lighthouse (mobile) on every main page, served as in production: gunicorn, WhiteNoise, DEBUG=0.

    make bench-web        # installs Lighthouse into bench/web/node_modules on first use

A scratch SQLite database gets the demo diary (reviewed, so it has open flags) and a share link;
static files are collected with hashed, compressed names; gunicorn serves the app with
ENVIRONMENT=production (secure cookies off: this is plain HTTP on 127.0.0.1). Lighthouse runs in its
default mobile configuration (a mid-range phone, throttled 4G) with Debian's Chromium. Signed-in
pages get the demo's session cookie as an extra header. Prints each page's scores and the bytes
transferred (first visit, as compressed on the wire); the JSON reports land in bench/results/web/.

Targets (printed, not asserted): performance >= 95, accessibility 100, best practices 100, <= 60 KB.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "bench" / "web" / "node_modules" / ".bin" / "lighthouse"
RESULTS = ROOT / "bench" / "results" / "web"
RUNS = int(os.getenv("LIGHTHOUSE_RUNS", "3"))  # per page; the median run is printed
PORT = int(os.getenv("BENCH_WEB_PORT", "8765"))
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
    "--disable-component-update --no-first-run"
)
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}
MAX_BYTES = 60 * 1024


def production_env(database: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": database,
        "ENVIRONMENT": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        # Plain HTTP on 127.0.0.1: no TLS redirect, HSTS or secure-only cookies (a front server does TLS).
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CELERY_TASK_ALWAYS_EAGER": "1",  # no broker needed: nothing is saved while measuring
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def prepare(env: dict[str, str]) -> tuple[str, str, str]:
    """Migrate, seed and review the demo, collect static files; the demo's session key, a share token and the id of
    a questionnaire response of the demo's (for its result page)."""
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--reset", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", "--noinput", verbosity=0)
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from questionnaires.instruments import MNSI_HISTORY
    from questionnaires.services import save_response
    from report.sharing import create_link
    from triage.review import review_patient

    demo = get_user_model().objects.get(username="demo")
    review_patient(demo.pk)
    # Answered a month ago: its result page has a score to show, and Today still offers it again.
    answers = {item.link_id: item.link_id in {"1", "2", "5"} for item in MNSI_HISTORY.items}
    month_ago = timezone.now() - dt.timedelta(days=30)
    response = save_response(
        patient=demo, response_id=None, instrument=MNSI_HISTORY, completed_at=month_ago, answers=answers
    ).response
    today = timezone.localdate()
    link = create_link(patient=demo, first=today - dt.timedelta(days=90), last=today)
    client = Client()
    client.force_login(demo)
    return client.cookies["sessionid"].value, link.token, str(response.id)


def serve(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # Another server already on the port would answer /healthz and be measured instead (a login page, 404s).
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            sys.exit(f"Port {PORT} is taken by another server: set BENCH_WEB_PORT to a free one.")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.3)
    process.terminate()
    sys.exit(f"gunicorn did not start:\n{log.read_text(errors='replace')[-2000:]}")


def lighthouse(name: str, url: str, cookie: str | None) -> dict[str, Any]:
    out = RESULTS / f"{name.lower().replace(' ', '-')}.json"
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
        "--only-categories=performance,accessibility,best-practices", f"--chrome-flags={CHROME_FLAGS}",
    ]  # fmt: skip
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": f"sessionid={cookie}"}))
    for attempt in range(3):  # a loaded machine sometimes loses the trace (NO_NAVSTART): run it again
        done = subprocess.run(command, env=os.environ | {"CHROME_PATH": "/usr/bin/chromium"}, timeout=300)
        if done.returncode == 0:
            result: dict[str, Any] = json.loads(out.read_text())
            return result
        print(f"  {name}: Lighthouse failed (attempt {attempt + 1} of 3)")
    sys.exit(f"Lighthouse could not measure {url}.")


def main() -> None:
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make bench-web` (npm ci in bench/web).")
    RESULTS.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="nd-bench-web-"))
    env = production_env(f"sqlite:///{scratch}/web.sqlite3")
    session, token, response = prepare(env)
    server = serve(env, scratch / "gunicorn.log")
    base = f"http://127.0.0.1:{PORT}"
    pages = [
        ("Login", "/accounts/login/", None),
        ("Today", "/", session),
        ("Log", "/log/", session),
        ("History", "/history/", session),
        ("A day", f"/days/{dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2):%Y-%m-%d}/", session),
        ("Trends", "/trends/", session),
        ("Flags", "/flags/", session),
        ("Report", "/report/", session),
        ("Settings", "/settings/", session),
        ("Sign up", "/accounts/signup/", None),
        ("Questions", "/questionnaires/mnsi-history/", session),
        ("Score", f"/questionnaires/answers/{response}/", session),
        ("Shared", f"/share/{token}/", None),
    ]
    version = subprocess.check_output([str(LIGHTHOUSE), "--version"], text=True).strip()
    print(f"bench-web: Lighthouse {version}, mobile, median of {RUNS} runs, gunicorn + WhiteNoise, DEBUG=0; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"  {'page':<9} {'perf':>5} {'a11y':>5} {'best':>5} {'KB':>7}  {'LCP':>7} {'TBT':>6}  missed")
    try:
        for name, path, cookie in pages:
            # Lighthouse's own advice: one run varies, the median of several does not (much). The run kept is
            # the one with the median performance score, so its other figures belong to the same run.
            runs = [lighthouse(name, base + path, cookie) for _ in range(RUNS)]
            runs.sort(key=lambda run: run["categories"]["performance"]["score"] or 0)
            report = runs[len(runs) // 2]
            (RESULTS / f"{name.lower()}.json").write_text(json.dumps(report))  # the run printed, to look into
            if report["finalDisplayedUrl"].rstrip("/") != (base + path).rstrip("/"):
                print(f"  {name:<9} ended at {report['finalDisplayedUrl']} (redirected)")
            scores = {key: round((report["categories"][key]["score"] or 0) * 100) for key in TARGETS}
            audits = report["audits"]
            kb = audits["total-byte-weight"]["numericValue"] / 1024
            missed = [key for key, target in TARGETS.items() if scores[key] < target]
            missed += ["size"] if kb * 1024 > MAX_BYTES else []
            failing = [
                audit_id
                for key in ("accessibility", "best-practices")
                for ref in report["categories"][key]["auditRefs"]
                if ref["weight"] and (audits[(audit_id := ref["id"])]["score"] or 0) < 1
            ]
            print(
                f"  {name:<9} {scores['performance']:>5} {scores['accessibility']:>5} {scores['best-practices']:>5} "
                f"{kb:>7.1f}  {audits['largest-contentful-paint']['numericValue'] / 1000:>6.2f}s "
                f"{audits['total-blocking-time']['numericValue']:>5.0f}ms  {', '.join(missed + failing) or '-'}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"  targets: performance >= 95, accessibility 100, best practices 100, <= {MAX_BYTES // 1024} KB per page")


if __name__ == "__main__":
    main()
