"""Page 1 of the PDF, read back with pypdf, for diaries whose right answer was worked out by hand
(tests/fixtures/diaries): laterality in words, a tie said as a tie, nothing "typical" below 5 episodes, no
half-point medians, an ongoing red flag said to be still going with its side, no comparison against too few
logged days, and every page carrying the patient's name, date of birth, period and page number.

Each story's entries are logged through the API at the moment `logged`, in its own zone (its profile and check-ins
imported), reviewed as of 15 June 2026 and reported for the 90 days up to it at 09:49 in the patient's zone, unless a
test asks for another period.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zoneinfo
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import transaction
from pypdf import PdfReader
from rest_framework.test import APIClient

from diary.interchange import import_diary
from report import content
from report.content import Report
from report.pdf import render_pdf, report_context
from tests.conftest import REPO, VIGNETTES, load_vignette, make_patient, vignette_id
from triage.models import Flag
from triage.review import review_patient
from triage.signs import CATALOGUE, SEE_DOCTOR

DIARIES = REPO / "tests" / "fixtures" / "diaries"
REVIEW = dt.date(2026, 6, 15)
BORN = dt.date(1958, 11, 3)


@dataclass
class Story:
    pages: list[str]
    report: Report
    flags: list[str]

    @property
    def first(self) -> str:
        return self.pages[0]

    @property
    def summary(self) -> str:
        return " ".join(self.report.summary.split())


def pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def has(text: str, part: str) -> bool:
    """`part` is in the text, spaces aside: pypdf splits a word where the font kerns two letters ('T oes')."""
    return "".join(part.split()) in "".join(text.split())


def at(zone: str, day: dt.date, time: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(time), tzinfo=zoneinfo.ZoneInfo(zone))


def tell(name: str, *, logged: str = "09:49", now: str = "09:49", days: int = 90) -> Story:
    """Log the story's entries in the app when the patient logged them, review it, and make the PDF at `now` on the
    review date. (An entry that came in an imported file is said to have: no "logged" time, no warning screen.)"""
    vignette = load_vignette(DIARIES / f"{name}.json")
    diary = vignette["diary"]
    zone = diary["profile"]["timezone"]
    with time_machine.travel(at(zone, REVIEW, logged), tick=False):
        patient = make_patient(name[:30], tz=zone, date_of_birth=BORN)
        patient.first_name, patient.last_name = "Ada", name.title().replace("-", "")[:20]
        patient.save()
        import_diary(patient=patient, document=diary | {"episodes": []})  # the profile and the check-ins
        client = APIClient()
        client.force_authenticate(patient)
        for episode in diary["episodes"]:
            saved = client.put(f"/api/v1/episodes/{episode['id']}/", episode, format="json")
            assert saved.status_code in (200, 201), saved.content
    with time_machine.travel(at(zone, REVIEW, now), tick=False):
        review_patient(patient.pk, REVIEW)
        report = content.build(patient, REVIEW - dt.timedelta(days=days - 1), REVIEW)
    opened = sorted(Flag.objects.filter(patient=patient, status="open").values_list("code", flat=True))
    assert opened == sorted(vignette["expect"]["flags"]), name  # the story is what it says it is
    return Story(pages(render_pdf(report)), report, opened)


STORIES: dict[str, dict[str, Any]] = {
    "one-sided-left-foot": {},
    "both-big-toes": {},
    "sides-alternating": {},
    "mostly-left-some-both": {},
    "few-entries": {},
    "gap-then-return": {},
    "saddle-and-weak-legs-still-going": {"logged": "07:35"},
}


@pytest.fixture(scope="module")
def told(django_db_setup, django_db_blocker) -> dict[str, Story]:
    """Every story's PDF, made once for the tests that read it, in a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        stories = {name: tell(name, **options) for name, options in STORIES.items()}
        transaction.set_rollback(True)
    return stories


def key_number(story: Story, label: str) -> str:
    return next(n.value for n in story.report.key_numbers if n.label.startswith(label))


# --- Laterality in words (DESIGN §10) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("one-sided-left-foot", "left leg only (all 6)"),  # 6 episodes, every one in the left foot
        ("both-big-toes", "both legs in all 10"),  # both big toes each time: never "mostly the left toes"
        ("sides-alternating", "alternating: left only 4, right only 4"),  # L R L R L R L R: a tie
        ("mostly-left-some-both", "mostly left (9 of 12), both 3"),  # 9 of 12 is more than half
        ("few-entries", "alternating: left only 2, right only 2"),
    ],
)
def test_laterality_is_said_in_words_on_page_one(told, name, words):
    story = told[name]
    assert key_number(story, "Sides") == words
    assert f"Sides {words}" in story.first
    if story.report.recent is None:  # the summary describes the whole period in these words
        assert words in story.summary


def test_a_tie_is_said_as_a_tie_never_mostly(told):
    for name in ("sides-alternating", "few-entries"):
        story = told[name]
        sides = key_number(story, "Sides")
        assert "mostly" not in sides and sides.startswith("alternating: ")
        whole = story.summary.split("Over ")[-1]  # the sentence about the whole period
        assert "alternating: left only" in whole and "mostly" not in whole


def test_symmetric_toes_are_the_toes_of_both_legs(told):
    story = told["both-big-toes"]
    assert "most often the toes (10 of 10)" in story.summary
    assert "left toes" not in story.summary and "mostly" not in story.summary


# --- The summary sentence ---------------------------------------------------------------------------------------


def test_below_five_episodes_each_is_listed_and_nothing_is_typical(told):
    story = told["few-entries"]
    assert len(story.report.episodes) == 4
    assert "typically" not in story.first and "usually" not in story.first
    assert "4 episodes (alternating: left only 2, right only 2), too few to call anything typical:" in story.summary
    for when in ("Tue 26 May 2026 08:00 JST", "Sun 31 May 2026 08:00 JST", "Sat 6 Jun 2026 08:00 JST",
                 "Fri 12 Jun 2026 08:00 JST"):  # fmt: skip
        assert when in story.summary


def test_from_five_episodes_the_summary_generalises_with_its_numbers(told):
    # Durations 5 6 4 8 5 7: the middle two are 5 and 6; severities 2 3 3 4 3 2: median 3.
    story = told["one-sided-left-foot"]
    assert story.summary == (
        "Over 11 days (3–13 Jun 2026), entries on 6 of 11 days: 6 episodes on 6 days; left leg only (all 6); "
        "most often the sole (5 of 6), then the toes (3); typically 5–6 min at 3/10 (medians); "
        "usually after sitting (6 of 6); usually eased by changing position (6 of 6)."
    )
    assert story.summary in story.first


def test_medians_of_the_score_are_whole_numbers_or_a_range(told):
    # Severities 4 5 4 5 4 5 4 5: the median falls between 4 and 5, said as "4–5", never "4.5".
    story = told["sides-alternating"]
    assert key_number(story, "Severity") == "median 4–5 (range 4–5)"
    for name, s in told.items():
        assert not re.search(r"\b\d+\.5(/10| min)", s.first), name
        assert not re.search(r"median \d+\.\d", s.first), name


def test_an_open_pattern_flag_makes_the_summary_describe_the_last_14_days_and_say_so(told):
    story = told["sides-alternating"]
    assert story.flags == ["pattern.radicular"]
    assert story.summary.startswith(
        "In the last 14 days (2–15 Jun 2026), as a pattern is flagged, entries on 3 of 14 days: 3 episodes "
        "(mostly right (2 of 3), left only 1), too few to call anything typical: Wed 3 Jun 2026 18:00 CEST"
    )
    assert "Over 24 days (19 May – 11 Jun 2026), entries on 8 of 24 days: 8 episodes" in story.summary
    quiet = told["one-sided-left-foot"]
    assert quiet.flags == [] and quiet.summary.startswith("Over ")


# --- Red flags --------------------------------------------------------------------------------------------------


def test_the_red_flag_line_of_an_ongoing_episode_says_so_and_names_the_side(told):
    story = told["saddle-and-weak-legs-still-going"]
    assert story.summary.startswith(
        "Red flag: emergency — possible cauda equina syndrome or cord compression (15 Jun 2026, still going)."
    )
    red = story.first[story.first.index("Red flags") : story.first.index("Key numbers")]
    assert "EMERGENCY Possible cauda equina syndrome or cord compression" in red
    assert "Mon 15 Jun 2026 07:30 CDT" in red  # local date, time and zone
    assert "both legs: back of thigh on both sides; saddle (perineal) area on both sides" in red
    assert "still going (2 h 19 min so far)" in red  # 07:30 to the report at 09:49
    assert "severity 7/10" in red
    assert "Can't pee, or can't empty the bladder (urinary retention)" in red
    assert "the app showed its emergency screen (call 112 now) on saving" in red
    assert "logged " not in red  # logged five minutes after it began: not worth a word


def test_flagged_episodes_are_marked_in_the_episode_table(told):
    story = told["saddle-and-weak-legs-still-going"]
    [row] = story.report.rows
    assert row.mark == "E" and row.text.startswith("E Mon 15 Jun 07:30 still")
    table = " ".join(story.pages[story.pages.index(next(p for p in story.pages if "All episodes (1)" in p)) :])
    assert "E Mon 15 Jun 07:30" in table
    assert all(row.mark == "" for row in told["one-sided-left-foot"].report.rows)


def test_no_red_flags_says_so_with_the_pertinent_negatives(told):
    story = told["one-sided-left-foot"]
    assert "No red flags: no entry in this period matched an emergency or urgent sign." in story.first
    assert "Alarm questions answered on 6 of 6 entries, none ticked." in story.first
    assert "Alarm questions: no answer recorded on any of the 10 entries." in told["both-big-toes"].first


# --- Logged days and comparisons --------------------------------------------------------------------------------


def test_logged_days_are_counted_honestly(told):
    # 11 days in April, nothing for 39 days, then 10 days in June: 21 of the 60 days from the first entry.
    story = told["gap-then-return"]
    assert "entries on 21 of 60 days" in story.first
    assert key_number(story, "Entries") == "on 21 of 60 days"
    severity = report_context(story.report)["charts"]["severity"]
    assert severity.count('<polyline class="median"') == 2  # broken over the five weeks without episodes
    frequency = report_context(story.report)["charts"]["frequency"]
    assert "(part week: 4 of 7 days)" in frequency  # Thu 16 – Sun 19 Apr, the diary's first week


def test_no_comparison_when_the_earlier_period_has_fewer_than_7_logged_days(db):
    story = tell("gap-then-return", days=14)  # 2–15 Jun against 20 May – 1 Jun, when nothing was logged
    assert not story.report.comparison.shown
    assert (
        "No comparison with the 13 days before (20 May – 1 Jun 2026): entries on 0 days in the period before "
        "(7 needed)." in story.first
    )
    assert "per logged week: " not in story.first


def test_a_comparison_counts_logged_days_only_with_the_numbers_behind_it(db):
    # 17 May – 14 Jun: 20 episodes on 10 logged days, 14.0 a logged week; 18 Apr – 16 May: 9 on 9, 7.0.
    story = tell("gap-then-return", days=30)
    comparison = story.report.comparison
    assert comparison.shown
    assert "Compared with the 29 days before (18 Apr – 16 May 2026), counting logged days only:" in story.first
    assert comparison.lines == [
        "Episodes per logged week: 14.0 (20 on 10 logged days) against 7.0 (9 on 9 logged days)",
        "Median severity: 4–5/10 against 3/10",
        "Median duration: 5 min against 5 min",
    ]
    for line in comparison.lines:
        assert line in story.first


# --- Every page ---------------------------------------------------------------------------------------------------


def test_every_page_carries_name_date_of_birth_period_and_page_number(told):
    for name, story in told.items():
        head = f"Ada {story.report.patient_name.split(' ', 1)[1]} · born 3 Nov 1958 · diary {story.report.period}"
        for number, page in enumerate(story.pages, start=1):
            assert has(page, head), (name, number)
            assert f"Page {number} of {len(story.pages)}" in page, (name, number)


def test_the_physicians_voice_never_the_patients(told):
    for name, story in told.items():
        # What the patient was told is quoted as told ("Possible pressure on the nerves in your back"); the rest is
        # the physician's voice.
        text = re.sub(r"“[^”]*”", "", " ".join(story.pages))
        assert not re.search(r"\byour?\b|\(s\)", text, re.IGNORECASE), name  # "your back", "1 episode(s)"
        assert "between the legs / around the bottom" not in text.split("Accompanying symptoms")[0], name
    saddle = told["saddle-and-weak-legs-still-going"].first
    assert "saddle (perineal) area" in saddle


def test_the_generation_time_is_the_patients_clock(told):
    story = told["saddle-and-weak-legs-still-going"]  # 14:49 UTC is 09:49 in Chicago
    assert has(story.first, "Generated: Mon 15 Jun 2026 09:49 CDT (America/Chicago)")
    assert "14:49" not in " ".join(story.pages)
    assert has(told["few-entries"].first, "Generated: Mon 15 Jun 2026 09:49 JST (Asia/Tokyo)")


# --- Every story of the project's and the shared triage cases ---------------------------------------------------


@pytest.mark.parametrize("path", VIGNETTES, ids=vignette_id)
def test_every_storys_page_one_words_keep_the_rules(db, path):
    """For each triage case (the words of page 1, computed; the PDFs above read them back): the red flags it must
    raise, and any older one its 90 days hold, open the summary; nothing is "typical" below 5 episodes; no
    half-point median; "mostly" only above half."""
    vignette = load_vignette(path)
    zone = vignette["diary"]["profile"]["timezone"]
    as_of = dt.date.fromisoformat(vignette["as_of"])
    patient = make_patient("story", tz=zone)
    with time_machine.travel(at(zone, as_of, "23:59"), tick=False):
        import_diary(patient=patient, document=vignette["diary"])
        review_patient(patient.pk, as_of)
        report = content.build(patient, as_of - dt.timedelta(days=89), as_of)
    words = " ".join(
        [report.summary, report.negatives, report.comparison.why_not]
        + [f"{n.label} {n.value} {n.note}" for n in report.key_numbers]
        + [f"{item.title} {line.text}" for item in report.red_flags for line in item.lines]
    )
    expected = {code for code in vignette["expect"]["flags"] if CATALOGUE[code].level != SEE_DOCTOR}
    assert expected <= {item.code for item in report.red_flags}
    titles = "; ".join(f"{item.title[:1].lower()}{item.title[1:]}" for item in report.red_flags)
    assert all(item.title[1:] in report.summary for item in report.red_flags), titles
    assert report.summary.startswith("Red flag") == bool(report.red_flags)
    if len(report.episodes) < 5:
        assert "typically" not in words and "usually" not in words
    assert not re.search(r"\b\d+\.5(/10| min)|median \d+\.\d", words)
    assert not re.search(r"\byour?\b|\(s\)", words, re.IGNORECASE)
    for mostly, n in re.findall(r"mostly (?:left|right|both legs) \((\d+) of (\d+)\)", words):
        assert int(mostly) * 2 > int(n)
