"""The report's episodes as CSV: one row per episode, multi-valued fields joined with ';'."""

from __future__ import annotations

import csv
import io

from diary.facts import EpisodeFacts
from diary.vocab import CODE_SETS, location_key

COLUMNS = [
    "id",
    "started_at",
    "local_date",
    "local_time",
    "duration_minutes",
    "ongoing",
    "severity",
    "locations",
    "sensations",
    "triggers",
    "symptoms",
    "relieved_by",
    "notes",
]


def _codes(field: str, codes: frozenset[str]) -> str:
    return ";".join(code for code in CODE_SETS[field] if code in codes)


def episodes_csv(episodes: list[EpisodeFacts]) -> str:
    """UTF-8 text with a header row; times in the patient's local time with their UTC offset."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for e in episodes:
        places = sorted(e.locations, key=lambda pair: location_key(*pair))
        writer.writerow(
            [
                e.id,
                e.start.isoformat(),
                e.start.date().isoformat(),
                f"{e.start:%H:%M}",
                "" if e.ongoing else e.duration_minutes,
                "yes" if e.ongoing else "no",
                e.severity,
                ";".join(f"{side}:{region}" for side, region in places),
                *(_codes(field, getattr(e, field)) for field in ("sensations", "triggers", "symptoms", "relieved_by")),
                e.notes,
            ]
        )
    return out.getvalue()
