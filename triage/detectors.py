"""Pure pattern detectors: episodes and a review date in, findings out. No ORM, no requests, no Celery.

Each detector reads its thresholds from the catalogue (`triage.signs`) and returns a `Finding`
whose `detail` holds the numbers that made it fire, or None.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from diary import vocab
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

    @classmethod
    def ending(cls, as_of: dt.date) -> Windows:
        day = dt.timedelta(days=1)
        recent_first = as_of - (signs.RECENT_DAYS - 1) * day
        return cls(
            recent=(recent_first, as_of),
            baseline=(recent_first - signs.BASELINE_DAYS * day, recent_first - day),
            month=(as_of - (signs.MONTH_DAYS - 1) * day, as_of),
        )

    @property
    def earliest(self) -> dt.date:
        return min(self.recent[0], self.baseline[0], self.month[0])


def _within(episodes: Iterable[EpisodeFacts], window: tuple[dt.date, dt.date]) -> list[EpisodeFacts]:
    first, last = window
    return [e for e in episodes if first <= e.day <= last]


def _ids(episodes: Iterable[EpisodeFacts]) -> tuple[str, ...]:
    return tuple(e.id for e in sorted(episodes, key=lambda e: (e.start, e.id)))


def _labels(vocabulary: dict[str, vocab.Term], codes: Iterable[str]) -> list[str]:
    return [vocabulary[code].label for code in vocabulary if code in set(codes)]


# --- Emergency and urgent signs: matched on single episodes -------------------------------------------


def matched(sign: Sign, episode: EpisodeFacts) -> list[str]:
    """What in this episode matches an emergency or urgent sign, in the patient's words; empty if nothing."""
    found: list[str] = []
    t = sign.thresholds
    if "symptoms" in t:
        found += _labels(vocab.SYMPTOMS, episode.symptoms & t["symptoms"])
    if "regions" in t:
        found += [
            f"{vocab.SIDES[side].label} {vocab.REGIONS[region].label.lower()}"
            for side, region in sorted(episode.locations, key=lambda pair: vocab.location_key(*pair))
            if region in t["regions"]
        ]
    if "triggers" in t:
        found += _labels(vocab.TRIGGERS, episode.triggers & t["triggers"])
    if "sensation" in t and t["sensation"] in episode.sensations and episode.severity >= t["min_pain_severity"]:
        found.append(f"{vocab.SENSATIONS[t['sensation']].label} at severity {episode.severity}")
    return found


def instant_signs(episode: EpisodeFacts) -> list[tuple[Sign, list[str]]]:
    """Every emergency or urgent sign this one episode matches, most serious first."""
    hits = [(sign, matched(sign, episode)) for sign in CATALOGUE.values() if sign.instant]
    return sorted(((s, m) for s, m in hits if m), key=lambda hit: signs.LEVEL_ORDER[hit[0].level])


def detect_instant(sign: Sign, recent: Sequence[EpisodeFacts]) -> Finding | None:
    hits = [(e, matched(sign, e)) for e in recent]
    hits = [(e, m) for e, m in hits if m]
    if not hits:
        return None
    labels = list(dict.fromkeys(label for _, found in hits for label in found))
    first = min(e.start for e, _ in hits)
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


def detect_persistent(recent: Sequence[EpisodeFacts]) -> Finding | None:
    sign = CATALOGUE["pattern.persistent"]
    days = {e.day for e in recent}
    long = [
        e
        for e in recent
        if e.duration_minutes is not None
        and e.duration_minutes >= sign.t("min_minutes")
        and not (e.relieved_by & sign.t("easing_relief"))
    ]
    why = (["days"] if len(days) >= sign.t("min_days") else []) + (["long"] if long else [])
    if not why:
        return None
    evidence = recent if "days" in why else long
    return Finding(
        sign.code,
        _ids(evidence),
        {
            "why": why,
            "days": len(days),
            "window_days": signs.RECENT_DAYS,
            "min_days": sign.t("min_days"),
            "long_episodes": len(long),
            "longest_minutes": max((e.duration_minutes or 0 for e in long), default=0),
            "min_minutes": sign.t("min_minutes"),
        },
    )


def _median_minutes(episodes: Sequence[EpisodeFacts]) -> float | None:
    durations = [e.duration_minutes for e in episodes if e.duration_minutes is not None]
    return statistics.median(durations) if durations else None


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
            "rate_ratio": sign.t("rate_ratio"),
            "median_recent": median_recent,
            "median_baseline": median_baseline,
            "duration_ratio": sign.t("duration_ratio"),
            "min_median_minutes": sign.t("min_median_minutes"),
        },
    )


def _level_name(level: int) -> str:
    return " or ".join(t.label.lower() for t in vocab.REGIONS.values() if t.level == level)


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
            "recent_region": _level_name(recent_level),
            "baseline_region": _level_name(baseline_level),
            "recent_episodes": len(reaching),
        },
    )


def detect_bilateral(recent: Sequence[EpisodeFacts], baseline: Sequence[EpisodeFacts]) -> Finding | None:
    sign = CATALOGUE["pattern.bilateral"]
    both = [e for e in recent if len(e.sides) == 2]
    if len(both) < sign.t("min_recent") or len(baseline) < sign.t("min_baseline"):
        return None
    if any(len(e.sides) == 2 for e in baseline):
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
    sign = CATALOGUE["pattern.radicular"]
    with_back_pain = [e for e in month if sign.t("symptom") in e.symptoms and len(e.sides) == 1]
    for side in vocab.SIDES:
        one_side = [e for e in with_back_pain if e.sides == {side}]
        if len(one_side) >= sign.t("min_episodes"):
            return Finding(
                sign.code,
                _ids(one_side),
                {
                    "why": ["side"],
                    "episodes": len(one_side),
                    "side": vocab.SIDES[side].label.lower(),
                    "min_episodes": sign.t("min_episodes"),
                },
            )
    return None


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


def review(episodes: Iterable[EpisodeFacts], as_of: dt.date, conditions: Iterable[str] = ()) -> list[Finding]:
    """Every finding as of a local date, in catalogue order."""
    windows = Windows.ending(as_of)
    episodes = [e for e in episodes if e.day <= as_of]
    recent = _within(episodes, windows.recent)
    baseline = _within(episodes, windows.baseline)
    month = _within(episodes, windows.month)
    found = [detect_instant(sign, recent) for sign in CATALOGUE.values() if sign.instant]
    found += [
        detect_persistent(recent),
        detect_escalating(recent, baseline),
        detect_spreading(recent, baseline),
        detect_bilateral(recent, baseline),
        detect_nocturnal(recent),
        detect_exertional(month),
        detect_radicular(month),
        detect_known_condition(month, conditions),
    ]
    return [f for f in found if f is not None]
