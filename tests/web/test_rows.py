"""The statements written once (web/rows.py) read and write exactly what the ORM reads and writes, on SQLite and
PostgreSQL alike: the token check's joined SELECT, and the inserts of a save."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary import accounts, services
from diary.models import ApiToken, CheckIn, Episode, EpisodeLocation
from tests.conftest import make_patient
from web.http import NotYours
from web.rows import Insert

pytestmark = pytest.mark.django_db


def field_values(instance: object) -> dict[str, tuple[str, object]]:
    """Each field's value and its type: a boolean read back as 1 is not the ORM's True."""
    fields = instance._meta.concrete_fields  # type: ignore[attr-defined]
    return {f.attname: (type(getattr(instance, f.attname)).__name__, getattr(instance, f.attname)) for f in fields}


def test_the_token_check_reads_what_the_orm_reads_in_one_query():
    patient = make_patient(
        "carol",
        tz="America/New_York",
        conditions=["diabetes", "back_problems"],
        reminder_time=dt.time(20, 30),
        date_of_birth=dt.date(1961, 4, 2),
        display_name="Carol Ann",
    )
    patient.last_login = timezone.now()
    patient.save()
    token, key = accounts.issue_token(patient, "Phone")
    orm = ApiToken.objects.select_related("user__profile").get(digest=token.digest)

    with CaptureQueriesContext(connection) as queries:
        [found] = accounts.tokens_by_key(key[:15])
        profile = found.user.profile  # loaded with the token: no second query

    assert len(queries) == 1
    assert field_values(found) == field_values(orm)
    assert field_values(found.user) == field_values(orm.user)
    assert field_values(profile) == field_values(orm.user.profile)
    assert profile.conditions == ["diabetes", "back_problems"] and profile.reminder_time == dt.time(20, 30)
    assert profile.user is found.user


def test_a_key_no_token_has_reads_nothing():
    assert accounts.tokens_by_key("0" * 15) == []


def test_the_api_signs_in_by_token_with_the_joined_read(client):
    patient = make_patient("dave", tz="Asia/Tokyo")
    _, key = accounts.issue_token(patient, "Phone")
    answer = client.get("/api/v1/profile/", HTTP_AUTHORIZATION=f"Token {key}")
    assert answer.status_code == 200 and answer.json()["timezone"] == "Asia/Tokyo"
    assert client.get("/api/v1/profile/", HTTP_AUTHORIZATION=f"Token {key[:-1]}x").status_code == 401


def episode(patient, **values) -> Episode:
    fields = {
        "started_at": dt.datetime(2026, 11, 3, 7, 15, tzinfo=dt.UTC),
        "duration_minutes": 20,
        "severity": 6,
        "sensations": ["numbness", "tingling"],
        "triggers": ["sitting"],
        "symptoms": [],
        "relieved_by": ["walking_around"],
        "notes": "after the long drive – «careful»",
        "alarm_answered": True,
    }
    return Episode(patient=patient, **(fields | values))


def test_an_insert_writes_the_row_the_orm_writes():
    patient = make_patient()
    by_orm, by_insert = episode(patient), episode(patient)
    by_orm.save(force_insert=True)

    assert Insert(Episode).run([by_insert]) == 1

    stamps = {"id", "created_at", "updated_at"}
    rows = {row["id"]: {k: v for k, v in row.items() if k not in stamps} for row in Episode.objects.values()}
    assert rows[by_insert.id] == rows[by_orm.id]
    stored = Episode.objects.get(id=by_insert.id)
    assert (by_insert.created_at, by_insert.updated_at) == (stored.created_at, stored.updated_at)  # auto_now stamped
    assert not by_insert._state.adding


def test_ignore_conflicts_counts_only_the_new_row_and_leaves_the_old_one():
    patient = make_patient()
    first = episode(patient, severity=3)
    insert = Insert(Episode, ignore_conflicts=True)
    assert insert.run([first]) == 1
    assert insert.run([episode(patient, id=first.id, severity=9)]) == 0
    assert Episode.objects.get(id=first.id).severity == 3


def test_update_conflicts_overwrites_only_the_named_fields():
    patient = make_patient()
    upsert = Insert(CheckIn, update_conflicts=(["patient", "date"], ["numbness_today", "updated_at"]))
    day = dt.date(2026, 11, 3)
    upsert.run([CheckIn(patient=patient, date=day, numbness_today=False)])
    created = CheckIn.objects.get(patient=patient, date=day).created_at

    upsert.run([CheckIn(patient=patient, date=day, numbness_today=True)])

    [row] = CheckIn.objects.filter(patient=patient)
    assert row.numbness_today is True
    assert row.created_at == created and row.updated_at > created


def test_numbered_ids_are_read_back_in_order():
    patient = make_patient()
    saved = episode(patient)
    Insert(Episode).run([saved])
    rows = [
        EpisodeLocation(episode=saved, side=side, region=region)
        for side, region in [("left", "toes"), ("right", "calf"), ("left", "knee")]
    ]

    assert Insert(EpisodeLocation).run(rows) == 3

    assert {(row.pk, row.side, row.region) for row in rows} == set(
        EpisodeLocation.objects.filter(episode=saved).values_list("pk", "side", "region")
    )


def test_a_save_of_a_new_id_reads_nothing_and_is_one_statement_on_postgresql():
    patient = make_patient()
    services.profile_of(patient)  # the profile is loaded with the patient, as the token check loads it
    with CaptureQueriesContext(connection) as queries:
        saved = services.save_episode(
            patient=patient,
            episode_id=uuid.uuid4(),
            started_at=dt.datetime(2026, 11, 3, 7, 15, tzinfo=dt.UTC),
            duration_minutes=5,
            severity=4,
            locations=[("left", "calf"), ("right", "calf"), ("left", "toes")],
            announce=False,
        )
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    writes = [s for s in statements if s not in {"BEGIN", "SAVEPOINT", "RELEASE", "COMMIT"}]
    assert writes == (["WITH"] if connection.vendor == "postgresql" else ["INSERT"] * 3)
    # What was written is what the save answers, places numbered as stored.
    stored = Episode.objects.prefetch_related("locations").get(id=saved.episode.id)
    assert {(p.pk, p.side, p.region) for p in saved.episode.locations.all()} == {
        (p.pk, p.side, p.region) for p in stored.locations.all()
    }
    assert CheckIn.objects.get(patient=patient).date == dt.date(2026, 11, 3)


def test_a_save_of_an_id_that_exists_replaces_its_places_and_notes_its_new_day():
    patient = make_patient()
    episode_id = uuid.uuid4()
    arguments: dict[str, Any] = {"patient": patient, "episode_id": episode_id, "duration_minutes": 5, "severity": 4}
    services.save_episode(
        **arguments, started_at=dt.datetime(2026, 11, 3, 7, 15, tzinfo=dt.UTC), locations=[("left", "calf")]
    )
    again = services.save_episode(
        **arguments, started_at=dt.datetime(2026, 11, 4, 7, 15, tzinfo=dt.UTC), locations=[("right", "toes")]
    )
    assert not again.created
    stored = Episode.objects.prefetch_related("locations").get(id=episode_id)
    assert [(p.side, p.region) for p in stored.locations.all()] == [("right", "toes")]
    assert [(p.pk, p.side) for p in again.episode.locations.all()] == [(p.pk, p.side) for p in stored.locations.all()]
    # The new day is noted; 3 November, left with no episode, is not logged any more (its check-in went with the
    # episode, as when the day's last episode is deleted: tests/diary/test_undo_delete.py).
    assert list(CheckIn.objects.filter(patient=patient).values_list("date", flat=True)) == [dt.date(2026, 11, 4)]


@pytest.mark.parametrize("committed", [False, True], ids=["in a test transaction", "committed on its own"])
def test_a_save_of_another_patients_id_writes_nothing_for_the_caller(request, committed):
    if committed:  # the new-episode statement runs outside a transaction when none is open (diary/services.py)
        request.getfixturevalue("transactional_db")
    alice, bob = make_patient("alice"), make_patient("bob")
    episode_id = uuid.uuid4()
    arguments: dict[str, Any] = {"episode_id": episode_id, "duration_minutes": 5, "severity": 4}
    services.save_episode(
        patient=alice,
        **arguments,
        started_at=dt.datetime(2026, 11, 3, 7, 15, tzinfo=dt.UTC),
        locations=[("left", "calf")],
    )
    with pytest.raises(NotYours):
        services.save_episode(
            patient=bob,
            **arguments,
            started_at=dt.datetime(2026, 11, 5, 7, 15, tzinfo=dt.UTC),
            locations=[("right", "toes")],
        )
    assert not CheckIn.objects.filter(patient=bob).exists()  # the check-in written with the refused insert is undone
    stored = Episode.objects.prefetch_related("locations").get(id=episode_id)
    assert stored.patient == alice and [(p.side, p.region) for p in stored.locations.all()] == [("left", "calf")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time")
def test_an_id_deleted_between_the_insert_and_the_read_is_saved_anew(transactional_db, monkeypatch):
    """The insert saw the id taken; before the save read the row, another request deleted it and committed."""
    patient = make_patient()
    episode_id = uuid.uuid4()
    arguments: dict[str, Any] = {"patient": patient, "episode_id": episode_id, "duration_minutes": 5, "severity": 4}
    services.save_episode(
        **arguments, started_at=dt.datetime(2026, 11, 3, 7, 15, tzinfo=dt.UTC), locations=[("left", "calf")]
    )
    insert, looked = services._insert_new, list[bool]()

    def insert_then_lose_the_row(*args: Any) -> bool:
        created = insert(*args)
        if not looked:
            looked.append(created)
            elsewhere = threading.Thread(target=delete_in_another_connection, args=(episode_id,))
            elsewhere.start()
            elsewhere.join()
        return created

    monkeypatch.setattr(services, "_insert_new", insert_then_lose_the_row)
    saved = services.save_episode(
        **arguments, started_at=dt.datetime(2026, 11, 4, 7, 15, tzinfo=dt.UTC), locations=[("right", "toes")]
    )
    assert looked == [False] and saved.created
    stored = Episode.objects.prefetch_related("locations").get(id=episode_id)
    assert [(p.side, p.region) for p in stored.locations.all()] == [("right", "toes")]


def delete_in_another_connection(episode_id: uuid.UUID) -> None:
    try:
        Episode.objects.filter(id=episode_id).delete()
    finally:
        connection.close()  # this thread's own connection
