"""Reminders: the daily one at the patient's chosen local time (unless they already logged that day), and a
gentle nudge when an episode has been "still going" for more than 12 hours.

Each goes by push to the devices where the patient turned notifications on, by email otherwise (`hooks.tell`).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from diary import hooks
from diary.clock import local_date
from diary.models import ONGOING, CheckIn, Episode, Profile

log = logging.getLogger(__name__)

STILL_GOING_AFTER = dt.timedelta(hours=12)
# Older "still going" episodes (an import, a diary left for weeks) get no nudge: it would come too late to help.
STILL_GOING_NUDGE_WINDOW = dt.timedelta(days=3)
# Beat checks every ten minutes (config/celery.py), and a minute for a late run: a check with less than this left of
# the patient's day is that day's last one.
NEXT_CHECK = dt.timedelta(minutes=11)


def nowhere_to_go(patient_id: int, reminder_time: dt.time | None, email: str | None) -> bool:
    """A daily reminder that can reach nobody: set, with no email address and no device with notifications on (a
    reminder goes by push, else by email: `hooks.tell`)."""
    return reminder_time is not None and not email and not hooks.has_devices(patient_id)


def is_due(profile: Profile, now: dt.datetime) -> bool:
    """Past their reminder time today (local), or at the day's last check (a reminder at 23:55 would otherwise fall
    between the check at 23:50 and the next day's at 00:00), not yet reminded today, and not on the day a time that
    had already passed was chosen (`reminder_starts_on`)."""
    if profile.reminder_time is None:
        return False
    local = now.astimezone(profile.zone)
    if profile.reminder_starts_on is not None and local.date() < profile.reminder_starts_on:
        return False
    last_check = local_date(now + NEXT_CHECK, profile.zone) != local.date()
    return (local.time() >= profile.reminder_time or last_check) and profile.reminder_sent_on != local.date()


def send_due_reminders(now: dt.datetime | None = None) -> int:
    """Remind every patient whose reminder is due and who has not checked in today; returns how many."""
    now = now or timezone.now()
    profiles = Profile.objects.filter(reminder_time__isnull=False).select_related("user")
    due = [p for p in profiles if is_due(p, now)]
    logged = set(
        CheckIn.objects.filter(
            patient__in=[p.user_id for p in due], date__in={local_date(now, p.zone) for p in due}
        ).values_list("patient_id", "date")
    )
    sent = 0
    for profile in due:
        today = local_date(now, profile.zone)
        # The conditional update decides who sends when two beat runs overlap: one reminder a day.
        claimed = Profile.objects.filter(pk=profile.pk).exclude(reminder_sent_on=today).update(reminder_sent_on=today)
        if not claimed or (profile.user_id, today) in logged:
            continue
        email = hooks.Email(
            profile.user.email,
            f"{settings.APP_NAME}: time for your diary entry",  # as the push says: a lock screen may show it
            "You asked for a daily reminder. Log any numbness, or tap “No numbness today”:\n\n"
            f"{settings.SITE_URL}/\n\nYou can change or turn off this reminder in Settings.",
        )
        try:
            sent += hooks.tell(profile.user_id, hooks.Notice(hooks.REMINDER, reverse("today")), email)
        except OSError:
            log.exception("Could not send the reminder to patient %s", profile.user_id)
    return sent


def nudge_still_going(now: dt.datetime | None = None) -> int:
    """Once per episode left "still going" for more than 12 hours: ask the patient to note when it ended.

    By push where they turned notifications on; by email only to patients who asked for reminders.
    Returns how many nudges went out.
    """
    now = now or timezone.now()
    episodes = list(
        Episode.objects.filter(
            ONGOING,
            still_going_nudged_at__isnull=True,
            started_at__lte=now - STILL_GOING_AFTER,
            started_at__gt=now - STILL_GOING_NUDGE_WINDOW,
        ).select_related("patient", "patient__profile")
    )
    sent = 0
    for episode in episodes:
        # Claimed by a conditional update: two beat runs never nudge twice.
        if not Episode.objects.filter(pk=episode.pk, still_going_nudged_at__isnull=True).update(
            still_going_nudged_at=now
        ):
            continue
        path = reverse("episode-edit", args=[episode.pk])
        profile = getattr(episode.patient, "profile", None)
        email = hooks.Email(
            episode.patient.email,
            f"{settings.APP_NAME}: is it still going?",
            "An entry in your diary is still marked as going. When it has stopped, you can note how long "
            f"it lasted:\n\n{settings.SITE_URL}{path}\n\nYou get this once per entry.",
        )
        wants_email = profile is not None and profile.reminder_time is not None  # email only if they asked
        try:
            notice = hooks.Notice(hooks.ENTRY_TO_FINISH, path)
            sent += hooks.tell(episode.patient_id, notice, email if wants_email else None)
        except OSError:
            log.exception("Could not send the still-going nudge to patient %s", episode.patient_id)
    return sent
