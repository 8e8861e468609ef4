"""Celery tasks of the diary: thin callers.

Acknowledged when received (not late): beat runs each every ten minutes and every reminder and nudge is claimed
by a conditional update, so one lost with a killed worker is sent by the next run; and a run that takes longer
than the broker's visibility timeout is never delivered twice."""

from config.celery import app
from diary import reminders


@app.task(acks_late=False, soft_time_limit=240, time_limit=300)
def send_reminders() -> int:
    return reminders.send_due_reminders()


@app.task(acks_late=False, soft_time_limit=240, time_limit=300)
def nudge_still_going() -> int:
    return reminders.nudge_still_going()
