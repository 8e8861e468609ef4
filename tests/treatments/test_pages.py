"""The Treatments pages and the treatments' pieces of the diary's pages: Today's one tap and its question asked
once, the log form's "took something for it" in the save's transaction, Trends' bands and cards, Settings' link."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest
import time_machine

from diary.models import Episode
from tests.conftest import REPO, add_treatment, log
from tests.treatments.conftest import NOW
from treatments import services, vocab
from treatments.models import Dose, Treatment


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def ibuprofen(patient):
    return add_treatment(patient, "Ibuprofen", started_on=dt.date(2026, 3, 1), dose_amount="400",
                         schedule=vocab.AS_NEEDED, ingredient="ibuprofen")  # fmt: skip


def test_add_a_treatment_on_one_screen_with_its_code_from_the_suggestions(web, patient):
    page = text(web.get("/treatments/add/"))
    assert '<datalist id="treatment-suggestions">' in page and '<option value="Pregabalin">' in page
    data = {"name": " pregabalin ", "schedule": "regular", "dose_amount": "75", "dose_unit": "mg"}
    response = web.post("/treatments/add/", data | {"times_per_day": "2", "started_on": "2026-06-01"})
    treatment = Treatment.objects.get()
    assert response.status_code == 302 and response.url == f"/treatments/{treatment.id}/"
    assert (treatment.name, treatment.kind, treatment.ingredient) == ("pregabalin", "medication", "pregabalin")
    detail = text(web.get(response.url))
    assert "Added pregabalin: 75 mg twice a day, since 1 Jun." in detail
    assert "75 mg twice a day</strong> since 1 Jun 2026" in detail and "RxNorm 187832" in detail
    assert "Not enough entries before it started to compare (0 of 14 days)." in detail


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": ""}, "name"),
        ({"name": "Something new"}, "kind"),  # not among the suggestions: say what it is
        ({"dose_amount": "0"}, "dose_amount"),
        ({"dose_amount": "-3"}, "dose_amount"),
        ({"dose_unit": "bucket"}, "dose_unit"),
        ({"started_on": "2026-06-11"}, "started_on"),
        ({"dose_amount": ""}, "dose_amount"),  # a medicine needs its dose
    ],
)
def test_the_add_form_shows_each_problem_beside_its_field(web, patient, change, field):
    data = {"name": "Pregabalin", "schedule": "regular", "dose_amount": "75", "dose_unit": "mg",
            "times_per_day": "2", "started_on": "2026-06-01"} | change  # fmt: skip
    response = web.post("/treatments/add/", data)
    assert response.status_code == 400
    assert re.search(rf'id="field-{field}"[^>]*>|class="field invalid" id="field-{field}"', response.content.decode())
    assert f'class="field invalid" id="field-{field}"' in response.content.decode()
    assert not Treatment.objects.exists()


def test_change_the_dose_stop_and_start_again_from_the_pages(web, patient):
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    response = web.post(f"/treatments/{t.id}/dose/", {"dose_amount": "150", "dose_unit": "mg", "times_per_day": "2",
                                                      "started_on": "2026-06-01"})  # fmt: skip
    assert response.status_code == 302
    assert [c.dose_words for c in t.courses.order_by("started_on")] == ["75 mg twice a day", "150 mg twice a day"]
    bad = web.post(f"/treatments/{t.id}/stop/", {"last_day": "2026-05-01", "stop_reason": "side_effects"})
    assert bad.status_code == 400 and 'class="field invalid" id="field-last_day"' in bad.content.decode()
    web.post(f"/treatments/{t.id}/stop/", {"last_day": "2026-06-09", "stop_reason": "side_effects"})
    last = t.courses.order_by("started_on").last()
    assert last is not None and last.stopped_on == dt.date(2026, 6, 10)  # the first day without it
    page = text(web.get(f"/treatments/{t.id}/"))
    assert "Stopped: last taken 9 Jun 2026 (side effects)." in page and "Start again" in page
    listed = text(web.get("/treatments/"))
    assert "Stopped" in listed and "stopped: last taken 9 Jun 2026 (150 mg twice a day)" in listed  # as on its page


def test_the_new_dose_page_says_the_dose_taken_now(web, patient):
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    page = text(web.get(f"/treatments/{t.id}/dose/"))
    assert "Now: 75 mg twice a day since 1 Jan 2026." in page  # as the Treatments page and Trends' card say it


@pytest.mark.parametrize("amount", ["75", "0.5", "1000"])
def test_the_new_dose_form_starts_from_the_dose_as_the_patient_wrote_it(web, patient, amount):
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1), dose_amount=amount)
    page = text(web.get(f"/treatments/{t.id}/dose/"))
    assert f'name="dose_amount" value="{amount}"' in page  # not the stored "75.0000", nor "1E+3"


def test_a_missed_day_is_listed_as_the_day_without_a_time_nobody_gave(web, patient):
    """A missed day is kept as a dose at noon (the comparison counts days): the page lists "Mon 8 Jun · Missed", not
    "Mon 8 Jun, 12:00", as if one dose at noon had been missed; a dose taken keeps its time."""
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    web.post(f"/treatments/{t.id}/missed/", {"day": "2026-06-08"})
    services.save_dose(patient=patient, dose_id=None, treatment_id=t.id, taken_at=NOW - dt.timedelta(hours=3))
    doses = text(web.get(f"/treatments/{t.id}/")).split('class="dose-list"')[1]
    assert re.search(r'<span class="dose-when"><time [^>]*data-format="short-day">Mon 8 Jun</time></span> '
                     r'<span class="dose-what">Missed</span>', doses)  # fmt: skip
    assert "12:00" not in re.sub(r'datetime="[^"]*"', "", doses)
    assert 'data-format="moment">Wed 10 Jun, 10:00</time></span> <span class="dose-what">75 mg' in doses


def test_the_list_says_nothing_is_taken_now_not_nothing_yet_when_all_have_stopped(web, patient):
    assert "Nothing yet." in text(web.get("/treatments/"))
    add_treatment(patient, started_on=dt.date(2026, 1, 1), stopped_on=dt.date(2026, 3, 1))
    page = text(web.get("/treatments/"))
    assert "Nothing yet." not in page and "Nothing now." in page and "stopped: last taken 28 Feb 2026" in page


def test_a_stopped_treatments_page_points_to_no_button_it_no_longer_shows(web, patient):
    every_day = add_treatment(patient, started_on=dt.date(2026, 1, 1), stopped_on=dt.date(2026, 2, 1))
    when_needed = add_treatment(patient, "Ibuprofen", started_on=dt.date(2026, 1, 1), stopped_on=dt.date(2026, 2, 1),
                                dose_amount="400", schedule=vocab.AS_NEEDED)  # fmt: skip
    page = text(web.get(f"/treatments/{every_day.id}/"))
    assert "Log a missed day" not in page  # the form is for a treatment taken now
    assert "Taken every day of a course." in page and "log a day you missed above" not in page
    page = text(web.get(f"/treatments/{when_needed.id}/"))
    assert "Took it now" not in page  # nor on Today
    assert "None logged." in page and 'tap "Took it"' not in page


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_last_day_at_the_ends_of_the_calendar_is_shown_beside_it_and_stops_nothing(web, patient, day):
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    response = web.post(f"/treatments/{t.id}/stop/", {"last_day": day, "stop_reason": "side_effects"})
    assert response.status_code == 400 and 'class="field invalid" id="field-last_day"' in response.content.decode()
    assert t.courses.get().stopped_on is None


def test_a_missed_day_and_the_edit_and_delete_pages(web, patient):
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    web.post(f"/treatments/{t.id}/missed/", {"day": "2026-06-08"})
    assert Dose.objects.get().status == vocab.MISSED
    assert "Noted: Pregabalin missed on 8 Jun." in text(web.get(f"/treatments/{t.id}/"))
    web.post(f"/treatments/{t.id}/missed/", {"day": "2025-12-01"})
    assert "That is before Pregabalin started (1 Jan 2026)." in text(web.get(f"/treatments/{t.id}/"))
    web.post(f"/treatments/{t.id}/edit/", {"name": "Lyrica", "kind": "medication", "notes": "at night"})
    t.refresh_from_db()
    assert (t.name, t.notes, t.ingredient) == ("Lyrica", "at night", "")
    assert "1 dose logged" in text(web.get(f"/treatments/{t.id}/delete/"))
    web.post(f"/treatments/{t.id}/delete/")
    assert not Treatment.objects.exists() and not Dose.objects.exists()


def test_one_tap_on_today_logs_a_dose_by_its_id_once_and_answers_the_queue_in_json(web, patient, ibuprofen):
    today = text(web.get("/"))
    assert f'action="/treatments/{ibuprofen.id}/took/"' in today and "Took Ibuprofen" in today
    dose_id = str(uuid.uuid4())
    tap = {"id": dose_id, "taken_at": "2026-06-10T12:55:00+01:00"}
    for _ in range(2):  # the queue's replay sends it again
        reply = web.post(f"/treatments/{ibuprofen.id}/took/", tap, HTTP_ACCEPT="application/json")
        assert reply.status_code == 200 and reply.json()["next"] == "/"
    dose = Dose.objects.get()
    assert (str(dose.id), dose.taken_at) == (dose_id, dt.datetime(2026, 6, 10, 11, 55, tzinfo=dt.UTC))
    # In the patient's zone, written as a <time> that localtime.js puts in the phone's habits, as every diary time is.
    page = text(web.get("/"))
    assert 'Last: <time datetime="2026-06-10T12:55" data-format="moment">Wed 10 Jun, 12:55</time>' in page
    assert 'Undo: Ibuprofen at <time datetime="2026-06-10T12:55" data-format="time">12:55</time>' in page  # same habits
    future = web.post(f"/treatments/{ibuprofen.id}/took/", {"id": str(uuid.uuid4()), "taken_at": "2026-06-11T09:00"},
                      HTTP_ACCEPT="application/json")  # fmt: skip
    assert future.status_code == 400 and Dose.objects.count() == 1
    plain = web.post(f"/treatments/{ibuprofen.id}/took/", {"id": str(uuid.uuid4())})
    assert plain.status_code == 302 and Dose.objects.count() == 2
    noted = 'Noted: Ibuprofen at <time datetime="2026-06-10T13:00" data-format="time">13:00</time>.'
    assert noted in text(web.get("/"))  # the message too says the time in the phone's habits


@pytest.mark.parametrize("taken_at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_tap_at_the_ends_of_the_calendar_is_refused_and_logs_nothing(web, patient, ibuprofen, taken_at):
    tap = {"id": str(uuid.uuid4()), "taken_at": taken_at}
    reply = web.post(f"/treatments/{ibuprofen.id}/took/", tap, HTTP_ACCEPT="application/json")
    assert reply.status_code == 400 and reply.json()["errors"][0].startswith("The time can't be")
    assert not Dose.objects.exists()


def test_a_tap_time_the_clocks_skipped_is_refused_with_both_readings(web, patient, ibuprofen):
    """A time without an offset is read on the patient's clock, refused as everywhere when the clocks skip it."""
    tap = {"id": str(uuid.uuid4()), "taken_at": "2026-03-29T01:30"}
    reply = web.post(f"/treatments/{ibuprofen.id}/took/", tap, HTTP_ACCEPT="application/json")
    assert reply.status_code == 400
    assert reply.json()["errors"] == [
        "The time 2026-03-29 01:30 does not exist in Europe/London: the clocks went forward then. It is either "
        "00:30 GMT (2026-03-29T00:30+00:00) or 02:30 BST (2026-03-29T02:30+01:00); give one of those."
    ]
    assert not Dose.objects.exists()


def test_did_it_help_is_asked_once_on_today_an_hour_after(web, patient, ibuprofen):
    services.save_dose(
        patient=patient, dose_id=None, treatment_id=ibuprofen.id, taken_at=NOW - dt.timedelta(minutes=30)
    )
    assert "Did the Ibuprofen" not in text(web.get("/"))  # too soon to tell
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        first = text(web.get("/"))
        asked = (
            'Did the Ibuprofen you took <time datetime="2026-06-10T12:30" data-format="moment">Wed 10 Jun, 12:30</time>'
        )
        assert f"{asked} help?" in first
        assert "Did the Ibuprofen" not in text(web.get("/"))  # asked once
        dose = Dose.objects.get()
        web.post(f"/doses/{dose.id}/effect/", {"effect": "helped_a_little", "next": "/"})
    assert Dose.objects.get().effect == vocab.HELPED_A_LITTLE


def test_a_missed_dose_cannot_be_rated_from_the_page(web, patient):
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    missed = services.log_missed_day(patient=patient, treatment_id=t.id, day=dt.date(2026, 6, 1)).row
    reply = web.post(f"/doses/{missed.id}/effect/", {"effect": "helped_a_lot"}, HTTP_ACCEPT="application/json")
    assert reply.status_code == 400 and Dose.objects.get().effect == ""


def log_form(**more):
    return {"id": str(uuid.uuid4()), "when": "now", "duration": "5", "severity": "4", "locations": ["left:sole"]} | more


def test_took_something_for_it_links_a_dose_to_the_episode_once(web, patient, ibuprofen):
    insoles = add_treatment(patient, "Insoles", started_on=dt.date(2026, 3, 1), dose_amount=None, kind="device")
    form = text(web.get("/log/"))
    assert "Took something for it?" in form and f'value="{ibuprofen.id}"' in form
    assert f'value="{insoles.id}"' not in form  # worn, not taken
    data = log_form(took_shown="1", took=[str(ibuprofen.id)])
    for _ in range(2):  # a replay of the same entry
        assert web.post("/log/", data).status_code == 302
    episode = Episode.objects.get()
    dose = Dose.objects.get()
    assert (dose.episode_id, dose.treatment_id, dose.status) == (episode.id, ibuprofen.id, vocab.TAKEN)
    edit = text(web.get(f"/episodes/{episode.id}/edit/"))
    assert re.search(rf'value="{ibuprofen.id}" checked', edit)
    web.post(f"/episodes/{episode.id}/edit/", log_form(took_shown="1"))  # unticked on an edit
    assert not Dose.objects.exists() and Episode.objects.count() == 1


def test_a_bad_took_something_undoes_the_whole_save(web, patient, other_patient, ibuprofen):
    bobs = add_treatment(other_patient, "Ibuprofen", started_on=dt.date(2026, 3, 1), schedule=vocab.AS_NEEDED)
    response = web.post("/log/", log_form(took_shown="1", took=[str(bobs.id)]))
    assert response.status_code == 400 and "No such treatment." in response.content.decode()
    early = log_form(took_shown="1", took=[str(ibuprofen.id)], when="earlier", started_at="2026-02-20T09:00")
    response = web.post("/log/", early)
    assert response.status_code == 400 and "Ibuprofen: That is before Ibuprofen started (1 Mar 2026)." in text(response)
    assert not Episode.objects.exists() and not Dose.objects.exists()


def test_trends_draws_a_band_per_treatment_and_a_card_with_the_comparison(web, patient, ibuprofen):
    for day in range(1, 80):
        log(patient, NOW - dt.timedelta(days=day))
    t = add_treatment(patient, started_on=dt.date(2026, 4, 15))
    services.save_dose(patient=patient, dose_id=None, treatment_id=ibuprofen.id, taken_at=NOW - dt.timedelta(days=3))
    page = text(web.get("/trends/"))
    frequency = page[page.index('id="chart-frequency"') : page.index('id="chart-calendar"')]
    assert frequency.count('class="band-label"') == 2
    assert "Pregabalin: 75 mg twice a day" in frequency and "Ibuprofen: 400 mg when needed" in frequency
    assert 'class="band-use"' in frequency and "Ibuprofen: taken on 1 day" in frequency
    assert 'class="band-open"' in frequency  # still going: open at the right edge
    assert "Rows under the bars: Ibuprofen, Pregabalin" in frequency
    cards = page[page.index('class="treatment-cards"') : page.index('id="often"')]
    assert f'href="/treatments/{t.id}/"' in cards and "In this period: Taken once; none rated yet." in cards
    assert (
        "No clear difference in episodes a logged day: 1.00 while taking it, 1.00 before (ratio while ÷ before 1.00,"
        in cards
        and "because of" not in cards.replace("not because of", "")
    )


def test_settings_leads_to_the_treatments_and_the_diarys_templates_name_nothing_of_them(web):
    assert 'href="/treatments/"' in text(web.get("/settings/"))
    for path in sorted((REPO / "templates" / "diary").glob("*.html")):
        assert "treatment" not in path.read_text(encoding="utf-8").lower(), path.name


def test_the_delete_page_offers_to_stop_only_a_treatment_taken_now(web, patient):
    taken = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    stopped = add_treatment(patient, "Ibuprofen", started_on=dt.date(2026, 1, 1), stopped_on=dt.date(2026, 2, 1))
    assert "Stop it instead" in text(web.get(f"/treatments/{taken.id}/delete/"))
    page = text(web.get(f"/treatments/{stopped.id}/delete/"))
    assert "Stop it instead" not in page and "Delete Ibuprofen" in page


def field_error(response, field: str) -> str:
    """What is shown beside a field (its messages, joined in one paragraph; the test fails when it shows none)."""
    html = response.content.decode()
    found: list[str] = re.findall(rf"<p class=\"error\" id=\"{field}-error\">(.*?)</p>", html, re.S)
    assert len(found) == 1, found
    return found[0].replace("&#x27;", "'")


@pytest.mark.parametrize(
    "last_day, message",
    [
        ("2025-12-31", "The last day you took it can't be before you started it (1 Jan 2026)."),
        ("0001-01-01", "The last day you took it can't be before you started it (1 Jan 2026)."),
        ("2026-06-11", "The last day you took it can't be in the future."),
        ("9999-12-31", "The last day you took it can't be in the future."),
    ],
)
def test_the_stop_form_words_its_refusal_as_the_last_day_taken_not_the_first_day_without(web, patient, last_day,
                                                                                          message):  # fmt: skip
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    response = web.post(f"/treatments/{t.id}/stop/", {"last_day": last_day, "stop_reason": "side_effects"})
    assert response.status_code == 400 and field_error(response, "last_day") == message
    assert "stop date" not in text(response) and t.courses.get().stopped_on is None


def test_the_stop_form_names_the_dose_or_the_restart_its_last_day_is_before(web, patient):
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    services.change_dose(patient=patient, treatment_id=t.id, on=dt.date(2026, 6, 1), dose_amount=Decimal("150"),
                         dose_unit="mg", times_per_day=2)  # fmt: skip
    response = web.post(f"/treatments/{t.id}/stop/", {"last_day": "2026-05-31", "stop_reason": "side_effects"})
    message = "The last day you took it can't be before this dose started (1 Jun 2026)."
    assert field_error(response, "last_day") == message
    again = add_treatment(patient, "Ibuprofen", started_on=dt.date(2026, 1, 1), stopped_on=dt.date(2026, 2, 1))
    services.change_dose(patient=patient, treatment_id=again.id, on=dt.date(2026, 3, 1), dose_amount=Decimal("75"),
                         dose_unit="mg", times_per_day=2)  # fmt: skip
    response = web.post(f"/treatments/{again.id}/stop/", {"last_day": "2026-02-28", "stop_reason": "side_effects"})
    assert field_error(response, "last_day") == (
        "The last day you took it can't be before you started it again (1 Mar 2026)."
    )


@pytest.mark.parametrize("last_day", ["2026-01-01", "2026-06-10"])  # the day it started (one day taken), today
def test_a_course_can_stop_after_its_first_day_or_today(web, patient, last_day):
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    response = web.post(f"/treatments/{t.id}/stop/", {"last_day": last_day, "stop_reason": "side_effects"})
    assert response.status_code == 302
    assert t.courses.get().stopped_on == dt.date.fromisoformat(last_day) + dt.timedelta(days=1)


def test_the_stop_form_asks_for_what_it_lacks_in_its_words(web, patient):
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    response = web.post(f"/treatments/{t.id}/stop/", {"last_day": ""})
    assert field_error(response, "last_day") == "Give the last day you took it."
    assert field_error(response, "stop_reason") == "Choose why you stopped it."


TOO_MUCH = "The dose can't be more than 100,000."
NOT_A_NUMBER = "Give the dose as a number, for example 75 or 0.5."
PLACES = "Give the dose with at most 4 decimal places."


@pytest.mark.parametrize(
    "amount, message",
    [
        ("1e9", TOO_MUCH),  # not also Django's "no more than 8 digits before the decimal point"
        ("123456789", TOO_MUCH),
        ("1e400", TOO_MUCH),
        ("9" * 300, TOO_MUCH),
        ("100000.00001", TOO_MUCH),
        ("-1e400", "The dose must be more than 0."),
        ("0", "The dose must be more than 0."),
        ("-0", "The dose must be more than 0."),
        ("0.00001", PLACES),
        ("1e-15", PLACES),  # 15 digits in all: the same sentence, not "no more than 12 digits in total"
        ("0." + "1" * 300, PLACES),
        ("nan", NOT_A_NUMBER),
        ("inf", NOT_A_NUMBER),
        ("1,5", NOT_A_NUMBER),
        ("💊", NOT_A_NUMBER),
        ("x" * 5000, NOT_A_NUMBER),
    ],
)
def test_a_dose_out_of_bounds_gets_one_message_of_its_own_on_every_form_asking_it(web, patient, amount, message):
    add = {"name": "Pregabalin", "schedule": "regular", "dose_unit": "mg", "times_per_day": "2",
           "started_on": "2026-06-01", "dose_amount": amount}  # fmt: skip
    response = web.post("/treatments/add/", add)
    assert response.status_code == 400 and field_error(response, "dose_amount") == message
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    dose = {"dose_amount": amount, "dose_unit": "mg", "times_per_day": "2", "started_on": "2026-06-01"}
    response = web.post(f"/treatments/{t.id}/dose/", dose)
    assert response.status_code == 400 and field_error(response, "dose_amount") == message
    assert Treatment.objects.get() == t and t.courses.count() == 1


@pytest.mark.parametrize("amount", ["100000", "0.0001", " 7 "])
def test_a_dose_at_its_bounds_is_taken(web, patient, amount):
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    dose = {"dose_amount": amount, "dose_unit": "mg", "times_per_day": "2", "started_on": "2026-06-01"}
    assert web.post(f"/treatments/{t.id}/dose/", dose).status_code == 302
    assert t.courses.get(started_on=dt.date(2026, 6, 1)).dose_amount == Decimal(amount.strip())


@pytest.mark.parametrize(
    "day, message",
    [
        ("0001-01-01", "The day you missed it can't be before 1 January 2000."),  # not "the time", which it never asks
        ("", "Give the day you missed it."),  # shown above the page, far from the field: not "This field is required."
        ("2026-06-11", "That day hasn't come yet."),
    ],
)
def test_a_missed_day_refused_says_so_in_the_forms_words(web, patient, day, message):
    t = add_treatment(patient, started_on=dt.date(2026, 1, 1))
    page = text(web.post(f"/treatments/{t.id}/missed/", {"day": day}, follow=True)).replace("&#x27;", "'")
    assert f"<span>{message}</span>" in page and not Dose.objects.exists()
