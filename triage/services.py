"""Patient actions on flags, and the page view of one flag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils import timezone

from triage import signs
from triage.advice import Advice, for_flag
from triage.models import ACKNOWLEDGED, OPEN, Flag


def acknowledge(flag: Flag) -> bool:
    """The patient has read it. Conditional update: a repeated tap changes nothing."""
    return bool(
        Flag.objects.filter(id=flag.id, patient_id=flag.patient_id, status=OPEN).update(
            status=ACKNOWLEDGED, acknowledged_at=timezone.now(), read_evidence=F("evidence")
        )
    )


@dataclass
class ShownFlag:
    flag: Flag
    sign: signs.Sign
    advice: Advice
    reasons: list[str]
    episodes: list[Any]  # the patient's episodes behind it that still exist, oldest first

    @property
    def message(self) -> str:
        return self.advice.message


def present(flag: Flag, episodes: dict[str, Any], emergency_number: str) -> ShownFlag:
    """A flag as the Flags page shows it; `episodes` are the patient's episodes (model instances) by id."""
    behind = [episodes[i] for i in flag.evidence if i in episodes]
    saves = {str(e.id): (e.started_at, e.updated_at) for e in behind}
    return ShownFlag(
        flag=flag,
        sign=flag.sign,
        advice=for_flag(flag, emergency_number, saves),
        reasons=flag.reasons,
        episodes=behind,
    )
