"""A new episode that no app writes for is committed by its one statement, outside a transaction (no BEGIN and
COMMIT: a round trip where a transaction takes three, on the request the API serves most); a save that an app
writes for (triage: an emergency or urgent sign opens its flag) keeps the episode and those rows in one transaction.

These tests commit (`transactional_db`): inside a test's own transaction every save is in a transaction already.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction

from diary import hooks, services
from diary.models import CheckIn, Episode
from tests.conftest import make_patient
from triage import review, tasks
from triage.models import Flag

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="on SQLite a save is three statements")

STARTED = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=2)


@pytest.fixture(autouse=True)
def reviews(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The reviews asked for after commit, not run (the test runs tasks at once: its statements would count)."""
    asked: list[int] = []
    monkeypatch.setattr(tasks, "request_review", asked.append)
    return asked


@pytest.fixture
def statements() -> Iterator[list[tuple[str, bool]]]:
    """Each statement the saves run: its first word, and whether a transaction was open around it."""
    seen: list[tuple[str, bool]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        seen.append((sql.split()[0].upper(), context["connection"].in_atomic_block))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


@pytest.fixture
def patient(transactional_db: None) -> Any:
    return make_patient()


def save(patient: Any, episode_id: uuid.UUID | None = None, **fields: Any) -> services.SavedEpisode:
    """A save of a new episode (or of `episode_id`): 5 minutes, 4 of 10, the left calf, two hours ago."""
    arguments: dict[str, Any] = {
        "duration_minutes": 5,
        "severity": 4,
        "locations": [("left", "calf")],
        "started_at": STARTED,
    }
    return services.save_episode(patient=patient, episode_id=episode_id or uuid.uuid4(), **(arguments | fields))


def test_a_new_episode_nothing_writes_for_is_one_statement_outside_a_transaction(patient, statements, reviews):
    saved = save(patient)
    assert saved.created and not saved.alerts
    assert statements == [("WITH", False)]
    assert reviews == [patient.pk]  # asked for once the statement has committed
    assert Episode.objects.filter(id=saved.episode.id, patient=patient).exists()
    assert CheckIn.objects.filter(patient=patient, numbness_today=True).exists()


def test_a_new_episode_that_opens_a_flag_is_saved_with_it_in_one_transaction(patient, statements):
    saved = save(patient, symptoms=["speech_difficulty"])
    ran = list(statements)
    assert [a["code"] for a in saved.alerts] == ["emergency.stroke_signs"]
    assert list(Flag.objects.filter(patient=patient).values_list("code", flat=True)) == ["emergency.stroke_signs"]
    assert ran[0] == ("WITH", True) and ("INSERT", True) in ran[1:]  # the episode's statement, then the flag's
    assert all(in_transaction for _, in_transaction in ran)


def test_a_flag_that_fails_to_open_takes_its_episode_with_it(patient, monkeypatch):
    def fail(change: review.Change) -> None:
        raise RuntimeError("the flag's write failed")

    monkeypatch.setattr(review, "save_change", fail)
    with pytest.raises(RuntimeError):
        save(patient, symptoms=["speech_difficulty"])
    assert not Episode.objects.filter(patient=patient).exists()
    assert not CheckIn.objects.filter(patient=patient).exists()


def test_an_edit_is_replaced_in_one_transaction(patient, statements):
    assert hooks.SAVE_WRITERS  # triage registered its check when the apps loaded
    saved = save(patient)
    statements.clear()
    save(patient, saved.episode.id, duration_minutes=10, locations=[("right", "toes")])
    ran = list(statements)
    # The new-episode statement finds the id taken (outside), then the row is replaced inside one transaction.
    assert ran[0] == ("WITH", False)
    assert ran[1:] and all(in_transaction for _, in_transaction in ran[1:])
    stored = Episode.objects.prefetch_related("locations").get(id=saved.episode.id)
    assert stored.duration_minutes == 10 and [(p.side, p.region) for p in stored.locations.all()] == [("right", "toes")]


def test_an_edit_beside_an_import_holding_the_same_day_waits_rather_than_deadlocks(patient):
    """An import (one transaction) has written a new episode of day D, so it holds D's check-in, and is about to
    replace episode E of day D; meanwhile the patient's phone sends an edit of E. Both write the check-in before
    locking the episode, so the edit waits for the import and then replaces E in turn: no deadlock, no error."""
    edited = save(patient)
    answers: dict[str, object] = {}
    imported_first, edit_sent = threading.Event(), threading.Event()

    def importing() -> None:
        try:
            with transaction.atomic():
                save(patient, notes="imported, new")
                imported_first.set()
                edit_sent.wait(5)
                time.sleep(0.5)  # the edit is waiting on a lock by now
                save(patient, edited.episode.id, notes="imported")
            answers["import"] = "ok"
        except Exception as e:  # noqa: BLE001 - the answer is what the test reads
            answers["import"] = e
        finally:
            connection.close()

    def editing() -> None:
        imported_first.wait(5)
        edit_sent.set()
        try:
            save(patient, edited.episode.id, duration_minutes=7, notes="edited")
            answers["edit"] = "ok"
        except Exception as e:  # noqa: BLE001
            answers["edit"] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=importing), threading.Thread(target=editing)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert answers == {"import": "ok", "edit": "ok"}
    assert Episode.objects.get(id=edited.episode.id).notes == "edited"  # the edit came after the import


def test_a_form_save_with_another_apps_fields_keeps_one_transaction(patient, statements):
    """The log form hands its whole posted data to the apps (`extra`): what they write from it (treatments: "took
    something for it") goes in with the episode or not at all."""
    save(patient, extra={"took": "nothing"})
    ran = list(statements)
    assert ran[0] == ("WITH", True) and all(in_transaction for _, in_transaction in ran)
