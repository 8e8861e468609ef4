"""What the physician report says about questionnaires, for a patient and a period of local dates.

- `score_lines(patient, first, last)`: page 1, one `ScoreLine` per instrument answered in the period; its
  `.sentence` gives the latest score and date, the first in the period and the change, the cut-offs and the scope.
- `answer_sheets(patient, first, last)`: a later page, the answers of the latest response per instrument, item by
  item, with which answers scored.
- `fhir_entries(patient, first, last, patient_ref)`: the Questionnaire, QuestionnaireResponse and score Observation
  entries for the FHIR bundle (questionnaires/fhir.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from diary.clock import day_range
from diary.services import clock_of
from questionnaires import fhir
from questionnaires.instruments import ANSWER_WORDS, Instrument, cutoffs_cited, instrument
from questionnaires.models import QuestionnaireResponse
from questionnaires.scores import Score, change_words, date_words, trends


def _score(score: Score) -> str:
    return f"{score.score}/{score.instrument.max_score} on {date_words(score.day)}"


@dataclass(frozen=True)
class ScoreLine:
    instrument: Instrument
    latest: Score
    earliest: Score  # the first in the period (the latest itself when there is one)
    count: int  # responses in the period

    @property
    def change(self) -> int | None:
        return None if self.count < 2 else self.latest.score - self.earliest.score

    @property
    def sentence(self) -> str:
        """'MNSI (Michigan Neuropathy Screening Instrument, patient history): 6/13 on 3 May 2026; first in period 4/13
        on 2 Feb 2026, change +2 (3 responses). Cut-offs 4 and 7 (Herman et al. 2012). A screening score …'."""
        i = self.instrument
        said = f"{i.short_title} ({i.title}): {_score(self.latest)}"
        if self.change is None:
            said += " (the only response in the period)"
        else:
            change = f"change {change_words(self.change)}" if self.change else change_words(self.change)  # "no change"
            said += f"; first in period {_score(self.earliest)}, {change} ({self.count} responses)"
        return f"{said}. Cut-offs {cutoffs_cited(i)}. {i.scope_sentence}"


def score_lines(patient: User, first: dt.date, last: dt.date) -> list[ScoreLine]:
    """Page 1's lines: an instrument answered in the period gets one; none answered, no line."""
    zone = clock_of(patient).zone
    return [
        ScoreLine(t.instrument, t.scores[-1], t.scores[0], len(t.scores))
        for t in trends(patient, zone, first, last)
        if t.scores
    ]


@dataclass(frozen=True)
class AnswerRow:
    link_id: str
    text: str  # the published wording
    answer: str  # "Yes" or "No"
    scored: bool  # whether the item counts at all (the MNSI's 4 and 10 do not)
    point: bool  # whether this answer scored its point
    measures: str  # what an unscored item is there for


@dataclass(frozen=True)
class AnswerSheet:
    instrument: Instrument
    completed_on: dt.date
    score: int
    rows: list[AnswerRow]

    @property
    def heading(self) -> str:
        i = self.instrument
        return f"{i.title} (version {i.version}), {date_words(self.completed_on)}: {self.score}/{i.max_score}"

    @property
    def sources(self) -> str:
        i = self.instrument
        return f"Items: {i.items[0].source.citation} Scoring: {i.scoring_source.citation}"


def answer_sheet(response: QuestionnaireResponse, zone: dt.tzinfo) -> AnswerSheet | None:
    answered = instrument(response.questionnaire, response.version)
    if answered is None:
        return None
    rows = [
        AnswerRow(
            link_id=item.link_id,
            text=item.text,
            answer=ANSWER_WORDS[bool(response.answers[item.link_id])],
            scored=item.scores_on is not None,
            point=item.scores_on is not None and response.answers[item.link_id] is item.scores_on,
            measures=item.measures,
        )
        for item in answered.items
    ]
    return AnswerSheet(answered, response.completed_at.astimezone(zone).date(), response.score, rows)


def _in_period(patient: User, first: dt.date, last: dt.date) -> tuple[list[QuestionnaireResponse], dt.tzinfo]:
    zone = clock_of(patient).zone
    start, end = day_range(first, last, zone)
    rows = patient.questionnaire_responses.filter(completed_at__gte=start, completed_at__lt=end)
    return list(rows.order_by("completed_at", "id")), zone


def answer_sheets(patient: User, first: dt.date, last: dt.date) -> list[AnswerSheet]:
    """The latest response of each instrument in the period, item by item."""
    responses, zone = _in_period(patient, first, last)
    latest = {response.questionnaire: response for response in responses}
    sheets = [answer_sheet(response, zone) for response in latest.values()]
    return [sheet for sheet in sheets if sheet is not None]


def fhir_entries(
    patient: User, first: dt.date, last: dt.date, patient_ref: str, site_url: str | None = None
) -> list[dict[str, Any]]:
    """Bundle entries (`fullUrl`, `resource`) for the responses completed in the period; `patient_ref` is the
    bundle's reference to its Patient (e.g. 'urn:uuid:…'), `site_url` the installation the bundle is made for
    (default SITE_URL)."""
    responses, _ = _in_period(patient, first, last)
    return fhir.entries(responses, patient_ref, site_url)
