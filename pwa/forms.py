"""Validation of a browser's push subscription (PushSubscription.toJSON(), flattened)."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit

from django import forms
from django.conf import settings

from pwa.models import MAX_ENDPOINT


def _b64url(value: str, field: str, size: int) -> str:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise forms.ValidationError(f"{field} must be base64url.") from None
    if len(raw) != size:
        raise forms.ValidationError(f"{field} must be {size} bytes.")
    return value


class SubscriptionForm(forms.Form):
    endpoint = forms.URLField(max_length=MAX_ENDPOINT, assume_scheme="https")
    p256dh = forms.CharField(max_length=100)
    auth = forms.CharField(max_length=50)

    def clean_endpoint(self) -> str:
        endpoint: str = self.cleaned_data["endpoint"]
        # The server will POST to this address: only push services over https, outside development.
        if urlsplit(endpoint).scheme != "https" and not settings.DEBUG:
            raise forms.ValidationError("The endpoint must be an https address.")
        return endpoint

    def clean_p256dh(self) -> str:
        value = _b64url(self.cleaned_data["p256dh"], "The browser key", 65)
        if not base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).startswith(b"\x04"):
            raise forms.ValidationError("The browser key must be an uncompressed P-256 point.")
        return value

    def clean_auth(self) -> str:
        return _b64url(self.cleaned_data["auth"], "The auth secret", 16)

    @classmethod
    def from_json(cls, body: object) -> SubscriptionForm:
        data: dict[str, object] = body if isinstance(body, dict) else {}
        found = data.get("keys")
        keys: dict[str, object] = found if isinstance(found, dict) else {}
        return cls({"endpoint": data.get("endpoint"), "p256dh": keys.get("p256dh"), "auth": keys.get("auth")})
