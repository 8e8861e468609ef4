"""Turning a device's notifications on for a patient: one row per endpoint, which never changes hands unproven."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from hmac import compare_digest

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from pwa.models import PushSubscription

log = logging.getLogger(__name__)


class HeldByAnother(Exception):
    """The endpoint is another patient's device, and the keys given are not that subscription's."""


@dataclass(frozen=True)
class Subscribed:
    subscription: PushSubscription
    moved: bool  # it was another patient's: the same browser (same keys) is now signed in to this account


@transaction.atomic
def subscribe(*, patient: User, endpoint: str, p256dh: str, auth: str) -> Subscribed:
    """Notifications on for the device behind `endpoint`.

    The patient's own row gets the new keys. Another patient's row moves only when the keys match, which only
    the browser holding that subscription (or one that could already push to it) knows; otherwise HeldByAnother.
    The row is locked while deciding, so two requests can't both take a new endpoint.
    """
    held = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    if held is None:
        try:
            with transaction.atomic():
                created = PushSubscription.objects.create(patient=patient, endpoint=endpoint, p256dh=p256dh, auth=auth)
            return Subscribed(created, moved=False)
        except IntegrityError:  # another request created it in between: decide against that row
            held = PushSubscription.objects.select_for_update().get(endpoint=endpoint)
    moved = held.patient_id != patient.pk
    if moved:
        if not (compare_digest(held.p256dh, p256dh) & compare_digest(held.auth, auth)):
            raise HeldByAnother(endpoint)
        log.warning("Push subscription %s moved from patient %s to patient %s.", held.pk, held.patient_id, patient.pk)
    held.patient, held.p256dh, held.auth = patient, p256dh, auth
    held.save(update_fields=["patient", "p256dh", "auth"])
    return Subscribed(held, moved=moved)
