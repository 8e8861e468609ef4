"""The report's diary as CSV: a row per episode and a row per daily check-in (so that a day with no numbness can
be told from a day with nothing logged), each coded field beside its readable labels.

UTF-8 with a byte order mark (so spreadsheet programs pick the right encoding), times in the patient's local
time with the zone's name in a column of its own, multi-valued fields joined with ';', and any cell that a
spreadsheet would run as a formula neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence

from diary.clock import utc_timestamp
from diary.facts import EpisodeFacts
from diary.vocab import CODE_SETS
from report.content import Report

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EPISODE, CHECKIN = "episode", "checkin"
COLUMNS = [
    "kind",  # episode or checkin
    "id",
    "local_date",
    "local_time",
    "timezone",
    "started_at",
    "duration_minutes",
    "ongoing",
    "duration_unknown",  # over, and the patient did not know how long it lasted
    "numbness_severity_0_10",  # the patient's rating of the numbness, not of pain
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
    "alarm_answered",
    "numbness_today",  # check-ins: the patient's answer for that day
    "notes",
]


def neutralise(cell: str) -> str:
    """A leading apostrophe on text a spreadsheet would read as a formula (CSV injection)."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _codes(field: str, codes: frozenset[str]) -> list[str]:
    return [code for code in CODE_SETS[field] if code in codes]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def episode_cells(e: EpisodeFacts, timezone: str) -> list[str]:
    places = e.places
    cells = [
        EPISODE,
        e.id,
        e.start.date().isoformat(),
        f"{e.start:%H:%M}",
        timezone,
        e.start.isoformat(),
        "" if e.duration_minutes is None else str(e.duration_minutes),
        _yes(e.ongoing),
        _yes(e.duration_unknown),
        str(e.severity),
        ";".join(place.key for place in places),
        "; ".join(place.label for place in places),
    ]
    for field in ("sensations", "triggers", "symptoms", "relieved_by"):
        codes = _codes(field, getattr(e, field))
        cells += [";".join(codes), "; ".join(CODE_SETS[field][code].label for code in codes)]
    cells += [_yes(e.alarm_answered), _yes(True), e.notes]
    return [neutralise(cell) for cell in cells]


def checkin_cells(day: dt.date, numbness: bool, timezone: str) -> list[str]:
    cells = dict.fromkeys(COLUMNS, "")
    cells |= {"kind": CHECKIN, "local_date": day.isoformat(), "timezone": timezone, "numbness_today": _yes(numbness)}
    return list(cells.values())


def table_csv(episodes: Sequence[EpisodeFacts], checkins: Mapping[dt.date, bool], timezone: str) -> str:
    """The text, BOM first, with a header row: day by day, each day's check-in before its episodes."""
    rows = [(day, 0, "", checkin_cells(day, numbness, timezone)) for day, numbness in checkins.items()]
    rows += [(e.day, 1, utc_timestamp(e.start), episode_cells(e, timezone)) for e in episodes]  # in time order
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(cells for *_, cells in sorted(rows, key=lambda row: row[:3]))
    return out.getvalue()


def report_csv(report: Report) -> str:
    return table_csv(report.episodes, report.checkins, report.timezone)
