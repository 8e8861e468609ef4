"""Every story in ../shared/vignettes: import into an empty account, review as of its date, compare flags."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from diary.interchange import import_diary
from tests.conftest import VIGNETTES, load_vignette, make_patient
from triage.review import review_patient


@pytest.mark.parametrize("path", VIGNETTES, ids=lambda p: p.stem)
def test_vignette_raises_exactly_its_flags(db, path):
    vignette = load_vignette(path)
    patient = make_patient("v")
    import_diary(patient=patient, document=vignette["diary"])
    result = review_patient(patient.pk, dt.date.fromisoformat(vignette["as_of"]))
    opened = sorted(f.code for f in result.flags if f.status == "open")
    assert opened == sorted(vignette["expect"]["flags"])


@pytest.mark.parametrize("path", VIGNETTES, ids=lambda p: p.stem)
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
