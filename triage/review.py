"""The review: load a patient's recent episodes, run the detectors, reconcile their Flags.

Corrections (DESIGN §5): a flag whose every episode was deleted or edited so it no longer matches
is withdrawn; evidence never names a deleted episode; a backdated review changes nothing.

`review_patient` is idempotent (a second run with the same data changes nothing) and safe
when two workers review one patient at once: the patient's row is locked for the review, and
the database allows one live flag per (patient, code).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from diary.facts import EpisodeFacts, Span, load_facts_of_many, load_named_facts
from diary.models import CheckIn, Episode
from diary.services import profile_of
from triage import detectors, notify, signs
from triage.models import ACKNOWLEDGED, ACTIVE, CLEARED, OPEN, RESOLVED, WITHDRAWN, Flag, PatientReview

log = logging.getLogger(__name__)


@dataclass
class Change:
    code: str
    action: str  # opened, reopened, updated, unchanged, resolved, withdrawn, pruned (history only)
    flag: Flag


@dataclass
class ReviewResult:
    patient_id: int
    as_of: dt.date
    findings: list[detectors.Finding]
    changes: list[Change] = field(default_factory=list)
    backdated: bool = False  # earlier than the patient's last review: computed, nothing changed

    @property
    def flags(self) -> list[Flag]:
        """The patient's live flags after the review, and the ones this review resolved or withdrew."""
        return [c.flag for c in self.changes if c.action != "pruned"]

    def count(self, action: str) -> int:
        return sum(c.action == action for c in self.changes)


def _recount(flag: Flag, supporting: list[EpisodeFacts]) -> detectors.Finding | None:
    """The flag's sign found again on `supporting`, the episodes it rests on as they are now, wherever the window
    is: a per-episode sign on those that match it; numbness climbing both legs (the one urgent sign found over
    several episodes) where two of them still climb. None when they no longer make it."""
    if flag.sign.per_episode:
        return detectors.detect_instant(flag.sign, supporting)
    return detectors.detect_ascending(supporting)


def _supporting(flag: Flag, evidence: dict[str, EpisodeFacts]) -> list[EpisodeFacts]:
    """The flag's evidence episodes that still exist and, for an emergency or urgent sign, still make it: an episode
    edited so that it no longer matches, or no longer climbs above the other, is not evidence any more."""
    kept = [evidence[i] for i in flag.evidence if i in evidence]
    if flag.sign.instant:
        found = _recount(flag, kept)
        kept = [e for e in kept if found and e.id in found.evidence]
    return kept


def _read_again(flag: Flag, now: dt.datetime) -> bool:
    """An emergency or urgent flag opened again by an entry that was then deleted or corrected away, now resting only
    on episodes the patient had read, is read again: it opened again for that entry alone. True when it was."""
    if flag.status != OPEN or not flag.sign.instant or not flag.read_evidence:
        return False
    if not set(flag.evidence) <= set(flag.read_evidence):
        return False
    flag.status, flag.acknowledged_at = ACKNOWLEDGED, flag.acknowledged_at or now
    return True


def _held(
    flag: Flag, ids: list[str], detail: dict[str, Any], evidence: dict[str, EpisodeFacts]
) -> tuple[list[str], dict[str, Any]]:
    """An unread emergency or urgent sign matched on single episodes, found again, keeps the episodes it rested on
    that still match, those the window has left too (unread, it stays open on them): else a new one, corrected away,
    would withdraw it. Its evidence and numbers are then counted over both; as found where it keeps nothing more.
    Numbness climbing both legs is as found: its words say "in the last 7 days", of one climb within W."""
    if not flag.sign.per_episode:
        return ids, detail
    held = [e for e in _supporting(flag, evidence) if e.id not in ids]
    if not held or any(i not in evidence for i in ids):
        return ids, detail
    recount = _recount(flag, held + [evidence[i] for i in ids])
    return (list(recount.evidence), recount.detail) if recount else (ids, detail)


def plan(
    active: dict[str, Flag],
    findings: list[detectors.Finding],
    patient_id: int,
    as_of: dt.date,
    now: dt.datetime,
    evidence: dict[str, EpisodeFacts] | None = None,
) -> list[Change]:
    """What the review does to each live flag, without writing: the same plan serves --dry-run.

    `evidence` holds the facts of every episode that live flags name and that still exists, and of those the
    findings name (None: assume they all exist and still match, as before corrections were tracked).
    """
    changes = []
    for finding in findings:
        ids, detail = list(finding.evidence), finding.detail
        flag = active.get(finding.code)
        if flag is None:
            flag = Flag(
                patient_id=patient_id,
                code=finding.code,
                level=finding.sign.level,
                status=OPEN,
                first_seen=as_of,
                last_seen=as_of,
                evidence=ids,
                detail=detail,
            )
            changes.append(Change(finding.code, "opened", flag))
            continue
        if flag.status == OPEN and finding.sign.instant and evidence is not None:
            ids, detail = _held(flag, ids, detail, evidence)
        action = "unchanged"
        if (flag.evidence, flag.detail) != (ids, detail) or flag.last_seen < as_of:
            action = "updated"
        # An acknowledged emergency or urgent flag opens again when a new or edited episode matches it. What the
        # patient read stays read only while it still matches: an episode corrected away and then made to match
        # again (another sign ticked) is new to them.
        if flag.status == ACKNOWLEDGED and finding.sign.instant:
            flag.read_evidence = [i for i in flag.read_evidence if i in flag.evidence]
            if set(ids) - set(flag.evidence):
                action = "reopened"
                flag.status, flag.acknowledged_at, flag.notified_at = OPEN, None, None
        flag.evidence, flag.detail, flag.last_seen = ids, detail, max(flag.last_seen, as_of)
        if action != "reopened" and _read_again(flag, now):
            action = "updated"
        changes.append(Change(finding.code, action, flag))
    found = {f.code for f in findings}
    for code, flag in active.items():
        if code in found:
            continue
        supporting = None if evidence is None else _supporting(flag, evidence)
        if flag.evidence and supporting == []:
            # Every episode it rested on was deleted or corrected: the flag was a mistake.
            flag.status, flag.resolution, flag.resolved_at = RESOLVED, WITHDRAWN, now
            flag.evidence = [i for i in flag.evidence if evidence is not None and i in evidence]
            changes.append(Change(code, "withdrawn", flag))
        elif flag.sign.instant and flag.status == OPEN:
            action = "unchanged"  # stays open until the patient has read it
            if supporting is not None and [e.id for e in supporting] != flag.evidence:
                # Some of its episodes were deleted or corrected: keep the rest, recount.
                recount = _recount(flag, supporting)
                flag.evidence = [e.id for e in supporting]
                flag.detail = recount.detail if recount else flag.detail
                action = "updated"
                _read_again(flag, now)
            changes.append(Change(code, action, flag))
        else:
            flag.status, flag.resolution, flag.resolved_at = RESOLVED, CLEARED, now
            if evidence is not None:
                flag.evidence = [i for i in flag.evidence if i in evidence]
            changes.append(Change(code, "resolved", flag))
    return changes


def prune_history(history: list[Flag], existing: set[str]) -> list[Change]:
    """Resolved flags never name a deleted episode; one that named only deleted episodes is withdrawn."""
    changes = []
    for flag in history:
        kept = [i for i in flag.evidence if i in existing]
        if kept == flag.evidence:
            continue
        if not kept:
            flag.resolution = WITHDRAWN
        flag.evidence = kept
        changes.append(Change(flag.code, "pruned", flag))
    return changes


def review_patient(patient_id: int, as_of: dt.date | None = None, *, dry_run: bool = False) -> ReviewResult:
    """Review one patient as of a local date (default: their today) and reconcile their flags.

    A review as of a date earlier than the patient's last review computes what it would do but
    changes nothing and sends nothing, like a dry run: it cannot resolve or reopen today's flags.
    """
    results = review_patients([patient_id], as_of, dry_run=dry_run)
    if not results:
        raise get_user_model().DoesNotExist(f"No patient {patient_id}.")
    return results[0]


def review_patients(
    patient_ids: Collection[int], as_of: dt.date | None = None, *, dry_run: bool = False
) -> list[ReviewResult]:
    """Review several patients in one transaction, each as `review_patient` would, in a fixed number of queries.

    Four steps: load (patients with profiles, their last reviews, episodes, flags, the episodes flags name:
    seven queries for any number of patients), plan (the detectors and `plan`, no writing), write (only the
    flags that change, and every patient's review mark in one statement) and notify (after commit). The
    nightly review sends patients in batches. Patients who no longer exist are skipped.
    """
    now = timezone.now()
    with transaction.atomic():
        loaded = _load(patient_ids, as_of, now)
        results = [_plan_one(loaded, patient, now) for patient in loaded.patients]
        if dry_run:
            transaction.set_rollback(True)
            return results
        written = [r for r in results if not r.backdated]
        _write(written, now)
        _notify(written)
    return results


@dataclass
class _Loaded:
    """What a batch review reads, per patient id."""

    patients: list[User]
    last_dates: dict[int, dt.date]
    zones: dict[int, dt.tzinfo]
    dates: dict[int, dt.date]
    recent: dict[int, list[EpisodeFacts]]
    live: dict[int, dict[str, Flag]]
    history: dict[int, list[Flag]]
    evidence: dict[int, dict[str, EpisodeFacts]]


def _load(patient_ids: Collection[int], as_of: dt.date | None, now: dt.datetime) -> _Loaded:
    # Lock the patients' rows, in id order: a second worker reviewing one of them waits for this one. FOR NO KEY
    # UPDATE: a save, whose inserts take a KEY SHARE lock on the patient's row, does not wait for a review.
    patients = list(
        get_user_model()
        .objects.select_for_update(of=("self",), no_key=True)
        .select_related("profile")
        .filter(pk__in=list(patient_ids))
        .order_by("pk")
    )
    # Read after the lock, in a statement of its own: a review that waited for another one sees its date.
    last_dates = dict(
        PatientReview.objects.filter(patient_id__in=[p.pk for p in patients]).values_list("patient_id", "as_of")
    )
    zones: dict[int, dt.tzinfo] = {p.pk: profile_of(p).zone for p in patients}
    dates = {p.pk: as_of or profile_of(p).clock.local(now).date() for p in patients}
    windows = {pid: detectors.Windows.ending(day) for pid, day in dates.items()}
    recent = load_facts_of_many({pid: Span(zones[pid], w.earliest, dates[pid]) for pid, w in windows.items()})
    flags: dict[int, list[Flag]] = {p.pk: [] for p in patients}
    for flag in Flag.objects.filter(patient_id__in=list(flags)):
        flags[flag.patient_id].append(flag)
    live = {pid: {f.code: f for f in held if f.status in ACTIVE} for pid, held in flags.items()}
    history = {
        pid: [f for f in held if f.status == RESOLVED and f.evidence and not f.withdrawn] for pid, held in flags.items()
    }
    named = {pid: {i for f in [*live[pid].values(), *history[pid]] for i in f.evidence} for pid in flags}
    return _Loaded(patients, last_dates, zones, dates, recent, live, history, load_named_facts(named, zones))


def _plan_one(loaded: _Loaded, patient: User, now: dt.datetime) -> ReviewResult:
    pid, day = patient.pk, loaded.dates[patient.pk]
    last = loaded.last_dates.get(pid)
    moment = detectors.review_moment(day, loaded.zones[pid], now)
    findings = detectors.review(loaded.recent[pid], day, profile_of(patient).conditions, moment)
    named = loaded.evidence[pid] | {e.id: e for e in loaded.recent[pid]}  # and what the findings name
    changes = plan(loaded.live[pid], findings, pid, day, now, named)
    changes += prune_history(loaded.history[pid], set(loaded.evidence[pid]))
    return ReviewResult(pid, day, findings, changes, backdated=last is not None and day < last)


def _write(results: list[ReviewResult], now: dt.datetime) -> None:
    for result in results:
        for change in result.changes:
            if change.action != "unchanged":
                save_change(change)
    PatientReview.objects.bulk_create(
        [PatientReview(patient_id=r.patient_id, reviewed_at=now, as_of=r.as_of) for r in results],
        update_conflicts=True,
        unique_fields=["patient"],
        update_fields=["reviewed_at", "as_of"],
    )


def _notify(results: list[ReviewResult]) -> None:
    """New and reopened flags, and any open flag whose message could not be sent before: told after commit."""
    to_notify = [
        c.flag.id
        for r in results
        for c in r.changes
        if c.action in ("opened", "reopened") or (c.flag.status == OPEN and c.flag.notified_at is None)
    ]
    if to_notify:
        transaction.on_commit(lambda: notify.new_flags(to_notify), robust=True)


def save_change(change: Change) -> None:
    """Write one planned change; a flag another review or save opened first is updated instead of doubled."""
    try:
        with transaction.atomic():
            change.flag.save()
    except IntegrityError:
        # Another review opened the same flag first (only possible where row locks are not
        # enforced, e.g. SQLite): keep theirs and update it instead of adding a second.
        theirs = Flag.objects.get(patient_id=change.flag.patient_id, code=change.code, status__in=ACTIVE)
        theirs.evidence, theirs.detail = change.flag.evidence, change.flag.detail
        theirs.last_seen = max(theirs.last_seen, change.flag.last_seen)
        theirs.save(update_fields=["evidence", "detail", "last_seen"])
        change.flag, change.action = theirs, "updated"


def patients_due(now: dt.datetime | None = None) -> list[int]:
    """Who the nightly review should visit: live flags, recent episodes, or changes since their last review.

    One query (a UNION), each part served by an index, so its cost grows with activity, not with the
    number of accounts or the length of their diaries (`python -m bench scale` prints the plans):
    live flags by the partial unique index on live flags; recent episodes by (started_at, patient);
    changes by (updated_at, patient). Only changes inside the review window are looked at: a row
    written earlier than that cannot hold an episode or a date the review reads (nothing starts after
    it is written), and a flag it could have raised is live and selected anyway.
    """
    now = now or timezone.now()
    window_start = now - dt.timedelta(days=signs.RECENT_DAYS + signs.BASELINE_DAYS + 1)
    never_or_since = Q(patient__review_state__isnull=True) | Q(updated_at__gt=F("patient__review_state__reviewed_at"))
    changed = Q(updated_at__gte=window_start) & never_or_since
    querysets = [
        Flag.objects.filter(status__in=ACTIVE),
        Episode.objects.filter(started_at__gte=window_start),
        Episode.objects.filter(changed),
        CheckIn.objects.filter(changed),
    ]
    first, *rest = (qs.order_by().values_list("patient_id", flat=True) for qs in querysets)
    return sorted(first.union(*rest))
