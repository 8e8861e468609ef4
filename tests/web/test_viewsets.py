"""`web.viewsets.SavedByIdViewSet`: episodes and treatments are saved the same way by POST, PUT and PATCH, and
refuse the same way: a PATCH whose body is not a JSON object, an id that is not a UUID, another patient's id."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from diary.models import Episode
from tests.conftest import add_treatment, log
from treatments.models import Treatment


@pytest.fixture
def rows(patient):
    """One episode and one treatment of the patient's, by their API path."""
    episode = log(patient, severity=4, notes="as logged")
    treatment = add_treatment(patient, "Pregabalin", started_on=dt.date(2026, 3, 1))
    Treatment.objects.filter(id=treatment.id).update(notes="as added")
    return {f"/api/v1/episodes/{episode.id}/": episode, f"/api/v1/treatments/{treatment.id}/": treatment}


@pytest.mark.parametrize("body", [[{"notes": "changed"}], "changed", 3])
def test_a_patch_that_is_not_an_object_is_refused_by_both_and_changes_nothing(api, rows, body):
    for path, row in rows.items():
        answer = api.patch(path, body, format="json")
        assert answer.status_code == 400, path
        assert answer.json() == {"non_field_errors": "Expected a JSON object."}, path
        row.refresh_from_db()
        assert row.notes.startswith("as "), path


def test_a_patch_changes_only_what_it_names_in_both(api, rows):
    for path, row in rows.items():
        answer = api.patch(path, {"notes": "changed"}, format="json")
        assert answer.status_code == 200, path
        row.refresh_from_db()
        assert row.notes == "changed", path
    episode = Episode.objects.get()
    assert episode.severity == 4  # the rest of the record was laid under the body, not dropped
    assert Treatment.objects.get().name == "Pregabalin"


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_an_id_that_is_not_a_uuid_is_a_json_404_worded_as_a_missing_row(api, patient, method):
    for kind, words in [("episodes", "No such episode."), ("treatments", "No such treatment.")]:
        bad = getattr(api, method)(f"/api/v1/{kind}/not-a-uuid/", {}, format="json")
        missing = getattr(api, method if method == "get" else "patch")(
            f"/api/v1/{kind}/{uuid.uuid4()}/", {}, format="json"
        )
        assert bad.status_code == 404 and bad.json()["detail"] == words, (kind, method)
        assert missing.status_code == 404 and missing.json() == bad.json(), (kind, method)


def test_another_patients_row_is_answered_as_a_missing_one_by_every_method(bob_api, rows):
    for path, row in rows.items():
        for method in ("get", "patch"):
            answer = getattr(bob_api, method)(path, {"notes": "bob's"}, format="json")
            assert answer.status_code == 404, (path, method)
        row.refresh_from_db()
        assert row.notes.startswith("as "), path


def test_a_viewset_saved_by_id_must_name_the_words_of_its_404():
    from web.viewsets import SavedByIdViewSet

    with pytest.raises(TypeError, match="names no `missing`"):

        class Forgetful(SavedByIdViewSet[Episode]):
            pass

    class Named(SavedByIdViewSet[Episode]):
        missing = "No such thing."

    assert Named.missing == "No such thing."
