"""The report's warning signs: each red flag with one line per episode that says what a clinician acts on, and
each pattern flagged with the dates of the episodes behind it (DESIGN §10).

Whether a sign fires, and on what, is triage's decision (`triage.detectors.matched`, the review's flags), and
what the patient was told is `triage.advice.advise`'s, as on every other page; this module only says it in the
clinician's words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from diary import vocab
from diary.clock import day_words, elapsed
from diary.facts import EpisodeFacts
from report import phrases
from triage import detectors, signs
from triage.advice import Advice, advise
from triage.models import Flag

LEVEL_WORDS = {signs.EMERGENCY: "Emergency", signs.URGENT: "Urgent", signs.SEE_DOCTOR: "Pattern"}
STATUS_WORDS = {
    "open": "open, not yet read by the patient",
    "acknowledged": "read by the patient",
    "resolved": "no longer present",
}
BEGAN_BEFORE = "began before this period"  # a red-flag line of an episode carried into the period
LATE = dt.timedelta(hours=1)  # logged later than this after it began: the line says when


@dataclass(frozen=True)
class Saved:
    """When an episode was first saved and last changed (the database's created_at and updated_at), and whether an
    imported file created it or changed it last (`Episode.logged_from_file`, `saved_from_file`)."""

    created: dt.datetime
    updated: dt.datetime
    logged_from_file: bool = False
    saved_from_file: bool = False


@dataclass(frozen=True)
class RedFlagLine:
    """One episode behind a red flag, as a clinician acts on it."""

    facts: EpisodeFacts
    when: str  # 'Fri 12 Jun 2026 09:10 BST'
    where: str  # 'left leg only: left calf; saddle (perineal) area on both sides'
    duration: str  # '20 min' or 'still going (26 h so far)'
    severity: str  # '7/10'
    fired_on: str  # what in it matched the sign, in clinical words
    ticked: str  # every symptom ticked, the patient's words with the clinical term beside them
    logged: str  # '' or 'logged Sat 13 Jun 2026 10:30 BST, 25 h after it began'
    screen: str  # the warning screen the app showed when it was saved
    before: str = ""  # 'began before this period': an episode still numb in it, begun the day or more before

    @property
    def parts(self) -> list[str]:
        return [
            part
            for part in (
                self.before,
                self.where,
                self.duration,
                f"severity {self.severity}",
                f"ticked: {self.ticked}" if self.ticked else "nothing ticked",
                self.logged,
                self.screen,
            )
            if part
        ]

    @property
    def text(self) -> str:
        return " · ".join([self.when, *self.parts])


@dataclass(frozen=True)
class ReportFlag:
    sign: signs.Sign
    flag: Flag | None = None  # the review's flag, when there is one
    lines: list[RedFlagLine] = field(default_factory=list)  # red flags: one per episode behind it
    behind: list[EpisodeFacts] = field(default_factory=list)  # patterns: the episodes behind it
    advice: Advice | None = None  # red flags: what the app told the patient (triage/advice.py), as every page says

    @property
    def code(self) -> str:
        return self.sign.code

    @property
    def level(self) -> str:
        """The level the patient was told (a stroke sign logged over 24 h late: urgent), as every surface says."""
        return self.advice.level if self.advice else self.sign.level

    @property
    def level_label(self) -> str:
        return LEVEL_WORDS[self.level]

    @property
    def title(self) -> str:
        return self.sign.clinical_title

    @property
    def status(self) -> str:
        return STATUS_WORDS.get(self.flag.status, self.flag.status) if self.flag else ""

    @property
    def reasons(self) -> list[str]:
        return self.flag.reasons if self.flag else []

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

    @property
    def dates(self) -> str:
        """The dates of the episodes behind it: '3, 5 and 9 Jun 2026'."""
        return phrases.dates_words(e.day for e in (self.behind or [line.facts for line in self.lines]))

    @property
    def seen(self) -> str:
        """'first raised 3 Jun 2026, last 12 Jun 2026' by the review, when there is a flag."""
        if self.flag is None:
            return ""
        first, last = self.flag.first_seen, self.flag.last_seen
        if first == last:
            return f"raised {day_words(first)}"
        return f"first raised {day_words(first)}, last {day_words(last)}"

    @property
    def still_going(self) -> bool:
        return any(line.facts.ongoing for line in self.lines)


def _clinical_by_label() -> dict[str, str]:
    """The clinician's words for every symptom and trigger label `detectors.matched` may return."""
    words = {term.label: term.clinical or term.label.lower() for term in vocab.SYMPTOMS.values()}
    words |= {term.label: term.label.lower() for term in vocab.TRIGGERS.values()}
    return words


CLINICAL = _clinical_by_label()
PLACES = {place.label: place for place in vocab.every_place()}
BOTH_LEGS = " (both legs)"


def clinical_words(label: str) -> str:
    """A label `detectors.matched` returns, in the clinician's words ('Leg or legs weak (both legs)' →
    'leg weakness (both legs)')."""
    if label.endswith(BOTH_LEGS):
        return clinical_words(label.removesuffix(BOTH_LEGS)) + BOTH_LEGS
    return CLINICAL.get(label, label[:1].lower() + label[1:])


def fired_on_words(matched: Sequence[str]) -> str:
    """What made the sign fire, in the clinician's words; places marked on both sides said once."""
    places = [PLACES[label] for label in matched if label in PLACES]
    words = [clinical_words(label) for label in matched if label not in PLACES]
    if places:
        words.append(phrases.places_words(places) + " marked")
    return ", ".join(dict.fromkeys(words))


def ticked_words(symptoms: Iterable[str]) -> str:
    """Every symptom ticked, alarm questions first, as 'Can't pee, or can't empty the bladder (urinary retention)'."""
    codes = set(symptoms)
    return "; ".join(term.clinical_label for code, term in vocab.SYMPTOMS.items() if code in codes)


def screen_words(sign: signs.Sign, facts: EpisodeFacts, saved: Saved | None, emergency_number: str) -> str:
    """The warning screen the save showed for this sign, by triage's late-entry rule judged from the last save.

    Every way an entry is saved (the log form, the API, the phone's offline queue) shows it; an imported file does
    not. Of an entry last changed by a file, which screen an earlier save showed, if any, is not known: it says
    where the entry came from instead.
    """
    if saved is None:
        return ""
    if saved.saved_from_file:
        how = "came in" if saved.logged_from_file else "last changed by"
        return f"{how} an imported file {phrases.moment_words(_local(saved.updated, facts))}"
    told = advise(sign, emergency_number, [(facts.start, saved.updated)])
    if told.call:
        return f"the app showed its emergency screen (call {emergency_number} now) on saving"
    if told.late_entry:
        return "the app showed its urgent screen (see a doctor today) on saving, as it was entered over 24 h later"
    return "the app showed its urgent screen (see a doctor today) on saving"


def _local(moment: dt.datetime, facts: EpisodeFacts) -> dt.datetime:
    return moment.astimezone(facts.start.tzinfo)


def logged_words(facts: EpisodeFacts, saved: Saved | None) -> str:
    """When it was logged, if more than an hour after it began; nothing for an entry an imported file created (when
    the patient logged it is not known: the file's time would read as a late entry)."""
    if saved is None or saved.logged_from_file or elapsed(facts.start, saved.created) <= LATE:
        return ""
    late_by = phrases.minutes_words(int(elapsed(facts.start, saved.created).total_seconds() // 60))
    return f"logged {phrases.moment_words(_local(saved.created, facts))}, {late_by} after it began"


def duration_words(facts: EpisodeFacts, now: dt.datetime) -> str:
    if facts.duration_unknown:
        return "duration not known"
    if facts.duration_minutes is None:
        return phrases.still_going_words(facts.start, now)
    return phrases.minutes_words(facts.duration_minutes)


def red_flag_line(
    sign: signs.Sign,
    facts: EpisodeFacts,
    matched: Sequence[str],
    *,
    saved: Saved | None,
    now: dt.datetime,
    emergency_number: str,
) -> RedFlagLine:
    return RedFlagLine(
        facts=facts,
        when=phrases.moment_words(facts.start),
        where=phrases.where_words(facts.places),
        duration=duration_words(facts, now),
        severity=vocab.severity_label(facts.severity),
        fired_on=fired_on_words(matched),
        ticked=ticked_words(facts.symptoms),
        logged=logged_words(facts, saved),
        screen=screen_words(sign, facts, saved, emergency_number) if sign.per_episode else "",
    )


def red_flags(
    in_period: Sequence[EpisodeFacts],
    flags: Sequence[Flag],
    evidence: Mapping[str, EpisodeFacts],
    saved: Mapping[str, Saved],
    *,
    now: dt.datetime,
    emergency_number: str,
    carried: Sequence[EpisodeFacts] = (),
) -> list[ReportFlag]:
    """Emergency and urgent signs, most serious first: each episode in the period that matches one, and any live
    urgent pattern flag (numbness climbing both legs) with the episodes behind it. `carried`: episodes that began
    before the period and were still numb in it (`content.carried_into`): a sign of theirs is a red flag of the
    period too, its line saying that it began before."""
    by_code = {f.code: f for f in flags}
    hits: dict[str, list[RedFlagLine]] = {}
    for e, before in [*((e, BEGAN_BEFORE) for e in carried), *((e, "") for e in in_period)]:
        for sign, found in detectors.instant_signs(e):
            line = red_flag_line(sign, e, found, saved=saved.get(e.id), now=now, emergency_number=emergency_number)
            hits.setdefault(sign.code, []).append(replace(line, before=before))

    def told(sign: signs.Sign, lines: Sequence[RedFlagLine], detail: dict[str, Any] | None = None) -> Advice:
        times = [(line.facts.start, saved[line.facts.id].updated) for line in lines if line.facts.id in saved]
        return advise(sign, emergency_number, times, detail)

    result = [
        ReportFlag(sign, by_code.get(code), lines, advice=told(sign, lines))
        for code, lines in hits.items()
        for sign in [signs.CATALOGUE[code]]
    ]
    for f in flags:
        if f.level != signs.SEE_DOCTOR and not f.sign.per_episode:
            lines = [
                red_flag_line(f.sign, e, [], saved=saved.get(e.id), now=now, emergency_number=emergency_number)
                for e in _behind(f, evidence)
            ]
            result.append(ReportFlag(f.sign, f, lines, advice=told(f.sign, lines, f.detail)))
    return sorted(
        result,
        key=lambda r: (signs.LEVEL_ORDER[r.level], r.lines[0].facts.start.timestamp() if r.lines else 0.0, r.code),
    )


def patterns(flags: Sequence[Flag], evidence: Mapping[str, EpisodeFacts]) -> list[ReportFlag]:
    """The pattern flags, each with the episodes behind it (those that still exist)."""
    return [ReportFlag(f.sign, f, behind=_behind(f, evidence)) for f in flags if f.level == signs.SEE_DOCTOR]


def _behind(flag: Flag, evidence: Mapping[str, EpisodeFacts]) -> list[EpisodeFacts]:
    """The episodes behind a flag that still exist, in the order they began."""
    return sorted((evidence[i] for i in flag.evidence if i in evidence), key=lambda e: e.instant)


def marks(red: Sequence[ReportFlag]) -> dict[str, str]:
    """Episode id → the most serious red-flag level behind which it stands, for the episode table."""
    found: dict[str, str] = {}
    for item in red:
        for line in item.lines:
            known = found.get(line.facts.id)
            if known is None or signs.LEVEL_ORDER[item.level] < signs.LEVEL_ORDER[known]:
                found[line.facts.id] = item.level
    return found
