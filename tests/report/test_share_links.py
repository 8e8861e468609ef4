"""Share links: valid, expired, revoked, wrong, another patient's; the access log; rate limiting."""

import datetime as dt
import io
import re

import pytest
import time_machine
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
    assert "1 Jan 2026 – 31 Mar 2026" in text
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


def test_repeated_wrong_tokens_are_rate_limited(client, shared):
    for n in range(sharing.MISSES_ALLOWED):
        assert client.get(f"/share/guess-{n}/").status_code == 404
    assert client.get("/share/guess-again/").status_code == 429
    assert client.get(f"/share/{shared.token}/").status_code == 429  # even a right token waits out the window
    other_address = client.get(f"/share/{shared.token}/", REMOTE_ADDR="192.0.2.7")
    assert other_address.status_code == 200


def test_patient_creates_sees_and_revokes_links_with_their_access_log(web, patient, client):
    response = web.post("/report/share/", {"first": "2026-01-01", "last": "2026-03-31", "days": "30"}, follow=True)
    page = response.content.decode()
    url = re.search(r'value="(http://testserver/share/[^"]+/)"', page).group(1)
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
    page = web.post("/report/share/", too_long, follow=True).content.decode()
    assert "questions: Ensure this value has at most 1000 characters" in page
    assert not ShareLink.objects.exists()


def test_the_questions_for_the_doctor_travel_with_the_link_to_page_and_pdf(web, patient, client):
    log(patient, started_at=dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC))
    questions = "Should I stop cycling?\nIs it my back?"
    response = web.post("/report/share/", {"first": "2026-01-01", "last": "2026-03-31", "days": "7",
                                           "questions": questions}, follow=True)  # fmt: skip
    url = re.search(r'value="http://testserver(/share/[^"]+/)"', response.content.decode()).group(1)
    assert ShareLink.objects.get().questions == questions
    page = client.get(url).content.decode()
    assert "Questions for my doctor" in page and "Should I stop cycling?<br>Is it my back?" in page
    link = ShareLink.objects.get()
    assert f"This link works until <strong>{link.expires_at:%-d %b %Y %H:%M} UTC</strong>" in page
    pdf = PdfReader(io.BytesIO(client.get(f"{url}report.pdf").content))
    assert "Should I stop cycling?" in pdf.pages[0].extract_text()


def test_another_patient_cannot_list_or_revoke_the_link(client, other_patient, shared):
    client.force_login(other_patient)
    assert "1 Jan 2026 – 31 Mar 2026" not in client.get("/report/").content.decode()
    client.post(f"/report/share/{shared.link.id}/revoke/")
    shared.link.refresh_from_db()
    assert shared.link.revoked_at is None
