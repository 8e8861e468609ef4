"""Flags opened, reopened and withdrawn in the transaction that saves or deletes an episode (DESIGN §5).

A save that matches an emergency or urgent sign opens (or reopens) that sign's flag at once, so every page
shown after the warning screen already has it, with Redis and the workers down. It does so under the
review's own condition and through the review's own rules: the episode started within R as of the
patient's today, the finding is the one the review computes over R (`detectors.detect_instant`), and
`review.plan` decides and `review.save_change` writes (with its fallback on the one-live-flag constraint).
A review run right after the save therefore finds the same flags, with the same evidence and numbers.

A save that takes a sign away from an episode, and a delete, withdraw at once the flags that rested on that
episode alone (a mis-tap removed from the warning screen leaves no "call now" behind). Everything else, the
recounts and the resolving, stays with the review. Nothing here sends a message: the review tells the
patient of an open flag that was never told (`review._notify`), once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from diary.facts import EpisodeFacts, load_facts, load_named_facts
from diary.services import profile_of
from triage import detectors, review
from triage.models import ACTIVE, Flag, PatientReview
from triage.signs import Sign

# What a save or a delete may do to a flag: open, withdraw, recount an open one it names; the rest ("resolved") is the
# review's.
OPENING = ("opened", "reopened", "updated")
WITHDRAWING = "withdrawn"
RECOUNTING = "updated"  # an open emergency or urgent flag that keeps other episodes: its evidence and numbers recounted


def _lock(patient: User) -> dt.date | None:
    """Lock the patient's row as the review does; the date of their last review, if any."""
    list(get_user_model().objects.select_for_update().filter(pk=patient.pk).values_list("pk"))
    return PatientReview.objects.filter(patient=patient).values_list("as_of", flat=True).first()


def opens_flags(episode: EpisodeFacts) -> bool:
    """Whether saving this new episode may open a flag at once (`reconcile_saved`): it matches an instant sign (the
    flag opens if the episode is also recent enough; an older one is saved in one transaction all the same)."""
    return bool(detectors.instant_signs(episode))


def reconcile_saved(
    patient: User,
    episode: EpisodeFacts,
    before: EpisodeFacts | None,
    now: dt.datetime,
    hits: Sequence[tuple[Sign, list[str]]] | None = None,
    hits_before: Sequence[tuple[Sign, list[str]]] | None = None,
) -> list[review.Change]:
    """Open or reopen the flags of the instant signs this saved episode matches, and withdraw those of the signs
    an edit took away when the episode was all they rested on. Returns the changes written. `hits` and
    `hits_before`: `detectors.instant_signs` of the episode and of `before`, when the caller has them already."""
    matched = [sign for sign, _ in (detectors.instant_signs(episode) if hits is None else hits)]
    if not matched and (
        before is None
        or (
            not (detectors.instant_signs(before) if hits_before is None else hits_before)
            and not detectors.both_legs(before)  # it may be one of numbness climbing both legs
        )
    ):
        return []  # nothing alarming, before or now: no query at all
    profile = profile_of(patient)
    today = profile.clock.local(now).date()
    last = _lock(patient)
    if last is not None and today < last:
        return []  # the review's own rule: nothing changes as of a date before the last review
    live = {f.code: f for f in Flag.objects.filter(patient=patient, status__in=ACTIVE)}
    first_of_r = detectors.Windows.ending(today).recent[0]
    findings: list[detectors.Finding] = []
    recent: list[EpisodeFacts] = []
    if matched and first_of_r <= episode.day <= today:
        recent = load_facts(patient, profile.zone, first_of_r, today)
        findings = [f for sign in matched if (f := detectors.detect_instant(sign, recent)) is not None]
    found = {f.code for f in findings}
    # Flags of signs this episode no longer matches (or, numbness climbing both legs, no longer climbs with) that
    # name it: withdrawn if nothing else holds them up.
    naming = {code: f for code, f in live.items() if code not in found and f.sign.instant and episode.id in f.evidence}
    active = {code: live[code] for code in found if code in live} | naming
    # What the flags name (an unread one found again keeps its episodes the window has left) and what R holds.
    evidence = _named(patient, active.values(), profile.zone) | {e.id: e for e in recent}
    changes = review.plan(active, findings, patient.pk, today, now, evidence)
    return _write(
        [
            c
            for c in changes
            if (c.code in found and c.action in OPENING)
            or c.action == WITHDRAWING
            or (c.code in naming and c.action == RECOUNTING)
        ]
    )


def reconcile_deleted(patient: User, episode_id: str, now: dt.datetime) -> list[review.Change]:
    """Withdraw the live flags that rested on the deleted episode alone, and recount the open emergency and urgent
    ones that rest on others too: evidence never names a deleted episode, even before the review runs (or when the
    workers are down). Returns the changes written."""
    live = list(Flag.objects.filter(patient=patient, status__in=ACTIVE))
    naming = {f.code: f for f in live if episode_id in f.evidence}
    if not naming:
        return []
    profile = profile_of(patient)
    last = _lock(patient)
    today = profile.clock.local(now).date()
    if last is not None and today < last:
        return []
    evidence = _named(patient, naming.values(), profile.zone)
    changes = review.plan(naming, [], patient.pk, today, now, evidence)
    return _write([c for c in changes if c.action in (WITHDRAWING, RECOUNTING)])


def _named(patient: User, flags: Iterable[Flag], zone: dt.tzinfo) -> dict[str, EpisodeFacts]:
    """The facts of every episode these flags name that still exists."""
    ids = {i for flag in flags for i in flag.evidence}
    if not ids:
        return {}
    return load_named_facts({patient.pk: ids}, {patient.pk: zone})[patient.pk]


def _write(changes: list[review.Change]) -> list[review.Change]:
    for change in changes:
        review.save_change(change)
    return changes
