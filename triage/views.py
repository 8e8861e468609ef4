"""The patient's Flags page, "I've read this", and the warning screen of an episode."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from diary.facts import facts_from_episode
from diary.services import profile_of
from triage import detectors, services, signs
from triage.models import ACTIVE, OPEN, RESOLVED
from triage.receivers import alert
from web.http import PatientRequest


@login_required
def flags(request: PatientRequest) -> HttpResponse:
    patient_flags = request.user.flags.all()
    live = sorted(
        (f for f in patient_flags if f.status in ACTIVE),
        key=lambda f: (f.status != OPEN, signs.LEVEL_ORDER[f.level], -f.last_seen.toordinal()),
    )
    resolved = [f for f in patient_flags if f.status == RESOLVED]
    evidence_ids = {i for f in live + resolved for i in f.evidence}
    episodes = {str(e.id): e for e in request.user.episodes.filter(id__in=evidence_ids)}
    number = profile_of(request.user).emergency_number
    context = {
        "live": [services.present(f, episodes, number) for f in live],
        "resolved": [services.present(f, episodes, number) for f in resolved],
        "not_a_diagnosis": signs.NOT_A_DIAGNOSIS,
        "profile": profile_of(request.user),
    }
    return render(request, "triage/flags.html", context)


@login_required
@require_POST
def acknowledge(request: PatientRequest, flag_id: int) -> HttpResponse:
    flag = get_object_or_404(request.user.flags, id=flag_id)
    if services.acknowledge(flag):
        messages.success(request, "Marked as read.")
    return redirect("flags")


@login_required
def episode_alert(request: PatientRequest, episode_id: uuid.UUID) -> HttpResponse:
    """The emergency or "see a doctor today" screen of one episode: where a save that matched a sign lands.

    Computed again from the episode on every showing, so a reload, the Back button or the link on Today
    show it as long as the episode says so; the open flags behind it are linked. `?sign=CODE` (repeated)
    narrows it to the signs a save just raised; without it, or when none of them holds any more, every
    sign the episode matches is shown.
    """
    episode = get_object_or_404(request.user.episodes.prefetch_related("locations"), id=episode_id)
    profile = profile_of(request.user)
    hits = detectors.instant_signs(facts_from_episode(episode, profile.zone))
    asked = set(request.GET.getlist("sign"))
    hits = [(sign, found) for sign, found in hits if sign.code in asked] or hits
    if not hits:
        return redirect("today")
    # Late or not is judged as at the save that made the episode what it is, as the save's own screen did.
    alerts = sorted(
        (
            alert(
                sign,
                matched,
                profile.emergency_number,
                late=detectors.is_late_entry(sign, episode.started_at, episode.updated_at),
            )
            for sign, matched in hits
        ),
        key=lambda a: signs.LEVEL_ORDER[a["level"]],
    )
    codes = [a["code"] for a in alerts]
    open_flags = {f.code: f for f in request.user.flags.filter(status=OPEN, code__in=codes)}
    context = {
        "alerts": alerts,
        "episode": episode,
        "profile": profile,
        "level": alerts[0]["level"],
        "flags_behind": [open_flags[c] for c in codes if c in open_flags],
    }
    response = render(request, "triage/alert.html", context)
    response["Cache-Control"] = "no-store"
    return response
