"""The PDF read back as text: page 1 in the clinician's order, no internal codes, every episode with
its notes in any script, and the downloads and command that produce it."""

import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from diary import services, vocab
from diary.interchange import import_diary
from report import content, phrases
from report.pdf import render_pdf
from tests.conftest import FIXTURE_VIGNETTES, SHARED, load_vignette, log, make_patient
from triage import signs
from triage.review import review_patient

FIRST, LAST = dt.date(2025, 12, 1), dt.date(2026, 3, 1)


def vignette_patient(name: str, username: str = "petra", **profile):
    own = FIXTURE_VIGNETTES / f"{name}.json"
    vignette = load_vignette(own if own.exists() else SHARED / "vignettes" / f"{name}.json")
    patient = make_patient(username, **profile)
    import_diary(patient=patient, document=vignette["diary"])
    review_patient(patient.pk, dt.date.fromisoformat(vignette["as_of"]))
    return patient, vignette["diary"]


def desk_worker():
    patient, diary = vignette_patient("desk-worker-most-days", date_of_birth=dt.date(1961, 4, 2))
    services.update_profile(patient=patient, conditions=["back_problems"])
    patient.first_name, patient.last_name = "Petra", "Novak"
    patient.save()
    return patient, diary


@pytest.fixture
def persistent(db):
    return desk_worker()


QUESTIONS = "Could it be my back?"


@pytest.fixture(scope="module")
def desk_worker_pdf(django_db_setup, django_db_blocker):
    """The desk worker's report (with a question) as the text of its pages and the Report: made once for the
    tests that only read it, in a transaction rolled back afterwards. WeasyPrint takes about a second a PDF."""
    with django_db_blocker.unblock(), transaction.atomic():
        patient, diary = desk_worker()
        report = content.build(patient, FIRST, LAST, questions=QUESTIONS)
        text = pages(render_pdf(report))
        transaction.set_rollback(True)
    return text, report, diary


def pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def internal_codes(text: str) -> list[str]:
    """Catalogue codes and vocabulary codes that are not plain words (e.g. 'changed_position')."""
    found = re.findall(r"\b(?:emergency|urgent|pattern)\.[a-z_]+", text)
    codes = {c for v in (vocab.TRIGGERS, vocab.RELIEF, vocab.SYMPTOMS, vocab.REGIONS, vocab.SENSATIONS)
             for c in v if "_" in c} | {"see_doctor", "left:", "right:"}  # fmt: skip
    return found + [c for c in codes if c in text]


def test_page_one_reads_in_the_clinicians_order(desk_worker_pdf):
    (first, *rest), report, diary = desk_worker_pdf
    order = [
        "Petra Novak",
        "Date of birth: 2 Apr 1961",
        "Diary period: 25 Jan – 27 Feb 2026 (34 days,",
        "first entry 25 Jan 2026",
        "Known conditions: Back or spine problems",
        report.summary,
        "Red flags",
        "No red flags: no entry in this period matched an emergency or urgent sign.",
        "Key numbers",
        "Patterns flagged",
        "Persistent or prolonged paraesthesia",
        "The patient's questions",
        QUESTIONS,
    ]
    positions = [first.find(part) for part in order]
    assert -1 not in positions, [p for p, at in zip(order, positions, strict=True) if at == -1]
    assert positions == sorted(positions)
    assert report.summary.startswith("In the last 14 days (")  # the persistent-numbness flag is open
    assert "Page 1 of" in first and "not a diagnosis" in first
    assert internal_codes(" ".join([first, *rest])) == []


def test_key_numbers_show_no_comparison_without_enough_earlier_entries(desk_worker_pdf):
    (first, *_), report, diary = desk_worker_pdf
    numbers = first[first.index("Key numbers") : first.index("Patterns flagged")]
    assert f"Episodes {len(diary['episodes'])}" in numbers
    assert "per logged week:" not in numbers
    assert (
        "No comparison with the 34 days before (22 Dec 2025 – 24 Jan 2026): entries on 0 days in the period "
        "before (7 needed)." in numbers
    )


def test_the_pdf_is_pdf_a_and_tagged(desk_worker_pdf, persistent):
    patient, _ = persistent
    data = render_pdf(content.build(patient, FIRST, LAST))
    reader = PdfReader(io.BytesIO(data))
    catalog: Any = reader.root_object
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert "/OutputIntents" in catalog  # the sRGB profile PDF/A needs
    assert reader.metadata is not None and str(reader.metadata.title).startswith("Leg numbness diary report — Petra")


# The project's own stories are reviewed on 15 June 2026: their report covers the three months before.
OWN_FIRST, OWN_LAST = dt.date(2026, 3, 17), dt.date(2026, 6, 15)


def test_every_red_flag_shows_its_episodes_date_time_and_zone(db):
    patient, diary = vignette_patient("arm-went-weak")
    zone = services.profile_of(patient).zone
    first = pages(render_pdf(content.build(patient, OWN_FIRST, OWN_LAST)))[0]
    red = first[first.index("Red flags") : first.index("Key numbers")]
    # Imported long after the story: every episode was saved late, so the patient's advice was the late entry's
    # (triage/advice.py, as on every page); the physician reads the clinical title with what the patient was told.
    assert "URGENT Possible stroke or TIA · told: “Signs of a stroke that have passed”" in red
    assert "Sources: Stroke: symptoms (NHS)" in red and "Background reading:" in red
    assert "No red flags" not in red
    alarming = [
        e for e in diary["episodes"] if set(e["symptoms"]) & signs.CATALOGUE["emergency.stroke_signs"].t("symptoms")
    ]
    assert alarming
    for episode in alarming:
        start = dt.datetime.fromisoformat(episode["started_at"].replace("Z", "+00:00")).astimezone(zone)
        assert phrases.moment_words(start) in red  # "Tue 9 Jun 2026 12:05 MDT"
        assert start.tzname() in ("MDT", "MST")


def test_a_benign_diary_says_no_red_flags_were_reported(db):
    patient, _ = vignette_patient("crossed-legs-daily")
    first = pages(render_pdf(content.build(patient, OWN_FIRST, OWN_LAST)))[0]
    assert "No red flags: no entry in this period matched an emergency or urgent sign." in first
    assert "EMERGENCY" not in first and "URGENT" not in first


def test_the_name_falls_back_to_the_username(db):
    patient, _ = vignette_patient("crossed-legs-daily", username="walker7")
    first = pages(render_pdf(content.build(patient, OWN_FIRST, OWN_LAST)))[0]
    assert first.split("FOR THE PHYSICIAN ")[1].startswith("walker7") and "Date of birth: not given" in first


def test_every_episode_is_a_row_of_the_table_with_its_notes_in_any_script(persistent):
    patient, diary = persistent
    log(patient, started_at=dt.datetime(2026, 2, 27, 8, 15, tzinfo=dt.UTC), notes="Foot 🦶 asleep; 日本語のメモ")
    text = pages(render_pdf(content.build(patient, FIRST, LAST)))
    table = " ".join(text[next(i for i, page in enumerate(text) if "All episodes (" in page) :])
    assert "notes:Foot🦶asleep;日本語のメモ" in "".join(table.split())  # a line may break inside the Japanese
    assert f"All episodes ({len(diary['episodes']) + 1})" in table
    zone = services.profile_of(patient).zone
    for episode in diary["episodes"]:
        start = dt.datetime.fromisoformat(episode["started_at"].replace("Z", "+00:00")).astimezone(zone)
        duration = "still going" if episode["ongoing"] else phrases.minutes_words(episode["duration_minutes"])
        row = f"{start:%a} {start:%d %b} {start:%H:%M} {duration} {episode['severity']}"
        assert row in table, row
    assert len(text) <= 6  # 28 episodes: the table takes a page, not the three the old list of paragraphs took


def test_later_pages_hold_the_symptoms_clusters_triggers_time_of_day_and_the_episodes(desk_worker_pdf):
    (first, *rest), _, _ = desk_worker_pdf
    later = " ".join(rest)
    assert "Triggers, relief and sensations" not in first
    for heading in ("Where", "Accompanying symptoms", "Recurring clusters", "Triggers, relief and sensations",
                    "Doing when it started", "Eased by", "Felt like", "Time of day", "All episodes"):  # fmt: skip
        assert heading in later, heading
    assert "00 03 06 09 12 15 18 21" in later  # the 24-hour chart's axis
    for view in ("Front, facing the patient", "Tops of the feet, facing the patient", "Back, from behind",
                 "Soles, from behind"):  # fmt: skip
        assert view in later


def test_us_letter_and_a4(persistent):
    patient, _ = persistent
    report = content.build(patient, FIRST, LAST)
    for paper, size in (("a4", (595, 842)), ("letter", (612, 792))):
        box = PdfReader(io.BytesIO(render_pdf(report, paper))).pages[0].mediabox
        assert (round(box.width), round(box.height)) == size


def test_a_pdf_without_a_paper_is_on_the_patients_usual_paper(client, persistent, tmp_path):
    """US Letter in Chicago, A4 in Berlin: from the patient's time zone, for the page, the command alike."""
    patient, _ = persistent
    client.force_login(patient)
    query = "range=custom&start=2025-12-01&end=2026-03-01"
    width = {}
    for zone in ("America/Chicago", "Europe/Berlin"):
        services.update_profile(patient=patient, timezone=zone)
        pdf = client.get(f"/report/download/pdf/?{query}").content
        out = tmp_path / f"{zone.replace('/', '-')}.pdf"
        call_command("export_report", "--user", "petra", "--from", "2025-12-01", "--to", "2026-03-01",
                     "--format", "pdf", "--out", str(out), stdout=io.StringIO())  # fmt: skip
        width[zone] = {round(PdfReader(io.BytesIO(data)).pages[0].mediabox.width) for data in (pdf, out.read_bytes())}
    assert width == {"America/Chicago": {612}, "Europe/Berlin": {595}}


def test_downloads_are_the_patients_own_and_the_pdf_carries_the_questions(client, persistent, other_patient):
    patient, diary = persistent
    client.force_login(patient)
    query = "range=custom&start=2025-12-01&end=2026-03-01"
    pdf = client.post(f"/report/download/pdf/?{query}", {"questions": "Is this my back?", "paper": "letter"})
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    assert round(reader.pages[0].mediabox.width) == 612
    assert "Is this my back?" in reader.pages[0].extract_text()
    too_long = client.post(f"/report/download/pdf/?{query}", {"questions": "x" * 1001})
    assert too_long.status_code == 400 and b"questions" in too_long.content
    assert client.get(f"/report/download/pdf/?{query}").content.startswith(b"%PDF")
    fhir = client.get(f"/report/download/fhir/?{query}")
    assert fhir["Content-Type"].startswith("application/fhir+json")
    assert diary["episodes"][0]["id"] in client.get(f"/report/download/csv/?{query}").content.decode("utf-8-sig")
    assert client.get(f"/report/download/xls/?{query}").status_code == 400
    assert client.get("/report/download/pdf/", {"start": "2026-03-01", "end": "2026-01-01"}).status_code == 400

    client.force_login(other_patient)
    assert diary["episodes"][0]["id"] not in client.get(f"/report/download/csv/?{query}").content.decode("utf-8-sig")


@pytest.mark.parametrize(
    "query, said",
    [
        ({"start": "2026-03-01", "end": "2026-01-01"}, "end: The end date is before the start date."),
        ({"start": "2026-01-01", "end": "1 Mar"}, "end: Enter a valid date."),
        ({"range": "5y"}, "range: Select a valid choice."),
    ],
)
def test_a_download_of_a_bad_period_says_which_field_is_wrong(web, query, said):
    response = web.get("/report/download/csv/", query)
    assert response.status_code == 400 and said in response.content.decode()


def test_export_report_command(persistent, tmp_path):
    patient, diary = persistent
    for fmt in ("pdf", "csv", "fhir"):
        out = tmp_path / f"r.{fmt}"
        call_command("export_report", "--user", "petra", "--from", "2025-12-01", "--to", "2026-03-01",
                     "--format", fmt, "--out", str(out), stdout=io.StringIO())  # fmt: skip
        assert out.stat().st_size > 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    entries = json.loads((tmp_path / "r.fhir").read_text())["entry"]
    assert sum(e["resource"]["resourceType"] == "Observation" for e in entries) >= len(diary["episodes"])


def test_a_tables_citation_never_stands_alone_at_the_top_of_a_page():
    # The questionnaire's answers and their citation (report/_answers.html) after a block of some height. The first
    # height (to the point) at which the citation no longer fits on page 1 is where it would stand alone on page 2:
    # there it goes over with the table's last row.
    from weasyprint import CSS, HTML

    from report.pdf import STYLESHEET

    rows = "".join(f"<tr><td>{n}. Question {n}?</td><td>No</td><td>0</td></tr>" for n in range(1, 16))

    def pdf_pages(above: int) -> list[str]:
        html = (
            f'<div class="report"><div style="height:{above}pt"></div><table class="rp-answers"><thead><tr>'
            f"<th>Item</th><th>Answer</th><th>Point</th></tr></thead><tbody>{rows}</tbody></table>"
            '<p class="sources">Items: PhenX Toolkit. Scoring: University of Michigan.</p></div>'
        )
        return pages(HTML(string=html).write_pdf(stylesheets=[CSS(filename=STYLESHEET)]))

    low, high = 0, 1200  # the citation is on page 1 after `low` points, not after `high`
    assert "Items:" in pdf_pages(low)[0] and "Items:" not in pdf_pages(high)[0]
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if "Items:" in pdf_pages(middle)[0] else (low, middle)
    second = pdf_pages(high)[1]
    assert "Items:" in second and "15. Question 15?" in second, second


def test_the_episode_tables_column_headings_stand_over_its_rows_on_every_page(db):
    """The headings repeat in the top margin of each page of the table, but on its first page they stood there too,
    over the section's title: they are in the flow there, under the title and legend, over the first row. (The
    margin's text is read in pypdf's layout mode: its plain mode leaves page margins out.)"""
    patient = make_patient("tabitha")
    start = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    for n in range(80):  # more rows than one page holds
        log(patient, started_at=start + dt.timedelta(hours=19 * n), notes="x")
    report = content.build(patient, FIRST, LAST)
    laid_out = [
        " ".join(p.extract_text(extraction_mode="layout").split())
        for p in PdfReader(io.BytesIO(render_pdf(report))).pages
    ]
    heading = " ".join(report.table_heading.split())
    table = laid_out[next(i for i, page in enumerate(laid_out) if "All episodes (" in page) :]
    assert len(table) >= 2 and [page.count(heading) for page in table] == [1] * len(table)
    assert table[0].index("All episodes (") < table[0].index("Sev: severity") < table[0].index(heading)
    assert table[0].index(heading) < table[0].index("Thu 01 Jan 09:00")
    assert all(page.startswith(heading) for page in table[1:])  # the margin's, over the page's rows
