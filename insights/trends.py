"""Every number behind the Trends page, the trends API and the physician report.

Pure functions: episodes (`EpisodeFacts`, local time) and check-ins in, a `Trends` out.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from diary import vocab
from diary.coverage import NOT_LOGGED, NUMBNESS, STATE_WORDS, DiaryState, day_states
from diary.facts import EpisodeFacts
from insights import laterality

MIN_EPISODES_FOR_INSIGHTS = 5  # fewer than this, and the page says so instead of guessing
MIN_GROUP = 3  # a comparison needs at least this many episodes on each side
MOSTLY = 0.5  # "most" means more than half: half and half is a tie
DAILY_UP_TO_DAYS = 31  # periods up to this long are charted day by day, longer ones week by week
DAY, WEEK = "day", "week"

PARTS_OF_DAY = [  # (name, first hour, last hour) in local time; night wraps past midnight
    ("morning", 6, 11),
    ("afternoon", 12, 17),
    ("evening", 18, vocab.NIGHT_STARTS_HOUR - 1),
]


@dataclass(frozen=True)
class Week:
    start: dt.date  # Monday
    days_in_range: int
    episodes: int
    days_logged: int
    days_with_numbness: int
    mean_severity: float | None
    median_minutes: float | None
    severity_values: tuple[int, ...] = ()  # the severities logged in it, for its median

    @property
    def median_severity(self) -> float | None:
        """Where the median falls on the scale (3.5 between 3 and 4), for drawing; words: `median_words`."""
        return statistics.median(self.severity_values) if self.severity_values else None

    @property
    def partial(self) -> bool:
        """A week cut by the period's first or last day: fewer than 7 of its days are inside (weeks only)."""
        return self.days_in_range < 7


@dataclass(frozen=True)
class Ranked:
    code: str
    label: str
    count: int
    share: float  # of all episodes in the period, 0…1, to three decimals

    @property
    def percent(self) -> int:
        """The share in whole per cent, a half rounded up as people count (5 of 8 is 63 %; Python's round() and
        Django's widthratio say 62)."""
        return (round(self.share * 1000) + 5) // 10


@dataclass(frozen=True)
class Trends:
    first: dt.date
    last: dt.date
    days: int
    episodes: int
    days_logged: int
    days_with_numbness: int
    mean_severity: float | None
    median_minutes: float | None
    weeks: list[Week]
    calendar: list[tuple[dt.date, str]]
    severities: list[tuple[dt.datetime, int]]
    hours: list[int]
    triggers: list[Ranked]
    sensations: list[Ranked]
    relief: list[Ranked]
    regions: dict[str, int]
    insights: list[str] = field(default_factory=list)
    unit: str = WEEK  # how the charts bucket the period: by DAY (short periods) or by WEEK
    buckets: list[Week] = field(default_factory=list)  # the weeks, or one entry per day (days_in_range=1)
    median_duration: str = "–"  # in words, as the report says it: '10 min', or the two middle values '10–15 min'

    @property
    def days_not_logged(self) -> int:
        return self.days - self.days_logged

    @property
    def days_without_numbness(self) -> int:
        return self.days_logged - self.days_with_numbness

    def calendar_cells(self) -> list[dict[str, Any]]:
        """The calendar for the page: each day's state, its words, and the weekday the first one falls on."""
        return [
            {"state": state, "text": f"{day:%a %d %b}: {STATE_WORDS[state]}", "weekday": day.isoweekday()}
            for day, state in self.calendar
        ]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for bucket in data["weeks"] + data["buckets"]:
            del bucket["severity_values"]  # the API gives each week's mean; the report draws medians from these
        data["days_not_logged"] = self.days_not_logged
        data["days_without_numbness"] = self.days_without_numbness
        data["calendar"] = [{"date": day, "state": state} for day, state in self.calendar]
        data["severities"] = [{"started_at": start, "severity": sev} for start, sev in self.severities]
        data["night_hours"] = [h for h in range(24) if vocab.is_night_hour(h)]
        return data


def _mean(values: Sequence[int]) -> float | None:
    return round(statistics.fmean(values), 1) if values else None


def _median(values: Sequence[int]) -> float | None:
    return statistics.median(values) if values else None


def median_words(values: Sequence[int]) -> str:
    """The median of whole-number scores as the scale allows: '3', or the two middle values as '3–4', never '3.5'.

    An empty list has no median: '–'."""
    if not values:
        return "–"
    ordered = sorted(values)
    middle = len(ordered) // 2
    low, high = (ordered[middle], ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1], ordered[middle])
    return str(low) if low == high else f"{low}–{high}"


def median_severity_words(severities: Sequence[int]) -> str:
    """'3/10' or '3–4/10': the median severity on the 0–10 scale (DESIGN §10: never '3.5/10')."""
    return f"{median_words(severities)}/{vocab.SEVERITY_MAX}"


def _durations(episodes: Sequence[EpisodeFacts]) -> list[int]:
    return [e.duration_minutes for e in episodes if e.duration_minutes is not None]


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def buckets(
    episodes: Sequence[EpisodeFacts], calendar: list[tuple[dt.date, str]], first: dt.date, last: dt.date, unit: str
) -> list[Week]:
    """The period cut into days, or into Monday-to-Sunday weeks (the edge weeks count only days inside it)."""
    step = dt.timedelta(days=1 if unit == DAY else 7)
    bucket_of = {day: day if unit == DAY else monday(day) for day, _ in calendar}
    days_by_bucket: dict[dt.date, list[str]] = defaultdict(list)
    for day, state in calendar:
        days_by_bucket[bucket_of[day]].append(state)
    episodes_by_bucket: dict[dt.date, list[EpisodeFacts]] = defaultdict(list)
    for e in episodes:
        episodes_by_bucket[bucket_of[e.start.date()]].append(e)
    key = (lambda day: day) if unit == DAY else monday
    result = []
    start = key(first)
    while start <= last:
        states, inside = days_by_bucket[start], episodes_by_bucket[start]
        result.append(
            Week(
                start=start,
                days_in_range=len(states),
                episodes=len(inside),
                days_logged=sum(s != NOT_LOGGED for s in states),
                days_with_numbness=sum(s == NUMBNESS for s in states),
                mean_severity=_mean([e.severity for e in inside]),
                median_minutes=_median(_durations(inside)),
                severity_values=tuple(e.severity for e in inside),
            )
        )
        start += step
    return result


def weeks(
    episodes: Sequence[EpisodeFacts], calendar: list[tuple[dt.date, str]], first: dt.date, last: dt.date
) -> list[Week]:
    """Monday-to-Sunday weeks overlapping the period; the edge weeks count only days inside it."""
    return buckets(episodes, calendar, first, last, WEEK)


def unit_for(first: dt.date, last: dt.date) -> str:
    return DAY if (last - first).days < DAILY_UP_TO_DAYS else WEEK


def ranked(episodes: Sequence[EpisodeFacts], attribute: str, vocabulary: dict[str, vocab.Term]) -> list[Ranked]:
    """Codes by how many episodes carry them (ties in vocabulary order), with their share of all episodes."""
    counts = Counter(code for e in episodes for code in getattr(e, attribute))
    order = list(vocabulary)
    return [
        Ranked(code, vocabulary[code].label, count, round(count / len(episodes), 3))
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0])))
    ]


def region_counts(episodes: Sequence[EpisodeFacts]) -> dict[str, int]:
    """How many episodes involved each 'side:region'."""
    return dict(Counter(vocab.Place(side, region).key for e in episodes for side, region in e.locations))


def part_of_day(hour: int) -> str:
    if vocab.is_night_hour(hour):
        return "night"
    return next(name for name, start, end in PARTS_OF_DAY if start <= hour <= end)


def insights(trends: Trends, episodes: Sequence[EpisodeFacts]) -> list[str]:
    """A few plain sentences that the numbers support; none where there is too little to go on."""
    n = len(episodes)
    if n == 0:
        return ["No episodes were logged in this period."]
    if n < MIN_EPISODES_FOR_INSIGHTS:
        return [
            f"Only {n} episode{'s' if n > 1 else ''} in this period: too few to say anything about patterns "
            f"(that needs at least {MIN_EPISODES_FOR_INSIGHTS})."
        ]
    said = []

    by_trigger = []
    for item in trends.triggers:
        durations = _durations([e for e in episodes if item.code in e.triggers])
        if len(durations) >= MIN_GROUP:
            by_trigger.append((item, statistics.median(durations), len(durations)))
    if len(by_trigger) >= 2:
        (a, ma, na), (b, mb, nb) = by_trigger[:2]
        said.append(
            f"Episodes after {a.label.lower()} lasted {ma:g} min on median, after {b.label.lower()} {mb:g} min "
            f"({na} and {nb} episodes)."
        )

    parts = Counter(part_of_day(e.start.hour) for e in episodes).most_common()
    part, count = parts[0]
    if count == n:
        said.append(f"Every episode started in the {part}: all {n}.")
    elif count / n > MOSTLY:
        said.append(f"Most episodes started in the {part}: {count} of {n}.")
    elif parts[1][1] < count:  # the most, but not most of them; a tie says nothing
        said.append(f"More episodes started in the {part} than at any other time of day: {count} of {n}.")

    said.append(f"Sides: {laterality.describe(episodes)}.")

    if trends.relief:
        top = trends.relief[0]
        tied = [r for r in trends.relief if r.count == top.count]  # all answers, each in vocabulary order
        if top.code in vocab.RELIEF_CLAUSES and len(tied) > 1:  # a tie of them: neither was the answer most often
            labels = vocab.in_a_list([f"“{r.label}”" for r in tied])
            said.append(f"Asked what eased it, the answers most often were {labels}: {top.count} of {n} episodes each.")
        elif top.code in vocab.RELIEF_CLAUSES:  # "Nothing helped" and "Went by itself" are not things that helped
            said.append(f"Asked what eased it, the answer most often was “{top.label}”: {top.count} of {n} episodes.")
        else:
            said.append(f"“{top.label}” was noted as helping in {top.count} of {n} episodes.")

    if trends.days >= 14 and n >= 2 * MIN_EPISODES_FOR_INSIGHTS:
        middle = trends.first + dt.timedelta(days=trends.days // 2)
        early = sum(e.day < middle for e in episodes)
        said.append(
            f"{vocab.counted(early, 'episode')} in the first half of the period, {n - early} in the second half."
        )

    if trends.days_not_logged:
        said.append(
            f"Nothing was logged on {trends.days_not_logged} of {trends.days} days; those days are left out, "
            "not counted as days without numbness."
        )
    return said


def compute(episodes: Sequence[EpisodeFacts], checkins: dict[dt.date, bool], first: dt.date, last: dt.date) -> Trends:
    """All trend numbers for the local dates first…last."""
    episodes = sorted((e for e in episodes if first <= e.day <= last), key=lambda e: (e.instant, e.id))
    calendar = day_states(episodes, checkins, first, last)
    hours = [0] * 24
    for e in episodes:
        hours[e.start.hour] += 1
    unit = unit_for(first, last)
    by_week = weeks(episodes, calendar, first, last)
    durations = _durations(episodes)
    trends = Trends(
        first=first,
        last=last,
        days=len(calendar),
        episodes=len(episodes),
        days_logged=sum(s != NOT_LOGGED for _, s in calendar),
        days_with_numbness=sum(s == NUMBNESS for _, s in calendar),
        mean_severity=_mean([e.severity for e in episodes]),
        median_minutes=_median(durations),
        median_duration=f"{median_words(durations)} min" if durations else "–",
        weeks=by_week,
        calendar=calendar,
        severities=[(e.start, e.severity) for e in episodes],
        hours=hours,
        triggers=ranked(episodes, "triggers", vocab.TRIGGERS),
        sensations=ranked(episodes, "sensations", vocab.SENSATIONS),
        relief=ranked(episodes, "relieved_by", vocab.RELIEF),
        regions=region_counts(episodes),
        unit=unit,
        buckets=by_week if unit == WEEK else buckets(episodes, calendar, first, last, DAY),
    )
    trends.insights.extend(insights(trends, episodes))
    return trends


# --- Ranges the patient can pick -------------------------------------------------------------------

RANGES = {"2w": ("2 weeks", 14), "3m": ("3 months", 91), "1y": ("1 year", 365), "all": ("All", None)}
DEFAULT_RANGE = "3m"
CUSTOM = "custom"  # a period given by its first and last date
RANGE_CHOICES = [*RANGES, CUSTOM]


def period(
    choice: str, today: dt.date, first_entry: dt.date | None, custom: tuple[dt.date, dt.date] | None = None
) -> tuple[dt.date, dt.date]:
    """The local dates a range choice covers, starting no earlier than the diary did.

    Days before the first entry are not "not logged": the diary did not exist yet. So every range
    starts at the first entry if that is later (a new diary starts today); 'all' starts there too.
    A custom period that ends before the diary began is shown as asked.
    """
    if choice == CUSTOM and custom:
        first, last = custom
    else:
        _, days = RANGES.get(choice, RANGES[DEFAULT_RANGE])
        last = today
        first = today - dt.timedelta(days=days - 1) if days else dt.date.min
    began = DiaryState(first_entry, None).began(today)
    if began <= last:
        first = max(first, began)
    return first, last
