"""How long one review_patient takes for two years of daily entries, beside fetching the episodes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench.setup import django_on_scratch_database, patient_with_years, report, timed

if TYPE_CHECKING:
    from diary.models import Episode, EpisodeLocation

TARGET_MEDIAN_MS = 50
TARGET_RATIO = 3


def main(repeat: int = 50) -> None:
    django_on_scratch_database()
    from django.db import connection

    from triage.review import review_patient

    patient = patient_with_years("bench-review")
    episodes = patient.episodes.count()
    print(f"review_patient: {episodes} episodes over two years, {connection.vendor}")

    def fetch_all() -> list[tuple[Episode, list[EpisodeLocation]]]:
        return [(e, list(e.locations.all())) for e in patient.episodes.prefetch_related("locations")]

    floor = report("floor: fetch all the patient's episodes", timed(fetch_all, repeat))
    review = report("review_patient (steady state)", timed(lambda: review_patient(patient.pk), repeat))
    targets = f"targets: median < {TARGET_MEDIAN_MS} ms, ratio < {TARGET_RATIO}"
    print(f"  ratio review / floor: {review / floor:.2f}   ({targets})")


if __name__ == "__main__":
    main()
