"""One row per device on which a patient turned notifications on (a Web Push subscription)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

MAX_ENDPOINT = 1000  # characters of a push service's URL


class PushSubscription(models.Model):
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    # The push service's URL for this browser on this device: a capability, unique per device.
    endpoint = models.URLField(max_length=MAX_ENDPOINT, unique=True)
    p256dh = models.CharField(max_length=100)  # the browser's public key, base64url
    auth = models.CharField(max_length=50)  # the browser's auth secret, base64url
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Push subscription {self.pk} of patient {self.patient_id}"

    def info(self) -> dict[str, object]:
        """The shape pywebpush takes (and the browser's PushSubscription.toJSON() gives)."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
