"""The broker gives back a task held by a dead worker just after the longest task could have finished.

A visibility timeout below a late-acknowledged task's hard limit would deliver it twice while it runs; far above
it (it was 600 s) leaves reviews held by a killed worker waiting ten minutes. Retries and countdowns must fit in
it too: Redis also gives back a task whose countdown outlasts it.
"""

from django.conf import settings

from config.celery import app
from triage import tasks

MARGIN = 60  # "just above": at most a minute more than the longest hard limit


def project_tasks():
    app.loader.import_default_modules()
    apps = ("diary", "triage", "pwa", "report")
    return {name: task for name, task in app.tasks.items() if name.split(".")[0] in apps}


def hard_limit(task) -> int:
    return int(task.time_limit or settings.CELERY_TASK_TIME_LIMIT)


def test_the_visibility_timeout_is_just_above_the_longest_late_acknowledged_task():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    late = {name: task for name, task in project_tasks().items() if task.acks_late}
    assert {"triage.tasks.review_patient_task", "triage.tasks.review_patients_task"} <= set(late)
    longest = max(hard_limit(task) for task in late.values())
    assert longest < visibility <= longest + MARGIN, (longest, visibility)
    assert longest <= settings.CELERY_TASK_TIME_LIMIT


def test_every_task_has_a_soft_limit_below_its_hard_one():
    for name, task in project_tasks().items():
        soft = task.soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT
        assert soft < hard_limit(task), name


def test_retries_and_countdowns_come_back_inside_the_visibility_timeout():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert tasks.RELIABLE["retry_backoff_max"] + tasks.COALESCE_SECONDS < visibility


def test_tasks_that_run_longer_than_the_timeout_are_acknowledged_on_receipt():
    """A beat task that may outlast the timeout must not be given back while it runs: beat sends it again anyway."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    for name, task in project_tasks().items():
        if hard_limit(task) >= visibility:
            assert not task.acks_late, name
