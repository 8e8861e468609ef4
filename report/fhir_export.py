"""The report as a FHIR bundle (type collection) following the HL7 FHIR Symptoms IG
(hl7.fhir.uv.symptoms 1.0.0, canonical http://hl7.org/fhir/uv/symptoms).

- a Patient;
- each episode a SymptomObservation: category `symptom` (the IG's SymptomTemporary code system),
  code LOINC 75325-1 "Symptom", value SNOMED CT 44077006 Numbness, effective period, performer and
  subject the Patient, bodySite with its laterality, and components quality 56823-8 (sensations),
  severity 64750-3 (mild/moderate/severe, with the 0–10 score kept as LOINC 72514-3), triggers
  100752-5 and alleviating factors 100753-3; accompanying symptoms as further coded components;
- each "no numbness today" check-in a SymptomAbsentObservation (LOINC 111551-8);
- each red flag and flagged pattern a DetectedIssue citing the episodes behind it.

Release: the IG is written for FHIR R4 (4.0.1), but no maintained Python library validates R4
4.0.1 (fhir.resources 7+ ships R5, R4B and STU3 only), so the bundle is validated against R4B
(4.3.0) with `fhir.resources.R4B`. Patient, Observation and DetectedIssue as used here are the same
on the wire in R4 and R4B.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zoneinfo
from typing import Any

from diary import vocab
from diary.clock import day_range, utc_timestamp
from diary.facts import EpisodeFacts
from report.content import Report, ReportFlag
from triage import signs

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
IG = "http://hl7.org/fhir/uv/symptoms"
SYMPTOM_OBSERVATION = f"{IG}/StructureDefinition/SymptomObservation"
SYMPTOM_ABSENT_OBSERVATION = f"{IG}/StructureDefinition/SymptomAbsentObservation"
LOCATION_QUALIFIER = f"{IG}/StructureDefinition/LocationQualifier"
SCALE = f"{IG}/StructureDefinition/AssessmentScaleInformation"
CATEGORY = {"coding": [{"system": f"{IG}/CodeSystem/SymptomTemporary", "code": "symptom", "display": "Symptom"}]}
SYMPTOM_CODE = {"coding": [{"system": LOINC, "code": "75325-1", "display": "Symptom"}], "text": "Symptom"}
ABSENT_CODE = {"coding": [{"system": LOINC, "code": "111551-8", "display": "Symptom absent"}], "text": "Symptom absent"}
NUMBNESS = {"system": SNOMED, "code": "44077006", "display": "Numbness"}
QUALITY = {"system": LOINC, "code": "56823-8", "display": "Problem quality or description"}
SEVERITY = {"system": LOINC, "code": "64750-3", "display": "Severity of symptoms"}
TRIGGERS = {"system": LOINC, "code": "100752-5", "display": "Exacerbating factors - Reported"}
ALLEVIATING = {"system": LOINC, "code": "100753-3", "display": "Alleviating factors - Reported"}
NUMERIC_RATING = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
LATERALITY_ATTRIBUTE = "272741003"  # SNOMED CT "Laterality" attribute, for a post-coordinated body site
LATERALITY = {
    "left": (vocab.SIDES["left"].snomed, "left"),
    "right": (vocab.SIDES["right"].snomed, "right"),
    "both": (vocab.BOTH_SIDES_SNOMED, "both sides"),
}
SITE_NAMES = {
    "29707007": "Toe structure",
    "56459004": "Foot structure",
    "30021000": "Lower leg structure",
    "72696002": "Knee region structure",
    "68367000": "Thigh structure",
    vocab.LOWER_LIMB_SNOMED: "Lower limb structure",
}
# Severity as the IG's SNOMED CT severities (descendants of 272141005), from the 0–10 score.
SEVERITY_BANDS = [(3, "255604002", "Mild"), (6, "6736007", "Moderate"), (vocab.SEVERITY_MAX, "24484000", "Severe")]
ISSUE_SEVERITY = {signs.EMERGENCY: "high", signs.URGENT: "moderate", signs.SEE_DOCTOR: "low"}
PATIENT_NAMESPACE = uuid.UUID("0b6c5f7e-4d1a-4c65-9f0e-6c1b8f3f2a10")


def local_system(kind: str) -> str:
    return f"urn:numbness-diary:{kind}"


def _side(sides: set[str]) -> str:
    return "both" if len(sides) > 1 else next(iter(sides))


def body_site(places: list[vocab.Place], sides: set[str]) -> dict[str, Any]:
    """The narrowest SNOMED CT site covering every place, with laterality post-coordinated on it."""
    sites = {vocab.REGIONS[place.region].snomed for place in places}
    site = sites.pop() if len(sites) == 1 else vocab.LOWER_LIMB_SNOMED
    site = site or vocab.LOWER_LIMB_SNOMED
    side_code, side_word = LATERALITY[_side(sides)]
    return {
        "extension": [{"url": LOCATION_QUALIFIER, "valueString": place.label} for place in places],
        "coding": [
            {"system": SNOMED, "code": site, "display": SITE_NAMES[site]},
            {
                "system": SNOMED,
                "code": f"{site}:{LATERALITY_ATTRIBUTE}={side_code}",
                "display": f"{SITE_NAMES[site]}, {side_word}",
            },
        ],
        "text": ", ".join(place.label for place in places),
    }


def _coded(kind: str, term: vocab.Term) -> dict[str, Any]:
    codings = [{"system": local_system(kind), "code": term.code, "display": term.label}]
    if term.snomed:
        codings.append({"system": SNOMED, "code": term.snomed, "display": term.label})
    return {"coding": codings, "text": term.label}


def _components(
    code: dict[str, Any], kind: str, vocabulary: dict[str, vocab.Term], codes: frozenset[str]
) -> list[dict[str, Any]]:
    return [
        {"code": {"coding": [code]}, "valueCodeableConcept": _coded(kind, term)}
        for term in vocabulary.values()
        if term.code in codes
    ]


def severity_components(score: int) -> list[dict[str, Any]]:
    band = next((code, label) for top, code, label in SEVERITY_BANDS if score <= top)
    return [
        {
            "extension": [{"url": SCALE, "valueCodeableConcept": {"coding": [NUMERIC_RATING]}}],
            "code": {"coding": [SEVERITY]},
            "valueCodeableConcept": {
                "coding": [{"system": SNOMED, "code": band[0], "display": band[1]}],
                "text": f"{vocab.severity_label(score)} ({band[1].lower()})",
            },
        },
        {
            "code": {"coding": [NUMERIC_RATING], "text": f"Severity, {vocab.SEVERITY_RANGE_LABEL} numeric rating"},
            "valueInteger": score,
        },
    ]


def symptom_observation(e: EpisodeFacts, patient_ref: str) -> dict[str, Any]:
    places = e.places
    period = {"start": utc_timestamp(e.start)}
    if e.duration_minutes is not None:
        period["end"] = utc_timestamp(e.start + dt.timedelta(minutes=e.duration_minutes))
    accompanying = {"system": local_system("component"), "code": "accompanying-symptom", "display": "Also present"}
    components = _components(QUALITY, "sensation", vocab.SENSATIONS, e.sensations)
    components += severity_components(e.severity)
    components += _components(TRIGGERS, "trigger", vocab.TRIGGERS, e.triggers)
    components += _components(ALLEVIATING, "relief", vocab.RELIEF, e.relieved_by)
    components += _components(accompanying, "symptom", vocab.SYMPTOMS, e.symptoms)
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": e.id,
        "meta": {"profile": [SYMPTOM_OBSERVATION]},
        "status": "preliminary" if e.ongoing else "final",
        "category": [CATEGORY],
        "code": SYMPTOM_CODE,
        "subject": {"reference": patient_ref},
        "effectivePeriod": period,
        "performer": [{"reference": patient_ref}],
        "valueCodeableConcept": {"coding": [NUMBNESS], "text": "Leg numbness (patient-reported episode)"},
        "component": components,
    }
    if places:
        resource["bodySite"] = body_site(places, e.sides)
    if e.notes:
        resource["note"] = [{"text": e.notes}]
    return resource


def absent_observation(day: dt.date, zone: dt.tzinfo, patient_ref: str, resource_id: str) -> dict[str, Any]:
    """A 'no numbness today' check-in: numbness absent from both legs over that local day."""
    start, end = day_range(day, day, zone)
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "meta": {"profile": [SYMPTOM_ABSENT_OBSERVATION]},
        "status": "final",
        "category": [CATEGORY],
        "code": ABSENT_CODE,
        "subject": {"reference": patient_ref},
        "effectivePeriod": {"start": utc_timestamp(start), "end": utc_timestamp(end)},
        "performer": [{"reference": patient_ref}],
        "valueCodeableConcept": {"coding": [NUMBNESS], "text": "No leg numbness on this day (daily check-in)"},
        "bodySite": {
            "coding": [
                {
                    "system": SNOMED,
                    "code": f"{vocab.LOWER_LIMB_SNOMED}:{LATERALITY_ATTRIBUTE}={vocab.BOTH_SIDES_SNOMED}",
                    "display": "Lower limb structure, both sides",
                }
            ],
            "text": "Both legs",
        },
    }


def detected_issue(item: ReportFlag, patient_ref: str, in_bundle: set[str], resource_id: str) -> dict[str, Any]:
    sign = item.sign
    episodes = [ep.facts.id for ep in item.episodes] or (list(item.flag.evidence) if item.flag else [])
    moments = "; ".join(f"{ep.when}: {ep.matched}" for ep in item.episodes)
    parts = [*item.reasons, f"Episodes: {moments}." if moments else "", f"Rationale: {sign.rationale}"]
    if item.status:
        parts.append(f"Status: {item.status}.")
    parts.append(f"Sources: {'; '.join(item.sources)}.")
    if item.flag:
        identified = item.flag.first_seen.isoformat()
    elif item.episodes:
        identified = utc_timestamp(item.episodes[0].facts.start)
    else:
        identified = ""
    resource: dict[str, Any] = {
        "resourceType": "DetectedIssue",
        "id": resource_id,
        "status": "final",
        "severity": ISSUE_SEVERITY[sign.level],
        "code": {
            "coding": [{"system": local_system("warning-sign"), "code": sign.code, "display": sign.title}],
            "text": sign.title,
        },
        "patient": {"reference": patient_ref},
        "detail": " ".join(p for p in parts if p),
    }
    if identified:
        resource["identifiedDateTime"] = identified
    evidence = [{"reference": f"urn:uuid:{i}"} for i in episodes if i in in_bundle]
    if evidence:
        resource["evidence"] = [{"detail": evidence}]
    return resource


def fhir_bundle(report: Report, patient_id: int) -> dict[str, Any]:
    """The bundle as a JSON-ready dict, validated against FHIR R4B before it is returned."""
    patient_uuid = uuid.uuid5(PATIENT_NAMESPACE, str(patient_id))
    patient_ref = f"urn:uuid:{patient_uuid}"
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(patient_uuid),
        "name": [{"text": report.patient_name}],
    }
    if report.date_of_birth:
        patient["birthDate"] = report.date_of_birth.isoformat()
    entries = [{"fullUrl": patient_ref, "resource": patient}]
    entries += [
        {"fullUrl": f"urn:uuid:{e.id}", "resource": symptom_observation(e, patient_ref)} for e in report.episodes
    ]
    zone = zoneinfo.ZoneInfo(report.timezone)
    days_with_episodes = {e.day for e in report.episodes}
    for day, numbness in sorted(report.checkins.items()):
        if numbness or day in days_with_episodes:
            continue
        absent = uuid.uuid5(PATIENT_NAMESPACE, f"{patient_id}:checkin:{day.isoformat()}")
        entries.append(
            {"fullUrl": f"urn:uuid:{absent}", "resource": absent_observation(day, zone, patient_ref, str(absent))}
        )
    in_bundle = {e.id for e in report.episodes}
    for item in report.flags:
        issue = uuid.uuid5(PATIENT_NAMESPACE, f"{patient_id}:{item.code}:{item.flag.id if item.flag else ''}")
        entries.append(
            {"fullUrl": f"urn:uuid:{issue}", "resource": detected_issue(item, patient_ref, in_bundle, str(issue))}
        )
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": utc_timestamp(report.generated_at),
        "entry": entries,
    }
    validate(bundle)
    return bundle


def validate(bundle: dict[str, Any]) -> None:
    """Raise ValueError unless the bundle is valid FHIR R4B.

    Observation components repeat (the same trigger or relief on hundreds of episodes), so each
    distinct component is validated once, and the bundle without them: the same checks as
    validating the whole bundle at once, without repeating them (see bench/report.py).
    """
    distinct: dict[str, dict[str, Any]] = {}
    entries = []
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if "component" in resource:
            for component in resource["component"]:
                distinct.setdefault(json.dumps(component, sort_keys=True), component)
            entry = entry | {"resource": {k: v for k, v in resource.items() if k != "component"}}
        entries.append(entry)
    # Imported here, not at the top: fhir.resources costs a third of a second, which every process that loads
    # the URLs would pay (DESIGN §2's fast start), though only an export uses it.
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.observation import ObservationComponent

    Bundle.model_validate(bundle | {"entry": entries})
    for component in distinct.values():
        ObservationComponent.model_validate(component)
