"""The MNSI patient history as data: its published words, its scoring by the University of Michigan guide, and the
sentences that say where a score stands."""

import pytest

from questionnaires.instruments import (
    INSTRUMENTS,
    MNSI_HISTORY,
    VERSIONS,
    answer_problems,
    cutoffs_cited,
    in_item_order,
    instrument,
    standing,
)

# PhenX Toolkit protocol 140401, as quoted in /work/research/clinical/REPORT.md (A1), matching two codebases.
PHENX_WORDING = """\
1. Are your legs and/or feet numb?
2. Do you ever have any burning pain in your legs and/or feet?
3. Are your feet too sensitive to touch?
4. Do you get muscle cramps in your legs and/or feet?
5. Do you ever have any prickling feelings in your legs or feet?
6. Does it hurt when the bed covers touch your skin?
7. When you get into the tub or shower, are you able to tell the hot water from the cold water?
8. Have you ever had an open sore on your foot?
9. Has your doctor ever told you that you have diabetic neuropathy?
10. Do you feel weak all over most of the time?
11. Are your symptoms worse at night?
12. Do your legs hurt when you walk?
13. Are you able to sense your feet when you walk?
14. Is the skin on your feet so dry that it cracks open?
15. Have you ever had an amputation?"""


def answers(yes=()):
    """Answers with "yes" on the given item numbers and "no" everywhere else."""
    return {str(n): n in yes for n in range(1, 16)}


def test_the_items_are_the_published_words_in_order():
    assert "\n".join(f"{item.link_id}. {item.text}" for item in MNSI_HISTORY.items) == PHENX_WORDING
    assert {item.source.url for item in MNSI_HISTORY.items} == {"https://phenxtoolkit.org/protocols/view/140401"}
    assert all(item.answer_type == "boolean" for item in MNSI_HISTORY.items)


def test_all_yes_scores_11():
    assert MNSI_HISTORY.score(answers(yes=range(1, 16))) == 11


def test_all_no_scores_2():
    # "No" scores on items 7 (can't tell hot from cold) and 13 (can't sense the feet).
    assert MNSI_HISTORY.score(answers()) == 2


def test_only_items_7_and_13_yes_scores_0():
    assert MNSI_HISTORY.score(answers(yes={7, 13})) == 0


def test_a_mixed_case_worked_out_by_hand():
    # yes on 1, 2, 4, 5, 10, 12, 13; no on 3, 6, 7, 8, 9, 11, 14, 15.
    #  1 yes  +1    6 no  0     11 no   0
    #  2 yes  +1    7 no  +1    12 yes  +1
    #  3 no    0    8 no  0     13 yes  0  (yes on 13 scores nothing)
    #  4 yes   0 (not scored)   14 no   0
    #  5 yes  +1    9 no  0     15 no   0
    #             10 yes  0 (not scored)
    # total: 1 + 1 + 1 + 1 (items 1, 2, 5, 12) + 1 (item 7) = 5
    assert MNSI_HISTORY.score(answers(yes={1, 2, 4, 5, 10, 12, 13})) == 5


def test_items_4_and_10_never_change_the_score():
    base = answers(yes={1, 3})  # 1 and 3 yes, 7 and 13 no: 4 points
    for item in ("4", "10"):
        assert MNSI_HISTORY.score(base | {item: True}) == MNSI_HISTORY.score(base | {item: False}) == 4


def test_the_maximum_is_the_score_of_the_answers_that_all_score():
    highest = {item.link_id: bool(item.scores_on) for item in MNSI_HISTORY.items}
    assert MNSI_HISTORY.score(highest) == MNSI_HISTORY.max_score == 13


@pytest.mark.parametrize(
    "given, problems",
    [
        ({str(n): True for n in range(1, 15)}, {"15": "This item needs an answer: true (yes) or false (no)."}),
        (answers() | {"16": True}, {"16": "MNSI 1.0 has no item '16'."}),
        (answers() | {"3": "yes"}, {"3": "Expected true or false, got 'yes'."}),
        (answers() | {"3": 1}, {"3": "Expected true or false, got 1."}),
        (["1"], {"": 'Expected an object of answers, one per item, such as {"1": true}.'}),
        (answers(), {}),
    ],
)
def test_answer_problems_name_the_item(given, problems):
    assert answer_problems(MNSI_HISTORY, given) == problems


def test_answers_are_kept_in_item_order():
    shuffled = dict(reversed(list(answers(yes={2}).items())))
    assert list(in_item_order(MNSI_HISTORY, shuffled)) == [str(n) for n in range(1, 16)]


@pytest.mark.parametrize(
    "score, words",
    [
        (0, "below both cut-offs reported for this questionnaire, 4 and 7 (Herman et al. 2012)"),
        (3, "below both cut-offs reported for this questionnaire, 4 and 7 (Herman et al. 2012)"),
        (4, "at or above 4 and below 7: the cut-offs reported for this questionnaire are 4 and 7 (Herman et al. 2012)"),
        (6, "at or above 4 and below 7: the cut-offs reported for this questionnaire are 4 and 7 (Herman et al. 2012)"),
        (7, "at or above both cut-offs reported for this questionnaire, 4 and 7 (Herman et al. 2012)"),
        (13, "at or above both cut-offs reported for this questionnaire, 4 and 7 (Herman et al. 2012)"),
    ],
)
def test_where_a_score_stands_at_below_and_above_each_cut_off(score, words):
    assert standing(MNSI_HISTORY, score) == words


def test_the_cut_offs_and_their_labels_cite_only_what_the_source_reports():
    assert cutoffs_cited(MNSI_HISTORY) == "4 and 7 (Herman et al. 2012)"
    assert [(t.at_least, t.label) for t in MNSI_HISTORY.thresholds] == [
        (4, "4 · Herman et al. 2012"),
        (7, "7 · Herman et al. 2012"),
    ]
    # No label claims what could not be read in a source ("conventional", "proposed", "recommended").
    words = " ".join(t.label for t in MNSI_HISTORY.thresholds) + MNSI_HISTORY.scope + MNSI_HISTORY.meaning
    assert not any(claim in words.lower() for claim in ("conventional", "proposed", "recommended"))


def test_the_scope_says_diabetic_screening_and_not_a_diagnosis():
    assert "diabetic neuropathy" in MNSI_HISTORY.scope and "not a diagnosis" in MNSI_HISTORY.scope
    assert "people with diabetes" in MNSI_HISTORY.validated_for
    assert MNSI_HISTORY.terms_of_use == "This protocol is freely available; permission not required for use."


def test_instruments_are_found_by_id_and_version():
    assert instrument("mnsi-history") is MNSI_HISTORY is instrument("mnsi-history", "1.0")
    assert instrument("mnsi-history", "9.9") is None and instrument("phq-9") is None
    assert set(INSTRUMENTS.values()) <= set(VERSIONS.values())
