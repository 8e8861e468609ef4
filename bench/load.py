"""Many patients logging at once: gunicorn on PostgreSQL with a Celery worker, driven over the API.

    python -m bench load [--patients 50] [--episodes 6] [--max-seconds 180]

Each simulated patient (one thread, its own API token) logs episodes with client-made UUIDs the
way a phone does: some saves are double taps (two identical PUTs at the same moment), some are
retried after the client gave up waiting (a short timeout, then the same PUT again), some are
replayed later by the offline queue. Then every row is checked: each id the clients meant to save
is there exactly once (0 lost), nothing else is (0 duplicated), one check-in per local day, and
the worker has reviewed every patient. Figures are printed, nothing is asserted on time.

The database is BENCH_DATABASE_URL (a PostgreSQL database the benchmark may fill), or a scratch
database it creates beside TEST_POSTGRES_URL and drops at the end. The worker uses REDIS_URL.
Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ZONES = ["Europe/London", "America/Chicago", "Asia/Tokyo", "Australia/Sydney", "UTC"]
SEVERITIES = range(0, 11)


@dataclass
class Tally:
    """What the clients saw: latencies of answered requests, and every failure by kind."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float | None, status: int | None, error: str | None = None) -> None:
        with self.lock:
            if seconds is not None:
                self.latencies.append(seconds)
            if status is not None:
                self.statuses[status] += 1
            if error:
                self.errors[error] += 1


@dataclass
class Patient:
    username: str
    token: str
    zone: str
    meant: set[uuid.UUID] = field(default_factory=set)  # ids the patient tapped "save" for


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scratch_database() -> tuple[str, str | None]:
    """(database URL, name to drop afterwards or None)."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"], None
    base = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"nd_bench_load_{os.getpid()}"
    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name


def drop_database(url: str, name: str) -> None:
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def make_patients(count: int) -> list[Patient]:
    """Accounts with API tokens and varied time zones, created through Django in this process."""
    from django.contrib.auth import get_user_model

    from diary import accounts, services

    User = get_user_model()
    patients = []
    for n in range(count):
        user = User.objects.create_user(username=f"load-{n:04d}", password=None)
        zone = ZONES[n % len(ZONES)]
        services.update_profile(patient=user, timezone=zone)
        patients.append(Patient(user.username, accounts.issue_token(user, "bench load")[1], zone))
    return patients


def episode_body(rng: random.Random, started: dt.datetime) -> dict[str, Any]:
    return {
        "started_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_minutes": rng.choice([1, 5, 15, 30, 60]),
        "ongoing": False,
        "severity": rng.choice(SEVERITIES),
        "locations": [{"side": rng.choice(["left", "right"]), "region": rng.choice(["toes", "sole", "calf", "shin"])}],
        "sensations": ["numbness"],
        "triggers": [rng.choice(["sitting", "crossed_legs", "standing", "walking"])],
        "notes": "",
    }


def retry_after(status: int | None) -> bool:
    """Whether a phone sends the same save again: no answer, a server error or "too many requests"."""
    return status is None or status >= 500 or status == 429


def drive(patient: Patient, base: str, episodes: int, deadline: float, tally: Tally, seed: int) -> None:
    """One phone: log `episodes` episodes over the last days, with double taps, retries and replays."""
    rng = random.Random(seed)
    session = requests.Session()
    session.headers["Authorization"] = f"Token {patient.token}"
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def put(episode_id: uuid.UUID, body: dict[str, Any], timeout: float = 30) -> int | None:
        start = time.perf_counter()
        try:
            response = session.put(f"{base}/api/v1/episodes/{episode_id}/", json=body, timeout=timeout)
        except requests.Timeout:
            tally.record(None, None, "client gave up (will retry)" if timeout < 30 else "timeout")
            return None
        except requests.RequestException as e:
            tally.record(None, None, f"{type(e).__name__} (will retry)")
            return None
        tally.record(time.perf_counter() - start, response.status_code)
        if response.status_code not in (200, 201):
            tally.record(None, None, f"HTTP {response.status_code}: {response.text[:120]}")
        return response.status_code

    replay: list[tuple[uuid.UUID, dict[str, Any]]] = []
    for n in range(episodes):
        if time.monotonic() > deadline:
            tally.record(None, None, "stopped at the time bound")
            break
        episode_id = uuid.uuid4()
        body = episode_body(rng, now - dt.timedelta(hours=rng.randint(1, 24 * 20), minutes=rng.randint(0, 59)))
        patient.meant.add(episode_id)
        roll = rng.random()
        if roll < 0.25:  # double tap: two identical saves at the same moment
            other = threading.Thread(target=put, args=(episode_id, body))
            other.start()
            put(episode_id, body)
            other.join()
        elif roll < 0.45:  # impatient client: gives up after 50 ms, then retries until it has an answer
            status = put(episode_id, body, timeout=0.05)
            for _ in range(5):
                if not retry_after(status):
                    break
                status = put(episode_id, body)
        else:
            status = put(episode_id, body)
            for _ in range(3):  # a plain network retry
                if not retry_after(status):
                    break
                status = put(episode_id, body)
        if rng.random() < 0.2:
            replay.append((episode_id, body))  # the offline queue sends it again later
        if n % 3 == 2:  # the phone shows the list now and then
            start = time.perf_counter()
            try:
                listed = session.get(f"{base}/api/v1/episodes/?limit=20", timeout=30)
            except requests.RequestException as e:
                tally.record(None, None, f"list: {type(e).__name__}")
            else:
                tally.record(time.perf_counter() - start, listed.status_code)
    for episode_id, body in replay:
        put(episode_id, body)


def check_rows(patients: list[Patient]) -> dict[str, int]:
    """Compare what each patient meant to save with the rows; counts of lost, unexpected and doubled rows."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from diary.models import CheckIn, Episode

    users = {u.username: u for u in get_user_model().objects.filter(username__in=[p.username for p in patients])}
    lost = unexpected = 0
    for p in patients:
        stored = set(Episode.objects.filter(patient=users[p.username]).values_list("id", flat=True))
        lost += len(p.meant - stored)
        unexpected += len(stored - p.meant)
    doubled_checkins = CheckIn.objects.values("patient", "date").annotate(n=Count("id")).filter(n__gt=1).count()
    return {
        "meant": sum(len(p.meant) for p in patients),
        "rows": Episode.objects.filter(patient__in=users.values()).count(),
        "lost": lost,
        "unexpected": unexpected,
        "doubled check-ins": doubled_checkins,
    }


def reviewed(patients: list[Patient], seconds: float) -> int:
    """How many patients the worker reviewed after their last save (waits up to `seconds`)."""
    from triage.models import PatientReview

    deadline = time.monotonic() + seconds
    while True:
        done = PatientReview.objects.filter(patient__username__in=[p.username for p in patients]).count()
        if done == len(patients) or time.monotonic() > deadline:
            return done
        time.sleep(1)


def drain(redis_url: str, seconds: float) -> int:
    """Wait until the worker has taken every queued task (so none is left for another run); returns those left."""
    import redis

    queue = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + seconds
    while (left := int(queue.llen("celery"))) and time.monotonic() < deadline:  # type: ignore[arg-type]
        time.sleep(0.5)
    return left


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--episodes", type=int, default=6, help="episodes each patient logs")
    parser.add_argument("--max-seconds", type=float, default=180, help="time bound of the driving phase")
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker")
    args = parser.parse_args(argv)
    if not 1 <= args.patients <= 1000 or not 1 <= args.episodes <= 100:
        raise SystemExit("Keep it bounded: 1-1000 patients, 1-100 episodes each.")

    database_url, scratch = scratch_database()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "LOG_LEVEL")})
    processes: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        import django

        django.setup()
        patients = make_patients(args.patients)

        logs = Path(os.environ.get("TMPDIR", "/tmp")) / f"nd-bench-load-{os.getpid()}"
        logs.mkdir(exist_ok=True)
        web = [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.web_workers),
            "--threads",
            str(args.threads),
            "--timeout",
            "60",
        ]
        worker = [str(BIN / "celery"), "-A", "config", "worker", "--loglevel", "WARNING", "--concurrency", "2"]
        for command, name in ((web, "web"), (worker, "worker")):
            log = open(logs / f"{name}.log", "w")  # noqa: SIM115 - open for the life of the process
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
            processes.append(process)
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/healthz", 60)

        from django.db import connection

        print(
            f"load: {args.patients} patients x {args.episodes} episodes, gunicorn {args.web_workers}x{args.threads} "
            f"threads, 1 Celery worker (2 processes), {connection.vendor}, logs in {logs}"
        )
        tally = Tally()
        deadline = time.monotonic() + args.max_seconds
        started = time.perf_counter()
        threads = [
            threading.Thread(target=drive, args=(p, base, args.episodes, deadline, tally, n))
            for n, p in enumerate(patients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started

        requests_made = sum(tally.statuses.values())
        print(f"  requests answered   {requests_made} in {elapsed:.1f} s ({requests_made / elapsed:.0f}/s)")
        if tally.latencies:
            print(
                f"  latency             p50 {percentile(tally.latencies, 0.5):.0f} ms   "
                f"p95 {percentile(tally.latencies, 0.95):.0f} ms   max {max(tally.latencies) * 1000:.0f} ms   "
                f"mean {statistics.fmean(tally.latencies) * 1000:.0f} ms"
            )
        print(f"  statuses            {dict(sorted(tally.statuses.items()))}")
        print(f"  client-side events  {dict(tally.errors) or 'none'}")
        rows = check_rows(patients)
        print(
            f"  rows                {rows['rows']} for {rows['meant']} episodes saved: lost {rows['lost']}, "
            f"duplicated or unexpected {rows['unexpected']}, doubled check-ins {rows['doubled check-ins']}"
        )
        print(f"  reviewed by worker  {reviewed(patients, 60)} of {len(patients)} patients")
        left = drain(redis_url, 60)
        print(f"  queue at the end    {left} tasks waiting")
        non_2xx = sum(n for status, n in tally.statuses.items() if not 200 <= status < 300)
        verdict = "OK" if rows["lost"] == rows["unexpected"] == rows["doubled check-ins"] == non_2xx == 0 else "FAILED"
        print(f"  verdict             {verdict}: {non_2xx} non-2xx answers")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)  # warm shutdown: finish the task in hand
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if scratch:
            from django.db import connections

            connections.close_all()
            drop_database(database_url, scratch)


if __name__ == "__main__":
    main()
