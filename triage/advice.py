"""What a warning sign tells the patient now: the level shown, the title and the message (DESIGN §5).

One decision for every surface: the save screen and the alert page (triage/receivers.py, triage/views.py),
Today's banner (triage/banner.py), the Flags page (triage/services.py), email and push (triage/notify.py) and
the report's red flags (report/content.py) all call `advise`. The late-entry rule is judged here only: stroke
signs whose every episode was saved (last saved: `updated_at`) more than 24 hours after it started get the
urgent advice, "see a doctor today", instead of "call now"; the flag itself keeps the sign's level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from triage import detectors, signs
from triage.models import Flag

# Started, last saved: the two moments of an episode that the late-entry rule reads.
Saved = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Advice:
    sign: signs.Sign
    level: str  # the level shown: the sign's own, or urgent for stroke signs logged late
    title: str
    message: str
    late_entry: bool
    emergency_number: str

    @property
    def code(self) -> str:
        return self.sign.code

    @property
    def call(self) -> bool:
        """Whether the patient is told to call their emergency number now (a tap-to-call link)."""
        return self.level == signs.EMERGENCY

    @property
    def level_label(self) -> str:
        return signs.LEVEL_LABELS[self.level]

    @property
    def action(self) -> str:
        """The heading of the warning screen: "Act now", "See a doctor today"."""
        return signs.ACTIONS[self.level]


def advise(
    sign: signs.Sign, emergency_number: str, saves: Sequence[Saved] = (), detail: dict[str, Any] | None = None
) -> Advice:
    """The advice of `sign` for the episodes behind it, given as (started, last saved) pairs.

    `detail` is a flag's numbers, which may add sentences to the message (e.g. "moved between legs").
    """
    late = detectors.logged_late(sign, saves)
    if late:
        return Advice(
            sign=sign,
            level=signs.URGENT,
            title=sign.late_title,
            message=signs.late_entry_message(sign.code, emergency_number),
            late_entry=True,
            emergency_number=emergency_number,
        )
    return Advice(
        sign=sign,
        level=sign.level,
        title=sign.title,
        message=signs.patient_message(sign.code, emergency_number, detail),
        late_entry=False,
        emergency_number=emergency_number,
    )


def saves_of(patient: User, episode_ids: Collection[str]) -> dict[str, Saved]:
    """(started, last saved) of each of the patient's episodes among these ids that still exists, in one query."""
    if not episode_ids:
        return {}
    rows = patient.episodes.filter(id__in=list(episode_ids)).values_list("id", "started_at", "updated_at")
    return {str(episode_id): (started, saved) for episode_id, started, saved in rows}


def for_flag(flag: Flag, emergency_number: str, saves: dict[str, Saved]) -> Advice:
    """The advice of a flag, from the episodes behind it that still exist (`saves_of`)."""
    return advise(flag.sign, emergency_number, [saves[i] for i in flag.evidence if i in saves], flag.detail)
