"""The report's episodes as CSV: one row per episode, each coded field beside its readable labels.

UTF-8 with a byte order mark (so spreadsheet programs pick the right encoding), multi-valued fields
joined with ';', and any cell that a spreadsheet would run as a formula neutralised.
"""

from __future__ import annotations

import csv
import io

from diary.facts import EpisodeFacts
from diary.vocab import CODE_SETS

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [
    "id",
    "started_at",
    "local_date",
    "local_time",
    "duration_minutes",
    "ongoing",
    "severity",
    "locations",
    "locations_label",
    "sensations",
    "sensations_label",
    "triggers",
    "triggers_label",
    "symptoms",
    "symptoms_label",
    "relieved_by",
    "relieved_by_label",
    "notes",
]


def neutralise(cell: str) -> str:
    """A leading apostrophe on text a spreadsheet would read as a formula (CSV injection)."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _codes(field: str, codes: frozenset[str]) -> list[str]:
    return [code for code in CODE_SETS[field] if code in codes]


def episode_cells(e: EpisodeFacts) -> list[str]:
    places = e.places
    cells = [
        e.id,
        e.start.isoformat(),
        e.start.date().isoformat(),
        f"{e.start:%H:%M}",
        "" if e.duration_minutes is None else str(e.duration_minutes),
        "yes" if e.ongoing else "no",
        str(e.severity),
        ";".join(place.key for place in places),
        "; ".join(place.label for place in places),
    ]
    for field in ("sensations", "triggers", "symptoms", "relieved_by"):
        codes = _codes(field, getattr(e, field))
        cells += [";".join(codes), "; ".join(CODE_SETS[field][code].label for code in codes)]
    cells.append(e.notes)
    return [neutralise(cell) for cell in cells]


def episodes_csv(episodes: list[EpisodeFacts]) -> str:
    """The text, BOM first, with a header row; times in the patient's local time with their UTC offset."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(episode_cells(e) for e in episodes)
    return out.getvalue()
