"""Server time of the Trends page and API for two years of daily entries, beside a bare Django view.

Requests go through Django's full stack in-process (test client: middleware, session, template),
without a network in between, so the figures are server time.
"""

from __future__ import annotations

import datetime as dt
import functools

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
    print(f"trends: {patient.episodes.count()} episodes over two years, {connection.vendor}")

    bare = report("bare Django view (/healthz, same middleware)", timed(lambda: client.get("/healthz"), repeat))
    page = report("a plain page of the app (Today, base template)", timed(lambda: client.get("/"), repeat))
    zone = patient.profile.zone
    today = timezone.localdate(timezone=zone)
    three_months = timed(lambda: load_facts(patient, zone, today - dt.timedelta(days=90), today), repeat)
    report("floor: load 3 months of episodes", three_months)
    for label, path in (
        ("Trends page, 3 months (default)", "/trends/"),
        ("Trends API, 3 months", "/api/v1/trends/?range=3m"),
        ("Trends page, all (two years)", "/trends/?range=all"),
        ("Trends API, all (two years)", "/api/v1/trends/?range=all"),
    ):
        assert client.get(path).status_code == 200, path
        median = report(label, timed(functools.partial(client.get, path), repeat))
        print(f"    ratio to the bare view: {median / bare:.1f}; to the plain page: {median / page:.1f}")
    print(f"  targets: median < {TARGET_MEDIAN_MS} ms, ratio < {TARGET_RATIO}")


if __name__ == "__main__":
    main()
