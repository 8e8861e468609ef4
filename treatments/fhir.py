"""The patient's treatments as FHIR resources for the report's bundle (DESIGN §8, §10). Release: R4B (4.3.0),
validated with `fhir.resources.R4B`; these resources are the same on the wire in R4 (4.0.1).

- A medication or a supplement: a `MedicationStatement` per course (one dose over a stretch of days): status
  (active, completed when a new dose followed, stopped when it was stopped, with the reason), the medication
  coded with RxNorm where the app's suggestions hold a verified ingredient code and always with its text, the
  effective period, the dosage in words and structured (timing, or "as needed"; the dose as a quantity), the
  patient as subject and as information source, category "patient specified".
- A device (insoles, a brace, TENS): a `DeviceUseStatement` per course, with the device contained in it. R4 made
  this resource for "a record of a device being used by a patient where the record is the result of a report
  from the patient", which is what the diary holds; a receiver files it with the patient's device use.
- Physiotherapy, exercises or anything else done: a `Procedure` per course (R4: "an action that is or was
  performed on or with or for a patient", which includes counselling and physiotherapy), status in-progress or
  completed, performed over the course's days, recorded and asserted by the patient. A MedicationStatement with a
  text-only "medication" would tell a receiver that a substance was taken, which it was not.

Every resource has an `identifier` under this installation's canonical (`SITE_URL/fhir/id/...`) whose value is
the treatment's UUID and the course's first day, so re-sending updates rather than duplicates; its `id` differs
between installations.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User

from diary.clock import utc_timestamp
from treatments import spans, vocab
from treatments.facts import CourseFacts
from treatments.models import Treatment

# Both from HL7's terminology package hl7.terminology.r4 7.0.1: NamingSystem-v3-rxNorm.json and
# NamingSystem-v3-ucum.json; the UCUM codes (mg, ug, g, mL, min) from its ValueSet-ucum-common.json.
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
# MedicationStatement.category, R4 and R4B (hl7.fhir.r4b.core 4.3.0, ValueSet medication-statement-category).
PATIENT_SPECIFIED = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/medication-statement-category",
            "code": "patientspecified",
            "display": "Patient Specified",
        }
    ]
}


def canonical(site_url: str, path: str) -> str:
    return f"{site_url.rstrip('/')}/fhir/{path}"


def _coded(site_url: str, system: str, term_code: str, label: str) -> dict[str, Any]:
    """A code of the app's own vocabulary (no public code is verified for it), with its words."""
    return {
        "coding": [{"system": canonical(site_url, f"CodeSystem/{system}"), "code": term_code, "display": label}],
        "text": label,
    }


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def dosage(treatment: Treatment, course: CourseFacts) -> dict[str, Any]:
    """The dose in words and structured: how often (or "as needed"), and how much at a time."""
    found: dict[str, Any] = {
        "text": vocab.dose_words(course.dose_amount, course.dose_unit, treatment.schedule, course.times_per_day)
    }
    if treatment.schedule == vocab.AS_NEEDED:
        found["asNeededBoolean"] = True
    elif course.times_per_day:
        found["timing"] = {"repeat": {"frequency": course.times_per_day, "period": 1, "periodUnit": "d"}}
    if course.dose_amount is not None:
        unit = vocab.UNITS.get(course.dose_unit)
        quantity: dict[str, Any] = {"value": _number(course.dose_amount)}
        if unit is not None:
            label = unit.label if course.dose_amount == 1 else unit.plural
            quantity["unit"] = label
            if unit.ucum:
                quantity |= {"system": UCUM, "code": unit.ucum}
        found["doseAndRate"] = [{"doseQuantity": quantity}]
    return found


def _period(course: CourseFacts) -> dict[str, str]:
    period = {"start": course.started_on.isoformat()}
    if course.last_day is not None:
        period["end"] = course.last_day.isoformat()  # a FHIR period's end is inclusive: the last day on it
    return period


def _status_reason(site_url: str, course: CourseFacts) -> list[dict[str, Any]]:
    term = vocab.STOP_REASONS.get(course.stop_reason)
    return [_coded(site_url, "stop-reason", term.code, term.label)] if term else []


def _resource_for(
    treatment: Treatment, course: CourseFacts, following: CourseFacts | None, patient_ref: str, site_url: str
) -> tuple[str, dict[str, Any]]:
    kind = treatment.kind
    continued = following is not None and following.started_on == course.stopped_on
    common: dict[str, Any] = {}
    if kind in vocab.DRUG_KINDS:
        resource_type = "MedicationStatement"
        status = "active" if course.stopped_on is None else ("completed" if continued else "stopped")
        medication: dict[str, Any] = {"text": treatment.name}
        suggestion = treatment.suggestion
        if suggestion is not None and suggestion.rxcui:
            medication["coding"] = [{"system": RXNORM, "code": suggestion.rxcui, "display": suggestion.rxnorm_name}]
        common = {
            "status": status,
            "category": PATIENT_SPECIFIED,
            "medicationCodeableConcept": medication,
            "subject": {"reference": patient_ref},
            "effectivePeriod": _period(course),
            "dateAsserted": utc_timestamp(treatment.created_at),
            "informationSource": {"reference": patient_ref},
            "dosage": [dosage(treatment, course)],
        }
        if reasons := _status_reason(site_url, course):
            common["statusReason"] = reasons
    elif kind == vocab.DEVICE:
        resource_type = "DeviceUseStatement"
        status = "active" if course.stopped_on is None else ("completed" if continued else "stopped")
        common = {
            "contained": [
                {
                    "resourceType": "Device",
                    "id": "device",
                    "deviceName": [{"name": treatment.name, "type": "user-friendly-name"}],
                    "type": _coded(site_url, "treatment-kind", kind, vocab.KINDS[kind].label),
                }
            ],
            "status": status,
            "subject": {"reference": patient_ref},
            "timingPeriod": _period(course),
            "recordedOn": utc_timestamp(treatment.created_at),
            "source": {"reference": patient_ref},
            "device": {"reference": "#device", "display": treatment.name},
            "note": [{"text": dosage(treatment, course)["text"]}],
        }
    else:
        resource_type = "Procedure"
        common = {
            "status": "in-progress" if course.stopped_on is None else "completed",
            "category": _coded(site_url, "treatment-kind", kind, vocab.KINDS[kind].label),
            "code": {"text": treatment.name},
            "subject": {"reference": patient_ref},
            "performedPeriod": _period(course),
            "recorder": {"reference": patient_ref},
            "asserter": {"reference": patient_ref},
            "note": [{"text": dosage(treatment, course)["text"]}],
        }
        if reasons := _status_reason(site_url, course):
            common["statusReason"] = reasons[0]
    if treatment.notes:
        common["note"] = [*common.get("note", []), {"text": treatment.notes}]
    return resource_type, common


def resources(
    patient: User,
    *,
    patient_reference: str,
    first: dt.date | None = None,
    last: dt.date | None = None,
    site_url: str | None = None,
) -> list[dict[str, Any]]:
    """Bundle entries ({"fullUrl", "resource"}) for every course of the patient's treatments that ran in first…last
    (default: all). `patient_reference` is how the bundle refers to the Patient (e.g. "urn:uuid:…")."""
    site = site_url or settings.SITE_URL
    entries = []
    treatments = Treatment.objects.filter(patient=patient).prefetch_related("courses").order_by("name", "id")
    for treatment in treatments:
        courses = [CourseFacts.of(c) for c in sorted(treatment.courses.all(), key=lambda c: c.started_on)]
        for course, following in zip(courses, [*courses[1:], None], strict=True):
            if not spans.ran_within(course, first or dt.date.min, last or dt.date.max):
                continue
            resource_type, body = _resource_for(treatment, course, following, patient_reference, site)
            kind = {"MedicationStatement": "medication-statement", "DeviceUseStatement": "device-use-statement"}.get(
                resource_type, "procedure"
            )
            value = f"{treatment.id}/{course.started_on.isoformat()}"
            system = canonical(site, f"id/{kind}")
            resource_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{system}/{value}"))
            resource = {
                "resourceType": resource_type,
                "id": resource_id,
                "identifier": [{"system": system, "value": value}],
            }
            entries.append({"fullUrl": f"urn:uuid:{resource_id}", "resource": resource | body})
    return entries


def validate(entries: list[dict[str, Any]]) -> None:
    """Raise ValueError unless every resource is valid FHIR R4B (imported here: fhir.resources is slow to load)."""
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate({"resourceType": "Bundle", "type": "collection", "entry": entries})
