"""The interchange format "numbness-diary/2" (DESIGN §6): export, and all-or-nothing import of /2 and /1.

The same format is the patient's "Download my data", the `export_diary`/`import_diary`
commands and the demo diary's loader. export → import → export gives the same bytes. Version 2 adds
`alarm_answered` to each episode and the keys of the apps built on the diary (`hooks.Section`:
treatments, doses, questionnaire responses); a /1 file has none of them, and its episodes were never
asked the alarm questions as such, so they import with `alarm_answered: false`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework import serializers

from diary import hooks, services
from diary.models import Episode, Profile
from diary.serializers import CheckInSerializer, EpisodeSerializer, ProfileSerializer, episode_record
from web import parsers

FORMAT = "numbness-diary/2"
FORMAT_1 = "numbness-diary/1"
READABLE = (FORMAT, FORMAT_1)
PROFILE_FIELDS = ("timezone", "conditions", "emergency_number")


class InterchangeError(Exception):
    """The document can't be imported; `problems` names each record and field. Nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ImportSummary:
    episodes_created: int
    episodes_replaced: int
    checkins: int


def export_diary(patient: User) -> dict[str, Any]:
    profile = services.profile_of(patient)
    episodes = patient.episodes.prefetch_related("locations").order_by("started_at", "id")
    sections = {key: records for section in hooks.SECTIONS for key, records in section.export(patient).items()}
    return {
        "format": FORMAT,
        "profile": {
            "timezone": profile.timezone,
            "conditions": list(profile.conditions),
            "emergency_number": profile.emergency_number,
        },
        "episodes": [episode_record(e) for e in episodes],
        "checkins": [
            {"date": c.date.isoformat(), "numbness_today": c.numbness_today} for c in patient.checkins.order_by("date")
        ],
    } | sections


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def flatten_errors(detail: Any, prefix: str = "") -> list[str]:
    """DRF's nested error detail as 'field.sub[0]: message' lines."""
    if isinstance(detail, dict):
        lines = []
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
                path = f"{prefix}[{key}]"
            else:
                path = f"{prefix}.{name}" if prefix and name else (prefix or name)
            lines.extend(flatten_errors(value, path))
        return lines
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [f"{prefix}: {item}" if prefix else str(item) for item in detail]
        lines = []
        for index, item in enumerate(detail):
            lines.extend(flatten_errors(item, f"{prefix}[{index}]"))
        return lines
    return [f"{prefix}: {detail}" if prefix else str(detail)]


def record_errors(where: str, detail: Any) -> list[str]:
    """Errors of one record, each line starting with the record's name: 'episodes[3] (id …): severity: …'."""
    return [f"{where}: {line}" for line in flatten_errors(detail)]


def _record_name(key: str, index: int, record: object) -> str:
    """How an error names a record: 'episodes[3]', with its id when it has one: 'episodes[3] (id …)'."""
    named = isinstance(record, dict) and record.get("id")
    return f"{key}[{index}]" + (f" (id {record['id']})" if named and isinstance(record, dict) else "")


def records_with_ids(
    key: str, records: Sequence[Any], serializer: type[serializers.Serializer[Any]], context: dict[str, Any]
) -> tuple[list[str], list[tuple[str, dict[str, Any]]]]:
    """The records of `key` validated by `serializer`: the problems, and each valid record's name and data. Every
    record needs an id (a re-import replaces, never duplicates), and no id may appear twice."""
    problems: list[str] = []
    valid: list[tuple[str, dict[str, Any]]] = []
    for index, record in enumerate(records):
        where = _record_name(key, index, record)
        found = serializer(data=record, context=context)
        if not found.is_valid():
            problems += record_errors(where, found.errors)
        elif "id" not in found.validated_data:
            problems.append(f"{where}: id: an id is required so that a re-import replaces, not duplicates.")
        else:
            valid.append((where, found.validated_data))
    ids = Counter(data["id"] for _, data in valid)
    problems += [f"{key}: id {i} appears {n} times." for i, n in ids.items() if n > 1]
    return problems, valid


def parse(text: str | bytes) -> dict[str, Any]:
    try:
        document = parsers.loads(text)
    except parsers.TooDeep as e:
        raise InterchangeError([f"The file is not a diary: {e}"]) from e
    except (ValueError, UnicodeDecodeError) as e:
        raise InterchangeError([f"The file is not valid JSON: {e}"]) from e
    if not isinstance(document, dict):
        raise InterchangeError(["The file is not a diary: expected a JSON object at the top."])
    return document


def _records(document: dict[str, Any], key: str, problems: list[str]) -> list[Any]:
    records = document.get(key, [])
    if not isinstance(records, list):
        problems.append(f"{key}: expected a list.")
        return []
    return records


@dataclass
class _Valid:
    profile: dict[str, Any]
    episodes: list[dict[str, Any]]
    checkins: list[dict[str, Any]]
    sections: list[tuple[hooks.Section, Any]]


def _validate(document: dict[str, Any], patient: User) -> _Valid:
    problems: list[str] = []
    version = document.get("format")
    if version not in READABLE:
        problems.append(f"format: expected {FORMAT!r} (or {FORMAT_1!r}), got {version!r}.")
    if version == FORMAT_1:
        problems += [
            f"{key}: a {FORMAT_1} file has no {key}." for s in hooks.SECTIONS for key in s.keys if key in document
        ]

    profile_data = document.get("profile", {})
    profile = ProfileSerializer(data=profile_data if isinstance(profile_data, dict) else None, partial=True)
    profile_values = profile.validated_data if profile.is_valid() else {}
    problems += flatten_errors(profile.errors, "profile")
    # One rule for times without an offset: the file's profile time zone, else the patient's.
    patient_profile = services.profile_of(patient)
    clock = patient_profile.clock
    if "timezone" in profile_values:
        clock = Profile(timezone=profile_values["timezone"]).clock
    context = {"clock": clock, "date_of_birth": patient_profile.date_of_birth, "as_recorded": True}

    found, valid = records_with_ids("episodes", _records(document, "episodes", problems), EpisodeSerializer, context)
    problems += found
    # A /1 file never asked the alarm questions as such: none of its episodes counts as answered.
    episodes = [data | ({"alarm_answered": False} if version == FORMAT_1 else {}) for _, data in valid]
    ids = [e["id"] for e in episodes]
    taken = Episode.objects.filter(id__in=ids).exclude(patient=patient).values_list("id", flat=True)
    problems += [f"episodes (id {i}): id: this id belongs to another account's episode." for i in taken]

    episode_days = {clock.local(e["started_at"]).date() for e in episodes}
    today = clock.today()
    checkins = []
    for index, record in enumerate(_records(document, "checkins", problems)):
        where = f"checkins[{index}]" + (
            f" ({record['date']})" if isinstance(record, dict) and record.get("date") else ""
        )
        checkin = CheckInSerializer(data=record)
        if not checkin.is_valid():
            problems += record_errors(where, checkin.errors)
            continue
        day, numb = checkin.validated_data["date"], checkin.validated_data["numbness_today"]
        try:
            services.validate_checkin_date(day, today)
        except ValidationError as e:
            problems += record_errors(where, e.message_dict)
            continue
        if not numb and day in episode_days:
            problems.append(f"{where}: numbness_today: false, but episodes in this file started that day.")
        checkins.append(checkin.validated_data)
    days = Counter(c["date"] for c in checkins)
    problems += [f"checkins: date {d} appears {n} times." for d, n in days.items() if n > 1]

    sections = []
    section_context = hooks.ImportContext(patient=patient, clock=clock, episode_ids=frozenset(ids))
    for section in hooks.SECTIONS:
        records = {key: _records(document, key, problems) for key in section.keys}
        section_problems, valid = section.validate(records, section_context)
        problems += section_problems
        sections.append((section, valid))

    if problems:
        raise InterchangeError(problems)
    return _Valid(profile_values, episodes, checkins, sections)


def import_diary(*, patient: User, document: dict[str, Any]) -> ImportSummary:
    """Validate every record, then write all of them in one transaction, or none."""
    valid = _validate(document, patient)
    episodes, checkins = valid.episodes, valid.checkins
    created = replaced = 0
    with transaction.atomic():
        if valid.profile:
            try:
                services.update_profile(patient=patient, **valid.profile)
            except ValidationError as e:  # the profile's own checks: a date of birth after today in its zone
                raise InterchangeError(flatten_errors(e.message_dict, "profile")) from e
        today = services.clock_of(patient).today()
        for index, data in enumerate(episodes):
            try:
                saved = services.save_episode(
                    patient=patient,
                    episode_id=data["id"],
                    announce=False,
                    from_file=True,
                    **EpisodeSerializer.service_arguments(data),
                )
            except ValidationError as e:
                raise InterchangeError(record_errors(f"episodes[{index}] (id {data['id']})", e.message_dict)) from e
            created += saved.created
            replaced += not saved.created
        for index, data in enumerate(checkins):
            try:
                # A file exported before "no numbness" was refused for a day an earlier episode covered keeps its word.
                services.save_checkin(patient=patient, today=today, announce=False, earlier_episodes=False, **data)
            except ValidationError as e:
                raise InterchangeError(record_errors(f"checkins[{index}] ({data['date']})", e.message_dict)) from e
        for section, data in valid.sections:
            section.write(patient, data)
        hooks.diary_changed.send(sender=Episode, patient=patient)  # once for the whole file
    return ImportSummary(episodes_created=created, episodes_replaced=replaced, checkins=len(checkins))
