"""A throwaway database for the benchmarks, and a patient with years of daily entries."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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
    """A patient with `years` of daily diary (about 1.5 episodes a day) and three treatments over them (see
    `treatments_over`), imported like any diary."""
    from django.contrib.auth import get_user_model

    from diary.demo import demo_document
    from diary.interchange import import_diary

    User = get_user_model()
    User.objects.filter(username=username).delete()
    patient = User.objects.create_user(username=username)
    today = dt.datetime.now(dt.UTC).date()
    document = demo_document(today, seed=11, days=365 * years, episodes_per_day=(0, 1, 2))
    import_diary(patient=patient, document=document | treatments_over(today, 365 * years))
    return patient


def treatments_over(today: dt.date, days: int) -> dict[str, Any]:
    """Three treatments over `days`, in the interchange format: pregabalin every day from a fifth of the way in, its
    dose doubled half way; vitamin B12 every day for the first two thirds, then stopped; ibuprofen when needed on
    every other day throughout (about `days / 2` uses, a third of them rated)."""

    def day(ago: int) -> str:
        return (today - dt.timedelta(days=ago)).isoformat()

    def course(start: int, stop: int | None, amount: int, unit: str, times: int | None) -> dict[str, Any]:
        reason = "did_not_help" if stop == days // 3 else ""
        stopped = day(stop) if stop is not None else None
        return {"started_on": day(start), "stopped_on": stopped, "dose_amount": amount, "dose_unit": unit,
                "times_per_day": times, "stop_reason": reason}  # fmt: skip

    def treatment(name: str, schedule: str, kind: str, *courses: dict[str, Any]) -> dict[str, Any]:
        return {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench:{name}")), "name": name, "kind": kind,
                "ingredient": "", "schedule": schedule, "notes": "", "courses": list(courses)}  # fmt: skip

    pregabalin = treatment("Pregabalin", "regular", "medication", course(days * 4 // 5, days // 2, 75, "mg", 2),
                           course(days // 2, None, 150, "mg", 2))  # fmt: skip
    b12 = treatment("Vitamin B12", "regular", "supplement", course(days - 1, days // 3, 1000, "mcg", 1))
    ibuprofen = treatment("Ibuprofen", "as_needed", "medication", course(days - 1, None, 400, "mg", None))
    effects = ["helped_a_lot", "", "no_help", "", "", "helped_a_little"]
    doses = [
        {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench:dose:{ago}")), "treatment_id": ibuprofen["id"],
         "taken_at": f"{day(ago)}T12:00:00Z", "status": "taken", "amount": None, "episode_id": None,
         "effect": effects[ago % len(effects)]}
        for ago in range(days - 1, 0, -2)
    ]  # fmt: skip
    return {"treatments": [pregabalin, b12, ibuprofen], "doses": doses}


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
