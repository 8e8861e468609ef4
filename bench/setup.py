"""A throwaway database for the benchmarks, and a patient with years of daily entries."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def django_on_scratch_database() -> None:
    """Point Django at a fresh SQLite file (or at BENCH_DATABASE_URL) and migrate it."""
    if "BENCH_DATABASE_URL" in os.environ:
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='nd-bench-')}/bench.sqlite3"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"  # no broker needed; reviews are timed directly
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def patient_with_years(username: str, years: int = 2) -> User:
    """A patient with `years` of daily diary (about 1.5 episodes a day), imported like any diary."""
    from django.contrib.auth import get_user_model

    from diary.demo import demo_document
    from diary.interchange import import_diary

    User = get_user_model()
    User.objects.filter(username=username).delete()
    patient = User.objects.create_user(username=username)
    document = demo_document(dt.datetime.now(dt.UTC).date(), seed=11, days=365 * years, episodes_per_day=(0, 1, 2))
    import_diary(patient=patient, document=document)
    return patient


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(label: str, times: list[float]) -> float:
    median = statistics.median(times)
    p90 = statistics.quantiles(times, n=10)[-1] if len(times) >= 10 else max(times)
    print(f"  {label:<44} median {median:8.2f} ms   p90 {p90:8.2f} ms   n={len(times)}")
    return median
