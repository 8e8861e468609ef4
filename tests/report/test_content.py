"""What the report says, computed: the name, the covered period, the summary sentence, the comparison, red-flag
lines, patterns with their episodes' dates, the accompanying symptoms and clusters, and withdrawn flags left out."""

import datetime as dt
import re
import uuid
import zoneinfo

import pytest
import time_machine
from django.template.loader import render_to_string

from diary.facts import EpisodeFacts
from diary.interchange import import_diary
from insights import trends
from report import content, sections, summary
from report import episodes as tables
from report.fhir_export import fhir_bundle
from report.pdf import render_pdf, report_context
from tests.conftest import FIXTURE_VIGNETTES, load_vignette, log, make_patient
from tests.report.test_page_one import pages
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
    for day, minutes, severity in (("2026-01-05", 6, 3), ("2026-01-06", 4, 2), ("2026-01-08", 6, 3),
                                   ("2026-01-12", 8, 4), ("2026-01-13", 5, 3)):  # fmt: skip
        log(patient, started_at=at(day), duration_minutes=minutes, severity=severity, triggers=["sitting"],
            relieved_by=["walking_around"], locations=[("left", "sole")])  # fmt: skip
    return patient


def test_the_period_starts_at_the_diarys_first_entry_and_nothing_is_compared_with_before_it(sitter):
    report = content.build(sitter, dt.date(2025, 10, 1), dt.date(2026, 1, 18))
    assert (report.first, report.last) == (dt.date(2026, 1, 5), dt.date(2026, 1, 13))
    assert report.trends.weeks[0].start == dt.date(2026, 1, 5)  # charts start with the diary
    assert not report.comparison.shown
    assert report.comparison.why_not == (
        "No comparison with the 9 days before (27 Dec 2025 – 4 Jan 2026): entries on 5 days in this period "
        "(7 needed); entries on 0 days in the period before (7 needed)."
    )


def test_the_summary_sentence_is_computed_from_the_numbers(sitter):
    # Durations 6 4 6 8 5: median 6; severities 3 2 3 4 3: median 3; 5 logged days, too few for a weekly rate.
    report = content.build(sitter, dt.date(2026, 1, 5), dt.date(2026, 1, 13))
    assert report.summary == (
        "Over 9 days (5–13 Jan 2026), entries on 5 of 9 days: 5 episodes on 5 days; left leg only (all 5); "
        "most often the sole (5 of 5); typically 6 min at 3/10 (medians); usually after sitting (5 of 5); "
        "usually eased by walking around (5 of 5)."
    )


def test_an_empty_period_says_so():
    t = trends.compute([], {dt.date(2026, 1, 1): False}, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    now = dt.datetime(2026, 4, 1, tzinfo=UTC)
    text = summary.summary(period=(t.first, t.last), current=t, episodes=[], red=[], recent=None, now=now)
    assert text == "Over 90 days (1 Jan – 31 Mar 2026), entries on 1 of 90 days: no episodes."


def test_medians_of_an_even_number_of_scores_are_said_as_a_range():
    assert trends.median_words([5, 6]) == "5–6" and trends.median_severity_words([5, 6]) == "5–6/10"
    assert trends.median_words([5, 5, 6, 6]) == "5–6" and trends.median_words([2, 5, 5, 9]) == "5"
    assert trends.median_words([7]) == "7" and trends.median_words([]) == "–"
    assert summary.spread_words([5, 6, 4, 8], "min") == "median 5–6 min (range 4–8 min)"
    assert summary.spread_words([30, 95, 40], "min") == "median 40 min (range 30 min to 1 h 35 min)"
    assert summary.spread_words([20, 20, 20], "min") == "20 min in all 3"
    assert summary.spread_words([20, 20], "min") == "20 min in both" and summary.spread_words([3, 3]) == "3 in both"
    assert summary.spread_words([30, 10], "min") == "10 min and 30 min"  # two: no median, no range, the two
    assert summary.spread_words([6, 3]) == "3 and 6"


def test_a_rate_per_logged_week_needs_a_week_of_logged_days():
    assert summary.per_logged_week(9, 9) == "7.0" and summary.per_logged_week(20, 10) == "14.0"
    assert summary.per_logged_week(3, 6) == ""  # six logged days: no weekly rate


def test_recurring_accompanying_symptoms_are_named():
    def episode(i: int, symptoms: set[str]) -> EpisodeFacts:
        start = at("2026-02-02") + dt.timedelta(days=i)
        return EpisodeFacts(id=str(i), start=start, duration_minutes=10, severity=3,
                            locations=frozenset({("left", "calf")}), symptoms=frozenset(symptoms))  # fmt: skip

    episodes = [episode(i, {"back_pain"} if i % 2 else {"cramps"} if i == 4 else set()) for i in range(8)]
    t = trends.compute(episodes, {}, dt.date(2026, 2, 2), dt.date(2026, 2, 15))
    text = summary.describe("Over 2 weeks", t, episodes, at("2026-02-16"))
    assert text.endswith("; also back pain in 4 of 8.")  # cramps once: not recurring


def test_the_comparison_counts_logged_days_only(sitter):
    for day in range(14, 23):
        log(sitter, started_at=at(f"2026-01-{day}"), duration_minutes=10, severity=5, locations=[("left", "sole")])
    report = content.build(sitter, dt.date(2026, 1, 14), dt.date(2026, 1, 27))
    # 14–22 Jan: 9 episodes on 9 logged days; 31 Dec – 13 Jan: 5 on 5 logged days, too few to compare.
    assert (report.first, report.last) == (dt.date(2026, 1, 14), dt.date(2026, 1, 22))
    assert not report.comparison.shown
    assert "entries on 5 days in the period before (7 needed)" in report.comparison.why_not


def test_red_flags_carry_what_a_clinician_acts_on(patient):
    # Slurred speech at 14:20 London time, logged at 17:35: more than an hour later, so the line says when.
    start = dt.datetime(2026, 2, 3, 14, 20, tzinfo=UTC)
    with time_machine.travel(start + dt.timedelta(hours=3, minutes=15), tick=False):
        log(patient, started_at=start, duration_minutes=20, severity=8, symptoms=["speech_difficulty"],
            locations=[("right", "calf"), ("right", "shin")])  # fmt: skip
    with time_machine.travel(dt.datetime(2026, 2, 9, 7, 10, tzinfo=UTC), tick=False):
        log(patient, started_at=dt.datetime(2026, 2, 9, 7, 5, tzinfo=UTC), duration_minutes=None, severity=6,
            symptoms=["speech_difficulty", "back_pain"], locations=[("left", "sole")])  # fmt: skip
        review_patient(patient.pk, dt.date(2026, 2, 9))
        report = content.build(patient, dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    [stroke] = report.red_flags
    assert stroke.code == "emergency.stroke_signs" and stroke.level_label == "Emergency"
    assert stroke.title == "Possible stroke or TIA" and stroke.status == "open, not yet read by the patient"
    first, second = stroke.lines
    assert first.text == (
        "Tue 3 Feb 2026 14:20 GMT · right leg only: right shin, right calf · 20 min · severity 8/10 · "
        "ticked: Slurred or difficult speech (dysarthria or dysphasia) · "
        "logged Tue 3 Feb 2026 17:35 GMT, 3 h 15 min after it began · "
        "the app showed its emergency screen (call 112 now) on saving"
    )
    assert first.fired_on == "dysarthria or dysphasia"
    assert second.duration == "still going (5 min so far)" and second.logged == ""
    assert second.where == "left leg only: left sole"
    assert "back pain" in second.ticked.lower()
    assert report.summary.startswith("Red flag: emergency — possible stroke or TIA (3, 9 Feb 2026, still going).")


def test_a_stroke_sign_logged_a_day_late_was_shown_the_urgent_screen(patient):
    start = dt.datetime(2026, 2, 3, 14, 20, tzinfo=UTC)
    with time_machine.travel(start + dt.timedelta(hours=30), tick=False):
        log(patient, started_at=start, duration_minutes=20, symptoms=["facial_droop"])
        report = content.build(patient, dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    [line] = report.red_flags[0].lines
    assert line.logged == "logged Wed 4 Feb 2026 20:20 GMT, 30 h after it began"
    assert line.screen == (
        "the app showed its urgent screen (see a doctor today) on saving, as it was entered over 24 h later"
    )


def test_a_benign_diary_has_no_red_flags(sitter):
    assert content.build(sitter, dt.date(2026, 1, 1), dt.date(2026, 1, 31)).red_flags == []


def test_patterns_carry_the_dates_of_the_episodes_behind_them(db):
    vignette = load_vignette(FIXTURE_VIGNETTES / "walk-rest-calf.json")
    patient = make_patient("walker", tz="Europe/Vienna")
    import_diary(patient=patient, document=vignette["diary"])
    review_patient(patient.pk, dt.date(2026, 6, 15))
    report = content.build(patient, dt.date(2026, 3, 17), dt.date(2026, 6, 15))
    [walking] = report.patterns
    assert walking.title == "Exertional, relieved by rest (claudication pattern)"
    assert walking.dates == "20, 31 May, 13 Jun 2026"  # 26, 15 and 2 days before 15 June
    assert [c.text for c in report.clusters] == ["3 × walking → right calf (numbness) → eased by rest"]


def test_dates_are_said_once_per_month():
    from report.phrases import dates_words

    days = [dt.date(2026, 5, 20), dt.date(2026, 5, 31), dt.date(2026, 6, 13), dt.date(2027, 1, 2)]
    assert dates_words(days) == "20, 31 May, 13 Jun 2026, 2 Jan 2027"
    assert dates_words([dt.date(2026, 6, 1) + dt.timedelta(days=n) for n in range(20)]) == ("20 dates, 1–20 Jun 2026")


def test_the_accompanying_symptom_table(db):
    patient = make_patient("s", tz="Europe/London")
    log(patient, started_at=at("2026-03-02"), symptoms=["back_pain", "urinary_retention"])
    log(patient, started_at=at("2026-03-04"), symptoms=["back_pain"])
    log(patient, started_at=at("2026-03-09"))
    report = content.build(patient, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    rows = [(r.term.label, r.term.clinical, r.count, r.of, r.dates, r.term.alarm) for r in report.symptoms]
    assert rows == [
        ("Back pain", "", 2, 3, "2, 4 Mar 2026", False),
        ("Can't pee, or can't empty the bladder", "urinary retention", 1, 3, "2 Mar 2026", True),
    ]
    assert report.negatives == (
        "Alarm questions answered on 1 of 3 entries; alarm symptoms ticked on 1 (listed under red flags); "
        "no answer recorded on 2."
    )


def test_the_alarm_key_and_the_running_head_say_only_what_is_there(db):
    """The "⚠ an alarm question" key stands under a table with a ⚠ row only; a patient who gave no date of birth is
    "date of birth not given" on every page, never "born not given"."""
    patient = make_patient("t", tz="Europe/London")
    log(patient, started_at=at("2026-03-02"), symptoms=["back_pain"])
    quiet = content.build(patient, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    page = render_to_string("report/_body.html", report_context(quiet))
    assert "Back pain" in page and "an alarm question" not in page
    assert quiet.running_head == "t · date of birth not given · diary 2 Mar 2026"
    log(patient, started_at=at("2026-03-04"), symptoms=["urinary_retention"])
    alarm = content.build(patient, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    page = render_to_string("report/_body.html", report_context(alarm))
    assert "⚠ Can&#x27;t pee" in page and "⚠ an alarm question." in page


def test_withdrawn_flags_never_reach_the_report(patient):
    for day in range(2, 9):
        log(patient, started_at=at(f"2026-02-0{day}"), duration_minutes=45, relieved_by=[])
    review_patient(patient.pk, dt.date(2026, 2, 8))
    [pattern] = content.build(patient, dt.date(2026, 2, 1), dt.date(2026, 2, 28)).patterns
    assert pattern.code == "pattern.persistent"
    assert "the longest 45 minutes" in " ".join(pattern.reasons)  # never "45 minutes" as a bare number of minutes
    # Nothing was logged for what helped: the reason doesn't say that moving did not.
    assert "Episodes of 30 minutes or more not logged as eased by moving: 7 (the longest 45 minutes)." in (
        pattern.reasons
    )
    assert pattern.sign.rationale.endswith("prolonged episodes not recorded as relieved by repositioning.")
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


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        (
            (dt.date(2026, 1, 8), dt.date(2026, 1, 15)),
            "<strong>8–15 Jan 2026</strong> (8 days, entries on 2 of 8 days)</dd>",
        ),
        (
            (dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
            '<strong>8–15 Jan 2026</strong> (8 days, entries on 2 of 8 days)<span class="rp-note">; asked for '
            "1–31 Jan 2026, first entry 8 Jan 2026, last entry 15 Jan 2026</span>",
        ),
        (
            (dt.date(2026, 1, 8), dt.date(2026, 1, 20)),
            '<strong>8–15 Jan 2026</strong> (8 days, entries on 2 of 8 days)<span class="rp-note">; asked for '
            "8–20 Jan 2026, last entry 15 Jan 2026</span>",
        ),
    ],
)
def test_the_diary_period_says_why_it_is_shorter_than_the_period_asked_for(patient, asked, said):
    log(patient, started_at=at("2026-01-08"))
    log(patient, started_at=at("2026-01-15"))
    page = render_to_string("report/_body.html", report_context(content.build(patient, *asked)))
    assert f"<dt>Diary period</dt><dd>{said}" in page


def test_the_generation_time_is_in_the_patients_zone(db):
    patient = make_patient("chi", tz="America/Chicago")
    log(patient, started_at=at("2026-01-08"))
    report = content.build(patient, dt.date(2026, 1, 1), dt.date(2026, 1, 31), now=at("2026-02-02", 15))
    assert report.generated == "Mon 2 Feb 2026 09:00 CST (America/Chicago)"
    assert report.generated_at.tzinfo == zoneinfo.ZoneInfo("America/Chicago")


def test_a_section_from_an_app_lands_on_page_one_and_later(db, monkeypatch):
    """The place treatments (DESIGN §8) and the MNSI (§9) take: page one's sections after the key numbers."""
    patient = make_patient("sec")
    log(patient, started_at=at("2026-01-08"))

    def provider(who, first, last, today):
        assert who == patient and today == dt.date(2026, 2, 1)  # the patient's date when it is built
        return [
            sections.Section(
                "treatments",
                "Current treatments and changes",
                "report/_section_lines.html",
                {"lines": ["Pregabalin 75 mg twice a day since 2 Jan 2026"]},
                page_one=True,
            ),  # fmt: skip
            sections.Section("mnsi", "MNSI history", "report/_section_lines.html", {"lines": ["Score 5 of 13"]}),
        ]

    monkeypatch.setattr(sections, "PROVIDERS", [provider])
    report = content.build(patient, dt.date(2026, 1, 1), dt.date(2026, 1, 31), now=at("2026-02-01"))
    assert [s.key for s in report.page_one_sections] == ["treatments"]
    first, *rest = pages(render_pdf(report))
    assert first.index("Key numbers") < first.index("Current treatments and changes") < first.index("Patterns flagged")
    assert "Pregabalin 75 mg twice a day since 2 Jan 2026" in first
    assert "Score 5 of 13" in " ".join(rest) and "Score 5 of 13" not in first


def facts(*places: tuple[str, str]) -> EpisodeFacts:
    return EpisodeFacts(id=str(places), start=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), duration_minutes=5,
                        severity=3, locations=frozenset(places))  # fmt: skip


def test_places_that_tie_are_said_as_a_tie():
    """Three episodes in the toes and three in the sole are not "the toes (3 of 6), then the sole (3)"."""
    L, R = "left", "right"
    six = [facts((L, "toes")), facts((R, "toes")), facts((L, "toes"), (R, "ankle")),
           facts((L, "sole")), facts((R, "sole")), facts((L, "sole"), (R, "heel"))]  # fmt: skip
    assert summary.regions_words(six) == "the toes and the sole (3 of 6 each)"
    twelve = [facts((L, "sole"))] * 5 + [facts((L, "sole"), (L, "heel"))] * 2 + [facts((L, "sole"), (L, "calf"))] * 2
    twelve += [facts((L, "heel"), (L, "calf"))] * 2 + [facts((R, "knee"))]
    assert summary.regions_words(twelve) == "the sole (9 of 12), then the heel and the calf (4 each)"
    assert (
        summary.regions_words([facts((L, "sole"))] * 2 + [facts((L, "toes"))]) == "the sole (2 of 3), then the toes (1)"
    )
    four = [facts((L, r)) for r in ("toes", "sole", "heel", "ankle")]
    assert summary.regions_words(four) == "the toes, the sole, the heel and 1 other (1 of 4 each)"


def test_a_flag_raised_after_the_period_about_an_entry_in_it_is_reported(db):
    """November's entries, reviewed on 6 December (a report of a past month, entries logged late): the flags they
    raised belong to November's report; a flag about an entry after the period does not."""
    patient = make_patient("nov", tz="Europe/London")
    for day in range(16, 30):
        if day != 27:
            log(patient, started_at=at(f"2026-11-{day:02d}"), duration_minutes=10, locations=[("left", "sole")])
    log(patient, started_at=at("2026-11-27"), duration_minutes=120, symptoms=["bladder_bowel_control", "back_pain"],
        locations=[("left", "sole"), ("left", "saddle"), ("right", "saddle")])  # fmt: skip
    with time_machine.travel(dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC), tick=False):
        review_patient(patient.pk, dt.date(2026, 12, 6))
    raised = {f.code: f for f in Flag.objects.filter(patient=patient)}
    assert raised["pattern.persistent"].first_seen == dt.date(2026, 12, 6)  # after the period
    november = content.build(patient, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert "pattern.persistent" in [p.code for p in november.patterns]
    early = content.flags_in_period(patient, dt.date(2026, 11, 1), dt.date(2026, 11, 20), entries=["no-such-episode"])
    assert early == []


def test_with_a_pattern_open_the_whole_periods_sentence_still_names_what_recurs():
    """Eight left-sole episodes, 1–22 Nov; back pain with the first four (1–4 Nov), none in the last 14 days
    (9–22 Nov): the whole period's few words still say "back pain in 4 of 8"."""
    first, last = dt.date(2026, 11, 1), dt.date(2026, 11, 22)
    days = [1, 2, 3, 4, 12, 15, 18, 21]
    episodes = [
        EpisodeFacts(id=str(d), start=dt.datetime(2026, 11, d, 9, tzinfo=UTC), duration_minutes=10, severity=4,
                     locations=frozenset({("left", "sole")}), symptoms=frozenset({"back_pain"} if d <= 4 else set()))
        for d in days
    ]  # fmt: skip
    current = trends.compute(episodes, {}, first, last)
    recent = trends.compute([e for e in episodes if e.day >= dt.date(2026, 11, 9)], {}, dt.date(2026, 11, 9), last)
    said = summary.summary(period=(first, last), current=current, episodes=episodes, red=[], recent=recent,
                           now=dt.datetime(2026, 11, 23, tzinfo=UTC))  # fmt: skip
    recent_part, whole_part = said.split(" Over ")
    assert (
        recent_part.startswith("In the last 14 days (9–22 Nov 2026), as a pattern is flagged")
        and "back" not in recent_part
    )
    assert (
        whole_part
        == "22 days (1–22 Nov 2026), entries on 8 of 22 days: 8 episodes, left leg only (all 8); also back pain in 4 "
        "of 8."
    )


def test_an_episode_still_going_is_said_beside_the_typical_ones():
    """Four finished left-sole episodes (10, 20, 30, 40 min) and a calf episode still going since 20:00 yesterday:
    the medians are of the finished four, and the one still going is named, with how long so far."""
    first, last = dt.date(2026, 12, 1), dt.date(2026, 12, 6)
    london = zoneinfo.ZoneInfo("Europe/London")
    finished = [
        EpisodeFacts(id=str(d), start=dt.datetime(2026, 12, d, 9, tzinfo=london), duration_minutes=10 * d,
                     severity=4, locations=frozenset({("left", "sole")}))
        for d in (1, 2, 3, 4)
    ]  # fmt: skip
    going = EpisodeFacts(id="going", start=dt.datetime(2026, 12, 5, 20, tzinfo=london), duration_minutes=None,
                         severity=5, locations=frozenset({("left", "calf")}))  # fmt: skip
    episodes = [*finished, going]
    said = summary.describe("Over 6 days", trends.compute(episodes, {}, first, last), episodes,
                            dt.datetime(2026, 12, 6, 4, 23, tzinfo=london))  # fmt: skip
    assert (
        "typically 20–30 min at 4/10 (medians); 1 still going, since Sat 5 Dec 2026 20:00 GMT (8 h 23 min so far)"
        in said
    )


def test_the_typical_severity_leaves_out_an_episode_still_going():
    """Four finished left-sole episodes of 10 min at 2, 2, 3 and 3/10, and one still going at 9/10: the typical
    ones are 10 min at 2–3/10 (the median of the four), not 3/10 (the median of all five, the one still going
    counted); the one still going is named beside them with its own severity left to the key numbers."""
    first, last = dt.date(2026, 3, 1), dt.date(2026, 3, 28)
    london = zoneinfo.ZoneInfo("Europe/London")
    episodes = [
        EpisodeFacts(id=str(d), start=dt.datetime(2026, 3, d, 9, tzinfo=london), duration_minutes=10,
                     severity=severity, locations=frozenset({("left", "sole")}))
        for d, severity in ((1, 2), (2, 2), (3, 3), (4, 3))
    ]  # fmt: skip
    going = EpisodeFacts(id="going", start=dt.datetime(2026, 3, 5, 9, tzinfo=london), duration_minutes=None,
                         severity=9, locations=frozenset({("left", "sole")}))  # fmt: skip
    episodes.append(going)
    said = summary.describe("Over 4 weeks", trends.compute(episodes, {}, first, last), episodes,
                            dt.datetime(2026, 3, 5, 11, tzinfo=london))  # fmt: skip
    assert "typically 10 min at 2–3/10 (medians); 1 still going, since Thu 5 Mar 2026 09:00 GMT (2 h so far)" in said


def test_a_cluster_on_one_leg_and_on_both_never_says_either_side():
    """Nine episodes in the left shin alone and three in both shins, each after standing and passing by itself: the
    shin was never numb on the right alone, so the cluster is not "shin (either side)" but "shin (left only or both
    sides)"; left alone and right alone is "either side"."""
    L, R = "left", "right"

    def standing(i: int, *places: tuple[str, str]) -> EpisodeFacts:
        return EpisodeFacts(id=str(i), start=at("2026-04-01") + dt.timedelta(days=i), duration_minutes=10,
                            severity=3, locations=frozenset(places), triggers=frozenset({"standing"}),
                            relieved_by=frozenset({"by_itself"}))  # fmt: skip

    mostly_left = [standing(i, (L, "shin")) for i in range(9)]
    mostly_left += [standing(9 + i, (L, "shin"), (R, "shin")) for i in range(3)]
    assert [c.text for c in tables.clusters(mostly_left)] == [
        "12 × standing → shin (left only or both sides) → passed by itself"
    ]
    alternating = [standing(i, (L if i % 2 else R, "shin")) for i in range(4)]
    assert [c.text for c in tables.clusters(alternating)] == ["4 × standing → shin (either side) → passed by itself"]


def test_an_episode_carried_over_the_night_the_clocks_go_forward_is_counted_on_the_clock():
    """From 23:30 GMT on Sat 28 Mar 2026 for 24 hours: to 00:30 BST on Mon 30 Mar, the clocks having gone forward on
    the 29th. It was numb in a period that begins on the 30th: the 24 hours looked back are the clock's, not the
    wall's (00:00 on the 29th, which would leave it out)."""
    london = zoneinfo.ZoneInfo("Europe/London")
    start = dt.datetime(2026, 3, 28, 23, 30, tzinfo=london)
    night = EpisodeFacts(id="n", start=start, duration_minutes=24 * 60, severity=3,
                         locations=frozenset({("left", "sole")}))  # fmt: skip
    now = dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)
    assert content.carried_into([night], dt.date(2026, 3, 30), london, now) == [night]
    assert content.carried_into([night], dt.date(2026, 3, 31), london, now) == []


def test_an_emergency_still_going_from_the_day_before_the_period_is_its_red_flag(db):
    """Saddle numbness with loss of bladder control began on Mon 1 Jun 2026 at 22:00 BST, logged at once, still going;
    another episode began at 23:30 and lasted an hour, past midnight. A report of 2–15 Jun made on 3 Jun at 10:00:
    both were numb in the period, so the cauda equina sign is its red flag, each line saying it began before the
    period; the summary opens with it, and nothing says "No red flags". An episode over by the evening of 1 Jun is not
    carried into the period; nor is a 23:00 one whose duration nobody knows, nor one left "still going" since 30 May
    (an episode lasts 24 h at most). The counts keep to 2–15 Jun: no episode."""
    london = zoneinfo.ZoneInfo("Europe/London")
    patient = make_patient("ida", tz="Europe/London")
    on_1_june = dt.datetime(2026, 6, 1, 22, 0, tzinfo=london)
    with time_machine.travel(on_1_june - dt.timedelta(days=2), tick=False):
        log(patient, started_at=on_1_june - dt.timedelta(days=2, minutes=5), duration_minutes=None,
            symptoms=["bladder_bowel_control"], locations=[("right", "saddle")])  # never ended  # fmt: skip
    with time_machine.travel(on_1_june + dt.timedelta(minutes=2), tick=False):
        log(patient, started_at=on_1_june - dt.timedelta(hours=12), duration_minutes=20, severity=4,
            symptoms=["bladder_bowel_control"], locations=[("left", "saddle")])  # 10:00, over by 10:20  # fmt: skip
        log(patient, started_at=on_1_june, duration_minutes=None, severity=7, symptoms=["bladder_bowel_control"],
            locations=[("left", "saddle"), ("right", "saddle")])  # fmt: skip
    with time_machine.travel(on_1_june + dt.timedelta(hours=1, minutes=35), tick=False):
        log(patient, started_at=on_1_june + dt.timedelta(hours=1, minutes=30), duration_minutes=60, severity=5,
            symptoms=["bladder_bowel_control"], locations=[("right", "saddle")])  # fmt: skip
        unknown = log(patient, started_at=on_1_june + dt.timedelta(hours=1), duration_minutes=None,
                      symptoms=["bladder_bowel_control"], locations=[("left", "saddle")])  # fmt: skip
        unknown.duration_unknown = True
        unknown.save(update_fields=["duration_unknown"])
    with time_machine.travel(dt.datetime(2026, 6, 3, 10, 0, tzinfo=london), tick=False):
        report = content.build(patient, dt.date(2026, 6, 2), dt.date(2026, 6, 15))
        one_day = content.build(patient, dt.date(2026, 6, 2), dt.date(2026, 6, 2))  # the shortest period: the same
    assert [len(r.lines) for r in one_day.red_flags] == [2]
    [spine] = report.red_flags
    assert spine.code == "emergency.spinal_cord"
    assert [line.when for line in spine.lines] == ["Mon 1 Jun 2026 22:00 BST", "Mon 1 Jun 2026 23:30 BST"]
    first, second = spine.lines
    assert first.text.startswith("Mon 1 Jun 2026 22:00 BST · began before this period · saddle (perineal) area")
    assert first.duration == "still going (36 h so far)"
    assert second.duration == "1 h" and second.before == "began before this period"
    assert report.summary.startswith("Red flag: emergency — ")
    assert "(1 Jun 2026, began before this period, still going). Details below." in report.summary
    assert report.episodes == [] and report.rows == []
    first_page = pages(render_pdf(report))[0]
    assert "No red flags" not in first_page and "began before this period" in first_page


def test_an_entry_from_an_imported_file_is_not_said_to_be_logged_late_nor_warned_on_saving(db):
    """A backup from another phone holds slurred speech on Tue 10 Nov 2026 at 09:00 (London); it is imported on Fri
    13 Nov at 10:00. When the patient logged it is not known and the import showed no warning screen, so its red-flag
    line says neither "logged 13 Nov …, 3 days after it began" nor "the app showed its … screen", but that it came
    in an imported file. Saddle numbness logged in the app at once on 11 Nov and then changed by the same file keeps
    its on-time logging (no "logged" part); which screen its first save showed is not said of a version the file
    wrote: it was last changed by the file. Edited in the app on 14 Nov, the speech entry was then saved with the
    urgent screen (entered over 24 h later), as any edit is."""
    from diary import services
    from diary.interchange import export_diary

    london = zoneinfo.ZoneInfo("Europe/London")
    patient = make_patient("lena", tz="Europe/London")
    with time_machine.travel(dt.datetime(2026, 11, 11, 8, 5, tzinfo=london), tick=False):
        saddle = str(log(patient, started_at=dt.datetime(2026, 11, 11, 8, 0, tzinfo=london), duration_minutes=20,
                         symptoms=["saddle_numbness"], locations=[("left", "saddle")]).id)  # fmt: skip
    backup = export_diary(patient)
    backup["episodes"][0]["notes"] = "Written on my old phone"
    speech = str(uuid.uuid4())
    backup["episodes"].append(
        {"id": speech, "started_at": "2026-11-10T09:00:00Z", "duration_minutes": 15, "ongoing": False, "severity": 5,
         "locations": [{"side": "left", "region": "calf"}], "sensations": ["numbness"], "triggers": [],
         "symptoms": ["speech_difficulty"], "relieved_by": [], "alarm_answered": True, "notes": ""}
    )  # fmt: skip
    with time_machine.travel(dt.datetime(2026, 11, 13, 10, 0, tzinfo=london), tick=False):
        import_diary(patient=patient, document=backup)
        report = content.build(patient, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    lines = {red.code: red.lines for red in report.red_flags}
    [speech_line], [saddle_line] = lines["emergency.stroke_signs"], lines["emergency.spinal_cord"]
    at = "an imported file Fri 13 Nov 2026 10:00 GMT"
    assert (speech_line.logged, speech_line.screen) == ("", f"came in {at}")
    # Logged in the app at once, which showed its screen then; what the file changed was saved without one.
    assert (saddle_line.logged, saddle_line.screen) == ("", f"last changed by {at}")
    assert "logged" not in speech_line.text and "showed" not in speech_line.text + saddle_line.text
    resources = [entry["resource"] for entry in fhir_bundle(report)["entry"]]
    observations = {r["identifier"][0]["value"]: r for r in resources if r["resourceType"] == "Observation"}
    assert "issued" not in observations[speech]  # when it was logged is not known
    assert observations[saddle]["issued"] == "2026-11-11T08:05:00Z"

    with time_machine.travel(dt.datetime(2026, 11, 14, 9, 0, tzinfo=london), tick=False):
        services.save_episode(patient=patient, episode_id=uuid.UUID(speech), started_at=dt.datetime(2026, 11, 10, 9, 0,
                              tzinfo=dt.UTC), duration_minutes=15, severity=6, locations=[("left", "calf")],
                              symptoms=["speech_difficulty"])  # fmt: skip
        red = content.build(patient, dt.date(2026, 11, 1), dt.date(2026, 11, 30)).red_flags
    [speech_line] = next(r.lines for r in red if r.code == "emergency.stroke_signs")
    assert speech_line.logged == ""  # still not known
    assert speech_line.screen == (
        "the app showed its urgent screen (see a doctor today) on saving, as it was entered over 24 h later"
    )


def test_a_typical_duration_is_said_only_when_most_finished_episodes_have_one():
    """Eight finished left-sole episodes at 3/10, two of 5 min and six nobody knows how long: the median duration
    rests on two of eight, so "typically" says the score alone. With five of the eight known it says both."""
    london = zoneinfo.ZoneInfo("Europe/London")
    first, last = dt.date(2026, 3, 1), dt.date(2026, 3, 28)
    now = dt.datetime(2026, 3, 28, 12, tzinfo=london)

    def ep(d: int, minutes: int | None) -> EpisodeFacts:
        start = dt.datetime(2026, 3, d, 9, tzinfo=london)
        sole = frozenset({("left", "sole")})
        return EpisodeFacts(str(d), start, minutes, 3, sole, duration_unknown=minutes is None)

    few_known = [ep(1, 5), ep(2, 5)] + [ep(d, None) for d in range(3, 9)]
    said = summary.describe("Over 4 weeks", trends.compute(few_known, {}, first, last), few_known, now)
    assert "typically 3/10 (median)" in said and "min at" not in said
    most_known = [ep(d, 5) for d in range(1, 6)] + [ep(d, None) for d in range(6, 9)]
    said = summary.describe("Over 4 weeks", trends.compute(most_known, {}, first, last), most_known, now)
    assert "typically 5 min at 3/10 (medians)" in said
