"""One message to the patient when a flag opens, never one per review: by push to the devices where they
turned notifications on (no health details on a lock screen), by email otherwise."""

from __future__ import annotations

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from diary import hooks
from diary.models import Episode
from diary.services import profile_of
from triage import detectors, signs
from triage.models import OPEN, Flag

log = logging.getLogger(__name__)


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
    there is something to read), else the whole advice by email if they gave an address."""
    late = _logged_late(flag) if flag.patient.email else False
    context = {
        "flag": flag,
        "sign": flag.sign,
        "title": flag.sign.late_title if late else flag.sign.title,
        "message": signs.late_entry_message(flag.code, emergency_number)
        if late
        else signs.patient_message(flag.code, emergency_number, flag.detail),
        "reasons": flag.reasons,
        "not_a_diagnosis": signs.NOT_A_DIAGNOSIS,
        "site_url": settings.SITE_URL,
        "app_name": settings.APP_NAME,
    }
    subject = f"{settings.APP_NAME}: {context['title']}"
    email = hooks.Email(flag.patient.email, subject, render_to_string("triage/flag_email.txt", context))
    return hooks.tell(flag.patient_id, hooks.Notice(hooks.SOMETHING_TO_READ, reverse("flags")), email)


def _logged_late(flag: Flag) -> bool:
    """A stroke-sign flag whose every episode was saved long after it started (an edit that added the sign counts
    from the edit, as on the save screen): the advice is to be seen today."""
    if not flag.sign.thresholds.get("late_entry"):
        return False
    episodes = Episode.objects.filter(patient_id=flag.patient_id, id__in=flag.evidence)
    return detectors.logged_late(flag.sign, list(episodes.values_list("started_at", "updated_at")))
