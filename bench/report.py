"""Export time of the physician report for a year of daily entries: PDF and FHIR (and CSV)."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from collections.abc import Callable

from bench.setup import django_on_scratch_database, patient_with_years, report, timed

TARGETS = {"pdf": 2000, "fhir": 500}


def cpu_ms(fn: Callable[[], object], repeat: int) -> float:
    """Median CPU time of this process: on a shared, busy machine wall time mostly measures the queue."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main(repeat: int = 10) -> None:
    django_on_scratch_database()
    from django.db import connection
    from django.utils import timezone

    from report import content
    from report.csv_export import report_csv
    from report.fhir_export import fhir_bundle
    from report.pdf import render_pdf
    from triage.review import review_patient

    patient = patient_with_years("bench-report", years=1)
    review_patient(patient.pk)
    last = timezone.localdate(timezone=patient.profile.zone)
    first = last - dt.timedelta(days=364)
    episodes = len(content.build(patient, first, last).episodes)
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"report: a year of daily entries, {episodes} episodes, {connection.vendor}; load average {load}")

    def make_pdf() -> object:
        return render_pdf(content.build(patient, first, last))

    def make_fhir() -> object:
        return fhir_bundle(content.build(patient, first, last))

    def make_csv() -> object:
        return report_csv(content.build(patient, first, last))

    pdf = report("PDF, A4 (build + render)", timed(make_pdf, repeat))
    fhir = report("FHIR bundle, Symptoms IG, R4B (build + validate)", timed(make_fhir, repeat))
    report("CSV (build + write)", timed(make_csv, repeat))
    print(f"  targets: PDF median < {TARGETS['pdf']} ms ({pdf:.0f}), FHIR < {TARGETS['fhir']} ms ({fhir:.0f})")
    cpu = {name: cpu_ms(fn, max(3, repeat // 3)) for name, fn in (("PDF", make_pdf), ("FHIR", make_fhir))}
    print("  CPU time of this process, median: " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in cpu.items()))


if __name__ == "__main__":
    main()
