"""The CSV: a BOM, one row per episode with codes and readable labels, formulas neutralised."""

import csv
import datetime as dt
import io

from diary.facts import EpisodeFacts
from diary.interchange import import_diary
from report import content
from report.csv_export import COLUMNS, episodes_csv, neutralise
from tests.conftest import FIXTURE_VIGNETTES, load_vignette, make_patient

FIRST, LAST = dt.date(2025, 12, 1), dt.date(2026, 3, 1)


def rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_one_row_per_episode_with_codes_and_labels(db):
    vignette = load_vignette(FIXTURE_VIGNETTES / "desk-worker-most-days.json")
    patient = make_patient("petra")
    import_diary(patient=patient, document=vignette["diary"])
    text = episodes_csv(content.build(patient, FIRST, LAST).episodes)
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    parsed = rows(text)
    assert list(parsed[0].keys()) == COLUMNS
    by_id = {row["id"]: row for row in parsed}
    assert len(parsed) == len(vignette["diary"]["episodes"])
    for episode in vignette["diary"]["episodes"]:
        row = by_id[episode["id"]]
        started = dt.datetime.fromisoformat(row["started_at"])
        assert started == dt.datetime.fromisoformat(episode["started_at"].replace("Z", "+00:00"))
        assert int(row["severity"]) == episode["severity"]
        assert set(row["locations"].split(";")) == {f"{loc['side']}:{loc['region']}" for loc in episode["locations"]}
        for field in ("sensations", "triggers", "symptoms", "relieved_by"):
            assert set(filter(None, row[field].split(";"))) == set(episode[field])
        assert row["notes"] == episode["notes"]


def test_labels_sit_beside_the_codes():
    episode = EpisodeFacts(
        id="e1", start=dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC), duration_minutes=None, severity=2,
        locations=frozenset({("left", "toes"), ("left", "sole")}), triggers=frozenset({"crossed_legs"}),
        relieved_by=frozenset({"changed_position", "walking_around"}), notes='Sat "badly"; then, walked — ok 🦶',
    )  # fmt: skip
    [row] = rows(episodes_csv([episode]))
    assert row["locations"] == "left:toes;left:sole" and row["locations_label"] == "Left toes; Left sole"
    assert row["triggers"] == "crossed_legs" and row["triggers_label"] == "Crossed legs"
    assert row["relieved_by_label"] == "Changing position; Walking around"
    assert row["ongoing"] == "yes" and row["duration_minutes"] == ""
    assert row["notes"] == 'Sat "badly"; then, walked — ok 🦶'


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised():
    for dangerous in ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise("Sat at the desk") == "Sat at the desk"
    episode = EpisodeFacts(
        id="e2", start=dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC), duration_minutes=5, severity=1,
        locations=frozenset({("right", "heel")}), notes="=cmd|' /C calc'!A0",
    )  # fmt: skip
    [row] = rows(episodes_csv([episode]))
    assert row["notes"] == "'=cmd|' /C calc'!A0" and row["severity"] == "1"
