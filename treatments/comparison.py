"""The while-taking comparison (DESIGN §8): how the episodes went while a regular treatment was taken, beside the
weeks before it started. Pure functions, like triage's detectors: facts and dates in, a `Comparison` out.

For each course of a regular treatment, the **before** window is the up to `BEFORE_DAYS` local days before it
started and the **while** window runs from `SETTLING_DAYS` after it started to its last day (or today); each
counts only days with an entry (an episode or a check-in). The two are compared only when each has at least
`MIN_LOGGED_DAYS` such days. The rate ratio (episodes per logged day while, over before) has a 95 % interval by
the exact conditional method: given the n episodes of both windows, the number that fell in the while window is
binomial with p = T_w·RR / (T_w·RR + T_b) (T: logged days), so the Clopper–Pearson interval of p gives that of
RR = p / (1 − p) · T_b / T_w. It is the interval R's `poisson.test(c(a, b), c(T_w, T_b))` reports, and it stays
exact for the small counts a diary holds, zero included (where a log-normal approximation has none).

The words say "while taking", never "because of", and name every other treatment that started, stopped or
changed dose inside either window or in the settling days between them.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from diary import vocab as diary_vocab
from diary.clock import day_words, minutes_label, span_words
from treatments import spans, vocab
from treatments.facts import CourseFacts, DoseFacts, TreatmentFacts
from treatments.timeline import Change

SETTLING_DAYS = 14  # days after a start left out while the treatment settles in
BEFORE_DAYS = 56  # the before window: up to eight weeks
MIN_LOGGED_DAYS = 14  # logged days each window needs before the two are compared
CONFIDENCE = 0.95
BEFORE, SETTLING, WHILE = "before", "settling", "while"
WINDOW_WORDS = {BEFORE: "before", SETTLING: "in the settling days", WHILE: "while"}


# --- The exact interval ------------------------------------------------------------------------------


def _continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes, `betacf`)."""
    tiny, epsilon = 1e-300, 1e-15
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < epsilon:
            return h
    raise ArithmeticError(f"The incomplete beta function did not converge for a={a}, b={b}, x={x}.")


def beta_cdf(x: float, a: float, b: float) -> float:
    """The regularised incomplete beta function I_x(a, b): the Beta(a, b) distribution's CDF at x."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _continued_fraction(a, b, x) / a
    return 1 - front * _continued_fraction(b, a, 1 - x) / b


def beta_quantile(q: float, a: float, b: float) -> float:
    """The x at which Beta(a, b)'s CDF reaches q: Newton's steps on the CDF (its derivative is the density), kept
    inside a bracket that shrinks with every step and bisected whenever a step would leave it."""
    low, high = 0.0, 1.0
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    x = a / (a + b)
    for _ in range(200):
        error = beta_cdf(x, a, b) - q
        if abs(error) < 1e-14:
            break
        if error < 0:
            low = x
        else:
            high = x
        density = math.exp(log_norm + (a - 1) * math.log(x) + (b - 1) * math.log1p(-x))
        step = x - error / density if density > 0 else low
        x = step if low < step < high else (low + high) / 2
        if high - low < 1e-15:
            break
    return x


def clopper_pearson(k: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The exact (Clopper–Pearson) interval of a binomial proportion: k successes in n trials, n > 0."""
    tail = (1 - confidence) / 2
    low = 0.0 if k == 0 else beta_quantile(tail, k, n - k + 1)
    high = 1.0 if k == n else beta_quantile(1 - tail, k + 1, n - k)
    return low, high


def rate_ratio(
    during: int, during_days: int, before: int, before_days: int, confidence: float = CONFIDENCE
) -> tuple[float | None, tuple[float | None, float | None]]:
    """(during / during_days) / (before / before_days) and its exact conditional interval.

    None where a number does not exist: no ratio without episodes before; no upper bound when every episode
    fell in the while window; nothing at all without a logged day on either side or without an episode.
    """
    if during_days == 0 or before_days == 0 or during + before == 0:
        return None, (None, None)
    ratio = None if before == 0 else (during / during_days) / (before / before_days)
    low_p, high_p = clopper_pearson(during, during + before, confidence)
    scale = before_days / during_days
    low = low_p / (1 - low_p) * scale
    high = None if high_p >= 1 else high_p / (1 - high_p) * scale
    return ratio, (low, high)


# --- The windows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The logged days of a stretch of dates and the episodes on them. `first > last`: the window is empty.
    `first_logged`: its first day with an entry (later than `first` when the diary began inside it)."""

    first: dt.date
    last: dt.date
    logged_days: int
    episodes: int
    median_severity: float | None
    median_duration: float | None
    first_logged: dt.date | None = None

    @property
    def per_day(self) -> float | None:
        return self.episodes / self.logged_days if self.logged_days else None

    def as_json(self) -> dict[str, Any]:
        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "logged_days": self.logged_days,
            "episodes": self.episodes,
            "per_day": None if self.per_day is None else round(self.per_day, 4),
            "median_severity": self.median_severity,
            "median_duration": self.median_duration,
        }


class Scored(Protocol):
    """What the comparison reads of an episode (an `EpisodeFacts` has it): its local day, severity and duration."""

    @property
    def day(self) -> dt.date: ...

    @property
    def severity(self) -> int: ...

    @property
    def duration_minutes(self) -> int | None: ...


@dataclass(frozen=True)
class Score:
    day: dt.date
    severity: int
    duration_minutes: int | None


@dataclass(frozen=True)
class Diary:
    """The entries the comparison reads: which local days have an entry, and each day's episodes."""

    logged: frozenset[dt.date]
    episodes_by_day: Mapping[dt.date, Sequence[Scored]]

    @classmethod
    def of(cls, episodes: Iterable[Scored], checkin_days: Iterable[dt.date]) -> Diary:
        by_day: dict[dt.date, list[Scored]] = defaultdict(list)
        for e in episodes:
            by_day[e.day].append(e)
        return cls(frozenset(by_day) | frozenset(checkin_days), dict(by_day))

    def window(self, first: dt.date, last: dt.date) -> Window:
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        logged = [day for day in days if day in self.logged]
        found = [e for day in logged for e in self.episodes_by_day.get(day, ())]
        durations = [e.duration_minutes for e in found if e.duration_minutes is not None]
        return Window(
            first=first,
            last=last,
            logged_days=len(logged),
            episodes=len(found),
            median_severity=statistics.median(e.severity for e in found) if found else None,
            median_duration=statistics.median(durations) if durations else None,
            first_logged=logged[0] if logged else None,
        )


@dataclass(frozen=True)
class WindowChange:
    window: str  # BEFORE, SETTLING (the settling days between the two windows) or WHILE
    change: Change

    def as_json(self) -> dict[str, str]:
        return {"window": self.window} | self.change.as_json()


@dataclass(frozen=True)
class Comparison:
    """One course of a regular treatment: its before and while windows, compared when both have enough days."""

    treatment_id: str
    name: str
    dose: str
    started_on: dt.date
    stopped_on: dt.date | None
    before_dose: str  # the dose it replaced, when the course is a change of dose; else empty
    again: bool  # it was taken before and stopped: the course starts it again
    before: Window
    during: Window
    rate_ratio: float | None
    rate_ratio_95: tuple[float | None, float | None]
    enough: bool
    other_changes: tuple[WindowChange, ...]
    missed_days: int  # days of the while window counted (with an entry) on which a missed dose was logged
    counted_to: dt.date | None = None  # a past period's last day, when the while window stops there, course going on

    @property
    def last_day(self) -> dt.date | None:
        return spans.last_day(self)

    @property
    def settled_on(self) -> dt.date:
        return self.started_on + dt.timedelta(days=SETTLING_DAYS)

    def as_json(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "started_on": self.started_on.isoformat(),
            "stopped_on": self.stopped_on.isoformat() if self.stopped_on else None,
            "dose": self.dose,
            "before": self.before.as_json(),
            "while": self.during.as_json(),
            "rate_ratio": rounded(self.rate_ratio),
            "rate_ratio_95": [rounded(self.rate_ratio_95[0]), rounded(self.rate_ratio_95[1])],
            "enough": self.enough,
            "other_changes": [c.as_json() for c in self.other_changes],
            "missed_days": self.missed_days,
            "words": sentences(self),
        }


def compare_course(
    treatment: TreatmentFacts,
    course: CourseFacts,
    *,
    today: dt.date,
    diary: Diary,
    changes: Sequence[Change],
    missed: Collection[dt.date] = (),
    past_period: bool = False,
) -> Comparison:
    """The comparison for one course. `changes`: every treatment's (timeline.changes), of which those of other
    treatments inside either window or the settling days between them are named; `missed`: the days this
    treatment's missed doses were logged; `past_period`: `today` is the last day of a period that ended before
    today, so that a while window cut there, before the course's last day, says so rather than "yet".

    The before window holds only days of what its words say: after a change of dose, days on the old dose once it
    had settled in; for a course that starts it again, days without it since it last stopped."""
    earlier = [c for c in treatment.courses if c.started_on < course.started_on]
    previous = next((c for c in earlier if c.stopped_on == course.started_on), None)
    before_first = course.started_on - dt.timedelta(days=BEFORE_DAYS)
    if previous is not None:
        before_first = max(before_first, previous.started_on + dt.timedelta(days=SETTLING_DAYS))
    elif stops := [c.stopped_on for c in earlier if c.stopped_on is not None]:
        before_first = max(before_first, max(stops))
    before = diary.window(before_first, course.started_on - dt.timedelta(days=1))
    end = min(today, course.last_day) if course.last_day is not None else today
    during = diary.window(course.started_on + dt.timedelta(days=SETTLING_DAYS), end)
    enough = before.logged_days >= MIN_LOGGED_DAYS and during.logged_days >= MIN_LOGGED_DAYS
    ratio, interval = (
        rate_ratio(during.episodes, during.logged_days, before.episodes, before.logged_days)
        if enough
        else (None, (None, None))
    )
    windows = (
        (BEFORE, before.first, before.last),
        (SETTLING, course.started_on, min(during.first - dt.timedelta(days=1), end)),
        (WHILE, during.first, during.last),
    )
    others = tuple(
        WindowChange(name, change)
        for change in changes
        if change.treatment_id != treatment.id
        for name, first, last in windows
        if first <= change.day <= last
    )
    return Comparison(
        treatment_id=treatment.id,
        name=treatment.name,
        dose=treatment.dose_words(course),
        started_on=course.started_on,
        stopped_on=course.stopped_on,
        before_dose=treatment.dose_words(previous) if previous else "",
        again=previous is None and bool(earlier),
        before=before,
        during=during,
        rate_ratio=ratio,
        rate_ratio_95=interval,
        enough=enough,
        other_changes=others,
        missed_days=sum(during.first <= day <= during.last and day in diary.logged for day in set(missed)),
        counted_to=today if past_period and (course.last_day is None or course.last_day > today) else None,
    )


def compare_treatment(
    treatment: TreatmentFacts,
    *,
    today: dt.date,
    diary: Diary,
    changes: Sequence[Change],
    doses: Sequence[DoseFacts] = (),
    past_period: bool = False,
) -> list[Comparison]:
    """A comparison per course of a regular treatment that has started by today, oldest first; none for one
    taken as needed (see `uses`). `past_period`: as `compare_course`'s."""
    if treatment.as_needed:
        return []
    missed = {d.day for d in doses if d.treatment_id == treatment.id and d.status == vocab.MISSED}
    return [
        compare_course(
            treatment, course, today=today, diary=diary, changes=changes, missed=missed, past_period=past_period
        )
        for course in treatment.courses
        if course.started_on <= today
    ]


# --- As-needed use ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Uses:
    """How often an as-needed treatment was taken in a period, and how the patient rated it afterwards."""

    treatment_id: str
    name: str
    taken: int
    for_an_episode: int  # taken "for" a logged episode
    helped_a_lot: int
    helped_a_little: int
    no_help: int

    @property
    def rated(self) -> int:
        return self.helped_a_lot + self.helped_a_little + self.no_help

    @property
    def helped(self) -> int:
        return self.helped_a_lot + self.helped_a_little

    @property
    def words(self) -> str:
        """ "Taken 12 times (5 for a logged episode); 8 rated: helped 6 (a lot 2, a little 4), didn't help 2"."""
        if not self.taken:
            return "Not taken"
        text = f"Taken {_times(self.taken)}"
        if self.for_an_episode:
            text += f" ({self.for_an_episode} for a logged episode)"
        if not self.rated:
            return text + "; none rated yet"
        return (
            f"{text}; {self.rated} rated: helped {self.helped} (a lot {self.helped_a_lot}, a little "
            f"{self.helped_a_little}), didn't help {self.no_help}"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "uses": self.taken,
            "for_an_episode": self.for_an_episode,
            "rated": self.rated,
            "helped": self.helped,
            "helped_a_lot": self.helped_a_lot,
            "helped_a_little": self.helped_a_little,
            "no_help": self.no_help,
            "words": self.words,
        }


def uses(treatment: TreatmentFacts, doses: Iterable[DoseFacts]) -> Uses:
    """The summary of this treatment's taken doses among `doses`."""
    taken = [d for d in doses if d.treatment_id == treatment.id and d.status == vocab.TAKEN]
    effects = [d.effect for d in taken]
    return Uses(
        treatment_id=treatment.id,
        name=treatment.name,
        taken=len(taken),
        for_an_episode=sum(d.episode_id is not None for d in taken),
        helped_a_lot=effects.count(vocab.HELPED_A_LOT),
        helped_a_little=effects.count(vocab.HELPED_A_LITTLE),
        no_help=effects.count(vocab.NO_HELP),
    )


# --- Words --------------------------------------------------------------------------------------------


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _number(value: float) -> str:
    return f"{value:.2f}"


def severity_words(median: float) -> str:
    """A median of 0–10 scores as a whole number or a range, never "5.5/10": "4/10", "5–6/10"."""
    if median == int(median):
        return diary_vocab.severity_label(int(median))
    return f"{math.floor(median)}–{math.ceil(median)}/{diary_vocab.SEVERITY_MAX}"


def window_words(window: Window) -> str:
    """ "0.40 episodes a logged day (12 on 30 logged days), median severity 4/10, median duration 15 min"."""
    if not window.logged_days:
        return "no logged days"
    text = (
        f"{_number(window.per_day or 0)} episodes a logged day ({window.episodes} on {window.logged_days} logged days)"
    )
    if window.median_severity is not None:
        text += f", median severity {severity_words(window.median_severity)}"
    if window.median_duration is not None:
        text += f", median duration {minutes_label(window.median_duration)}"
    return text


def ratio_words(c: Comparison) -> str:
    low, high = c.rate_ratio_95
    if c.before.episodes == 0 and c.during.episodes == 0:
        return f"No episodes before {_before_what(c)} nor while taking it."
    if c.rate_ratio is None or low is None:
        return f"No episodes in the {before_span(c)} before, so no ratio: {c.during.episodes} while taking it."
    # The reading first, in words a patient reads; then the numbers behind it, and the ratio a physician weighs.
    interval = f"95 % interval {_number(low)} to {_number(high) if high is not None else 'no upper limit'}"
    during, before = _number(c.during.per_day or 0), _number(c.before.per_day or 0)
    if (high is not None and high < 1) or low > 1:
        fewer_or_more = "Fewer" if low < 1 else "More"
        said = f"{fewer_or_more} episodes a logged day while taking it: {during}, against {before} before"
    else:
        said = f"No clear difference in episodes a logged day: {during} while taking it, {before} before"
        interval += ", which includes 1"
    return f"{said} (ratio while ÷ before {_number(c.rate_ratio)}, {interval})."


def _before_begins(c: Comparison) -> dt.date:
    return c.before.first_logged or c.before.first


def before_span(c: Comparison) -> str:
    """How long before the course its compared entries run, from the first entry in the window: "8 weeks" when that
    is the whole of it, else the days ("20 days": the diary began, or entries began, inside it; or the window starts
    later, after a change of dose or a stop)."""
    days = (c.before.last - _before_begins(c)).days + 1
    return f"{BEFORE_DAYS // 7} weeks" if days == BEFORE_DAYS else diary_vocab.counted(days, "day")


def _before_what(c: Comparison) -> str:
    if c.before_dose:
        return f"this dose (on {c.before_dose})"
    return "it started again" if c.again else "it started"


def headline(c: Comparison) -> str:
    """The one sentence that says how it went: the ratio, or why there is none yet."""
    if c.before.logged_days < MIN_LOGGED_DAYS:
        return (
            f"Not enough entries before {_before_what(c)} to compare "
            f"({c.before.logged_days} of {MIN_LOGGED_DAYS} days)."
        )
    if c.during.logged_days < MIN_LOGGED_DAYS:
        if c.counted_to is not None:  # a past period's: its count stopped on the period's last day, not today
            return (
                f"Not enough entries by {day_words(c.counted_to)} to compare "
                f"({c.during.logged_days} of {MIN_LOGGED_DAYS} days)."
            )
        # A course that has stopped will not fill up: no "yet".
        still = "yet " if c.stopped_on is None else "while taking it "
        return f"Not enough entries {still}to compare ({c.during.logged_days} of {MIN_LOGGED_DAYS} days)."
    return ratio_words(c)


def rows(c: Comparison) -> list[tuple[str, str, str]]:
    """The numbers of both windows side by side, (what, before, while): the table under the headline."""

    def per_day(w: Window) -> str:
        return "–" if w.per_day is None else _number(w.per_day)

    def severity(w: Window) -> str:
        return "–" if w.median_severity is None else severity_words(w.median_severity)

    return [
        ("Logged days", str(c.before.logged_days), str(c.during.logged_days)),
        ("Episodes", str(c.before.episodes), str(c.during.episodes)),
        ("Episodes a logged day", per_day(c.before), per_day(c.during)),
        ("Median severity", severity(c.before), severity(c.during)),
        ("Median duration", minutes_label(c.before.median_duration), minutes_label(c.during.median_duration)),
    ]


def window_titles(c: Comparison) -> tuple[str, str]:
    """The two columns of `rows`: "8 weeks before" (or "20 days before": `before_span`) and "While taking, from 16 Mar
    2026"."""
    return f"{before_span(c)} before", f"While taking, from {day_words(c.settled_on)}"


def notes(c: Comparison) -> list[str]:
    """What the reader must know beside the numbers: settling days (the old dose's, when they leave too few days
    before a new one), missed days, other changes, and that it is "while taking", not "because of"."""
    found = []
    settling_cut = bool(c.before_dose) and c.before.first > c.started_on - dt.timedelta(days=BEFORE_DAYS)
    if not c.enough and c.before.logged_days < MIN_LOGGED_DAYS and settling_cut:
        # The old dose's settling days are left out of the days before: fewer are counted than were logged on it.
        only = (
            f"Before this dose, only days on {c.before_dose} once it had settled in (its first {SETTLING_DAYS} days "
            "left out) are counted"
        )
        if c.before.first > c.before.last:
            taken = (c.started_on - c.before.first).days + SETTLING_DAYS
            found.append(f"{only}: it was taken for {diary_vocab.counted(taken, 'day')}, so none is.")
        else:
            found.append(f"{only}: from {day_words(c.before.first)}.")
    if not c.enough and c.during.first > c.during.last:
        settling = f"The first {SETTLING_DAYS} days after starting are left out while it settles in"
        if c.last_day is not None and c.last_day < c.settled_on:
            found.append(f"{settling}, and it was stopped within them: no day while taking it is counted.")
        else:
            found.append(f"{settling}: the count starts on {day_words(c.settled_on)}.")
    if c.missed_days:
        found.append(f"Missed on {c.missed_days} of the days counted while taking it.")
    if c.other_changes:
        named = "; ".join(
            f"{w.change.words} on {day_words(w.change.day)} ({WINDOW_WORDS[w.window]})" for w in c.other_changes
        )
        found.append(f"Other treatments changed in these weeks: {named}.")
    if c.enough:
        found.append(f"This compares days while taking {c.name} with days before; it does not show that {c.name} "
                     "caused the difference.")  # fmt: skip
    return found


def sentences(c: Comparison) -> list[str]:
    """The comparison in plain words, the same on Trends, the treatment's page, the API and the report."""
    found = [headline(c)]
    if c.enough:
        found = [
            f"While taking {c.name} {c.dose} (from {day_words(c.settled_on)}, {SETTLING_DAYS} days after starting): "
            f"{window_words(c.during)}.",
            f"In the {before_span(c)} before {_before_what(c)} ({span_words(_before_begins(c), c.before.last)}): "
            f"{window_words(c.before)}.",
            headline(c),
        ]
    return found + notes(c)
