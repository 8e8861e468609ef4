"""The report's tables of episodes: every episode as a row that scans, the accompanying symptoms, and the
clusters that recur (trigger × place × relief), from the period's episodes (DESIGN §10).

In the PDF the episode table is set in a monospaced font, each row one block of pre-wrapped columns: WeasyPrint
lays out a table cell in about a millisecond, so a year of entries as a 10-column HTML table takes 5 s, and as
these rows well under one (see bench/report.py). The shared web page draws the same rows as an HTML table.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from diary import vocab
from diary.clock import MONTHS, WEEKDAYS
from diary.facts import EpisodeFacts
from report import phrases
from triage import signs

MARKS = {signs.EMERGENCY: "E", signs.URGENT: "U"}
MIN_CLUSTER = 3  # a trigger × place × relief combination on at least this many episodes recurs
MAX_CLUSTERS = 6


def _words(vocabulary: dict[str, vocab.Term], codes: frozenset[str], *, short: bool = False) -> str:
    terms = [term for code, term in vocabulary.items() if code in codes]
    return ", ".join(phrases.short_label(t) if short else (t.clinical or t.label.lower()) for t in terms)


@dataclass(frozen=True)
class EpisodeRow:
    facts: EpisodeFacts
    mark: str  # "E" or "U": the episode is behind an emergency or urgent red flag
    date: str  # 'Fri 12 Jun'
    time: str  # '09:10'
    duration: str  # '20 min', 'still going'
    severity: str  # '7'
    places: str  # 'L+R saddle, L calf'
    felt: str
    doing: str
    eased: str
    also: str
    notes: str

    @property
    def level(self) -> str:
        return {mark: level for level, mark in MARKS.items()}.get(self.mark, "")

    @property
    def cells(self) -> list[str]:
        return [
            self.mark,
            self.date,
            self.time,
            self.duration,
            self.severity,
            self.places,
            self.felt,
            self.doing,
            self.eased,
            self.also,
        ]

    @property
    def text(self) -> str:
        """The row in the PDF's monospaced table (`layout`)."""
        return layout(self.cells, self.notes)


def duration_words(e: EpisodeFacts) -> str:
    """'20 min', 'still going', or 'not known' when the patient did not know how long it lasted."""
    if e.duration_unknown:
        return "not known"
    return "still going" if e.duration_minutes is None else phrases.minutes_words(e.duration_minutes)


def time_words(moment: dt.datetime) -> str:
    """'09:10'; with the zone on a day the clocks change ('01:30 BST', '01:30 GMT'), when a time can happen twice or
    the hours either side of the change differ."""
    midnight = dt.datetime.combine(moment.date(), dt.time(0), tzinfo=moment.tzinfo)
    next_midnight = dt.datetime.combine(moment.date() + dt.timedelta(days=1), dt.time(0), tzinfo=moment.tzinfo)
    changes = midnight.utcoffset() != next_midnight.utcoffset()
    return f"{moment:%H:%M} {phrases.zone_name(moment)}" if changes else f"{moment:%H:%M}"


def episode_row(e: EpisodeFacts, mark: str = "") -> EpisodeRow:
    return EpisodeRow(
        facts=e,
        mark=mark,
        date=f"{WEEKDAYS[e.start.weekday()]} {e.start.day:02d} {MONTHS[e.start.month - 1]}",
        time=time_words(e.start),
        duration=duration_words(e),
        severity=str(e.severity),
        places=phrases.places_short(e.places),
        felt=_words(vocab.SENSATIONS, e.sensations, short=True),
        doing=_words(vocab.TRIGGERS, e.triggers),
        eased=_words(vocab.RELIEF, e.relieved_by),
        also=_words(vocab.SYMPTOMS, e.symptoms),
        notes=e.notes,
    )


def rows(episodes: Sequence[EpisodeFacts], marks: Mapping[str, str]) -> list[EpisodeRow]:
    return [episode_row(e, MARKS.get(marks.get(e.id, ""), "")) for e in episodes]


# --- The monospaced layout of the PDF's table -----------------------------------------------------------------

HEADINGS = ("", "Date", "Time", "Length", "Sev", "Places", "Felt", "Doing", "Eased by", "Also ticked")
WIDTHS = (1, 10, 5, 6, 3, 20, 18, 13, 17, 18)  # characters; 120 with the gaps, 179 mm at 7 pt
GAP = " "
NOTES_AT = sum(WIDTHS[:5]) + len(GAP) * 5  # notes run on a line of their own, under the places
LINE = sum(WIDTHS) + len(GAP) * (len(WIDTHS) - 1)


def width(text: str) -> int:
    """Columns the text takes in a monospaced font: two for wide East Asian characters."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """Greedy word wrap to `columns` monospaced columns; a word longer than a line is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while width(word) > columns:
            room = columns - width(current) - (1 if current else 0)
            if room <= 0:
                lines.append(current)
                current = ""
                continue
            head, cut = "", 0
            for ch in word:
                if width(head + ch) > room:
                    break
                head += ch
                cut += 1
            current = f"{current} {head}" if current else head
            lines.append(current)
            current, word = "", word[cut:]
        candidate = f"{current} {word}" if current else word
        if width(candidate) <= columns:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def _pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def layout(cells: Sequence[str], notes: str = "") -> str:
    """A row as monospaced text: each cell wrapped in its column, then the notes on lines of their own."""
    wrapped = [wrap(cell, w) for cell, w in zip(cells, WIDTHS, strict=True)]
    height = max(len(col) for col in wrapped)
    lines = [
        GAP.join(_pad(col[k] if k < len(col) else "", w) for col, w in zip(wrapped, WIDTHS, strict=True)).rstrip()
        for k in range(height)
    ]
    if notes:
        lines += [" " * NOTES_AT + part for part in wrap(f"notes: {notes}", LINE - NOTES_AT)]
    return "\n".join(lines)


def heading_line() -> str:
    return layout(HEADINGS)


# --- Accompanying symptoms and recurring clusters --------------------------------------------------------------


@dataclass(frozen=True)
class SymptomRow:
    term: vocab.Term
    count: int
    of: int
    dates: str


def symptom_rows(episodes: Sequence[EpisodeFacts]) -> list[SymptomRow]:
    """Every accompanying symptom ticked in the period: how many episodes, and on which dates; most often first."""
    days: dict[str, list[dt.date]] = defaultdict(list)
    for e in episodes:
        for code in e.symptoms:
            days[code].append(e.day)
    order = list(vocab.SYMPTOMS)
    ranked = sorted(days.items(), key=lambda item: (-len(item[1]), order.index(item[0])))
    return [SymptomRow(vocab.SYMPTOMS[code], len(on), len(episodes), phrases.dates_words(on)) for code, on in ranked]


@dataclass(frozen=True)
class Cluster:
    """Episodes that share a trigger, a region and a relief: '8 × walking → left calf (numbness, pain) → eased by
    rest'."""

    count: int
    trigger: str
    place: str
    felt: str
    relief: str
    dates: str

    @property
    def text(self) -> str:
        felt = f" ({self.felt})" if self.felt else ""
        return f"{self.count} × {self.trigger} → {self.place}{felt} → {self.relief}"


SIDE_KINDS = {  # the sides a region was numb on in one episode, in the order a cluster names them
    frozenset({"left"}): "left only",
    frozenset({"right"}): "right only",
    frozenset({"left", "right"}): "both sides",
}


def _place_words(episodes: Sequence[EpisodeFacts], region: str) -> str:
    """'left calf', 'calf on both sides', or when the episodes differ 'calf (either side)' (left alone and right
    alone) or what they were: 'calf (left only or both sides)'."""
    where = phrases.region_words(region)
    sides = {frozenset(side for side, r in e.locations if r == region) for e in episodes}
    if len(sides) > 1:
        if all(len(s) == 1 for s in sides):
            return f"{where} (either side)"
        kinds = [words for key, words in SIDE_KINDS.items() if key in sides]
        return f"{where} ({', '.join(kinds[:-1])} or {kinds[-1]})"
    only = next(iter(sides))
    return f"{where} on both sides" if len(only) == 2 else f"{next(iter(only))} {where}"


def clusters(episodes: Sequence[EpisodeFacts]) -> list[Cluster]:
    """The trigger × region × relief combinations on at least MIN_CLUSTER episodes, most often first.

    An episode with two triggers (or places, or reliefs) counts in each combination it has; the sensations named
    are those felt in at least half of a cluster's episodes.
    """
    groups: dict[tuple[str, str, str], list[EpisodeFacts]] = defaultdict(list)
    for e in episodes:
        regions = {region for _, region in e.locations}
        for trigger in e.triggers - {"unknown"}:
            for region in regions:
                for relief in e.relieved_by:
                    groups[(trigger, region, relief)].append(e)
    trigger_order, region_order, relief_order = list(vocab.TRIGGERS), phrases.REGION_ORDER, list(vocab.RELIEF)
    ranked = sorted(
        ((key, members) for key, members in groups.items() if len(members) >= MIN_CLUSTER),
        key=lambda item: (
            -len(item[1]),
            trigger_order.index(item[0][0]),
            region_order.index(item[0][1]),
            relief_order.index(item[0][2]),
        ),
    )
    result = []
    for (trigger, region, relief), members in ranked[:MAX_CLUSTERS]:
        felt = Counter(code for e in members for code in e.sensations)
        result.append(
            Cluster(
                count=len(members),
                trigger=vocab.TRIGGERS[trigger].label.lower(),
                place=_place_words(members, region),
                felt=", ".join(
                    phrases.short_label(term)
                    for code, term in vocab.SENSATIONS.items()
                    if felt[code] * 2 >= len(members)
                ),
                relief=phrases.relief_clause([relief]),  # "eased by rest", "passed by itself"
                dates=phrases.dates_words(e.day for e in members),
            )
        )
    return result
