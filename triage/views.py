"""The patient's Flags page and "I've read this"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from diary.http import PatientRequest
from diary.services import profile_of
from triage import services, signs
from triage.models import ACTIVE, OPEN, RESOLVED


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
