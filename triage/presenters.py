"""How a flag is shown: the JSON record of the API and the review command, and page context."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User

from diary.services import profile_of
from triage import signs
from triage.advice import Advice, for_flag, saves_of
from triage.models import Flag


def flag_records(patient: User, flags: Iterable[Flag]) -> list[dict[str, Any]]:
    """The records of some of the patient's flags, each with the advice the pages give (one query for the episodes
    behind them all): a stroke sign logged late is "See a doctor today" here too, not "call now"."""
    flags = list(flags)
    saves = saves_of(patient, {i for f in flags for i in f.evidence})
    number = profile_of(patient).emergency_number
    return [flag_record(f, for_flag(f, number, saves)) | {"id": f.id} for f in flags]


def flag_record(flag: Flag, advice: Advice) -> dict[str, Any]:
    sign = flag.sign
    return {
        "code": flag.code,
        "level": advice.level,
        "status": flag.status,
        "resolution": flag.resolution,
        "title": advice.title,
        "message": advice.message,
        "call": advice.call,
        "evidence": list(flag.evidence),
        "detail": flag.detail,
        "reasons": flag.reasons,
        "sources": [source.record() for source in sign.source_list],
        "first_seen": flag.first_seen.isoformat(),
        "last_seen": flag.last_seen.isoformat(),
        "not_a_diagnosis": signs.NOT_A_DIAGNOSIS,
    }
