"""The warning-signs banner: the open flags, coloured by the most serious, with what to do about it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.urls import reverse

from triage import signs
from triage.advice import Advice, for_flag, saves_of
from triage.models import OPEN, Flag


@dataclass(frozen=True)
class Banner:
    advice: Advice  # what the most serious open flag tells the patient now (triage/advice.py)
    count: int
    top: Flag  # the most serious open flag, the most recently seen of its level
    alert_url: str | None  # the warning screen of the newest episode behind the top flag, if it still exists

    @property
    def level(self) -> str:
        return self.advice.level

    @property
    def call(self) -> bool:
        return self.advice.call

    @property
    def level_label(self) -> str:
        return self.advice.level_label

    @property
    def emergency_number(self) -> str:
        return self.advice.emergency_number


def most_serious_first(flags: list[Flag]) -> list[Flag]:
    return sorted(flags, key=lambda f: (signs.LEVEL_ORDER[f.level], -f.last_seen.toordinal(), -f.pk))


def banner(patient: User, emergency_number: str) -> Banner | None:
    """None when nothing is open. Two queries at most: the open flags, then the episodes behind the top one."""
    open_flags = most_serious_first(list(Flag.objects.filter(patient=patient, status=OPEN)))
    if not open_flags:
        return None
    top = open_flags[0]
    saves = saves_of(patient, top.evidence)
    alert_url = None
    if top.sign.instant and top.sign.per_episode and saves:  # a screen is one episode's: none for a pattern
        newest = max(saves, key=lambda i: saves[i][0])
        alert_url = reverse("episode-alert", args=[newest])
    return Banner(advice=for_flag(top, emergency_number, saves), count=len(open_flags), top=top, alert_url=alert_url)
