"""Trend numbers on vignette diaries, checked by hand; the page and API; constant query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diary import trends
from diary.facts import load_trends
from diary.interchange import import_diary
from diary.models import Episode, EpisodeLocation
from tests.conftest import SHARED, load_vignette, make_patient


def vignette_trends(name: str, first: dt.date, last: dt.date):
    patient = make_patient(name)
    import_diary(patient=patient, document=load_vignette(SHARED / "vignettes" / f"{name}.json")["diary"])
    return load_trends(patient, patient.profile.zone, first, last)


def test_benign_crossed_legs_january_and_february(db):
    t = vignette_trends("benign-crossed-legs", dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    assert (t.days, t.episodes, t.days_logged, t.days_with_numbness, t.days_not_logged) == (59, 9, 9, 9, 50)
    assert (t.median_minutes, t.mean_severity) == (5, 2.8)  # durations 2 3 4 4 5 6 6 8 8; severities sum 25
    assert [(r.code, r.count, r.share) for r in t.triggers] == [("sitting", 5, 0.556), ("crossed_legs", 4, 0.444)]
    assert [(r.code, r.count, r.share) for r in t.sensations] == [("numbness", 9, 1.0), ("tingling", 9, 1.0)]
    assert [(r.code, r.count) for r in t.relief] == [("changed_position", 9)]
    assert t.regions == {"left:sole": 2, "right:sole": 2, "left:top_of_foot": 3, "right:toes": 2}
    assert {h: n for h, n in enumerate(t.hours) if n} == {9: 3, 13: 4, 19: 2}
    assert [w.start for w in t.weeks][:2] == [dt.date(2025, 12, 29), dt.date(2026, 1, 5)]
    assert [(w.days_in_range, w.episodes) for w in (t.weeks[0], t.weeks[-1])] == [(4, 1), (6, 1)]
    assert len(t.weeks) == 9
    assert t.insights == [
        "Episodes after sitting lasted 5 min on median, after crossed legs 6 min (5 and 4 episodes).",
        "Left leg only in 5 of 9 episodes, right leg only in 4, both legs in 0.",
        "“Changing position” was noted as helping in 9 of 9 episodes.",
        "Nothing was logged on 50 of 59 days; those days are left out, not counted as days without numbness.",
    ]


def test_escalating_severity_last_four_weeks(db):
    t = vignette_trends("escalating-severity", dt.date(2026, 2, 2), dt.date(2026, 3, 1))
    assert (t.episodes, t.mean_severity, t.median_minutes) == (6, 5.3, 6)
    assert [(w.start.day, w.episodes, w.mean_severity, w.median_minutes) for w in t.weeks] == [
        (2, 1, 2.0, 5),
        (9, 1, 2.0, 5),
        (16, 2, 7.0, 6),
        (23, 2, 7.0, 6),
    ]
    assert [(r.code, r.count, r.share) for r in t.sensations] == [("numbness", 6, 1.0), ("burning", 4, 0.667)]
    assert t.regions == {"left:toes": 6}
    assert "Most episodes started in the evening: 6 of 6." in t.insights


def test_days_are_numbness_none_or_not_logged():
    day = dt.date(2026, 5, 1)
    calendar = trends.day_states([], {day: False, day + dt.timedelta(days=1): True}, day, day + dt.timedelta(days=2))
    assert [state for _, state in calendar] == ["none", "numbness", "not_logged"]


def test_too_few_episodes_are_said_plainly(db):
    t = vignette_trends("stroke-signs", dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    assert t.insights == [
        "Only 2 episodes in this period: too few to say anything about patterns (that needs at least 5)."
    ]
    empty = trends.compute([], {}, dt.date(2026, 1, 1), dt.date(2026, 1, 14))
    assert empty.insights == ["No episodes were logged in this period."]
    assert (empty.mean_severity, empty.median_minutes) == (None, None)


def test_periods():
    today, long_ago = dt.date(2026, 3, 1), dt.date(2020, 1, 1)
    assert trends.period("2w", today, long_ago) == (dt.date(2026, 2, 16), today)
    assert trends.period("3m", today, long_ago) == (dt.date(2025, 12, 1), today)
    assert trends.period("1y", today, long_ago) == (dt.date(2025, 3, 2), today)
    assert trends.period("all", today, dt.date(2024, 7, 1)) == (dt.date(2024, 7, 1), today)
    assert trends.period("all", today, None) == (today, today)


def test_periods_start_no_earlier_than_the_first_entry():
    today = dt.date(2026, 3, 1)
    assert trends.period("3m", today, dt.date(2026, 2, 20)) == (dt.date(2026, 2, 20), today)
    assert trends.period("1y", today, today) == (today, today)
    assert trends.period("2w", today, None) == (today, today)  # a diary with nothing in it yet starts today
    custom = (dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    assert trends.period("custom", today, dt.date(2026, 2, 1), custom) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    before = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))  # wholly before the diary: shown as asked
    assert trends.period("custom", today, dt.date(2026, 2, 1), before) == before


def bulk_diary(patient, count: int) -> None:
    now = dt.datetime.now(dt.UTC)
    episodes = Episode.objects.bulk_create(
        Episode(patient=patient, started_at=now - dt.timedelta(hours=1 + n), duration_minutes=n % 40,
                severity=n % 11, sensations=["numbness"], triggers=["sitting"], relieved_by=["rest"])
        for n in range(count)
    )  # fmt: skip
    EpisodeLocation.objects.bulk_create(EpisodeLocation(episode=e, side="left", region="calf") for e in episodes)


@pytest.mark.parametrize("path", ["/trends/?range=3m", "/trends/?range=all", "/api/v1/trends/?range=1y"])
def test_query_count_does_not_grow_with_the_diary(client, db, path):
    counts = []
    for size, name in ((10, "small"), (2000, "large")):
        patient = make_patient(name)
        bulk_diary(patient, size)
        client.force_login(patient)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_page_shows_every_chart_with_a_text_alternative(web, patient):
    bulk_diary(patient, 30)
    page = web.get("/trends/?range=2w").content.decode()
    for chart in ("chart-weeks", "chart-severity", "chart-duration", "chart-hours"):
        assert f'id="{chart}"' in page
    assert page.count("<table") >= 6 and page.count("Data table") >= 4
    assert "30 episodes in" in page
    assert 'id="trends-data" type="application/json"' in page
    assert "Left calf" in page  # the diagram's data table


def test_api_returns_the_same_numbers(api, patient):
    bulk_diary(patient, 12)
    body = api.get("/api/v1/trends/", {"range": "custom", "from": "2010-01-01", "to": "2021-01-01"})
    assert body.status_code == 400 and "from" in body.json()  # more than ten years
    body = api.get("/api/v1/trends/", {"range": "custom", "from": "2026-01-01", "to": "2999-01-01"})
    assert body.status_code == 400 and "to" in body.json()  # ends in the future
    body = api.get("/api/v1/trends/", {"range": "2w"}).json()
    assert body["episodes"] == 12 and body["regions"] == {"left:calf": 12}
    assert body["triggers"] == [{"code": "sitting", "label": "Sitting", "count": 12, "share": 1.0}]
    assert len(body["hours"]) == 24 and 23 in body["night_hours"]


@pytest.mark.parametrize(
    "query, field",
    [({"from": "2026-03-10", "to": "2026-03-01"}, "to"), ({"from": "2026-03-01"}, "non_field_errors")],
)
def test_bad_custom_periods_are_400(api, query, field):
    response = api.get("/api/v1/trends/", query)
    assert response.status_code == 400 and field in response.json()


def test_page_rejects_a_bad_period_with_a_message(web):
    response = web.get("/trends/", {"start": "2026-03-10", "end": "2026-03-01"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()


def test_another_patients_trends_are_not_shown(client, patient, other_patient):
    bulk_diary(patient, 5)
    client.force_login(other_patient)
    assert "0 episodes in" in client.get("/trends/?range=2w").content.decode()
    from rest_framework.test import APIClient

    bob = APIClient()
    bob.force_authenticate(other_patient)
    assert bob.get("/api/v1/trends/", {"range": "all"}).json()["episodes"] == 0
