"""Patient actions on flags, and the page view of one flag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from triage import detectors, signs
from triage.models import ACKNOWLEDGED, OPEN, Flag


def acknowledge(flag: Flag) -> bool:
    """The patient has read it. Conditional update: a repeated tap changes nothing."""
    return bool(
        Flag.objects.filter(id=flag.id, patient_id=flag.patient_id, status=OPEN).update(
            status=ACKNOWLEDGED, acknowledged_at=timezone.now()
        )
    )


@dataclass
class ShownFlag:
    flag: Flag
    sign: signs.Sign
    message: str
    reasons: list[str]
    episodes: list[Any]  # the patient's episodes behind it that still exist, oldest first


def present(flag: Flag, episodes: dict[str, Any], emergency_number: str) -> ShownFlag:
    behind = [episodes[i] for i in flag.evidence if i in episodes]
    # Stroke signs that were all logged long after they started: the same advice as the save screen.
    late = bool(behind) and all(detectors.is_late_entry(flag.sign, e.started_at, e.created_at) for e in behind)
    return ShownFlag(
        flag=flag,
        sign=flag.sign,
        message=signs.late_entry_message(flag.code, emergency_number)
        if late
        else signs.patient_message(flag.code, emergency_number, flag.detail),
        reasons=flag.reasons,
        episodes=behind,
    )
