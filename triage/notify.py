"""One message to the patient when a flag opens, never one per review: by push to the devices where they
turned notifications on (no health details on a lock screen), by email otherwise.

An email's subject is shown on a lock screen too (a mail app's notification, an inbox's list), and so are the first
words of its body: both say how soon to read the message, never what it is about. The sign, the advice and the
reasons follow, after the opening paragraph."""

from __future__ import annotations

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from diary import hooks
from diary.services import profile_of
from triage import signs
from triage.advice import for_flag, saves_of
from triage.models import OPEN, Flag

log = logging.getLogger(__name__)

# The subject of a flag's email by the level shown (advice.Advice.level): how soon, and nothing of health.
SUBJECTS = {
    signs.EMERGENCY: "Please read this now",
    signs.URGENT: "Please read this today",
    signs.SEE_DOCTOR: "There is something in your diary to read",
}


def new_flags(flag_ids: list[int]) -> int:
    """Tell the patient of each newly opened flag once; returns how many messages were sent."""
    sent = 0
    flags = list(Flag.objects.filter(id__in=flag_ids, status=OPEN, notified_at=None).select_related("patient__profile"))
    patients = {f.patient_id: f.patient for f in flags}
    numbers = {pid: profile_of(patient).emergency_number for pid, patient in patients.items()}
    for flag in flags:
        # The conditional update decides who sends when two processes get here at once.
        if not Flag.objects.filter(id=flag.id, notified_at=None).update(notified_at=timezone.now()):
            continue
        try:
            sent += _tell(flag, numbers[flag.patient_id])
        except Exception:  # noqa: BLE001 - one patient's failure must not silence the others
            # Unclaimed: the patient's next review (at the latest the nightly one: the flag is live) tries again.
            log.exception(
                "Could not tell patient %s of flag %s; the next review tries again.", flag.patient_id, flag.id
            )
            Flag.objects.filter(id=flag.id).update(notified_at=None)
    return sent


def _tell(flag: Flag, emergency_number: str) -> bool:
    """One message about the flag: by push where the patient turned it on (nothing on the lock screen but that
    there is something to read: the Flags page, which gives the same advice), else the whole advice by email if
    they gave an address. What the advice is, is `advice.advise`'s to say."""
    said = for_flag(flag, emergency_number, saves_of(flag.patient, flag.evidence))
    context = {
        "flag": flag,
        "sign": flag.sign,
        "advice": said,
        "title": said.title,
        "message": said.message,
        "reasons": flag.reasons,
        "not_a_diagnosis": signs.NOT_A_DIAGNOSIS,
        "site_url": settings.SITE_URL,
        "app_name": settings.APP_NAME,
        "how_soon": SUBJECTS[said.level],
    }
    subject = f"{settings.APP_NAME}: {SUBJECTS[said.level]}"
    email = hooks.Email(flag.patient.email, subject, render_to_string("triage/flag_email.txt", context))
    notice = hooks.Notice(hooks.SOMETHING_TO_READ, f"{reverse('flags')}#flag-{flag.id}")
    return hooks.tell(flag.patient_id, notice, email)
