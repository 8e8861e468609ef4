"""Every start, stop and change of dose of the patient's treatments, and the bands the Trends chart draws.

Pure functions over `TreatmentFacts`: the Trends page, the comparison's "other changes" and the report's list
of changes all read their dates from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from diary.hooks import Band, BandSpan
from treatments import vocab
from treatments.facts import TreatmentFacts
from treatments.spans import ran_within

STARTED, STOPPED, CHANGED = "started", "stopped", "changed"


@dataclass(frozen=True)
class Change:
    """A treatment started, stopped, or moved to another dose, on a local date."""

    day: dt.date
    treatment_id: str
    name: str
    what: str  # STARTED, STOPPED or CHANGED
    dose: str  # the dose from that day (started, changed) or the one stopped
    before: str = ""  # the dose before a change
    reason: str = ""  # why it stopped (a code of vocab.STOP_REASONS), or empty

    @property
    def words(self) -> str:
        """ "Pregabalin started (75 mg twice a day)", "Pregabalin: 75 mg twice a day → 150 mg twice a day"."""
        if self.what == STARTED:
            return f"{self.name} started ({self.dose})"
        if self.what == CHANGED:
            return f"{self.name}: {self.before} → {self.dose}"
        reason = vocab.STOP_REASONS[self.reason].label.lower() if self.reason in vocab.STOP_REASONS else ""
        return f"{self.name} stopped" + (f" ({reason})" if reason else "")

    def as_json(self) -> dict[str, str]:
        return {
            "date": self.day.isoformat(),
            "treatment_id": self.treatment_id,
            "name": self.name,
            "what": self.what,
            "dose": self.dose,
            "before": self.before,
            "reason": self.reason,
            "words": self.words,
        }


def changes(treatments: Iterable[TreatmentFacts]) -> list[Change]:
    """Every change of every treatment, oldest first: a course that follows the previous one without a gap is a
    change of dose; one after a gap (or the first) a start; a course's end with no course after it a stop."""
    found = []
    for t in treatments:
        previous = None
        for course in t.courses:
            if previous is not None and previous.stopped_on == course.started_on:
                found.append(
                    Change(course.started_on, t.id, t.name, CHANGED, t.dose_words(course), t.dose_words(previous))
                )
            else:
                found.append(Change(course.started_on, t.id, t.name, STARTED, t.dose_words(course)))
            previous = course
        for course, after in zip(t.courses, [*t.courses[1:], None], strict=True):
            if course.stopped_on is not None and (after is None or after.started_on != course.stopped_on):
                found.append(
                    Change(course.stopped_on, t.id, t.name, STOPPED, t.dose_words(course), "", course.stop_reason)
                )
    return sorted(found, key=lambda c: (c.day, c.name, c.treatment_id, c.what))


def changes_between(all_changes: Sequence[Change], first: dt.date, last: dt.date) -> list[Change]:
    return [c for c in all_changes if first <= c.day <= last]


def bands(
    treatments: Iterable[TreatmentFacts],
    uses: Collection[tuple[str, dt.date]],
    first: dt.date,
    last: dt.date,
    url: Callable[[str], str] = lambda treatment_id: "",
) -> list[Band]:
    """One band per treatment with a course in first…last: its courses (an ongoing one to the period's right
    edge) and the days in the period on which it was taken (`uses`: (treatment id, local date) of doses taken)."""
    found: list[Band] = []
    for t in treatments:
        spans: list[BandSpan] = []
        for course in t.courses:
            if not ran_within(course, first, last):
                continue
            end = course.last_day
            spans.append(
                {
                    "first": course.started_on,
                    "last": end,
                    "label": t.dose_words(course),
                    "starts": first <= course.started_on,
                    "stops": end is not None and end <= last,
                }
            )
        days = sorted({day for treatment_id, day in uses if treatment_id == t.id and first <= day <= last})
        if spans or days:
            found.append({"title": t.name, "spans": spans, "days": days, "as_needed": t.as_needed, "url": url(t.id)})
    return found
