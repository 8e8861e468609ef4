"""A real `celery worker` on real Redis: reviews arrive after saves, and survive a killed worker.

The worker is a subprocess on the same test database (SQLite file or PostgreSQL) and a Redis
database of its own (index 15), flushed before and after.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.test import APIClient

from config.celery import app as celery_app
from diary.models import Episode, EpisodeLocation
from tests.conftest import episode_json, make_patient, use_broker
from tests.processes import REDIS_URL, database_url
from triage import tasks
from triage.models import Flag, PatientReview
from triage.tasks import review_patient_task

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 3


@pytest.fixture
def broker(settings):
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    settings.CACHES = {"default": {"BACKEND": "web.cache.RedisCache", "LOCATION": REDIS_URL}}
    use_broker(REDIS_URL)
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = False
    yield client
    client.flushdb()


class Worker:
    def __init__(self, log: Path, concurrency: int = 1):
        env = os.environ | {
            "DATABASE_URL": database_url(),
            "REDIS_URL": REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        }
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO",
             "--concurrency", str(concurrency), "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_for(self, text: str, timeout: float = 30, count: int = 1) -> None:
        """Wait until the worker has logged `text` `count` times (the timeout only bounds a hang)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log.read_text(errors="replace").count(text) >= count:
                return
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited:\n{self.log.read_text()}")
            time.sleep(0.1)
        raise AssertionError(f"no {text!r} within {timeout}s:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)  # no warm shutdown: the task stays unacknowledged
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def start_worker(tmp_path):
    workers: list[Worker] = []

    def start(concurrency: int = 1) -> Worker:
        worker = Worker(tmp_path / "worker.log", concurrency)
        workers.append(worker)
        worker.wait_for("ready.")
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_until(predicate, timeout: float, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(step)
    return predicate()


def test_saving_through_the_api_produces_the_flag_in_the_worker(broker, start_worker):
    start_worker()
    patient = make_patient("wendy")
    api = APIClient()
    api.force_authenticate(patient)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    body = episode_json(started_at=start.strftime("%Y-%m-%dT%H:%M:%SZ"), triggers=["injury"])
    assert api.put(f"/api/v1/episodes/{uuid.uuid4()}/", body, format="json").status_code == 201

    flag = wait_until(lambda: Flag.objects.filter(patient=patient, code="urgent.injury").first(), timeout=60)
    assert flag is not None, "the worker raised no flag"
    assert flag.status == "open"


def test_a_burst_of_saves_queues_one_review(broker):
    patient = make_patient("burst")
    api = APIClient()
    api.force_authenticate(patient)
    for n in range(20):
        start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=n + 1)
        api.put(f"/api/v1/episodes/{uuid.uuid4()}/", episode_json(started_at=start.isoformat()), format="json")
    assert broker.llen("celery") == 1  # no worker is running: the one coalesced review waits in the queue


def test_a_burst_asks_redis_once_while_the_review_it_queued_cannot_have_started(broker):
    """The review queued by the first save starts COALESCE_SECONDS later at the earliest and reads every save made
    before it starts: the process that queued it asks Redis nothing more for that patient until then (less a margin
    for the worker's clock). Counted by Redis itself: its SET commands."""
    patient = make_patient("burst")
    api = APIClient()
    api.force_authenticate(patient)

    def sets() -> int:
        return int(broker.info("commandstats").get("cmdstat_set", {}).get("calls", 0))

    def save(hours_ago: int) -> None:
        start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)
        body = episode_json(started_at=start.isoformat())
        assert api.put(f"/api/v1/episodes/{uuid.uuid4()}/", body, format="json").status_code == 201

    broker.config_resetstat()
    for n in range(10):
        save(n + 1)
    assert sets() == 1 and broker.llen("celery") == 1
    # Once the queued review may have started (here: its time moved back), a save asks Redis again; the pending mark
    # is still there (no worker runs), so nothing more is queued.
    tasks._QUEUED_HERE[patient.pk] -= tasks.NOT_STARTED_SECONDS
    save(12)
    assert sets() == 2 and broker.llen("celery") == 1


def recent_diary(patient, count: int) -> None:
    now = dt.datetime.now(dt.UTC)
    episodes = Episode.objects.bulk_create(
        Episode(
            patient=patient,
            started_at=now - dt.timedelta(minutes=30 * n + 60),
            duration_minutes=40,
            severity=5,
            sensations=["numbness"],
            triggers=["walking"],
            symptoms=["back_pain"],
            relieved_by=["rest"],
        )
        for n in range(count)
    )
    EpisodeLocation.objects.bulk_create(EpisodeLocation(episode=e, side="left", region="calf") for e in episodes)


def test_a_worker_killed_mid_review_leaves_no_duplicate_flags(broker, start_worker):
    patient = make_patient("kim")
    recent_diary(patient, 30)
    worker = start_worker()
    # Hold the patient's row: the worker's review starts, then waits inside its transaction
    # (at the row lock on PostgreSQL, at its first write on SQLite) until we kill it.
    with transaction.atomic():
        get_user_model().objects.filter(pk=patient.pk).update(last_name="locked")
        review_patient_task.delay(patient.pk)
        worker.wait_for("review_patient_task[")  # received
        worker.wait_for(f"Review of patient {patient.pk} started.")  # inside the task, waiting for our lock
        worker.kill()
    # Killed holding the task: it is still unacknowledged in Redis and the review did not commit.
    assert broker.hlen("unacked") == 1
    assert not PatientReview.objects.filter(patient=patient).exists()

    # A new worker (two processes) gets the unacknowledged task again, and two more reviews race it.
    # Redis gives an unacknowledged task back once its visibility timeout has passed since delivery.
    ((_, delivered_at),) = broker.zrange("unacked_index", 0, -1, withscores=True)
    assert wait_until(lambda: time.time() > delivered_at + VISIBILITY_TIMEOUT, timeout=VISIBILITY_TIMEOUT + 5)
    second = start_worker(concurrency=2)
    review_patient_task.delay(patient.pk)
    review_patient_task.delay(patient.pk)
    expected = {"pattern.persistent", "pattern.exertional", "pattern.radicular"}
    assert wait_until(lambda: PatientReview.objects.filter(patient=patient).exists(), timeout=60)
    second.wait_for("succeeded", timeout=60, count=3)  # the task given back, and the two racing it

    codes = list(Flag.objects.filter(patient=patient).values_list("code", flat=True))
    assert sorted(codes) == sorted(expected), codes  # each once: no duplicates
    assert set(Flag.objects.filter(patient=patient).values_list("status", flat=True)) == {"open"}


def test_a_worker_killed_mid_batch_leaves_no_patient_unreviewed(broker, start_worker):
    """The probe behind issue #20: kill -9 of the worker holding a burst of reviews. Those it held come back after
    the visibility timeout (seconds here, just above the longest hard limit in production), and the saves made
    meanwhile, which queued nothing while a review was pending, are in the review that comes back."""
    patients = [make_patient(f"crash{n}") for n in range(12)]
    api = APIClient()
    started = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)
    for patient in patients:
        api.force_authenticate(patient)
        body = episode_json(started_at=started.strftime("%Y-%m-%dT%H:%M:%SZ"))
        assert api.put(f"/api/v1/episodes/{uuid.uuid4()}/", body, format="json").status_code == 201
    assert broker.llen("celery") == len(patients)  # one review asked for each

    # Hold every patient's row: the worker's first review waits inside its transaction, the rest wait behind it.
    with transaction.atomic():
        get_user_model().objects.filter(pk__in=[p.pk for p in patients]).update(last_name="locked")
        worker = start_worker()
        worker.wait_for("Review of patient ")  # mid-batch: one started, the others held by the worker
        worker.kill()
    assert broker.hlen("unacked") >= 1
    assert not PatientReview.objects.exists()

    # Saves while the reviews are lost: each patient logs an injury. The pending marks of the held reviews
    # coalesce these saves into them; nothing else would review those patients before the night.
    later = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    for patient in patients:
        api.force_authenticate(patient)
        body = episode_json(started_at=later.strftime("%Y-%m-%dT%H:%M:%SZ"), triggers=["injury"])
        assert api.put(f"/api/v1/episodes/{uuid.uuid4()}/", body, format="json").status_code == 201
    assert broker.llen("celery") < len(patients)  # most saves queued nothing: their review is held by the dead worker

    killed_at = time.monotonic()
    start_worker(concurrency=2)

    # The injury's flag opens with the save itself (triage.at_save); the review that comes back must still run for
    # everyone, and reconcile the flag it finds already open.
    def everyone_reviewed() -> bool:
        return PatientReview.objects.filter(patient__in=patients).count() == len(patients)

    assert wait_until(everyone_reviewed, timeout=VISIBILITY_TIMEOUT + 90, step=0.5), [
        p.username for p in patients if not PatientReview.objects.filter(patient=p).exists()
    ]
    assert time.monotonic() - killed_at < VISIBILITY_TIMEOUT + 90
    flagged = Flag.objects.filter(patient__in=patients, code="urgent.injury", status="open")
    assert flagged.values("patient").distinct().count() == flagged.count() == len(patients)
    # Every pending mark was released when its review began.
    assert wait_until(lambda: not broker.keys("*review-pending*"), timeout=30)
