"""Which questionnaires Today offers: one not completed in its interval (28 days for the MNSI) and not declined
within it. Offered, never required: "not now" puts it away for the same interval."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Max

from diary.clock import local_date
from questionnaires.instruments import INSTRUMENTS, Instrument
from questionnaires.models import OfferDeclined


@dataclass(frozen=True)
class Offer:
    instrument: Instrument
    last_completed: dt.date | None  # the local date of the latest response, if any


def due(instrument: Instrument, today: dt.date, last_completed: dt.date | None, declined_on: dt.date | None) -> bool:
    """Due when nothing was completed in the last `offer_every_days` local dates (today included), and "not now"
    was not said in them either."""
    window_start = today - dt.timedelta(days=instrument.offer_every_days - 1)
    recent = [day for day in (last_completed, declined_on) if day is not None and day >= window_start]
    return not recent


def offers(patient: User, zone: dt.tzinfo, today: dt.date) -> list[Offer]:
    """The offers to show on Today, in two queries whatever the number of instruments."""
    latest = dict(
        patient.questionnaire_responses.order_by()
        .values("questionnaire")
        .annotate(latest=Max("completed_at"))
        .values_list("questionnaire", "latest")
    )
    declined = dict(OfferDeclined.objects.filter(patient=patient).values_list("questionnaire", "declined_on"))
    found = []
    for instrument in INSTRUMENTS.values():
        moment = latest.get(instrument.id)
        last = local_date(moment, zone) if moment else None
        if due(instrument, today, last, declined.get(instrument.id)):
            found.append(Offer(instrument, last))
    return found
