"""Server time of the Trends page and API for two years of daily entries and three treatments, beside a bare
Django view; and of the Treatments pages and the report's treatments for the same diary.

Requests go through Django's full stack in-process (test client: middleware, session, template),
without a network in between, so the figures are server time.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client

from bench.setup import django_on_scratch_database, patient_with_years, report, timed

TARGET_MEDIAN_MS = 80
TARGET_RATIO = 4


def main(repeat: int = 40) -> None:
    django_on_scratch_database()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from diary.facts import load_facts

    settings.ALLOWED_HOSTS = ["testserver"]
    patient = patient_with_years("bench-trends")
    client = Client()
    client.force_login(patient)
    print(
        f"trends: {patient.episodes.count()} episodes over two years, {patient.treatments.count()} treatments, "
        f"{connection.vendor}; load average {os.getloadavg()[0]:.1f}"
    )
    zone = patient.profile.zone
    today = timezone.localdate(timezone=zone)
    paths = {
        "bare Django view (/healthz, same middleware)": "/healthz",
        "a plain page of the app (Today, base template)": "/",
        "Trends page, 3 months (default)": "/trends/",
        "Trends API, 3 months": "/api/v1/trends/?range=3m",
        "Trends page, all (two years)": "/trends/?range=all",
        "Trends API, all (two years)": "/api/v1/trends/?range=all",
        "Trends page, all, computed afresh (cache cleared)": "/trends/?range=all&cold",
        "Trends page, 3 months, computed afresh": "/trends/?cold",
    }
    # Treatments (three over the two years: bench/setup.py): their pages and the comparison, drawn fresh each time.
    from treatments.models import Treatment

    pregabalin = Treatment.objects.get(patient=patient, name="Pregabalin").id
    paths |= {
        "Treatments page": "/treatments/",
        "a treatment's page (2 courses, compared)": f"/treatments/{pregabalin}/",
        "comparison API (2 courses)": f"/api/v1/treatments/{pregabalin}/comparison/",
    }
    for path in paths.values():
        assert client.get(path).status_code == 200, path  # the trends range form ignores the 'cold' marker
    # Round robin: on a shared machine the load changes by the second, and each round meets it evenly.
    times: dict[str, list[float]] = {label: [] for label in paths}
    for _ in range(repeat):
        for label, path in paths.items():
            times[label] += _once(client, path)
    bare = report("bare Django view (/healthz, same middleware)", times["bare Django view (/healthz, same middleware)"])
    page = report(
        "a plain page of the app (Today, base template)", times["a plain page of the app (Today, base template)"]
    )
    report(
        "floor: load 3 months of episodes",
        timed(lambda: load_facts(patient, zone, today - dt.timedelta(days=90), today), repeat),
    )
    for label in list(paths)[2:]:
        median = report(label, times[label])
        print(f"    ratio to the bare view: {median / bare:.1f}; to the plain page: {median / page:.1f}")
    from treatments import reporting

    report(
        "the report's treatments, a year (reporting.section)",
        timed(lambda: reporting.section(patient, today - dt.timedelta(days=364), today, today), repeat),
    )
    print(f"  targets: median < {TARGET_MEDIAN_MS} ms, ratio < {TARGET_RATIO} (to the plain page)")


def _once(client: Client, path: str) -> list[float]:
    """One request's time; '…cold' paths first empty the cache of computed trends (the first view after a save).

    Other paths are requested once untimed first: a cold path earlier in the round emptied the cache, and a
    warm figure is the view of a diary that has not changed since it was last shown.
    """
    from django.core.cache import cache

    if path.endswith("cold"):
        cache.clear()
    else:
        client.get(path)
    start = time.perf_counter()
    client.get(path)
    return [(time.perf_counter() - start) * 1000]
