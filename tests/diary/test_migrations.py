"""Migrations of the diary that carry data."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.conftest import make_patient, migrated_to

BEFORE, AFTER = ("diary", "0014_episode_from_file"), ("diary", "0015_notes_one_character_line_breaks")


@pytest.mark.django_db(transaction=True)
def test_notes_saved_with_a_browsers_line_breaks_keep_one_character_each_and_their_last_save():
    patient = make_patient()
    Episode = migrated_to(BEFORE).get_model("diary", "Episode")
    start = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    common = {"patient_id": patient.pk, "started_at": start, "duration_minutes": 5, "severity": 3}
    posted = Episode.objects.create(id=uuid.uuid4(), notes="after the walk\r\nthen better\r", **common)
    plain = Episode.objects.create(id=uuid.uuid4(), notes="one line", **common)
    saved = dict(Episode.objects.values_list("id", "updated_at"))
    Episode = migrated_to(AFTER).get_model("diary", "Episode")
    assert dict(Episode.objects.values_list("id", "notes")) == {
        posted.id: "after the walk\nthen better\n",
        plain.id: "one line",
    }
    assert dict(Episode.objects.values_list("id", "updated_at")) == saved  # not a change the late-entry rule reads
