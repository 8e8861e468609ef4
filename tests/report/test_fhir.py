"""The FHIR bundle: valid R4B, and every episode a SymptomObservation of the HL7 Symptoms IG
(hl7.fhir.uv.symptoms 1.0.0) whose required elements are checked one by one; check-ins become
SymptomAbsentObservations; red flags and patterns DetectedIssues."""

import copy
import datetime as dt
import json
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from diary import services, vocab
from diary.interchange import import_diary
from report import content
from report.fhir_export import fhir_bundle, validate
from tests.conftest import FIXTURE_VIGNETTES, load_vignette, log, make_patient
from triage.review import review_patient

IG = "http://hl7.org/fhir/uv/symptoms"
LOINC, SNOMED = "http://loinc.org", "http://snomed.info/sct"
FIRST, LAST = dt.date(2025, 12, 1), dt.date(2026, 3, 1)
FORBIDDEN = ("dataAbsentReason", "interpretation", "specimen", "device", "referenceRange")
SLICES = {"56823-8": "quality", "64750-3": "severity", "100752-5": "triggers", "100753-3": "alleviating"}


def codings(concept: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


def symptom_observation_problems(obs: dict[str, Any], patients: set[str]) -> list[str]:
    """What keeps an Observation from meeting the SymptomObservation profile, element by element."""
    problems = []
    if f"{IG}/StructureDefinition/SymptomObservation" not in obs.get("meta", {}).get("profile", []):
        problems.append("meta.profile")
    if obs.get("status") not in {"registered", "preliminary", "final", "amended"}:
        problems.append("status")
    if not any((f"{IG}/CodeSystem/SymptomTemporary", "symptom") in codings(c) for c in obs.get("category", [])):
        problems.append("category")
    if (LOINC, "75325-1") not in codings(obs.get("code", {})):
        problems.append("code")
    if obs.get("subject", {}).get("reference") not in patients:
        problems.append("subject")
    effective = [k for k in obs if k.startswith("effective")]
    if effective not in (["effectiveDateTime"], ["effectivePeriod"]) or (
        effective == ["effectivePeriod"] and "start" not in obs["effectivePeriod"]
    ):
        problems.append("effective[x]")
    performers = obs.get("performer", [])
    if len(performers) != 1 or performers[0].get("reference") not in patients:
        problems.append("performer")
    values = [k for k in obs if k.startswith("value")]
    if values != ["valueCodeableConcept"] or not codings(obs["valueCodeableConcept"]):
        problems.append("value[x]")
    problems += [name for name in FORBIDDEN if name in obs]
    severities = 0
    for i, component in enumerate(obs.get("component", [])):
        values = [k for k in component if k.startswith("value")]
        if not codings(component.get("code", {})) or len(values) != 1:
            problems.append(f"component[{i}]")
        problems += [f"component[{i}].{name}" for name in FORBIDDEN if name in component]
        loinc = {code for system, code in codings(component.get("code", {})) if system == LOINC}
        if loinc & SLICES.keys() and values != ["valueCodeableConcept"]:
            problems.append(f"component[{i}] ({SLICES[loinc.pop()]}) value")
        severities += "64750-3" in loinc
    if severities > 1:
        problems.append("component:severity 0..1")
    return problems


@pytest.fixture
def bundle(db):
    vignette = load_vignette(FIXTURE_VIGNETTES / "desk-worker-most-days.json")
    patient = make_patient("petra", date_of_birth=dt.date(1961, 4, 2))
    import_diary(patient=patient, document=vignette["diary"])
    review_patient(patient.pk, dt.date.fromisoformat(vignette["as_of"]))
    return fhir_bundle(content.build(patient, FIRST, LAST), patient.pk), vignette["diary"], patient


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_bundle_validates_as_r4b(bundle):
    data, _, _ = bundle
    Bundle.model_validate(json.loads(json.dumps(data)))
    assert data["type"] == "collection"
    assert all(e["fullUrl"].startswith("urn:uuid:") for e in data["entry"])


def test_every_episode_is_a_symptom_observation_with_its_required_elements(bundle):
    data, diary, _ = bundle
    patients = {e["fullUrl"] for e in data["entry"] if e["resource"]["resourceType"] == "Patient"}
    [person] = resources(data, "Patient")
    assert person["birthDate"] == "1961-04-02"
    observations = {o["id"]: o for o in resources(data, "Observation") if o["code"]["coding"][0]["code"] == "75325-1"}
    assert set(observations) == {e["id"] for e in diary["episodes"]}
    for obs in observations.values():
        assert symptom_observation_problems(obs, patients) == [], obs["id"]


@pytest.mark.parametrize(
    "element",
    ["meta", "status", "category", "code", "subject", "effectivePeriod", "performer", "valueCodeableConcept"],
)
def test_the_profile_check_notices_each_missing_required_element(bundle, element):
    data, _, _ = bundle
    patients = {e["fullUrl"] for e in data["entry"] if e["resource"]["resourceType"] == "Patient"}
    obs = copy.deepcopy(resources(data, "Observation")[0])
    del obs[element]
    assert symptom_observation_problems(obs, patients) != []


def test_episode_details_map_to_the_igs_components_and_body_site(bundle):
    data, diary, _ = bundle
    observations = {o["id"]: o for o in resources(data, "Observation")}
    for episode in diary["episodes"]:
        obs = observations[episode["id"]]
        assert codings(obs["valueCodeableConcept"]) == {(SNOMED, "44077006")}
        assert obs["effectivePeriod"]["start"] == episode["started_at"]
        by_code: dict[str, list[dict[str, Any]]] = {}
        for component in obs["component"]:
            for _system, code in codings(component["code"]):
                by_code.setdefault(code, []).append(component)
        [severity] = by_code["64750-3"]
        expected = "255604002" if episode["severity"] <= 3 else "6736007" if episode["severity"] <= 6 else "24484000"
        assert codings(severity["valueCodeableConcept"]) == {(SNOMED, expected)}
        assert severity["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "72514-3"
        [score] = by_code["72514-3"]
        assert score["valueInteger"] == episode["severity"]
        for loinc, kind, field in (("56823-8", "sensation", "sensations"), ("100752-5", "trigger", "triggers"),
                                   ("100753-3", "relief", "relieved_by")):  # fmt: skip
            found = {c["code"] for comp in by_code.get(loinc, []) for c in comp["valueCodeableConcept"]["coding"]
                     if c["system"] == f"urn:numbness-diary:{kind}"}  # fmt: skip
            assert found == set(episode[field]), (loinc, episode["id"])
        sides = {loc["side"] for loc in episode["locations"]}
        side = vocab.BOTH_SIDES_SNOMED if len(sides) == 2 else vocab.SIDES[sides.pop()].snomed
        site_codes = {code for system, code in codings(obs["bodySite"]) if system == SNOMED}
        assert any(code.endswith(f":272741003={side}") for code in site_codes)
        regions = {vocab.REGIONS[loc["region"]].snomed for loc in episode["locations"]}
        assert site_codes & (regions | {vocab.LOWER_LIMB_SNOMED})
        assert len(obs["bodySite"]["extension"]) == len(episode["locations"])


def test_a_no_numbness_check_in_is_a_symptom_absent_observation(patient):
    services.save_checkin(patient=patient, date=dt.date(2026, 2, 3), numbness_today=False, today=dt.date(2026, 2, 28))
    log(patient, started_at=dt.datetime(2026, 2, 4, 9, tzinfo=dt.UTC))
    data = fhir_bundle(content.build(patient, dt.date(2026, 2, 1), dt.date(2026, 2, 28)), patient.pk)
    Bundle.model_validate(data)
    patient_ref = resources(data, "Patient") and data["entry"][0]["fullUrl"]
    [absent] = [o for o in resources(data, "Observation") if (LOINC, "111551-8") in codings(o["code"])]
    assert absent["meta"]["profile"] == [f"{IG}/StructureDefinition/SymptomAbsentObservation"]
    assert absent["status"] == "final" and codings(absent["valueCodeableConcept"]) == {(SNOMED, "44077006")}
    assert absent["subject"]["reference"] == patient_ref and absent["performer"] == [{"reference": patient_ref}]
    assert absent["effectivePeriod"] == {"start": "2026-02-03T00:00:00Z", "end": "2026-02-04T00:00:00Z"}
    assert not any(name in absent for name in FORBIDDEN)


def test_flags_are_detected_issues_citing_their_episodes(bundle):
    data, _, _ = bundle
    [issue] = resources(data, "DetectedIssue")
    assert issue["code"]["coding"][0]["code"] == "pattern.persistent" and issue["severity"] == "low"
    assert issue["status"] == "final" and issue["patient"]["reference"] == data["entry"][0]["fullUrl"]
    assert "Numbness on 6 of the last 14 days" in issue["detail"]
    assert "Numbness in the legs (medically reviewed 2025)" in issue["detail"]
    in_bundle = {e["fullUrl"] for e in data["entry"]}
    assert issue["evidence"][0]["detail"] and all(r["reference"] in in_bundle for r in issue["evidence"][0]["detail"])


def test_validation_still_sees_every_component_and_every_other_element(bundle):
    data, _, _ = bundle
    validate(data)
    for corrupt in (
        lambda obs: obs["component"][-1].__setitem__("valueInteger", "eleven"),
        lambda obs: obs["component"][0].__setitem__("colour", "blue"),
        lambda obs: obs["component"][0].pop("code"),
        lambda obs: obs.__setitem__("effectivePeriod", "yesterday"),
    ):
        broken = copy.deepcopy(data)
        corrupt(next(e["resource"] for e in broken["entry"] if e["resource"]["resourceType"] == "Observation"))
        with pytest.raises(ValueError):
            validate(broken)


def test_an_invalid_bundle_is_refused():
    with pytest.raises(ValueError):
        Bundle.model_validate(
            {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Observation"}}]}
        )
