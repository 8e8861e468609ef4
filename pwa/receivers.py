"""The notifier's receivers: the diary's notices go out by push, and logging out turns notifications off for
this device (signing out everywhere, on every device of the patient), so that the next person on the phone gets none
of them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from diary.hooks import Notice, devices, devices_offered, signed_out_everywhere, tell_patient
from pwa.models import PushSubscription

SESSION_KEY = "push_endpoint"


@receiver(user_logged_out)
def unsubscribe_on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    endpoint = request.session.get(SESSION_KEY)
    if user is not None and endpoint:
        PushSubscription.objects.filter(patient=user, endpoint=endpoint).delete()


@receiver(signed_out_everywhere, dispatch_uid="pwa.unsubscribe_everywhere")
def unsubscribe_everywhere(sender: Any, patient: Any, **kwargs: Any) -> None:
    PushSubscription.objects.filter(patient=patient).delete()


@receiver(devices, dispatch_uid="pwa.devices")
def has_push_devices(sender: Any, patient_id: int, **kwargs: Any) -> bool:
    return PushSubscription.objects.filter(patient_id=patient_id).exists()


@receiver(devices_offered, dispatch_uid="pwa.devices_offered")
def push_configured(sender: Any, **kwargs: Any) -> bool:
    from pwa import vapid

    return vapid.keys() is not None


@receiver(tell_patient, dispatch_uid="pwa.tell_by_push")
def tell_by_push(sender: Any, patient_id: int, notice: Notice, **kwargs: Any) -> bool:
    """The diary's notice as a push notification on each of the patient's devices; False sends the email."""
    from pwa import push  # imported when a message is sent: requests and the push library cost every start

    return push.notify(patient_id, push.NOTIFICATIONS[notice.topic](notice.url)) > 0
