"""The Celery app: Redis broker, tasks discovered in the Django apps, and beat's schedule."""

import os

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("numbness_diary")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    "daily-reminders": {"task": "diary.tasks.send_reminders", "schedule": 600.0},
    "still-going-nudges": {"task": "diary.tasks.nudge_still_going", "schedule": 600.0},
    "nightly-review": {
        "task": "triage.tasks.review_due_patients",
        "schedule": crontab(hour=settings.NIGHTLY_REVIEW_HOUR_UTC, minute=15),
    },
}
