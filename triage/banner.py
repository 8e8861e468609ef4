"""The warning-signs banner: the open flags, coloured by the most serious, with what to do about it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.urls import reverse

from triage import detectors, signs
from triage.models import OPEN, Flag


@dataclass(frozen=True)
class Banner:
    level: str  # the most serious open level (signs.EMERGENCY, URGENT, SEE_DOCTOR); urgent for late stroke entries
    count: int
    top: Flag  # the most serious open flag, the most recently seen of its level
    emergency_number: str
    alert_url: str | None  # the warning screen of the newest episode behind the top flag, if it still exists

    @property
    def call(self) -> bool:
        return self.level == signs.EMERGENCY

    @property
    def level_label(self) -> str:
        return signs.LEVEL_LABELS[self.level]


def most_serious_first(flags: list[Flag]) -> list[Flag]:
    return sorted(flags, key=lambda f: (signs.LEVEL_ORDER[f.level], -f.last_seen.toordinal(), -f.pk))


def banner(patient: User, emergency_number: str) -> Banner | None:
    """None when nothing is open. Two queries at most: the open flags, then the episode of the screen."""
    open_flags = most_serious_first(list(Flag.objects.filter(patient=patient, status=OPEN)))
    if not open_flags:
        return None
    top = open_flags[0]
    level, alert_url = top.level, None
    if top.sign.instant and top.evidence:
        behind = list(
            patient.episodes.filter(id__in=top.evidence)
            .order_by("-started_at")
            .values_list("id", "started_at", "updated_at")
        )
        if behind:
            alert_url = reverse("episode-alert", args=[behind[0][0]])
            # Stroke signs all logged long after they started: the advice of the save screen, see a doctor today.
            if detectors.logged_late(top.sign, [(started, saved) for _, started, saved in behind]):
                level = signs.URGENT
    return Banner(level=level, count=len(open_flags), top=top, emergency_number=emergency_number, alert_url=alert_url)
