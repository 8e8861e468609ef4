"""Share links: valid, expired, revoked, wrong, another patient's; the access log; rate limiting."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from pypdf import PdfReader

from report import sharing
from report.models import ShareAccess, ShareLink
from tests.conftest import log

FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


@pytest.fixture
def shared(patient):
    log(patient, started_at=dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC), notes="desk chair")
    log(patient, started_at=dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC), notes="outside the period")
    return sharing.create_link(patient=patient, first=FIRST, last=LAST)


def test_the_token_is_long_random_and_stored_only_hashed(shared):
    assert len(shared.token) >= 43  # 32 bytes, URL-safe base64: 256 bits
    link = ShareLink.objects.get()
    assert link.token_hash == sharing.token_hash(shared.token) and shared.token not in link.token_hash
    assert not ShareLink.objects.filter(token_hash=shared.token).exists()
    assert link.expires_at - link.created_at == dt.timedelta(days=14)


def test_a_valid_link_shows_the_report_without_an_account_and_logs_it(client, shared):
    page = client.get(f"/share/{shared.token}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "desk chair" in text and "outside the period" not in text
    assert "1 Jan – 31 Mar 2026" in text
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "no-referrer"
    pdf = client.get(f"/share/{shared.token}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert list(ShareAccess.objects.order_by("at").values_list("what", flat=True)) == ["page", "pdf"]


def missing(response) -> bool:
    return response.status_code == 404 and b"This report is not available" in response.content


def test_expired_revoked_and_wrong_tokens_get_the_same_404(client, patient, shared):
    assert missing(client.get("/share/not-a-real-token/"))
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=15)):
        assert missing(client.get(f"/share/{shared.token}/"))
        assert missing(client.get(f"/share/{shared.token}/report.pdf"))
    assert sharing.revoke(patient=patient, link_id=shared.link.id)
    assert missing(client.get(f"/share/{shared.token}/"))
    assert not ShareAccess.objects.exists()  # nothing was shown, nothing logged as opened


def test_link_lifetime_is_limited(patient):
    with pytest.raises(Exception, match="from 1 to 90 days"):
        sharing.create_link(patient=patient, first=FIRST, last=LAST, days=91)


def test_wrong_tokens_are_counted_per_address_and_a_valid_token_still_opens(client, shared, clock_held):
    allowed = int(settings.RATE_LIMITS["share-miss-address"].split("/")[0])
    for n in range(allowed):
        assert client.get(f"/share/guess-{n}/").status_code == 404
    slowed = client.get("/share/guess-again/")
    assert slowed.status_code == 429 and 0 < int(slowed["Retry-After"]) <= 15 * 60
    assert "Please wait" in slowed.content.decode()
    assert client.get(f"/share/{shared.token}/").status_code == 200  # the physician's own link is never blocked
    assert client.get(f"/share/{shared.token}/report.pdf").status_code == 200
    assert client.get("/share/guess-more/").status_code == 429  # and opening it did not reset the count
    assert client.get("/share/guess-more/", REMOTE_ADDR="192.0.2.7").status_code == 404  # another address


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(client, db, settings, clock_held):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"share-miss-address": "2/15m"}
    via_proxy = {"REMOTE_ADDR": "10.1.2.3"}
    for _ in range(2):
        assert client.get("/share/guess/", HTTP_X_FORWARDED_FOR="198.51.100.1", **via_proxy).status_code == 404
    assert client.get("/share/guess/", HTTP_X_FORWARDED_FOR="198.51.100.1", **via_proxy).status_code == 429
    # Another client behind the same proxy is counted apart; a forged left-hand entry changes nothing.
    assert client.get("/share/guess/", HTTP_X_FORWARDED_FOR="198.51.100.2", **via_proxy).status_code == 404
    forged = "198.51.100.9, 198.51.100.1"
    assert client.get("/share/guess/", HTTP_X_FORWARDED_FOR=forged, **via_proxy).status_code == 429
    # From an untrusted peer the header is ignored: the peer itself is counted.
    direct = {"REMOTE_ADDR": "203.0.113.5"}
    for n in range(2):
        assert client.get("/share/guess/", HTTP_X_FORWARDED_FOR=f"198.51.100.{50 + n}", **direct).status_code == 404
    assert client.get("/share/guess/", HTTP_X_FORWARDED_FOR="198.51.100.60", **direct).status_code == 429


def test_with_redis_unreachable_shared_pages_and_pdfs_still_open(client, shared, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    assert client.get(f"/share/{shared.token}/").status_code == 200
    assert client.get(f"/share/{shared.token}/report.pdf").status_code == 200
    assert missing(client.get("/share/wrong-token/"))  # no limit, no error
    assert "cache is unreachable" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_tokens_are_counted_exactly_once_each(patient, settings, clock_held):
    """Check-and-count is one atomic increment in Redis: 40 simultaneous guesses, 10 let through."""
    from concurrent.futures import ThreadPoolExecutor

    import redis
    from django.db import connection
    from django.test import Client

    from tests.processes import REDIS_URL

    redis.Redis.from_url(REDIS_URL).flushdb()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"share-miss-address": "10/15m"}

    def guess(n: int) -> int:
        try:
            return Client().get(f"/share/guess-{n}/").status_code
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(guess, range(40)))
    redis.Redis.from_url(REDIS_URL).flushdb()
    assert statuses.count(404) == 10 and statuses.count(429) == 30


def test_patient_creates_sees_and_revokes_links_with_their_access_log(web, patient, client):
    response = web.post("/report/share/", {"first": "2026-01-01", "last": "2026-03-31", "days": "30"}, follow=True)
    page = response.content.decode()
    found = re.search(r'value="(http://testserver/share/[^"]+/)"', page)
    assert found
    url = found.group(1)
    assert "shown only once" in page
    assert url not in web.get("/report/").content.decode()  # not shown again
    link = ShareLink.objects.get()
    assert (link.expires_at - link.created_at).days == 30

    web.get(url.replace("http://testserver", ""))
    page = web.get("/report/").content.decode()
    assert "Opened 1 time" in page and "(Web page)" in page
    web.post(f"/report/share/{link.id}/revoke/")
    link.refresh_from_db()
    assert link.revoked_at is not None and "revoked" in web.get("/report/").content.decode()


def test_bad_share_form_changes_nothing(web):
    web.post("/report/share/", {"first": "2026-01-01", "last": "2026-03-31", "days": "365"})
    web.post("/report/share/", {"first": "2026-03-31", "last": "2026-01-01", "days": "5"})
    too_long = {"first": "2026-01-01", "last": "2026-03-31", "days": "5", "questions": "?" * 1001}
    response = web.post("/report/share/", too_long)
    assert response.status_code == 400
    assert "Questions for my doctor (optional, printed on page 1): Ensure this value has at most 1000 characters" in (
        response.content.decode()
    )
    assert not ShareLink.objects.exists()


def test_the_questions_for_the_doctor_travel_with_the_link_to_page_and_pdf(web, patient, client):
    log(patient, started_at=dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC))
    questions = "Should I stop cycling?\nIs it my back?"
    response = web.post("/report/share/", {"first": "2026-01-01", "last": "2026-03-31", "days": "7",
                                           "questions": questions}, follow=True)  # fmt: skip
    found = re.search(r'value="http://testserver(/share/[^"]+/)"', response.content.decode())
    assert found
    url = found.group(1)
    assert ShareLink.objects.get().questions == questions
    page = client.get(url).content.decode()
    assert "The patient's questions" in page and "Should I stop cycling?<br>Is it my back?" in page
    link = ShareLink.objects.get()
    assert f"This link works until <strong>{link.expires_at:%-d %b %Y %H:%M} UTC</strong>" in page
    pdf = PdfReader(io.BytesIO(client.get(f"{url}report.pdf").content))
    assert "Should I stop cycling?" in pdf.pages[0].extract_text()
    # The patient's page after the link keeps what they typed, so the PDF they make next has their questions too,
    # and the page after that starts afresh.
    assert "Should I stop cycling?\nIs it my back?</textarea>" in response.content.decode()
    assert "Should I stop cycling?" not in web.get("/report/").content.decode()


def test_a_link_refused_keeps_the_questions_typed(web, patient):
    refused = web.post("/report/share/", {"first": "2026-03-31", "last": "2026-01-01", "days": "7",
                                          "questions": "Is it my back?"})  # fmt: skip
    assert refused.status_code == 400 and not ShareLink.objects.exists()
    assert "Is it my back?</textarea>" in refused.content.decode()


@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC))
@pytest.mark.parametrize(
    ("first", "last", "problem"),
    [
        ("0001-01-01", "2026-03-31", "Start date: The start date is before 1 Jan 2000"),
        ("1999-12-31", "2001-01-01", "Start date: The start date is before 1 Jan 2000"),
        ("6000-01-01", "9999-12-30", "End date: The end date is after today (1 Jun 2026)"),
        ("2026-05-01", "2026-06-02", "End date: The end date is after today"),
        ("2023-01-01", "2026-05-31", "Start date: A shared link covers at most 2 years"),
        ("2026-01-01", "10000-01-01", "End date: Enter a valid date"),
        ("2005-05-01", "2006-01-01", "Start date: The start date is before your date of birth (2 May 2005)"),
    ],
)
def test_a_share_period_out_of_bounds_is_a_400_naming_the_field(web, patient, first, last, problem):
    from diary import services

    services.update_profile(patient=patient, date_of_birth=dt.date(2005, 5, 2))
    response = web.post("/report/share/", {"first": first, "last": last, "days": "14"})
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not ShareLink.objects.exists()


@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC))
def test_a_share_period_starts_no_earlier_than_the_first_entry(patient):
    log(patient, started_at=dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC))
    link = sharing.create_link(patient=patient, first=dt.date(2025, 12, 1), last=dt.date(2026, 5, 31)).link
    assert (link.first, link.last) == (dt.date(2026, 3, 10), dt.date(2026, 5, 31))
    # Two years exactly, ending today, is allowed; a period wholly before the diary is kept as asked.
    two_years = sharing.create_link(patient=patient, first=dt.date(2024, 6, 2), last=dt.date(2026, 6, 1)).link
    assert two_years.first == dt.date(2026, 3, 10)
    before = sharing.create_link(patient=patient, first=dt.date(2025, 1, 1), last=dt.date(2025, 2, 1)).link
    assert before.first == dt.date(2025, 1, 1)


def test_another_patient_cannot_list_or_revoke_the_link(client, patient, other_patient, shared):
    client.force_login(patient)
    assert "1 Jan – 31 Mar 2026" in client.get("/report/").content.decode()  # the owner's list shows it
    client.force_login(other_patient)
    assert "1 Jan – 31 Mar 2026" not in client.get("/report/").content.decode()
    client.post(f"/report/share/{shared.link.id}/revoke/")
    shared.link.refresh_from_db()
    assert shared.link.revoked_at is None


@time_machine.travel(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC), tick=False)
def test_the_links_end_is_said_in_utc_also_to_the_patient_signed_in(web, patient):
    """The page says "UTC": so it is, also when the patient opens their own link signed in, in London's summer time
    (it said 13:00 UTC, the local hour)."""
    link = sharing.create_link(patient=patient, first=FIRST, last=LAST, days=7)
    assert ShareLink.objects.get().expires_at == dt.datetime(2026, 7, 8, 12, 0, tzinfo=dt.UTC)
    for viewer in (web, Client()):  # the patient signed in, and a doctor
        page = viewer.get(f"/share/{link.token}/").content.decode()
        assert "This link works until <strong>8 Jul 2026 12:00 UTC</strong>" in page
