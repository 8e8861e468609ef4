"""Share links: create, resolve, revoke, log. Tokens have 256 bits of randomness and are stored hashed."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Min
from django.utils import timezone

from diary.clock import day_words, local_date
from diary.models import EARLIEST_DAY
from diary.services import profile_of
from report.models import MAX_QUESTIONS, ShareAccess, ShareLink

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DEFAULT_DAYS = 14
MAX_DAYS = 90
# A shared period: at most two years, within the diary (no earlier than its first entry, the date of
# birth or 2000, no later than today). Wrong tokens are counted per address by web.throttles
# (RATE_LIMITS["share-miss-address"]).
MAX_PERIOD_DAYS = 731


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class NewLink:
    link: ShareLink
    token: str  # shown to the patient once; only its hash is stored


def first_entry(patient: User) -> dt.date | None:
    """The local date of the patient's first episode or check-in, if any."""
    zone = profile_of(patient).zone
    started = patient.episodes.aggregate(first=Min("started_at"))["first"]
    checked = patient.checkins.aggregate(first=Min("date"))["first"]
    dates = [local_date(started, zone)] if started else []
    dates += [checked] if checked else []
    return min(dates, default=None)


def bounded_period(*, patient: User, first: dt.date, last: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period a link may show: refused when impossible, started no earlier than the first entry."""
    if first > last:
        raise ValidationError({"last": "The end date is before the start date."})
    if last > today:
        raise ValidationError({"last": f"The end date is after today ({day_words(today)})."})
    if first < EARLIEST_DAY:
        raise ValidationError({"first": f"The start date is before {day_words(EARLIEST_DAY)}: please check the year."})
    born = profile_of(patient).date_of_birth
    if born and first < born:
        raise ValidationError({"first": f"The start date is before your date of birth ({day_words(born)})."})
    diary_start = first_entry(patient)
    if diary_start and first < diary_start <= last:
        first = diary_start  # nothing to show before the diary began
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationError({"first": "A shared link covers at most 2 years: choose a shorter period."})
    return first, last


def create_link(
    *,
    patient: User,
    first: dt.date,
    last: dt.date,
    days: int = DEFAULT_DAYS,
    today: dt.date | None = None,
    questions: str = "",
) -> NewLink:
    """A new link for the period (bounded, see bounded_period); `today` defaults to the patient's local date.

    `questions` are the patient's questions for the doctor, shown on page 1 of the shared report."""
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": f"A link can last from 1 to {MAX_DAYS} days."})
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError({"questions": f"Keep the questions under {MAX_QUESTIONS} characters."})
    today = today or profile_of(patient).clock.today()
    first, last = bounded_period(patient=patient, first=first, last=last, today=today)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ShareLink.objects.create(
        patient=patient,
        token_hash=token_hash(token),
        first=first,
        last=last,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
        questions=questions.strip(),
    )
    return NewLink(link, token)


def revoke(*, patient: User, link_id: int) -> bool:
    return bool(
        ShareLink.objects.filter(id=link_id, patient=patient, revoked_at=None).update(revoked_at=timezone.now())
    )


def resolve(token: str, what: str) -> ShareLink | None:
    """The live link for a token, logging the access; None for a wrong, expired or revoked token."""
    link = ShareLink.objects.filter(token_hash=token_hash(token)).select_related("patient").first()
    if link is None or not link.is_live():
        return None
    ShareAccess.objects.create(link=link, what=what)
    return link
