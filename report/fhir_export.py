"""The report as a FHIR bundle (type collection): a Patient, one Observation per episode, one
DetectedIssue per warning sign.

Release produced: FHIR R4B (4.3.0), validated with `fhir.resources.R4B` — fhir.resources 7+
defaults to R5, so the R4B models are imported explicitly. Patient, Observation and DetectedIssue
as used here are the same on the wire in R4 (4.0.1).

Codes: SNOMED CT (http://snomed.info/sct) 44077006 Numbness; laterality 7771000 left, 24028007
right, 51440002 both; body sites from `diary.vocab` (29707007 toe, 56459004 foot, 30021000 lower
leg, 72696002 knee, 68367000 thigh, 61685007 lower limb). LOINC (http://loinc.org) 72514-3 for
the 0–10 numeric rating. Sensations, triggers, symptoms, relief and warning signs have no
standard codes here: they use the diary's own code systems (urn:numbness-diary:…).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from diary import vocab
from diary.facts import EpisodeFacts
from report.content import Report, ReportFlag, place_label
from triage import signs

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
NUMERIC_RATING = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
NUMBNESS = {"system": SNOMED, "code": "44077006", "display": "Numbness"}
LOWER_LIMB = {"system": SNOMED, "code": vocab.LOWER_LIMB_SNOMED, "display": "Lower limb structure"}
LATERALITY = {
    "left": {"system": SNOMED, "code": vocab.SIDES["left"].snomed, "display": "Left"},
    "right": {"system": SNOMED, "code": vocab.SIDES["right"].snomed, "display": "Right"},
    "both": {"system": SNOMED, "code": vocab.BOTH_SIDES_SNOMED, "display": "Bilateral"},
}
SEVERITY = {signs.EMERGENCY: "high", signs.URGENT: "moderate", signs.SEE_DOCTOR: "low"}
PATIENT_NAMESPACE = uuid.UUID("0b6c5f7e-4d1a-4c65-9f0e-6c1b8f3f2a10")


def local_system(kind: str) -> str:
    return f"urn:numbness-diary:{kind}"


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _code_components(
    kind: str, label: str, vocabulary: dict[str, vocab.Term], codes: Collection[str]
) -> list[dict[str, Any]]:
    components = []
    for code, term in vocabulary.items():
        if code not in codes:
            continue
        codings = [{"system": local_system(kind), "code": code, "display": term.label}]
        if term.snomed:
            codings.append({"system": SNOMED, "code": term.snomed, "display": term.label})
        components.append({"code": {"text": label}, "valueCodeableConcept": {"coding": codings, "text": term.label}})
    return components


def observation(e: EpisodeFacts, patient_ref: str) -> dict[str, Any]:
    places = sorted(e.locations, key=lambda pair: vocab.location_key(*pair))
    sides = e.sides
    side = "both" if len(sides) == 2 else next(iter(sides))
    period = {"start": _instant(e.start)}
    if e.duration_minutes is not None:
        period["end"] = _instant(e.start + dt.timedelta(minutes=e.duration_minutes))
    components = [
        {
            "code": {"coding": [NUMERIC_RATING], "text": f"Severity, {vocab.SEVERITY_RANGE_LABEL} numeric rating"},
            "valueInteger": e.severity,
        },
        {"code": {"text": "Laterality"}, "valueCodeableConcept": {"coding": [LATERALITY[side]]}},
    ]
    for place_side, region in places:
        term = vocab.REGIONS[region]
        components.append(
            {
                "code": {"coding": [{"system": SNOMED, "code": term.snomed, "display": term.label}],
                         "text": f"Body site: {place_label(place_side, region)}"},
                "valueCodeableConcept": {"coding": [LATERALITY[place_side]]},
            }
        )  # fmt: skip
    components += _code_components("sensation", "Sensation", vocab.SENSATIONS, e.sensations)
    components += _code_components("trigger", "Trigger", vocab.TRIGGERS, e.triggers)
    components += _code_components("symptom", "Accompanying symptom", vocab.SYMPTOMS, e.symptoms)
    components += _code_components("relief", "Relieved by", vocab.RELIEF, e.relieved_by)
    resource = {
        "resourceType": "Observation",
        "id": e.id,
        "status": "preliminary" if e.ongoing else "final",
        "code": {"coding": [NUMBNESS], "text": "Leg numbness episode (patient-reported)"},
        "subject": {"reference": patient_ref},
        "effectivePeriod": period,
        "valueInteger": e.severity,
        "bodySite": {"coding": [LOWER_LIMB], "text": ", ".join(place_label(s, r) for s, r in places)},
        "component": components,
    }
    if e.notes:
        resource["note"] = [{"text": e.notes}]
    return resource


def detected_issue(item: ReportFlag, patient_ref: str, in_bundle: set[str]) -> dict[str, Any]:
    flag, sign = item.flag, item.sign
    sources = "; ".join(f"[{s.id}] {s.title}" for s in sign.source_list)
    detail = " ".join(item.reasons) + f" Rationale: {sign.rationale} Status: {flag.status}. Sources: {sources}."
    evidence = [{"reference": f"urn:uuid:{i}"} for i in flag.evidence if i in in_bundle]
    resource: dict[str, Any] = {
        "resourceType": "DetectedIssue",
        "id": f"flag-{flag.id}",
        "status": "final",
        "severity": SEVERITY[flag.level],
        "code": {
            "coding": [{"system": local_system("warning-sign"), "code": flag.code, "display": sign.title}],
            "text": sign.title,
        },
        "patient": {"reference": patient_ref},
        "identifiedDateTime": flag.first_seen.isoformat(),
        "detail": detail,
    }
    if evidence:
        resource["evidence"] = [{"detail": evidence}]
    return resource


def fhir_bundle(report: Report, patient_id: int) -> dict[str, Any]:
    """The bundle as a JSON-ready dict, validated against FHIR R4B before it is returned."""
    patient_uuid = uuid.uuid5(PATIENT_NAMESPACE, str(patient_id))
    patient_ref = f"urn:uuid:{patient_uuid}"
    patient = {"resourceType": "Patient", "id": str(patient_uuid), "name": [{"text": report.patient_name}]}
    if report.date_of_birth:
        patient["birthDate"] = report.date_of_birth.isoformat()
    entries = [{"fullUrl": patient_ref, "resource": patient}]
    entries += [{"fullUrl": f"urn:uuid:{e.id}", "resource": observation(e, patient_ref)} for e in report.episodes]
    in_bundle = {e.id for e in report.episodes}
    entries += [
        {"fullUrl": f"urn:uuid:{uuid.uuid5(PATIENT_NAMESPACE, item.flag.code + str(item.flag.id))}",
         "resource": detected_issue(item, patient_ref, in_bundle)}
        for item in report.flags
    ]  # fmt: skip
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(report.generated_at),
        "entry": entries,
    }
    Bundle.model_validate(bundle)  # raises if the bundle is not valid R4B
    return bundle
