"""Questionnaires in FHIR (R4B, as the report's bundle): the instrument as a `Questionnaire`, each response as a
`QuestionnaireResponse`, and its total score as an `Observation` derived from it.

No LOINC code is known for the MNSI or its score (DESIGN §9), so the score is coded in this installation's own code
system, an https canonical under SITE_URL (`score_system`), with a display. Identifiers use the system
`SITE_URL/fhir/id/<kind>` with the response's UUID as value, so that sending a response again updates it.
`tests/questionnaires/test_fhir.py` validates every resource with `fhir.resources.R4B`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from diary.clock import utc_timestamp
from questionnaires.instruments import Instrument, cutoffs_cited, instrument, standing
from questionnaires.models import QuestionnaireResponse

SURVEY = {
    "coding": [
        {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey", "display": "Survey"}
    ]
}
UCUM = "http://unitsofmeasure.org"
NAMESPACE = uuid.UUID("5f0c8b1e-2a44-4a8e-9d67-0f3c1b7e9a21")  # ids of the Questionnaire and score resources


def site(site_url: str | None = None) -> str:
    """This installation's address: SITE_URL, or the one the report's bundle is made for (its https canonical)."""
    return str(site_url or settings.SITE_URL).rstrip("/")


def canonical(definition: Instrument, site_url: str | None = None) -> str:
    """The Questionnaire's canonical URL: SITE_URL/fhir/Questionnaire/<id> (its version is said apart)."""
    return f"{site(site_url)}/fhir/Questionnaire/{definition.id}"


def score_system(site_url: str | None = None) -> str:
    return f"{site(site_url)}/fhir/CodeSystem/questionnaire-score"


def identifier_system(kind: str, site_url: str | None = None) -> str:
    return f"{site(site_url)}/fhir/id/{kind}"


def questionnaire_id(definition: Instrument, site_url: str | None = None) -> str:
    """The Questionnaire's id, a UUID from its canonical and version: its bundle entry's `urn:uuid:` names it, and
    two installations (each its own canonical) never give theirs the same id."""
    return str(uuid.uuid5(NAMESPACE, f"{canonical(definition, site_url)}|{definition.version}"))


def resource_id(kind: str, response: QuestionnaireResponse, site_url: str | None = None) -> str:
    """The id of a response's resource, a UUID from its identifier: the same on every export, and different between
    installations (each its own canonical) holding one diary, whose responses keep their UUIDs across an import."""
    return str(uuid.uuid5(NAMESPACE, f"{identifier_system(kind, site_url)}/{response.id}"))


def questionnaire_resource(definition: Instrument, site_url: str | None = None) -> dict[str, Any]:
    instructions = {"linkId": "instructions", "type": "display", "text": definition.instructions}
    items = [
        {"linkId": item.link_id, "text": item.text, "type": item.answer_type, "required": True}
        for item in definition.items
    ]
    citations = " ".join(source.citation for source in definition.citations)
    return {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(definition, site_url),
        "url": canonical(definition, site_url),
        "version": definition.version,
        "title": definition.title,
        "status": "active",
        "subjectType": ["Patient"],
        "description": f"{definition.validated_for} Items as published by {definition.items[0].source.citation} "
        f"Scoring: {definition.scoring_source.citation} Cut-offs {cutoffs_cited(definition)}. {citations}",
        "purpose": definition.scope_sentence,
        "copyright": f"{definition.terms_of_use} ({definition.terms_source.url})",
        "item": [instructions, *items],
    }


def response_resource(
    response: QuestionnaireResponse, definition: Instrument, patient_ref: str, site_url: str | None = None
) -> dict[str, Any]:
    authored = utc_timestamp(response.completed_at)
    return {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id("questionnaire-response", response, site_url),
        "identifier": {"system": identifier_system("questionnaire-response", site_url), "value": str(response.id)},
        "questionnaire": f"{canonical(definition, site_url)}|{definition.version}",
        "status": "completed",
        "subject": {"reference": patient_ref},
        "authored": authored,
        "author": {"reference": patient_ref},
        "source": {"reference": patient_ref},
        "item": [
            {
                "linkId": item.link_id,
                "text": item.text,
                "answer": [{"valueBoolean": response.answers[item.link_id]}],
            }
            for item in definition.items
        ],
    }


def score_resource(
    response: QuestionnaireResponse, definition: Instrument, patient_ref: str, site_url: str | None = None
) -> dict[str, Any]:
    """The total score, derived from the response; its note says where the score stands and what it is for."""
    return {
        "resourceType": "Observation",
        "id": resource_id("questionnaire-score", response, site_url),
        "identifier": [{"system": identifier_system("questionnaire-score", site_url), "value": str(response.id)}],
        "status": "final",
        "category": [SURVEY],
        "code": {
            "coding": [
                {"system": score_system(site_url), "code": definition.id, "display": f"{definition.title}: total score"}
            ],
            "text": f"{definition.title}: total score (0–{definition.max_score})",
        },
        "subject": {"reference": patient_ref},
        "effectiveDateTime": utc_timestamp(response.completed_at),
        "issued": utc_timestamp(response.created_at),
        "performer": [{"reference": patient_ref}],
        "valueQuantity": {"value": response.score, "unit": "score", "system": UCUM, "code": "{score}"},
        "derivedFrom": [{"reference": f"urn:uuid:{resource_id('questionnaire-response', response, site_url)}"}],
        "note": [
            {
                "text": f"{response.score} of {definition.max_score}, {standing(definition, response.score)}. "
                f"Patient-reported; {definition.scope}. Validated for: {definition.validated_for}"
            }
        ],
    }


def entries(
    responses: Iterable[QuestionnaireResponse], patient_ref: str, site_url: str | None = None
) -> list[dict[str, Any]]:
    """Bundle entries (`fullUrl` and `resource`) for these responses: each instrument version answered once as a
    Questionnaire, then each response and its score. Responses of an instrument no longer defined are left out."""
    questionnaires: dict[tuple[str, str], dict[str, Any]] = {}
    found: list[dict[str, Any]] = []
    for response in responses:
        definition = instrument(response.questionnaire, response.version)
        if definition is None:
            continue
        key = (definition.id, definition.version)
        if key not in questionnaires:
            resource = questionnaire_resource(definition, site_url)
            questionnaires[key] = {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
        for resource in (
            response_resource(response, definition, patient_ref, site_url),
            score_resource(response, definition, patient_ref, site_url),
        ):
            found.append({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource})
    return [*questionnaires.values(), *found]
