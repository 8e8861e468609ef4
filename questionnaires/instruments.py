"""Validated questionnaires as data: each instrument's items in their published words, its scoring, its cut-offs
with their sources, and what it was validated for. A second instrument is a new `Instrument` in `INSTRUMENTS`.

Everything a page, the API, the report or FHIR says about a score comes from here: `standing` (where a score stands
against the cut-offs), `Instrument.scope` (what the score is and is not) and `Instrument.meaning`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from diary.vocab import in_a_list

BOOLEAN = "boolean"  # the one answer type so far: a JSON true or false, "Yes" or "No" on a form
ANSWER_WORDS = {True: "Yes", False: "No"}


@dataclass(frozen=True)
class Source:
    id: str
    short: str  # how a label cites it: "Herman et al. 2012"
    citation: str
    url: str


@dataclass(frozen=True)
class Item:
    link_id: str
    text: str  # the published wording, unchanged: changing the words invalidates the instrument
    source: Source  # where that wording was taken from
    answer_type: str = BOOLEAN
    scores_on: bool | None = None  # the answer that scores one point; None: the item is not scored
    measures: str = ""  # what an unscored item is there for, from the scoring guide


@dataclass(frozen=True)
class Threshold:
    at_least: int
    label: str  # beside the line on a chart: "7 · Herman et al. 2012"
    source: Source


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    title: str
    short_title: str
    instructions: str  # the published instruction line shown above the items
    items: tuple[Item, ...]
    scoring: Callable[[Instrument, Mapping[str, object]], int]
    scoring_source: Source
    max_score: int
    thresholds: tuple[Threshold, ...]  # lowest first
    citations: tuple[Source, ...]
    terms_of_use: str
    terms_source: Source
    validated_for: str  # in full, with the populations of the studies
    scope: str  # one clause that every place showing a score repeats
    meaning: str  # what a higher score means, in plain words, with its source
    length: str  # what the patient is offered: "15 yes/no questions, about 2 minutes"
    offer_every_days: int  # offered again when none was completed in this many days; "not now" lasts as long

    def score(self, answers: Mapping[str, object]) -> int:
        """The score of a complete, validated set of answers."""
        return self.scoring(self, answers)

    @property
    def link_ids(self) -> tuple[str, ...]:
        return tuple(item.link_id for item in self.items)

    def item(self, link_id: str) -> Item:
        return next(item for item in self.items if item.link_id == link_id)

    @property
    def scope_sentence(self) -> str:
        """`scope` as a sentence of its own: "A screening score for … , not a diagnosis."."""
        return f"{self.scope[0].upper()}{self.scope[1:]}."


def count_scoring_answers(instrument: Instrument, answers: Mapping[str, object]) -> int:
    """One point for each item answered the way that item scores; unscored items count nothing."""
    return sum(
        1 for item in instrument.items if item.scores_on is not None and answers.get(item.link_id) is item.scores_on
    )


def answer_problems(instrument: Instrument, answers: object) -> dict[str, str]:
    """What is wrong with a set of answers, by item (`link_id`): every item answered, with its type, and nothing else.

    An empty dict when the answers are complete; `answers` itself must be a mapping (the key "" says it is not).
    """
    if not isinstance(answers, Mapping):
        return {"": 'Expected an object of answers, one per item, such as {"1": true}.'}
    problems = {}
    for item in instrument.items:
        if item.link_id not in answers:
            problems[item.link_id] = "This item needs an answer: true (yes) or false (no)."
        elif item.answer_type == BOOLEAN and not isinstance(answers[item.link_id], bool):
            problems[item.link_id] = f"Expected true or false, got {answers[item.link_id]!r}."
    for key in answers:
        if key not in instrument.link_ids:
            problems[str(key)] = f"{instrument.short_title} {instrument.version} has no item {key!r}."
    return problems


def in_item_order(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, object]:
    """The answers keyed in the instrument's order, so that an export writes the same bytes every time."""
    return {link_id: answers[link_id] for link_id in instrument.link_ids if link_id in answers}


def cutoffs_cited(instrument: Instrument) -> str:
    """'4 and 7 (Herman et al. 2012)': the cut-offs and who reports them."""
    by_source: dict[Source, list[str]] = {}
    for threshold in instrument.thresholds:
        by_source.setdefault(threshold.source, []).append(str(threshold.at_least))
    return "; ".join(f"{in_a_list(values)} ({source.short})" for source, values in by_source.items())


def standing(instrument: Instrument, score: int) -> str:
    """Where a score stands against the instrument's cut-offs, without a verdict: for the MNSI's 5, 'at or above 4
    and below 7: the cut-offs reported for this questionnaire are 4 and 7 (Herman et al. 2012)'."""
    reached = [str(t.at_least) for t in instrument.thresholds if score >= t.at_least]
    below = [str(t.at_least) for t in instrument.thresholds if score < t.at_least]
    cited = cutoffs_cited(instrument)
    if reached and below:
        reported = f"the cut-offs reported for this questionnaire are {cited}"
        return f"at or above {in_a_list(reached)} and below {in_a_list(below)}: {reported}"
    count = len(instrument.thresholds)
    every = "the cut-off" if count == 1 else "both cut-offs" if count == 2 else "every cut-off"
    return f"{'at or above' if reached else 'below'} {every} reported for this questionnaire, {cited}"


# --- The Michigan Neuropathy Screening Instrument, patient history part ------------------------------------------

PHENX = Source(
    "phenx-140401",
    "PhenX Toolkit, protocol 140401",
    "PhenX Toolkit, protocol 140401, Diabetic Peripheral Neuropathy (Michigan Neuropathy Screening Instrument).",
    "https://phenxtoolkit.org/protocols/view/140401",
)
UMICH_GUIDE = Source(
    "umich-mnsi-howto",
    "How to Use the Michigan Neuropathy Screening Instrument",
    "University of Michigan, How to Use the Michigan Neuropathy Screening Instrument (scoring of the history "
    "questionnaire).",
    "https://medicine.umich.edu/sites/default/files/downloads/MNSI_howto.pdf",
)
FELDMAN_1994 = Source(
    "feldman-1994",
    "Feldman et al. 1994",
    "Feldman EL et al. A practical two-step quantitative clinical and electrophysiological assessment for the "
    "diagnosis and staging of diabetic neuropathy. Diabetes Care 1994;17(11):1281-1289. PMID 7821168.",
    "https://diabetesjournals.org/care/article/17/11/1281/19383/",
)
HERMAN_2012 = Source(
    "herman-2012",
    "Herman et al. 2012",
    "Herman WH, Pop-Busui R, Braffett BH, Martin CL, Cleary PA, Albers JW, Feldman EL; DCCT/EDIC Research Group. "
    "Use of the Michigan Neuropathy Screening Instrument as a measure of distal symmetrical peripheral neuropathy "
    "in Type 1 diabetes: results from the Diabetes Control and Complications Trial/Epidemiology of Diabetes "
    "Interventions and Complications. Diabet Med 2012;29(7):937-944. doi:10.1111/j.1464-5491.2012.03644.x, "
    "PMID 22417277, PMC3641573. Corrigendum: Diabet Med 2022;39(4):e14765, doi:10.1111/dme.14765.",
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC3641573/",
)


def _mnsi_item(number: int, text: str, scores_on: bool | None, measures: str = "") -> Item:
    return Item(link_id=str(number), text=text, source=PHENX, scores_on=scores_on, measures=measures)


# The items word for word as PhenX 140401 publishes them (item 5 says "legs or feet", items 1, 2 and 4 "legs and/or
# feet"). Scoring from the University of Michigan guide: "yes" scores on 1-3, 5-6, 8-9, 11-12 and 14-15, "no" on 7
# and 13; 4 (impaired circulation) and 10 (general asthenia) are not scored. PhenX's own line, "score each positive
# response as a 1", would count 4 and 10 and score 7 and 13 the wrong way round: it is not used.
MNSI_HISTORY = Instrument(
    id="mnsi-history",
    version="1.0",
    title="Michigan Neuropathy Screening Instrument, patient history",
    short_title="MNSI",
    instructions="Please take a few minutes to answer the questions below about the feeling in your legs and "
    "feet. Check yes or no based on how you usually feel.",
    items=(
        _mnsi_item(1, "Are your legs and/or feet numb?", True),
        _mnsi_item(2, "Do you ever have any burning pain in your legs and/or feet?", True),
        _mnsi_item(3, "Are your feet too sensitive to touch?", True),
        _mnsi_item(4, "Do you get muscle cramps in your legs and/or feet?", None, "impaired circulation"),
        _mnsi_item(5, "Do you ever have any prickling feelings in your legs or feet?", True),
        _mnsi_item(6, "Does it hurt when the bed covers touch your skin?", True),
        _mnsi_item(
            7, "When you get into the tub or shower, are you able to tell the hot water from the cold water?", False
        ),
        _mnsi_item(8, "Have you ever had an open sore on your foot?", True),
        _mnsi_item(9, "Has your doctor ever told you that you have diabetic neuropathy?", True),
        _mnsi_item(10, "Do you feel weak all over most of the time?", None, "general asthenia"),
        _mnsi_item(11, "Are your symptoms worse at night?", True),
        _mnsi_item(12, "Do your legs hurt when you walk?", True),
        _mnsi_item(13, "Are you able to sense your feet when you walk?", False),
        _mnsi_item(14, "Is the skin on your feet so dry that it cracks open?", True),
        _mnsi_item(15, "Have you ever had an amputation?", True),
    ),
    scoring=count_scoring_answers,
    scoring_source=UMICH_GUIDE,
    max_score=13,
    # Herman 2012's abstract reports how many of 1,184 people with type 1 diabetes had >= 4 (18 %) and >= 7 (5 %)
    # abnormal responses, and that new cut points were defined. Neither "7 is the conventional cut-off" nor the
    # sentence proposing 4 could be read in a primary source, so the labels claim only that Herman reports both.
    thresholds=(
        Threshold(4, "4 · Herman et al. 2012", HERMAN_2012),
        Threshold(7, "7 · Herman et al. 2012", HERMAN_2012),
    ),
    citations=(FELDMAN_1994, HERMAN_2012, PHENX),
    terms_of_use="This protocol is freely available; permission not required for use.",
    terms_source=PHENX,
    validated_for="Screening for distal symmetric polyneuropathy in people with diabetes, and only there: "
    "Feldman et al. 1994 (56 outpatients with type 1 or type 2 diabetes) and Herman et al. 2012 (1,184 people with "
    "type 1 diabetes, DCCT/EDIC). It has not been validated for leg numbness with other causes.",
    scope="a screening score for diabetic neuropathy (validated only in people with diabetes), not a diagnosis",
    meaning="The more of these feelings you have, the higher the score: PhenX says the greater the score, the "
    "greater the risk of neuropathy (damage to the nerves of the legs and feet).",
    length="15 yes/no questions, about 2 minutes",
    offer_every_days=28,
)

# Every instrument, by id and version. A new version of an instrument is a new entry; responses keep theirs.
VERSIONS: dict[tuple[str, str], Instrument] = {(i.id, i.version): i for i in (MNSI_HISTORY,)}
# The version offered to patients, by id.
INSTRUMENTS: dict[str, Instrument] = {MNSI_HISTORY.id: MNSI_HISTORY}


def instrument(questionnaire: str, version: str | None = None) -> Instrument | None:
    """The instrument of that id (and version; the current one without a version), or None."""
    if version is None:
        return INSTRUMENTS.get(questionnaire)
    return VERSIONS.get((questionnaire, version))
