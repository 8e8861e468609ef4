"""The server's VAPID key pair: from settings, or (in development) a pair made once into a local file."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class VapidKeys:
    public: str  # the uncompressed P-256 point, base64url: the browser's applicationServerKey
    private: str  # the 32-byte private number, base64url: what pywebpush signs with


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def generate() -> VapidKeys:
    # Imported here: only a new pair needs it, and it costs every process's start about 10 ms of CPU.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return VapidKeys(public=b64url(public), private=b64url(key.private_numbers().private_value.to_bytes(32, "big")))


def keys() -> VapidKeys | None:
    """The key pair in force, or None when push is not configured (production without keys)."""
    if settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY:
        return VapidKeys(public=settings.VAPID_PUBLIC_KEY, private=settings.VAPID_PRIVATE_KEY)
    path = settings.VAPID_DEV_KEY_FILE
    if path is None:
        return None
    try:
        stored = json.loads(path.read_text())
        return VapidKeys(public=stored["public"], private=stored["private"])
    except (OSError, ValueError, KeyError):
        pair = generate()
        path.write_text(json.dumps({"public": pair.public, "private": pair.private}))
        return pair
