"""How a flag is shown: the JSON record of the API and the review command, and page context."""

from __future__ import annotations

from typing import Any

from triage import signs
from triage.models import Flag


def flag_record(flag: Flag) -> dict[str, Any]:
    sign = flag.sign
    return {
        "code": flag.code,
        "level": flag.level,
        "status": flag.status,
        "resolution": flag.resolution,
        "title": sign.title,
        "evidence": list(flag.evidence),
        "detail": flag.detail,
        "reasons": flag.reasons,
        "sources": [source.record() for source in sign.source_list],
        "first_seen": flag.first_seen.isoformat(),
        "last_seen": flag.last_seen.isoformat(),
        "not_a_diagnosis": signs.NOT_A_DIAGNOSIS,
    }
