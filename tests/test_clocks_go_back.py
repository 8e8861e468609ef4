"""The night the clocks change. Two times of one zone subtract, add and compare on the wall clock in Python, which
is an hour out across the change; every length, end and order the app works out is real time
(`diary.clock.elapsed`, `after`, `instant`).

London on Sun 25 Oct 2026: 01:00–02:00 happens twice, first in BST (UTC+1), then in GMT (UTC+0). Each right answer
below is worked out by hand in UTC in its comment.
"""

import csv
import datetime as dt
import io
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine

from diary import services
from diary.clock import after, elapsed, instant
from diary.facts import EpisodeFacts
from insights import trends
from report import content
from report.csv_export import table_csv
from report.fhir_export import fhir_bundle
from tests.conftest import add_treatment, log, make_patient
from tests.diary.test_log_episode import form_data
from treatments.models import Dose
from triage import detectors
from triage.review import review_patient

LONDON = ZoneInfo("Europe/London")
PERIOD = (dt.date(2026, 10, 20), dt.date(2026, 10, 25))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def facts(start: dt.datetime, severity: int = 3, minutes: int | None = 5, id: str = "e") -> EpisodeFacts:
    return EpisodeFacts(
        id=id, start=start.astimezone(LONDON), duration_minutes=minutes, severity=severity,
        locations=frozenset({("left", "calf")}),
    )  # fmt: skip


def test_the_clock_counts_real_time_across_the_change():
    bst, gmt = utc(2026, 10, 24, 23, 30).astimezone(LONDON), utc(2026, 10, 25, 1, 45).astimezone(LONDON)
    assert (bst.hour, gmt.hour) == (0, 1) and bst.tzinfo is gmt.tzinfo  # 00:30 BST, 01:45 GMT
    assert gmt - bst == dt.timedelta(hours=1, minutes=15)  # Python's wall clock: the hour is lost
    assert elapsed(bst, gmt) == dt.timedelta(hours=2, minutes=15)
    ends = after(utc(2026, 10, 24, 23, 50).astimezone(LONDON), dt.timedelta(minutes=90))  # 00:50 BST + 90 min
    assert instant(ends) == utc(2026, 10, 25, 1, 20) and ends.tzinfo is LONDON  # 01:20 GMT
    twice_first, twice_second = utc(2026, 10, 25, 0, 40).astimezone(LONDON), utc(2026, 10, 25, 1, 10).astimezone(LONDON)
    assert twice_first > twice_second  # 01:40 BST "after" 01:10 GMT on the wall clock
    assert instant(twice_first) < instant(twice_second)


@pytest.mark.django_db
def test_fhir_ends_an_episode_at_its_real_end():
    # 00:50 BST = 23:50Z on the 24th; 90 minutes on, 01:20Z (not 02:20Z).
    patient = make_patient("ann")
    with time_machine.travel(utc(2026, 10, 25, 12), tick=False):
        episode = log(patient, utc(2026, 10, 24, 23, 50), duration_minutes=90)
        report = content.build(patient, *PERIOD)
    observation = next(
        e["resource"] for e in fhir_bundle(report)["entry"]
        if e["resource"]["resourceType"] == "Observation" and e["resource"]["identifier"][0]["value"] == str(episode.id)
    )  # fmt: skip
    assert observation["effectivePeriod"] == {"start": "2026-10-24T23:50:00Z", "end": "2026-10-25T01:20:00Z"}


@pytest.mark.django_db
def test_the_report_says_how_long_an_episode_still_going_has_lasted():
    # Since Sat 24 Oct 20:00 BST (19:00Z), report made Sun 25 Oct 20:00 GMT (20:00Z): 25 h, not 24.
    patient = make_patient("ann")
    with time_machine.travel(utc(2026, 10, 25, 20), tick=False):
        log(patient, utc(2026, 10, 24, 19), duration_minutes=None)
        report = content.build(patient, *PERIOD)
    assert "(25 h so far)" in report.summary
    assert "24 h so far" not in report.summary


@pytest.mark.django_db
def test_a_dose_taken_for_an_episode_is_dated_at_its_real_end():
    # Logged on the form with its local start, 00:50 BST, 90 minutes: it ended at 01:20Z.
    patient = make_patient("ann")
    with time_machine.travel(utc(2026, 10, 25, 12), tick=False):
        ibuprofen = add_treatment(
            patient, "Ibuprofen", started_on=dt.date(2026, 10, 1), schedule="as_needed", times_per_day=None
        )
        services.save_episode(
            patient=patient, episode_id=uuid.uuid4(), started_at=dt.datetime(2026, 10, 25, 0, 50, tzinfo=LONDON),
            duration_minutes=90, severity=3, locations=[("left", "calf")],
            extra={"took_shown": "1", "took": [str(ibuprofen.id)]},
        )  # fmt: skip
    assert Dose.objects.get().taken_at == utc(2026, 10, 25, 1, 20)


@pytest.mark.django_db
def test_the_report_says_how_late_an_entry_came_in_real_time():
    # Began 00:30 BST (23:30Z on the 24th), logged 01:45 GMT (01:45Z): 2 h 15 min later.
    patient = make_patient("ann")
    with time_machine.travel(utc(2026, 10, 25, 1, 45), tick=False):
        log(patient, utc(2026, 10, 24, 23, 30), duration_minutes=20, severity=7,
            symptoms=["leg_weakness", "urinary_retention", "back_pain"],
            locations=[("left", "saddle"), ("right", "saddle")])  # fmt: skip
    with time_machine.travel(utc(2026, 10, 25, 12), tick=False):
        review_patient(patient.pk, dt.date(2026, 10, 25))
        report = content.build(patient, *PERIOD)
    lines = [line.text for flag in report.red_flags for line in flag.lines]
    assert any("logged Sun 25 Oct 2026 01:45 GMT, 2 h 15 min after it began" in words for words in lines), lines


@pytest.mark.django_db
def test_the_report_names_the_screen_a_late_stroke_sign_showed():
    # Began Sat 24 Oct 02:00 BST (01:00Z), first saved Sun 25 Oct 01:30 GMT (01:30Z): 24 h 30 min later, a late
    # entry, so the save showed the urgent screen (see a doctor today), not the emergency one; the report says so.
    patient = make_patient("ann")
    with time_machine.travel(utc(2026, 10, 25, 1, 30), tick=False):
        episode = log(patient, utc(2026, 10, 24, 1), duration_minutes=20, severity=6,
                      symptoms=["sudden_headache", "arm_weakness"], locations=[("left", "calf")])  # fmt: skip
    with time_machine.travel(utc(2026, 10, 25, 12), tick=False):
        review_patient(patient.pk, dt.date(2026, 10, 25))
        report = content.build(patient, *PERIOD)
    lines = [line.text for flag in report.red_flags for line in flag.lines if line.facts.id == str(episode.id)]
    assert lines and all("urgent screen (see a doctor today) on saving, as it was entered over 24 h later" in words
                         for words in lines), lines  # fmt: skip
    assert not any("emergency screen" in words for words in lines)


def test_an_episode_still_going_lasts_real_hours_to_the_end_of_a_reviewed_day():
    # Since Sat 24 Oct 22:00 BST (21:00Z); the 25th ends at 26 Oct 00:00 GMT (00:00Z): 27 h, the 25th having 25.
    moment = detectors.review_moment(dt.date(2026, 10, 25), LONDON, now=utc(2026, 11, 1))
    assert detectors.lasted(facts(utc(2026, 10, 24, 21), minutes=None), moment) == dt.timedelta(hours=27)


def test_trends_lists_severities_in_the_order_they_happened():
    # 01:40 BST (00:40Z) came half an hour before 01:10 GMT (01:10Z).
    first, second = facts(utc(2026, 10, 25, 0, 40), severity=1, id="a"), facts(utc(2026, 10, 25, 1, 10), 9, id="b")
    numbers = trends.compute([second, first], {}, dt.date(2026, 10, 20), dt.date(2026, 10, 26))
    assert [severity for _, severity in numbers.severities] == [1, 9]
    assert numbers.hours[1] == 2  # both at 01:xx on the phone's clock


@pytest.mark.django_db
@pytest.mark.parametrize("start", [utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)], ids=["BST", "GMT"])
def test_an_episode_in_the_hour_that_repeats_can_be_edited(client, start):
    # 01:30 BST or 01:30 GMT: the form shows "01:30" (a datetime-local field has no offset); sent back unchanged,
    # it is that same instant, not "happened twice, give the offset".
    patient = make_patient("ann")
    client.force_login(patient)
    with time_machine.travel(utc(2026, 10, 25, 12), tick=False):
        episode = log(patient, start, severity=3)
        page = client.get(f"/episodes/{episode.id}/edit/").content.decode()
        shown = re.search(r'<input type="datetime-local" name="started_at" value="([^"]+)"', page)
        assert shown and shown[1] == "2026-10-25T01:30", page[page.find('name="started_at"') - 80 :][:200]
        response = client.post(
            f"/episodes/{episode.id}/edit/",
            form_data(id=str(episode.id), when="earlier", started_at=shown[1], severity="6"),
        )
        assert response.status_code == 302, re.findall(r"happened twice[^<]*", response.content.decode())
        # A time typed anew in that hour is still asked about: it could be either.
        retyped = client.post(
            f"/episodes/{episode.id}/edit/",
            form_data(id=str(episode.id), when="earlier", started_at="2026-10-25T01:15"),
        )
        assert retyped.status_code == 400 and "happened twice" in retyped.content.decode()
    episode.refresh_from_db()
    assert (episode.severity, episode.started_at) == (6, start)


def test_the_csv_lists_the_repeated_hours_episodes_in_the_order_they_happened():
    # 01:40 BST (00:40Z), then 01:10 GMT (01:10Z): sorted on their local text, 01:10 came first.
    first, second = facts(utc(2026, 10, 25, 0, 40), id="a"), facts(utc(2026, 10, 25, 1, 10), id="b")
    listed = list(csv.DictReader(io.StringIO(table_csv([first, second], {}, "Europe/London").removeprefix("\ufeff"))))
    assert [(row["id"], row["local_time"]) for row in listed] == [("a", "01:40"), ("b", "01:10")]


def test_the_episode_table_says_which_01_30_on_the_night_the_clocks_go_back():
    # 01:30 BST (00:30Z) and 01:30 GMT (01:30Z) are two rows of 25 Oct; a day without a change has no zone.
    from report.episodes import episode_row

    rows = [episode_row(facts(utc(2026, 10, 25, 0, 30))), episode_row(facts(utc(2026, 10, 25, 1, 30)))]
    assert [(row.date, row.time) for row in rows] == [("Sun 25 Oct", "01:30 BST"), ("Sun 25 Oct", "01:30 GMT")]
    assert episode_row(facts(utc(2026, 10, 24, 8, 10))).time == "09:10"
    assert episode_row(facts(utc(2026, 3, 29, 9, 10))).time == "10:10 BST"  # the day the clocks go forward


def test_the_log_forms_minutes_ago_read_as_the_clock_did_then(web):
    # Tapped at 01:10 GMT (01:10Z), the second 01:10. An hour before is 00:10Z, which London's clocks read as 01:10
    # BST; 15 minutes before is 00:55Z, 01:55 BST; 10 minutes before is 01:00Z, 01:00 GMT.
    with time_machine.travel(utc(2026, 10, 25, 1, 11), tick=False):
        response = web.post("/log/", form_data(tapped_at="2026-10-25T01:10:00+00:00", severity=""))
    assert response.status_code == 400
    page = response.content.decode()
    labels = dict(re.findall(r'value="(now|\d+)" id="id_when_\d"[^>]*>\s*([^<]+?)\s*</label>', page))
    assert labels == {  # the choices straddle the change: each says its zone
        "now": "Just now (01:10 GMT)",
        "5": "5 min ago (01:05 GMT)",
        "10": "10 min ago (01:00 GMT)",
        "15": "15 min ago (01:55 BST)",
        "30": "30 min ago (01:40 BST)",
        "60": "1 hour ago (01:10 BST)",
    }
