"""Celery tasks: thin callers of the review. Enqueued after commit, coalesced per patient."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math
import time
from typing import Any

from celery import Task
from django.core.cache import cache
from django.db import OperationalError

from config.celery import app
from triage import review
from triage.models import OPEN

log = logging.getLogger(__name__)

# Saves within this window share one review: the review looks for patterns over days (what must be said at once
# is said by the instant check when saving), so a burst of saves costs one review, not one each.
COALESCE_SECONDS = 10
PENDING_TTL = 120  # a lost task's pending mark expires; the nightly review is the safety net


def pending_key(patient_id: int) -> str:
    return f"triage:review-pending:{patient_id}"


# A review survives a killed worker (acknowledged only when done, given back when the worker is lost)
# and a database that is briefly away (retried with backoff).
RELIABLE: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 60,  # a retry waits at most this long, well inside the visibility timeout
    "max_retries": 6,
}


# Hard limits: one review takes about 10 ms, a batch of 100 under a second, the nightly selection and fan-out
# about 50 s at a million patients. The broker's visibility timeout (settings) sits just above the longest, so
# a task held by a killed worker is delivered again soon after it could have finished, never while it runs.
@app.task(**RELIABLE, soft_time_limit=30, time_limit=45)
def review_patient_task(patient_id: int, as_of: str | None = None) -> dict[str, Any]:
    log.info("Review of patient %s started.", patient_id)
    cache.delete(pending_key(patient_id))  # saves from now on ask for a fresh review
    result = review.review_patient(patient_id, dt.date.fromisoformat(as_of) if as_of else None)
    return {
        "patient_id": patient_id,
        "as_of": result.as_of.isoformat(),
        "open": sorted(f.code for f in result.flags if f.status == OPEN),
        "opened": result.count("opened") + result.count("reopened"),
        "resolved": result.count("resolved"),
    }


NIGHTLY_BATCH = 100  # patients per nightly task: one transaction and seven reads per batch, not per patient


SPLIT_AFTER_RETRIES = 2  # a batch whose database errors outlast this many retries is reviewed one by one


@app.task(**RELIABLE, bind=True, soft_time_limit=60, time_limit=75)
def review_patients_task(self: Task[Any, Any], patient_ids: list[int]) -> int:
    """The nightly review of a batch of patients; returns how many were reviewed.

    A batch that fails is split into one task per patient, so that one odd diary holds up nobody else and
    is retried and logged on its own: at once for an error in the review, after a couple of retries for a
    database error (a database that is away comes back; a statement that times out on one diary does not).
    """
    try:
        return len(review.review_patients(patient_ids))
    except OperationalError:
        if len(patient_ids) == 1 or self.request.retries < SPLIT_AFTER_RETRIES:
            raise  # retried with backoff
        log.warning("A batch of %d patients kept failing in the database; one by one.", len(patient_ids))
    except Exception:
        if len(patient_ids) == 1:
            raise
        log.exception("Review of a batch of %d patients failed; reviewing them one by one.", len(patient_ids))
    for patient_id in patient_ids:
        review_patient_task.delay(patient_id)
    return 0


@app.task(acks_late=True, soft_time_limit=100, time_limit=120)
def review_due_patients() -> int:
    """Nightly: every patient with something to review, in batches shared by every worker."""
    due = review.patients_due()
    for first in range(0, len(due), NIGHTLY_BATCH):
        review_patients_task.delay(due[first : first + NIGHTLY_BATCH])
    return len(due)


# The reviews this process queued, by patient: when it asked (time.monotonic). A review's task starts no earlier than
# COALESCE_SECONDS after it was queued and reads every save committed before it starts, so until then (less a margin
# for another host's clock, by which the worker reads the task's start time) a save here needs no word to Redis: in
# a burst of one patient's saves (the offline queue sent at once), one round trip instead of one per save.
_QUEUED_HERE: dict[int, float] = {}
CLOCK_MARGIN_SECONDS = 2
NOT_STARTED_SECONDS = COALESCE_SECONDS - CLOCK_MARGIN_SECONDS  # how long after asking the review surely has not begun
_KEEP_QUEUED_HERE = 10_000  # patients; past this the entries whose review may have started are dropped


def request_review(patient_id: int) -> bool:
    """Ask for a review soon; a burst of saves from one patient makes one review. Never raises.

    Runs after the patient's save has committed, so a Redis outage costs a delay (the nightly
    review catches up), never the save.
    """
    asked = time.monotonic()
    # A task run at once (tests' eager mode) ignores its countdown: then nothing is known of when it starts.
    local = not review_patient_task.app.conf.task_always_eager
    if local and asked < _QUEUED_HERE.get(patient_id, -math.inf) + NOT_STARTED_SECONDS:
        return False  # the review this process queued has not started: it will see this save
    try:
        if not cache.add(pending_key(patient_id), 1, timeout=PENDING_TTL):
            return False  # one is already waiting and will see this save
        review_patient_task.apply_async((patient_id,), countdown=COALESCE_SECONDS)
    except Exception:  # noqa: BLE001 - any broker or cache failure
        log.warning("Review for patient %s not queued; the nightly review will catch up.", patient_id, exc_info=True)
        with contextlib.suppress(Exception):
            cache.delete(pending_key(patient_id))
        return False
    if local:
        if len(_QUEUED_HERE) >= _KEEP_QUEUED_HERE:
            # A copy taken at once (other threads of this worker write the dict too), then the entries whose review
            # may have started; the dict outgrows the bound only with that many patients queued in the last seconds.
            for patient, when in list(_QUEUED_HERE.items()):
                if when + NOT_STARTED_SECONDS <= asked:
                    _QUEUED_HERE.pop(patient, None)
        _QUEUED_HERE[patient_id] = asked  # measured before the task was queued: its start is later still
    return True
