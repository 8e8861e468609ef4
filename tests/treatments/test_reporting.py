"""What the report gets of the treatments (treatments/reporting.py, treatments/fhir.py): the current ones, every
change in the period, the comparisons with enough entries, the as-needed table, and valid FHIR R4B resources."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from fhir.resources.R4B.deviceusestatement import DeviceUseStatement
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.procedure import Procedure

from tests.conftest import add_treatment, log
from tests.treatments.conftest import NOW
from treatments import comparison, fhir, reporting, services, vocab
from treatments.overview import summaries

TODAY = dt.date(2026, 6, 10)
FIRST, LAST = dt.date(2026, 3, 12), TODAY  # the report's period: 91 days


@pytest.fixture
def story(patient):
    """Two episodes a day until pregabalin started on 1 Apr, one a day after; B12 stopped on 20 Apr (it didn't help);
    the dose went up on 15 May; ibuprofen when needed, taken three times in the period, twice rated."""
    for days_ago in range(1, 150):
        day = NOW - dt.timedelta(days=days_ago)
        log(patient, day)
        if day.date() < dt.date(2026, 4, 1):
            log(patient, day - dt.timedelta(hours=3), severity=5)
    pregabalin = add_treatment(patient, started_on=dt.date(2026, 4, 1), ingredient="pregabalin")
    services.change_dose(patient=patient, treatment_id=pregabalin.id, on=dt.date(2026, 5, 15),
                         dose_amount=Decimal(150), dose_unit="mg", times_per_day=2)  # fmt: skip
    b12 = add_treatment(patient, "Vitamin B12", started_on=dt.date(2026, 1, 5), dose_amount="1000", dose_unit="mcg",
                        times_per_day=1, kind="supplement", ingredient="vitamin_b12")  # fmt: skip
    services.stop_treatment(
        patient=patient, treatment_id=b12.id, stopped_on=dt.date(2026, 4, 20), reason="did_not_help"
    )
    ibuprofen = add_treatment(patient, "Ibuprofen", started_on=dt.date(2026, 1, 1), dose_amount="400",
                              schedule=vocab.AS_NEEDED, ingredient="ibuprofen")  # fmt: skip
    for days_ago, effect in ((100, "helped_a_lot"), (30, "helped_a_lot"), (20, "no_help"), (2, "")):
        services.save_dose(patient=patient, dose_id=None, treatment_id=ibuprofen.id,
                           taken_at=NOW - dt.timedelta(days=days_ago), effect=effect)  # fmt: skip
    amitriptyline = add_treatment(patient, "Amitriptyline", started_on=dt.date(2026, 6, 1), dose_amount="10",
                                  times_per_day=1, ingredient="amitriptyline")  # fmt: skip
    physio = add_treatment(patient, "Physiotherapy", started_on=dt.date(2026, 5, 1), dose_amount="1",
                           dose_unit="session", times_per_day=1, kind="physical")  # fmt: skip
    insoles = add_treatment(patient, "Insoles", started_on=dt.date(2026, 2, 1), dose_amount=None, times_per_day=None,
                            kind="device")  # fmt: skip
    return {t.name: t for t in (pregabalin, b12, ibuprofen, amitriptyline, physio, insoles)}


def test_the_section_says_what_is_taken_what_changed_and_how_it_went(patient, story):
    found = reporting.section(patient, FIRST, LAST, TODAY)
    assert [c.words for c in found.current] == [
        "Amitriptyline, 10 mg once a day, since 1 Jun 2026",
        "Ibuprofen, 400 mg when needed, since 1 Jan 2026",
        "Insoles, every day, since 1 Feb 2026",
        "Physiotherapy, 1 session once a day, since 1 May 2026",
        "Pregabalin, 150 mg twice a day, since 15 May 2026 (first started 1 Apr 2026)",
    ]
    assert [c.rxcui for c in found.current] == ["", "5640", "", "", "187832"]
    assert [(c.day, c.words) for c in found.changes] == [
        (dt.date(2026, 4, 1), "Pregabalin started (75 mg twice a day)"),
        (dt.date(2026, 4, 20), "Vitamin B12 stopped (it didn't help)"),
        (dt.date(2026, 5, 1), "Physiotherapy started (1 session once a day)"),
        (dt.date(2026, 5, 15), "Pregabalin: 75 mg twice a day → 150 mg twice a day"),
        (dt.date(2026, 6, 1), "Amitriptyline started (10 mg once a day)"),
    ]
    # Pregabalin's first course had 30 days while taking it (15 Apr to 14 May): two episodes a day before, one after.
    compared = {(c.name, c.dose): c for c in found.comparisons}
    first = compared[("Pregabalin", "75 mg twice a day")]
    assert (first.before.per_day, first.during.per_day, first.rate_ratio) == (2.0, 1.0, 0.5)
    assert first.rate_ratio_95[1] is not None and first.rate_ratio_95[1] < 1
    # 150 mg from 15 May: counted from 29 May, 13 days by today, too few; B12 began before the diary did.
    assert sorted(compared) == [("Insoles", "every day"), ("Physiotherapy", "1 session once a day"),
                                ("Pregabalin", "75 mg twice a day")]  # fmt: skip
    assert all(c.enough for c in found.comparisons)
    (uses,) = found.uses
    assert uses.words == "Taken 3 times; 2 rated: helped 1 (a lot 1, a little 0), didn't help 1"


def test_the_report_and_the_pages_say_the_same_of_a_comparison(patient, story, web):
    found = reporting.section(patient, FIRST, LAST, TODAY)
    (page,) = [s for s in summaries(patient, TODAY) if s.treatment.name == "Pregabalin"]
    first_course = next(c for c in found.comparisons if c.dose == "75 mg twice a day")
    assert comparison.sentences(first_course) == comparison.sentences(page.comparisons[0])
    api = web.get(f"/api/v1/treatments/{story['Pregabalin'].id}/comparison/").json()
    assert api["courses"][0]["words"] == comparison.sentences(first_course)
    trends = web.get("/trends/?range=3m").content.decode()
    assert comparison.headline(first_course) not in trends  # the card shows the latest course in the period…
    assert comparison.headline(page.comparisons[-1]).replace("'", "&#x27;") in trends  # …which says the same


def test_fhir_resources_are_valid_r4b_and_say_what_a_record_system_needs(patient, story):
    entries = fhir.resources(patient, patient_reference="urn:uuid:00000000-0000-4000-8000-000000000001",
                             site_url="https://diary.example.org")  # fmt: skip
    fhir.validate(entries)
    by_type: dict[str, list[dict[str, Any]]] = {}
    models: dict[str, Any] = {
        "MedicationStatement": MedicationStatement,
        "DeviceUseStatement": DeviceUseStatement,
        "Procedure": Procedure,
    }
    for entry in entries:
        resource = entry["resource"]
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
        by_type.setdefault(resource["resourceType"], []).append(resource)
        models[resource["resourceType"]].model_validate(resource)
    statements = {
        (r["medicationCodeableConcept"]["text"], r["effectivePeriod"]["start"]): r
        for r in by_type["MedicationStatement"]
    }
    assert len(statements) == 5  # pregabalin twice, B12, ibuprofen, amitriptyline
    first = statements[("Pregabalin", "2026-04-01")]
    assert first["status"] == "completed" and first["effectivePeriod"]["end"] == "2026-05-14"
    assert first["medicationCodeableConcept"]["coding"] == [
        {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "187832", "display": "pregabalin"}
    ]
    assert first["dosage"] == [
        {"text": "75 mg twice a day", "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}},
         "doseAndRate": [{"doseQuantity": {"value": 75, "unit": "mg", "system": "http://unitsofmeasure.org",
                                           "code": "mg"}}]}
    ]  # fmt: skip
    assert (
        first["informationSource"] == first["subject"] == {"reference": "urn:uuid:00000000-0000-4000-8000-000000000001"}
    )
    assert statements[("Pregabalin", "2026-05-15")]["status"] == "active"
    assert "end" not in statements[("Pregabalin", "2026-05-15")]["effectivePeriod"]
    b12 = statements[("Vitamin B12", "2026-01-05")]
    assert b12["status"] == "stopped" and b12["statusReason"][0]["text"] == "It didn't help"
    assert b12["dosage"][0]["doseAndRate"][0]["doseQuantity"]["code"] == "ug"
    ibuprofen = statements[("Ibuprofen", "2026-01-01")]
    assert ibuprofen["dosage"][0]["asNeededBoolean"] is True and "timing" not in ibuprofen["dosage"][0]
    amitriptyline = statements[("Amitriptyline", "2026-06-01")]["medicationCodeableConcept"]
    assert amitriptyline == {"text": "Amitriptyline"}  # no verified RxNorm code: text only, no guess
    (insoles,) = by_type["DeviceUseStatement"]
    assert (
        insoles["device"] == {"reference": "#device", "display": "Insoles"} and insoles["source"] == insoles["subject"]
    )
    (physio,) = by_type["Procedure"]
    assert (physio["status"], physio["code"], physio["performedPeriod"]) == (
        "in-progress", {"text": "Physiotherapy"}, {"start": "2026-05-01"})  # fmt: skip
    system = "https://diary.example.org/fhir/id/medication-statement"
    assert first["identifier"] == [{"system": system, "value": f"{story['Pregabalin'].id}/2026-04-01"}]


def test_fhir_ids_are_stable_per_installation_and_differ_between_them(patient, story):
    def ids(site: str) -> list[str]:
        return [e["resource"]["id"] for e in fhir.resources(patient, patient_reference="Patient/1", site_url=site)]

    assert ids("https://a.example.org") == ids("https://a.example.org")
    assert set(ids("https://a.example.org")).isdisjoint(ids("https://b.example.org"))


def test_fhir_resources_are_those_of_the_period(patient, story):
    entries = fhir.resources(patient, patient_reference="Patient/1", first=dt.date(2026, 5, 20), last=TODAY)
    names = sorted(
        e["resource"].get("medicationCodeableConcept", e["resource"].get("code", {})).get("text", "Insoles")
        for e in entries
    )
    assert names == ["Amitriptyline", "Ibuprofen", "Insoles", "Physiotherapy", "Pregabalin"]


def test_a_past_periods_comparison_counts_no_day_after_it(patient, web):
    """One episode a day from 1 Jan, three a day from 1 Apr; pregabalin from 1 Feb. March's report and Trends for
    March compare it as it stood on 31 Mar: before, 1–31 Jan (the diary's 31 days of the 56 before it), one a day;
    while, 15 Feb (after 14 settling days) to 31 Mar, 45 days, one a day: the same rate. Counted to today, April's
    three a day made it 'more episodes a logged day while taking it' in a report of March."""
    day = dt.date(2026, 1, 1)
    while day < TODAY:
        for hour in (9, 12, 15) if day >= dt.date(2026, 4, 1) else (9,):
            log(patient, dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC))
        day += dt.timedelta(days=1)
    add_treatment(patient, started_on=dt.date(2026, 2, 1))
    march = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    (compared,) = reporting.section(patient, *march, TODAY).comparisons
    assert (compared.before.first_logged, compared.before.logged_days, compared.before.episodes) == (
        march[0].replace(month=1),
        31,
        31,
    )
    assert (compared.during.first, compared.during.last) == (dt.date(2026, 2, 15), dt.date(2026, 3, 31))
    assert (compared.during.logged_days, compared.during.episodes, compared.rate_ratio) == (45, 45, 1.0)
    assert comparison.ratio_words(compared).startswith("No clear difference in episodes a logged day: 1.00 while")
    trends = web.get("/trends/?range=custom&start=2026-03-01&end=2026-03-31").content.decode()
    assert comparison.headline(compared).replace("'", "&#x27;") in trends
    # Up to today, the same course reads otherwise: the treatment's own page and a period that runs to today.
    (now,) = reporting.section(patient, march[0], TODAY, TODAY).comparisons
    assert (now.during.last, now.during.logged_days, now.during.episodes) == (TODAY, 115, 45 + 70 * 3)
    assert now.rate_ratio is not None and now.rate_ratio > 1


def test_a_past_periods_card_says_not_enough_by_its_last_day_not_yet(patient, web):
    """One episode a day from 1 Jan; pregabalin from 1 Apr, still taken; gabapentin from 1 Apr, stopped on 1 May (last
    taken 30 Apr). Trends for 1–20 Apr counts 15–20 Apr while taking each: 6 of 14 days. Neither is 'not enough yet'
    (today, 10 Jun, pregabalin has 56 days counted and its own page compares it), nor, for gabapentin, 'not enough
    while taking it' (it had 16 such days by 30 Apr): the count stopped on the period's last day."""
    day = dt.date(2026, 1, 1)
    while day < TODAY:
        log(patient, dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC))
        day += dt.timedelta(days=1)
    pregabalin = add_treatment(patient, started_on=dt.date(2026, 4, 1))
    add_treatment(patient, "Gabapentin", started_on=dt.date(2026, 4, 1), stopped_on=dt.date(2026, 5, 1))
    trends = web.get("/trends/?range=custom&start=2026-04-01&end=2026-04-20").content.decode()
    cards = trends[trends.index('class="treatment-cards"') : trends.index('id="often"')]
    assert cards.count("Not enough entries by 20 Apr 2026 to compare (6 of 14 days).") == 2
    assert "entries yet" not in cards and "while taking it to compare" not in cards
    (today,) = summaries(patient, TODAY, only={str(pregabalin.id)})[0].comparisons
    assert today.enough and today.during.logged_days == 56
