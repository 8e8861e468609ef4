"""The instant signs as data, for the phone's own check when an entry is kept offline (DESIGN §5).

Generated from the catalogue (`triage/signs.py`) and the vocabulary, never written twice: each sign's rule
(the codes and places that fire it, "both legs", "together", "unless"), its words in the order the detectors
write them (`detectors._own_match`), its advice (`advice.advise`: the message with "{number}" left for the
phone to fill in, and the late-entry advice of stroke signs) and its sources. `/app/signs.json` serves it and the
service worker keeps it with the app shell; the log page carries it too (`embedded`), for a first visit with no
worker yet. `static/js/instant.js` reads the worker's copy first, then the page's, when an entry is kept offline, and
evaluates it; tests/browser/test_instant_parity.py runs one list of cases through both evaluations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import cache
from typing import Any

from django.utils.html import json_script
from django.utils.safestring import SafeString

from diary import vocab
from triage import signs
from triage.advice import Saved, advise

NUMBER = "{number}"  # left in the messages: the phone puts in the patient's emergency number
_ORIGIN = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _terms(vocabulary: dict[str, vocab.Term], codes: frozenset[str], suffix: str = "") -> list[list[str]]:
    """[[code, words], …] in vocabulary order, as `vocab.labels` lists them."""
    return [[code, term.label + suffix] for code, term in vocabulary.items() if code in codes]


def _rule(sign: signs.Sign) -> dict[str, Any]:
    t = sign.thresholds
    together = None
    if "together" in t:
        sensation, symptom = t["together"]
        words = f"{vocab.SENSATIONS[sensation].label} with {vocab.SYMPTOMS[symptom].label.lower()}"
        together = {"sensation": sensation, "symptom": symptom, "words": words}
    regions = t.get("regions", frozenset())
    return {
        "symptoms": _terms(vocab.SYMPTOMS, t.get("symptoms", frozenset())),
        "places": [[p.key, p.label] for p in vocab.every_place() if p.region in regions],
        "both_legs_symptoms": _terms(vocab.SYMPTOMS, t.get("both_legs_symptoms", frozenset()), " (both legs)"),
        "together": together,
        "triggers": _terms(vocab.TRIGGERS, t.get("triggers", frozenset())),
        "unless": t.get("unless"),
    }


def _advice(sign: signs.Sign, saves: list[Saved]) -> dict[str, str]:
    said = advise(sign, NUMBER, saves)
    return {"level": said.level, "title": said.title, "message": said.message}


def _sources(sign: signs.Sign) -> list[dict[str, Any]]:
    return [
        {"title": s.title, "publisher": s.publisher_words, "url": s.url, "background": s.background}
        for s in sign.source_list
    ]


def instant_catalogue() -> dict[str, Any]:
    """Every emergency and urgent sign checked on one episode, most serious first as the detectors order them."""
    data = []
    for sign in signs.CATALOGUE.values():
        if not sign.per_episode:
            continue
        late = sign.thresholds.get("late_entry")
        data.append(
            {
                "code": sign.code,
                "rule": _rule(sign),
                "advice": _advice(sign, []),
                # What advise() says of an entry saved one second past the threshold: the late entry's advice.
                "late": None
                if late is None
                else {
                    "after_seconds": int(late.total_seconds()),
                    "advice": _advice(sign, [(_ORIGIN, _ORIGIN + late + dt.timedelta(seconds=1))]),
                },
                "sources": _sources(sign),
            }
        )
    return {
        "level_order": signs.LEVEL_ORDER,
        "actions": signs.ACTIONS,
        "signs": data,
    }


@cache
def document() -> str:
    """The catalogue as the phone gets it: compact JSON, the same bytes for the same catalogue."""
    return json.dumps(instant_catalogue(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@cache
def embedded() -> SafeString:
    """The catalogue inside the log page (`{% instant_signs %}`): the page needs no request for it when it opens,
    and has it with no connection and no service worker. The same data as `document()`, escaped for a script element."""
    return json_script(instant_catalogue(), "instant-signs")


def version() -> str:
    return hashlib.sha256(document().encode()).hexdigest()[:16]
