"""Lighthouse (mobile) on every main page, served as in production: gunicorn, WhiteNoise, DEBUG=0.

    make bench-web        # installs Lighthouse into bench/web/node_modules on first use

A scratch SQLite database gets the demo diary (reviewed, so it has open flags) and a share link;
static files are collected with hashed, compressed names; gunicorn serves the app with
ENVIRONMENT=production (secure cookies off: this is plain HTTP on 127.0.0.1). Lighthouse runs in its
default mobile configuration (a mid-range phone, throttled 4G) with Debian's Chromium. Signed-in
pages get the demo's session cookie as an extra header. Prints each page's scores, the bytes
transferred (first visit, as compressed on the wire), LCP and TBT; then where its main-thread time went
(Lighthouse's `mainthread-work-breakdown`, under its 4x CPU slowdown: script, style & layout, parsing HTML
and CSS, rendering, other), the processor time of the same tasks from Lighthouse's own trace (wall-clock
time grows with a shared machine's load, thread time does not), its DOM size, and its main-thread work as
a multiple of Login's in the same run (Login is the lightest page: 32 nodes, no page script; what it costs
is what every page pays). The pages are measured round robin, so that a shared machine's changing load
meets every page evenly, and each figure is the median of its runs; a multiple of Login's is taken in each
round and the median of the rounds printed, with the lowest and highest (how far one run can be trusted).
The JSON report of each page's median-performance run lands in bench/results/web/.

Targets (printed, not asserted): performance >= 98, accessibility 100, best practices 100, TBT <= 150 ms,
<= 60 KB; Log and Trends at most 1.3x Login's main-thread work.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import socket
import statistics
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
# Per page: five, as the guide to variability in Lighthouse's own repository advises; each figure is the median.
RUNS = int(os.getenv("LIGHTHOUSE_RUNS", "5"))
# LIGHTHOUSE_PAGES=Log,Trends measures only those (and Login, the baseline): for a quick look while working.
ONLY = {name.strip().lower() for name in os.getenv("LIGHTHOUSE_PAGES", "").split(",") if name.strip()}
PORT = int(os.getenv("BENCH_WEB_PORT", "8765"))
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
    "--disable-component-update --no-first-run"
)
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100}
MAX_BYTES = 60 * 1024
MAX_TBT_MS = 150
BASELINE = "Login"  # main-thread work is also printed as a multiple of this page's
MAX_RATIO = {"Log": 1.3, "Trends": 1.3}  # the two pages a patient opens most
CPU_SLOWDOWN = 4  # Lighthouse's mobile profile multiplies the main thread's time by this
# Lighthouse's task groups, as printed: script evaluation with its parsing and compiling; garbage collection
# goes to "other", with the tasks Lighthouse cannot attribute (navigation, V8 contexts, IPC, commits).
BREAKDOWN = {
    "script": ("scriptEvaluation", "scriptParseCompile"),
    "style": ("styleLayout",),
    "parse": ("parseHTML",),
    "paint": ("paintCompositeRender",),
    "other": ("other", "garbageCollection"),
}


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


def prepare(env: dict[str, str]) -> tuple[str, str, str, str]:
    """Migrate, seed and review the demo, collect static files; the demo's session key, a share token, the id of
    a questionnaire response of the demo's (for its result page) and of one of its treatments taken every day."""
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
    treatment = demo.treatments.order_by("name").filter(schedule="regular").first()
    treatment_id = str(treatment.id) if treatment else ""
    return client.cookies["sessionid"].value, link.token, str(response.id), treatment_id


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
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}", "--save-assets",
        "--only-categories=performance,accessibility,best-practices", f"--chrome-flags={CHROME_FLAGS}",
    ]  # fmt: skip
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": f"sessionid={cookie}"}))
    for attempt in range(3):  # a loaded machine sometimes loses the trace (NO_NAVSTART): run it again
        done = subprocess.run(command, env=os.environ | {"CHROME_PATH": "/usr/bin/chromium"}, timeout=300)
        if done.returncode == 0:
            result: dict[str, Any] = json.loads(out.read_text())
            trace = out.with_name(f"{out.stem}-0.trace.json")
            result["main_thread_cpu"] = main_thread_cpu(json.loads(trace.read_text())["traceEvents"], url)
            for asset in (trace, out.with_name(f"{out.stem}-0.devtoolslog.json")):
                asset.unlink(missing_ok=True)  # tens of MB each; the CPU figures are kept in the report
            return result
        print(f"  {name}: Lighthouse failed (attempt {attempt + 1} of 3)")
    sys.exit(f"Lighthouse could not measure {url}.")


# The trace events of Lighthouse's task groups (lighthouse/core/lib/tracehouse/task-groups.js), by printed column.
TRACE_EVENTS = {
    "script": (
        "EventDispatch", "EvaluateScript", "v8.evaluateModule", "FunctionCall", "TimerFire", "FireIdleCallback",
        "FireAnimationFrame", "RunMicrotasks", "V8.Execute", "v8.compile", "v8.compileModule", "v8.parseOnBackground",
    ),
    "style": ("ScheduleStyleRecalculation", "UpdateLayoutTree", "InvalidateLayout", "Layout"),
    "parse": ("ParseHTML", "ParseAuthorStyleSheet"),
    "paint": (
        "Animation", "HitTest", "PaintSetup", "Paint", "PaintImage", "RasterTask", "ScrollLayer", "UpdateLayer",
        "UpdateLayerTree", "CompositeLayers", "PrePaint",
    ),
}  # fmt: skip
COLUMN_OF_EVENT = {event: column for column, events in TRACE_EVENTS.items() for event in events}


def main_thread_cpu(events: list[dict[str, Any]], url: str) -> dict[str, float]:
    """The processor time of the page's main thread in a Lighthouse trace, grouped as Lighthouse groups its
    wall-clock time (an event outside the groups counts where its parent does; a task's own time is "other").

    Lighthouse's main-thread work is wall-clock time: on a busy machine it grows with the time the thread waited
    for a processor, for every page alike but not by the same amount. Thread time (`tdur`) does not."""
    names = {
        (e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("ph") == "M" and e["name"] == "thread_name"
    }
    # The page's renderer: the one that started loading the URL (the last page loaded, should it have redirected).
    starts = [e for e in events if e.get("name") == "navigationStart" and e["args"]["data"].get("documentLoaderURL")]
    starts = [e for e in starts if e["args"]["data"]["documentLoaderURL"] == url] or starts[-1:]
    main = next(thread for thread, name in names.items() if thread[0] == starts[0]["pid"] and name == "CrRendererMain")
    spans = sorted(
        (e for e in events if (e["pid"], e["tid"]) == main and e.get("ph") == "X"), key=lambda e: (e["ts"], -e["dur"])
    )
    totals = dict.fromkeys([*TRACE_EVENTS, "other"], 0.0)
    open_spans: list[tuple[dict[str, Any], str]] = []
    for event in spans:
        while open_spans and open_spans[-1][0]["ts"] + open_spans[-1][0]["dur"] <= event["ts"]:
            open_spans.pop()
        column = COLUMN_OF_EVENT.get(event["name"]) or (open_spans[-1][1] if open_spans else "other")
        cpu = event.get("tdur", event["dur"]) / 1000
        totals[column] += cpu
        if open_spans:
            totals[open_spans[-1][1]] -= cpu  # the parent's own time is what its children did not take
        open_spans.append((event, column))
    return totals


def figures(report: dict[str, Any]) -> dict[str, float]:
    """The figures printed for one Lighthouse report: scores, bytes, LCP, TBT, main-thread work and DOM size."""
    audits = report["audits"]
    groups = {item["group"]: item["duration"] for item in audits["mainthread-work-breakdown"]["details"]["items"]}
    result = {key: round((report["categories"][key]["score"] or 0) * 100) for key in TARGETS}
    result |= {
        "kb": audits["total-byte-weight"]["numericValue"] / 1024,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "main": audits["mainthread-work-breakdown"]["numericValue"],
        "dom": audits["dom-size"]["numericValue"],
    }
    result |= {column: sum(groups.get(group, 0.0) for group in ids) for column, ids in BREAKDOWN.items()}
    # The same tasks' processor time, with the same 4x slowdown: what the page asks of the processor, whatever the load.
    result["cpu"] = CPU_SLOWDOWN * sum(report["main_thread_cpu"].values())
    return result


def median_figures(reports: list[dict[str, Any]]) -> dict[str, float]:
    """Each figure's median over the runs (a figure of one run varies by several points on a small machine)."""
    runs = [figures(report) for report in reports]
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def paired_ratios(runs: list[dict[str, Any]], baseline_runs: list[dict[str, Any]], key: str) -> list[float]:
    """A figure of each run as a multiple of the baseline's in the same round: the pages are measured round robin,
    so a burst of load on the machine meets a page and the baseline in the same round, and their ratio cancels it
    (the ratio of two medians taken from different rounds does not)."""
    return [figures(run)[key] / figures(base)[key] for run, base in zip(runs, baseline_runs, strict=True)]


def spread(ratios: list[float]) -> str:
    """'0.99–1.61x': the lowest and the highest of a page's rounds."""
    return f"{min(ratios):.2f}–{max(ratios):.2f}x"


def failing_audits(report: dict[str, Any]) -> list[str]:
    """Accessibility and best-practices audits that count towards the score and did not pass."""
    audits = report["audits"]
    return [
        audit_id
        for key in ("accessibility", "best-practices")
        for ref in report["categories"][key]["auditRefs"]
        if ref["weight"] and (audits[(audit_id := ref["id"])]["score"] or 0) < 1
    ]


def missed(name: str, row: dict[str, float], ratio: float) -> list[str]:
    """The targets a page's median figures miss."""
    out = [key for key, target in TARGETS.items() if row[key] < target]
    out += ["TBT"] if row["tbt"] > MAX_TBT_MS else []
    out += ["size"] if row["kb"] * 1024 > MAX_BYTES else []
    out += [f"main thread > {MAX_RATIO[name]}x {BASELINE}"] if name in MAX_RATIO and ratio > MAX_RATIO[name] else []
    return out


def main() -> None:
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make bench-web` (npm ci in bench/web).")
    RESULTS.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="nd-bench-web-"))
    env = production_env(f"sqlite:///{scratch}/web.sqlite3")
    session, token, response, treatment = prepare(env)
    server = serve(env, scratch / "gunicorn.log")
    base = f"http://127.0.0.1:{PORT}"
    # Every main page a patient or a physician opens: a page added to the app is added here too (the treatments page
    # once it is on main), and meets the same targets.
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
        ("Treatments", "/treatments/", session),
        ("Treatment", f"/treatments/{treatment}/", session),
        ("Add", "/treatments/add/", session),
    ]
    if ONLY:
        pages = [page for page in pages if page[0] == BASELINE or page[0].lower() in ONLY]
    version = subprocess.check_output([str(LIGHTHOUSE), "--version"], text=True).strip()
    print(f"bench-web: Lighthouse {version}, mobile (4x CPU slowdown), median of {RUNS} runs round robin, "
          f"gunicorn + WhiteNoise, DEBUG=0; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    reports: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in pages}
    try:
        # Lighthouse's own advice: one run varies, the median of several does not (much). Round robin, so that
        # a burst of load on a shared machine falls on every page rather than on one.
        for _ in range(RUNS):
            for name, path, cookie in pages:
                reports[name].append(lighthouse(name, base + path, cookie))
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()[0]
    rows = {name: median_figures(runs) for name, runs in reports.items()}
    print(f"  {'page':<9} {'perf':>4} {'a11y':>4} {'best':>4} {'KB':>5} {'LCP':>6} {'TBT':>6} | {'main':>6} {'x':>5} "
          + " ".join(f"{column:>6}" for column in BREAKDOWN)
          + f" | {'cpu':>5} {'x':>5} | {'DOM':>5}  missed")  # fmt: skip
    spreads = []
    for name, path, _ in pages:
        runs = sorted(reports[name], key=lambda run: run["categories"]["performance"]["score"] or 0)
        report = runs[len(runs) // 2]  # the run with the median performance score, kept to look into
        (RESULTS / f"{name.lower()}.json").write_text(json.dumps(report))
        if report["finalDisplayedUrl"].rstrip("/") != (base + path).rstrip("/"):
            print(f"  {name:<9} ended at {report['finalDisplayedUrl']} (redirected)")
        row = rows[name]
        ratios, cpu_ratios = (paired_ratios(reports[name], reports[BASELINE], key) for key in ("main", "cpu"))
        ratio, cpu_ratio = statistics.median(ratios), statistics.median(cpu_ratios)
        if name != BASELINE:
            spreads.append(f"{name} {spread(ratios)} (cpu {spread(cpu_ratios)})")
        print(
            f"  {name:<9} {row['performance']:>4.0f} {row['accessibility']:>4.0f} {row['best-practices']:>4.0f} "
            f"{row['kb']:>5.1f} {row['lcp']:>5.2f}s {row['tbt']:>4.0f}ms | {row['main']:>6.0f} {ratio:>4.2f}x "
            + " ".join(f"{row[column]:>6.0f}" for column in BREAKDOWN)
            + f" | {row['cpu']:>5.0f} {cpu_ratio:>4.2f}x"
            + f" | {row['dom']:>5.0f}  {', '.join(missed(name, row, ratio) + failing_audits(report)) or '-'}"
        )
    print(f"  main: main-thread work in ms (Lighthouse's wall-clock time, with its 4x CPU slowdown) and its breakdown; "
          f"cpu: the processor time of the same tasks, x4, from Lighthouse's trace (it does not grow with the "
          f"machine's load); x: as a multiple of {BASELINE}'s in the same round, the median of the rounds (not main "
          f"over {BASELINE}'s main, medians of their own); "
          f"load average {load_after:.1f} at the end")  # fmt: skip
    print(f"  x over the {RUNS} rounds, lowest–highest: " + "; ".join(spreads))
    print(f"  targets: performance >= {TARGETS['performance']}, accessibility and best practices 100, TBT <= "
          f"{MAX_TBT_MS} ms, <= {MAX_BYTES // 1024} KB per page; main thread <= "
          + ", ".join(f"{ratio}x {BASELINE} for {name}" for name, ratio in MAX_RATIO.items()))  # fmt: skip


if __name__ == "__main__":
    main()
