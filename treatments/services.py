"""Writes to the patient's treatments. The pages, the API, the log form's hook and the import call these.

Each is keyword-only and atomic. A treatment and a dose are created or replaced by their id (idempotent: a retry,
a double tap and the offline queue's replay leave one row), safe against two concurrent creates of one id. A
treatment's row is locked while its courses change, so two changes of dose never interleave.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from diary.clock import Clock, day_start, day_words, local_date
from diary.models import Episode
from diary.services import NO_SUCH_EPISODE, clock_of
from treatments import spans, vocab
from treatments.facts import CourseFacts
from treatments.models import Course, Dose, Treatment
from web.http import NotYours

NO_SUCH_TREATMENT = "No such treatment."  # for another patient's too: the two answers never differ
NO_SUCH_DOSE = "No such dose."
NAMESPACE = uuid.UUID("5d1f3c52-8e0b-4a3e-9c55-0f4d2b7a6e31")  # ids made from a treatment and a day or an episode


@dataclass
class Saved:
    row: Any  # the Treatment or the Dose
    created: bool


# --- Rules --------------------------------------------------------------------------------------------


def course_problems(course: CourseFacts, *, kind: str, schedule: str, today: dt.date) -> dict[str, list[str]]:
    """What is wrong with one course, by field (the forms show each beside its field, the API names it)."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    row = course.row()
    try:
        row.clean_fields(exclude=["treatment"])
    except ValidationError as e:
        for field, messages in e.message_dict.items():
            if field == "dose_unit":
                messages = [f"Unknown unit {course.dose_unit!r}: use one of {', '.join(vocab.UNITS)}."]
            for message in messages:
                add(field, message)
    if course.started_on > today:
        add("started_on", "The start can't be in the future.")
    if course.stopped_on is not None:
        if course.stopped_on <= course.started_on:
            add("stopped_on", "A course stops after the day it starts: the stop date is the first day without it.")
        elif course.stopped_on > today + dt.timedelta(days=1):
            add("stopped_on", "The stop date can't be in the future (it is the first day without it).")
    elif course.stop_reason:
        add("stop_reason", "A reason for stopping goes with a stop date.")
    if course.dose_amount is not None and not course.dose_unit:
        add("dose_unit", "Give the unit of the dose.")
    if course.dose_amount is None and kind in vocab.DRUG_KINDS:
        add("dose_amount", "Give the dose (for example 75 mg): it is on the box or the prescription.")
    if schedule == vocab.AS_NEEDED and course.times_per_day is not None:
        add("times_per_day", "Times a day are for a treatment taken every day; leave it empty when taken as needed.")
    if schedule == vocab.REGULAR and course.times_per_day is None and kind in vocab.DRUG_KINDS:
        add("times_per_day", "Give how many times a day (1 to 6).")
    return problems


def order_problems(courses: Sequence[CourseFacts]) -> list[str]:
    """What is wrong with the courses taken together: none, two on one day, or one overlapping the next."""
    if not courses:
        return ["A treatment needs at least one course: when it started, and at what dose."]
    ordered = sorted(courses, key=lambda c: c.started_on)
    problems = []
    for course, after in zip(ordered, ordered[1:], strict=False):
        if course.stopped_on is None or course.stopped_on > after.started_on:
            until = "goes on" if course.stopped_on is None else f"runs until {course.stopped_on:%-d %b %Y}"
            problems.append(
                f"Courses of one treatment can't overlap: the one from {course.started_on:%-d %b %Y} {until}, "
                f"past the start of the next on {after.started_on:%-d %b %Y}."
            )
    return problems


def check_courses(
    courses: Sequence[CourseFacts], *, kind: str, schedule: str, today: dt.date
) -> tuple[list[CourseFacts], dict[str, list[str]]]:
    """The courses oldest first, and their problems by field: "courses[1].stopped_on", or "courses" for the
    courses taken together (the API answers these names; a form shows a course's beside its own field)."""
    problems = {
        f"courses[{index}].{field}": messages
        for index, course in enumerate(courses)
        for field, messages in course_problems(course, kind=kind, schedule=schedule, today=today).items()
    }
    if not problems and (overlaps := order_problems(courses)):
        problems["courses"] = overlaps
    return sorted(courses, key=lambda c: c.started_on), problems


def _first_dose_day(treatment: Treatment, clock: Clock) -> dt.date | None:
    first = treatment.doses.aggregate(first=Min("taken_at"))["first"]
    return None if first is None else local_date(first, clock.zone)


# --- Treatments ---------------------------------------------------------------------------------------


def _owned_treatment(patient: User, treatment_id: uuid.UUID | str, *, lock: bool = False) -> Treatment:
    treatments = Treatment.objects.select_for_update() if lock else Treatment.objects
    try:
        found = treatments.filter(patient=patient, id=treatment_id).first()
    except ValidationError:  # not a UUID
        found = None
    if found is None:
        raise NotYours(NO_SUCH_TREATMENT)
    return found


# What a treatment is besides its courses: the arguments of `save_treatment` that its own row holds.
TREATMENT_FIELDS = ("name", "kind", "schedule", "ingredient", "notes")


@transaction.atomic
def save_treatment(
    *,
    patient: User,
    treatment_id: uuid.UUID | None,
    name: str,
    kind: str,
    schedule: str,
    courses: Sequence[CourseFacts],
    ingredient: str = "",
    notes: str = "",
) -> Saved:
    """Create or replace a treatment by its id, with all of its courses (they replace the ones it had)."""
    clock = clock_of(patient)
    values = {
        "name": " ".join(name.split()),
        "kind": kind,
        "schedule": schedule,
        "ingredient": ingredient,
        "notes": notes,
    }
    ordered, found = check_courses(courses, kind=kind, schedule=schedule, today=clock.today())
    problems: dict[str, Any] = dict(found)
    treatment_id = treatment_id or uuid.uuid4()
    treatment = Treatment.objects.select_for_update().filter(id=treatment_id).first()
    if treatment is not None and treatment.patient_id != patient.pk:
        raise NotYours(NO_SUCH_TREATMENT)
    created = treatment is None
    candidate = Treatment(id=treatment_id, patient=patient, **values)
    try:
        candidate.full_clean(exclude=["patient", "id"], validate_unique=False)
    except ValidationError as e:
        problems = e.message_dict | problems
    if problems:
        raise ValidationError(problems)
    if treatment is not None:
        _check_doses_fit(treatment, ordered, schedule, clock)
    if created:
        try:
            with transaction.atomic():
                candidate.save(force_insert=True)
            treatment = candidate
        except IntegrityError:
            # A concurrent create of the same id won: replace it, as a retry would.
            treatment = Treatment.objects.select_for_update().get(id=treatment_id)
            if treatment.patient_id != patient.pk:
                raise NotYours(NO_SUCH_TREATMENT) from None
            created = False
            _check_doses_fit(treatment, ordered, schedule, clock)
    assert treatment is not None
    if not created:
        for field, value in values.items():
            setattr(treatment, field, value)
        treatment.save()
        treatment.courses.all().delete()
    Course.objects.bulk_create(c.row(treatment) for c in ordered)
    return Saved(treatment, created)


def _check_doses_fit(treatment: Treatment, courses: Sequence[CourseFacts], schedule: str, clock: Clock) -> None:
    """A change of courses must leave no dose before the first course, and no missed day outside a course."""
    first_dose = _first_dose_day(treatment, clock)
    if first_dose is not None and first_dose < courses[0].started_on:
        raise ValidationError(
            {
                "courses": f"Doses are logged from {first_dose:%-d %b %Y}, before the first course starts "
                f"({courses[0].started_on:%-d %b %Y}): start it earlier, or delete those doses first."
            }
        )
    missed = treatment.doses.filter(status=vocab.MISSED).values_list("taken_at", flat=True)
    if missed and schedule != vocab.REGULAR:
        raise ValidationError({"schedule": "Missed days are logged for it: only a treatment taken every day has them."})
    for taken_at in missed:
        day = local_date(taken_at, clock.zone)
        if not any(spans.covers(c, day) for c in courses):
            raise ValidationError({"courses": f"A missed day is logged on {day:%-d %b %Y}, outside every course."})


def _current_courses(treatment: Treatment) -> list[CourseFacts]:
    return [CourseFacts.of(c) for c in treatment.courses.order_by("started_on")]


def _rewrite(patient: User, treatment: Treatment, courses: list[CourseFacts], **changes: str) -> Saved:
    """Save `treatment` again with `courses` in place of its own, and any of its own fields in `changes`."""
    kept = {field: getattr(treatment, field) for field in TREATMENT_FIELDS}
    return save_treatment(patient=patient, treatment_id=treatment.id, courses=courses, **(kept | changes))


@transaction.atomic
def change_dose(
    *,
    patient: User,
    treatment_id: uuid.UUID | str,
    on: dt.date,
    dose_amount: Decimal | None,
    dose_unit: str,
    times_per_day: int | None,
) -> Saved:
    """A new dose from `on`: the current course stops that day and the next opens (a change made on the day the
    course began just corrects it). A stopped treatment starts again at this dose."""
    treatment = _owned_treatment(patient, treatment_id, lock=True)
    courses = _current_courses(treatment)
    new = CourseFacts(on, None, dose_amount, dose_unit, times_per_day)
    _refuse(new, treatment, patient)
    last = courses[-1]
    if last.stopped_on is None:
        if on < last.started_on:
            raise ValidationError(
                {"started_on": f"The new dose can't start before the current one (from {last.started_on:%-d %b %Y})."}
            )
        if last.same_dose(new):
            raise ValidationError({"dose_amount": "That is the dose already."})
        if on == last.started_on:
            courses[-1] = new
        else:
            courses[-1] = replace(last, stopped_on=on, stop_reason="")
            courses.append(new)
    else:
        if on < last.stopped_on:
            assert last.last_day is not None
            raise ValidationError(
                {
                    "started_on": f"It was last taken on {day_words(last.last_day)}: start it again from "
                    f"{day_words(last.stopped_on)} or later."
                }
            )
        courses.append(new)
    return _rewrite(patient, treatment, courses)


@transaction.atomic
def stop_treatment(*, patient: User, treatment_id: uuid.UUID | str, stopped_on: dt.date, reason: str) -> Saved:
    """The current course stops on `stopped_on` (the first day without it), for a reason of `vocab.STOP_REASONS`."""
    treatment = _owned_treatment(patient, treatment_id, lock=True)
    courses = _current_courses(treatment)
    last = courses[-1]
    if last.stopped_on is not None:
        raise ValidationError({"stopped_on": f"It is stopped already (from {last.stopped_on:%-d %b %Y})."})
    if reason not in vocab.STOP_REASONS:
        raise ValidationError({"stop_reason": "Choose why it stopped."})
    courses[-1] = replace(last, stopped_on=stopped_on, stop_reason=reason)
    _refuse(courses[-1], treatment, patient)
    return _rewrite(patient, treatment, courses)


def _refuse(course: CourseFacts, treatment: Treatment, patient: User) -> None:
    """The course's own problems, by field, before the whole treatment is checked (a form shows them in place)."""
    today = clock_of(patient).today()
    problems = course_problems(course, kind=treatment.kind, schedule=treatment.schedule, today=today)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def update_details(*, patient: User, treatment_id: uuid.UUID | str, name: str, kind: str, notes: str) -> Saved:
    """A new name, kind or notes; the courses stay as they are. A name of the suggestions picks its code."""
    treatment = _owned_treatment(patient, treatment_id, lock=True)
    suggestion = vocab.suggestion_for_name(name)
    ingredient = suggestion.code if suggestion else ("" if name != treatment.name else treatment.ingredient)
    return _rewrite(
        patient, treatment, _current_courses(treatment), name=name, kind=kind, ingredient=ingredient, notes=notes
    )


@transaction.atomic
def delete_treatment(*, patient: User, treatment_id: uuid.UUID | str) -> bool:
    deleted, _ = Treatment.objects.filter(patient=patient, id=treatment_id).delete()
    return bool(deleted)


# --- Doses --------------------------------------------------------------------------------------------


def dose_problems(
    *, name: str, schedule: str, courses: Sequence[CourseFacts | Course], day: dt.date, status: str, effect: str
) -> dict[str, str]:
    """The rules a dose keeps against its treatment's courses: not before the first course, a missed day on a day
    of a course of a treatment taken every day, an effect only on a dose taken. `day`: the dose's local date."""
    problems = {}
    first = min((c.started_on for c in courses), default=None)
    if first is not None and day < first:
        problems["taken_at"] = f"That is before {name} started ({first:%-d %b %Y})."
    elif status == vocab.MISSED:
        if schedule != vocab.REGULAR:
            problems["status"] = f"{name} is taken when needed: only a treatment taken every day is missed."
        elif not any(spans.covers(c, day) for c in courses):
            problems["taken_at"] = f"{name} was not being taken on {day:%-d %b %Y}."
    if effect and status != vocab.TAKEN:
        problems["effect"] = "Only a dose taken can have an effect: this one was missed."
    return problems


@transaction.atomic
def save_dose(
    *,
    patient: User,
    dose_id: uuid.UUID | None,
    treatment_id: uuid.UUID | str,
    taken_at: dt.datetime,
    status: str = vocab.TAKEN,
    amount: Decimal | None = None,
    episode_id: uuid.UUID | str | None = None,
    effect: str = "",
) -> Saved:
    """Create or replace a dose by its id (idempotent). Another patient's treatment or episode is refused as
    unknown, naming its field; another patient's dose id answers as a missing one (NotYours)."""
    clock = clock_of(patient)
    try:
        treatment = _owned_treatment(patient, treatment_id)
    except NotYours:
        raise ValidationError({"treatment_id": NO_SUCH_TREATMENT}) from None
    episode = None
    if episode_id is not None:
        episode = Episode.objects.filter(patient=patient, id=episode_id).first()
        if episode is None:
            raise ValidationError({"episode_id": NO_SUCH_EPISODE})
    taken_at = taken_at.replace(microsecond=0)
    values = {
        "treatment": treatment,
        "taken_at": taken_at,
        "status": status,
        "amount": amount,
        "episode": episode,
        "effect": effect,
    }
    dose_id = dose_id or uuid.uuid4()
    candidate = Dose(id=dose_id, **values)
    problems: dict[str, Any] = {}
    try:
        candidate.full_clean(exclude=["treatment", "episode", "id"], validate_unique=False, validate_constraints=False)
    except ValidationError as e:
        problems = e.message_dict
    if "taken_at" not in problems:  # a time outside the model's bounds may have no local date (year 1 has none)
        problems |= dose_problems(
            name=treatment.name,
            schedule=treatment.schedule,
            courses=list(treatment.courses.all()),
            day=local_date(taken_at, clock.zone),
            status=status,
            effect=effect,
        )
    if problems:
        raise ValidationError(problems)
    dose = Dose.objects.select_for_update().filter(id=dose_id).select_related("treatment").first()
    if dose is not None and dose.treatment.patient_id != patient.pk:
        raise NotYours(NO_SUCH_DOSE)
    created = dose is None
    if created:
        try:
            with transaction.atomic():
                candidate.save(force_insert=True)
            return Saved(candidate, True)
        except IntegrityError:
            dose = Dose.objects.select_for_update().select_related("treatment").get(id=dose_id)
            if dose.treatment.patient_id != patient.pk:
                raise NotYours(NO_SUCH_DOSE) from None
    assert dose is not None
    for field, value in values.items():
        setattr(dose, field, value)
    dose.save()
    return Saved(dose, False)


@transaction.atomic
def delete_dose(*, patient: User, dose_id: uuid.UUID | str) -> bool:
    deleted, _ = Dose.objects.filter(treatment__patient=patient, id=dose_id).delete()
    return bool(deleted)


def owned_dose(patient: User, dose_id: uuid.UUID | str) -> Dose:
    try:
        dose = Dose.objects.select_related("treatment").filter(treatment__patient=patient, id=dose_id).first()
    except ValidationError:
        dose = None
    if dose is None:
        raise NotYours(NO_SUCH_DOSE)
    return dose


@transaction.atomic
def rate_dose(*, patient: User, dose_id: uuid.UUID | str, effect: str) -> Dose:
    """How a dose worked, said afterwards (Today asks once; the treatment's page any time)."""
    dose = owned_dose(patient, dose_id)
    if dose.status != vocab.TAKEN:
        raise ValidationError({"effect": "Only a dose taken can have an effect: this one was missed."})
    if effect not in vocab.EFFECTS:
        raise ValidationError({"effect": "Choose how it worked."})
    Dose.objects.filter(id=dose.id).update(effect=effect, updated_at=timezone.now())
    dose.effect = effect
    return dose


def missed_dose_id(treatment_id: uuid.UUID | str, day: dt.date) -> uuid.UUID:
    """One missed day of a treatment has one id, so that logging it twice leaves one row."""
    return uuid.uuid5(NAMESPACE, f"{treatment_id}:missed:{day.isoformat()}")


def episode_dose_id(episode_id: uuid.UUID | str, treatment_id: uuid.UUID | str) -> uuid.UUID:
    """The dose the log form's "took something for it" links to an episode: one per episode and treatment."""
    return uuid.uuid5(NAMESPACE, f"{episode_id}:took:{treatment_id}")


def log_missed_day(*, patient: User, treatment_id: uuid.UUID | str, day: dt.date) -> Saved:
    """A regular treatment not taken on a local date (at noon that day, or now if earlier)."""
    clock = clock_of(patient)
    if day > clock.today():
        raise ValidationError({"taken_at": "That day hasn't come yet."})
    noon = day_start(day, clock.zone) + dt.timedelta(hours=12)
    return save_dose(
        patient=patient,
        dose_id=missed_dose_id(treatment_id, day),
        treatment_id=treatment_id,
        taken_at=min(noon, timezone.now()),
        status=vocab.MISSED,
    )
