"""The vocabulary's codes: every SNOMED CT code has the name it was verified under, the clinician's terms read
beside the patient's words, and the saddle is the one region between the legs."""

import re
from pathlib import Path

import pytest

from diary import vocab

VOCABULARIES = (vocab.SIDES, vocab.REGIONS, vocab.SENSATIONS, vocab.TRIGGERS, vocab.SYMPTOMS, vocab.RELIEF)


def test_every_snomed_code_has_its_verified_name_and_source():
    codes = {term.snomed for v in VOCABULARIES for term in v.values() if term.snomed}
    assert codes - vocab.SNOMED_NAMES.keys() == set()
    source = Path(vocab.__file__).read_text(encoding="utf-8")
    table = source[source.index("SNOMED_NAMES = {") : source.index("\n}\n", source.index("SNOMED_NAMES = {"))]
    for line in table.splitlines()[1:]:
        if line.strip().startswith("#"):
            continue  # a heading inside the table
        assert re.search(r"#\s*(GPS|IG|§6|AIR)", line), line  # each names the source it was checked in
    assert all(re.fullmatch(r"\d{6,18}", code) for code in vocab.SNOMED_NAMES)
    assert all(name.endswith(")") for name in vocab.SNOMED_NAMES.values())  # fully specified names, with the tag


def test_clinical_terms_sit_beside_the_patients_words():
    assert vocab.SYMPTOMS["urinary_retention"].clinical_label == (
        "Can't pee, or can't empty the bladder (urinary retention)"
    )
    assert vocab.SYMPTOMS["back_pain"].clinical_label == "Back pain"  # the same words: said once
    assert vocab.REGIONS["saddle"].clinical == "saddle (perineal) area"
    assert vocab.MIDLINE_REGIONS == {"saddle"}


def test_the_saddle_is_not_coded_as_a_leg():
    assert vocab.REGIONS["saddle"].snomed == "38864007"  # perineal structure, never "lower limb"
    assert vocab.SNOMED_NAMES["38864007"] == "Perineal structure (body structure)"


@pytest.mark.parametrize(
    "n, word, words",
    [(1, "episode", "1 episode"), (0, "episode", "0 episodes"), (5, "day", "5 days"), (2.5, "day", "2.5 days"),
     (1.0, "day", "1 day"), (1_000_000, "episode", "1000000 episodes")],
)  # fmt: skip
def test_a_count_and_its_noun(n, word, words):
    assert vocab.counted(n, word) == words


def test_the_saddle_is_named_by_its_side_not_as_a_sides_part_of_a_leg():
    """ "Right between the legs" read as "exactly between the legs": the saddle's side comes after it."""
    assert vocab.Place("right", "saddle").label == "Between the legs / around the bottom (right side)"
    assert vocab.Place("left", "calf").label == "Left calf"
    both = vocab.places_in_words([vocab.Place("left", "toes"), vocab.Place("left", "saddle")])
    assert both == "Left toes, between the legs / around the bottom (left side)"
