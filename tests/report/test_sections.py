"""Treatments (DESIGN §8) and the MNSI (§9) in the physician report: page 1 says what is taken, what changed and
the latest score with its change; later pages keep the as-needed table and the answers; the shared page says the
same; the FHIR bundle carries a MedicationStatement per course and the questionnaire's resources, valid, under
this installation's canonical, and sent twice creates nothing new. The story's right answers were worked out by
hand from what was logged."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.test import Client

from report import content, sharing
from report.fhir_export import Installation, fhir_bundle, fhir_transaction
from report.pdf import render_pdf
from tests.conftest import add_treatment, log, make_patient
from tests.questionnaires.conftest import answer
from tests.report.test_fhir import FhirServer
from tests.report.test_page_one import has, pages
from treatments import services, vocab

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
FIRST, LAST = dt.date(2026, 3, 1), dt.date(2026, 5, 31)
NOW = dt.datetime(2026, 5, 31, 18, 0, tzinfo=CHICAGO)
MNSI = "MNSI (Michigan Neuropathy Screening Instrument, patient history)"


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=CHICAGO)


@pytest.fixture
def story(db):
    """Two episodes a day in March, one a day from pregabalin's start on 1 Apr (75 mg twice a day, 150 mg from
    15 May); ibuprofen when needed since January, taken twice in the period (helped a lot once, not at all once);
    the MNSI answered on 2 Mar (yes to items 1 and 2: 4 of 13) and on 20 May (yes to 1, 2, 3, 5 and 12: 7 of 13)."""
    patient = make_patient("paz", tz="America/Chicago", date_of_birth=dt.date(1961, 8, 14))
    day = FIRST
    while day <= LAST:
        log(patient, started_at=at(day))
        if day < dt.date(2026, 4, 1):
            log(patient, started_at=at(day, 20), severity=5)
        day += dt.timedelta(days=1)
    pregabalin = add_treatment(patient, started_on=dt.date(2026, 4, 1), ingredient="pregabalin")
    services.change_dose(patient=patient, treatment_id=pregabalin.id, on=dt.date(2026, 5, 15),
                         dose_amount=Decimal(150), dose_unit="mg", times_per_day=2)  # fmt: skip
    ibuprofen = add_treatment(patient, "Ibuprofen", started_on=dt.date(2026, 1, 1), dose_amount="400",
                              schedule=vocab.AS_NEEDED, ingredient="ibuprofen")  # fmt: skip
    for taken, effect in ((dt.date(2026, 3, 10), "helped_a_lot"), (dt.date(2026, 5, 2), "no_help")):
        services.save_dose(patient=patient, dose_id=None, treatment_id=ibuprofen.id, taken_at=at(taken, 12),
                           effect=effect)  # fmt: skip
    answer(patient, at(dt.date(2026, 3, 2)), yes={1, 2})
    answer(patient, at(dt.date(2026, 5, 20)), yes={1, 2, 3, 5, 12})
    return patient


@pytest.fixture
def report(story):
    return content.build(story, FIRST, LAST, now=NOW)


def test_page_one_says_what_is_taken_what_changed_and_the_latest_score(report):
    first, *rest = pages(render_pdf(report))
    assert first.index("Key numbers") < first.index("Treatments") < first.index("Questionnaire scores")
    assert first.index("Questionnaire scores") < first.index("Patterns flagged")
    for line in (
        "Current on 31 May 2026:",  # taken every day, or to take when needed: not "taken that day"
        "Ibuprofen, 400 mg when needed, since 1 Jan 2026",
        "Pregabalin, 150 mg twice a day, since 15 May 2026 (first started 1 Apr 2026)",
        "1 Apr 2026: Pregabalin started (75 mg twice a day)",
        "15 May 2026: Pregabalin: 75 mg twice a day → 150 mg twice a day",
        f"{MNSI}: 7/13 on 20 May 2026; first in period 4/13 on 2 Mar 2026, change +3 (2 responses).",
    ):
        assert has(first, line), line
    later = " ".join(rest)
    assert "Treatments taken when needed" not in first and has(later, "Treatments taken when needed")
    assert has(later, "Taken twice; 2 rated: helped 1 (a lot 1, a little 0), didn't help 1")
    assert has(later, "Questionnaire answers") and has(later, "20 May 2026: 7/13")


def test_the_comparison_is_said_with_its_numbers(report):
    [section] = [s for s in report.page_one_sections if s.key == "treatments"]
    [pregabalin] = [c for c in section.context["treatments"].comparisons if c.name == "Pregabalin"]
    assert pregabalin.enough
    first = pages(render_pdf(report))[0]
    assert has(first, "Pregabalin 75 mg twice a day, from 1 Apr 2026 to 14 May 2026")
    # Before: the 8 weeks to 31 Mar hold 31 logged days (March) with 2 episodes each. While taking it: from 15 Apr
    # (14 days to settle) to 14 May, the last day of that dose, 30 logged days with 1 episode each.
    assert has(first, "Logged days 31 30 Episodes 62 30 Episodes a logged day 2.00 1.00")
    assert has(first, "it does not show that Pregabalin caused the difference")


def test_answers_and_treatments_after_the_last_entry_are_still_reported(db):
    """The diary's last episode is on 10 May; the MNSI was answered on 20 May and B12 started on 25 May: the report
    asked for up to 31 May gives both, though its diary period ends on 10 May."""
    patient = make_patient("late", tz="America/Chicago")
    log(patient, started_at=at(dt.date(2026, 5, 10)))
    answer(patient, at(dt.date(2026, 5, 20)), yes={1, 2})
    add_treatment(patient, "Vitamin B12", started_on=dt.date(2026, 5, 25), dose_amount="1000", dose_unit="mcg",
                  times_per_day=1, kind="supplement")  # fmt: skip
    report = content.build(patient, FIRST, LAST, now=NOW)
    assert report.last == dt.date(2026, 5, 10)
    first = pages(render_pdf(report))[0]
    assert has(first, f"{MNSI}: 4/13 on 20 May 2026 (the only response in the period)")
    assert has(first, "Vitamin B12, 1000 mcg once a day, since 25 May 2026")
    assert has(first, "25 May 2026: Vitamin B12 started (1000 mcg once a day)")


def test_a_diary_without_treatments_or_answers_has_neither_section(db):
    patient = make_patient("quiet", tz="America/Chicago")
    log(patient, started_at=at(dt.date(2026, 5, 3)))
    report = content.build(patient, FIRST, LAST, now=NOW)
    assert report.sections == []
    assert "Treatments" not in pages(render_pdf(report))[0]


def test_the_shared_page_says_the_same(story, report):
    link = sharing.create_link(patient=story, first=FIRST, last=LAST)
    page = Client().get(f"/share/{link.token}/")
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())).split())
    assert "Pregabalin, 150 mg twice a day, since 15 May 2026 (first started 1 Apr 2026)" in text
    assert f"{MNSI}: 7/13 on 20 May 2026" in text
    assert "Treatments taken when needed" in text and "Questionnaire answers" in text


def test_the_bundle_carries_the_courses_and_the_questionnaire_under_this_installations_canonical(report):
    site = Installation.current()
    bundle = fhir_bundle(report)  # validated as FHIR R4B on the way out
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("MedicationStatement") == 3  # pregabalin's two courses and ibuprofen's
    assert kinds.count("Questionnaire") == 1 and kinds.count("QuestionnaireResponse") == 2
    [patient] = [e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    statements = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationStatement"]
    assert {s["subject"]["reference"] for s in statements} == {patient}
    responses = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert {r["subject"]["reference"] for r in responses} == {patient}
    systems = set(re.findall(r'"system": "(https?://[^"]+)"', json.dumps(bundle)))
    local = {s for s in systems if "127.0.0.1" in s}
    assert local and all(s.startswith(site.base + "/") for s in local), local  # one canonical, https
    [provenance] = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Provenance" and "Patient-reported" in str(e["resource"].get("reason"))
    ]
    targets = {t["reference"] for t in provenance["target"]}
    assert {f"urn:uuid:{s['id']}" for s in statements} <= targets


def test_the_transaction_sent_twice_creates_nothing_new(report):
    server = FhirServer()
    transaction = fhir_transaction(report)
    first = server.transaction(transaction)
    assert first == {"created": len(transaction["entry"]), "updated": 0}
    assert server.dangling() == []
    assert server.transaction(fhir_transaction(report)) == {"created": 0, "updated": len(transaction["entry"])}
