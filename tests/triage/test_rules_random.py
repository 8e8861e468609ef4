"""The engine against an independent reading of the rule table (tests/triage/oracle.py), on random diaries.

Each seed makes one diary biased towards the table's edges: entries on the dates where the windows R, B, M and W
begin and end, starts at 21:59/22:00 and 05:59/06:00 local, durations of 14–16 and 29–31 minutes, ongoing ones
that reached 15 or 30 minutes exactly at the review moment, both legs or one, levels one or two apart, walking
eased by rest, one-sided back pain, the conditions, now and then an alarm symptom; in zones whose clocks change,
reviewed on and around the change (at 01:00, at midnight, by half an hour). Three layers:

- the detectors on the diary's facts, for many seeds (fast, no database), a third of them reviewed after D;
- the whole path for fewer: each entry saved through `diary.services.save_episode` with the clock held at the
  review moment (the patient's today is D, so the flags a save opens follow the review's own window), then
  `review_patient(pk, D)`: the open flags must be exactly the signs the oracle finds (and, for half as many
  reviewed a few days after D, the findings);
- the flags' lifecycle: reviews over the following weeks, new entries, some flags read.

TRIAGE_RANDOM_PURE_SEEDS (3000), TRIAGE_RANDOM_SEEDS (80) and TRIAGE_RANDOM_LIFE_SEEDS (30) set how many diaries
each layer checks.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
import uuid
import zoneinfo
from dataclasses import dataclass, field, replace

import pytest
from django.contrib.auth.models import User
from time_machine import TimeMachineFixture

from diary import services, vocab
from diary.facts import EpisodeFacts
from tests.conftest import make_patient
from tests.triage import oracle
from tests.triage.oracle import Ep
from triage import detectors
from triage.models import ACKNOWLEDGED, OPEN, Flag
from triage.review import review_patient
from triage.services import acknowledge

DB_SEEDS = range(int(os.environ.get("TRIAGE_RANDOM_SEEDS", "80")))
PURE_SEEDS = range(int(os.environ.get("TRIAGE_RANDOM_PURE_SEEDS", "3000")))

# Zones whose clocks change: at 01:00/02:00 (London, Chicago), at 02:00/03:00 (Sydney), at midnight (Havana skips
# 00:00–01:00 and repeats it; Santiago repeats 23:00–24:00 and skips 00:00–01:00), by half an hour (Lord Howe).
ZONES = (
    "Europe/London",
    "America/Chicago",
    "Australia/Sydney",
    "America/Havana",
    "America/Santiago",
    "Australia/Lord_Howe",
)


def changes_of(zone: zoneinfo.ZoneInfo, year: int = 2026) -> list[dt.date]:
    """The local dates in `year` on which the clocks change (the offset at its midnight differs from the next one's)."""
    midnights = [dt.datetime.combine(dt.date(year, 1, 1) + dt.timedelta(days=n), dt.time(), zone) for n in range(366)]
    return [a.date() for a, b in zip(midnights, midnights[1:], strict=False) if a.utcoffset() != b.utcoffset()]


# Days before D where a window begins or ends: W D-6, R D-13, M D-27, B D-41 (and the day beyond each).
EDGES = (0, 1, 6, 7, 13, 14, 27, 28, 41, 42)
TIMES = ("00:00", "21:59", "22:00", "05:59", "06:00", "00:30", "01:30", "02:30", "23:59", "12:00")
DURATIONS = (14, 15, 16, 29, 30, 31, 9, 10, 11, 5, 20, 60)
ONGOING_FOR = (14, 15, 16, 29, 30, 31)  # minutes before the review moment that an ongoing episode started
SIDES = (("left",), ("right",), ("left", "right"))
REGIONS = tuple(vocab.REGIONS)
REGIONS_AT = {term.level: code for code, term in reversed(vocab.REGIONS.items())}  # a region of each level
CONDITIONS = ("diabetes", "multiple_sclerosis", "pregnancy", "back_problems")
ALARMS = (
    "speech_difficulty",
    "arm_weakness",
    "paralysis",
    "loss_of_coordination",
    "bladder_bowel_control",
    "urinary_retention",
    "saddle_numbness",
    "leg_weakness",
    "difficulty_walking",
    "leg_pale_cold",
    "leg_swollen",
    "sudden_severe_pain",
    "shortness_of_breath",
    "chest_pain",
    "fainting",
)


@dataclass(frozen=True)
class Diary:
    zone: zoneinfo.ZoneInfo
    on: dt.date  # D
    now: dt.datetime  # during D (the patient's today), or a day or more later
    moment: dt.datetime  # the review moment: now, or the end of D when that has passed
    conditions: tuple[str, ...]
    episodes: tuple[Ep, ...]

    def expected(self) -> set[str]:
        return oracle.signs(self.episodes, self.conditions, self.zone, self.on, self.moment)


def _real(day: dt.date, at: str, zone: zoneinfo.ZoneInfo, fold: int) -> dt.datetime:
    """A local time made a real instant (a time the clocks skipped moves by the change), in the zone."""
    wall = dt.datetime.combine(day, dt.time.fromisoformat(at), tzinfo=zone).replace(fold=fold)
    return wall.astimezone(dt.UTC).astimezone(zone)


def _some(rng: random.Random, codes: tuple[str, ...], p: float) -> frozenset[str]:
    return frozenset(code for code in codes if rng.random() < p)


def _turn(zone: zoneinfo.ZoneInfo, day: dt.date) -> dt.datetime:
    """The instant the clocks change on that local date, to the minute (in UTC)."""
    moment = dt.datetime.combine(day, dt.time(), zone).astimezone(dt.UTC) - dt.timedelta(hours=2)
    offset = moment.astimezone(zone).utcoffset()
    while moment.astimezone(zone).utcoffset() == offset:
        moment += dt.timedelta(minutes=15)
    return moment


def _plus(moment: dt.datetime, minutes: int, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """Really `minutes` after `moment` (before, if negative), in the zone."""
    return (moment.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)).astimezone(zone)


def _episode(
    rng: random.Random, start: dt.datetime, minutes: int | None, severity: int, sides: tuple[str, ...] | None = None
) -> Ep:
    """An entry starting then: where, what was felt, what brought it on and what eased it, drawn near the rules."""
    sides = sides or rng.choice(SIDES)
    top = rng.randrange(len(REGIONS))
    regions = {REGIONS[top]} | ({REGIONS[rng.randrange(top + 1)]} if rng.random() < 0.3 else set())
    if "saddle" in regions and rng.random() < 0.8:  # alarming by itself: keep it rare
        regions = {"buttock"}
    locations = frozenset((side, region) for side in sides for region in regions)
    if len(sides) == 2 and rng.random() < 0.3:  # both legs, at different heights
        locations = frozenset({("left", REGIONS[top]), ("right", REGIONS[rng.randrange(top + 1)])})
    symptoms = _some(rng, ("back_pain", "sleep_disrupted", "cramps"), 0.25)
    if rng.random() < 0.12:
        symptoms |= {rng.choice(ALARMS)}
    triggers = _some(rng, ("sitting", "crossed_legs", "lying", "sleep", "walking", "standing"), 0.2)
    if rng.random() < 0.03:
        triggers |= {"injury"}
    relieved_by = _some(rng, ("changed_position", "walking_around", "rest", "by_itself"), 0.3)
    if rng.random() < 0.15:
        triggers, relieved_by = triggers | {"walking"}, relieved_by | {"rest"}
    return Ep(
        start=start,
        minutes=minutes,
        severity=severity,
        locations=locations,
        sensations=frozenset({"numbness"}) | _some(rng, ("cold", "pain", "tingling"), 0.15),
        triggers=triggers,
        symptoms=symptoms,
        relieved_by=relieved_by,
    )


def _escalating(rng: random.Random, on: dt.date, zone: zoneinfo.ZoneInfo) -> list[Ep]:
    """Fewer entries in R than in B (so the rate alone does not fire), with R's mean severity and median duration
    on or one off the thresholds: + 2 and 2× (and 10 minutes)."""
    recent = rng.randrange(4, 8)
    baseline = recent + rng.choice((-1, 1, 1, 2))
    severity, rise, minutes = rng.randrange(7), rng.choice((1, 2, 2, 3)), rng.choice((4, 5, 6))
    b = [(rng.randrange(14, 42), severity, minutes) for _ in range(baseline)]
    r = [(rng.randrange(0, 14), severity + rise, 2 * minutes - rng.choice((0, 0, 1))) for _ in range(recent)]
    return [
        _episode(rng, _real(on - dt.timedelta(days=back), rng.choice(TIMES[:5]), zone, 0), length, level)
        for back, level, length in b + r
    ]


def _climbing_as_the_clocks_go_back(rng: random.Random, turn: dt.datetime, zone: zoneinfo.ZoneInfo) -> list[Ep]:
    """Two entries in both legs either side of a change of the clocks, the second two levels higher: when the
    clocks go back, the second starts later but reads earlier on the wall clock."""
    before, after = _plus(turn, -rng.randrange(1, 30), zone), _plus(turn, rng.randrange(0, 30), zone)
    low, high = rng.choice(((1, 3), (2, 4), (4, 6), (5, 7), (3, 4)))
    both = ("left", "right")
    return [
        replace(_episode(rng, before, 5, 3, both), locations=frozenset({(side, REGIONS_AT[low]) for side in both})),
        replace(_episode(rng, after, 5, 3, both), locations=frozenset({(side, REGIONS_AT[high]) for side in both})),
    ]


@functools.cache
def make_diary(seed: int, *, today: bool = True) -> Diary:
    """The diary of a seed, reviewed on the patient's today or (`today=False`) one to three days after D."""
    rng = random.Random(seed)
    zone = zoneinfo.ZoneInfo(rng.choice(ZONES))
    change = rng.choice(changes_of(zone))
    turn = _turn(zone, change)
    on = change + dt.timedelta(days=rng.choice((-1, 0, 0, 0, 1, *EDGES, 20, 35, 40)))
    now = _real(on, rng.choice(("23:59", "23:30", "12:00", "06:00", "03:10", "00:40")), zone, 0)
    after_turn = _plus(turn, rng.choice((1, 5, 14, 15, 16, 29, 30, 31, 45, 70)), zone)
    if after_turn.date() == on and rng.random() < 0.6:  # just after the clocks changed
        now = after_turn
    assert now.date() == on
    moment = now
    if not today:  # entries may come after D; the review reads up to the end of D
        now = _real(on + dt.timedelta(days=rng.randrange(1, 4)), rng.choice(("00:20", "09:00", "23:50")), zone, 0)
        moment = oracle.end_of_day(on, zone)
    episodes = _escalating(rng, on, zone) if rng.random() < 0.15 else []
    if on - dt.timedelta(days=6) <= change <= on and _plus(turn, 30, zone) < now and rng.random() < 0.3:
        episodes += _climbing_as_the_clocks_go_back(rng, turn, zone)
    for _ in range(rng.choice((0, 2, 4, 6, 8, 10, 12, 16) if not episodes else (0, 0, 2, 4))):
        back = rng.choice(EDGES) if rng.random() < 0.5 else rng.randrange(0, 43)
        if rng.random() < 0.3:  # clustered in the last 6 weeks, often in R
            back = rng.randrange(0, 14)
        at = rng.choice(TIMES) if rng.random() < 0.6 else f"{rng.randrange(24):02d}:{rng.randrange(60):02d}"
        start = _real(on - dt.timedelta(days=back), at, zone, rng.randrange(2))
        if rng.random() < 0.15:  # around the change of the clocks, whose wall clock may run back
            start = _plus(turn, rng.randrange(-100, 100), zone)
        minutes: int | None = rng.choice(DURATIONS) if rng.random() < 0.7 else rng.randrange(0, 45)
        if rng.random() < (0.3 if now == after_turn else 0.1):
            minutes = None
            if rng.random() < 0.7:
                start = _plus(moment, -rng.choice(ONGOING_FOR), zone)
        if rng.random() < 0.1 and not today:  # after D, before now
            start = _plus(moment, rng.randrange(0, 1440), zone)
        sides = ("left", "right") if rng.random() < 0.2 else None  # both legs more often: ascending, bilateral
        episodes.append(_episode(rng, start, minutes, rng.randrange(11), sides))
    # Nothing starts after now (a start in the future is refused).
    episodes = [
        ep if ep.start < now else replace(ep, start=_plus(now, -rng.randrange(1, 600), zone)) for ep in episodes
    ]
    conditions = tuple(c for c in CONDITIONS if rng.random() < 0.12)
    return Diary(zone, on, now, moment, conditions, tuple(episodes))


def facts(diary: Diary) -> list[EpisodeFacts]:
    return [
        EpisodeFacts(
            id=f"{n:04d}",
            start=ep.start.astimezone(diary.zone),
            duration_minutes=ep.minutes,
            severity=ep.severity,
            locations=ep.locations,
            sensations=ep.sensations,
            triggers=ep.triggers,
            symptoms=ep.symptoms,
            relieved_by=ep.relieved_by,
        )
        for n, ep in enumerate(diary.episodes)
    ]


def test_the_detectors_agree_with_the_table_on_random_diaries() -> None:
    wrong = []
    for seed in PURE_SEEDS:
        diary = make_diary(seed, today=seed % 3 > 0)
        moment = detectors.review_moment(diary.on, diary.zone, diary.now)  # as review_patient takes it
        found = {f.code for f in detectors.review(facts(diary), diary.on, diary.conditions, moment)}
        if found != diary.expected():
            wrong.append((seed, sorted(found - diary.expected()), sorted(diary.expected() - found)))
    assert not wrong[:5], f"{len(wrong)} diaries disagree (seed, engine only, table only)"


def test_the_diaries_reach_every_sign() -> None:
    """The generator is worth something only if it reaches each row of the table, and leaves it unfired too."""
    fired: dict[str, int] = {}
    for seed in PURE_SEEDS:
        for code in make_diary(seed).expected():
            fired[code] = fired.get(code, 0) + 1
    assert set(fired) == set(oracle.INSTANT) | set(oracle.PATTERNS)
    assert all(n < len(PURE_SEEDS) for n in fired.values())


def _save_one(patient: User, ep: Ep, episode_id: uuid.UUID | None = None) -> None:
    """An entry saved the way every writer saves one, now (`episode_id`: an edit of that one)."""
    services.save_episode(
        patient=patient,
        episode_id=episode_id or uuid.uuid4(),
        started_at=ep.start,
        duration_minutes=ep.minutes,
        severity=ep.severity,
        locations=sorted(ep.locations),
        sensations=sorted(ep.sensations),
        triggers=sorted(ep.triggers),
        symptoms=sorted(ep.symptoms),
        relieved_by=sorted(ep.relieved_by),
    )


def _save(diary: Diary, seed: int) -> User:
    """A patient with the diary's zone and conditions, its entries saved now."""
    patient = make_patient(f"r{seed}", tz=diary.zone.key, conditions=list(diary.conditions))
    for ep in diary.episodes:
        _save_one(patient, ep)
    return patient


@pytest.mark.django_db
@pytest.mark.parametrize("seed", DB_SEEDS)
def test_saved_and_reviewed_diaries_raise_exactly_the_tables_flags(seed: int, time_machine: TimeMachineFixture) -> None:
    diary = make_diary(seed)
    time_machine.move_to(diary.now, tick=False)
    patient = _save(diary, seed)
    assert services.clock_of(patient).today() == diary.on
    result = review_patient(patient.pk, diary.on)
    assert {f.code for f in result.findings} == diary.expected()
    assert set(Flag.objects.filter(patient=patient, status=OPEN).values_list("code", flat=True)) == diary.expected()


@pytest.mark.django_db
@pytest.mark.parametrize("seed", DB_SEEDS[: len(DB_SEEDS) // 2])
def test_a_review_as_of_an_earlier_day_finds_the_tables_signs(seed: int, time_machine: TimeMachineFixture) -> None:
    """D one to three days back: ongoing entries last until the end of D, and entries after D are not read. (The
    flags are not compared: the saves opened theirs as of the patient's today.)"""
    diary = make_diary(seed, today=False)
    time_machine.move_to(diary.now, tick=False)
    patient = _save(diary, seed)
    assert services.clock_of(patient).today() > diary.on
    assert {f.code for f in review_patient(patient.pk, diary.on, dry_run=True).findings} == diary.expected()


LIFE_SEEDS = range(int(os.environ.get("TRIAGE_RANDOM_LIFE_SEEDS", "30")))
URGENT = {*oracle.INSTANT, "urgent.ascending"}  # stay open until read; read, they resolve when nothing matches


@dataclass
class Live:
    """A live flag as the table has it: the entries it rests on (emergency and urgent signs), and those it rested on
    when the patient read it (None: unread)."""

    behind: set[uuid.UUID] = field(default_factory=set)
    read: set[uuid.UUID] | None = None

    @property
    def status(self) -> str:
        """Read, unless it rests on an entry the patient had not read behind it: a new one, or one edited so that it
        matches now. (DESIGN: it opens again "when a new or edited episode matches it"; an edit of an entry it
        already rested on, which still matches, is read as not opening it again, as the engine does: see the
        report. An entry corrected away no longer counts: the flag is read again; made to match again, it is new.)"""
        return ACKNOWLEDGED if self.read is not None and self.behind <= self.read else OPEN


@pytest.mark.django_db
@pytest.mark.parametrize("seed", LIFE_SEEDS)
def test_flags_open_stay_reopen_and_resolve_as_the_table_says_over_the_weeks_after(
    seed: int, time_machine: TimeMachineFixture
) -> None:
    """The diary of a seed, then a review every day or few for six weeks: now and then a new entry, one edited or
    deleted, and the patient reading some open flags. DESIGN §5's lifecycle: a sign found opens its flag; an
    emergency or urgent flag stays open until read, and once read resolves when no episode in R matches, and opens
    again when a new or edited episode matches it; a pattern flag resolves when a review no longer finds it; a flag
    whose every episode was deleted, or edited so it no longer matches, is withdrawn (an unread one too)."""
    diary = make_diary(seed)
    rng = random.Random(-seed - 1)
    time_machine.move_to(diary.now, tick=False)
    patient = make_patient(f"r{seed}", tz=diary.zone.key, conditions=list(diary.conditions))
    entries: dict[uuid.UUID, Ep] = {}
    for ep in diary.episodes:
        entries[key := uuid.UUID(int=rng.getrandbits(128), version=4)] = ep
        _save_one(patient, ep, key)
    live: dict[str, Live] = {}
    now, day = diary.now, diary.on
    for step in range(10):
        if step:
            day += dt.timedelta(days=rng.choice((1, 1, 2, 3, 5, 7)))
            now = _real(day, rng.choice(("00:20", "08:00", "22:30", "23:59")), diary.zone, 0)
            time_machine.move_to(now, tick=False)
        for _ in range(rng.choice((0, 0, 1, 2)) if step else 0):
            entries[key := uuid.UUID(int=rng.getrandbits(128), version=4)] = _episode(
                rng, _plus(now, -rng.randrange(1, 120), diary.zone), 5, 5
            )
            _save_one(patient, entries[key], key)
        if entries and rng.random() < 0.3:  # a correction: deleted, or saved again with other answers
            key = rng.choice(sorted(entries))
            if rng.random() < 0.4:
                assert services.delete_episode(patient=patient, episode_id=key)
                del entries[key]
            else:
                old = entries[key]
                entries[key] = replace(_episode(rng, old.start, old.minutes, old.severity), locations=old.locations)
                if rng.random() < 0.5:
                    entries[key] = replace(entries[key], locations=_episode(rng, old.start, 5, 5).locations)
                _save_one(patient, entries[key], key)
        review_patient(patient.pk)
        by_entry = {id(ep): key for key, ep in entries.items()}
        found = oracle.signs(entries.values(), diary.conditions, diary.zone, day, now)
        for code in set(live) - found:
            flag = live[code]
            if code in URGENT:  # the entries it rested on that are still there and still match it
                kept = [entries[k] for k in flag.behind if k in entries]
                flag.behind = {by_entry[id(ep)] for ep in oracle.still_matching(code, kept)}
            if code not in URGENT or flag.status == ACKNOWLEDGED or not flag.behind:
                # resolved: a pattern no longer found, or a read flag nothing in R matches; or withdrawn: every entry
                # it rested on was deleted or corrected (an unread one too)
                del live[code]
        for code in found:
            flag = live.setdefault(code, Live())
            behind = oracle.matching(code, entries.values(), diary.zone, day, now) if code in URGENT else []
            if code in URGENT and flag.status == OPEN and code != "urgent.ascending":
                # Unread, it keeps what it rested on, the window left or not (a sign of single entries: numbness
                # climbing both legs speaks of one climb "in the last 7 days").
                kept = oracle.still_matching(code, [entries[k] for k in flag.behind if k in entries])
                behind = oracle.still_matching(code, {id(ep): ep for ep in [*kept, *behind]}.values())
            if flag.read is not None and flag.status == ACKNOWLEDGED:
                flag.read &= flag.behind  # an entry read, corrected away and made to match again is new to them
            flag.behind = {by_entry[id(ep)] for ep in behind}
        flags = Flag.objects.filter(patient=patient, status__in=(OPEN, ACKNOWLEDGED))
        assert {f.code: f.status for f in flags} == {code: flag.status for code, flag in live.items()}, step
        for f in flags:
            if f.status == OPEN and rng.random() < 0.5:
                assert acknowledge(f)
                live[f.code].read = set(live[f.code].behind)
