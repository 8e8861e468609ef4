"""The FHIR export: every Observation valid against the HL7 Symptoms IG's own profiles (compiled from its source,
tests/vendor/hl7.fhir.uv.symptoms-1.0.0) and against base R4B; no pain scale on the numbness score; identifiers,
`issued`, name parts, Provenance; red flags as coded findings and Flags; and a transaction bundle that a FHIR
server, sent it twice, stores once."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import uuid
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation

from diary import services, vocab
from report import content
from report.fhir_export import (
    IG,
    SYMPTOM_ABSENT_OBSERVATION,
    SYMPTOM_OBSERVATION,
    Installation,
    fhir_bundle,
    fhir_transaction,
    validate,
)
from tests.conftest import REPO, add_treatment, log, make_patient
from tests.questionnaires.conftest import answer
from tests.report.fhir_profiles import Definitions, ProfileChecker
from triage.review import review_patient

Json = dict[str, Any]
VENDOR = REPO / "tests" / "vendor" / "hl7.fhir.uv.symptoms-1.0.0"
LOINC, SNOMED = "http://loinc.org", "http://snomed.info/sct"
HOUR = dt.timedelta(hours=1)
NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)  # 09:00 in Chicago


@pytest.fixture(scope="module")
def checker() -> ProfileChecker:
    return ProfileChecker(Definitions(VENDOR))


def logged(patient, start: dt.datetime, after: dt.timedelta = dt.timedelta(minutes=5), **fields: Any) -> str:
    """Log an episode as the patient did: `after` its start."""
    with time_machine.travel(start + after, tick=False):
        return str(log(patient, started_at=start, **fields).id)


@pytest.fixture
def story(db):
    """A week in Chicago with every kind of resource: a thunderclap headache with a weak arm, numbness in the saddle
    area with weak legs and retention (still going), claudication, a positional spell, and a quiet day."""
    patient = make_patient("rosa", tz="America/Chicago", date_of_birth=dt.date(1957, 5, 21))
    patient.first_name, patient.last_name = "Rosa Maria", "Álvarez"
    patient.save()
    ids = {
        "headache": logged(
            patient,
            dt.datetime(2026, 3, 3, 16, 5, tzinfo=dt.UTC),
            2 * HOUR,
            duration_minutes=20,
            severity=6,
            symptoms=["sudden_headache", "arm_weakness"],
            locations=[("left", "calf")],
        ),
        "walk": logged(
            patient,
            dt.datetime(2026, 3, 5, 14, 0, tzinfo=dt.UTC),
            duration_minutes=8,
            severity=4,
            triggers=["walking"],
            relieved_by=["rest"],
            sensations=["numbness", "pain"],
            locations=[("right", "calf")],
        ),
        "sitting": logged(
            patient,
            dt.datetime(2026, 3, 6, 18, 0, tzinfo=dt.UTC),
            duration_minutes=4,
            severity=2,
            triggers=["sitting"],
            relieved_by=["changed_position"],
            sensations=["tingling"],
            locations=[("left", "sole"), ("left", "toes")],
            notes="Long drive 🚗",
        ),
        "saddle": logged(
            patient,
            dt.datetime(2026, 3, 10, 13, 30, tzinfo=dt.UTC),
            duration_minutes=None,
            severity=7,
            symptoms=["leg_weakness", "urinary_retention", "back_pain"],
            triggers=["exercise"],
            locations=[("left", "saddle"), ("right", "saddle"), ("left", "thigh_back"), ("right", "thigh_back")],
        ),
    }
    services.save_checkin(patient=patient, date=dt.date(2026, 3, 4), numbness_today=False, today=dt.date(2026, 3, 10))
    with time_machine.travel(NOW, tick=False):
        review_patient(patient.pk, dt.date(2026, 3, 10))
        report = content.build(patient, dt.date(2026, 3, 1), dt.date(2026, 3, 10))
    return report, ids


@pytest.fixture
def bundle(story) -> Json:
    report, _ = story
    return fhir_bundle(report)


@pytest.fixture
def answered(story):
    """The same week, with pregabalin taken since February and the MNSI answered on 7 March: the report's treatment
    and questionnaire resources beside the episodes."""
    report, ids = story
    patient = User.objects.get(pk=report.patient_id)
    add_treatment(patient, started_on=dt.date(2026, 2, 1), ingredient="pregabalin")
    with time_machine.travel(NOW, tick=False):
        answer(patient, dt.datetime(2026, 3, 7, 15, 0, tzinfo=dt.UTC), yes=[1, 2, 3])
        report = content.build(patient, dt.date(2026, 3, 1), dt.date(2026, 3, 10))
    return report, ids


def resources(bundle: Json, kind: str) -> list[Json]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def by_ref(bundle: Json) -> dict[str, Json]:
    return {e["fullUrl"]: e["resource"] for e in bundle["entry"]}


def codes(concept: Json) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


def episode_observation(bundle: Json, episode_id: str) -> Json:
    return next(o for o in resources(bundle, "Observation") if o["identifier"][0]["value"] == episode_id)


# --- The IG's profiles and base R4B ------------------------------------------------------------------------------


def test_every_observation_is_valid_against_the_igs_profiles_and_base_r4b(bundle, checker):
    kinds = {e["fullUrl"]: e["resource"]["resourceType"] for e in bundle["entry"]}
    observations = resources(bundle, "Observation")
    profiles = {o["meta"]["profile"][0] for o in observations}
    assert profiles == {SYMPTOM_OBSERVATION, SYMPTOM_ABSENT_OBSERVATION}
    assert len(observations) == 4 + 5 + 1 + 1  # episodes; symptoms ticked (2 + 3); the saddle area; the quiet day
    for obs in observations:
        Observation.model_validate(obs)  # base R4B: raises on anything wrong
        assert checker.errors(obs, obs["meta"]["profile"][0], kinds.get) == [], obs["identifier"]
        warnings = [i for i in checker.validate(obs, obs["meta"]["profile"][0], kinds.get) if i.severity == "warning"]
        assert not [w for w in warnings if "Coding.display" in w.message or "not resolved" in w.message]
    assert set(checker.unsupported) <= {"ele-1"}  # what fhirpathpy cannot evaluate, and nothing else
    Bundle.model_validate(bundle)


def test_the_igs_slices_are_the_ones_the_components_land_in(bundle, checker, story):
    _, ids = story
    walk = episode_observation(bundle, ids["walk"])  # numbness and pain, severity, the score, walking, rest
    expected = ["quality", "quality", "severity", None, "triggersOrExacerbatingFactors", "alleviatingFactors"]
    for component, slice_name in zip(walk["component"], expected, strict=True):
        broken = copy.deepcopy(walk)
        broken["component"] = [component | {"interpretation": [{"text": "x"}]}]
        found = [str(i) for i in checker.validate(broken, SYMPTOM_OBSERVATION) if i.severity == "error"]
        if slice_name:
            assert any(f"(slice {slice_name})" in f for f in found), (slice_name, found)


BREAKAGES = {
    "no category": (lambda o: o.pop("category"), "Observation.category: minimum cardinality 1"),
    "not the IG's category": (
        lambda o: o.__setitem__("category", [{"coding": [{"system": "http://x.org", "code": "survey"}]}]),
        "category:symptomCode: slice minimum cardinality 1",
    ),
    "another code": (lambda o: o["code"]["coding"][0].__setitem__("code", "75275-8"), "does not match the pattern"),
    "the code without its display": (lambda o: o["code"]["coding"][0].pop("display"), "does not match the pattern"),
    "no performer": (lambda o: o.pop("performer"), "Observation.performer: minimum cardinality 1"),
    "a status outside the value set": (lambda o: o.__setitem__("status", "done"), "not in the required value set"),
    "a text value": (
        lambda o: (o.pop("valueCodeableConcept"), o.__setitem__("valueString", "numb")),
        "type string not allowed",
    ),
    "an interpretation": (lambda o: o.__setitem__("interpretation", [{"text": "abnormal"}]), "prohibited"),
    "two severities": (
        lambda o: o["component"].append(
            copy.deepcopy(next(c for c in o["component"] if c["code"]["coding"][0]["code"] == "64750-3"))
        ),
        "component:severity: slice maximum",
    ),
    "a coded place qualifier": (
        lambda o: o["bodySite"]["extension"][0].update({"valueCode": "left"})
        or o["bodySite"]["extension"][0].pop("valueString"),
        "type code not allowed",
    ),
    "a practitioner as performer": (
        lambda o: o.__setitem__("performer", [{"reference": "Practitioner/1"}]),
        "reference to a Practitioner",
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_the_profile_check_finds_each_breakage(bundle, checker, story, breakage):
    """The checker is no rubber stamp: each of these is refused."""
    _, ids = story
    obs = copy.deepcopy(episode_observation(bundle, ids["walk"]))
    corrupt, expected = BREAKAGES[breakage]
    corrupt(obs)
    assert any(expected in e for e in checker.errors(obs, SYMPTOM_OBSERVATION)), checker.errors(
        obs, SYMPTOM_OBSERVATION
    )


# --- The numbness score, identifiers, issued, the patient, provenance ------------------------------------------


def test_no_pain_scale_code_is_on_the_numbness_score(bundle, story):
    report, ids = story
    assert "72514-3" not in json.dumps(bundle)  # LOINC "Pain severity - 0-10 verbal numeric rating"
    site = Installation.current()
    for episode in report.episodes:
        obs = episode_observation(bundle, episode.id)
        [score] = [
            c for c in obs["component"] if (site.code_system("observation"), "numbness-score") in codes(c["code"])
        ]
        assert score["valueInteger"] == episode.severity
        [severity] = [c for c in obs["component"] if (LOINC, "64750-3") in codes(c["code"])]
        scale = severity["extension"][0]["valueCodeableConcept"]["coding"][0]
        assert scale["system"] == site.code_system("assessment-scale") and "Numbness" in scale["display"]


def test_every_resource_has_an_identifier_in_this_installations_canonical(bundle, story, settings):
    report, ids = story
    site = Installation.current()
    assert site.base == "https://127.0.0.1:8000/fhir"  # https even though SITE_URL is plain http here
    for resource in (e["resource"] for e in bundle["entry"]):
        if resource["resourceType"] == "Provenance":  # R4 gives Provenance no identifier: it goes by its id
            assert "identifier" not in resource
            continue
        [identifier] = resource["identifier"]
        assert identifier["system"].startswith(f"{site.base}/id/") and uuid.UUID(identifier["value"])
    assert episode_observation(bundle, ids["saddle"])["identifier"] == [site.identifier("episode", ids["saddle"])]
    assert len({e["resource"]["id"] for e in bundle["entry"]}) == len(bundle["entry"])


def test_ids_differ_between_installations_while_the_rows_uuids_stay(story):
    report, ids = story
    here = fhir_bundle(report, Installation("https://clinic-a.example/fhir"))
    there = fhir_bundle(report, Installation("https://clinic-b.example/fhir"))
    assert not {e["resource"]["id"] for e in here["entry"]} & {e["resource"]["id"] for e in there["entry"]}
    assert episode_observation(here, ids["walk"])["identifier"][0] == {
        "system": "https://clinic-a.example/fhir/id/episode",
        "value": ids["walk"],
    }
    assert episode_observation(there, ids["walk"])["identifier"][0]["system"].startswith("https://clinic-b.example/")


def test_every_full_url_is_a_uuid_urn_the_questionnaire_too(answered):
    """A `urn:uuid:` names a UUID (RFC 4122): "urn:uuid:mnsi-history-1.0" is no URI a server resolves."""
    report, _ = answered
    for bundle in (fhir_bundle(report), fhir_transaction(report)):
        kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
        assert {"Questionnaire", "QuestionnaireResponse", "MedicationStatement"} <= kinds
        for entry in bundle["entry"]:
            scheme, _, value = entry["fullUrl"].rpartition(":")
            assert scheme == "urn:uuid" and str(uuid.UUID(value)) == value, entry["fullUrl"]


def test_the_questionnaires_ids_differ_between_installations_too(answered):
    """Two installations holding one diary (exported from one, imported into the other, response ids and all) never
    give a Questionnaire, a QuestionnaireResponse or its score the same id: a server holding both would put one
    installation's resource in place of the other's."""
    report, _ = answered
    here = fhir_bundle(report, Installation("https://clinic-a.example/fhir"))
    there = fhir_bundle(report, Installation("https://clinic-b.example/fhir"))
    kinds = {"Questionnaire", "QuestionnaireResponse", "Observation"}

    def ids(bundle: Json) -> set[tuple[str, str]]:
        return {(e["resource"]["resourceType"], e["resource"]["id"]) for e in bundle["entry"]}

    assert {kind for kind, _ in ids(here)} >= kinds
    assert not ids(here) & ids(there)
    [row] = User.objects.get(pk=report.patient_id).questionnaire_responses.all()
    [response] = resources(here, "QuestionnaireResponse")
    assert response["identifier"]["value"] == str(row.id)  # the row's UUID stays, as the identifier's value
    [score] = [o for o in resources(here, "Observation") if o["identifier"][0]["value"] == str(row.id)]
    assert score["derivedFrom"] == [{"reference": f"urn:uuid:{response['id']}"}]


def test_issued_is_when_the_entry_was_logged(bundle, story):
    _, ids = story
    assert episode_observation(bundle, ids["headache"])["issued"] == "2026-03-03T18:05:00Z"  # two hours after
    assert episode_observation(bundle, ids["walk"])["issued"] == "2026-03-05T14:05:00Z"


def test_the_patient_has_name_parts(bundle):
    [patient] = resources(bundle, "Patient")
    assert patient["name"] == [
        {"use": "usual", "text": "Rosa Maria Álvarez", "family": "Álvarez", "given": ["Rosa", "Maria"]}
    ]
    assert patient["birthDate"] == "1957-05-21"


def test_provenance_says_patient_reported_through_this_app_and_names_each_rule(bundle):
    refs = by_ref(bundle)
    [device] = resources(bundle, "Device")
    assert device["deviceName"][0]["name"] == "Numbness Diary"
    device_ref = next(url for url, r in refs.items() if r is device)
    patient_ref = next(url for url, r in refs.items() if r["resourceType"] == "Patient")
    provenances = resources(bundle, "Provenance")
    [reported] = [p for p in provenances if "policy" not in p]
    observations = {url for url, r in refs.items() if r["resourceType"] == "Observation"}
    assert {t["reference"] for t in reported["target"]} == observations
    agents = {(a["type"]["coding"][0]["code"], a["who"]["reference"]) for a in reported["agent"]}
    assert agents == {("author", patient_ref), ("assembler", device_ref)}
    assert "Patient-reported" in reported["reason"][0]["text"]
    for provenance in (p for p in provenances if "policy" in p):
        [rule] = provenance["policy"]
        code = rule.rsplit("/", 1)[1]
        targets = [refs[t["reference"]] for t in provenance["target"]]
        assert all(t["code"]["coding"][0]["code"] == code for t in targets)
        assert provenance["agent"][0]["who"]["reference"] == device_ref
        assert all(refs[e["what"]["reference"]]["resourceType"] == "Observation" for e in provenance.get("entity", []))
    rules = {p["policy"][0].rsplit("/", 1)[1] for p in provenances if "policy" in p}
    assert {"emergency.stroke_signs", "emergency.spinal_cord"} <= rules


# --- Red flags, accompanying symptoms, triggers and relief ---------------------------------------------------


def test_accompanying_symptoms_are_coded_symptom_observations_linked_from_the_episode(bundle, story):
    _, ids = story
    refs = by_ref(bundle)
    headache = episode_observation(bundle, ids["headache"])
    linked = [refs[x["valueReference"]["reference"]] for x in headache["extension"]]
    assert [x["url"] for x in headache["extension"]] == [
        "http://hl7.org/fhir/StructureDefinition/workflow-supportingInfo"
    ] * 2
    by_value = {
        next(c["code"] for c in o["valueCodeableConcept"]["coding"] if c["system"] == SNOMED): o for o in linked
    }
    assert set(by_value) == {"25064002", "713514005"}  # headache; muscle weakness of limb (the arm)
    onset = {
        c["code"]["coding"][0]["code"]: c["valueCodeableConcept"]["coding"][0]["code"]
        for c in by_value["25064002"]["component"]
    }
    assert onset == {"99495-4": "385315009", "64750-3": "24484000"}  # sudden onset; severe
    site = Installation.current()
    for obs in linked:
        assert (site.code_system("category"), "alarm-symptom") in {c for cat in obs["category"] for c in codes(cat)}
        assert obs["effectivePeriod"] == headache["effectivePeriod"] and obs["subject"] == headache["subject"]


def test_saddle_numbness_is_the_perineum_never_the_legs(bundle, story):
    _, ids = story
    refs = by_ref(bundle)
    saddle = episode_observation(bundle, ids["saddle"])
    assert codes(saddle["bodySite"]) >= {(SNOMED, "68367000"), (SNOMED, "68367000:272741003=51440002")}  # thighs, both
    linked = [refs[x["valueReference"]["reference"]] for x in saddle["extension"]]
    sites = [o for o in linked if "bodySite" in o and (SNOMED, "38864007") in codes(o["bodySite"])]
    assert len(sites) == 1 and codes(sites[0]["valueCodeableConcept"]) >= {(SNOMED, "44077006")}
    assert "61685007:272741003=51440002" not in json.dumps(sites)
    values = {c["code"] for o in linked for c in o["valueCodeableConcept"]["coding"] if c["system"] == SNOMED}
    assert {"267064002", "713514005"} <= values  # retention of urine; weakness of the (lower) limbs
    assert saddle["status"] == "preliminary" and "end" not in saddle["effectivePeriod"]  # still going


def test_weak_legs_with_only_the_saddle_marked_are_not_said_to_be_both_legs(db):
    """The patient ticked "Leg or legs weak" and marked only the saddle area: which leg the diary does not say, so
    the weakness is at the lower limb with no laterality, in its coding and in its words alike."""
    patient = make_patient("ines", tz="America/Chicago")
    logged(
        patient,
        dt.datetime(2026, 3, 9, 15, 0, tzinfo=dt.UTC),
        duration_minutes=30,
        symptoms=["leg_weakness"],
        locations=[("left", "saddle")],
    )
    with time_machine.travel(NOW, tick=False):
        bundle = fhir_bundle(content.build(patient, dt.date(2026, 3, 1), dt.date(2026, 3, 10)))
    [weak] = [
        o for o in resources(bundle, "Observation") if (SNOMED, "713514005") in codes(o.get("valueCodeableConcept", {}))
    ]
    assert codes(weak["bodySite"]) == {(SNOMED, "61685007")}  # lower limb, no side
    assert "both" not in weak["bodySite"]["text"]


def test_red_flags_are_flags_pointing_at_their_findings(bundle):
    refs = by_ref(bundle)
    flags = {f["code"]["coding"][0]["code"]: f for f in resources(bundle, "Flag")}
    assert set(flags) == {"emergency.stroke_signs", "emergency.spinal_cord"}
    for flag in flags.values():
        assert flag["status"] == "active" and flag["category"][0]["coding"][0]["code"] == "clinical"
        assert flag["code"]["coding"][0]["system"].startswith("https://") and flag["code"]["text"].startswith(
            "Emergency: "
        )
        details = [refs[x["valueReference"]["reference"]] for x in flag["extension"]]
        assert details and all(d["meta"]["profile"] == [SYMPTOM_OBSERVATION] for d in details)
    spinal = [refs[x["valueReference"]["reference"]] for x in flags["emergency.spinal_cord"]["extension"]]
    assert {c["code"] for d in spinal for c in d["valueCodeableConcept"]["coding"] if c["system"] == SNOMED} >= {
        "267064002"
    }
    issues = {i["code"]["coding"][0]["code"]: i for i in resources(bundle, "DetectedIssue")}
    assert {"emergency.stroke_signs", "emergency.spinal_cord", "pattern.persistent"} <= set(issues)
    assert "still going" in issues["emergency.spinal_cord"]["detail"]
    assert "(s)" not in json.dumps(bundle) and "your" not in json.dumps(bundle).lower().replace("yourself", "")
    assert issues["emergency.spinal_cord"]["severity"] == "high"


def test_a_red_flag_carried_from_the_day_before_cites_its_episode(db):
    """Saddle numbness with retention began at 23:00 on 9 Mar in Chicago, still going, and another episode over by
    noon that day; a report of 10–16 Mar made on 10 Mar at 09:00. The report's red flag is the first episode (it
    began before the period and is still numb in it): the bundle has its Observation, which the Flag, the
    DetectedIssue and the rule's Provenance cite, and the bundle is still valid R4B. The one over by noon is not in
    the bundle: it is neither counted nor behind a flag; nor is one that lasted past midnight with no sign."""
    patient = make_patient("jun", tz="America/Chicago")
    earlier = logged(patient, dt.datetime(2026, 3, 9, 16, 0, tzinfo=dt.UTC), duration_minutes=15, severity=3)
    # 23:30 CDT on 9 Mar for an hour, past midnight into the period, with no warning sign: not behind a flag.
    plain = logged(patient, dt.datetime(2026, 3, 10, 4, 30, tzinfo=dt.UTC), duration_minutes=60, severity=2)
    going = logged(
        patient,
        dt.datetime(2026, 3, 10, 4, 0, tzinfo=dt.UTC),  # 23:00 CDT on 9 Mar in Chicago
        duration_minutes=None,
        severity=7,
        symptoms=["urinary_retention"],
        locations=[("left", "saddle"), ("right", "saddle")],
    )
    with time_machine.travel(NOW, tick=False):
        report = content.build(patient, dt.date(2026, 3, 10), dt.date(2026, 3, 16))
    assert report.episodes == [] and [e.id for e in report.carried] == [going]
    bundle = fhir_bundle(report)
    Bundle.model_validate(bundle)
    episode = episode_observation(bundle, going)
    assert episode["effectivePeriod"] == {"start": "2026-03-10T04:00:00Z"}
    assert earlier not in json.dumps(bundle) and plain not in json.dumps(bundle)
    refs = by_ref(bundle)
    reference = next(url for url, resource in refs.items() if resource is episode)
    [flag] = resources(bundle, "Flag")
    assert flag["code"]["coding"][0]["code"] == "emergency.spinal_cord"
    supporting = {x["valueReference"]["reference"] for x in episode["extension"] if "supportingInfo" in x["url"]}
    details = {x["valueReference"]["reference"] for x in flag["extension"]}
    assert details and details <= supporting  # its findings: the retention and the saddle area, in the bundle
    assert all(refs[d]["resourceType"] == "Observation" for d in details)
    [issue] = [i for i in resources(bundle, "DetectedIssue") if i["code"] == flag["code"]]
    assert [d["reference"] for d in issue["evidence"][0]["detail"]] == [reference]
    assert "began before this period" in issue["detail"]
    rule = next(p for p in resources(bundle, "Provenance") if p.get("policy"))
    assert rule["entity"] == [{"role": "source", "what": {"reference": reference}}]


def test_triggers_and_relief_use_the_igs_value_sets_where_they_have_a_code(bundle, story):
    def members(name: str) -> set[str]:
        vs = json.loads((VENDOR / f"ValueSet-{name}.json").read_text())
        return {c["code"] for inc in vs["compose"]["include"] for c in inc.get("concept", [])}

    triggers, alleviating = members("TriggersOrExacerbatingFactorCodes"), members("AlleviatingFactorCodes")
    for code in ("sitting", "standing", "exercise"):
        assert vocab.TRIGGERS[code].snomed in triggers, code
    for code in ("rest", "massage", "medication"):
        assert vocab.RELIEF[code].snomed in alleviating, code
    _, ids = story
    walk = episode_observation(bundle, ids["walk"])
    [relief] = [c for c in walk["component"] if (LOINC, "100753-3") in codes(c["code"])]
    assert (SNOMED, "128975004") in codes(relief["valueCodeableConcept"])  # resting state


def test_local_codes_are_only_under_this_installations_https_canonical(bundle):
    site = Installation.current()
    known = (SNOMED, LOINC, IG, "http://terminology.hl7.org/CodeSystem/")
    systems = set(re.findall(r'"system": "([^"]+)"', json.dumps(bundle)))
    assert not [s for s in systems if s.startswith("urn:")]
    assert all(s.startswith(known) or s.startswith(site.base + "/") for s in systems), systems


def test_a_quiet_day_is_a_symptom_absent_observation(bundle):
    [absent] = [o for o in resources(bundle, "Observation") if (LOINC, "111551-8") in codes(o["code"])]
    assert absent["effectivePeriod"] == {"start": "2026-03-04T06:00:00Z", "end": "2026-03-05T06:00:00Z"}  # CST day
    assert absent["status"] == "final" and codes(absent["valueCodeableConcept"]) == {(SNOMED, "44077006")}


# --- The transaction bundle against a FHIR server's semantics ---------------------------------------------------


def identifiers(resource: Json) -> list[Json]:
    """A resource's identifiers: a list, or the single one some have (QuestionnaireResponse)."""
    found = resource.get("identifier", [])
    return found if isinstance(found, list) else [found]


class PreconditionFailed(Exception):
    """HTTP 412: a conditional update matched more than one resource."""


class FhirServer:
    """Just enough of a FHIR server to replay a transaction bundle as one would: a conditional update
    (`PUT Type?identifier=system|value`) updates the one resource with that identifier, creates one when there is
    none (with the server's own id) and fails with 412 when there are several; `PUT Type/id` creates or updates that
    id; every reference to an entry's fullUrl is rewritten to where the entry was stored."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], Json] = {}

    def matching(self, kind: str, system: str, value: str) -> list[str]:
        return [
            rid
            for (k, rid), r in self.store.items()
            if k == kind and {"system": system, "value": value} in identifiers(r)
        ]

    def transaction(self, bundle: Json) -> dict[str, int]:
        assert bundle["type"] == "transaction"
        placed: dict[str, str] = {}
        plan = []
        for entry in bundle["entry"]:
            assert entry["request"]["method"] == "PUT"
            target, _, query = entry["request"]["url"].partition("?")
            if query:
                name, _, token = query.partition("=")
                assert name == "identifier"
                system, _, value = token.partition("|")
                found = self.matching(target, system, value)
                if len(found) > 1:
                    raise PreconditionFailed(entry["request"]["url"])
                kind, rid, new = target, found[0] if found else str(uuid.uuid4()), not found
            else:
                kind, _, rid = target.partition("/")
                new = (kind, rid) not in self.store
            placed[entry["fullUrl"]] = f"{kind}/{rid}"
            plan.append((kind, rid, entry["resource"], new))
        for kind, rid, resource, _ in plan:
            text = json.dumps(resource | {"id": rid})
            for full_url, location in placed.items():
                text = text.replace(f'"reference": "{full_url}"', f'"reference": "{location}"')
            self.store[(kind, rid)] = json.loads(text)
        created = sum(new for *_, new in plan)
        return {"created": created, "updated": len(plan) - created}

    def dangling(self) -> list[str]:
        references = re.findall(r'"reference": "([^"]+)"', json.dumps(list(self.store.values())))
        # DetectedIssue.reference is a plain link to the rule, not a Reference
        return [r for r in references if not r.startswith("https://") and tuple(r.split("/", 1)) not in self.store]


def test_sending_the_transaction_twice_creates_nothing_new(story):
    report, ids = story
    transaction = fhir_transaction(report)
    Bundle.model_validate(transaction)
    server = FhirServer()
    first = server.transaction(transaction)
    assert first == {"created": len(transaction["entry"]), "updated": 0}
    assert server.dangling() == []  # every reference landed on a stored resource
    stored = dict(server.store)
    again = fhir_transaction(report)
    assert server.transaction(again) == {"created": 0, "updated": len(again["entry"])}
    assert set(server.store) == set(stored)
    saved = next(
        r for (k, _), r in server.store.items() if k == "Observation" and r["identifier"][0]["value"] == ids["walk"]
    )
    assert saved["subject"]["reference"].startswith("Patient/")


def test_an_edited_episode_updates_its_resource_in_place(story):
    report, ids = story
    server = FhirServer()
    server.transaction(fhir_transaction(report))
    before = len(server.store)
    patient = User.objects.get(pk=report.patient_id)
    with time_machine.travel(NOW, tick=False):
        services.end_episode(patient=patient, episode_id=uuid.UUID(ids["saddle"]), ended_at=NOW)
        again = fhir_transaction(content.build(patient, dt.date(2026, 3, 1), dt.date(2026, 3, 10)))
    result = server.transaction(again)
    assert result["created"] == 0 and len(server.store) == before
    [saddle] = [
        r for (k, _), r in server.store.items() if k == "Observation" and r["identifier"][0]["value"] == ids["saddle"]
    ]
    assert saddle["status"] == "final" and "end" in saddle["effectivePeriod"]


def test_validation_still_sees_every_component_and_every_other_element(bundle):
    validate(bundle)
    for corrupt in (
        lambda obs: obs["component"][-1].__setitem__("valueInteger", "eleven"),
        lambda obs: obs["component"][0].__setitem__("colour", "blue"),
        lambda obs: obs["component"][0].pop("code"),
        lambda obs: obs.__setitem__("effectivePeriod", "yesterday"),
        lambda obs: obs["bodySite"]["coding"][0].__setitem__("code", 44077006),  # parts validated apart …
        lambda obs: obs["code"].__setitem__("coding", "LOINC"),
        lambda obs: obs["subject"].__setitem__("reference", ["Patient/1"]),
        lambda obs: obs.pop("status"),  # … and the Observation's own rules
        lambda obs: obs.__setitem__("valueString", "numb"),  # two values
    ):
        broken = copy.deepcopy(bundle)
        corrupt(next(e["resource"] for e in broken["entry"] if {"component", "bodySite"} <= e["resource"].keys()))
        with pytest.raises(ValueError):
            validate(broken)
