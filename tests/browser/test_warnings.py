"""Warnings on a phone (390x844) that never contradict themselves (DESIGN §5): emergency advice with the server
process stopped, from the phone's own check; Today right after a warning screen with Redis refused and no
worker; the Save bar's one question about the saddle alone (Yes and No); removing an entry logged by mistake
from the warning screen; and "None of these" stored."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, Route

from diary import services
from diary.models import Episode
from tests.browser import chromium
from tests.browser.appserver import AppServer, sign_in, until
from tests.browser.test_offline_queue import queued
from tests.processes import free_port
from triage.advice import advise
from triage.models import Flag
from triage.signs import CATALOGUE

pytestmark = pytest.mark.browser
COMMITTED = pytest.mark.django_db(transaction=True)


def fill_basics(page: Page, place: str = "left:heel") -> None:
    page.locator(f'.region[data-location="{place}"]').first.tap()
    page.locator(".chips.severity label", has_text="5").first.click()
    page.locator(".chips.duration label", has_text="15 min").click()  # none is chosen for the patient


def tick_alarm(page: Page, label: str) -> None:
    block = page.locator(".alarm-check")
    if block.get_attribute("open") is None:
        page.click(".alarm-check summary")
    page.locator(".alarm-check label.chip", has_text=label).click()


def on_today(url: str) -> bool:
    return urlparse(url).path == "/"


def focused(page: Page) -> str:
    return str(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))


# --- Offline: the phone's own check, with the server process really stopped -----------------------------------


def go_offline_on_the_log_page(page: Page, server: AppServer, username: str, number: str) -> User:
    patient = sign_in(page, username)
    services.update_profile(patient=patient, emergency_number=number)
    page.goto("/")
    page.goto("/log/")  # kept by the worker, with the number in it; the signs are kept with the app shell
    page.wait_for_load_state("networkidle")
    server.stop()  # really unreachable: connection refused, for the page and the worker alike
    page.goto("/log/")
    page.locator("#offline-bar").wait_for()
    return patient


@COMMITTED
def test_offline_an_emergency_gets_its_advice_and_a_call_button_and_the_flag_opens_when_sent(app_phone, server):
    page = app_phone
    patient = go_offline_on_the_log_page(page, server, "oona", "911")
    fill_basics(page)
    tick_alarm(page, "Can't control bladder or bowel")
    page.click("button.log-save")

    page.get_by_role("heading", name="Act now").wait_for()
    sign = CATALOGUE["emergency.spinal_cord"]
    screen = page.locator(".alert-screen[role=alert]")
    assert screen.get_by_role("heading", name=sign.title).is_visible()
    assert screen.get_by_text("You logged: Can't control bladder or bowel.").is_visible()
    assert screen.get_by_text(advise(sign, "911").message).is_visible()  # the server's own words
    call = screen.get_by_role("link", name="Call 911 now")
    assert call.get_attribute("href") == "tel:911" and call.is_visible()
    assert screen.locator(".sources a").first.inner_text() == "Cauda equina syndrome"
    assert "Background reading:" in screen.locator(".background-reading").inner_text()
    assert focused(page) == "alert-screen-title"
    box = screen.bounding_box()
    assert box is not None and box["y"] < 200 and box["height"] > 500  # fills the screen, as the server's does
    assert len(queued(page)) == 1  # the send failed: the entry stays, and so does the warning
    assert not Episode.objects.exists()
    about = screen.locator("[data-about]").inner_text()
    assert about.startswith("About the episode that started ")

    server.start()
    page.goto("/")  # the next open sends what waits
    until(page, lambda: Episode.objects.exists())
    page.goto(f"/alert/{Episode.objects.get().id}/")
    assert page.locator(".alert-screen [data-about]").inner_text() == about  # the server's screen says the same
    page.goto("/")
    banner = page.locator(".flag-banner.level-emergency")
    assert sign.title in banner.inner_text()
    assert banner.get_by_role("link", name="Call 911").get_attribute("href") == "tel:911"
    flag = Flag.objects.get(patient=patient)
    assert (flag.code, flag.status) == ("emergency.spinal_cord", "open")


@COMMITTED
def test_offline_a_late_stroke_entry_gets_the_see_a_doctor_today_screen(app_phone, server):
    page = app_phone
    go_offline_on_the_log_page(page, server, "luca", "112")
    fill_basics(page, "right:shin")
    page.locator(".chips.when label", has_text="Earlier").click()
    # Three days ago on the phone's clock, as the form reads it.
    three_days_ago = page.evaluate("window.DiaryUtil.isoLocal(new Date(Date.now() - 3 * 86400000)).slice(0, 16)")
    page.fill("#id_started_at", three_days_ago)
    tick_alarm(page, "Slurred or difficult speech")
    page.click("button.log-save")

    page.get_by_role("heading", name="See a doctor today").wait_for()
    sign = CATALOGUE["emergency.stroke_signs"]
    screen = page.locator(".alert-screen[role=alert]")
    assert screen.get_by_role("heading", name=sign.late_title).is_visible()
    late = advise(sign, "112", [(dt.datetime.now(dt.UTC) - dt.timedelta(days=3), dt.datetime.now(dt.UTC))])
    assert late.late_entry and screen.get_by_text(late.message).is_visible()
    assert screen.locator("a[href^='tel:']").count() == 0
    assert len(queued(page)) == 1


@COMMITTED
def test_offline_logged_by_mistake_takes_the_entry_off_the_phone(app_phone, server):
    page = app_phone
    go_offline_on_the_log_page(page, server, "mika", "999")
    fill_basics(page)
    tick_alarm(page, "Chest pain")
    page.click("button.log-save")
    page.get_by_role("heading", name="Act now").wait_for()
    assert len(queued(page)) == 1
    page.get_by_role("button", name="Logged by mistake? Remove this entry").click()
    page.get_by_role("heading", name="Removed").wait_for()
    assert queued(page) == []
    until(page, lambda: page.locator("#queue-chip").is_hidden())
    server.start()
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert not Episode.objects.exists()


# --- With Redis refused and no worker: the save opened the flag -----------------------------------------------


@pytest.fixture
def server_without_redis(tmp_path: Path) -> Iterator[AppServer]:
    """The production path for background work (a broker, no in-process tasks), with Redis refusing."""
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    app = AppServer(tmp_path / "server.log", env={"REDIS_URL": dead, "CELERY_TASK_ALWAYS_EAGER": "0"})
    app.start()
    yield app
    app.stop()


@COMMITTED
def test_today_right_after_the_warning_screen_with_redis_refused_and_no_worker(browser: Browser, server_without_redis):
    server = server_without_redis
    context = browser.new_context(viewport=chromium.PHONE, base_url=server.url, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        patient = sign_in(page, "rae")
        page.goto("/log/")
        fill_basics(page, "left:shin")
        tick_alarm(page, "Leg or foot pale, blue or cold to touch")
        page.click("button.log-save")
        page.get_by_role("heading", name="Act now").wait_for()
        title = CATALOGUE["emergency.blood_clot"].title
        assert page.get_by_role("heading", name=title).is_visible()

        page.get_by_role("link", name="Back to Today").click()
        banner = page.locator(".flag-banner.level-emergency")
        banner.wait_for()
        assert f"Emergency: {title}." in banner.inner_text()
        assert "nothing open" not in page.content()
        assert Flag.objects.get(patient=patient).status == "open"
        assert "not queued" in server.log.read_text()  # no review could be asked for: the save did it all
    finally:
        context.close()


# --- The saddle alone, removal from the warning screen, "None of these" (the live server) -------------------


def test_the_saddle_alone_is_asked_about_once_and_yes_saves(phone, sign_in):
    patient = sign_in("sadie", emergency_number="999")
    phone.goto("/log/")
    fill_basics(phone, "left:saddle")
    phone.click("button.log-save")
    question = phone.get_by_text("You marked between the legs / around the bottom. Is that right?")
    question.wait_for()
    assert phone.locator("button.log-save").is_hidden() and not patient.episodes.exists()
    assert focused(phone) == "region-check-question"
    box = phone.locator(".log-bar").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844  # in the Save bar, in sight

    phone.get_by_role("button", name="Yes, save").click()
    phone.get_by_role("link", name="Call 999 now").wait_for()
    episode = patient.episodes.get()
    assert [(loc.side, loc.region) for loc in episode.locations.all()] == [("left", "saddle")]


def test_the_saddle_alone_no_removes_it_and_nothing_is_saved_until_save(phone, sign_in):
    patient = sign_in("noah", emergency_number="999")
    phone.goto("/log/")
    fill_basics(phone, "right:saddle")
    phone.click("button.log-save")
    phone.get_by_role("button", name="No, remove it").click()
    assert phone.locator(".log-summary").inner_text() == (
        "Removed: between the legs / around the bottom. Mark where it was, then Save."
    )
    assert phone.locator('.region[data-location="right:saddle"]').first.get_attribute("aria-pressed") == "false"
    assert phone.locator("[data-region-check]").is_hidden() and not patient.episodes.exists()
    phone.locator('.region[data-location="right:thigh_front"]').first.tap()
    phone.click("button.log-save")
    phone.wait_for_url(on_today)
    assert [(loc.side, loc.region) for loc in patient.episodes.get().locations.all()] == [("right", "thigh_front")]


def test_the_saddle_with_an_alarm_symptom_is_not_asked_about(phone, sign_in):
    sign_in("saul", emergency_number="999")
    phone.goto("/log/")
    fill_basics(phone, "left:saddle")
    tick_alarm(phone, "Numb between the legs or around the bottom")
    phone.click("button.log-save")
    phone.get_by_role("link", name="Call 999 now").wait_for()


def test_an_entry_logged_by_mistake_is_removed_from_the_warning_screen(phone, sign_in):
    patient = sign_in("remy", emergency_number="999")
    phone.goto("/log/")
    fill_basics(phone)
    tick_alarm(phone, "Fainted or nearly fainted")
    phone.click("button.log-save")
    phone.get_by_role("heading", name="Act now").wait_for()
    assert Flag.objects.get(patient=patient).status == "open"
    phone.get_by_role("button", name="Logged by mistake? Remove this entry").click()
    phone.get_by_text("Removed: that entry is no longer in your diary. The warning it raised is withdrawn.").wait_for()
    assert phone.get_by_text("nothing open").is_visible()
    assert not patient.episodes.exists() and Flag.objects.get(patient=patient).resolution == "withdrawn"


def test_none_of_these_excludes_the_alarm_questions_and_is_stored(phone, sign_in):
    patient = sign_in("nina")
    phone.goto("/log/")
    fill_basics(phone)
    state = phone.locator("[data-alarm-state]")
    tick_alarm(phone, "None of these")
    assert state.inner_text() == "None of these"
    phone.locator(".alarm-check label.chip", has_text="Short of breath").click()
    assert not phone.locator("input[name=alarm_none]").is_checked()  # a sign unticks "None of these"
    assert state.inner_text() == "Ticked: Short of breath"
    phone.locator(".alarm-check label.chip", has_text="None of these").click()
    assert phone.locator("input[name=alarm_symptoms]:checked").count() == 0  # and "None of these" the signs
    phone.click("button.log-save")
    phone.wait_for_url(on_today)
    episode = patient.episodes.get()
    assert episode.alarm_answered and episode.symptoms == []


def test_a_log_page_cut_off_after_it_opened_warns_from_the_signs_it_carries(phone, sign_in):
    # No service worker (the phone fixture) and no request for the signs when the page opens: the catalogue is in
    # the page, so the phone's own check works on a first visit cut off before Save, and the page asks nothing more.
    asked: list[str] = []
    phone.on("request", lambda request: asked.append(urlparse(request.url).path))
    sign_in("noor")
    phone.goto("/log/")
    phone.wait_for_load_state("networkidle")
    assert "/log/" in asked and "/app/signs.json" not in asked
    phone.context.set_offline(True)
    fill_basics(phone)
    tick_alarm(phone, "Can't control bladder or bowel")
    phone.click("button.log-save")
    phone.get_by_role("heading", name="Act now").wait_for()
    sign = CATALOGUE["emergency.spinal_cord"]
    assert phone.locator(".alert-screen").get_by_role("heading", name=sign.title).is_visible()
    assert "/app/signs.json" not in asked


def test_a_log_page_kept_from_before_the_signs_came_with_it_still_reads_them(phone, sign_in):
    # A log page the worker kept before this version has no catalogue in it, only the address of /app/signs.json on
    # its template: today's script reads them from there when the page opens, as that version did.
    sign_in("omar")

    def as_kept_before(route: Route) -> None:
        if route.request.method != "GET":
            route.continue_()  # the Save
            return
        response = route.fetch()
        signs = r'<script id="instant-signs" type="application/json">.*?</script>'
        old = re.sub(signs, "", response.text(), flags=re.S)
        route.fulfill(response=response, body=old)

    phone.route("**/log/", as_kept_before)
    phone.goto("/log/")
    phone.wait_for_load_state("networkidle")
    assert phone.locator("#instant-signs").count() == 0
    phone.context.set_offline(True)
    fill_basics(phone)
    tick_alarm(phone, "Chest pain")
    phone.click("button.log-save")
    phone.get_by_role("heading", name="Act now").wait_for()


@COMMITTED
def test_offline_the_workers_copy_of_the_signs_comes_before_the_pages_own(app_phone, server):
    # The worker keeps /app/signs.json with today's scripts, and runs those on a log page it kept, whose own copy of
    # the signs may be of an older day. Here the page's copy holds no sign at all (read only when an entry is kept, so
    # changed here before Save): the warning screen still comes, from the worker's copy.
    page = app_phone
    go_offline_on_the_log_page(page, server, "ines", "112")
    page.evaluate("""() => {
        document.getElementById("instant-signs").textContent = '{"actions": {}, "level_order": {}, "signs": []}';
    }""")
    fill_basics(page)
    tick_alarm(page, "Can't control bladder or bowel")
    page.click("button.log-save")
    page.get_by_role("heading", name="Act now").wait_for()
    assert page.get_by_role("link", name="Call 112 now").is_visible()


def test_a_first_visit_with_no_worker_reads_the_pages_own_copy_when_there_is_no_other(phone, sign_in):
    # No worker (the phone fixture), so no kept /app/signs.json: the page's own copy decides. With it emptied, the
    # entry is kept with no warning screen, which shows the page's copy is the one read.
    sign_in("ugo")
    phone.goto("/log/")
    phone.wait_for_load_state("networkidle")
    phone.evaluate("""() => {
        document.getElementById("instant-signs").textContent = '{"actions": {}, "level_order": {}, "signs": []}';
    }""")
    phone.context.set_offline(True)
    fill_basics(phone)
    tick_alarm(phone, "Chest pain")
    phone.click("button.log-save")
    phone.get_by_text("Saved on this phone, will send when online.").wait_for()
    assert phone.locator(".alert-screen").count() == 0
