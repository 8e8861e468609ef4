"""Celery tasks of the diary: thin callers."""

from celery import shared_task

from diary import reminders


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def send_reminders() -> int:
    return reminders.send_due_reminders()


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def nudge_still_going() -> int:
    return reminders.nudge_still_going()
