"""What the physician report says, for one patient and period: who and when, the summary sentence, red flags,
key numbers with the comparison and the pertinent negatives, patterns, the accompanying symptoms, recurring
clusters, and every episode (DESIGN §10).

The numbers come from `insights.trends`; the red flags from triage's instant-sign matcher applied to the
period's episodes (plus any live urgent pattern flag); the patterns from the review's flags; the words from
`report.summary`, `report.flags` and `report.episodes`. The PDF, the shared web page, the CSV and the FHIR
bundle are all built from one `Report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from diary import vocab
from diary.clock import day_start, day_words, instant, span_words
from diary.coverage import diary_state
from diary.facts import EpisodeFacts, facts_from_episode, load_checkins, load_facts
from diary.models import MAX_DURATION_MINUTES, Episode, Profile
from diary.services import profile_of
from insights import heatmap, trends
from insights.trends import Trends
from report import episodes as tables
from report import flags as warning
from report import phrases, summary
from report.flags import ReportFlag, Saved
from report.sections import Section, sections
from report.summary import Comparison, KeyNumber
from triage import signs
from triage.models import ACTIVE, WITHDRAWN, Flag


@dataclass(frozen=True)
class Report:
    patient_id: int
    patient_name: str
    given_names: list[str]  # the account's first name(s), when given: FHIR's name.given
    family_name: str  # the account's last name, when given: FHIR's name.family
    date_of_birth: dt.date | None
    timezone: str
    emergency_number: str
    requested: tuple[dt.date, dt.date]
    first: dt.date  # the period the diary actually covers within the request
    last: dt.date
    has_entries: bool
    diary_began: dt.date | None
    generated_at: dt.datetime  # in the patient's zone
    trends: Trends
    recent: Trends | None  # the last 14 days, when a pattern flag is open
    summary: str
    key_numbers: list[KeyNumber]
    negatives: str
    comparison: Comparison
    red_flags: list[ReportFlag]
    patterns: list[ReportFlag]
    episodes: list[EpisodeFacts]  # begun in the period: the counts, the medians and the episode table
    rows: list[tables.EpisodeRow]
    saved: dict[str, Saved]
    checkins: dict[dt.date, bool]
    symptoms: list[tables.SymptomRow]
    clusters: list[tables.Cluster]
    shaded_views: list[Any]
    places: list[tuple[str, int]]  # ('Left sole', 12), most often first
    conditions: list[str]
    questions: str = ""
    sections: list[Section] = field(default_factory=list)
    # Begun in the 24 h before the period, still numb in it (`carried_into`) and behind a red flag: not counted, but
    # cited, as the flag's lines in the PDF and as Observations its Flag points at in the FHIR bundle.
    carried: list[EpisodeFacts] = field(default_factory=list)

    @property
    def flags(self) -> list[ReportFlag]:
        return self.red_flags + self.patterns

    @property
    def length(self) -> str:
        """'13 weeks'."""
        return phrases.length_words(self.trends.days)

    @property
    def period(self) -> str:
        """'3 Sep – 1 Dec 2026'."""
        return span_words(self.first, self.last)

    @property
    def asked_for(self) -> str:
        """The period asked for, in the same words: '1 – 31 Jan 2026'."""
        return span_words(*self.requested)

    @property
    def logged(self) -> str:
        """'entries on 39 of 91 days'."""
        return summary.logged_days_words(self.trends)

    @property
    def generated(self) -> str:
        """'Wed 2 Dec 2026 09:49 CST (America/Chicago)': the patient's clock, never UTC labelled as theirs."""
        return f"{phrases.moment_words(self.generated_at)} ({self.timezone})"

    @property
    def running_head(self) -> str:
        """What every page carries: name, date of birth and the period."""
        born = f"born {day_words(self.date_of_birth)}" if self.date_of_birth else "date of birth not given"
        period = self.period if self.has_entries else self.asked_for
        return f"{self.patient_name} · {born} · diary {period}"

    @property
    def any_alarm_symptom(self) -> bool:
        """Whether a row of the symptoms table is an alarm question's, and so carries the ⚠ its key explains."""
        return any(row.term.alarm for row in self.symptoms)

    @property
    def page_one_sections(self) -> list[Section]:
        return [s for s in self.sections if s.page_one]

    @property
    def later_sections(self) -> list[Section]:
        return [s for s in self.sections if not s.page_one]

    @property
    def table_heading(self) -> str:
        return tables.heading_line()

    @property
    def years(self) -> bool:
        """The period spans more than one calendar year: the episode table marks where each year starts."""
        return self.first.year != self.last.year


def patient_name(patient: User, profile: Profile) -> str:
    """The profile's display name when it has one, then the account's first/last name, then the username."""
    chosen = profile.display_name.strip()
    return chosen or patient.get_full_name().strip() or patient.username


def previous_period(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    length = (last - first).days + 1
    end = first - dt.timedelta(days=1)
    return end - dt.timedelta(days=length - 1), end


def flags_in_period(patient: User, first: dt.date, last: dt.date, entries: Collection[str] = ()) -> list[Flag]:
    """Every flag that was live at some point in the period, and every one raised after it about one of its
    `entries` (episode ids: an entry logged late, a report of a past month), most serious first; never a withdrawn
    one."""
    live = Q(first_seen__lte=last) & (Q(last_seen__gte=first) | Q(status__in=ACTIVE))
    flags = Flag.objects.filter(patient=patient).filter(live | Q(first_seen__gt=last)).exclude(resolution=WITHDRAWN)
    about = set(entries)
    kept = [f for f in flags if f.first_seen <= last or about.intersection(f.evidence)]
    return sorted(kept, key=lambda f: (signs.LEVEL_ORDER[f.level], f.first_seen, f.code))


def carried_into(
    episodes: Sequence[EpisodeFacts], first: dt.date, zone: dt.tzinfo, now: dt.datetime
) -> list[EpisodeFacts]:
    """The episodes that began before the period's first day and were still numb in it: still going, or lasting
    past its first midnight. An episode lasts 24 h at most (`MAX_DURATION_MINUTES`: ending one caps it there), so only
    those begun in the 24 h before count, a "still going" one too: one left still going since March is not numb in
    June. The counts, medians and the episode table keep to the episodes begun in the period; their red flags are the
    period's too (`red_flags`), so that an emergency still going is not left out of a report because it began the day
    before. One whose duration nobody knows is not counted as lasting into it. `episodes`: those loaded for the
    report, which reach back over the period before, and so over the day before."""
    begin = day_start(first, zone)
    if begin > now:
        return []
    since = instant(begin) - dt.timedelta(minutes=MAX_DURATION_MINUTES)  # 24 h on the clock, also when it changes
    return [
        e
        for e in episodes
        if since <= e.instant < begin
        and (e.ongoing or e.instant + dt.timedelta(minutes=e.duration_minutes or 0) > begin)
    ]


def _evidence(patient: User, zone: dt.tzinfo, ids: set[str], known: dict[str, EpisodeFacts]) -> dict[str, EpisodeFacts]:
    """Facts for every evidence id, loading (in one query) only those outside the loaded range."""
    missing = ids - known.keys()
    found = dict(known)
    if missing:
        rows = Episode.objects.filter(patient=patient, id__in=missing).prefetch_related("locations")
        found |= {str(e.id): facts_from_episode(e, zone) for e in rows}
    return found


def saved_times(patient: User, ids: set[str], zone: dt.tzinfo) -> dict[str, Saved]:
    """When each episode was first saved and last changed, and whether from an imported file, in one query."""
    rows = Episode.objects.filter(patient=patient, id__in=ids).values_list(
        "id", "created_at", "updated_at", "logged_from_file", "saved_from_file"
    )
    return {
        str(i): Saved(created.astimezone(zone), updated.astimezone(zone), logged, saved)
        for i, created, updated, logged, saved in rows
    }


def recent_window(flags: list[Flag], first: dt.date, last: dt.date, asked: dt.date) -> tuple[dt.date, dt.date] | None:
    """The 14 days up to the open pattern flags' latest review (within the period asked for), when one is open and
    the diary covers more than those 14 days."""
    reviewed = [f.last_seen for f in flags if f.level == signs.SEE_DOCTOR and f.status in ACTIVE]
    if not reviewed:
        return None
    end = max(min(max(reviewed), asked), last)
    start = end - dt.timedelta(days=summary.RECENT_DAYS - 1)
    return (start, end) if start > first else None


def place_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    """('left saddle (perineal) area', 3) for every place involved, most often first, in the clinician's words."""
    rows = [(vocab.Place.parse(key), n) for key, n in counts.items() if n]
    ranked = sorted(rows, key=lambda row: (-row[1], row[0].order))
    return [(phrases.places_words([place]), n) for place, n in ranked]


def build(patient: User, first: dt.date, last: dt.date, now: dt.datetime | None = None, questions: str = "") -> Report:
    profile = profile_of(patient)
    zone = profile.zone
    generated = (now or timezone.now()).astimezone(zone)
    diary = diary_state(patient, zone)
    covered = diary.covered(first, last)
    start, end = covered or (first, last)
    earlier_first, earlier_last = previous_period(start, end)
    episodes = load_facts(patient, zone, earlier_first, end)
    checkins = load_checkins(patient, earlier_first, end)
    current = trends.compute(episodes, checkins, start, end)
    earlier = trends.compute(episodes, checkins, earlier_first, earlier_last)
    in_period = [e for e in episodes if start <= e.day <= end]
    carried = carried_into(episodes, start, zone, generated)
    entries = {e.id for e in in_period} | {e.id for e in carried}
    flags = flags_in_period(patient, first, last, entries)
    evidence = _evidence(patient, zone, {i for f in flags for i in f.evidence}, {e.id: e for e in episodes})
    saved = saved_times(patient, entries | {i for f in flags for i in f.evidence}, zone)
    red = warning.red_flags(
        in_period, flags, evidence, saved, now=generated, emergency_number=profile.emergency_number, carried=carried
    )
    marks = warning.marks(red)  # every episode behind a red flag, with its level
    window = recent_window(flags, start, end, last)
    recent = trends.compute(episodes, checkins, *window) if window else None
    return Report(
        patient_id=patient.pk,
        patient_name=patient_name(patient, profile),
        given_names=patient.first_name.split(),
        family_name=patient.last_name.strip(),
        date_of_birth=profile.date_of_birth,
        timezone=profile.timezone,
        emergency_number=profile.emergency_number,
        requested=(first, last),
        first=start,
        last=end,
        has_entries=covered is not None,
        diary_began=diary.first,
        generated_at=generated,
        trends=current,
        recent=recent,
        summary=summary.summary(
            period=(start, end), current=current, episodes=in_period, red=red, recent=recent, now=generated
        ),
        key_numbers=summary.key_numbers(current, in_period),
        negatives=summary.alarm_answers(in_period),
        comparison=Comparison(
            summary.side(current, in_period), summary.side(earlier, episodes), phrases.length_words(current.days)
        ),
        red_flags=red,
        patterns=warning.patterns(flags, evidence),
        episodes=in_period,
        rows=tables.rows(in_period, marks),
        saved=saved,
        checkins={day: value for day, value in checkins.items() if start <= day <= end},
        symptoms=tables.symptom_rows(in_period),
        clusters=tables.clusters(in_period),
        shaded_views=heatmap.report_views(current.regions),
        places=place_counts(current.regions),
        conditions=[vocab.CONDITIONS[c].label for c in profile.conditions],
        questions=questions.strip(),
        # The apps' sections cover the period asked for up to today, not only the days between the first and last
        # entry: a treatment started or a questionnaire answered after the last episode is still the latest news.
        sections=sections(patient, first, max(first, min(last, generated.date())), generated.date()),
        carried=[e for e in carried if e.id in marks],  # behind a red flag
    )
