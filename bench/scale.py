"""Scale: N synthetic patients on PostgreSQL, and the nightly review fanned out to real Celery workers.

    python -m bench scale --patients 1000 [--workers 1,2] [--database URL] [--redis URL]

1. Creates a scratch PostgreSQL database (dropped first; default `nd_scale` on the local server) and
   fills it with COPY: N patients, each with a diary of 14–365 days that ended today (70 %) or
   lapsed 50–400 days ago (30 %); on a logged day 0, 1 or 2 episodes (weights 5:4:1) drawn from the
   demo diary's kinds of episode, with their places and the day's check-in.
2. Prints the database size per patient-year, and the plan (EXPLAIN ANALYZE) of the nightly
   selection, `triage.review.patients_due`.
3. Reviews a sample of patients in-process, one by one (time and queries per review, against diary
   length) and then as one nightly batch.
4. For each worker count: resets flags and reviews, flushes the Redis database (default 9: keep it
   for this), starts `celery worker --concurrency K`, runs the nightly fan-out (`review_due_patients`:
   selection and one task per batch of patients) and waits until every due patient has been reviewed.
   Prints patients reviewed per second and the per-batch time the workers logged, per patient.

Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/nd_scale"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago", "Asia/Tokyo", "Australia/Sydney"]
SAMPLE = 100


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def scratch_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"Use a plain lower-case database name for the scratch database, not {name!r}.")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")


def setup_django(database: str, redis_url: str) -> None:
    os.environ.update(
        DATABASE_URL=database,
        REDIS_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER="0",
        DJANGO_SETTINGS_MODULE="config.settings",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",  # new flags send mail: keep it in memory
    )
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


# --- The synthetic population ----------------------------------------------------------------------


class Population:
    """What was generated: patients, patient-days of diary, rows."""

    def __init__(self) -> None:
        self.patients: list[int] = []
        self.diary_days: dict[int, int] = {}
        self.last_day: dict[int, dt.date] = {}
        self.episodes = self.locations = self.checkins = 0

    @property
    def patient_years(self) -> float:
        return sum(self.diary_days.values()) / 365


def _episode_rows(
    population: Population, rng: random.Random, today: dt.date, now: dt.datetime
) -> Iterator[tuple[Any, ...]]:
    from diary.demo import _KINDS

    weights = [kind[0] for kind in _KINDS]
    for patient_id in population.patients:
        zone_offset = dt.timedelta(hours=rng.choice([0, 1, -5, -6, 9, 10]))
        side = rng.choice(["left", "left", "right"])
        last = today if rng.random() < 0.7 else today - dt.timedelta(days=rng.randint(50, 400))
        days = rng.randint(14, 365)
        population.diary_days[patient_id], population.last_day[patient_id] = days, last
        for offset in range(days - 1, -1, -1):
            day = last - dt.timedelta(days=offset)
            if rng.random() < 0.12:
                continue  # not logged
            count = rng.choices([0, 1, 2], weights=[5, 4, 1])[0]
            yield ("checkin", patient_id, day, count > 0)
            for _ in range(count):
                _, triggers, places, sensations, relief, minutes, severity, hours = rng.choices(_KINDS, weights)[0]
                start = dt.datetime.combine(day, dt.time(rng.randint(*hours), rng.randint(0, 59)), tzinfo=dt.UTC)
                start -= zone_offset
                if start > now - dt.timedelta(minutes=90):
                    continue
                duration = max(1, round(rng.gauss(minutes, minutes / 3)))
                written = min(now, start + dt.timedelta(minutes=duration + rng.randint(1, 120)))
                places = [(side if s == "left" else s, r) for s, r in places[: rng.randint(1, len(places))]]
                yield (
                    "episode",
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    patient_id,
                    start,
                    duration,
                    min(10, max(1, round(rng.gauss(severity, 1.2)))),
                    json.dumps(sensations),
                    json.dumps(triggers),
                    json.dumps(["cramps"] if "walking" in triggers else []),
                    json.dumps(relief),
                    rng.choice(["", "", "", "At my desk.", "Long meeting."]),
                    written,
                    places,
                )


def populate(n: int, seed: int) -> Population:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from diary.models import Profile

    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    today = now.date()
    User = get_user_model()
    population = Population()
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"scale-{i:07d}", password="!", email=f"scale-{i}@example.org") for i in range(n)],
            batch_size=5000,
        )
        population.patients = [u.pk for u in users]
        Profile.objects.bulk_create(
            [Profile(user=u, timezone=rng.choice(ZONES)) for u in users], batch_size=5000, ignore_conflicts=True
        )
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor: COPY
            episode_cols = (
                "id, patient_id, started_at, duration_minutes, severity, sensations, triggers, symptoms, "
                "relieved_by, notes, created_at, updated_at"
            )
            locations: list[tuple[uuid.UUID, str, str]] = []
            checkins: list[tuple[Any, ...]] = []
            with raw.copy(f"COPY diary_episode ({episode_cols}) FROM STDIN") as copy:
                for row in _episode_rows(population, rng, today, now):
                    if row[0] == "checkin":
                        _, patient_id, day, numbness = row
                        written = dt.datetime.combine(day, dt.time(21, 0), tzinfo=dt.UTC)
                        checkins.append((patient_id, day, numbness, min(now, written), min(now, written)))
                        continue
                    _, episode_id, patient_id, start, *values, written, places = row
                    copy.write_row((episode_id, patient_id, start, *values, written, written))
                    locations += [(episode_id, s, r) for s, r in places]
                    population.episodes += 1
            with raw.copy("COPY diary_episodelocation (episode_id, side, region) FROM STDIN") as copy:
                for location in locations:
                    copy.write_row(location)
            population.locations = len(locations)
            with raw.copy(
                "COPY diary_checkin (patient_id, date, numbness_today, created_at, updated_at) FROM STDIN"
            ) as copy:
                for checkin in checkins:
                    copy.write_row(checkin)
            population.checkins = len(checkins)
    reset_reviews(population)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return population


def reset_reviews(population: Population) -> None:
    """Every patient reviewed the night after their last diary day (today's patients: last night), no flags."""
    from triage.models import Flag, PatientReview

    Flag.objects.all().delete()
    PatientReview.objects.all().delete()
    night = dt.time(3, 15, tzinfo=dt.UTC)
    now = dt.datetime.now(dt.UTC)
    earlier = now - dt.timedelta(minutes=1)  # never in the future: the fan-out waits for reviews after its start
    # Never later than any patient's local today: a review dated before the last one changes nothing,
    # and the fan-out would wait for it forever (west of UTC it is still yesterday for a few hours).
    yesterday = now.date() - dt.timedelta(days=1)
    PatientReview.objects.bulk_create(
        [
            PatientReview(
                patient_id=pid,
                reviewed_at=min(dt.datetime.combine(day + dt.timedelta(days=1), night), earlier),
                as_of=min(day, yesterday),
            )
            for pid, day in population.last_day.items()
        ],
        batch_size=5000,
    )


# --- Measurements ----------------------------------------------------------------------------------


def print_sizes(population: Population) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
            "WHERE c.relname IN ('diary_episode', 'diary_episodelocation', 'diary_checkin') ORDER BY 1"
        )
        tables = cursor.fetchall()
    years = population.patient_years
    print(
        f"  {len(population.patients):,} patients, {years:,.0f} patient-years of diary: {population.episodes:,} "
        f"episodes, {population.locations:,} places, {population.checkins:,} check-ins"
    )
    print(f"  database {total / 2**20:,.1f} MiB: {total / years / 1024:,.1f} KiB per patient-year")
    for name, size in tables:
        print(f"    {name:<24} {size / 2**20:8.1f} MiB  {size / years / 1024:6.1f} KiB per patient-year")


def explain_selection() -> list[int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from triage.review import patients_due

    patients_due()  # warm
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        due = patients_due()
    elapsed = (time.perf_counter() - start) * 1000
    print(
        f"  patients_due: {len(due):,} due, {len(queries)} quer{'y' if len(queries) == 1 else 'ies'}, {elapsed:.0f} ms"
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + queries[0]["sql"])
        for (line,) in cursor.fetchall():
            print(f"    {line}")
    return due


def sample_reviews(due: list[int], population: Population) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from triage.review import review_patient, review_patients

    sample = random.Random(1).sample(due, min(SAMPLE, len(due)))
    times, queries, lengths = [], [], []
    for patient_id in sample:
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            review_patient(patient_id)
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(captured))
        lengths.append(population.diary_days[patient_id])
    short = [q for q, n in zip(queries, lengths, strict=True) if n < 100]
    long = [q for q, n in zip(queries, lengths, strict=True) if n >= 250]
    print(
        f"  in-process review of {len(sample)} due patients: median {statistics.median(times):.1f} ms, "
        f"p95 {percentile(times, 95):.1f} ms; queries per review median {statistics.median(queries):g} "
        f"(min {min(queries)}, max {max(queries)}; diaries < 100 days: median {statistics.median(short or [0]):g}, "
        f">= 250 days: median {statistics.median(long or [0]):g})"
    )
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        review_patients(sample)
        batch = (time.perf_counter() - start) * 1000
    print(
        f"  the same {len(sample)} as one nightly batch (review_patients): {batch:.0f} ms = "
        f"{batch / len(sample):.1f} ms per patient, {len(captured)} queries in all"
    )


def start_worker(concurrency: int, database: str, redis_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {"DATABASE_URL": database, "REDIS_URL": redis_url, "CELERY_TASK_ALWAYS_EAGER": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO", "--concurrency",
         str(concurrency), "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"The worker did not start:\n{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    return process


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def fan_out(concurrency: int, population: Population, database: str, redis_url: str) -> None:
    import redis

    from config.celery import app
    from triage.models import PatientReview
    from triage.tasks import review_due_patients

    reset_reviews(population)
    redis.Redis.from_url(redis_url).flushdb()
    app.conf.update(broker_url=redis_url)
    log = Path(tempfile.mkdtemp(prefix="nd-scale-")) / f"worker-{concurrency}.log"
    worker = start_worker(concurrency, database, redis_url, log)
    load = os.getloadavg()
    try:
        started = dt.datetime.now(dt.UTC)
        t0 = time.perf_counter()
        count = review_due_patients()  # selection + one task per patient, as beat runs it
        enqueued = time.perf_counter() - t0
        while (done := PatientReview.objects.filter(reviewed_at__gte=started).count()) < count:
            if worker.poll() is not None:
                sys.exit(f"The worker died:\n{log.read_text(errors='replace')[-2000:]}")
            if time.perf_counter() - t0 > 60 + count:
                sys.exit(f"Only {done:,} of {count:,} due patients were reviewed; worker log: {log}")
            time.sleep(0.5)
        wall = time.perf_counter() - t0
    finally:
        stop_worker(worker)
    batches = [
        (float(seconds) * 1000, int(count))
        for seconds, count in re.findall(
            r"review_patients_task\[[^\]]+\] succeeded in ([0-9.]+)s: (\d+)", log.read_text(errors="replace")
        )
        if int(count)
    ]
    per_patient = [ms / count for ms, count in batches] or [0.0]
    per_batch = statistics.median([ms for ms, _ in batches] or [0.0])
    print(f"  load average before/after: {load[0]:.1f} / {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    print(
        f"  {concurrency} worker process{'es' if concurrency > 1 else ''}: {done:,} patients reviewed in {wall:.1f} s "
        f"= {done / wall:,.0f} patients/s (fan-out: selection and {len(batches)} batch tasks enqueued in "
        f"{enqueued:.2f} s); per batch task in the worker: median {per_batch:.0f}"
        f" ms = {statistics.median(per_patient):.1f} ms per patient (p95 of batches {percentile(per_patient, 95):.1f})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench scale", description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--workers", default="1,2", help="worker process counts to try, e.g. 1,2")
    parser.add_argument("--database", default=os.getenv("SCALE_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--redis", default=os.getenv("SCALE_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    if not args.database.startswith("postgres"):
        sys.exit("The scale benchmark needs PostgreSQL (--database postgres://…/scratch_name).")
    print(f"scale: {args.patients:,} patients on {args.database.rsplit('@', 1)[-1]}, Redis {args.redis}")
    scratch_database(args.database)
    setup_django(args.database, args.redis)
    t0 = time.perf_counter()
    population = populate(args.patients, args.seed)
    print(f"  created in {time.perf_counter() - t0:.1f} s (COPY)")
    print_sizes(population)
    due = explain_selection()
    sample_reviews(due, population)
    for concurrency in (int(k) for k in args.workers.split(",")):
        fan_out(concurrency, population, args.database, args.redis)


def _cli() -> list[str]:  # python -m bench.scale --patients N
    return sys.argv[2:] if len(sys.argv) > 1 and sys.argv[1] == "scale" else sys.argv[1:]


if __name__ == "__main__":
    main(_cli())
