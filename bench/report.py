"""Export time of the physician report for a year of daily entries: PDF and FHIR (and CSV)."""

from __future__ import annotations

import datetime as dt

from bench.setup import django_on_scratch_database, patient_with_years, report, timed

TARGETS = {"pdf": 2000, "fhir": 500}


def main(repeat: int = 10) -> None:
    django_on_scratch_database()
    from django.db import connection
    from django.utils import timezone

    from report import content
    from report.csv_export import episodes_csv
    from report.fhir_export import fhir_bundle
    from report.pdf import render_pdf
    from triage.review import review_patient

    patient = patient_with_years("bench-report", years=1)
    review_patient(patient.pk)
    last = timezone.localdate(timezone=patient.profile.zone)
    first = last - dt.timedelta(days=364)
    episodes = len(content.build(patient, first, last).episodes)
    print(f"report: a year of daily entries, {episodes} episodes, {connection.vendor}")

    pdf = report("PDF, A4 (build + render)", timed(lambda: render_pdf(content.build(patient, first, last)), repeat))
    fhir = report(
        "FHIR R4B bundle (build + validate)", timed(lambda: fhir_bundle(content.build(patient, first, last), 1), repeat)
    )
    report("CSV (build + write)", timed(lambda: episodes_csv(content.build(patient, first, last).episodes), repeat))
    print(f"  targets: PDF median < {TARGETS['pdf']} ms ({pdf:.0f}), FHIR < {TARGETS['fhir']} ms ({fhir:.0f})")


if __name__ == "__main__":
    main()
