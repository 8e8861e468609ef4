"""Every triage case: the project's own (tests/fixtures/vignettes) and, when present, ../shared/vignettes.

Each is imported into an empty account and reviewed as of its date; the open flags must be exactly
the expected ones.
"""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from diary.interchange import import_diary
from tests.conftest import FIXTURE_VIGNETTES, SHARED_VIGNETTES, VIGNETTES, load_vignette, make_patient, vignette_id
from triage.review import review_patient


def test_the_projects_own_cases_are_there():
    """Fails, not skips, when the fixture folder is empty or missing: a clone must test its own rules."""
    own = sorted(FIXTURE_VIGNETTES.glob("*.json"))
    assert len(own) >= 20, f"expected the project's triage cases in {FIXTURE_VIGNETTES}"
    if SHARED_VIGNETTES.is_dir():
        assert set(VIGNETTES) >= set(SHARED_VIGNETTES.glob("*.json"))


def test_the_own_cases_cover_every_instant_and_urgent_sign_and_quiet_stories():
    from triage.signs import CATALOGUE

    expected = [set(load_vignette(p)["expect"]["flags"]) for p in FIXTURE_VIGNETTES.glob("*.json")]
    covered = set().union(*expected)
    assert {code for code, sign in CATALOGUE.items()} - covered == {"pattern.spreading", "pattern.bilateral"}
    assert sum(not flags for flags in expected) >= 6  # negatives: stories that must raise nothing


@pytest.mark.parametrize("path", VIGNETTES, ids=vignette_id)
def test_vignette_raises_exactly_its_flags(db, path):
    vignette = load_vignette(path)
    patient = make_patient("v")
    import_diary(patient=patient, document=vignette["diary"])
    result = review_patient(patient.pk, dt.date.fromisoformat(vignette["as_of"]))
    opened = sorted(f.code for f in result.flags if f.status == "open")
    assert opened == sorted(vignette["expect"]["flags"])


@pytest.mark.parametrize("path", VIGNETTES, ids=vignette_id)
def test_review_command_prints_the_same_flags(db, path):
    vignette = load_vignette(path)
    import_diary(patient=make_patient("cli"), document=vignette["diary"])
    out = io.StringIO()
    call_command("review", "--user", "cli", "--as-of", vignette["as_of"], "--json", stdout=out)
    flags = json.loads(out.getvalue())["flags"]
    assert sorted(f["code"] for f in flags if f["status"] == "open") == sorted(vignette["expect"]["flags"])
    for flag in flags:
        assert {"code", "level", "status", "evidence", "detail", "sources"} <= flag.keys()
        assert flag["sources"] and flag["evidence"]
