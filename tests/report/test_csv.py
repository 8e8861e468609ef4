"""The CSV: a BOM, a row per episode and per check-in (each with its kind), the zone's name, a column that says
the score rates numbness on 0–10, codes beside readable labels, formulas neutralised."""

import csv
import datetime as dt
import io

from diary import services
from diary.facts import EpisodeFacts
from diary.interchange import import_diary
from report import content
from report.csv_export import COLUMNS, neutralise, report_csv, table_csv
from tests.conftest import FIXTURE_VIGNETTES, load_vignette, log, make_patient

FIRST, LAST = dt.date(2025, 12, 1), dt.date(2026, 3, 1)


def rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_one_row_per_episode_with_codes_and_labels(db):
    vignette = load_vignette(FIXTURE_VIGNETTES / "desk-worker-most-days.json")
    patient = make_patient("petra", tz=vignette["diary"]["profile"]["timezone"])
    import_diary(patient=patient, document=vignette["diary"])
    text = report_csv(content.build(patient, FIRST, LAST))
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    parsed = rows(text)
    assert list(parsed[0].keys()) == COLUMNS
    assert "numbness_severity_0_10" in COLUMNS and "severity" not in COLUMNS
    episodes = {row["id"]: row for row in parsed if row["kind"] == "episode"}
    assert len(episodes) == len(vignette["diary"]["episodes"])
    for episode in vignette["diary"]["episodes"]:
        row = episodes[episode["id"]]
        started = dt.datetime.fromisoformat(row["started_at"])
        assert started == dt.datetime.fromisoformat(episode["started_at"].replace("Z", "+00:00"))
        assert row["timezone"] == vignette["diary"]["profile"]["timezone"]
        assert row["local_date"] == started.date().isoformat() and row["local_time"] == f"{started:%H:%M}"
        assert int(row["numbness_severity_0_10"]) == episode["severity"]
        assert set(row["locations"].split(";")) == {f"{loc['side']}:{loc['region']}" for loc in episode["locations"]}
        for field in ("sensations", "triggers", "symptoms", "relieved_by"):
            assert set(filter(None, row[field].split(";"))) == set(episode[field])
        assert row["notes"] == episode["notes"]


def test_check_in_rows_tell_a_quiet_day_from_an_unlogged_one(patient):
    services.save_checkin(patient=patient, date=dt.date(2026, 2, 3), numbness_today=False, today=dt.date(2026, 2, 28))
    log(patient, started_at=dt.datetime(2026, 2, 5, 9, tzinfo=dt.UTC), duration_minutes=7, severity=4)
    parsed = rows(report_csv(content.build(patient, dt.date(2026, 2, 1), dt.date(2026, 2, 28))))
    assert [(r["kind"], r["local_date"], r["numbness_today"]) for r in parsed] == [
        ("checkin", "2026-02-03", "no"),
        ("checkin", "2026-02-05", "yes"),  # the check-in the episode implies
        ("episode", "2026-02-05", "yes"),
    ]  # 4 February: no row at all, nothing was logged
    assert parsed[0]["timezone"] == "Europe/London" and parsed[0]["id"] == parsed[0]["numbness_severity_0_10"] == ""


def test_labels_sit_beside_the_codes():
    episode = EpisodeFacts(
        id="e1", start=dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC), duration_minutes=None, severity=2,
        locations=frozenset({("left", "toes"), ("left", "sole")}), triggers=frozenset({"crossed_legs"}),
        relieved_by=frozenset({"changed_position", "walking_around"}), notes='Sat "badly"; then, walked — ok 🦶',
        alarm_answered=True,
    )  # fmt: skip
    [row] = rows(table_csv([episode], {}, "UTC"))
    assert row["locations"] == "left:toes;left:sole" and row["locations_label"] == "Left toes; Left sole"
    assert row["triggers"] == "crossed_legs" and row["triggers_label"] == "Crossed legs"
    assert row["relieved_by_label"] == "Changing position; Walking around"
    assert row["ongoing"] == "yes" and row["duration_minutes"] == "" and row["alarm_answered"] == "yes"
    assert row["notes"] == 'Sat "badly"; then, walked — ok 🦶'


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised():
    for dangerous in ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise("Sat at the desk") == "Sat at the desk"
    episode = EpisodeFacts(
        id="e2", start=dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC), duration_minutes=5, severity=1,
        locations=frozenset({("right", "heel")}), notes="=cmd|' /C calc'!A0",
    )  # fmt: skip
    [row] = rows(table_csv([episode], {}, "UTC"))
    assert row["notes"] == "'=cmd|' /C calc'!A0" and row["numbness_severity_0_10"] == "1"
