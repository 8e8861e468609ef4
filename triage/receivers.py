"""Triage's receivers on the diary's hook points: instant alerts and flags on save, withdrawals on delete, a review
after commit."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from diary.facts import EpisodeFacts, facts_from_episode
from diary.hooks import Alert, Mark, alert_page, diary_changed, episode_deleted, episode_saved, period_marks
from diary.models import Episode
from diary.services import profile_of
from triage import at_save, detectors
from triage.advice import Advice, advise
from triage.models import OPEN, Flag


def alert(advice: Advice, matched: list[str]) -> Alert:
    """What the patient sees at once, as the save's reply and the API give it (`advice.advise` decides)."""
    return {
        "code": advice.code,
        "level": advice.level,
        "title": advice.title,
        "message": advice.message,
        "matched": matched,
        "late_entry": advice.late_entry,
        "emergency_number": advice.emergency_number,
        "sources": [source.record() for source in advice.sign.source_list],
    }


@receiver(episode_saved, dispatch_uid="triage.instant_alerts")
def instant_alerts(
    sender: type[Episode], episode: Episode, created: bool, before: EpisodeFacts | None = None, **kwargs: Any
) -> list[Alert]:
    """Checked on the episode just saved, in the request: no queue, no Redis. The flags open in the same
    transaction (`at_save.reconcile_saved`), so the pages shown after the warning screen already have them.

    An edit alerts only on what it added: correcting the duration of an old alarming episode
    does not show the emergency screen again.
    """
    profile = profile_of(episode.patient)
    facts = facts_from_episode(episode, profile.zone)
    hits = detectors.instant_signs(facts)
    hits_before = [] if before is None else detectors.instant_signs(before)
    at_save.reconcile_saved(episode.patient, facts, before, timezone.now(), hits, hits_before)
    if before is not None:
        known = {(sign.code, label) for sign, found in hits_before for label in found}
        hits = [(sign, found) for sign, found in hits if any((sign.code, label) not in known for label in found)]
    # "Saved" is this save: an edit that adds a stroke sign to an old episode is a late entry too.
    saves = [(episode.started_at, episode.updated_at or timezone.now())]
    return [alert(advise(sign, profile.emergency_number, saves), matched) for sign, matched in hits]


@receiver(episode_deleted, dispatch_uid="triage.withdraw_at_delete")
def withdraw_at_delete(sender: type[Episode], patient: User, episode_id: uuid.UUID, **kwargs: Any) -> None:
    """A deleted episode takes with it, at once, the flags that rested on it alone (the review recounts the rest)."""
    at_save.reconcile_deleted(patient, str(episode_id), timezone.now())


@receiver(diary_changed, dispatch_uid="triage.review_after_commit")
def review_after_commit(sender: type[Model], patient: User, **kwargs: Any) -> None:
    """Ask for a review once the change is committed; `tasks.request_review` coalesces a burst of them."""
    # Imported here, not at the top: the tasks bring Celery and the broker's client, which a process that only
    # loads the apps (a command, a check) need not pay for; a web process has them from config/wsgi.py.
    from triage import tasks

    transaction.on_commit(functools.partial(tasks.request_review, patient.pk), robust=True)


@receiver(alert_page, dispatch_uid="triage.alert_page")
def episode_alert_page(sender: Any, episode_id: uuid.UUID, codes: list[str], **kwargs: Any) -> str:
    """Triage's warning screen for the episode, naming the signs this save raised."""
    return f"{reverse('episode-alert', args=[episode_id])}?{urlencode({'sign': codes}, doseq=True)}"


@receiver(period_marks, dispatch_uid="triage.open_flags_in_period")
def open_flags_in_period(sender: Any, patient: User, first: dt.date, last: dt.date, **kwargs: Any) -> list[Mark]:
    """The patient's open warning signs first seen in the period, marked where they first fired."""
    flags = Flag.objects.filter(patient=patient, status=OPEN, first_seen__gte=first, first_seen__lte=last)
    return [
        {"date": flag.first_seen, "title": flag.get_code_display(), "level": flag.level, "url": reverse("flags")}
        for flag in flags.order_by("first_seen", "code")
    ]
