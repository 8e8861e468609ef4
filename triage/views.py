"""The patient's Flags page, "I've read this", and the warning screen of an episode."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from diary import taken_back
from diary.facts import facts_from_episode
from diary.services import profile_of
from diary.templatetags.just_saved import keep_for_undo
from triage import detectors, offline, services, signs
from triage.advice import Advice, advise
from triage.models import ACTIVE, OPEN, RESOLVED, WITHDRAWN
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


@require_GET
def instant_signs(request: HttpRequest) -> HttpResponse:
    """The instant signs as data for the phone's own check offline (triage/offline.py): no patient data in it,
    so it needs no sign-in; the service worker keeps it with the app shell, under the shell's version."""
    response = HttpResponse(offline.document(), content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@dataclass(frozen=True)
class ShownAlert:
    """One sign on the warning screen: what `advice.advise` says, and what in the episode matched it."""

    advice: Advice
    matched: list[str]


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
    # Late or not is judged from the last save of the episode, as everywhere (triage/advice.py).
    saves = [(episode.started_at, episode.updated_at)]
    shown = sorted(
        (ShownAlert(advise(sign, profile.emergency_number, saves), matched) for sign, matched in hits),
        key=lambda a: signs.LEVEL_ORDER[a.advice.level],
    )
    codes = [a.advice.code for a in shown]
    open_flags = {f.code: f for f in request.user.flags.filter(status=OPEN, code__in=codes)}
    context = {
        "alerts": shown,
        "episode": episode,
        "profile": profile,
        "top": shown[0].advice,
        "flags_behind": [open_flags[c] for c in codes if c in open_flags],
    }
    response = render(request, "triage/alert.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def remove_logged_by_mistake(request: PatientRequest, episode_id: uuid.UUID) -> HttpResponse:
    """ "Logged by mistake? Remove this entry" on a warning screen: the ordinary delete, which withdraws at once
    the warning signs that rested on this entry alone, with the same Undo on the next page (the entry may have been
    right but for one box ticked by mistake; brought back, it brings its warning back too)."""
    episode = get_object_or_404(request.user.episodes.prefetch_related("locations"), id=episode_id)
    keep_for_undo(request, episode)
    resting = [f.id for f in request.user.flags.filter(status__in=ACTIVE) if str(episode.id) in f.evidence]
    given_back = taken_back.delete_giving_back(request, episode.id)
    withdrawn = request.user.flags.filter(id__in=resting, resolution=WITHDRAWN).count()
    said = " The warning it raised is withdrawn." if withdrawn else ""
    messages.success(request, f"Removed: that entry is no longer in your diary.{said}{given_back}")
    return redirect("today")
