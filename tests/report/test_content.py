"""What page 1 says, computed: the name, the covered period, the summary sentence, key numbers and
their comparison, red flags with their episodes, patterns, and withdrawn flags left out."""

import datetime as dt
import re

import pytest
import time_machine

from diary.facts import EpisodeFacts
from insights import trends
from report import content
from report.pdf import report_context
from tests.conftest import log, make_patient
from triage.models import WITHDRAWN, Flag
from triage.review import review_patient

UTC = dt.UTC


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def test_the_name_prefers_the_profile_display_name_then_first_and_last_name_then_username(db):
    patient = make_patient("pn")
    profile = patient.profile
    assert content.patient_name(patient, profile) == "pn"
    patient.first_name, patient.last_name = "Petra", "Novak"
    assert content.patient_name(patient, profile) == "Petra Novak"
    profile.display_name = "  "
    assert content.patient_name(patient, profile) == "Petra Novak"
    profile.display_name = "Dr P. Novak"
    assert content.patient_name(patient, profile) == "Dr P. Novak"


@pytest.fixture
def sitter(patient):
    """Five short left-sole episodes after sitting, eased by moving, from 5 Jan 2026 (the diary's start)."""
    for day in ("2026-01-05", "2026-01-06", "2026-01-08", "2026-01-12", "2026-01-13"):
        log(patient, started_at=at(day), duration_minutes=6, severity=3, triggers=["sitting"],
            relieved_by=["walking_around"], locations=[("left", "sole")])  # fmt: skip
    return patient


def test_the_period_starts_at_the_diarys_first_entry_and_nothing_is_compared_with_before_it(sitter):
    report = content.build(sitter, dt.date(2025, 10, 1), dt.date(2026, 1, 18))
    assert (report.first, report.last) == (dt.date(2026, 1, 5), dt.date(2026, 1, 13))
    assert report.trends.weeks[0].start == dt.date(2026, 1, 5)  # charts start with the diary
    assert not report.previous_has_data
    assert [n.change for n in report.key_numbers] == ["", "", "", ""]
    assert report.key_numbers[0].value == "5"


def test_the_summary_sentence_is_computed_from_the_numbers(sitter):
    report = content.build(sitter, dt.date(2026, 1, 5), dt.date(2026, 1, 13))
    assert report.summary == (
        "Over 9 days: 5 episodes on 5 of 5 logged days, mostly the left sole, typically 6 minutes at 3/10, "
        "usually after sitting, eased by walking around."
    )


def test_an_empty_period_says_so():
    trends_ = trends.compute([], {dt.date(2026, 1, 1): False}, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert content.summary(trends_, []) == "Over 13 weeks: no episodes on 1 logged day."


def test_the_summary_names_both_legs_and_the_most_common_trigger_when_no_place_dominates():
    def episode(i: int, places, trigger: str) -> EpisodeFacts:
        return EpisodeFacts(id=str(i), start=at("2026-02-02") + dt.timedelta(days=i), duration_minutes=10,
                            severity=5, locations=frozenset(places), triggers=frozenset({trigger}),
                            relieved_by=frozenset({"by_itself"}))  # fmt: skip

    episodes = [
        episode(0, {("left", "toes"), ("right", "toes")}, "walking"),
        episode(1, {("left", "calf"), ("right", "calf")}, "walking"),
        episode(2, {("left", "knee"), ("right", "knee")}, "lying"),
    ]
    trends_ = trends.compute(episodes, {}, dt.date(2026, 2, 2), dt.date(2026, 2, 8))
    assert content.summary(trends_, episodes) == (
        "Over 7 days: 3 episodes on 3 of 3 logged days, mostly both legs, typically 10 minutes at 5/10, "
        "usually after walking, eased by passing by itself."
    )


def test_key_numbers_compare_only_with_a_previous_period_that_has_data(sitter):
    log(sitter, started_at=at("2026-01-20"), duration_minutes=20, severity=7)
    log(sitter, started_at=at("2026-01-21"), duration_minutes=30, severity=8)
    report = content.build(sitter, dt.date(2026, 1, 14), dt.date(2026, 1, 21))
    assert report.previous == (dt.date(2026, 1, 6), dt.date(2026, 1, 13))
    assert report.previous_has_data
    numbers = {n.label: n for n in report.key_numbers}
    assert numbers["Episodes"].value == "2" and numbers["Episodes"].change == "−2 vs previous 8 days"
    assert numbers["Days with numbness"].change == "previous: 4 of 4"
    assert numbers["Median duration"].value == "25 min"
    assert numbers["Median duration"].change == "+19 min vs previous 8 days"
    assert numbers["Severity (0–10)"].value == "mean 7.5, median 7.5, range 7–8"


def test_red_flags_carry_each_episodes_date_and_time(patient):
    for started, symptoms in (
        (dt.datetime(2026, 2, 3, 14, 20, tzinfo=UTC), ["speech_difficulty"]),
        (dt.datetime(2026, 2, 9, 7, 5, tzinfo=UTC), ["speech_difficulty"]),
        (dt.datetime(2026, 2, 10, 7, 5, tzinfo=UTC), []),
    ):
        with time_machine.travel(started + dt.timedelta(minutes=30), tick=False):  # logged on time
            log(patient, started_at=started, symptoms=symptoms)
    review_patient(patient.pk, dt.date(2026, 2, 10))
    report = content.build(patient, dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    [stroke] = report.red_flags
    assert stroke.sign.code == "emergency.stroke_signs" and stroke.level_label == "Emergency"
    assert [ep.when for ep in stroke.episodes] == ["Tue 03 Feb 2026 14:20", "Mon 09 Feb 2026 07:05"]
    assert stroke.episodes[0].matched == "Slurred or difficult speech"
    assert stroke.status == "open, not yet read by the patient"


def test_a_benign_diary_has_no_red_flags(sitter):
    assert content.build(sitter, dt.date(2026, 1, 1), dt.date(2026, 1, 31)).red_flags == []


def test_withdrawn_flags_never_reach_the_report(patient):
    for day in range(2, 9):
        log(patient, started_at=at(f"2026-02-0{day}"), duration_minutes=45, relieved_by=[])
    review_patient(patient.pk, dt.date(2026, 2, 8))
    [pattern] = content.build(patient, dt.date(2026, 2, 1), dt.date(2026, 2, 28)).patterns
    assert pattern.sign.code == "pattern.persistent"
    Flag.objects.filter(patient=patient).update(status="resolved", resolution=WITHDRAWN)
    assert content.build(patient, dt.date(2026, 2, 1), dt.date(2026, 2, 28)).patterns == []
    Flag.objects.filter(patient=patient).update(resolution="")
    [pattern] = content.build(patient, dt.date(2026, 2, 1), dt.date(2026, 2, 28)).patterns
    assert pattern.sources and all(not s[:3].isdigit() for s in pattern.sources)  # titles, not ids


def test_charts_start_at_the_diarys_first_entry_not_at_the_start_of_the_period_asked_for(patient):
    log(patient, started_at=at("2026-01-08"))  # a Thursday
    log(patient, started_at=at("2026-01-15"))
    report = content.build(patient, dt.date(2025, 1, 19), dt.date(2026, 1, 18))  # a year asked for
    charts = report_context(report)["charts"]
    assert len(report.trends.weeks) == 2
    for chart in (charts["frequency"], charts["severity"]):
        labels = re.findall(r'text-anchor="middle"[^>]*>(\d\d \w\w\w)</text>', chart)
        assert labels == ["08 Jan", "12 Jan"]
