"""What page 1 says in words: the summary sentence, the key numbers, the comparison with the period before and
the pertinent negatives (DESIGN §10). Pure functions of the diary's numbers; every sentence is true of it and
none claims more than its entries support.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from diary import vocab
from diary.clock import span_words
from diary.facts import EpisodeFacts
from insights import laterality, trends
from insights.trends import Ranked, Trends, median_severity_words, median_words
from report import phrases
from report.flags import BEGAN_BEFORE, ReportFlag, duration_words
from triage import signs

MIN_EPISODES = trends.MIN_EPISODES_FOR_INSIGHTS  # fewer than this: each episode is listed, nothing is "typical"
RECENT_DAYS = signs.RECENT_DAYS  # an open pattern flag is about the review's last 14 days
COMPARE_MIN_DAYS = 7  # a comparison needs this many logged days in each period …
COMPARE_MIN_EPISODES = 3  # … and this many episodes
RECURRING = 2  # an accompanying symptom in at least this many episodes is named in the summary
WEEK = 7


@dataclass(frozen=True)
class KeyNumber:
    label: str
    value: str
    note: str = ""


def per_logged_week(episodes: int, logged_days: int) -> str:
    """Episodes per logged week, to one decimal: '6.4'; '' below a week of logged days, where a rate over-claims."""
    return f"{episodes * WEEK / logged_days:.1f}" if logged_days >= COMPARE_MIN_DAYS else ""


def spread_words(values: Sequence[int], unit: str = "") -> str:
    """'median 3 (range 2–7)', 'median 5–6 min (range 4–8 min)', '20 min in all 3', '10 min and 30 min' for two, or
    the one value: the median never as a half. Minutes from an hour up are said in hours ('1 h 5 min')."""
    if not values:
        return "–"
    low, high = min(values), max(values)

    def say(n: int) -> str:
        return phrases.minutes_words(n) if unit == "min" else str(n)

    if len(values) == 1:
        return say(low)
    if low == high:
        return f"{say(low)} in {'both' if len(values) == 2 else f'all {len(values)}'}"
    if len(values) == 2:  # a median of two is their middle, and their range themselves: say the two
        return f"{say(low)} and {say(high)}"
    if unit == "min" and high >= 60:
        middle = median_words(values)
        median = phrases.minutes_words(int(middle)) if middle.isdigit() else f"{middle} min"
        return f"median {median} (range {say(low)} to {say(high)})"
    tail = f" {unit}" if unit else ""
    return f"median {median_words(values)}{tail} (range {low}–{high}{tail})"


def logged_days_words(t: Trends) -> str:
    """'entries on 39 of 91 days'."""
    return f"entries on {t.days_logged} of {vocab.counted(t.days, 'day')}"


def _durations(episodes: Sequence[EpisodeFacts]) -> list[int]:
    return [e.duration_minutes for e in episodes if e.duration_minutes is not None]


def _median_minutes(episodes: Sequence[EpisodeFacts]) -> str:
    durations = _durations(episodes)
    return median_words(durations) + " min" if durations else ""


def _regions_named(regions: Sequence[str]) -> str:
    """'the sole', 'the toes and the sole', 'the toes, the sole and the heel', or for more 'the toes, the sole, the heel
    and 2 others'."""
    named = [f"the {phrases.region_words(region)}" for region in regions[:3]]
    if len(regions) > 3:
        return ", ".join(named) + f" and {vocab.counted(len(regions) - 3, 'other')}"
    return vocab.in_a_list(named)


def regions_words(episodes: Sequence[EpisodeFacts]) -> str:
    """The regions involved most often, either side: 'the sole (28 of 71), then the top of foot (21)'; a tie is said
    as a tie: 'the toes and the sole (3 of 6 each)', 'the sole (9 of 12), then the heel and the calf (4 each)'."""
    n = len(episodes)
    counts = Counter(region for e in episodes for region in {r for _, r in e.locations})
    ranked = sorted(counts.items(), key=lambda item: (-item[1], phrases.REGION_ORDER.index(item[0])))
    if not ranked:
        return ""
    tiers = [[r for r, c in ranked if c == count] for count in sorted(set(counts.values()), reverse=True)]
    top, top_count = tiers[0], counts[tiers[0][0]]
    if len(top) > 1:
        return f"{_regions_named(top)} ({top_count} of {n} each)"
    words = f"{_regions_named(top)} ({top_count} of {n})"
    if len(tiers) > 1:
        second = tiers[1]
        words += f", then {_regions_named(second)} ({counts[second[0]]}{' each' if len(second) > 1 else ''})"
    return words


def recurring_symptoms(episodes: Sequence[EpisodeFacts]) -> list[tuple[vocab.Term, int]]:
    """Accompanying symptoms ticked on at least RECURRING episodes, most often first."""
    counts = Counter(code for e in episodes for code in e.symptoms)
    order = list(vocab.SYMPTOMS)
    return [
        (vocab.SYMPTOMS[code], count)
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0])))
        if count >= RECURRING
    ]


def _clinical(term: vocab.Term) -> str:
    return term.clinical or term.label.lower()


def _most(count: int, n: int) -> str:
    return "usually" if count * 2 > n else "most often"


def episode_brief(e: EpisodeFacts, now: dt.datetime) -> str:
    """One episode in a clause: 'Mon 25 May 2026 18:00 BST, left leg only (back of thigh), 20 min, 4/10, with back
    pain, eased by rest'."""
    parts = [
        phrases.moment_words(e.start),
        phrases.where_words(e.places),
        duration_words(e, now),
        vocab.severity_label(e.severity),
    ]
    triggers = [_clinical(t) for c, t in vocab.TRIGGERS.items() if c in e.triggers and c != "unknown"]
    if triggers:
        parts.append("after " + ", ".join(triggers))
    if e.symptoms:
        parts.append("with " + ", ".join(_clinical(t) for c, t in vocab.SYMPTOMS.items() if c in e.symptoms))
    if e.relieved_by:
        parts.append(phrases.relief_clause(e.relieved_by))
    return ", ".join(parts)


def describe(label: str, t: Trends, episodes: Sequence[EpisodeFacts], now: dt.datetime) -> str:
    """One sentence about a stretch of the diary; below MIN_EPISODES it lists the episodes instead of generalising."""
    n = len(episodes)
    head = f"{label}, {logged_days_words(t)}"
    if n == 0:
        return f"{head}: no episodes."
    if n < MIN_EPISODES:
        listed = "; ".join(episode_brief(e, now) for e in episodes)
        sides = f" ({laterality.describe(episodes)})" if n > 1 else ""
        return f"{head}: {vocab.counted(n, 'episode')}{sides}, too few to call anything typical: {listed}."
    rate = per_logged_week(n, t.days_logged)
    parts = [
        # Days with an episode: a "numbness, yes" check-in alone is a day with numbness but holds none of them.
        f"{n} episodes on {vocab.counted(len({e.day for e in episodes}), 'day')}"
        + (f" ({rate} per logged week)" if rate else ""),
        f"{laterality.describe(episodes)}",
        f"most often {regions_words(episodes)}",
    ]
    # The typical ones are the finished ones: an episode still going is named apart, outside both medians. A typical
    # duration is said when most of them have one: a duration known for 2 of 8 says nothing typical.
    finished = [e for e in episodes if not e.ongoing]
    if finished:
        minutes = _median_minutes(finished) if 2 * len(_durations(finished)) > len(finished) else ""
        severity = median_severity_words([e.severity for e in finished])
        parts.append(f"typically {minutes} at {severity} (medians)" if minutes else f"typically {severity} (median)")
    if going := still_going_words(episodes, now):
        parts.append(going)
    triggers = [r for r in t.triggers if r.code != "unknown"]
    if triggers:  # a tie is said as a tie: "after sitting and standing (2 of 5 each)"
        top = _tied_first(triggers)
        doing = vocab.in_a_list([_clinical(vocab.TRIGGERS[r.code]) for r in top])
        parts.append(f"{_most(top[0].count, n)} after {doing} ({_of(top, n)})")
    if t.relief:
        top = _tied_first(t.relief)
        parts.append(f"{_most(top[0].count, n)} {phrases.relief_clause([r.code for r in top])} ({_of(top, n)})")
    if also := also_words(episodes):
        parts.append(also)
    return f"{head}: " + "; ".join(parts) + "."


def _tied_first(ranked: Sequence[Ranked]) -> list[Ranked]:
    """The first of a ranking and every one as often."""
    return [r for r in ranked if r.count == ranked[0].count]


def _of(tied: Sequence[Ranked], n: int) -> str:
    return f"{tied[0].count} of {n}" + (" each" if len(tied) > 1 else "")


def still_going_words(episodes: Sequence[EpisodeFacts], now: dt.datetime) -> str:
    """An episode with no end yet is no "typical" one, and the medians leave it out: '1 still going, since Sat 5 Dec
    2026 20:00 GMT (8 h 23 min so far)', '2 still going, the latest since …'."""
    going = [e for e in episodes if e.duration_minutes is None and not e.duration_unknown]
    if not going:
        return ""
    latest = max(going, key=lambda e: e.instant)
    since = f"since {phrases.moment_words(latest.start)} ({phrases.so_far_words(latest.start, now)})"
    return f"{len(going)} still going, " + ("" if len(going) == 1 else "the latest ") + since


def also_words(episodes: Sequence[EpisodeFacts]) -> str:
    """The accompanying symptoms that recur, up to three: 'also back pain in 6 of 71, cramps in 3 of 71'."""
    recurring = recurring_symptoms(episodes)
    said = [f"{_clinical(term)} in {count} of {len(episodes)}" for term, count in recurring[:3]]
    return "also " + ", ".join(said) if said else ""


def red_flag_sentence(red: Sequence[ReportFlag]) -> str:
    """'Red flags: emergency — possible cauda equina syndrome or cord compression (12 Jun 2026, still going).'"""
    items = []
    for item in red:
        before = f", {BEGAN_BEFORE}" if any(line.before for line in item.lines) else ""
        when = item.dates + before + (", still going" if item.still_going else "")
        items.append(f"{item.level_label.lower()} — {item.title[:1].lower()}{item.title[1:]} ({when})")
    return f"Red flag{'s' if len(red) > 1 else ''}: " + "; ".join(items) + ". Details below."


def summary(
    *,
    period: tuple[dt.date, dt.date],
    current: Trends,
    episodes: Sequence[EpisodeFacts],
    red: Sequence[ReportFlag],
    recent: Trends | None,
    now: dt.datetime,
) -> str:
    """The bold sentence at the top of page 1.

    It opens with the red flags when there are any. When a pattern flag is open it describes the last 14 days of
    the period first (and says so), then the whole period in a few words; otherwise the whole period.
    """
    sentences = [red_flag_sentence(red)] if red else []
    first, last = period
    whole = f"Over {phrases.length_words(current.days)} ({span_words(first, last)})"
    if recent is not None:
        recent_episodes = [e for e in episodes if recent.first <= e.day <= recent.last]
        label = f"In the last {recent.days} days ({span_words(recent.first, recent.last)}), as a pattern is flagged"
        sentences.append(describe(label, recent, recent_episodes, now))
        n = len(episodes)
        tail = f"{whole}, {logged_days_words(current)}: {vocab.counted(n, 'episode')}"
        if n:
            tail += f", {laterality.describe(episodes)}"
        # What recurs over the whole period, whether or not it did in the last 14 days.
        also = also_words(episodes) if n >= MIN_EPISODES else ""
        sentences.append(tail + (f"; {also}" if also else "") + ".")
    else:
        sentences.append(describe(whole, current, episodes, now))
    return " ".join(sentences)


# --- Key numbers, the comparison and the pertinent negatives ------------------------------------------------


def alarm_answers(episodes: Sequence[EpisodeFacts]) -> str:
    """The pertinent negatives: 'Alarm questions answered on 58 of 71 entries, none ticked'."""
    n = len(episodes)
    if n == 0:
        return "No entries to ask the alarm questions on."
    ticked = [e for e in episodes if e.symptoms & vocab.ALARM_SYMPTOMS]
    answered = sum(e.alarm_answered or bool(e.symptoms & vocab.ALARM_SYMPTOMS) for e in episodes)
    entries = f"{n} {'entry' if n == 1 else 'entries'}"
    if not answered:
        return f"Alarm questions: no answer recorded on {'the' if n == 1 else 'any of the'} {entries}."
    words = f"Alarm questions answered on {answered} of {entries}"
    if not ticked:
        words += ", none ticked"
    else:
        words += f"; alarm symptoms ticked on {len(ticked)} (listed under red flags)"
    if answered < n:
        words += f"; no answer recorded on {n - answered}"
    return words + "."


def key_numbers(t: Trends, episodes: Sequence[EpisodeFacts]) -> list[KeyNumber]:
    n = len(episodes)
    durations = _durations(episodes)
    going = sum(e.ongoing for e in episodes)
    unknown = sum(e.duration_unknown for e in episodes)  # over, not sure how long: not "still going"
    rate = per_logged_week(n, t.days_logged)
    if durations:
        duration = spread_words(durations, "min")
    else:
        duration = "none finished" if going == n > 0 else "none known" if n else "no episodes"
    return [
        KeyNumber(
            "Entries",
            f"on {t.days_logged} of {vocab.counted(t.days, 'day')}",
            f"numbness {t.days_with_numbness}, no numbness {t.days_without_numbness}, "
            f"nothing logged {t.days_not_logged}",
        ),
        KeyNumber("Episodes", str(n), f"{rate} per logged week" if rate else ""),
        KeyNumber("Sides", laterality.describe(episodes)),
        KeyNumber(
            "Duration",
            duration,
            ", ".join(
                part
                for part in (f"{going} still going" if going else "", f"{unknown} not sure how long" if unknown else "")
                if part
            ),
        ),
        KeyNumber(f"Severity of numbness ({vocab.SEVERITY_RANGE_LABEL})", spread_words([e.severity for e in episodes])),
    ]


@dataclass(frozen=True)
class Side:
    """One period of a comparison, counting its logged days only."""

    first: dt.date
    last: dt.date
    logged_days: int
    episodes: int
    severities: tuple[int, ...]
    durations: tuple[int, ...]

    @property
    def rate(self) -> str:
        return per_logged_week(self.episodes, self.logged_days)

    @property
    def enough(self) -> bool:
        return self.logged_days >= COMPARE_MIN_DAYS and self.episodes >= COMPARE_MIN_EPISODES


def side(t: Trends, episodes: Sequence[EpisodeFacts]) -> Side:
    inside = [e for e in episodes if t.first <= e.day <= t.last]
    return Side(
        t.first,
        t.last,
        t.days_logged,
        len(inside),
        tuple(e.severity for e in inside),
        tuple(_durations(inside)),
    )


@dataclass(frozen=True)
class Comparison:
    now: Side
    before: Side
    length: str  # '13 weeks'

    @property
    def shown(self) -> bool:
        return self.now.enough and self.before.enough

    @property
    def heading(self) -> str:
        return f"the {self.length} before ({span_words(self.before.first, self.before.last)})"

    @property
    def lines(self) -> list[str]:
        """The numbers, each against the earlier ones, with what they rest on."""
        now, before = self.now, self.before
        lines = [
            f"Episodes per logged week: {now.rate} ({now.episodes} on {vocab.counted(now.logged_days, 'logged day')}) "
            f"against {before.rate} ({before.episodes} on {vocab.counted(before.logged_days, 'logged day')})",
            f"Median severity: {median_severity_words(now.severities)} against "
            f"{median_severity_words(before.severities)}",
        ]
        if now.durations and before.durations:
            lines.append(
                f"Median duration: {median_words(list(now.durations))} min against "
                f"{median_words(list(before.durations))} min"
            )
        return lines

    @property
    def why_not(self) -> str:
        """Why there is no comparison, with the numbers that are short."""
        short = []
        for name, s in (("in this period", self.now), ("in the period before", self.before)):
            if s.logged_days < COMPARE_MIN_DAYS:
                short.append(f"entries on {vocab.counted(s.logged_days, 'day')} {name} ({COMPARE_MIN_DAYS} needed)")
            elif s.episodes < COMPARE_MIN_EPISODES:
                short.append(f"{vocab.counted(s.episodes, 'episode')} {name} ({COMPARE_MIN_EPISODES} needed)")
        return f"No comparison with {self.heading}: " + "; ".join(short) + "."
