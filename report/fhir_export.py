"""The report as FHIR, following the HL7 FHIR Symptoms IG (hl7.fhir.uv.symptoms 1.0.0, canonical
http://hl7.org/fhir/uv/symptoms), in two bundles of the same resources (DESIGN §6, §10):

- a `collection` bundle, to read or keep as it is;
- a `transaction` bundle for a record system to import: each entry a conditional update by its identifier
  (`PUT Observation?identifier=…`), so a second send updates what the first created instead of adding copies.

Every resource has an `identifier` in this installation's https canonical (`https://<SITE_URL's host>/fhir/id/
<kind>`) whose value is the row's UUID (an episode's own id; a UUID derived from it, or from the patient's key,
where the row has none), and an `id` derived from that canonical, so two installations never give two
people, or two copies of one imported diary, the same ids. Provenance has no identifier in R4: it is sent by
its stable id (`PUT Provenance/<id>`). Local codes live under `https://…/fhir/CodeSystem/<name>`, never `urn:`.

- Patient: name with `given` and `family` when the account has them, date of birth.
- Device: this app, which assembled the data and applied the warning-sign rules.
- Each episode: a SymptomObservation (category `symptom`, code LOINC 75325-1 "Symptom", value SNOMED CT
  44077006 Numbness, `effectivePeriod`, `issued` when it was logged), the legs' body site with laterality and
  each place in the IG's LocationQualifier, components for quality (56823-8), severity (64750-3: mild, moderate
  or severe, its scale named as the app's own 0–10 numbness scale, never a pain scale), the 0–10 score itself
  (the app's own code), triggers (100752-5) and relief (100753-3) coded from the IG's value sets where they have
  a code.
- Each accompanying symptom, and the saddle area when it was marked, a SymptomObservation of its own (the IG's
  way: referenced from the episode by the `workflow-supportingInfo` extension, slice associatedSymptomOrCondition),
  coded in SNOMED CT where a verified code exists (`diary/vocab.py`); alarm symptoms carry the category
  `alarm-symptom`, so the red-flag findings themselves travel as coded Observations.
- Each "no numbness today" check-in: a SymptomAbsentObservation (LOINC 111551-8).
- Each red flag: a Flag (what record systems keep and show as an alert) pointing at the findings behind it
  (extension `flag-detail`), and a DetectedIssue; each pattern: a DetectedIssue. Each has a Provenance naming
  the rule (`https://…/fhir/rule/<code>`) and the episodes it rests on; one more Provenance says the
  observations are patient-reported, through this app.

Release: the IG is written for FHIR R4 (4.0.1), but no maintained Python library validates R4 4.0.1
(`fhir.resources` 7+ ships R5, R4B and STU3), so the bundles are validated as FHIR R4B (4.3.0) with
`fhir.resources.R4B` before they are returned; the resources used are the same on the wire in R4 and R4B. The
tests validate each Observation against the IG's own StructureDefinitions as well (tests/report/fhir_profiles.py).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from diary import vocab
from diary.clock import after, day_range, utc_timestamp
from diary.facts import EpisodeFacts
from report import phrases
from report.content import Report
from report.flags import ReportFlag
from triage import signs
from triage.models import ACTIVE

Json = dict[str, Any]

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
IG = "http://hl7.org/fhir/uv/symptoms"
SYMPTOM_OBSERVATION = f"{IG}/StructureDefinition/SymptomObservation"
SYMPTOM_ABSENT_OBSERVATION = f"{IG}/StructureDefinition/SymptomAbsentObservation"
LOCATION_QUALIFIER = f"{IG}/StructureDefinition/LocationQualifier"
SCALE = f"{IG}/StructureDefinition/AssessmentScaleInformation"
SUPPORTING_INFO = "http://hl7.org/fhir/StructureDefinition/workflow-supportingInfo"  # associatedSymptomOrCondition
FLAG_DETAIL = "http://hl7.org/fhir/StructureDefinition/flag-detail"  # FHIR R4 core extension
# The displays are the IG's: its slices match a component by code *and* display.
CATEGORY = {"coding": [{"system": f"{IG}/CodeSystem/SymptomTemporary", "code": "symptom", "display": "Symptom"}]}
SYMPTOM_CODE = {"coding": [{"system": LOINC, "code": "75325-1", "display": "Symptom"}], "text": "Symptom"}
ABSENT_CODE = {"coding": [{"system": LOINC, "code": "111551-8", "display": "Symptom absent"}], "text": "Symptom absent"}
QUALITY = {"system": LOINC, "code": "56823-8", "display": "Problem quality or description"}
SEVERITY = {"system": LOINC, "code": "64750-3", "display": "Severity of symptoms"}
TRIGGERS = {"system": LOINC, "code": "100752-5", "display": "Exacerbating factors - Reported"}
ALLEVIATING = {"system": LOINC, "code": "100753-3", "display": "Alleviating factors - Reported"}
ONSET = {"system": LOINC, "code": "99495-4", "display": "Speed of condition onset"}
LATERALITY_ATTRIBUTE = "272741003"  # SNOMED CT "Laterality" attribute, for a post-coordinated body site
PERINEUM = "38864007"
# Severity as the IG's SNOMED CT severities (descendants of 272141005), from the 0–10 numbness score.
SEVERITY_BANDS = [(3, "255604002"), (6, "6736007"), (vocab.SEVERITY_MAX, "24484000")]  # mild, moderate, severe
SUDDEN_SYMPTOMS = frozenset({"sudden_headache", "sudden_severe_pain"})  # sudden and severe by their own words
ISSUE_SEVERITY = {signs.EMERGENCY: "high", signs.URGENT: "moderate", signs.SEE_DOCTOR: "low"}
PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
# Where a symptom is, when the symptom itself says: a site code from diary/vocab.py.
SYMPTOM_SITES = {
    "saddle_numbness": PERINEUM,
    "leg_weakness": vocab.LOWER_LIMB_SNOMED,
    "leg_swollen": vocab.LOWER_LIMB_SNOMED,
    "leg_pale_cold": vocab.LOWER_LIMB_SNOMED,
}


@dataclass(frozen=True)
class Installation:
    """This installation's FHIR canonical: the identifiers' systems, the local code systems and the ids.

    https even when SITE_URL is plain http (development): a canonical names things, nobody fetches it."""

    base: str

    @classmethod
    def current(cls) -> Installation:
        site = urlsplit(settings.SITE_URL)
        return cls(f"https://{site.netloc}{site.path.rstrip('/')}/fhir")

    @property
    def namespace(self) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, self.base)

    @property
    def address(self) -> str:
        """The installation's address that the apps' canonicals start with: the base without its "/fhir"."""
        return self.base.removesuffix("/fhir")

    def system(self, kind: str) -> str:
        return f"{self.base}/id/{kind}"

    def code_system(self, name: str) -> str:
        return f"{self.base}/CodeSystem/{name}"

    def derived(self, *parts: object) -> str:
        """A UUID for a row that has none (a patient, a check-in, a flag), the same on every export."""
        return str(uuid.uuid5(self.namespace, "/".join(map(str, parts))))

    def resource_id(self, kind: str, value: str) -> str:
        """The resource's id: from this installation's canonical, so it differs between installations."""
        return str(uuid.uuid5(self.namespace, f"{kind}/{value}"))

    def identifier(self, kind: str, value: str) -> Json:
        return {"system": self.system(kind), "value": value}

    def coding(self, name: str, code: str, display: str) -> Json:
        return {"system": self.code_system(name), "code": code, "display": display}


@dataclass
class Bundle:
    """The resources of one report, each with the identifier that the transaction matches it by."""

    report: Report
    site: Installation
    entries: list[tuple[Json, Json | None]] = field(default_factory=list)  # (resource, identifier or None)

    def add(self, resource: Json, identifier: Json | None) -> str:
        """Add a resource; its reference inside the bundle."""
        self.entries.append((resource, identifier))
        return f"urn:uuid:{resource['id']}"


def _snomed(code: str) -> Json:
    return {"system": SNOMED, "code": code, "display": vocab.SNOMED_NAMES[code]}


def concept(site: Installation, name: str, term: vocab.Term) -> Json:
    """A vocabulary term: its SNOMED CT code where verified, and the app's own code, with the patient's words."""
    codings = [_snomed(term.snomed)] if term.snomed else []
    codings.append(site.coding(name, term.code, term.label))
    return {"coding": codings, "text": term.clinical_label}


def lateral(site: str, sides: set[str]) -> Json:
    """A SNOMED CT body site with its laterality post-coordinated: 'site:272741003=<left|right|both>'."""
    side = vocab.BOTH_SIDES_SNOMED if len(sides) > 1 else vocab.SIDES[next(iter(sides))].snomed
    words = "both sides" if len(sides) > 1 else next(iter(sides))
    return {
        "system": SNOMED,
        "code": f"{site}:{LATERALITY_ATTRIBUTE}={side}",
        "display": f"{vocab.SNOMED_NAMES[site]}, {words}",
    }


def body_site(places: list[vocab.Place]) -> Json:
    """The narrowest SNOMED CT site covering every place, with laterality post-coordinated on it (the saddle area:
    the perineum, which has none), and each place in the IG's LocationQualifier."""
    sites = {vocab.REGIONS[p.region].snomed or vocab.LOWER_LIMB_SNOMED for p in places}
    site = sites.pop() if len(sites) == 1 else vocab.LOWER_LIMB_SNOMED
    codings = [_snomed(site)]
    if site != PERINEUM:
        codings.append(lateral(site, {p.side for p in places}))
    return {
        "extension": [{"url": LOCATION_QUALIFIER, "valueString": phrases.places_words([p])} for p in places],
        "coding": codings,
        "text": phrases.places_words(places),
    }


def limb_site(sides: set[str]) -> Json:
    """The lower limb on these sides; with no side when none is known (no leg marked), in the words as in the code."""
    codings = [_snomed(vocab.LOWER_LIMB_SNOMED)] + ([lateral(vocab.LOWER_LIMB_SNOMED, sides)] if sides else [])
    words = "both legs" if len(sides) > 1 else f"{next(iter(sides))} leg" if sides else "leg, side not marked"
    return {"coding": codings, "text": words}


def _severity_band(score: int) -> Json:
    return _snomed(next(code for top, code in SEVERITY_BANDS if score <= top))


def severity_components(site: Installation, score: int) -> list[Json]:
    """The IG's severity (mild, moderate, severe) with the app's 0–10 numbness scale named as its scale, and the
    score itself under the app's own code: never a LOINC pain scale (DESIGN §6)."""
    scale = site.coding(
        "assessment-scale",
        "numbness-nrs",
        f"Numbness, {vocab.SEVERITY_RANGE_LABEL} numeric rating scale, patient-rated",
    )
    band = _severity_band(score)
    return [
        {
            "extension": [{"url": SCALE, "valueCodeableConcept": {"coding": [scale]}}],
            "code": {"coding": [SEVERITY]},
            "valueCodeableConcept": {"coding": [band], "text": f"{vocab.severity_label(score)} numbness"},
        },
        {
            "code": {
                "coding": [site.coding("observation", "numbness-score", "Numbness score, 0–10, patient-rated")],
                "text": f"Numbness, {vocab.SEVERITY_RANGE_LABEL} numeric rating (patient-rated; not pain)",
            },
            "valueInteger": score,
        },
    ]


def _components(
    code: Json, site: Installation, name: str, vocabulary: dict[str, vocab.Term], codes: Iterable[str]
) -> list[Json]:
    chosen = set(codes)
    return [
        {"code": {"coding": [code]}, "valueCodeableConcept": concept(site, name, term)}
        for term in vocabulary.values()
        if term.code in chosen
    ]


class Episode:
    """One episode's resources: its SymptomObservation and those of what accompanied it."""

    def __init__(self, bundle: Bundle, e: EpisodeFacts, patient: str) -> None:
        self.bundle, self.e, self.patient = bundle, e, patient
        self.site = bundle.site
        saved = bundle.report.saved.get(e.id)
        # When it was logged; not known of an entry an imported file created (its created_at is the import's).
        self.issued = utc_timestamp(saved.created) if saved and not saved.logged_from_file else None

    def skeleton(self, kind: str, value: str) -> Json:
        """What every SymptomObservation of the episode has: identifier, status, category, code, patient, times."""
        e = self.e
        period = {"start": utc_timestamp(e.start)}
        if e.duration_minutes is not None:
            period["end"] = utc_timestamp(after(e.start, dt.timedelta(minutes=e.duration_minutes)))
        resource: Json = {
            "resourceType": "Observation",
            "id": self.site.resource_id(kind, value),
            "meta": {"profile": [SYMPTOM_OBSERVATION]},
            "identifier": [self.site.identifier(kind, value)],
            "status": "preliminary" if e.ongoing else "final",
            "category": [CATEGORY],
            "code": SYMPTOM_CODE,
            "subject": {"reference": self.patient},
            "effectivePeriod": period,
        }
        if self.issued:
            resource["issued"] = self.issued
        resource["performer"] = [{"reference": self.patient}]
        return resource

    def alarm(self, resource: Json) -> None:
        resource["category"] = [
            CATEGORY,
            {"coding": [self.site.coding("category", "alarm-symptom", "Alarm symptom (a warning-sign question)")]},
        ]

    def symptom(self, code: str) -> str:
        """A symptom ticked with this episode, as a SymptomObservation of its own; its reference."""
        e, term = self.e, vocab.SYMPTOMS[code]
        resource = self.skeleton("episode-symptom", str(uuid.uuid5(uuid.UUID(e.id), f"symptom/{code}")))
        resource["valueCodeableConcept"] = concept(self.site, "symptom", term)
        if code in SYMPTOM_SITES:
            resource["bodySite"] = (
                {"coding": [_snomed(PERINEUM)], "text": vocab.REGIONS["saddle"].clinical}
                if SYMPTOM_SITES[code] == PERINEUM
                else limb_site({p.side for p in e.places if p.region not in phrases.MIDLINE})
            )
        if code in SUDDEN_SYMPTOMS:
            resource["component"] = [
                {"code": {"coding": [ONSET]}, "valueCodeableConcept": {"coding": [_snomed("385315009")]}},
                {"code": {"coding": [SEVERITY]}, "valueCodeableConcept": {"coding": [_snomed("24484000")]}},
            ]
        if term.alarm:
            self.alarm(resource)
        return self.bundle.add(resource, resource["identifier"][0])

    def saddle(self) -> str:
        """Numbness in the saddle area, marked on the leg map: a SymptomObservation of its own at the perineum."""
        e = self.e
        marked = [p for p in e.places if p.region in phrases.MIDLINE]
        resource = self.skeleton("episode-region", str(uuid.uuid5(uuid.UUID(e.id), "region/saddle")))
        resource["valueCodeableConcept"] = {"coding": [_snomed("44077006")], "text": "Numbness of the saddle area"}
        resource["bodySite"] = body_site(marked)
        self.alarm(resource)
        return self.bundle.add(resource, resource["identifier"][0])

    def observation(self) -> str:
        """The episode's SymptomObservation, after those of what accompanied it; its reference."""
        e, site = self.e, self.site
        associated = [self.symptom(code) for code in vocab.SYMPTOMS if code in e.symptoms]
        if any(p.region in phrases.MIDLINE for p in e.places) and "saddle_numbness" not in e.symptoms:
            associated.append(self.saddle())
        resource = self.skeleton("episode", e.id)
        if associated:
            resource["extension"] = [{"url": SUPPORTING_INFO, "valueReference": {"reference": r}} for r in associated]
        resource["valueCodeableConcept"] = {
            "coding": [_snomed("44077006")],
            "text": "Leg numbness (patient-reported episode)",
        }
        legs = [p for p in e.places if p.region not in phrases.MIDLINE]
        if legs or e.places:
            resource["bodySite"] = body_site(legs or e.places)
        components = _components(QUALITY, site, "sensation", vocab.SENSATIONS, e.sensations)
        components += severity_components(site, e.severity)
        components += _components(TRIGGERS, site, "trigger", vocab.TRIGGERS, e.triggers)
        components += _components(ALLEVIATING, site, "relief", vocab.RELIEF, e.relieved_by)
        resource["component"] = components
        if e.notes:
            resource["note"] = [{"text": e.notes}]
        return self.bundle.add(resource, resource["identifier"][0])


def absent_observation(bundle: Bundle, day: dt.date, patient: str, value: str) -> Json:
    """A 'no numbness today' check-in: numbness absent from both legs over that local day."""
    site = bundle.site
    start, end = day_range(day, day, zoneinfo.ZoneInfo(bundle.report.timezone))
    return {
        "resourceType": "Observation",
        "id": site.resource_id("checkin", value),
        "meta": {"profile": [SYMPTOM_ABSENT_OBSERVATION]},
        "identifier": [site.identifier("checkin", value)],
        "status": "final",
        "category": [CATEGORY],
        "code": ABSENT_CODE,
        "subject": {"reference": patient},
        "effectivePeriod": {"start": utc_timestamp(start), "end": utc_timestamp(end)},
        "performer": [{"reference": patient}],
        "valueCodeableConcept": {
            "coding": [_snomed("44077006")],
            "text": "No leg numbness on this day (daily check-in)",
        },
        "bodySite": limb_site(set(vocab.SIDES)),
    }


def _flag_value(site: Installation, patient_value: str, item: ReportFlag) -> str:
    return site.derived("flag", item.flag.pk) if item.flag else site.derived("warning", patient_value, item.code)


def _detail(item: ReportFlag) -> str:
    """The flag in the physician's words: what fired it, on which episodes, why it matters, and its sources."""
    parts = [f"{item.level_label}: {item.title}."]
    parts += [f"{line.text}." for line in item.lines]
    if not item.sign.per_episode:  # a sign matched on single episodes is said by its lines
        parts += item.reasons
    if item.behind:
        parts.append(f"Episodes behind it: {item.dates}.")
    parts.append(f"Rationale: {item.sign.rationale}")
    if item.status:
        parts.append(f"Status: {item.status}.")
    parts.append(f"Sources: {'; '.join(item.sources)}.")
    return " ".join(parts)


def flag_resources(
    bundle: Bundle,
    item: ReportFlag,
    patient: str,
    patient_value: str,
    device: str,
    findings: dict[str, list[str]],
    episodes: dict[str, str],
) -> None:
    """A red flag's Flag and DetectedIssue, or a pattern's DetectedIssue, and the Provenance naming its rule."""
    site, report = bundle.site, bundle.report
    value = _flag_value(site, patient_value, item)
    behind = [line.facts for line in item.lines] or item.behind
    in_bundle = [episodes[e.id] for e in behind if e.id in episodes]
    title = {
        "coding": [site.coding("warning-sign", item.code, item.title)],
        "text": f"{item.level_label}: {item.title}",
    }
    if item.flag:
        identified = item.flag.first_seen.isoformat()
    elif behind:
        identified = utc_timestamp(behind[0].start)
    else:
        identified = utc_timestamp(report.generated_at)
    targets = []
    if item.level != signs.SEE_DOCTOR:
        details = [ref for e in behind for ref in findings.get(e.id, [])] or in_bundle
        flag: Json = {
            "resourceType": "Flag",
            "id": site.resource_id("flag", value),
            "identifier": [site.identifier("flag", value)],
            "status": "active" if item.flag and item.flag.status in ACTIVE else "inactive",
            "category": [{"coding": [{"system": FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]}],
            "code": title,
            "subject": {"reference": patient},
            "author": {"reference": device},
        }
        if details:
            flag["extension"] = [
                {"url": FLAG_DETAIL, "valueReference": {"reference": r}} for r in dict.fromkeys(details)
            ]
        if behind:
            flag["period"] = {"start": utc_timestamp(behind[0].start)}
        targets.append(bundle.add(flag, flag["identifier"][0]))
    issue: Json = {
        "resourceType": "DetectedIssue",
        "id": site.resource_id("detected-issue", value),
        "identifier": [site.identifier("detected-issue", value)],
        "status": "final",
        "code": title,
        "severity": ISSUE_SEVERITY[item.level],
        "patient": {"reference": patient},
        "identifiedDateTime": identified,
        "author": {"reference": device},
        "detail": _detail(item),
        "reference": f"{site.base}/rule/{item.code}",
    }
    if in_bundle:
        issue["evidence"] = [{"detail": [{"reference": r} for r in in_bundle]}]
    targets.append(bundle.add(issue, issue["identifier"][0]))
    recorded = item.flag.opened_at if item.flag else report.generated_at
    provenance: Json = {
        "resourceType": "Provenance",
        "id": site.resource_id("provenance", value),
        "target": [{"reference": t} for t in targets],
        "recorded": utc_timestamp(recorded),
        "policy": [f"{site.base}/rule/{item.code}"],
        "activity": {"text": f"The app's warning-sign rule {item.code} applied to the patient's diary"},
        "agent": [
            {
                "type": {"coding": [{"system": PARTICIPANT, "code": "author", "display": "Author"}]},
                "who": {"reference": device},
            }
        ],
    }
    if in_bundle:
        provenance["entity"] = [{"role": "source", "what": {"reference": r}} for r in in_bundle]
    bundle.add(provenance, None)


# What the patient told the app: the Provenance names the patient as its author (the flags have their own).
PATIENT_REPORTED = {
    "Observation",
    "QuestionnaireResponse",
    "MedicationStatement",
    "DeviceUseStatement",
    "Procedure",
}


def _identifier_of(resource: Json) -> Json | None:
    """The identifier a transaction matches a resource by: the first of a list, or the single one that some
    resources have (QuestionnaireResponse); None for those without (Questionnaire, matched by its id)."""
    found = resource.get("identifier")
    if isinstance(found, list):
        return found[0] if found else None
    return found


def resources(report: Report, site: Installation | None = None) -> Bundle:
    """Every resource of the report, in the order a reader expects: who, the app, the episodes, the days without
    numbness, the treatments and questionnaires, the warning signs, and where it all came from."""
    site = site or Installation.current()
    bundle = Bundle(report, site)
    patient_value = site.derived("patient", report.patient_id)
    person: Json = {
        "resourceType": "Patient",
        "id": site.resource_id("patient", patient_value),
        "identifier": [site.identifier("patient", patient_value)],
        "name": [{"use": "usual", "text": report.patient_name}],
    }
    if report.family_name:
        person["name"][0]["family"] = report.family_name
    if report.given_names:
        person["name"][0]["given"] = report.given_names
    if report.date_of_birth:
        person["birthDate"] = report.date_of_birth.isoformat()
    patient = bundle.add(person, person["identifier"][0])
    app_value = site.derived("device", "app")
    app: Json = {
        "resourceType": "Device",
        "id": site.resource_id("device", app_value),
        "identifier": [site.identifier("device", app_value)],
        "status": "active",
        "deviceName": [{"name": settings.APP_NAME, "type": "user-friendly-name"}],
        "type": {"text": "Patient diary app: the patient logs episodes; the app applies published warning-sign rules"},
        "url": settings.SITE_URL,
    }
    device = bundle.add(app, app["identifier"][0])
    episodes: dict[str, str] = {}
    findings: dict[str, list[str]] = {}
    for e in [*report.carried, *report.episodes]:  # a red flag carried into the period cites its episode too
        start = len(bundle.entries)
        episodes[e.id] = Episode(bundle, e, patient).observation()
        findings[e.id] = [f"urn:uuid:{r['id']}" for r, _ in bundle.entries[start:-1]]
    days_with_episodes = {e.day for e in report.episodes}
    for day, numbness in sorted(report.checkins.items()):
        if not numbness and day not in days_with_episodes:
            absent = absent_observation(bundle, day, patient, site.derived("checkin", patient_value, day.isoformat()))
            bundle.add(absent, absent["identifier"][0])
    for section in report.sections:  # treatments (§8) and questionnaire responses (§9), from their own apps
        for entry in section.fhir(patient, site.address):
            bundle.add(entry["resource"], _identifier_of(entry["resource"]))
    observations = [f"urn:uuid:{r['id']}" for r, _ in bundle.entries if r["resourceType"] in PATIENT_REPORTED]
    for item in report.flags:
        flag_resources(bundle, item, patient, patient_value, device, findings, episodes)
    if observations:
        reported: Json = {
            "resourceType": "Provenance",
            "id": site.resource_id("provenance", site.derived("reported", patient_value, report.first, report.last)),
            "target": [{"reference": r} for r in observations],
            "recorded": utc_timestamp(report.generated_at),
            "activity": {"coding": [{"system": DATA_OPERATION, "code": "CREATE", "display": "create"}]},
            "agent": [
                {
                    "type": {"coding": [{"system": PARTICIPANT, "code": "author", "display": "Author"}]},
                    "who": {"reference": patient},
                },
                {
                    "type": {"coding": [{"system": PARTICIPANT, "code": "assembler", "display": "Assembler"}]},
                    "who": {"reference": device},
                },
            ],
            "reason": [{"text": "Patient-reported: logged by the patient in their own diary, through this app"}],
        }
        bundle.add(reported, None)
    return bundle


def _entry(resource: Json) -> Json:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def fhir_bundle(report: Report, site: Installation | None = None) -> Json:
    """The `collection` bundle as a JSON-ready dict, validated against FHIR R4B before it is returned."""
    made = resources(report, site)
    bundle = {
        "resourceType": "Bundle",
        "identifier": made.site.identifier("bundle", str(uuid.uuid4())),
        "type": "collection",
        "timestamp": utc_timestamp(report.generated_at),
        "entry": [_entry(resource) for resource, _ in made.entries],
    }
    validate(bundle)
    return bundle


def fhir_transaction(report: Report, site: Installation | None = None) -> Json:
    """The `transaction` bundle: each resource a conditional update by its identifier (Provenance, which has
    none in R4, an update of its stable id), so that sending it again updates instead of duplicating."""
    made = resources(report, site)
    entries = []
    for resource, identifier in made.entries:
        kind = resource["resourceType"]
        url = (
            f"{kind}?identifier={identifier['system']}|{identifier['value']}"
            if identifier
            else f"{kind}/{resource['id']}"
        )
        entries.append(_entry(resource) | {"request": {"method": "PUT", "url": url}})
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "timestamp": utc_timestamp(report.generated_at),
        "entry": entries,
    }
    validate(bundle)
    return bundle


# The parts of an Observation that repeat across hundreds of them (the same trigger, body site, category, patient
# reference …): each distinct value is validated once by its own model, the Observation with a small stand-in in
# its place, so that the Observation's own rules (what is required, one value[x] at most) are still checked.
APART = {"text": "validated apart"}
REPEATED = {
    "component": ("ObservationComponent", True, None),  # (model, a list, the stand-in)
    "category": ("CodeableConcept", True, None),
    "code": ("CodeableConcept", False, APART),
    "bodySite": ("CodeableConcept", False, APART),
    "valueCodeableConcept": ("CodeableConcept", False, APART),
    "meta": ("Meta", False, None),
    "subject": ("Reference", False, {"display": "validated apart"}),
    "performer": ("Reference", True, None),
}


def validate(bundle: Json) -> None:
    """Raise ValueError unless the bundle is valid FHIR R4B.

    The parts of Observations that repeat (`REPEATED`) are validated once per distinct value, and the bundle
    without them: the same checks as validating the whole bundle at once, without repeating them (see
    bench/report.py).
    """
    distinct: dict[str, dict[str, Json]] = {model: {} for model, _, _ in REPEATED.values()}
    entries = []
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Observation":
            kept = dict(resource)
            for key, (model, many, stand_in) in REPEATED.items():
                if key not in resource:
                    continue
                for value in resource[key] if many else [resource[key]]:
                    distinct[model].setdefault(json.dumps(value, sort_keys=True), value)
                del kept[key]
                if stand_in is not None:
                    kept[key] = stand_in
            entry = entry | {"resource": kept}
        entries.append(entry)
    # Imported here, not at the top: fhir.resources costs a third of a second, which every process that loads
    # the URLs would pay (DESIGN §2's fast start), though only an export uses it.
    from fhir.resources.R4B.bundle import Bundle as R4BBundle
    from fhir.resources.R4B.codeableconcept import CodeableConcept
    from fhir.resources.R4B.meta import Meta
    from fhir.resources.R4B.observation import ObservationComponent
    from fhir.resources.R4B.reference import Reference

    models: dict[str, Any] = {
        "ObservationComponent": ObservationComponent,
        "CodeableConcept": CodeableConcept,
        "Meta": Meta,
        "Reference": Reference,
    }
    R4BBundle.model_validate(bundle | {"entry": entries})
    for model, values in distinct.items():
        for value in values.values():
            models[model].model_validate(value)
