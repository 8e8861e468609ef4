"""The instant signs as data for the phone: made from the catalogue, carried inside the log page (which keeps the
patient's number too), and served as /app/signs.json, kept by the service worker with the app shell under the
shell's version, for a log page kept offline from before the page carried them."""

from __future__ import annotations

import json
import re
from typing import Any

from django.test import Client

from diary import hooks
from tests.conftest import scripts_run_by
from triage import offline, signs


def worker_config(client: Client) -> dict[str, Any]:
    found = re.search(r"const CONFIG = (\{.*?\});\n", client.get("/sw.js").content.decode(), re.S)
    assert found
    config: dict[str, Any] = json.loads(found.group(1))
    return config


def test_the_signs_are_served_to_anyone_as_the_catalogue_says_them(client):
    response = client.get("/app/signs.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data == json.loads(offline.document())
    instant = [code for code, sign in signs.CATALOGUE.items() if sign.per_episode]
    assert [s["code"] for s in data["signs"]] == instant
    stroke = next(s for s in data["signs"] if s["code"] == "emergency.stroke_signs")
    assert stroke["advice"]["message"].startswith("Call {number} now.")  # the phone puts the number in
    assert stroke["late"]["after_seconds"] == 24 * 3600
    assert stroke["late"]["advice"] == {
        "level": "urgent",
        "title": signs.CATALOGUE["emergency.stroke_signs"].late_title,
        "message": signs.late_entry_message("emergency.stroke_signs", "{number}"),
    }
    spine = next(s for s in data["signs"] if s["code"] == "emergency.spinal_cord")
    assert spine["rule"]["places"] == [
        ["left:saddle", "Between the legs / around the bottom (left side)"],
        ["right:saddle", "Between the legs / around the bottom (right side)"],
    ]
    weakness = next(s for s in data["signs"] if s["code"] == "urgent.weakness")
    assert weakness["rule"]["unless"] == "emergency.spinal_cord"
    assert [s["background"] for s in stroke["sources"]] == [False] * 3 + [True] * 4


def test_the_service_worker_keeps_them_with_the_shell_under_its_version(client, monkeypatch):
    config = worker_config(client)
    assert "/app/signs.json" in config["shell"]
    changed = [hooks.OfflineDocument("instant-signs", lambda: "another catalogue")]
    monkeypatch.setattr(hooks, "OFFLINE_DOCUMENTS", changed)
    assert worker_config(client)["version"] != config["version"]  # a new catalogue, a new shell


def test_the_log_page_keeps_the_warning_screen_the_signs_and_the_patients_number(web, patient):
    patient.profile.emergency_number = "000"
    patient.profile.save()
    page = web.get("/log/").content.decode()
    # The address stays on the template: a script of the version before, run on this page, reads the signs there.
    assert '<template id="offline-warning" data-signs="/app/signs.json" data-number="000">' in page
    # The signs come inside the page: the same catalogue as /app/signs.json, escaped for a script element.
    found = re.search(r'<script id="instant-signs" type="application/json">(.*?)</script>', page, re.S)
    assert found and "<" not in found.group(1)
    assert json.loads(found.group(1)) == web.get("/app/signs.json").json() == json.loads(offline.document())
    assert "instant" in scripts_run_by(page)
    assert "offline-warning" not in web.get("/").content.decode()
