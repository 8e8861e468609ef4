"""The installable app in Chromium: pages open from the service worker's copy when the server is really
down, an entry saved then is sent once when it is back, logout clears the copies, the manifest passes
Chromium's installability check, and a push message becomes a notification."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re

import pytest
from playwright.sync_api import CDPSession, Page

from diary.models import Episode
from tests.browser import chromium
from tests.browser.appserver import sign_in, until
from tests.browser.chromium import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def cached_pages(page: Page) -> list[str]:
    urls: list[str] = page.evaluate(
        """async () => {
            const names = (await caches.keys()).filter((k) => k.startsWith("pages-"));
            const urls = [];
            for (const name of names) {
                for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
            }
            return urls.sort();
        }"""
    )
    return urls


def in_viewport(locator) -> bool:
    box = locator.bounding_box()
    return locator.is_visible() and box is not None and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]


def worker_devtools(page: Page) -> tuple[CDPSession, str]:
    """A DevTools session on the page and the id of its service worker's registration, once there is one."""
    cdp = page.context.new_cdp_session(page)
    registrations: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(r["registrationId"] for r in e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    until(page, lambda: registrations)
    return cdp, registrations[0]


def test_pages_open_offline_and_an_entry_saved_then_is_sent_once_with_its_tap_time(app_phone, server):
    page = app_phone
    patient = sign_in(page, "olga")
    for path in ("/", "/log/", "/history/", "/trends/"):
        page.goto(path)
    assert cached_pages(page) == ["/", "/history/", "/log/", "/trends/"]

    server.stop()  # really unreachable: connection refused, for the page and the worker alike

    page.goto("/")
    assert page.locator("h2", has_text="Today").first.is_visible()
    bar = page.locator("#offline-bar")
    assert re.fullmatch(r"offline — showing what you saw at \d\d:\d\d", bar.inner_text())
    assert in_viewport(bar)

    page.goto("/log/")
    page.locator('.region[data-location="left:heel"]').first.tap()
    page.locator(".chips.severity label", has_text="5").first.click()
    page.locator(".chips.duration label").filter(has_text=re.compile(r"^5 min$")).click()
    tapped_from = dt.datetime.now(dt.UTC).replace(microsecond=0)
    page.click("button:has-text('Save')")
    saved = page.locator(".queue-saved")
    saved.wait_for()
    tapped_to = dt.datetime.now(dt.UTC)
    assert saved.inner_text() == "Saved on this phone, will send when online."
    chip = page.locator("#queue-chip")
    chip.wait_for()
    assert chip.inner_text() == "1 waiting to send"
    # The chip is a strip that stays at the top as the page scrolls, in a place of its own: nothing is under it.
    assert in_viewport(chip) and in_viewport(saved)  # where the patient is looking: by the Save button
    assert chip.evaluate("c => getComputedStyle(c).position") == "sticky"

    server.start()
    # The replay must come in a later second than the tap, so that a start time taken then would show.
    until(page, lambda: dt.datetime.now(dt.UTC) > tapped_to + dt.timedelta(seconds=1))
    page.goto("/")  # the next open sends what waits
    until(page, lambda: Episode.objects.exists())
    until(page, lambda: page.locator("#queue-chip").is_hidden())
    episode = patient.episodes.get()
    assert tapped_from <= episode.started_at <= tapped_to
    assert [(loc.side, loc.region) for loc in episode.locations.all()] == [("left", "heel")]

    page.goto("/history/")  # later opens find nothing left to send
    page.wait_for_load_state("networkidle")
    assert server.requests("POST", "/log/") == 1
    assert Episode.objects.count() == 1


def test_a_page_kept_before_a_deploy_opens_offline_with_todays_scripts_and_stylesheet(app_phone, server):
    page = app_phone
    patient = sign_in(page, "dora")
    page.goto("/log/")
    # As a deploy leaves it: the kept copy names static files whose content, and so whose hashed name, has changed
    # since (in production app.css is app.f5c80b5cca55.css), and the joined file of a list of scripts that has
    # changed since (Log's ran focus before instant, and a script since removed): the shell holds today's files only.
    # Its head is from before the scripts were joined: four script tags, pwa.js's with the worker's address and the
    # pages' cache name on it (no meta tag then).
    renamed = page.evaluate(
        r"""async () => {
            let renamed = 0;
            for (const name of (await caches.keys()).filter((k) => k.startsWith("pages-"))) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) {
                    const kept = await cache.match(request);
                    let html = (await kept.text()).replace("_focus_instant.js", "_instant_gone_focus.js");
                    const meta = html.match(
                        /<meta name="service-worker" content="([^"]*)" data-page-cache-prefix="([^"]*)">/);
                    const own = (folder, script) => `<script src="${folder}${script}.js"`
                        + (script === "pwa" ? ` data-worker="${meta[1]}" data-page-cache-prefix="${meta[2]}"` : "")
                        + " defer></script>";
                    html = html.replace(meta[0], "").replace(
                        /<script src="(\/static\/js\/)bundle\/util_queue_pwa_localtime\.js"[^>]*><\/script>/,
                        (all, folder) => ["util", "queue", "pwa", "localtime"].map((s) => own(folder, s)).join(""))
                        .replace(/((?:src|href)="\/static\/[^"]+?)(\.(?:js|css))"/g,
                        (all, path, suffix) => { renamed += 1; return `${path}.0123456789ab${suffix}"`; });
                    await cache.put(request, new Response(html, { headers: kept.headers }));
                }
            }
            return renamed;
        }"""
    )
    assert renamed >= 6  # the stylesheet, the head's four scripts and the body's file

    server.stop()
    page.goto("/log/")
    assert 'data-worker="' in page.content() and 'name="service-worker"' not in page.content()  # the older head
    assert page.locator("#offline-bar").is_visible()  # pwa.js ran, on its own tag's values
    assert page.locator(".log-form").evaluate("f => getComputedStyle(f.querySelector('.chip')).borderRadius") != "0px"
    assert "bodymap_logform_instant_gone_focus" not in page.content()  # its scripts came one by one, but the gone one
    page.locator('.region[data-location="left:heel"]').first.tap()  # a button: bodymap.js ran (the body's file)
    page.locator(".chips.severity label", has_text="4").first.click()
    page.locator(".chips.duration label").filter(has_text=re.compile(r"^5 min$")).click()
    page.click("button:has-text('Save')")
    page.locator(".queue-saved").wait_for()  # offline.js kept it: nothing typed is lost

    server.start()
    page.goto("/")
    until(page, lambda: patient.episodes.exists())


def test_a_page_loaded_past_the_active_worker_is_claimed_by_it(app_phone, server):
    # A page the worker does not control while it is active: as when signing in while the worker installs from the
    # login page (Today's load was under way when it claimed its clients: CI once waited 30 s for control there),
    # or after Shift+reload, which bypasses the worker and is the one we can make happen on purpose.
    page = app_phone
    sign_in(page, "tove")
    cdp = page.context.new_cdp_session(page)
    with page.expect_navigation():
        cdp.send("Page.reload", {"ignoreCache": True})
    page.wait_for_load_state("load")
    # The page asks the worker, which claims it: without that it would wait for the next visit.
    until(page, lambda: page.evaluate("!!navigator.serviceWorker.controller"))


def test_background_sync_sends_the_queue_without_a_page_open(app_phone, server):
    page = app_phone
    patient = sign_in(page, "pia")
    page.goto("/log/")
    server.stop()
    page.goto("/log/")
    page.locator('.region[data-location="right:shin"]').first.tap()
    page.locator(".chips.severity label", has_text="3").first.click()
    page.locator(".chips.duration label").filter(has_text=re.compile(r"^5 min$")).click()
    page.click("button:has-text('Save')")
    page.locator("#queue-chip").wait_for()
    server.start()

    # The browser fires "sync" when it thinks the network is back; DevTools fires it now.
    cdp, registration = worker_devtools(page)
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {"origin": server.url, "registrationId": registration, "tag": "diary-queue", "lastChance": False},
    )
    until(page, lambda: patient.episodes.exists())
    until(page, lambda: page.locator("#queue-chip").is_hidden())  # the worker tells the page
    assert server.requests("POST", "/log/") == 1


def test_logging_out_clears_the_cached_pages_and_other_patients_entries(app_phone, server):
    page = app_phone
    sign_in(page, "una")
    page.goto("/history/")
    assert cached_pages(page)
    page.evaluate(
        """() => DiaryQueue.put({id: "00000000-0000-4000-8000-000000000001", url: "/log/", fields: [],
                                  queuedAt: 1, patient: "someone-else"})"""
    )
    page.evaluate(
        """() => DiaryQueue.put({id: "00000000-0000-4000-8000-000000000002", url: "/log/", fields: [],
                                  queuedAt: 2, patient: document.body.dataset.patient})"""
    )
    page.click("button:has-text('Log out')")
    page.wait_for_url("**/accounts/login/")
    assert cached_pages(page) == []
    kept = page.evaluate(
        """() => new Promise((ok) => {
            const r = indexedDB.open("numbness-diary");
            r.onsuccess = () => {
                const q = r.result.transaction("entries").objectStore("entries").getAll();
                q.onsuccess = () => ok(q.result.map((e) => e.id));
            };
        })"""
    )
    assert kept == ["00000000-0000-4000-8000-000000000002"]  # una's own unsent entry waits for her next sign-in

    server.stop()
    page.goto("/")  # no copy of una's Today any more: the offline page, which holds nobody's data
    assert page.locator("h2", has_text="No connection").is_visible()
    assert "una" not in page.content()


def test_the_manifest_passes_chromiums_installability_check(browser, server, tmp_path):
    # A profile on disk: Chromium installs nothing from an incognito-like context.
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", **chromium.launch_options(), viewport=PHONE, base_url=server.url
    )
    page = context.pages[0] if context.pages else context.new_page()
    try:
        check_installable(page)
    finally:
        context.close()


def check_installable(page) -> None:
    sign_in(page, "ivy")
    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert manifest.get("errors", []) == []

    # Chromium offers the install prompt to an installable site: Today shows the small hint instead.
    page.goto("/")
    hint = page.locator("#install-hint")
    hint.wait_for()
    hint.locator("[data-install-dismiss]").click()
    assert hint.is_hidden()
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert hint.is_hidden()  # "Not now" is remembered


def test_a_push_message_to_the_worker_shows_a_notification(app_phone, server):
    page = app_phone
    page.context.grant_permissions(["notifications"], origin=server.url)
    sign_in(page, "nell")
    cdp, registration = worker_devtools(page)
    message = {"title": "Numbness Diary", "body": "Time for your diary entry", "url": "/", "tag": "reminder"}
    shown = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
        .map((n) => [n.title, n.body, n.tag])"""
    # As a push service does, the message is delivered again while it has not been taken (here: shown): on a busy
    # machine DevTools may hand the first one to a worker that is still starting. The tag makes a repeat replace it.
    for _ in range(3):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": server.url, "registrationId": registration, "data": json.dumps(message)},
        )
        with contextlib.suppress(AssertionError):
            until(page, lambda: page.evaluate(shown), tries=100)
            break
    assert page.evaluate(shown) == [["Numbness Diary", "Time for your diary entry", "reminder"]]
