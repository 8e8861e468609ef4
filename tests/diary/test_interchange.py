"""The interchange format: lossless round trips, all-or-nothing imports, the two commands."""

import datetime as dt
import io
import json
import uuid
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from diary.interchange import FORMAT, InterchangeError, dumps, export_diary, import_diary
from diary.models import CheckIn, Episode
from tests.conftest import VIGNETTES, episode_json, load_vignette, log, make_patient, vignette_id


def document(*episodes, checkins=(), **profile) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "profile": {"timezone": "Europe/London", "conditions": [], "emergency_number": "999"} | profile,
        "episodes": list(episodes),
        "checkins": list(checkins),
    }


def as_sets(episode: dict[str, Any]) -> dict[str, Any]:
    return {key: sorted(map(json.dumps, value)) if isinstance(value, list) else value for key, value in episode.items()}


def test_there_are_vignettes_to_check():
    assert len(VIGNETTES) >= 5


@pytest.mark.parametrize("path", VIGNETTES, ids=vignette_id)
def test_export_import_export_is_byte_identical(db, path):
    vignette = load_vignette(path)
    first = make_patient("first")
    import_diary(patient=first, document=vignette["diary"])
    exported = dumps(export_diary(first))

    first.delete()  # as when moving a diary to another server: the ids are free again
    second = make_patient("second")
    import_diary(patient=second, document=json.loads(exported))
    assert dumps(export_diary(second)) == exported
    assert len(json.loads(exported)["episodes"]) == len(vignette["diary"]["episodes"])


@pytest.mark.parametrize("path", VIGNETTES, ids=vignette_id)
def test_vignette_diaries_import_as_given(db, path):
    diary = load_vignette(path)["diary"]
    patient = make_patient()
    import_diary(patient=patient, document=diary)
    exported = export_diary(patient)
    assert exported["profile"] == diary["profile"]
    by_id = {e["id"]: as_sets(e) for e in exported["episodes"]}
    version_1 = {"alarm_answered": False} if diary["format"] == "numbness-diary/1" else {}
    for episode in diary["episodes"]:
        # A file without duration_unknown (older than it) gives every finished episode a known duration.
        known = {"duration_unknown": False}
        assert by_id[episode["id"]] == as_sets(known | episode | version_1)  # sets in a canonical order


def test_reimporting_replaces_instead_of_duplicating(db):
    patient = make_patient()
    doc = document(episode_json(id="7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c11"))
    import_diary(patient=patient, document=doc)
    summary = import_diary(patient=patient, document=doc)
    assert (summary.episodes_created, summary.episodes_replaced) == (0, 1)
    assert Episode.objects.count() == 1


def test_reimporting_an_unchanged_episode_keeps_when_it_was_saved(db, time_machine):
    """The report and the warning signs judge a stroke sign by when it was saved: a backup imported again days later
    must not make a sign logged at once read as one entered over 24 h late."""
    from report import content

    patient = make_patient()
    started = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(started + dt.timedelta(minutes=5), tick=False)
    log(patient, started_at=started, duration_minutes=20, severity=8, symptoms=["speech_difficulty"])
    backup = json.loads(dumps(export_diary(patient)))
    saved = Episode.objects.values_list("created_at", "updated_at").get()

    time_machine.move_to(started + dt.timedelta(days=3), tick=False)
    summary = import_diary(patient=patient, document=backup)
    assert (summary.episodes_created, summary.episodes_replaced) == (0, 1)
    assert Episode.objects.values_list("created_at", "updated_at").get() == saved
    [line] = content.build(patient, dt.date(2026, 11, 1), dt.date(2026, 11, 30)).red_flags[0].lines
    assert line.screen == "the app showed its emergency screen (call 112 now) on saving"

    backup["episodes"][0]["severity"] = 6  # a changed episode is saved again, as any edit is
    import_diary(patient=patient, document=backup)
    assert Episode.objects.values_list("updated_at", flat=True).get() > saved[1]


@pytest.mark.parametrize(
    "record, expected",
    [
        (
            episode_json(id="7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c22", severity=12),
            "episodes[1] (id 7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c22): severity:",
        ),
        (
            episode_json(id="7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c22", started_at="2026-13-01T00:00:00Z"),
            "episodes[1] (id 7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c22): started_at:",
        ),
        (
            episode_json(id="7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c22", symptoms=["hiccups"]),
            "episodes[1] (id 7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c22): symptoms[0]:",
        ),
        (
            episode_json(id="7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c22", locations=[{"side": "left", "region": "elbow"}]),
            "episodes[1] (id 7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c22): locations[0].region:",
        ),
        (episode_json(), "episodes[1]: id: an id is required"),
        (
            episode_json(id="7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c11"),
            "episodes: id 7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c11 appears 2 times.",
        ),
        ("not an object", "episodes[1]: Invalid data."),
    ],
)
def test_a_bad_record_is_named_and_nothing_is_imported(db, record, expected):
    patient = make_patient()
    good = episode_json(id="7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c11")
    with pytest.raises(InterchangeError) as caught:
        import_diary(
            patient=patient,
            document=document(
                good, record, checkins=[{"date": "2026-01-10", "numbness_today": True}], timezone="Asia/Tokyo"
            ),
        )
    assert any(problem.startswith(expected) for problem in caught.value.problems), caught.value.problems
    assert not Episode.objects.exists() and not CheckIn.objects.exists()
    patient.profile.refresh_from_db()
    assert patient.profile.timezone == "Europe/London"


@pytest.mark.parametrize(
    "doc, expected",
    [
        ({**document(), "format": "numbness-diary/0"}, "format: expected"),
        (document(checkins=[{"date": "2026-02-30", "numbness_today": True}]), "checkins[0] (2026-02-30): date:"),
        (document(checkins=[{"date": "2999-01-01", "numbness_today": False}]), "checkins[0] (2999-01-01): date:"),
        (document(checkins=[{"date": "2026-01-01"}]), "checkins[0] (2026-01-01): numbness_today:"),
        (document(timezone="Mars/Olympus"), "profile.timezone:"),
        (document(conditions=["lycanthropy"]), "profile.conditions[0]:"),
        (document(emergency_number="call me"), "profile.emergency_number:"),
        ({**document(), "episodes": {"a": 1}}, "episodes: expected a list."),
        (
            document(
                episode_json(id="7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c11", started_at="2026-01-10T08:30:00Z"),
                checkins=[{"date": "2026-01-10", "numbness_today": False}],
            ),
            "checkins[0] (2026-01-10): numbness_today: false, but episodes",
        ),
    ],
)
def test_bad_documents_are_rejected_whole(db, doc, expected):
    patient = make_patient()
    with pytest.raises(InterchangeError) as caught:
        import_diary(patient=patient, document=doc)
    assert any(p.startswith(expected) for p in caught.value.problems), caught.value.problems
    assert not Episode.objects.exists() and not CheckIn.objects.exists()


def test_a_date_of_birth_after_today_in_the_files_time_zone_is_named(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC), tick=False)  # 5 Dec, 23:00 in Pago Pago
    patient = make_patient()
    doc = document(timezone="Pacific/Pago_Pago", date_of_birth="2026-12-06")
    with pytest.raises(InterchangeError) as caught:
        import_diary(patient=patient, document=doc)
    assert caught.value.problems == ["profile.date_of_birth: The date of birth can't be in the future."]
    patient.profile.refresh_from_db()
    assert (patient.profile.timezone, patient.profile.date_of_birth) == ("Europe/London", None)


def test_an_id_owned_by_another_account_is_refused(db):
    doc = document(episode_json(id="7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c11"))
    import_diary(patient=make_patient("alice"), document=doc)
    with pytest.raises(InterchangeError) as caught:
        import_diary(patient=make_patient("bob"), document=doc)
    assert "belongs to another account" in caught.value.problems[0]
    assert Episode.objects.get().patient.username == "alice"


def test_commands_round_trip_through_files(db, tmp_path):
    diary = load_vignette(VIGNETTES[0])["diary"]
    source = tmp_path / "in.json"
    source.write_text(json.dumps(diary))
    call_command("import_diary", str(source), "--user", "carol", "--create-user", stdout=io.StringIO())
    out = tmp_path / "carol.json"
    call_command("export_diary", "--user", "carol", "--out", str(out))
    unanswered = {"alarm_answered": False}  # the vignette is a numbness-diary/1 file
    assert diary["format"] == "numbness-diary/1"
    expected = [as_sets({"duration_unknown": False} | e | unanswered) for e in diary["episodes"]]
    assert [as_sets(e) for e in json.loads(out.read_text())["episodes"]] == expected


def test_import_command_reports_problems_and_needs_the_user(db, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="No user 'dave'"):
        call_command("import_diary", str(broken), "--user", "dave")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_diary", str(broken), "--user", "dave", "--create-user")
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="dave").exists()


class NotesSection:
    """An app's own keys in the document, kept in memory: what the diary's interchange asks of such an app."""

    def __init__(self) -> None:
        self.kept: dict[int, list[dict[str, Any]]] = {}

    def section(self):
        from diary import hooks

        return hooks.Section(keys=("memos",), export=self.export, validate=self.validate, write=self.write)

    def export(self, patient):
        return {"memos": self.kept.get(patient.pk, [])}

    def validate(self, records, context):
        problems = [
            f"memos[{i}]: episode_id: no such episode in this file."
            for i, memo in enumerate(records["memos"])
            if memo.get("episode_id") not in {str(e) for e in context.episode_ids}
        ]
        return problems, list(records["memos"])

    def write(self, patient, memos):
        self.kept[patient.pk] = memos


def test_an_apps_section_travels_with_the_diary_and_fails_it_as_a_whole(db, monkeypatch):
    from diary import hooks

    memos = NotesSection()
    monkeypatch.setattr(hooks, "SECTIONS", [memos.section()])
    patient = make_patient()
    episode = episode_json(id="3f6c2b1e-8d4a-4f2e-9a7b-1c2d3e4f5a6b")
    good = document(episode) | {"memos": [{"episode_id": episode["id"], "text": "after the long drive"}]}
    import_diary(patient=patient, document=good)
    assert export_diary(patient)["memos"] == good["memos"]

    other = make_patient("bob")
    bad = document(episode_json(id="0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b")) | {"memos": [{"episode_id": "nope"}]}
    with pytest.raises(InterchangeError) as error:
        import_diary(patient=other, document=bad)
    assert error.value.problems == ["memos[0]: episode_id: no such episode in this file."]
    assert not Episode.objects.filter(patient=other).exists() and other.pk not in memos.kept


def test_a_version_1_file_imports_with_no_alarm_question_answered(db):
    patient = make_patient()
    ticked = episode_json(id="5b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", symptoms=["leg_pale_cold"], alarm_answered=True)
    quiet = episode_json(id="6c2f3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e")
    import_diary(patient=patient, document=document(ticked, quiet) | {"format": "numbness-diary/1"})
    assert set(Episode.objects.values_list("alarm_answered", flat=True)) == {False}
    assert export_diary(patient)["format"] == FORMAT == "numbness-diary/2"


def test_version_2_keeps_whether_the_alarm_questions_were_answered_as_recorded(db):
    patient = make_patient()
    none_of_these = episode_json(id="7d3a4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f", alarm_answered=True)
    from_version_1 = episode_json(
        id="8e4b5f6a-7b8c-4d9e-9f0a-2b3c4d5e6f7a", symptoms=["fainting"], alarm_answered=False
    )
    not_asked = episode_json(id="9f5c6a7b-8c9d-4e0f-8a1b-3c4d5e6f7a8b")
    import_diary(patient=patient, document=document(none_of_these, from_version_1, not_asked))
    answered = {e["id"]: e["alarm_answered"] for e in export_diary(patient)["episodes"]}
    assert answered == {none_of_these["id"]: True, from_version_1["id"]: False, not_asked["id"]: False}


def test_through_the_api_ticking_an_alarm_question_answers_them(api):
    ticked = api.put(f"/api/v1/episodes/{uuid.uuid4()}/", episode_json(symptoms=["fainting"]), format="json").json()
    none_of_these = api.put(
        f"/api/v1/episodes/{uuid.uuid4()}/", episode_json(alarm_answered=True), format="json"
    ).json()
    not_asked = api.put(f"/api/v1/episodes/{uuid.uuid4()}/", episode_json(), format="json").json()
    assert (ticked["alarm_answered"], none_of_these["alarm_answered"], not_asked["alarm_answered"]) == (
        True,
        True,
        False,
    )


def test_a_version_1_file_has_no_sections_of_the_apps(db, monkeypatch):
    from diary import hooks

    monkeypatch.setattr(hooks, "SECTIONS", [NotesSection().section()])
    with pytest.raises(InterchangeError) as error:
        import_diary(patient=make_patient(), document=document() | {"format": "numbness-diary/1", "memos": []})
    assert error.value.problems == ["memos: a numbness-diary/1 file has no memos."]
