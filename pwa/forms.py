"""Validation of a browser's push subscription (PushSubscription.toJSON(), flattened), and of the address the
server will POST to: only a known push service's public host (settings.PUSH_SERVICE_HOSTS), over https."""

from __future__ import annotations

import base64
import binascii
import ipaddress
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


def _host_allowed(host: str, patterns: list[str]) -> bool:
    """`host` is one of the patterns, or a subdomain of a "*.domain" one (never the bare domain itself)."""
    for pattern in patterns:
        pattern = pattern.strip().lower().rstrip(".")
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def endpoint_problem(endpoint: str) -> str | None:
    """Why the server must not POST to this push endpoint, or None when it is a known push service's.

    https on the default port, no user name or password in it, a host name (never an IP address, so no
    loopback, private or link-local address either) that settings.PUSH_SERVICE_HOSTS lists.
    """
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return "The endpoint is not a valid address."
    if parts.scheme != "https":
        return "The endpoint must be an https address."
    host = (parts.hostname or "").rstrip(".")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return "The endpoint must name a push service, not an IP address."
    if parts.username is not None or parts.password is not None or port not in (None, 443):
        return "The endpoint must be a plain https address of a push service."
    if not _host_allowed(host, settings.PUSH_SERVICE_HOSTS):
        return f"{host or 'That host'} is not a push service this server sends to."
    return None


class SubscriptionForm(forms.Form):
    endpoint = forms.URLField(max_length=MAX_ENDPOINT, assume_scheme="https")
    p256dh = forms.CharField(max_length=100)
    auth = forms.CharField(max_length=50)

    def clean_endpoint(self) -> str:
        endpoint: str = self.cleaned_data["endpoint"]
        # The server will POST to this address: only the push services' public hosts.
        if problem := endpoint_problem(endpoint):
            raise forms.ValidationError(problem)
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


class UnsubscribeForm(forms.Form):
    """Turning notifications off names the endpoint: any address the patient's rows may hold, NUL refused."""

    endpoint = forms.URLField(max_length=MAX_ENDPOINT, assume_scheme="https")

    @classmethod
    def from_json(cls, body: object) -> UnsubscribeForm:
        data: dict[str, object] = body if isinstance(body, dict) else {}
        return cls({"endpoint": data.get("endpoint")})
