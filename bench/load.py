"""Many patients logging at once: gunicorn on PostgreSQL with a Celery worker, driven over the API.

    python -m bench load [--patients 50] [--episodes 6] [--max-seconds 180]
    python -m bench load --compare [--clients 20,100] [--rounds 4] [--round-seconds 10]

`--compare` sets saves against `/healthz` on the same clients: each client (one thread, its own patient
and token) PUTs new episodes as fast as it is answered for a round, then asks `/healthz` for a round, and
so on, the order alternating so that a change in the machine's load meets both; it prints saves/s,
healthz/s, their ratio, p50/p95/p99, the non-2xx answers and the rows lost or duplicated.

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


@dataclass
class Round:
    """What one kind of request (a save or /healthz) saw over its rounds."""

    seconds: float = 0.0
    tally: Tally = field(default_factory=Tally)

    @property
    def answered(self) -> int:
        return sum(self.tally.statuses.values())

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.tally.statuses.items() if 200 <= status < 300)

    @property
    def non_2xx(self) -> int:
        return self.answered - self.ok + sum(self.tally.errors.values())

    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def hammer(patient: Patient, base: str, kind: str, until: float, round_: Round, seed: int, failed: list[Any]) -> None:
    """One client for one round: saves of new episodes (kind "save") or GET /healthz, back to back until `until`."""
    rng = random.Random(seed)
    session = requests.Session()
    session.headers["Authorization"] = f"Token {patient.token}"
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    while time.monotonic() < until:
        start = time.perf_counter()
        if kind == "save":
            episode_id = uuid.uuid4()
            body = episode_body(rng, now - dt.timedelta(hours=rng.randint(1, 24 * 20), minutes=rng.randint(0, 59)))
            patient.meant.add(episode_id)
            try:
                response = session.put(f"{base}/api/v1/episodes/{episode_id}/", json=body, timeout=30)
            except requests.RequestException as e:
                round_.tally.record(None, None, type(e).__name__)
                failed.append((patient, episode_id, body))
                continue
            if response.status_code not in (200, 201):
                failed.append((patient, episode_id, body))
        else:
            try:
                response = session.get(f"{base}/healthz", timeout=30)
            except requests.RequestException as e:
                round_.tally.record(None, None, type(e).__name__)
                continue
        round_.tally.record(time.perf_counter() - start, response.status_code)


def compare(base: str, patients: list[Patient], rounds: int, seconds: float) -> dict[str, Round]:
    """Interleaved rounds of saves and of /healthz on the same clients; the order alternates every round."""
    results = {"save": Round(), "healthz": Round()}
    failed: list[Any] = []
    for number in range(rounds):
        for kind in ("save", "healthz") if number % 2 == 0 else ("healthz", "save"):
            started = time.monotonic()
            until = started + seconds
            threads = [
                threading.Thread(target=hammer, args=(p, base, kind, until, results[kind], number * 1000 + n, failed))
                for n, p in enumerate(patients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            results[kind].seconds += time.monotonic() - started
    for patient, episode_id, body in failed:  # a phone sends again what was not answered, until it is
        for _ in range(5):
            try:
                if requests.put(
                    f"{base}/api/v1/episodes/{episode_id}/",
                    json=body,
                    headers={"Authorization": f"Token {patient.token}"},
                    timeout=60,
                ).status_code in (200, 201):
                    break
            except requests.RequestException:
                time.sleep(1)
    return results


def print_comparison(clients: int, results: dict[str, Round], rows: dict[str, int]) -> None:
    save, healthz = results["save"], results["healthz"]
    ratio = save.per_second() / healthz.per_second() if healthz.per_second() else 0.0
    print(f"  {clients} clients, load average {os.getloadavg()[0]:.2f} at the end")
    for name, kind in (("saves", save), ("healthz", healthz)):
        lat = kind.tally.latencies or [0.0]
        print(
            f"    {name:<8} {kind.per_second():7.1f}/s  ({kind.ok} in {kind.seconds:.0f} s)   "
            f"p50 {percentile(lat, 0.5):6.0f} ms  p95 {percentile(lat, 0.95):6.0f} ms  "
            f"p99 {percentile(lat, 0.99):6.0f} ms   non-2xx {kind.non_2xx}"
            + (f" {dict(kind.tally.errors)}" if kind.tally.errors else "")
        )
    verdict = "OK" if save.non_2xx == healthz.non_2xx == rows["lost"] == rows["unexpected"] == 0 else "FAILED"
    print(
        f"    ratio    saves/healthz = {ratio:.2f} (1/{1 / ratio if ratio else float('inf'):.1f})   rows "
        f"{rows['rows']} for {rows['meant']} saves: lost {rows['lost']}, duplicated {rows['unexpected']}, "
        f"doubled check-ins {rows['doubled check-ins']}   {verdict}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--episodes", type=int, default=6, help="episodes each patient logs")
    parser.add_argument("--max-seconds", type=float, default=180, help="time bound of the driving phase")
    parser.add_argument("--compare", action="store_true", help="saves against /healthz on the same clients")
    parser.add_argument("--clients", default="20,100", help="--compare: comma-separated numbers of clients")
    parser.add_argument("--rounds", type=int, default=4, help="--compare: rounds of each kind")
    parser.add_argument("--round-seconds", type=float, default=10, help="--compare: length of one round")
    parser.add_argument("--web-workers", help="WEB_WORKERS of bin/diary web (its default: 3)")
    parser.add_argument("--worker-class", help="WEB_WORKER_CLASS of bin/diary web (its default: gthread)")
    parser.add_argument("--threads", help="WEB_THREADS of bin/diary web (its default: 4)")
    parser.add_argument("--max-requests", help="WEB_MAX_REQUESTS of bin/diary web (its default: 0, no recycling)")
    args = parser.parse_args(argv)
    clients = [int(n) for n in args.clients.split(",")]
    if not 1 <= args.patients <= 1000 or not 1 <= args.episodes <= 100 or not all(1 <= n <= 200 for n in clients):
        raise SystemExit("Keep it bounded: 1-1000 patients, 1-100 episodes each, 1-200 clients.")
    if not 1 <= args.rounds <= 20 or not 1 <= args.round_seconds <= 60:
        raise SystemExit("Keep it bounded: 1-20 rounds of 1-60 seconds.")

    database_url, scratch = scratch_database()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    port = free_port()
    logs = Path(os.environ.get("TMPDIR", "/tmp")) / f"nd-bench-load-{os.getpid()}"
    logs.mkdir(exist_ok=True)
    # The production server as deployed (bin/diary web), with production settings over plain HTTP on 127.0.0.1.
    env = os.environ | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ENVIRONMENT": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DB_CONN_MAX_AGE": "60",  # as docker-compose.yml
        "DB_PREPARE_THRESHOLD": "5",  # as docker-compose.yml
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "STATIC_ROOT": str(logs / "static"),
        "BIND": "127.0.0.1",
        "PORT": str(port),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # bin/diary runs the `python` on PATH
    }
    for option, variable in (
        ("web_workers", "WEB_WORKERS"),
        ("worker_class", "WEB_WORKER_CLASS"),
        ("threads", "WEB_THREADS"),
        ("max_requests", "WEB_MAX_REQUESTS"),
    ):
        if getattr(args, option):
            env[variable] = getattr(args, option)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "LOG_LEVEL")})
    processes: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(["bin/diary", "build"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        import django

        django.setup()
        patients = make_patients(max(clients) if args.compare else args.patients)

        worker = [str(BIN / "celery"), "-A", "config", "worker", "--loglevel", "WARNING", "--concurrency", "2"]
        for command, name in ((["bin/diary", "web"], "web"), (worker, "worker")):
            log = open(logs / f"{name}.log", "w")  # noqa: SIM115 - open for the life of the process
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
            processes.append(process)
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/healthz", 60)

        from django.db import connection

        worker_class = env.get("WEB_WORKER_CLASS", "gthread")
        per_worker = f" x {env.get('WEB_THREADS', '4')} threads" if worker_class == "gthread" else ""
        recycled = f", recycled after {env['WEB_MAX_REQUESTS']}+" if env.get("WEB_MAX_REQUESTS", "0") != "0" else ""
        server = f"bin/diary web ({env.get('WEB_WORKERS', '3')} {worker_class} workers{per_worker}{recycled})"
        if args.compare:
            print(
                f"load --compare: {server}, 1 Celery worker (2 processes), {connection.vendor}; "
                f"{args.rounds} rounds of {args.round_seconds:g} s of each kind, interleaved; logs in {logs}"
            )
            for count in clients:
                results = compare(base, patients[:count], args.rounds, args.round_seconds)
                print_comparison(count, results, check_rows(patients))
            print(f"  reviewed by worker  {reviewed(patients, 120)} of {len(patients)} patients")
            return
        print(
            f"load: {args.patients} patients x {args.episodes} episodes, {server}, "
            f"1 Celery worker (2 processes), {connection.vendor}, logs in {logs}"
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
