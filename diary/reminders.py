"""The daily reminder: one email at the patient's chosen local time, unless they already logged that day."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from diary.models import CheckIn, Profile

log = logging.getLogger(__name__)


def is_due(profile: Profile, now: dt.datetime) -> bool:
    """Past their reminder time today (local), and not yet reminded today."""
    if profile.reminder_time is None:
        return False
    local = now.astimezone(profile.zone)
    return local.time() >= profile.reminder_time and profile.reminder_sent_on != local.date()


def send_due_reminders(now: dt.datetime | None = None) -> int:
    """Email every patient whose reminder is due and who has not checked in today; returns how many."""
    now = now or timezone.now()
    profiles = Profile.objects.filter(reminder_time__isnull=False).exclude(user__email="").select_related("user")
    due = [p for p in profiles if is_due(p, now)]
    logged = set(
        CheckIn.objects.filter(
            patient__in=[p.user_id for p in due], date__in={now.astimezone(p.zone).date() for p in due}
        ).values_list("patient_id", "date")
    )
    sent = 0
    for profile in due:
        today = now.astimezone(profile.zone).date()
        # The conditional update decides who sends when two beat runs overlap: one email a day.
        claimed = Profile.objects.filter(pk=profile.pk).exclude(reminder_sent_on=today).update(reminder_sent_on=today)
        if not claimed or (profile.user_id, today) in logged:
            continue
        try:
            send_mail(
                "Numbness Diary: how are your legs today?",
                "You asked for a daily reminder. Log any numbness, or tap “No numbness today”:\n\n"
                f"{settings.SITE_URL}/\n\nYou can change or turn off this reminder in Settings.",
                None,
                [profile.user.email],
            )
            sent += 1
        except OSError:
            log.exception("Could not send the reminder to patient %s", profile.user_id)
    return sent
