"""What the apps built on the diary add to the physician report: sections for page 1 (current treatments and
changes, DESIGN §8; the latest MNSI score, §9) and for later pages, and their resources in the FHIR bundle.

An app adds a provider, a function of (patient, first day, last day) returning its `Section`s, to `PROVIDERS`
here (the report sits above every app, so it imports them; they never import the report). Page 1 draws the
page-one sections after the key numbers, later pages draw the rest after the accompanying symptoms; the FHIR
bundle takes each section's resources as they are, beside the episodes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User


@dataclass(frozen=True)
class Section:
    key: str  # 'treatments', 'mnsi'
    title: str  # its heading, in the physician's words
    template: str  # rendered with `section` (this) and `report` in its context, in the PDF and on the shared page
    context: dict[str, Any] = field(default_factory=dict)
    page_one: bool = False
    fhir: tuple[dict[str, Any], ...] = ()  # resources for the bundle, each with its own `id` and `identifier`


Provider = Callable[[User, dt.date, dt.date], list[Section]]
PROVIDERS: list[Provider] = []


def sections(patient: User, first: dt.date, last: dt.date) -> list[Section]:
    """Every provider's sections for the period, in the order the providers were added."""
    return [section for provider in PROVIDERS for section in provider(patient, first, last)]
