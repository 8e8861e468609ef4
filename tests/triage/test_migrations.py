"""Migrations that carry data: what a flag read before `read_evidence` existed was read on."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import make_patient, migrated_to

BEFORE, AFTER = ("triage", "0002_flag_resolution"), ("triage", "0003_flag_read_evidence")


@pytest.mark.django_db(transaction=True)
def test_a_flag_read_before_the_field_existed_was_read_on_what_it_rests_on():
    """Read flags get their evidence as what was read; open and resolved ones nothing (they were not read)."""
    patient = make_patient()
    Flag = migrated_to(BEFORE).get_model("triage", "Flag")
    day = dt.date(2026, 3, 1)
    common = {"patient_id": patient.pk, "level": "emergency", "first_seen": day, "last_seen": day, "detail": {}}
    Flag.objects.create(code="emergency.stroke_signs", status="acknowledged", evidence=["a", "b"], **common)
    Flag.objects.create(code="emergency.spinal_cord", status="open", evidence=["c"], **common)
    Flag.objects.create(code="urgent.injury", status="resolved", evidence=["d"], **common)
    Flag = migrated_to(AFTER).get_model("triage", "Flag")
    assert dict(Flag.objects.values_list("code", "read_evidence")) == {
        "emergency.stroke_signs": ["a", "b"],
        "emergency.spinal_cord": [],
        "urgent.injury": [],
    }
