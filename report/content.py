"""What the physician report says, for one patient and period: who, when, a summary sentence, the
numbers with their change, red flags, patterns, and every episode.

The numbers come from `insights.trends`; the red flags from triage's instant-sign matcher applied to
the period's episodes (plus any live urgent pattern flag); the patterns from the review's flags.
The PDF, the shared web page, the CSV and the FHIR bundle are all built from one `Report`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from diary import vocab
from diary.coverage import diary_state
from diary.facts import EpisodeFacts, facts_from_episode, load_checkins, load_facts
from diary.models import Episode, Profile
from diary.services import profile_of
from insights import heatmap, trends
from insights.trends import Trends
from triage import signs
from triage.advice import Advice, advise, saves_of
from triage.detectors import instant_signs
from triage.models import ACTIVE, WITHDRAWN, Flag

LEVEL_NAMES = {signs.EMERGENCY: "Emergency", signs.URGENT: "Urgent", signs.SEE_DOCTOR: "Pattern"}
STATUS_WORDS = {
    "open": "open, not yet read by the patient",
    "acknowledged": "read by the patient",
    "resolved": "no longer present",
}
# How relief reads after "eased by"; the codes whose label does not fit that phrase.
RELIEF_PHRASES = {"by_itself": "passing by itself", "nothing": "nothing helping"}


@dataclass(frozen=True)
class KeyNumber:
    label: str
    value: str
    change: str = ""  # against the previous period; empty when that period has no data for it


@dataclass(frozen=True)
class EpisodeRow:
    facts: EpisodeFacts
    when: str
    duration: str
    where: str
    sensations: str
    triggers: str
    symptoms: str
    relief: str


@dataclass(frozen=True)
class FlagEpisode:
    """One episode behind a red flag: its date and time, and what in it matched."""

    facts: EpisodeFacts
    when: str
    matched: str


@dataclass(frozen=True)
class ReportFlag:
    sign: signs.Sign
    reasons: list[str]
    flag: Flag | None = None  # the review's flag, when there is one
    episodes: list[FlagEpisode] = field(default_factory=list)
    advice: Advice | None = None  # red flags: the level and title every surface shows (triage/advice.py)

    @property
    def code(self) -> str:
        return self.sign.code

    @property
    def level(self) -> str:
        return self.advice.level if self.advice else self.sign.level

    @property
    def level_label(self) -> str:
        return LEVEL_NAMES[self.level]

    @property
    def title(self) -> str:
        return self.advice.title if self.advice else self.sign.title

    @property
    def status(self) -> str:
        return STATUS_WORDS.get(self.flag.status, self.flag.status) if self.flag else ""

    @property
    def sources(self) -> list[str]:
        """Each source as its title and publisher, the public pages first: never an id."""
        return [source.citation for source in self.sign.source_list]

    @property
    def authorities(self) -> list[str]:
        return [source.citation for source in self.sign.authorities]

    @property
    def background_reading(self) -> list[str]:
        return [source.citation for source in self.sign.background_reading]


@dataclass(frozen=True)
class Report:
    patient_name: str
    date_of_birth: dt.date | None
    timezone: str
    requested: tuple[dt.date, dt.date]
    first: dt.date  # the period the diary actually covers within the request
    last: dt.date
    has_entries: bool
    diary_began: dt.date | None
    previous: tuple[dt.date, dt.date]
    previous_has_data: bool
    generated_at: dt.datetime
    trends: Trends
    previous_trends: Trends
    summary: str
    key_numbers: list[KeyNumber]
    red_flags: list[ReportFlag]
    patterns: list[ReportFlag]
    episodes: list[EpisodeFacts]
    rows: list[EpisodeRow]
    checkins: dict[dt.date, bool]
    shaded_views: list[Any]
    places: list[tuple[str, int]]  # ('Left calf', 12), most often first
    conditions: list[str]
    questions: str = ""

    @property
    def flags(self) -> list[ReportFlag]:
        return self.red_flags + self.patterns

    @property
    def weeks_covered(self) -> str:
        return span_words(self.trends.days)


def span_words(days: int) -> str:
    """'13 weeks' from 14 days up, otherwise '9 days'."""
    if days >= 14:
        weeks = round(days / 7)
        return f"{weeks} weeks"
    return f"{days} day{'s' if days != 1 else ''}"


def patient_name(patient: User, profile: Profile) -> str:
    """The profile's display name when it has one, then the account's first/last name, then the username."""
    chosen = profile.display_name.strip()
    return chosen or patient.get_full_name().strip() or patient.username


def previous_period(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    length = (last - first).days + 1
    end = first - dt.timedelta(days=1)
    return end - dt.timedelta(days=length - 1), end


def _number(value: float | int | None, unit: str = "") -> str:
    return "–" if value is None else f"{value:g}{unit}"


def _change(now: float | None, before: float | None, unit: str = "") -> str:
    if now is None or before is None:
        return ""
    delta = round(now - before, 1)
    if delta == 0:
        return "no change"
    sign = "+" if delta > 0 else "−"
    return f"{sign}{abs(delta):g}{unit}"


def key_numbers(current: Trends, earlier: Trends, earlier_has_data: bool) -> list[KeyNumber]:
    """Frequency, then how many days, then duration and severity spread; a change only against real data."""
    than = f" vs previous {span_words(earlier.days)}"

    def vs(change: str) -> str:
        return change + than if earlier_has_data and change else ""

    severities = [s for _, s in current.severities]
    spread = f"{min(severities)}–{max(severities)}" if severities else "–"
    median_severity = _number(statistics.median(severities) if severities else None)
    return [
        KeyNumber("Episodes", str(current.episodes), vs(_change(current.episodes, earlier.episodes))),
        KeyNumber(
            "Days with numbness",
            f"{current.days_with_numbness} of {current.days_logged} logged days",
            f"previous: {earlier.days_with_numbness} of {earlier.days_logged}" if earlier_has_data else "",
        ),
        KeyNumber(
            "Median duration",
            _number(current.median_minutes, " min"),
            vs(_change(current.median_minutes, earlier.median_minutes, " min")),
        ),
        KeyNumber(
            f"Severity ({vocab.SEVERITY_RANGE_LABEL})",
            f"mean {_number(current.mean_severity)}, median {median_severity}, range {spread}",
            vs(_change(current.mean_severity, earlier.mean_severity)),
        ),
    ]


def _lower(label: str) -> str:
    return label[0].lower() + label[1:] if label else label


def summary(current: Trends, episodes: list[EpisodeFacts]) -> str:
    """One plain sentence from the numbers, e.g. 'Over 13 weeks: 71 episodes on 58 of 78 logged days, …'."""
    n = len(episodes)
    head = f"Over {span_words(current.days)}: "
    logged = f"{current.days_logged} logged day{'s' if current.days_logged != 1 else ''}"
    if n == 0:
        return head + f"no episodes on {logged}."
    parts = [f"{n} episode{'s' if n != 1 else ''} on {current.days_with_numbness} of {logged}"]
    places = Counter(place for e in episodes for place in e.places)
    place, count = min(places.items(), key=lambda item: (-item[1], item[0].order))
    if count * 2 >= n:
        parts.append(f"mostly the {place.label.lower()}")
    else:
        sides = Counter("both legs" if len(e.sides) == 2 else f"the {next(iter(e.sides))} leg" for e in episodes)
        where, many = sides.most_common(1)[0]
        parts.append(f"mostly {where}" if many * 2 >= n else "in varying places")
    minutes = current.median_minutes
    severity = statistics.median(s for _, s in current.severities)
    typical = (
        f"typically {minutes:g} minutes at {vocab.severity_label(severity)}"
        if minutes is not None
        else f"typically {vocab.severity_label(severity)}"
    )
    parts.append(typical)
    triggers = [t for t in current.triggers if t.code != "unknown"]
    if triggers:
        word = "usually" if triggers[0].count * 2 >= n else "most often"
        parts.append(f"{word} after {_lower(triggers[0].label)}")
    if current.relief:
        top = current.relief[0]
        parts.append(f"eased by {RELIEF_PHRASES.get(top.code, _lower(top.label))}")
    return head + ", ".join(parts) + "."


def when_label(e: EpisodeFacts) -> str:
    return f"{e.start:%a %d %b %Y %H:%M}"


def episode_row(e: EpisodeFacts) -> EpisodeRow:
    return EpisodeRow(
        facts=e,
        when=when_label(e),
        duration="ongoing" if e.ongoing else "not known" if e.duration_unknown else f"{e.duration_minutes} min",
        where=", ".join(place.label for place in e.places),
        sensations=", ".join(vocab.labels(vocab.SENSATIONS, e.sensations)),
        triggers=", ".join(vocab.labels(vocab.TRIGGERS, e.triggers)),
        symptoms=", ".join(vocab.labels(vocab.SYMPTOMS, e.symptoms)),
        relief=", ".join(vocab.labels(vocab.RELIEF, e.relieved_by)),
    )


def flags_in_period(patient: User, first: dt.date, last: dt.date) -> list[Flag]:
    """Every flag that was live at some point in the period, most serious first; never a withdrawn one."""
    flags = (
        Flag.objects.filter(patient=patient, first_seen__lte=last)
        .filter(Q(last_seen__gte=first) | Q(status__in=ACTIVE))
        .exclude(resolution=WITHDRAWN)
    )
    return sorted(flags, key=lambda f: (signs.LEVEL_ORDER[f.level], f.first_seen, f.code))


def _evidence(patient: User, zone: dt.tzinfo, ids: set[str], known: dict[str, EpisodeFacts]) -> dict[str, EpisodeFacts]:
    """Facts for every evidence id, loading (in one query) only those outside the loaded range."""
    missing = ids - known.keys()
    found = dict(known)
    if missing:
        rows = Episode.objects.filter(patient=patient, id__in=missing).prefetch_related("locations")
        found |= {str(e.id): facts_from_episode(e, zone) for e in rows}
    return found


def red_flags(
    in_period: list[EpisodeFacts], flags: list[Flag], patient: User, zone: dt.tzinfo, known: dict[str, EpisodeFacts]
) -> list[ReportFlag]:
    """Emergency and urgent signs: each episode in the period that matches one (with its date and time),
    and any live urgent pattern flag (numbness climbing both legs) with the episodes behind it."""
    by_code = {f.code: f for f in flags}
    hits: dict[str, list[FlagEpisode]] = {}
    for e in in_period:
        for sign, found in instant_signs(e):
            hits.setdefault(sign.code, []).append(FlagEpisode(e, when_label(e), ", ".join(found)))
    serious_patterns = [f for f in flags if f.level != signs.SEE_DOCTOR and not f.sign.instant]
    saves = saves_of(patient, {e.facts.id for found in hits.values() for e in found})
    number = profile_of(patient).emergency_number

    def said(sign: signs.Sign, episodes: list[FlagEpisode]) -> Advice:
        return advise(sign, number, [saves[e.facts.id] for e in episodes if e.facts.id in saves])

    result = [
        ReportFlag(
            signs.CATALOGUE[code],
            _flag_reasons(by_code.get(code)),
            by_code.get(code),
            episodes,
            said(signs.CATALOGUE[code], episodes),
        )
        for code, episodes in hits.items()
    ]
    evidence = _evidence(patient, zone, {i for f in serious_patterns for i in f.evidence}, known)
    for f in serious_patterns:
        behind = sorted((evidence[i] for i in f.evidence if i in evidence), key=lambda e: e.start)
        episodes = [FlagEpisode(e, when_label(e), episode_row(e).where) for e in behind]
        result.append(ReportFlag(f.sign, f.reasons, f, episodes, advise(f.sign, number, detail=f.detail)))
    return sorted(
        result, key=lambda r: (signs.LEVEL_ORDER[r.level], r.episodes[0].facts.start.timestamp() if r.episodes else 0.0)
    )


def _flag_reasons(flag: Flag | None) -> list[str]:
    return flag.reasons if flag else []


def patterns(flags: list[Flag]) -> list[ReportFlag]:
    return [ReportFlag(f.sign, f.reasons, f) for f in flags if f.level == signs.SEE_DOCTOR]


def build(patient: User, first: dt.date, last: dt.date, now: dt.datetime | None = None, questions: str = "") -> Report:
    profile = profile_of(patient)
    zone = profile.zone
    diary = diary_state(patient, zone)
    covered = diary.covered(first, last)
    start, end = covered or (first, last)
    earlier_first, earlier_last = previous_period(start, end)
    episodes = load_facts(patient, zone, earlier_first, end)
    checkins = load_checkins(patient, earlier_first, end)
    current = trends.compute(episodes, checkins, start, end)
    earlier = trends.compute(episodes, checkins, earlier_first, earlier_last)
    in_period = [e for e in episodes if start <= e.day <= end]
    flags = flags_in_period(patient, first, last)
    known = {e.id: e for e in episodes}
    return Report(
        patient_name=patient_name(patient, profile),
        date_of_birth=profile.date_of_birth,
        timezone=profile.timezone,
        requested=(first, last),
        first=start,
        last=end,
        has_entries=covered is not None,
        diary_began=diary.first,
        previous=(earlier_first, earlier_last),
        previous_has_data=earlier.days_logged > 0,
        generated_at=(now or timezone.now()).astimezone(zone),
        trends=current,
        previous_trends=earlier,
        summary=summary(current, in_period),
        key_numbers=key_numbers(current, earlier, earlier.days_logged > 0),
        red_flags=red_flags(in_period, flags, patient, zone, known),
        patterns=patterns(flags),
        episodes=in_period,
        rows=[episode_row(e) for e in in_period],
        checkins={day: value for day, value in checkins.items() if start <= day <= end},
        shaded_views=heatmap.shaded_views(current.regions),
        places=heatmap.region_rows(current.regions),
        conditions=[vocab.CONDITIONS[c].label for c in profile.conditions],
        questions=questions.strip(),
    )
