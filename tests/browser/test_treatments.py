"""Treatments on a 390×844 phone: add one on one screen, log a use from Today in one tap, see it on Trends; and a
use tapped with no connection waits in the same queue as episodes and is sent once, by its client UUID."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from tests.browser.appserver import sign_in as sign_in_served
from tests.browser.appserver import until
from tests.browser.test_offline_queue import NO_STORAGE, queued
from tests.conftest import add_treatment, log
from treatments.models import Dose, Treatment

pytestmark = pytest.mark.browser


def test_add_a_treatment_take_it_from_today_in_one_tap_and_see_it_on_trends(phone: Page, sign_in):
    patient = sign_in("tess")
    for days in range(1, 30, 3):
        log(patient, timezone.now() - dt.timedelta(days=days))
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))

    phone.goto("/settings/")
    phone.click("a:has-text('Treatments')")
    phone.click("a:has-text('Add a treatment')")
    phone.fill("#id_name", "Ibuprofen")  # one of the suggestions: its kind and code come with it
    phone.locator(".chips.schedule label", has_text="When needed").click()
    phone.fill("#id_dose_amount", "400")
    assert not phone.locator("#field-times_per_day").is_visible()  # only asked of a treatment taken every day
    phone.click("button:has-text('Save')")
    phone.wait_for_selector("text=400 mg when needed")
    treatment = Treatment.objects.get()
    assert (treatment.kind, treatment.ingredient, treatment.schedule) == ("medication", "ibuprofen", "as_needed")

    phone.goto("/")
    took = phone.locator("button:has-text('Took Ibuprofen')")
    took.scroll_into_view_if_needed()
    box = took.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 390
    before = timezone.now()
    took.tap()  # the one tap
    phone.wait_for_selector(".took-last")
    dose = Dose.objects.get()
    assert before - dt.timedelta(seconds=5) <= dose.taken_at <= timezone.now()
    assert phone.locator(".took-undo").count() == 1  # a mistaken tap can be taken back for a while
    # One line of words, the time in its place: "Undo: Ibuprofen at 9:05 AM", not the time a flex gap away.
    undo = phone.locator(".took-undo button").inner_text()
    assert re.fullmatch(r"Undo: Ibuprofen at \d{1,2}:\d\d( [AP]M)?", undo), undo

    phone.goto("/trends/")
    band = phone.locator("#chart-frequency .band-use")
    band.scroll_into_view_if_needed()
    assert band.count() == 1 and phone.locator("#chart-frequency .band-label", has_text="Ibuprofen").count() == 1
    assert "Taken once" in phone.locator(".treatment-card", has_text="Ibuprofen").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


def test_a_dose_refused_keeps_its_box_beside_the_unit(phone: Page, sign_in):
    """The message over a refused dose pushed its box down beside the unit's: the two boxes stay on one line."""
    sign_in("ulla")
    phone.goto("/treatments/add/")
    phone.fill("#id_name", "Ibuprofen")
    phone.fill("#id_dose_amount", "99999999999")
    phone.click("button:has-text('Save')")
    expect(phone.locator("#dose_amount-error")).to_contain_text("can't be more than 100,000")
    dose, unit = (phone.locator(box).bounding_box() for box in ("#id_dose_amount", "#id_dose_unit"))
    assert dose and unit and dose["x"] < unit["x"]  # side by side
    assert abs(dose["y"] + dose["height"] - unit["y"] - unit["height"]) <= 1, (dose, unit)


@pytest.mark.django_db(transaction=True)
def test_a_use_tapped_offline_is_queued_and_sent_once_by_its_id(app_phone, server):
    phone = app_phone
    patient = sign_in_served(phone, "ollie")
    add_treatment(patient, "Ibuprofen", started_on=timezone.localdate() - dt.timedelta(days=3), dose_amount="400",
                  schedule="as_needed")  # fmt: skip
    phone.goto("/")
    server.stop()
    phone.click("button:has-text('Took Ibuprofen')")
    status = phone.locator(".took-it .queue-saved")
    status.wait_for()
    assert status.inner_text() == "Saved on this phone, will send when online."
    waiting = queued(phone)
    assert len(waiting) == 1 and not Dose.objects.exists()

    server.start()
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    until(phone, lambda: not queued(phone))
    dose = Dose.objects.get()
    assert str(dose.id) == waiting[0]  # the id made on the phone at the tap
    phone.goto("/")
    phone.wait_for_load_state("networkidle")
    assert Dose.objects.count() == 1
    assert server.requests("POST", f"/treatments/{dose.treatment_id}/took/") == 1


def test_a_use_the_phone_cannot_keep_and_whose_answer_is_lost_is_saved_once_when_tapped_again(phone: Page, sign_in):
    # Storage full or turned off: the tap goes straight to the server. Here the server saves it but the answer never
    # reaches the phone, which says "Not saved"; the patient taps again, and that retry carries the same id.
    phone.context.add_init_script(NO_STORAGE)
    patient = sign_in("nina")
    add_treatment(patient, "Ibuprofen", started_on=timezone.localdate() - dt.timedelta(days=3), dose_amount="400",
                  schedule="as_needed")  # fmt: skip
    phone.goto("/")

    def saved_then_lost(route: Route) -> None:
        route.fetch()  # it reaches the server and is saved
        route.abort("connectionreset")

    phone.route("**/took/", saved_then_lost)
    phone.click("button:has-text('Took Ibuprofen')")
    expect(phone.locator(".took-it .queue-saved")).to_contain_text("Not saved")
    assert Dose.objects.count() == 1
    phone.unroute("**/took/")
    phone.click("button:has-text('Took Ibuprofen')")
    until(phone, lambda: phone.locator(".took-last").count() == 1)
    assert Dose.objects.count() == 1


def test_the_message_after_an_undo_says_the_time_as_the_button_did(phone: Page, sign_in):
    # The phone's habits (en-US here: "3:52 PM") in the message too; it said the server's 24-hour "15:52".
    patient = sign_in("vera")
    add_treatment(patient, "Ibuprofen", started_on=dt.date(2026, 1, 1), schedule="as_needed", times_per_day=None)
    phone.goto("/")
    phone.locator("button:has-text('Took Ibuprofen')").tap()
    undo = phone.locator(".took-undo button")
    undo.wait_for()
    said = re.fullmatch(r"Undo: Ibuprofen at (\d{1,2}:\d\d [AP]M)", undo.inner_text())
    assert said, undo.inner_text()
    undo.click()
    message = phone.locator(".message.success", has_text="Removed:")
    expect(message).to_have_text(f"Removed: Ibuprofen at {said.group(1)}.")
    assert Dose.objects.count() == 0
