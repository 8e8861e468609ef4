"""The API contract: the OpenAPI schema says what the API really takes and answers.

The last test runs schemathesis (every check) against the live server's schema with token auth.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from tests.conftest import episode_json, make_patient


@pytest.fixture
def schema(api) -> dict[str, Any]:
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operation(schema: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    found: dict[str, Any] = schema["paths"][f"/api/v1/{path}"][method]
    return found


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_the_episodes_list_is_described_as_a_page(schema):
    listing = operation(schema, "episodes/", "get")
    page = resolve(schema, listing["responses"]["200"]["content"]["application/json"]["schema"])
    assert page["type"] == "object"
    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    assert page["properties"]["results"]["type"] == "array"
    parameters = {p["name"]: p["schema"] for p in listing["parameters"]}
    assert parameters["limit"] == {"type": "integer", "minimum": 1, "maximum": 1000}
    assert parameters["offset"] == {"type": "integer", "minimum": 0}


def test_the_flags_list_is_an_array_of_flags_with_a_status_enum(schema):
    listing = operation(schema, "flags/", "get")
    body = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    flag = resolve(schema, body["items"])
    assert {"id", "code", "level", "status", "reasons", "evidence", "sources"} <= set(flag["properties"])
    status = next(p for p in listing["parameters"] if p["name"] == "status")
    assert status["schema"]["type"] == "array"
    assert sorted(status["schema"]["items"]["enum"]) == ["", "acknowledged", "open", "resolved"]


def test_a_questionnaire_response_needs_every_item_as_a_boolean_and_nothing_else(schema):
    body = resolve(schema, schema["components"]["schemas"]["QuestionnaireResponseRequest"])
    answers = body["properties"]["answers"]
    assert answers["required"] == [str(n) for n in range(1, 16)] and answers["additionalProperties"] is False
    assert {value["type"] for value in answers["properties"].values()} == {"boolean"}
    assert set(body["required"]) == {"questionnaire", "version", "completed_at", "answers"}
    assert "score" not in body["properties"]  # computed by the server, never taken from the client
    shown = resolve(schema, schema["components"]["schemas"]["QuestionnaireResponse"])
    assert {"score", "max_score"} <= set(shown["properties"])


def test_locations_need_at_least_one_item_and_trends_dates_come_as_a_pair(schema):
    episode = resolve(schema, schema["components"]["schemas"]["EpisodeRequest"])
    assert episode["properties"]["locations"]["minItems"] == 1
    trends = {p["name"]: p for p in operation(schema, "trends/", "get")["parameters"]}
    assert "Give `from` and `to` together" in trends["from"]["description"]


@pytest.mark.parametrize(
    "path, method, codes",
    [
        ("episodes/", "get", {"200", "400", "401", "403", "429"}),
        ("episodes/", "post", {"200", "201", "400", "401", "403", "413", "429"}),
        ("episodes/{id}/", "put", {"200", "201", "400", "401", "403", "404", "413", "429"}),
        ("episodes/{id}/", "delete", {"204", "401", "403", "404", "429"}),
        ("flags/", "get", {"200", "400", "401", "403", "429"}),
        ("flags/{id}/acknowledge/", "post", {"200", "401", "403", "404", "429"}),
        ("token/", "post", {"200", "400", "401", "403", "413", "429"}),
        ("questionnaires/", "get", {"200", "401", "403", "429"}),
        ("questionnaire-responses/", "get", {"200", "400", "401", "403", "429"}),
        ("questionnaire-responses/{id}/", "get", {"200", "401", "403", "404", "429"}),
        ("questionnaire-responses/{id}/", "put", {"200", "201", "400", "401", "403", "404", "413", "429"}),
        ("questionnaire-responses/{id}/", "delete", {"204", "401", "403", "404", "429"}),
    ],
)
def test_error_answers_are_documented(schema, path, method, codes):
    responses = operation(schema, path, method)["responses"]
    assert set(responses) == codes
    if "429" in codes:
        assert "Retry-After" in responses["429"]["headers"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("/api/v1/flags/?status=%00", "status"),
        ("/api/v1/flags/?status=closed", "status"),
        ("/api/v1/episodes/?limit=0", "limit"),
        ("/api/v1/episodes/?limit=abc", "limit"),
        ("/api/v1/episodes/?offset=-1", "offset"),
        ("/api/v1/episodes/?from=", "from"),
        ("/api/v1/trends/?range=", "range"),
    ],
)
def test_query_values_outside_the_schema_are_a_400_naming_them(api, query, field):
    response = api.get(query)
    assert response.status_code == 400 and field in response.json()


@pytest.mark.parametrize(
    "change, field",
    [({"ongoing": 0}, "ongoing"), ({"notes": 12}, "notes"), ({"ongoing": "true"}, "ongoing"), ({"id": False}, "id")],
)
def test_json_types_are_not_coerced(api, patient, change, field):
    response = api.put(f"/api/v1/episodes/{uuid.uuid4()}/", episode_json(**change), format="json")
    assert response.status_code == 400 and field in response.json()
    assert not patient.episodes.exists()


def test_malformed_ids_are_json_404s(api):
    for path in ("episodes/not-an-id/", "checkins/2026-02-30/", "flags/abc/", "flags/abc/acknowledge/"):
        response = api.get(f"/api/v1/{path}") if "acknowledge" not in path else api.post(f"/api/v1/{path}")
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json" and "detail" in response.json(), path


# Rules that JSON Schema cannot state, so that schema-valid input may still be refused with a 400
# naming the field: a time not in the future nor before 2000 or the date of birth, a duration or
# "ongoing" but not both (episodes); a date of birth not in the future (profile); a check-in date
# not after today; a custom trends period with both dates, in order, ending by today; a questionnaire
# response's completion not in the future nor before the diary began; and a wrong password at the token
# endpoint. Everywhere else a schema-valid request must succeed.
RULES_BEYOND_THE_SCHEMA = [
    ("/api/v1/episodes/", ["POST"]),
    ("/api/v1/episodes/{id}/", ["PUT", "PATCH"]),
    ("/api/v1/profile/", ["PUT", "PATCH"]),
    ("/api/v1/checkins/{date}/", ["PUT"]),
    ("/api/v1/trends/", ["GET"]),
    ("/api/v1/questionnaire-responses/{id}/", ["PUT"]),
    ("/api/v1/token/", ["POST"]),
]


def schemathesis_config(token: str) -> str:
    lines = [f'[auth.openapi.tokenAuth]\napi_key = "Token {token}"\n']
    for path, methods in RULES_BEYOND_THE_SCHEMA:
        for method in methods:
            lines.append(
                f'[[operations]]\ninclude-path = "{path}"\ninclude-method = "{method}"\n'
                "checks.positive_data_acceptance.expected-statuses = "
                '["2xx", "400", "401", "403", "404", "409", "429"]\n'
            )
    return "\n".join(lines)


@pytest.mark.integration
def test_schemathesis_finds_no_failure(transactional_db, live_server, tmp_path):
    patient = make_patient("schemathesis", tz="Europe/London")
    token = Token.objects.create(user=patient).key
    config = tmp_path / "schemathesis.toml"
    config.write_text(schemathesis_config(token))
    st = Path(sys.executable).with_name("st")
    command = [
        str(st),
        "--config-file",
        str(config),
        "run",
        f"{live_server.url}/api/v1/schema/",
        "--checks",
        "all",
        "--phases",
        "examples,fuzzing,stateful",
        "--max-examples",
        "6",
        "--seed",
        "8",
        "--workers",
        "1",
        "--no-shrink",
        "--request-timeout",
        "20",
    ]
    # In tmp_path, so that schemathesis keeps its cache there and not in the project.
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)  # noqa: S603
    summary = run.stdout[-6000:]
    assert run.returncode == 0, summary
    assert "No issues found" in run.stdout or "passed" in run.stdout, summary
