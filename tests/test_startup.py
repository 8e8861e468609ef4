"""What a process pays to start (#18): loading the settings, the apps and every URL imports none of the heavy
libraries, which load where they are used; and the Celery app, no longer imported at start, is still the one a
task is sent with and carries beat's schedule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery.schedules import crontab

ROOT = Path(__file__).resolve().parents[1]

# Each is imported where it is needed: the PDF, FHIR, push and a new VAPID key pair, the schema generator, Celery
# and the cache's client.
HEAVY = (
    "weasyprint",
    "fhir.resources",
    "pywebpush",
    "cryptography",
    "drf_spectacular.generators",
    "celery",
    "kombu",
    "redis",
)

LOAD_EVERYTHING = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every app's URLs, views and API
print(json.dumps(sorted(set(sys.modules) & set(sys.argv[1:]))))
"""


def modules_loaded_at_start(*names: str, then: str = "") -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"} | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", LOAD_EVERYTHING + then, *names],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded: list[str] = json.loads(result.stdout.splitlines()[-1])
    return loaded


@pytest.mark.integration
def test_loading_the_apps_and_urls_imports_no_heavy_library():
    assert modules_loaded_at_start(*HEAVY) == []


@pytest.mark.integration
def test_the_web_entry_point_loads_the_celery_app_before_the_first_request():
    # The same probe after the WSGI entry point: a web process sends a task after every save.
    then = "import config.wsgi\nprint(json.dumps(sorted(set(sys.modules) & set(sys.argv[1:]))))\n"
    assert modules_loaded_at_start("celery", "kombu", then=then) == ["celery", "kombu"]


@pytest.mark.integration
def test_a_task_module_alone_sends_through_the_project_app_and_its_broker():
    # A fresh process that imports only a task module (as a command asking for a review does): a task made with
    # Celery's shared_task would go through its default app, unnamed and on amqp://, since nothing else loaded ours.
    then = (
        "import diary.tasks, triage.tasks\n"
        "tasks = [triage.tasks.review_patient_task, triage.tasks.review_due_patients, diary.tasks.send_reminders]\n"
        "print(json.dumps(sorted({f'{t.app.main} {t.app.conf.broker_url.split(\":\")[0]}' for t in tasks})))\n"
    )
    assert modules_loaded_at_start(then=then) == ["numbness_diary redis"]


def test_beat_runs_the_reminders_the_nudges_and_the_nightly_review(settings):
    import diary.tasks  # noqa: F401 - the task modules, which the worker and beat discover
    import triage.tasks  # noqa: F401
    from config.celery import app

    schedule = app.conf.beat_schedule
    assert {entry["task"] for entry in schedule.values()} == {
        "diary.tasks.send_reminders",
        "diary.tasks.nudge_still_going",
        "triage.tasks.review_due_patients",
    }
    assert all(entry["task"] in app.tasks for entry in schedule.values())
    nightly = schedule["nightly-review"]["schedule"]
    assert nightly == crontab(hour=settings.NIGHTLY_REVIEW_HOUR_UTC, minute=15)
