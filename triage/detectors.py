"""Pure pattern detectors: episodes and a review date in, findings out. No ORM, no requests, no Celery.

Each detector reads its thresholds from the catalogue (`triage.signs`) and returns a `Finding`
whose `detail` holds the numbers that made it fire, or None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from diary import vocab
from diary.clock import day_words, elapsed, local_date
from diary.facts import EpisodeFacts
from triage import signs
from triage.signs import CATALOGUE, Sign


@dataclass(frozen=True)
class Finding:
    code: str
    evidence: tuple[str, ...]  # episode ids, oldest first
    detail: dict[str, Any]

    @property
    def sign(self) -> Sign:
        return CATALOGUE[self.code]


@dataclass(frozen=True)
class Windows:
    """The review's windows as inclusive (first, last) local dates."""

    recent: tuple[dt.date, dt.date]
    baseline: tuple[dt.date, dt.date]
    month: tuple[dt.date, dt.date]
    week: tuple[dt.date, dt.date]

    @classmethod
    def ending(cls, as_of: dt.date) -> Windows:
        day = dt.timedelta(days=1)
        recent_first = as_of - (signs.RECENT_DAYS - 1) * day
        return cls(
            recent=(recent_first, as_of),
            baseline=(recent_first - signs.BASELINE_DAYS * day, recent_first - day),
            month=(as_of - (signs.MONTH_DAYS - 1) * day, as_of),
            week=(as_of - (signs.WEEK_DAYS - 1) * day, as_of),
        )

    @property
    def earliest(self) -> dt.date:
        return min(self.recent[0], self.baseline[0], self.month[0], self.week[0])


def review_moment(as_of: dt.date, zone: dt.tzinfo, now: dt.datetime | None = None) -> dt.datetime:
    """The end of local day D (midnight at the start of D+1), or now if D is the patient's today."""
    if now is not None and local_date(now, zone) == as_of:
        return now
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)


def lasted(episode: EpisodeFacts, moment: dt.datetime) -> dt.timedelta | None:
    """How long an episode lasted; an ongoing one lasts from its start until the review moment. None when the
    patient said they were not sure: no rule that needs a duration holds for it, neither "at least" nor "at most"."""
    if episode.duration_minutes is not None:
        return dt.timedelta(minutes=episode.duration_minutes)
    if episode.duration_unknown:
        return None
    return max(elapsed(episode.start, moment), dt.timedelta(0))


def is_positional(episode: EpisodeFacts, moment: dt.datetime) -> bool:
    """Brought on by a position, eased by moving, and over within 15 minutes (known to be)."""
    length = lasted(episode, moment)
    return (
        bool(episode.triggers & signs.POSITIONAL_TRIGGERS)
        and bool(episode.relieved_by & signs.EASING_RELIEF)
        and length is not None
        and length <= signs.POSITIONAL_MAX
    )


def both_legs(episode: EpisodeFacts) -> bool:
    return len(episode.sides) == 2


def _within(episodes: Iterable[EpisodeFacts], window: tuple[dt.date, dt.date]) -> list[EpisodeFacts]:
    first, last = window
    return [e for e in episodes if first <= e.day <= last]


def _ids(episodes: Iterable[EpisodeFacts]) -> tuple[str, ...]:
    return tuple(e.id for e in sorted(episodes, key=lambda e: (e.instant, e.id)))


# --- Emergency and urgent signs: matched on single episodes -------------------------------------------


def _own_match(sign: Sign, episode: EpisodeFacts) -> list[str]:
    found: list[str] = []
    t = sign.thresholds
    if "symptoms" in t:
        found += vocab.labels(vocab.SYMPTOMS, episode.symptoms & t["symptoms"])
    if "regions" in t:
        found += [place.label for place in episode.places if place.region in t["regions"]]
    if "both_legs_symptoms" in t and both_legs(episode):
        found += [
            f"{label} (both legs)" for label in vocab.labels(vocab.SYMPTOMS, episode.symptoms & t["both_legs_symptoms"])
        ]
    if "together" in t:
        sensation, symptom = t["together"]
        if sensation in episode.sensations and symptom in episode.symptoms:
            found.append(f"{vocab.SENSATIONS[sensation].label} with {vocab.SYMPTOMS[symptom].label.lower()}")
    if "triggers" in t:
        found += vocab.labels(vocab.TRIGGERS, episode.triggers & t["triggers"])
    return found


def matched(sign: Sign, episode: EpisodeFacts) -> list[str]:
    """What in this episode matches an emergency or urgent sign, in the patient's words; empty if nothing.

    A sign with an `unless` threshold does not fire for an episode that fires that other sign
    (both legs weak is a spinal-cord emergency, not an urgent weakness).
    """
    if not sign.per_episode:
        return []
    found = _own_match(sign, episode)
    if found and "unless" in sign.thresholds and _own_match(CATALOGUE[sign.t("unless")], episode):
        return []
    return found


# The signs checked on each episode, most serious first (in catalogue order within a level): every save checks them.
PER_EPISODE = tuple(
    sorted((sign for sign in CATALOGUE.values() if sign.per_episode), key=lambda sign: signs.LEVEL_ORDER[sign.level])
)


def instant_signs(episode: EpisodeFacts) -> list[tuple[Sign, list[str]]]:
    """Every emergency or urgent sign this one episode matches, most serious first."""
    return [(sign, found) for sign in PER_EPISODE if (found := matched(sign, episode))]


def is_late_entry(sign: Sign, started_at: dt.datetime, saved_at: dt.datetime) -> bool:
    """Logged more than the sign's late-entry threshold after it started (stroke signs: 24 hours)."""
    late = sign.thresholds.get("late_entry")
    return late is not None and elapsed(started_at, saved_at) > late


def logged_late(sign: Sign, times: Sequence[tuple[dt.datetime, dt.datetime]]) -> bool:
    """Every one of these (started, saved) episodes is a late entry of the sign, and there is one at least.

    Then the advice is the late one (stroke signs: see a doctor today), wherever it is given.
    """
    return bool(times) and all(is_late_entry(sign, started, saved) for started, saved in times)


def detect_instant(sign: Sign, recent: Sequence[EpisodeFacts]) -> Finding | None:
    hits = [(e, matched(sign, e)) for e in recent]
    hits = [(e, m) for e, m in hits if m]
    if not hits:
        return None
    labels = list(dict.fromkeys(label for _, found in hits for label in found))
    first = min((e for e, _ in hits), key=lambda e: e.instant).start
    return Finding(
        sign.code,
        _ids(e for e, _ in hits),
        {
            "why": ["matched"],
            "episodes": len(hits),
            "window_days": signs.RECENT_DAYS,
            "matched": ", ".join(labels),
            "first_started": first.isoformat(timespec="minutes"),
        },
    )


# --- Patterns -------------------------------------------------------------------------------------


def _regions_logged(episodes: Iterable[EpisodeFacts], level: int) -> str:
    """The regions these episodes logged at `level` or above, in words ("the buttock or the front of thigh"): what the
    patient marked, not every region of that level (which named "between the legs" to a patient who never marked it)."""
    logged = {p.region for e in episodes for p in e.places if (vocab.REGIONS[p.region].level or 0) >= level}
    return " or ".join(_named(term.label.lower(), code) for code, term in vocab.REGIONS.items() if code in logged)


def _named(words: str, region: str) -> str:
    """A region or a place as a sentence names it: "the front of thigh", "the left calf"; the saddle, part of
    neither leg, without an article ("between the legs / around the bottom (left side)")."""
    return words if region in vocab.MIDLINE_REGIONS else f"the {words}"


def _highest_places(episode: EpisodeFacts) -> str:
    """The places an episode logged at its highest level, as a sentence names them: "the left front of thigh and
    the right buttock" (the places themselves, not every region of that level); the saddle, part of neither leg,
    without an article: "between the legs / around the bottom (right side)"."""
    top = [p for p in episode.places if vocab.REGIONS[p.region].level == episode.top_level]
    return vocab.in_a_list([_named(p.label.lower(), p.region) for p in top])


def detect_ascending(week: Sequence[EpisodeFacts]) -> Finding | None:
    """Two episodes in W in both legs, the later (by start) at least two levels higher than the earlier."""
    sign = CATALOGUE["urgent.ascending"]
    bilateral = sorted((e for e in week if both_legs(e)), key=lambda e: (e.instant, e.id))
    pairs = [
        (earlier, later)
        for i, earlier in enumerate(bilateral)
        for later in bilateral[i + 1 :]
        if later.instant > earlier.instant and later.top_level >= earlier.top_level + sign.t("level_rise")
    ]
    if not pairs:
        return None
    low, high = max(pairs, key=lambda p: (p[1].top_level - p[0].top_level, p[1].instant))
    return Finding(
        sign.code,
        _ids({e.id: e for pair in pairs for e in pair}.values()),
        {
            "why": ["climbing"],
            "window_days": signs.WEEK_DAYS,
            "from_level": low.top_level,
            "to_level": high.top_level,
            "from_region": _highest_places(low),
            "to_region": _highest_places(high),
            "from_started": f"{day_words(low.start.date())} {low.start:%H:%M}",  # "6 Mar 2026 23:30"
            "to_started": f"{day_words(high.start.date())} {high.start:%H:%M}",
        },
    )


def detect_persistent(recent: Sequence[EpisodeFacts], moment: dt.datetime) -> Finding | None:
    sign = CATALOGUE["pattern.persistent"]
    counted = [e for e in recent if not is_positional(e, moment)]
    days = {e.day for e in counted}
    min_long = dt.timedelta(minutes=sign.t("min_minutes"))
    known = {e.id: length for e in recent if (length := lasted(e, moment)) is not None}  # not "not sure"
    long = [
        e for e in recent if e.id in known and known[e.id] >= min_long and not (e.relieved_by & signs.EASING_RELIEF)
    ]
    why = (["days"] if len(days) >= sign.t("min_days") else []) + (["long"] if long else [])
    if not why:
        return None
    evidence = {e.id: e for e in (counted if "days" in why else []) + long}
    return Finding(
        sign.code,
        _ids(evidence.values()),
        {
            "why": why,
            "days": len(days),
            "window_days": signs.RECENT_DAYS,
            "min_days": sign.t("min_days"),
            "long_episodes": len(long),
            "long_going": sum(e.ongoing for e in long),
            "longest_minutes": max((int(known[e.id].total_seconds() // 60) for e in long), default=0),
            "min_minutes": sign.t("min_minutes"),
        },
    )


def _median_minutes(episodes: Sequence[EpisodeFacts]) -> Fraction | None:
    """Median duration of the finished episodes, exactly."""
    durations = sorted(e.duration_minutes for e in episodes if e.duration_minutes is not None)
    if not durations:
        return None
    middle = len(durations) // 2
    if len(durations) % 2:
        return Fraction(durations[middle])
    return Fraction(durations[middle - 1] + durations[middle], 2)


def _number(value: Fraction | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value.denominator == 1 else float(value)


def detect_escalating(recent: Sequence[EpisodeFacts], baseline: Sequence[EpisodeFacts]) -> Finding | None:
    sign = CATALOGUE["pattern.escalating"]
    if len(recent) < sign.t("min_recent") or len(baseline) < sign.t("min_baseline"):
        return None
    # Fractions, not floats: "exactly at the threshold" must fire.
    mean_recent = Fraction(sum(e.severity for e in recent), len(recent))
    mean_baseline = Fraction(sum(e.severity for e in baseline), len(baseline))
    rate_recent = Fraction(len(recent), signs.RECENT_DAYS)
    rate_baseline = Fraction(len(baseline), signs.BASELINE_DAYS)
    median_recent, median_baseline = _median_minutes(recent), _median_minutes(baseline)
    why = ["counts"]
    if mean_recent >= mean_baseline + sign.t("severity_rise"):
        why.append("severity")
    if rate_recent >= sign.t("rate_ratio") * rate_baseline:
        why.append("rate")
    if (
        median_recent is not None
        and median_baseline is not None
        and median_recent >= sign.t("duration_ratio") * median_baseline
        and median_recent >= sign.t("min_median_minutes")
    ):
        why.append("duration")
    if len(why) == 1:
        return None
    return Finding(
        sign.code,
        _ids(recent),
        {
            "why": why,
            "recent": len(recent),
            "baseline": len(baseline),
            "mean_recent": round(float(mean_recent), 1),
            "mean_baseline": round(float(mean_baseline), 1),
            "severity_rise": sign.t("severity_rise"),
            "rate_recent": round(float(rate_recent), 2),
            "rate_baseline": round(float(rate_baseline), 2),
            # The ratio itself, from the exact rates: the two rounded rates alone can read under the threshold
            # (0.57 against 0.29 is exactly 2×: 8 in 14 days against 8 in 28).
            "rate_times": round(float(rate_recent / rate_baseline), 2),
            "rate_ratio": sign.t("rate_ratio"),
            "median_recent": _number(median_recent),
            "median_baseline": _number(median_baseline),
            "duration_ratio": sign.t("duration_ratio"),
            "min_median_minutes": sign.t("min_median_minutes"),
        },
    )


def detect_spreading(recent: Sequence[EpisodeFacts], baseline: Sequence[EpisodeFacts]) -> Finding | None:
    sign = CATALOGUE["pattern.spreading"]
    if len(baseline) < sign.t("min_baseline") or len(recent) < sign.t("min_recent"):
        return None
    levels = sorted((e.top_level for e in recent), reverse=True)
    # The highest level that at least `min_recent` recent episodes reached.
    recent_level = levels[sign.t("min_recent") - 1]
    baseline_level = max(e.top_level for e in baseline)
    if recent_level < baseline_level + sign.t("level_rise"):
        return None
    reaching = [e for e in recent if e.top_level >= recent_level]
    return Finding(
        sign.code,
        _ids(reaching),
        {
            "why": ["levels"],
            "recent_level": recent_level,
            "baseline_level": baseline_level,
            "recent_region": _regions_logged(reaching, recent_level),
            "baseline_region": _regions_logged(baseline, baseline_level),
            "recent_episodes": len(reaching),
        },
    )


def detect_bilateral(recent: Sequence[EpisodeFacts], baseline: Sequence[EpisodeFacts]) -> Finding | None:
    sign = CATALOGUE["pattern.bilateral"]
    both = [e for e in recent if both_legs(e)]
    if len(both) < sign.t("min_recent") or len(baseline) < sign.t("min_baseline"):
        return None
    if any(both_legs(e) for e in baseline):
        return None
    return Finding(sign.code, _ids(both), {"why": ["both"], "recent_bilateral": len(both), "baseline": len(baseline)})


def detect_nocturnal(recent: Sequence[EpisodeFacts]) -> Finding | None:
    sign = CATALOGUE["pattern.nocturnal"]
    nights = [
        e
        for e in recent
        if (e.at_night or e.triggers & sign.t("triggers"))
        and (e.symptoms & sign.t("symptoms") or sign.t("sensation") in e.sensations)
    ]
    if len(nights) < sign.t("min_episodes"):
        return None
    return Finding(
        sign.code, _ids(nights), {"why": ["nights"], "episodes": len(nights), "min_episodes": sign.t("min_episodes")}
    )


def detect_exertional(month: Sequence[EpisodeFacts]) -> Finding | None:
    sign = CATALOGUE["pattern.exertional"]
    walking = [e for e in month if sign.t("trigger") in e.triggers and sign.t("relief") in e.relieved_by]
    if len(walking) < sign.t("min_episodes"):
        return None
    return Finding(
        sign.code,
        _ids(walking),
        {"why": ["walking"], "episodes": len(walking), "min_episodes": sign.t("min_episodes")},
    )


def detect_radicular(month: Sequence[EpisodeFacts]) -> Finding | None:
    """One-sided episodes with back pain, on either side; both sides among them means it moved between legs."""
    sign = CATALOGUE["pattern.radicular"]
    one_sided = [e for e in month if sign.t("symptom") in e.symptoms and len(e.sides) == 1]
    if len(one_sided) < sign.t("min_episodes"):
        return None
    per_side = {side: sum(e.sides == {side} for e in one_sided) for side in vocab.SIDES}
    moved = all(per_side.values())
    return Finding(
        sign.code,
        _ids(one_sided),
        {
            "why": ["side", "moved"] if moved else ["side"],
            "episodes": len(one_sided),
            "side": "both legs, one at a time"
            if moved
            else next(vocab.SIDES[s].label.lower() for s, n in per_side.items() if n),
            "left": per_side["left"],
            "right": per_side["right"],
            "min_episodes": sign.t("min_episodes"),
        },
    )


def detect_known_condition(month: Sequence[EpisodeFacts], conditions: Iterable[str]) -> Finding | None:
    sign = CATALOGUE["pattern.known_condition"]
    relevant = [c for c in vocab.CONDITIONS if c in set(conditions) & sign.t("conditions")]
    if not relevant or len(month) < sign.t("min_episodes"):
        return None
    return Finding(
        sign.code,
        _ids(month),
        {
            "why": ["condition"],
            "episodes": len(month),
            "conditions": " and ".join(vocab.CONDITIONS[c].label.lower() for c in relevant),
            "min_episodes": sign.t("min_episodes"),
        },
    )


def review(
    episodes: Iterable[EpisodeFacts],
    as_of: dt.date,
    conditions: Iterable[str] = (),
    moment: dt.datetime | None = None,
) -> list[Finding]:
    """Every finding as of a local date, in catalogue order.

    `moment` is the review moment that ongoing episodes last until; by default the end of local
    day D in the episodes' time zone (callers reviewing "today" pass `review_moment(…, now)`).
    """
    episodes = [e for e in episodes if e.day <= as_of]
    if moment is None:
        zone = episodes[0].start.tzinfo if episodes else dt.UTC
        moment = review_moment(as_of, zone or dt.UTC)
    windows = Windows.ending(as_of)
    recent = _within(episodes, windows.recent)
    baseline = _within(episodes, windows.baseline)
    month = _within(episodes, windows.month)
    week = _within(episodes, windows.week)
    found = [detect_instant(sign, recent) for sign in CATALOGUE.values() if sign.per_episode]
    found += [
        detect_ascending(week),
        detect_persistent(recent, moment),
        detect_escalating(recent, baseline),
        detect_spreading(recent, baseline),
        detect_bilateral(recent, baseline),
        detect_nocturnal(recent),
        detect_exertional(month),
        detect_radicular(month),
        detect_known_condition(month, conditions),
    ]
    order = list(CATALOGUE)
    return sorted((f for f in found if f is not None), key=lambda f: order.index(f.code))
