"""The report's PDF, CSV and FHIR forms, from a vignette diary and through the patient's downloads."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from diary import vocab
from diary.interchange import import_diary
from report import content
from report.csv_export import COLUMNS, episodes_csv
from report.fhir_export import fhir_bundle
from report.pdf import render_pdf
from tests.conftest import FIXTURE_VIGNETTES, load_vignette, make_patient
from triage.review import review_patient

FIRST, LAST = dt.date(2025, 12, 1), dt.date(2026, 3, 1)


@pytest.fixture
def persistent(db):
    """A vignette with a flag, reviewed as of its date; the report covers the whole diary."""
    vignette = load_vignette(FIXTURE_VIGNETTES / "desk-worker-most-days.json")
    patient = make_patient("petra", date_of_birth=dt.date(1961, 4, 2))
    import_diary(patient=patient, document=vignette["diary"])
    review_patient(patient.pk, dt.date.fromisoformat(vignette["as_of"]))
    return patient, vignette["diary"]


def recent_episodes(diary: dict, zone) -> list[dict]:
    """The vignette's episodes in the 14 local days up to its review date, worked out here from the file."""
    starts = [
        (e, dt.datetime.fromisoformat(e["started_at"].replace("Z", "+00:00")).astimezone(zone).date())
        for e in diary["episodes"]
    ]
    return [(e, day) for e, day in starts if dt.date(2026, 2, 16) <= day <= dt.date(2026, 3, 1)]


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_pdf_holds_counts_flags_and_every_episode(persistent):
    patient, diary = persistent
    report = content.build(patient, FIRST, LAST)
    reader, text = pdf_text(render_pdf(report))
    flat = squash(text)
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4
    assert f"Page 1 of {len(reader.pages)}" in flat and f"Page {len(reader.pages)} of {len(reader.pages)}" in flat
    assert "not a diagnosis" in flat
    assert "petra" in flat and "Born 2 Apr 1961" in flat
    assert "Period 1 Dec 2025 – 1 Mar 2026" in flat
    assert f"Episodes {len(diary['episodes'])}" in flat
    assert f"All episodes ({len(diary['episodes'])})" in flat
    assert "Numbness that keeps coming back or lasts" in flat and "pattern.persistent" in flat
    days = len({day for _, day in recent_episodes(diary, patient.profile.zone)})
    assert f"Numbness on {days} of the last 14 days (5 or more is the threshold)." in flat
    compact = "".join(text.split())  # text extraction may split words where letters are kerned
    zone = patient.profile.zone
    for episode in diary["episodes"]:
        start = dt.datetime.fromisoformat(episode["started_at"].replace("Z", "+00:00")).astimezone(zone)
        duration = "ongoing" if episode["ongoing"] else f"{episode['duration_minutes']}min"
        assert f"{start:%a%d%b%Y%H:%M}{duration}·severity{episode['severity']}" in compact, start


def test_us_letter_paper(persistent):
    patient, _ = persistent
    reader, _ = pdf_text(render_pdf(content.build(patient, FIRST, LAST), "letter"))
    assert (round(reader.pages[0].mediabox.width), round(reader.pages[0].mediabox.height)) == (612, 792)


def test_key_numbers_compare_with_the_previous_period(persistent):
    patient, _ = persistent
    report = content.build(patient, dt.date(2026, 2, 16), dt.date(2026, 3, 1))
    assert report.previous == (dt.date(2026, 2, 2), dt.date(2026, 2, 15))
    episodes = report.key_numbers[0]
    earlier = report.previous_trends.episodes
    assert episodes.value == str(report.trends.episodes)
    assert episodes.change == f"{report.trends.episodes - earlier:+d} vs previous 14 days"


def test_csv_parses_back_to_the_same_episodes(persistent):
    patient, diary = persistent
    report = content.build(patient, FIRST, LAST)
    text = episodes_csv(report.episodes)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0].keys()) == COLUMNS
    by_id = {row["id"]: row for row in rows}
    assert len(rows) == len(diary["episodes"])
    for episode in diary["episodes"]:
        row = by_id[episode["id"]]
        started = dt.datetime.fromisoformat(row["started_at"])
        assert started == dt.datetime.fromisoformat(episode["started_at"].replace("Z", "+00:00"))
        assert int(row["severity"]) == episode["severity"]
        assert (row["duration_minutes"] or None) == (
            str(episode["duration_minutes"]) if not episode["ongoing"] else None
        )
        assert set(row["locations"].split(";")) == {f"{loc['side']}:{loc['region']}" for loc in episode["locations"]}
        for field in ("sensations", "triggers", "symptoms", "relieved_by"):
            assert set(filter(None, row[field].split(";"))) == set(episode[field])
        assert row["notes"] == episode["notes"]


def test_csv_quotes_notes_with_separators_and_keeps_unicode():
    from diary.facts import EpisodeFacts

    episode = EpisodeFacts(
        id="x", start=dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC), duration_minutes=None, severity=2,
        locations=frozenset({("left", "knee")}), notes='Sat "badly"; then, walked — ok',
    )  # fmt: skip
    row = list(csv.DictReader(io.StringIO(episodes_csv([episode]))))[0]
    assert (
        row["notes"] == 'Sat "badly"; then, walked — ok' and row["ongoing"] == "yes" and row["duration_minutes"] == ""
    )


def test_fhir_bundle_validates_and_carries_every_episode_with_its_codes(persistent):
    patient, diary = persistent
    report = content.build(patient, FIRST, LAST)
    bundle = fhir_bundle(report, patient.pk)
    Bundle.model_validate(json.loads(json.dumps(bundle)))
    resources = [entry["resource"] for entry in bundle["entry"]]
    assert bundle["type"] == "collection"
    [person] = [r for r in resources if r["resourceType"] == "Patient"]
    assert person["birthDate"] == "1961-04-02"
    observations = {r["id"]: r for r in resources if r["resourceType"] == "Observation"}
    assert set(observations) == {e["id"] for e in diary["episodes"]}
    for episode in diary["episodes"]:
        obs = observations[episode["id"]]
        assert obs["code"]["coding"][0] == {
            "system": "http://snomed.info/sct",
            "code": "44077006",
            "display": "Numbness",
        }
        assert obs["valueInteger"] == episode["severity"]
        assert obs["effectivePeriod"]["start"] == episode["started_at"]
        codes = {
            (c["system"], c["code"])
            for comp in obs["component"]
            for c in comp.get("valueCodeableConcept", {}).get("coding", [])
        }
        codes |= {(c["system"], c["code"]) for comp in obs["component"] for c in comp["code"].get("coding", [])}
        assert ("http://loinc.org", "72514-3") in codes
        for loc in episode["locations"]:
            assert ("http://snomed.info/sct", vocab.REGIONS[loc["region"]].snomed) in codes
            assert ("http://snomed.info/sct", vocab.SIDES[loc["side"]].snomed) in codes
        for kind, field in (
            ("sensation", "sensations"),
            ("trigger", "triggers"),
            ("symptom", "symptoms"),
            ("relief", "relieved_by"),
        ):
            for code in episode[field]:
                assert (f"urn:numbness-diary:{kind}", code) in codes
    [issue] = [r for r in resources if r["resourceType"] == "DetectedIssue"]
    assert issue["code"]["coding"][0]["code"] == "pattern.persistent" and issue["severity"] == "low"
    recent = recent_episodes(diary, patient.profile.zone)
    assert f"Numbness on {len({day for _, day in recent})} of the last 14 days" in issue["detail"]
    assert {ref["reference"] for ref in issue["evidence"][0]["detail"]} == {f"urn:uuid:{e['id']}" for e, _ in recent}


def test_an_invalid_bundle_is_refused():
    with pytest.raises(ValueError):
        Bundle.model_validate(
            {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Observation"}}]}
        )


def test_downloads_are_the_patients_own(client, persistent, other_patient):
    patient, diary = persistent
    client.force_login(patient)
    query = {"range": "custom", "start": "2025-12-01", "end": "2026-03-01"}
    pdf = client.get("/report/download/pdf/", query)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    fhir = client.get("/report/download/fhir/", query)
    assert fhir["Content-Type"].startswith("application/fhir+json")
    csv_text = client.get("/report/download/csv/", query).content.decode()
    assert diary["episodes"][0]["id"] in csv_text
    assert client.get("/report/download/xls/", query).status_code == 400
    assert client.get("/report/download/pdf/", {"start": "2026-03-01", "end": "2026-01-01"}).status_code == 400

    client.force_login(other_patient)
    assert diary["episodes"][0]["id"] not in client.get("/report/download/csv/", query).content.decode()


def test_export_report_command(persistent, tmp_path):
    patient, diary = persistent
    for fmt in ("pdf", "csv", "fhir"):
        out = tmp_path / f"r.{fmt}"
        call_command("export_report", "--user", "petra", "--from", "2025-12-01", "--to", "2026-03-01",
                     "--format", fmt, "--out", str(out), stdout=io.StringIO())  # fmt: skip
        assert out.stat().st_size > 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert len(json.loads((tmp_path / "r.fhir").read_text())["entry"]) == 1 + len(diary["episodes"]) + 1
