"""An independent reading of the rule table (DESIGN §5, version 2), for checking the engine.

Written from DESIGN §5 and `diary/vocab.py` only, without reading `triage/detectors.py` or `triage/review.py`: one
small function per row of the table, plainly, so that a disagreement with the engine points at one of the two
readings. It takes raw episodes (start as an aware time, minutes or None while ongoing, and the code sets), the
profile's conditions, the review date D and the review moment, and gives the codes of the signs that fire.
"""

from __future__ import annotations

import datetime as dt
import statistics
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from diary.vocab import REGIONS

Place = tuple[str, str]


@dataclass(frozen=True)
class Ep:
    """One diary entry as the patient gave it."""

    start: dt.datetime  # aware
    minutes: int | None  # None: ongoing
    severity: int
    locations: frozenset[Place]
    sensations: frozenset[str] = field(default_factory=frozenset)
    triggers: frozenset[str] = field(default_factory=frozenset)
    symptoms: frozenset[str] = field(default_factory=frozenset)
    relieved_by: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Review:
    """What every row reads: the diary, the profile's conditions, the zone, the date D and the review moment."""

    episodes: tuple[Ep, ...]
    conditions: frozenset[str]
    zone: zoneinfo.ZoneInfo
    on: dt.date  # D
    moment: dt.datetime  # the end of local day D, or now if D is today

    # The windows, in the patient's local dates.
    def local_date(self, ep: Ep) -> dt.date:
        return ep.start.astimezone(self.zone).date()

    def between(self, first_back: int, last_back: int) -> list[Ep]:
        """Episodes that started on the dates D-first_back … D-last_back."""
        first, last = self.on - dt.timedelta(days=first_back), self.on - dt.timedelta(days=last_back)
        return [ep for ep in self.episodes if first <= self.local_date(ep) <= last]

    @property
    def r(self) -> list[Ep]:  # D-13 … D
        return self.between(13, 0)

    @property
    def b(self) -> list[Ep]:  # D-41 … D-14
        return self.between(41, 14)

    @property
    def m(self) -> list[Ep]:  # D-27 … D
        return self.between(27, 0)

    @property
    def w(self) -> list[Ep]:  # D-6 … D
        return self.between(6, 0)

    def is_night(self, ep: Ep) -> bool:
        hour = ep.start.astimezone(self.zone).hour
        return hour >= 22 or hour < 6

    def lasted(self, ep: Ep) -> dt.timedelta:
        """Its duration; an ongoing one lasts from its start until the review moment (real time, across clock
        changes too)."""
        if ep.minutes is not None:
            return dt.timedelta(minutes=ep.minutes)
        return self.moment.astimezone(dt.UTC) - ep.start.astimezone(dt.UTC)

    def positional(self, ep: Ep) -> bool:
        return (
            bool(ep.triggers & {"sitting", "crossed_legs", "lying"})
            and bool(ep.relieved_by & {"changed_position", "walking_around"})
            and self.lasted(ep) <= dt.timedelta(minutes=15)
        )


def both_legs(ep: Ep) -> bool:
    return {side for side, _ in ep.locations} >= {"left", "right"}


def one_side_only(ep: Ep) -> bool:
    return len({side for side, _ in ep.locations}) == 1


def level(ep: Ep) -> int:
    return max(REGIONS[region].level or 0 for _, region in ep.locations)


# Instant signs: each is a test of one episode.

STROKE = {
    "speech_difficulty",
    "facial_droop",
    "arm_or_face_numbness",
    "arm_weakness",
    "sudden_headache",
    "confusion",
    "vision_problems",
    "paralysis",
    "loss_of_coordination",
}


def stroke_signs(ep: Ep) -> bool:
    return bool(ep.symptoms & STROKE)


def spinal_cord(ep: Ep) -> bool:
    return (
        bool(ep.symptoms & {"bladder_bowel_control", "urinary_retention", "saddle_numbness"})
        or any(region == "saddle" for _, region in ep.locations)
        or (both_legs(ep) and bool(ep.symptoms & {"leg_weakness", "difficulty_walking", "paralysis"}))
    )


def blood_clot(ep: Ep) -> bool:
    return "leg_pale_cold" in ep.symptoms or ("cold" in ep.sensations and "sudden_severe_pain" in ep.symptoms)


def breathing_or_fainting(ep: Ep) -> bool:
    return bool(ep.symptoms & {"shortness_of_breath", "chest_pain", "fainting"})


def both_legs_back_pain(ep: Ep) -> bool:
    return both_legs(ep) and "back_pain" in ep.symptoms and not spinal_cord(ep)


def injury(ep: Ep) -> bool:
    return "injury" in ep.triggers


def weakness(ep: Ep) -> bool:
    return bool(ep.symptoms & {"leg_weakness", "difficulty_walking"}) and not spinal_cord(ep)


def severe_pain(ep: Ep) -> bool:
    return "sudden_severe_pain" in ep.symptoms


def swollen_leg(ep: Ep) -> bool:
    return "leg_swollen" in ep.symptoms


INSTANT: dict[str, Callable[[Ep], bool]] = {
    "emergency.stroke_signs": stroke_signs,
    "emergency.spinal_cord": spinal_cord,
    "emergency.blood_clot": blood_clot,
    "emergency.breathing_or_fainting": breathing_or_fainting,
    "urgent.both_legs_back_pain": both_legs_back_pain,
    "urgent.injury": injury,
    "urgent.weakness": weakness,
    "urgent.severe_pain": severe_pain,
    "urgent.swollen_leg": swollen_leg,
}


# Pattern signs: each reads the whole review.


def climbing(episodes: Iterable[Ep]) -> list[Ep]:
    """The episodes among these in a pair that climbs: both in both legs, the later (by start, in real time: a
    wall clock can go back) at a level ≥ the earlier's + 2."""
    both = sorted((ep for ep in episodes if both_legs(ep)), key=lambda ep: ep.start.astimezone(dt.UTC))
    pairs = [
        (earlier, later)
        for i, earlier in enumerate(both)
        for later in both[i + 1 :]
        if later.start.astimezone(dt.UTC) > earlier.start.astimezone(dt.UTC) and level(later) >= level(earlier) + 2
    ]
    return [ep for ep in both if any(ep is a or ep is b for a, b in pairs)]


def ascending(rv: Review) -> bool:
    """Two episodes in W that both involve both legs, the later (by start) reaching a level ≥ the earlier's + 2."""
    return bool(climbing(rv.w))


def persistent(rv: Review) -> bool:
    long_one = any(
        rv.lasted(ep) >= dt.timedelta(minutes=30) and not ep.relieved_by & {"changed_position", "walking_around"}
        for ep in rv.r
    )
    dates = {rv.local_date(ep) for ep in rv.r if not rv.positional(ep)}
    return long_one or len(dates) >= 5


def _mean(values: Iterable[int]) -> Fraction:
    listed = list(values)
    return Fraction(sum(listed), len(listed))


def _median(values: Iterable[int]) -> Fraction | None:
    listed = [Fraction(v) for v in values]
    return statistics.median(listed) if listed else None


def escalating(rv: Review) -> bool:
    r, b = rv.r, rv.b
    if len(r) < 4 or len(b) < 3:
        return False
    severity = _mean(ep.severity for ep in r) >= _mean(ep.severity for ep in b) + 2
    frequency = Fraction(len(r), 14) >= 2 * Fraction(len(b), 28)
    median_r = _median(ep.minutes for ep in r if ep.minutes is not None)
    median_b = _median(ep.minutes for ep in b if ep.minutes is not None)
    duration = median_r is not None and median_b is not None and median_r >= 2 * median_b and median_r >= 10
    return severity or frequency or duration


def spreading(rv: Review) -> bool:
    """The highest level reached by ≥ 2 episodes in R: the second highest of their levels (two episodes reach
    a level when each of theirs is at least that)."""
    if not rv.b:
        return False
    levels = sorted((level(ep) for ep in rv.r), reverse=True)
    return len(levels) >= 2 and levels[1] >= max(level(ep) for ep in rv.b) + 2


def bilateral(rv: Review) -> bool:
    b = rv.b
    return sum(both_legs(ep) for ep in rv.r) >= 2 and len(b) >= 2 and not any(both_legs(ep) for ep in b)


def nocturnal(rv: Review) -> bool:
    return (
        sum(
            (rv.is_night(ep) or bool(ep.triggers & {"lying", "sleep"}))
            and bool(ep.symptoms & {"sleep_disrupted", "cramps"} or "pain" in ep.sensations)
            for ep in rv.r
        )
        >= 3
    )


def exertional(rv: Review) -> bool:
    return sum("walking" in ep.triggers and "rest" in ep.relieved_by for ep in rv.m) >= 3


def radicular(rv: Review) -> bool:
    return sum(one_side_only(ep) and "back_pain" in ep.symptoms for ep in rv.m) >= 3


def known_condition(rv: Review) -> bool:
    return len(rv.m) >= 3 and bool(rv.conditions & {"diabetes", "multiple_sclerosis", "pregnancy"})


PATTERNS: dict[str, Callable[[Review], bool]] = {
    "urgent.ascending": ascending,
    "pattern.persistent": persistent,
    "pattern.escalating": escalating,
    "pattern.spreading": spreading,
    "pattern.bilateral": bilateral,
    "pattern.nocturnal": nocturnal,
    "pattern.exertional": exertional,
    "pattern.radicular": radicular,
    "pattern.known_condition": known_condition,
}


def end_of_day(on: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The end of local day D: midnight at the start of D+1."""
    return dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), tzinfo=zone)


def signs(
    episodes: Iterable[Ep], conditions: Iterable[str], zone: zoneinfo.ZoneInfo, on: dt.date, moment: dt.datetime
) -> set[str]:
    """Every sign that fires as of D: instant signs on the episodes that started in R, and the patterns."""
    rv = Review(tuple(episodes), frozenset(conditions), zone, on, moment)
    fired = {code for code, test in INSTANT.items() if any(test(ep) for ep in rv.r)}
    return fired | {code for code, test in PATTERNS.items() if test(rv)}


def matching(code: str, episodes: Iterable[Ep], zone: zoneinfo.ZoneInfo, on: dt.date, moment: dt.datetime) -> list[Ep]:
    """The episodes an emergency or urgent sign rests on as of D: those in R that have it; for numbness climbing
    both legs, those in W of a pair that climbs."""
    rv = Review(tuple(episodes), frozenset(), zone, on, moment)
    return still_matching(code, rv.w if code == "urgent.ascending" else rv.r)


def still_matching(code: str, episodes: Iterable[Ep]) -> list[Ep]:
    """Those of these episodes that make an emergency or urgent sign, whatever their dates (the corrections: a flag
    keeps the episodes it rests on that still match it, and is withdrawn when none do)."""
    if code == "urgent.ascending":
        return climbing(episodes)
    return [ep for ep in episodes if INSTANT[code](ep)]
