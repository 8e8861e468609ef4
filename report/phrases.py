"""How the physician report writes moments, dates, places and durations: in the patient's local time with the
zone said, places in the clinician's terms, "still going" instead of a number that is not one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import groupby

from diary import vocab
from diary.clock import MONTHS, WEEKDAYS, day_words, elapsed, span_words
from insights.laterality import EPISODE_WORDS, SHORT, side_of

MAX_DATES = 16  # more dates than this are said as a count and a span
REGION_ORDER = list(vocab.REGIONS)  # toes up to the saddle
MIDLINE = vocab.MIDLINE_REGIONS


def zone_name(moment: dt.datetime) -> str:
    """The zone's abbreviation where it has one ('BST', 'CST'), else its UTC offset ('UTC+03:00')."""
    name = moment.tzname() or ""
    if name and not name.startswith(("+", "-")):
        return name
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def moment_words(moment: dt.datetime) -> str:
    """'Fri 12 Jun 2026 09:10 BST': an aware moment as the patient's clock showed it, with the zone."""
    return f"{WEEKDAYS[moment.weekday()]} {day_words(moment.date())} {moment:%H:%M} {zone_name(moment)}"


def length_words(days: int) -> str:
    """'13 weeks' for whole weeks from 14 days up, otherwise '9 days', '18 days' (never rounded: 18 days are not
    '3 weeks', and the period before the same length is 18 days too)."""
    if days >= 14 and days % 7 == 0:
        return f"{days // 7} weeks"
    return vocab.counted(days, "day")


def dates_words(days: Iterable[dt.date]) -> str:
    """'3, 5 and 9 Jun 2026'; '28 Dec 2025, 2 Jan 2026'; many dates as '31 dates, 2 Jun – 28 Jul 2026'."""
    ordered = sorted(set(days))
    if not ordered:
        return ""
    if len(ordered) > MAX_DATES:
        return f"{len(ordered)} dates, {span_words(ordered[0], ordered[-1])}"
    parts = []
    for year, in_year in groupby(ordered, key=lambda d: d.year):
        months = [
            f"{', '.join(str(d.day) for d in in_month)} {MONTHS[month - 1]}"
            for month, in_month in ((m, list(g)) for m, g in groupby(in_year, key=lambda d: d.month))
        ]
        parts.append(f"{', '.join(months)} {year}")
    return ", ".join(parts)


def minutes_words(minutes: int) -> str:
    """45 → '45 min', 125 → '2 h 5 min', 2880 → '2 days'."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours >= 48:
        days, hours = divmod(hours, 24)
        return f"{days} days" + (f" {hours} h" if hours else "")
    return f"{hours} h" + (f" {rest} min" if rest else "")


def so_far_words(start: dt.datetime, now: dt.datetime) -> str:
    """'26 h so far': how long an episode with no end had lasted when the report was made."""
    return f"{minutes_words(int(max(elapsed(start, now).total_seconds(), 0) // 60))} so far"


def still_going_words(start: dt.datetime, now: dt.datetime) -> str:
    """'still going (26 h so far)': an episode with no end, and how long it had lasted when the report was made."""
    return f"still going ({so_far_words(start, now)})"


def region_words(region: str) -> str:
    """A region in the clinician's words, lower case: 'calf', 'saddle (perineal) area'."""
    term = vocab.REGIONS[region]
    return term.clinical or term.label.lower()


def places_words(places: Sequence[vocab.Place]) -> str:
    """Places as a clinician reads them, each region once with its side: 'saddle (perineal) area on both sides,
    left calf'. A region marked on both legs is one item."""
    by_region: dict[str, set[str]] = {}
    for place in places:
        by_region.setdefault(place.region, set()).add(place.side)
    items = []
    for region, sides in sorted(by_region.items(), key=lambda item: REGION_ORDER.index(item[0])):
        words = region_words(region)
        items.append(f"{words} on both sides" if len(sides) == 2 else f"{sides.pop()} {words}")
    return ", ".join(items)


def where_words(places: Sequence[vocab.Place]) -> str:
    """Which leg and where, for one episode: 'left leg only: left calf', 'both legs: left calf, right shin',
    'saddle (perineal) area on both sides'. The saddle is not a leg: it is named apart from the legs' side."""
    legs = [p for p in places if p.region not in MIDLINE]
    midline = [p for p in places if p.region in MIDLINE]
    parts = []
    if legs:
        parts.append(f"{EPISODE_WORDS[side_of({p.side for p in legs})]}: {places_words(legs)}")
    if midline:
        parts.append(places_words(midline))
    return "; ".join(parts)


SHORT_REGIONS = {  # the episode table's short words for a region
    "top_of_foot": "top of foot",
    "thigh_front": "thigh front",
    "thigh_outer": "thigh outer",
    "thigh_back": "thigh back",
    "groin": "groin/inner thigh",
    "saddle": "saddle",
}


def places_short(places: Sequence[vocab.Place]) -> str:
    """The episode table's places: 'L+R saddle, L calf'."""
    by_region: dict[str, set[str]] = {}
    for place in places:
        by_region.setdefault(place.region, set()).add(place.side)
    items = []
    for region, sides in sorted(by_region.items(), key=lambda item: REGION_ORDER.index(item[0])):
        side = SHORT["both"] if len(sides) == 2 else SHORT[next(iter(sides))]
        items.append(f"{side} {SHORT_REGIONS.get(region, vocab.REGIONS[region].label.lower())}")
    return ", ".join(items)


def short_label(term: vocab.Term) -> str:
    """A label as the episode table writes it: lower case, up to its first comma ('tingling')."""
    return term.label.split(",")[0].lower()


# What eased it, as a clause; the codes whose label does not read after "eased by".
def relief_clause(codes: Iterable[str]) -> str:
    """'eased by rest, massage', 'passed by itself', 'nothing eased it': the summary's and the clusters' words."""
    chosen = set(codes)
    clauses_of = vocab.RELIEF_CLAUSES
    eased = [term.label.lower() for code, term in vocab.RELIEF.items() if code in chosen and code not in clauses_of]
    clauses = [f"eased by {', '.join(eased)}"] if eased else []
    return ", ".join(clauses + [clause for code, clause in clauses_of.items() if code in chosen])
