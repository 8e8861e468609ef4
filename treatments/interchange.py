"""Treatments and doses in the interchange format numbness-diary/2 (DESIGN §6, §8): a `hooks.Section`.

The export writes every treatment with its courses, and every dose; the import validates them with the rest of
the file (a dose may name a treatment and an episode of the file or of the diary already) and writes them in the
import's transaction, after the episodes, or nothing at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from diary.clock import local_date
from diary.hooks import ImportContext, Section
from diary.interchange import InterchangeError, record_errors, records_with_ids
from diary.models import Episode
from treatments import services
from treatments.models import Dose, Treatment
from treatments.serializers import CourseSerializer, DoseSerializer, TreatmentSerializer, dose_record, treatment_record

KEYS = ("treatments", "doses")


def export(patient: User) -> dict[str, list[dict[str, Any]]]:
    treatments = Treatment.objects.filter(patient=patient).prefetch_related("courses").order_by("name", "id")
    doses = Dose.objects.filter(treatment__patient=patient).order_by("taken_at", "id")
    return {"treatments": [treatment_record(t) for t in treatments], "doses": [dose_record(d) for d in doses]}


@dataclass
class Valid:
    treatments: list[dict[str, Any]]
    doses: list[dict[str, Any]]


def validate(records: Mapping[str, Sequence[Any]], context: ImportContext) -> tuple[list[str], Valid]:
    patient, clock = context.patient, context.clock
    problems, treatments = records_with_ids(
        "treatments", records.get("treatments", []), TreatmentSerializer, {"clock": clock}
    )
    ids = [data["id"] for _, data in treatments]
    taken = Treatment.objects.filter(id__in=ids).exclude(patient=patient).values_list("id", flat=True)
    problems += [f"treatments (id {i}): id: this id belongs to another account's treatment." for i in taken]

    # What a dose is checked against: the file's treatments, else the diary's own.
    known: dict[uuid.UUID, tuple[str, str, list[Any]]] = {
        t.id: (t.name, t.schedule, list(t.courses.all()))
        for t in Treatment.objects.filter(patient=patient).prefetch_related("courses")
    }
    for _, data in treatments:
        courses = [CourseSerializer.course_data(c) for c in data["courses"]]
        known[data["id"]] = (data["name"], data["schedule"], courses)

    dose_problems, doses = records_with_ids("doses", records.get("doses", []), DoseSerializer, {"clock": clock})
    problems += dose_problems
    dose_ids = [data["id"] for _, data in doses]
    others = Dose.objects.filter(id__in=dose_ids).exclude(treatment__patient=patient).values_list("id", flat=True)
    problems += [f"doses (id {i}): id: this id belongs to another account's dose." for i in others]
    linked = {data["episode_id"] for _, data in doses if data["episode_id"]} - set(context.episode_ids)
    diary_episodes = set(Episode.objects.filter(patient=patient, id__in=linked).values_list("id", flat=True))
    for where, data in doses:
        if data["treatment_id"] not in known:
            problems.append(f"{where}: treatment_id: no treatment {data['treatment_id']} in this file or the diary.")
            continue
        episode = data["episode_id"]
        if episode and episode not in context.episode_ids and episode not in diary_episodes:
            problems.append(f"{where}: episode_id: no episode {episode} in this file or the diary.")
        name, schedule, courses = known[data["treatment_id"]]
        found = services.dose_problems(
            name=name,
            schedule=schedule,
            courses=courses,
            day=local_date(data["taken_at"], clock.zone),
            status=data["status"],
            effect=data["effect"],
        )
        problems += record_errors(where, found)
    return problems, Valid([data for _, data in treatments], [data for _, data in doses])


def write(patient: User, valid: Valid) -> None:
    for index, data in enumerate(valid.treatments):
        try:
            services.save_treatment(
                patient=patient, treatment_id=data["id"], **TreatmentSerializer.service_arguments(data)
            )
        except ValidationError as e:
            raise InterchangeError(record_errors(f"treatments[{index}] (id {data['id']})", e.message_dict)) from e
    for index, data in enumerate(valid.doses):
        try:
            services.save_dose(patient=patient, dose_id=data["id"], **DoseSerializer.service_arguments(data))
        except ValidationError as e:
            raise InterchangeError(record_errors(f"doses[{index}] (id {data['id']})", e.message_dict)) from e


SECTION = Section(keys=KEYS, export=export, validate=validate, write=write)
