"""Treatments' receivers on the diary's hook points: "took something for it" on the log form, the Trends bands."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from diary.clock import after, day_range
from diary.hooks import Band, episode_saved, period_bands
from diary.models import Episode
from diary.services import clock_of
from treatments import services, timeline, vocab
from treatments.facts import load_treatments
from treatments.models import Dose, Treatment

TOOK = "took"  # the log form's field: the ids of the treatments taken for this episode (templates/treatments/_log.html)
TOOK_SHOWN = "took_shown"  # present when the form showed the question, so that an empty answer unticks


def taken_for(episode: Episode, now: dt.datetime) -> dt.datetime:
    """When a dose "taken for" an episode is dated: now while it goes on, else when it ended (never later than now)."""
    if episode.duration_minutes is None:
        return now
    return min(now, after(episode.started_at, dt.timedelta(minutes=episode.duration_minutes)))


@receiver(episode_saved, dispatch_uid="treatments.took_something_for_it")
def took_something_for_it(
    sender: type[Episode], episode: Episode, extra: Mapping[str, Any] | None = None, **kwargs: Any
) -> None:
    """The log form's "took something for it": a dose of each treatment ticked, linked to the episode and written
    in the save's transaction; one unticked on an edit is removed. Its dose id comes from the episode and the
    treatment, so the offline queue's replay and an edit leave one dose, rated or not."""
    if extra is None or TOOK_SHOWN not in extra:
        return None
    given = extra.getlist(TOOK) if hasattr(extra, "getlist") else list(extra.get(TOOK) or [])
    patient = episode.patient
    mine = {str(t.id): t for t in Treatment.objects.filter(patient=patient)}
    try:
        chosen = {str(uuid.UUID(str(value))) for value in given}
    except ValueError:
        raise ValidationError({TOOK: services.NO_SUCH_TREATMENT}) from None
    if chosen - mine.keys():
        raise ValidationError({TOOK: services.NO_SUCH_TREATMENT})
    ids = {services.episode_dose_id(episode.id, t): t for t in mine}
    existing = set(Dose.objects.filter(id__in=ids).values_list("id", flat=True))
    Dose.objects.filter(id__in=[i for i, t in ids.items() if t not in chosen]).delete()
    taken_at = taken_for(episode, timezone.now())
    for treatment_id in sorted(chosen):
        dose_id = services.episode_dose_id(episode.id, treatment_id)
        if dose_id in existing:
            continue  # logged with this episode before: kept as it is, with its rating
        try:
            services.save_dose(
                patient=patient,
                dose_id=dose_id,
                treatment_id=treatment_id,
                taken_at=taken_at,
                status=vocab.TAKEN,
                episode_id=episode.id,
            )
        except ValidationError as e:
            raise ValidationError({TOOK: f"{mine[treatment_id].name}: {' '.join(e.messages)}"}) from None
    return None


@receiver(period_bands, dispatch_uid="treatments.bands")
def treatment_bands(sender: Any, patient: User, first: dt.date, last: dt.date, **kwargs: Any) -> list[Band]:
    """A band per treatment with a course in the period, and the as-needed uses in it."""
    treatments = load_treatments(patient)
    if not treatments:
        return []
    zone = clock_of(patient).zone
    start, end = day_range(first, last, zone)
    taken = Dose.objects.filter(
        treatment__patient=patient, status=vocab.TAKEN, taken_at__gte=start, taken_at__lt=end
    ).values_list("treatment_id", "taken_at")
    days = {(str(treatment_id), at.astimezone(zone).date()) for treatment_id, at in taken}
    return timeline.bands(treatments, days, first, last, url=lambda tid: reverse("treatment", args=[tid]))
