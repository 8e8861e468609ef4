"""What the apps built on the diary add to the physician report: sections for page 1 (current treatments and
changes, DESIGN §8; the latest MNSI score, §9) and for later pages, and their resources in the FHIR bundle.

A provider is a function of (patient, first day, last day, the patient's today) returning its `Section`s; the
report sits above every app, so the providers live here, in `PROVIDERS`, and call each app's reporting module
(`treatments.reporting`, `questionnaires.reporting`); the apps never import the report. Page 1 draws the
page-one sections after the key numbers, later pages draw the rest after the accompanying symptoms, on paper and
on the shared page alike; the FHIR bundle adds each section's entries beside the episodes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User

from questionnaires import reporting as questionnaire_reporting
from treatments import fhir as treatment_fhir
from treatments import reporting as treatment_reporting

Json = dict[str, Any]


def _no_entries(patient_reference: str, site_url: str) -> list[Json]:
    return []


@dataclass(frozen=True)
class Section:
    key: str  # 'treatments', 'mnsi'
    title: str  # its heading, in the physician's words
    template: str  # rendered with `section` (this) and `report` in its context, in the PDF and on the shared page
    context: dict[str, Any] = field(default_factory=dict)
    page_one: bool = False
    # Its resources for the FHIR bundle, given how the bundle refers to the Patient ("urn:uuid:…") and the
    # installation's address its canonicals start with ("https://diary.example"): entries of {"fullUrl",
    # "resource"}, each resource with its own `id` and, where FHIR has one, `identifier`.
    fhir: Callable[[str, str], list[Json]] = _no_entries


Provider = Callable[[User, dt.date, dt.date, dt.date], list[Section]]


def treatment_sections(patient: User, first: dt.date, last: dt.date, today: dt.date) -> list[Section]:
    """Page 1: the treatments taken on the last day, every start, stop and change of dose in the period, and the
    comparisons with enough entries (DESIGN §8, §10); a later page: the as-needed use table. The FHIR entries (a
    MedicationStatement, DeviceUseStatement or Procedure per course) go with the first."""
    found = treatment_reporting.section(patient, first, last, today)
    if found.empty and not found.comparisons:
        return []

    def entries(patient_reference: str, site_url: str) -> list[Json]:
        return treatment_fhir.resources(
            patient, patient_reference=patient_reference, first=first, last=last, site_url=site_url
        )

    sections = [Section("treatments", "Treatments", "report/_treatments.html", {"treatments": found}, True, entries)]
    if found.uses:
        sections.append(
            Section(
                "treatment-uses", "Treatments taken when needed", "report/_treatment_uses.html", {"uses": found.uses}
            )
        )
    return sections


def questionnaire_sections(patient: User, first: dt.date, last: dt.date, today: dt.date) -> list[Section]:
    """Page 1: a line per instrument answered in the period (latest score, first in the period and the change, the
    cut-offs and the validation scope, DESIGN §9); a later page: the latest response's answers item by item. The
    FHIR entries (Questionnaire, QuestionnaireResponse, score Observation) go with the first."""
    lines = questionnaire_reporting.score_lines(patient, first, last)
    if not lines:
        return []

    def entries(patient_reference: str, site_url: str) -> list[Json]:
        return questionnaire_reporting.fhir_entries(patient, first, last, patient_reference, site_url)

    sheets = questionnaire_reporting.answer_sheets(patient, first, last)
    return [
        Section("scores", "Questionnaire scores", "report/_scores.html", {"lines": lines}, True, entries),
        Section("answers", "Questionnaire answers", "report/_answers.html", {"sheets": sheets}),
    ]


PROVIDERS: list[Provider] = [treatment_sections, questionnaire_sections]


def sections(patient: User, first: dt.date, last: dt.date, today: dt.date) -> list[Section]:
    """Every provider's sections for the period, in the order the providers are listed."""
    return [section for provider in PROVIDERS for section in provider(patient, first, last, today)]
