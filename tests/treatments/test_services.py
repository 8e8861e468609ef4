"""The treatments' write path (treatments/services.py): the rules every writer shares, each refusal naming its
field and saving nothing, changes of dose that never leave two courses overlapping, doses by client id."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import add_treatment, log
from tests.treatments.conftest import NOW
from treatments import services, vocab
from treatments.facts import CourseFacts
from treatments.models import Course, Dose, Treatment
from web.http import NotYours

TODAY = dt.date(2026, 6, 10)


def save(patient, *courses: CourseFacts, schedule=vocab.REGULAR, kind=vocab.MEDICATION, treatment_id=None, **more):
    return services.save_treatment(
        patient=patient, treatment_id=treatment_id, name="Pregabalin", kind=kind, schedule=schedule,
        courses=list(courses), **more,
    )  # fmt: skip


def course(
    started: str, stopped: str | None = None, amount: str | None = "75", unit="mg", times: int | None = 2, **more
):
    return CourseFacts(
        dt.date.fromisoformat(started),
        dt.date.fromisoformat(stopped) if stopped else None,
        Decimal(amount) if amount is not None else None,
        unit,
        times,
        **more,
    )


def refused(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


@pytest.mark.parametrize(
    "courses, schedule, field",
    [
        ([course("2026-03-01", "2026-02-01")], vocab.REGULAR, "courses[0].stopped_on"),  # ends before it starts
        ([course("2026-03-01", "2026-03-01")], vocab.REGULAR, "courses[0].stopped_on"),  # ends the day it starts
        ([course("2026-01-01", "2026-03-10"), course("2026-03-01")], vocab.REGULAR, "courses"),  # overlapping
        ([course("2026-01-01"), course("2026-03-01")], vocab.REGULAR, "courses"),  # an open course, then another
        ([course("2026-03-01", amount="0")], vocab.REGULAR, "courses[0].dose_amount"),
        ([course("2026-03-01", amount="-5")], vocab.REGULAR, "courses[0].dose_amount"),
        ([course("2026-03-01", unit="spoonful")], vocab.REGULAR, "courses[0].dose_unit"),
        ([course("2026-03-01", unit="")], vocab.REGULAR, "courses[0].dose_unit"),
        ([course("2026-03-01", amount=None)], vocab.REGULAR, "courses[0].dose_amount"),  # a medicine needs a dose
        ([course("2026-03-01", times=None)], vocab.REGULAR, "courses[0].times_per_day"),
        ([course("2026-03-01", times=7)], vocab.REGULAR, "courses[0].times_per_day"),
        ([course("2026-03-01", times=2)], vocab.AS_NEEDED, "courses[0].times_per_day"),
        ([course("2026-06-11")], vocab.REGULAR, "courses[0].started_on"),  # in the future
        ([course("2026-03-01", "2026-06-13")], vocab.REGULAR, "courses[0].stopped_on"),
        ([course("2026-03-01", stop_reason="side_effects")], vocab.REGULAR, "courses[0].stop_reason"),
        ([course("2026-03-01", "2026-04-01", stop_reason="boredom")], vocab.REGULAR, "courses[0].stop_reason"),
        ([], vocab.REGULAR, "courses"),
    ],
)
def test_bad_courses_are_refused_naming_the_field_and_nothing_is_saved(patient, courses, schedule, field):
    with pytest.raises(ValidationError) as error:
        save(patient, *courses, schedule=schedule)
    assert field in refused(error)
    assert not Treatment.objects.exists() and not Course.objects.exists()


def test_a_device_needs_no_dose_and_courses_may_follow_without_a_gap(patient):
    saved = save(patient, course("2026-01-01", "2026-03-01"), course("2026-03-01"), kind=vocab.DEVICE)
    assert [(c.started_on, c.stopped_on) for c in saved.row.courses.all()] == [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 1)),
        (dt.date(2026, 3, 1), None),
    ]
    insoles = save(patient, course("2026-05-01", amount=None, unit="", times=None), kind=vocab.DEVICE)
    assert insoles.row.courses.get().dose_words == "every day"


def test_saving_by_id_twice_replaces_the_treatment_and_its_courses(patient):
    tid = uuid.uuid4()
    first = save(patient, course("2026-01-01"), treatment_id=tid)
    again = save(patient, course("2026-02-01", amount="150"), treatment_id=tid)
    assert (first.created, again.created) == (True, False)
    assert Treatment.objects.count() == 1
    assert [c.dose_words for c in Course.objects.all()] == ["150 mg twice a day"]


def test_another_patients_treatment_id_is_not_theirs_to_replace(patient, other_patient):
    tid = save(patient, course("2026-01-01")).row.id
    with pytest.raises(NotYours):
        save(other_patient, course("2026-01-01"), treatment_id=tid)
    assert Treatment.objects.get().patient == patient


def test_a_change_of_dose_stops_the_course_the_day_the_next_starts(patient):
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    services.change_dose(
        patient=patient, treatment_id=t.id, on=dt.date(2026, 4, 1), dose_amount=Decimal(150), dose_unit="mg",
        times_per_day=2,
    )  # fmt: skip
    courses = list(t.courses.order_by("started_on"))
    assert [(c.started_on, c.stopped_on, c.dose_words) for c in courses] == [
        (dt.date(2026, 1, 1), dt.date(2026, 4, 1), "75 mg twice a day"),
        (dt.date(2026, 4, 1), None, "150 mg twice a day"),
    ]


def test_a_change_on_the_day_the_course_began_corrects_it_and_one_before_it_is_refused(patient):
    t = add_treatment(patient, started_on=dt.date(2026, 6, 1))
    services.change_dose(patient=patient, treatment_id=t.id, on=dt.date(2026, 6, 1), dose_amount=Decimal(50),
                         dose_unit="mg", times_per_day=3)  # fmt: skip
    assert [c.dose_words for c in t.courses.all()] == ["50 mg 3 times a day"]
    with pytest.raises(ValidationError) as error:
        services.change_dose(patient=patient, treatment_id=t.id, on=dt.date(2026, 5, 1), dose_amount=Decimal(25),
                             dose_unit="mg", times_per_day=3)  # fmt: skip
    assert refused(error) == {"started_on"}
    with pytest.raises(ValidationError) as error:
        services.change_dose(patient=patient, treatment_id=t.id, on=dt.date(2026, 6, 5), dose_amount=Decimal(50),
                             dose_unit="mg", times_per_day=3)  # fmt: skip
    assert refused(error) == {"dose_amount"}  # that is the dose already
    assert t.courses.count() == 1


def test_stop_with_a_reason_and_start_again_later(patient):
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    services.stop_treatment(patient=patient, treatment_id=t.id, stopped_on=dt.date(2026, 3, 1), reason="side_effects")
    with pytest.raises(ValidationError) as error:
        services.stop_treatment(patient=patient, treatment_id=t.id, stopped_on=dt.date(2026, 4, 1), reason="other")
    assert refused(error) == {"stopped_on"}
    with pytest.raises(ValidationError) as error:  # again, but before it stopped
        services.change_dose(patient=patient, treatment_id=t.id, on=dt.date(2026, 2, 1), dose_amount=Decimal(25),
                             dose_unit="mg", times_per_day=1)  # fmt: skip
    assert refused(error) == {"started_on"}
    # Stopped on 1 Mar is the first day without it: the treatment's page says "last taken 28 Feb", and so does this.
    assert error.value.message_dict["started_on"] == [
        "It was last taken on 28 Feb 2026: start it again from 1 Mar 2026 or later."
    ]
    services.change_dose(patient=patient, treatment_id=t.id, on=dt.date(2026, 5, 1), dose_amount=Decimal(25),
                         dose_unit="mg", times_per_day=1)  # fmt: skip
    assert [(c.stopped_on, c.stop_reason) for c in t.courses.order_by("started_on")] == [
        (dt.date(2026, 3, 1), "side_effects"),
        (None, ""),
    ]


def test_a_stop_before_the_course_began_is_refused_naming_the_stop_date(patient):
    t = add_treatment(patient, started_on=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError) as error:
        services.stop_treatment(patient=patient, treatment_id=t.id, stopped_on=dt.date(2026, 5, 1), reason="other")
    assert refused(error) == {"stopped_on"}
    assert t.courses.get().stopped_on is None


def dose(patient, treatment, **values):
    arguments = {"dose_id": None, "treatment_id": treatment.id, "taken_at": NOW - dt.timedelta(hours=1)} | values
    return services.save_dose(patient=patient, **arguments)


@pytest.fixture
def ibuprofen(patient):
    return add_treatment(patient, "Ibuprofen", started_on=dt.date(2026, 3, 1), dose_amount="400",
                         schedule=vocab.AS_NEEDED)  # fmt: skip


@pytest.mark.parametrize(
    "values, field",
    [
        ({"taken_at": dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC)}, "taken_at"),  # before its first course
        ({"taken_at": NOW + dt.timedelta(hours=1)}, "taken_at"),  # in the future
        ({"amount": Decimal(0)}, "amount"),
        ({"amount": Decimal(-1)}, "amount"),
        ({"status": vocab.MISSED}, "status"),  # taken when needed: never missed
        ({"effect": "cured"}, "effect"),
        ({"episode_id": uuid.uuid4()}, "episode_id"),
        ({"status": "forgotten"}, "status"),
    ],
)
def test_bad_doses_are_refused_naming_the_field(patient, ibuprofen, values, field):
    with pytest.raises(ValidationError) as error:
        dose(patient, ibuprofen, **values)
    assert field in refused(error)
    assert not Dose.objects.exists()


def test_an_effect_on_a_missed_dose_is_refused(patient):
    t = add_treatment(patient, started_on=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError) as error:
        dose(patient, t, status=vocab.MISSED, effect=vocab.HELPED_A_LOT)
    assert refused(error) == {"effect"}
    missed = services.log_missed_day(patient=patient, treatment_id=t.id, day=dt.date(2026, 6, 1)).row
    with pytest.raises(ValidationError) as error:
        services.rate_dose(patient=patient, dose_id=missed.id, effect=vocab.HELPED_A_LOT)
    assert refused(error) == {"effect"}
    assert Dose.objects.get().effect == ""


def test_a_dose_of_another_patients_treatment_or_for_their_episode_is_refused(patient, other_patient, ibuprofen):
    with pytest.raises(ValidationError) as error:
        dose(other_patient, ibuprofen)
    assert refused(error) == {"treatment_id"}
    bobs = add_treatment(other_patient, "Ibuprofen", started_on=dt.date(2026, 3, 1), schedule=vocab.AS_NEEDED)
    alices_episode = log(patient, NOW - dt.timedelta(hours=2))
    with pytest.raises(ValidationError) as error:
        dose(other_patient, bobs, episode_id=alices_episode.id)
    assert refused(error) == {"episode_id"}
    assert not Dose.objects.exists()


def test_a_dose_is_saved_once_by_its_id_and_another_patient_cannot_take_it_over(patient, other_patient, ibuprofen):
    dose_id = uuid.uuid4()
    first = dose(patient, ibuprofen, dose_id=dose_id)
    again = dose(patient, ibuprofen, dose_id=dose_id, effect=vocab.HELPED_A_LITTLE)
    assert (first.created, again.created, Dose.objects.count()) == (True, False, 1)
    assert Dose.objects.get().effect == vocab.HELPED_A_LITTLE
    bobs = add_treatment(other_patient, "Ibuprofen", started_on=dt.date(2026, 3, 1), schedule=vocab.AS_NEEDED)
    with pytest.raises(NotYours):
        dose(other_patient, bobs, dose_id=dose_id)
    assert Dose.objects.get().treatment == ibuprofen


def test_a_missed_day_is_logged_once_on_a_day_of_a_course(patient):
    t = add_treatment(patient, started_on=dt.date(2026, 3, 1), stopped_on=dt.date(2026, 5, 1))
    for _ in range(2):
        services.log_missed_day(patient=patient, treatment_id=t.id, day=dt.date(2026, 4, 2))
    assert Dose.objects.filter(status=vocab.MISSED).count() == 1
    for day, field in (
        (dt.date(2026, 5, 2), "taken_at"),
        (dt.date(2026, 2, 1), "taken_at"),
        (TODAY + dt.timedelta(days=1), "taken_at"),
    ):
        with pytest.raises(ValidationError) as error:
            services.log_missed_day(patient=patient, treatment_id=t.id, day=day)
        assert refused(error) == {field}


def test_courses_cannot_be_moved_past_the_doses_already_logged(patient, ibuprofen):
    dose(patient, ibuprofen, taken_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    with pytest.raises(ValidationError) as error:
        save(patient, course("2026-04-01", times=None), schedule=vocab.AS_NEEDED, treatment_id=ibuprofen.id)
    assert refused(error) == {"courses"}
    assert ibuprofen.courses.get().started_on == dt.date(2026, 3, 1)
