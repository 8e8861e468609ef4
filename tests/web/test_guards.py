"""Abuse of the API and the pages: nested JSON, oversized bodies, bad filters, and no caching of private answers."""

import datetime as dt
import gzip
import json
import uuid

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from diary.models import Episode
from tests.conftest import episode_json, log, make_patient
from triage.models import Flag

NESTED = "[" * 1000 + "]" * 1000
VERY_NESTED = '{"a":' * 100_000 + "1" + "}" * 100_000  # deeper than Python's recursion limit


WRITES = [
    ("post", "/api/v1/episodes/"),
    ("put", "/api/v1/episodes/{episode}/"),
    ("patch", "/api/v1/episodes/{episode}/"),
    ("put", "/api/v1/checkins/2026-01-10/"),
    ("put", "/api/v1/profile/"),
    ("patch", "/api/v1/profile/"),
    ("post", "/api/v1/token/"),
]


@pytest.mark.parametrize(("method", "route"), WRITES)
@pytest.mark.parametrize("body", [NESTED, VERY_NESTED], ids=["1000-levels", "100000-levels"])
def test_deeply_nested_json_is_a_400_naming_the_problem(token_api, patient, method, route, body):
    episode = log(patient)
    path = route.format(episode=episode.id)
    response = getattr(token_api, method)(path, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "nested more than 32 levels" in response.json()["detail"]
    episode.refresh_from_db()
    assert Episode.objects.count() == 1 and episode.severity == 3  # nothing changed


def test_ordinary_nesting_still_saves(api):
    response = api.put(f"/api/v1/episodes/{uuid.uuid4()}/", episode_json(), format="json")
    assert response.status_code == 201


def test_an_api_body_over_1_mb_is_a_413_with_a_json_message(api):
    body = json.dumps(episode_json(notes="x" * (1024 * 1024)))
    response = api.put(f"/api/v1/episodes/{uuid.uuid4()}/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"].endswith("at most 1 MB is accepted here.")
    assert not Episode.objects.exists()


def test_a_page_post_over_the_upload_limit_is_a_413(web, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = web.post("/log/", {"notes": "x" * 2000})
    assert response.status_code == 413 and b"at most" in response.content
    assert not Episode.objects.exists()


@pytest.mark.parametrize("value", ["\x00", "opne", "open\x00"])
def test_a_bad_flag_status_filter_is_a_400_naming_the_field(api, value):
    response = api.get("/api/v1/flags/", {"status": value})
    assert response.status_code == 400
    assert "Expected one of open, acknowledged, resolved" in response.json()["status"]


def test_flag_status_filters_still_filter(api, patient):
    Flag.objects.create(patient=patient, code="urgent.injury", level="urgent", first_seen=dt.date(2026, 1, 1),
                        last_seen=dt.date(2026, 1, 1), status="resolved")  # fmt: skip
    assert api.get("/api/v1/flags/", {"status": "open"}).json() == []
    assert len(api.get("/api/v1/flags/", {"status": "resolved"}).json()) == 1
    assert len(api.get("/api/v1/flags/?status=open&status=resolved").json()) == 1
    assert len(api.get("/api/v1/flags/", {"status": ""}).json()) == 1


def test_the_import_command_refuses_nested_json_with_a_clear_error(tmp_path, db):
    make_patient("ivy")
    path = tmp_path / "nested.json"
    for body in (NESTED, VERY_NESTED):
        path.write_text(body)
        with pytest.raises(CommandError, match="Nothing was imported:\n  The file is not a diary: JSON nested more"):
            call_command("import_diary", str(path), "--user", "ivy")


def test_the_import_command_refuses_a_file_over_its_limit(tmp_path, db, settings):
    make_patient("ivy")
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"format": "numbness-diary/1", "notes": "x" * (1024 * 1024)}))
    with pytest.raises(CommandError, match="the file is larger than 1 MB"):
        call_command("import_diary", str(path), "--user", "ivy")


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize(
    "path",
    ["/", "/log/", "/history/", "/trends/", "/settings/", "/flags/", "/report/", "/settings/my-data.json",
     "/report/download/pdf/", "/report/download/csv/", "/report/download/fhir/"],
)  # fmt: skip
def test_every_signed_in_page_and_download_is_no_store(web, patient, path):
    log(patient)
    response = web.get(path)
    assert response.status_code == 200 and no_store(response)


@pytest.mark.parametrize("path", ["/api/v1/episodes/", "/api/v1/profile/", "/api/v1/export/", "/api/v1/flags/"])
def test_every_api_answer_is_no_store_with_a_session_or_a_token(web, token_api, path):
    assert no_store(web.get(path)) and no_store(token_api.get(path))
    assert no_store(APIClient().get(path))  # even the 403


def test_public_pages_may_be_cached(client, db):
    assert "no-store" not in client.get("/accounts/signup/").get("Cache-Control", "")
    assert "no-store" not in client.get("/healthz").get("Cache-Control", "")


def test_pages_are_gzipped_with_random_padding_against_breach(web, patient):
    log(patient)
    response = web.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    # Django's GZipMiddleware (5.x) writes 0-99 random bytes as the gzip file name (FNAME flag).
    assert response.content[:2] == b"\x1f\x8b" and response.content[3] & 0x08
    assert "Log numbness" in gzip.decompress(response.content).decode()
