"""The review: load a patient's recent episodes, run the detectors, reconcile their Flags.

`review_patient` is idempotent (a second run with the same data changes nothing) and safe
when two workers review one patient at once: the patient's row is locked for the review, and
the database allows one live flag per (patient, code).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from diary.facts import load_facts
from diary.models import CheckIn, Episode
from diary.services import profile_of
from triage import detectors, notify, signs
from triage.models import ACKNOWLEDGED, ACTIVE, OPEN, RESOLVED, Flag, PatientReview

log = logging.getLogger(__name__)


@dataclass
class Change:
    code: str
    action: str  # opened, reopened, updated, unchanged, resolved
    flag: Flag


@dataclass
class ReviewResult:
    patient_id: int
    as_of: dt.date
    findings: list[detectors.Finding]
    changes: list[Change] = field(default_factory=list)

    @property
    def flags(self) -> list[Flag]:
        """The patient's live flags after the review, and the ones this review resolved."""
        return [c.flag for c in self.changes]

    def count(self, action: str) -> int:
        return sum(c.action == action for c in self.changes)


def plan(
    active: dict[str, Flag], findings: list[detectors.Finding], patient_id: int, as_of: dt.date, now: dt.datetime
) -> list[Change]:
    """What the review does to each flag, without writing: the same plan serves --dry-run."""
    changes = []
    for finding in findings:
        evidence, detail = list(finding.evidence), finding.detail
        flag = active.get(finding.code)
        if flag is None:
            flag = Flag(
                patient_id=patient_id,
                code=finding.code,
                level=finding.sign.level,
                status=OPEN,
                first_seen=as_of,
                last_seen=as_of,
                evidence=evidence,
                detail=detail,
            )
            changes.append(Change(finding.code, "opened", flag))
            continue
        action = "unchanged"
        if (flag.evidence, flag.detail) != (evidence, detail) or flag.last_seen < as_of:
            action = "updated"
        # An acknowledged emergency or urgent flag opens again when a new episode matches it.
        if flag.status == ACKNOWLEDGED and finding.sign.instant and set(evidence) - set(flag.evidence):
            action = "reopened"
            flag.status, flag.acknowledged_at, flag.notified_at = OPEN, None, None
        flag.evidence, flag.detail, flag.last_seen = evidence, detail, max(flag.last_seen, as_of)
        changes.append(Change(finding.code, action, flag))
    found = {f.code for f in findings}
    for code, flag in active.items():
        if code in found:
            continue
        if flag.sign.instant and flag.status == OPEN:
            changes.append(Change(code, "unchanged", flag))  # stays open until the patient has read it
        else:
            flag.status, flag.resolved_at = RESOLVED, now
            changes.append(Change(code, "resolved", flag))
    return changes


def review_patient(patient_id: int, as_of: dt.date | None = None, *, dry_run: bool = False) -> ReviewResult:
    """Review one patient as of a local date (default: their today) and reconcile their flags."""
    now = timezone.now()
    with transaction.atomic():
        # Lock the patient's row: a second worker reviewing the same patient waits for this one.
        patient = get_user_model().objects.select_for_update().get(pk=patient_id)
        profile = profile_of(patient)
        zone = profile.zone
        as_of = as_of or timezone.localdate(now, zone)
        windows = detectors.Windows.ending(as_of)
        facts = load_facts(patient, zone, windows.earliest, as_of)
        findings = detectors.review(facts, as_of, profile.conditions)
        active = {f.code: f for f in Flag.objects.filter(patient=patient, status__in=ACTIVE)}
        result = ReviewResult(patient_id, as_of, findings, plan(active, findings, patient_id, as_of, now))
        if dry_run:
            transaction.set_rollback(True)
            return result
        for change in result.changes:
            if change.action != "unchanged":
                _save(change)
        PatientReview.objects.update_or_create(patient=patient, defaults={"reviewed_at": now, "as_of": as_of})
        to_notify = [c.flag.id for c in result.changes if c.action in ("opened", "reopened")]
        if to_notify:
            transaction.on_commit(lambda: notify.new_flags(to_notify), robust=True)
    return result


def _save(change: Change) -> None:
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
