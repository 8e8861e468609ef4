"""Share links: create, resolve, revoke, log. Tokens have 256 bits of randomness and are stored hashed."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from report.models import ShareAccess, ShareLink

DEFAULT_DAYS = 14
MAX_DAYS = 90
MISSES_ALLOWED = 20  # wrong tokens from one address …
MISS_WINDOW = 15 * 60  # … within this many seconds, then 429 until the window passes


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class NewLink:
    link: ShareLink
    token: str  # shown to the patient once; only its hash is stored


def create_link(*, patient: User, first: dt.date, last: dt.date, days: int = DEFAULT_DAYS) -> NewLink:
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": f"A link can last from 1 to {MAX_DAYS} days."})
    if first > last:
        raise ValidationError({"last": "The end date is before the start date."})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ShareLink.objects.create(
        patient=patient,
        token_hash=token_hash(token),
        first=first,
        last=last,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    return NewLink(link, token)


def revoke(*, patient: User, link_id: int) -> bool:
    return bool(
        ShareLink.objects.filter(id=link_id, patient=patient, revoked_at=None).update(revoked_at=timezone.now())
    )


def _miss_key(address: str) -> str:
    return f"report:share-misses:{address}"


def blocked(address: str) -> bool:
    return (cache.get(_miss_key(address)) or 0) >= MISSES_ALLOWED


def resolve(token: str, address: str, what: str) -> ShareLink | None:
    """The live link for a token, logging the access; None for a wrong, expired or revoked token."""
    link = ShareLink.objects.filter(token_hash=token_hash(token)).select_related("patient").first()
    if link is None or not link.is_live():
        if cache.add(_miss_key(address), 1, timeout=MISS_WINDOW) is False:
            try:
                cache.incr(_miss_key(address))
            except ValueError:  # expired between add and incr
                cache.add(_miss_key(address), 1, timeout=MISS_WINDOW)
        return None
    ShareAccess.objects.create(link=link, what=what)
    return link
