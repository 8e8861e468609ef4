"""Web Push: the texts a lock screen may show, and sending one to every device a patient turned on.

Notifications never carry health details: anyone can read a lock screen.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass

import requests
from django.conf import settings
from django.utils import timezone

from diary import hooks
from pwa import vapid
from pwa.models import PushSubscription

log = logging.getLogger(__name__)

TITLE = settings.APP_NAME
# How long the push service keeps a message for a phone that is off (seconds).
TIME_TO_LIVE = 12 * 60 * 60
GONE = (404, 410)  # the push service says this subscription no longer exists


@dataclass(frozen=True)
class Notification:
    body: str
    url: str
    tag: str  # a newer notification with the same tag replaces the older one
    title: str = TITLE


def diary_reminder(url: str) -> Notification:
    return Notification(body="Time for your diary entry", url=url, tag="reminder")


def something_to_read(url: str) -> Notification:
    return Notification(body="There is something in your diary to read", url=url, tag="flag")


def entry_to_finish(url: str) -> Notification:
    return Notification(body="An entry in your diary is waiting for its end time", url=url, tag="still-going")


# The lock screen's words for each topic of the diary's notices (diary.hooks).
NOTIFICATIONS = {
    hooks.REMINDER: diary_reminder,
    hooks.SOMETHING_TO_READ: something_to_read,
    hooks.ENTRY_TO_FINISH: entry_to_finish,
}


def notify(patient_id: int, note: Notification) -> int:
    """Send the notification to each of the patient's devices; returns how many accepted it.

    A subscription the push service reports gone (404/410) is deleted. 0 means "use email".
    """
    keys = vapid.keys()
    if keys is None:
        return 0
    # Imported here: pywebpush brings aiohttp, a quarter of a second that every process loading the URLs paid.
    from pywebpush import WebPushException, webpush

    payload = json.dumps(asdict(note))
    reached = []
    for subscription in PushSubscription.objects.filter(patient_id=patient_id):
        try:
            webpush(
                subscription_info=subscription.info(),
                data=payload,
                vapid_private_key=keys.private,
                # A fresh dict each time: pywebpush fills in the audience from this endpoint.
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=TIME_TO_LIVE,
                timeout=10,
            )
        except WebPushException as e:
            status = e.response.status_code if e.response is not None else None
            if status in GONE:
                subscription.delete()
            else:
                log.warning("Push to subscription %s failed: %s", subscription.pk, status)
            continue
        except requests.RequestException:
            log.warning("Push service unreachable for subscription %s", subscription.pk, exc_info=True)
            continue
        reached.append(subscription.pk)
    if reached:
        PushSubscription.objects.filter(pk__in=reached).update(last_sent_at=timezone.now())
    return len(reached)
