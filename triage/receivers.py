"""Triage's receivers on the diary's hook point: instant alerts on save, a review after commit."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from diary.facts import facts_from_episode
from diary.hooks import diary_changed, episode_saved
from diary.services import profile_of
from triage import detectors, signs, tasks


def alert(sign: signs.Sign, matched: list[str], emergency_number: str, *, late: bool = False) -> dict:
    """What the patient sees at once. A late entry of stroke signs gets the urgent screen; the flag is the same."""
    return {
        "code": sign.code,
        "level": signs.URGENT if late else sign.level,
        "title": sign.late_title if late else sign.title,
        "message": signs.late_entry_message(sign.code, emergency_number)
        if late
        else signs.patient_message(sign.code, emergency_number),
        "matched": matched,
        "late_entry": late,
        "emergency_number": emergency_number,
        "sources": source_records(sign),
    }


def source_records(sign: signs.Sign) -> list[dict]:
    return [{"id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url} for s in sign.source_list]


@receiver(episode_saved, dispatch_uid="triage.instant_alerts")
def instant_alerts(sender, episode, created, before=None, **kwargs) -> list[dict]:
    """Checked on the episode just saved, in the request: no queue, no Redis.

    An edit alerts only on what it added: correcting the duration of an old alarming episode
    does not show the emergency screen again.
    """
    profile = profile_of(episode.patient)
    hits = detectors.instant_signs(facts_from_episode(episode, profile.zone))
    if before is not None:
        known = {(sign.code, label) for sign, found in detectors.instant_signs(before) for label in found}
        hits = [(sign, found) for sign, found in hits if any((sign.code, label) not in known for label in found)]
    # "Saved" is this save: an edit that adds a stroke sign to an old episode is a late entry too.
    saved_at = episode.updated_at or timezone.now()
    return [
        alert(sign, matched, profile.emergency_number, late=detectors.is_late_entry(sign, episode.started_at, saved_at))
        for sign, matched in hits
    ]


@dataclass(frozen=True)
class ReviewAfterCommit:
    """The on-commit callback; equal for the same patient, so one transaction registers it once."""

    patient_id: int

    def __call__(self) -> None:
        tasks.request_review(self.patient_id)


@receiver(diary_changed, dispatch_uid="triage.review_after_commit")
def review_after_commit(sender, patient, **kwargs) -> None:
    callback = ReviewAfterCommit(patient.pk)
    connection = transaction.get_connection()
    # An import saves hundreds of episodes in one transaction: ask for one review, not hundreds.
    if connection.in_atomic_block and any(entry[1] == callback for entry in connection.run_on_commit):
        return
    transaction.on_commit(callback, robust=True)
