"""The pages: Today's offer (and "not now"), the answer page, the result, deleting, and the Trends slot."""

import datetime as dt
import html
import json
import re
import uuid

import pytest
import time_machine

from questionnaires.instruments import MNSI_HISTORY, standing
from questionnaires.models import QuestionnaireResponse
from tests.conftest import log, make_patient, scripts_run_by
from tests.questionnaires.conftest import answer

NOW = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)  # 13:00 in London
OFFER = "A check on your legs and feet"


@pytest.fixture
def patient(db):
    with time_machine.travel(NOW - dt.timedelta(days=90), tick=False):
        return make_patient()


@pytest.fixture
def web(client, patient):
    client.force_login(patient)
    with time_machine.travel(NOW, tick=False):
        yield client


def form_data(yes=(), **extra):
    return {"id": str(uuid.uuid4())} | {f"item_{n}": "yes" if n in yes else "no" for n in range(1, 16)} | extra


def text(response):
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


@pytest.fixture
def diary(patient):
    """A diary that began with an episode 80 days ago, so that Trends' periods reach back that far."""
    with time_machine.travel(NOW - dt.timedelta(days=80), tick=False):
        return log(patient)


# --- Today's offer -----------------------------------------------------------------------------------------------


def test_today_offers_it_when_none_was_ever_answered(web):
    page = text(web.get("/"))
    assert OFFER in page and "15 yes/no questions, about 2 minutes" in page
    assert 'href="/questionnaires/mnsi-history/"' in page and "Not now" in page


@pytest.mark.parametrize("days_ago, offered", [(0, False), (27, False), (28, True), (60, True)])
def test_today_offers_it_again_28_days_after_the_last_answers(web, patient, days_ago, offered):
    # London dates: answered at 10:00 local on the date `days_ago` before 10 June.
    answer(patient, NOW - dt.timedelta(days=days_ago, hours=3))
    page = text(web.get("/"))
    assert (OFFER in page) is offered
    if offered:
        day = (NOW - dt.timedelta(days=days_ago)).date()
        assert f"Last answered {day.day} {day:%B}." in page


def test_not_now_puts_the_offer_away_for_28_days(client, patient):
    client.force_login(patient)
    with time_machine.travel(NOW, tick=False):
        response = client.post("/questionnaires/mnsi-history/not-now/", follow=True)
        page = text(response)
        assert "It will be offered again in 28 days" in page and OFFER not in page
    with time_machine.travel(NOW + dt.timedelta(days=27), tick=False):
        assert OFFER not in text(client.get("/"))
    with time_machine.travel(NOW + dt.timedelta(days=28), tick=False):
        assert OFFER in text(client.get("/"))


def test_not_now_from_the_offline_queue_answers_json(web):
    response = web.post("/questionnaires/mnsi-history/not-now/", HTTP_ACCEPT="application/json")
    assert response.json() == {"next": "/"}
    assert OFFER not in text(web.get("/"))


def test_not_now_is_a_post(web):
    assert web.get("/questionnaires/mnsi-history/not-now/").status_code == 405


# --- The answer page and the result ------------------------------------------------------------------------------


def test_the_answer_page_asks_every_item_in_its_published_words_without_scoring(web):
    response = web.get("/questionnaires/mnsi-history/")
    page = text(response)
    assert response.status_code == 200
    assert MNSI_HISTORY.instructions in page
    for item in MNSI_HISTORY.items:
        assert f'<span class="item-number">{item.link_id}.</span> {item.text}</legend>' in page
        assert f'name="item_{item.link_id}" value="yes"' in page and f'name="item_{item.link_id}" value="no"' in page
    # Every choice is required, so the browser asks for a missing answer before anything is queued offline.
    assert len(re.findall(r'<input type="radio" name="item_\d+" value="(?:yes|no)" id="[^"]+" required', page)) == 30
    # The patient version carries no scoring (University of Michigan guide: it would bias the answers).
    assert "of 13" not in page and "cut-off" not in page and "Herman" not in page
    assert "data-offline-queue" in page and "questionnaire" in scripts_run_by(page)


def test_answering_shows_the_score_its_meaning_and_that_it_is_not_a_diagnosis(web, patient):
    response = web.post("/questionnaires/mnsi-history/", form_data(yes={1, 2, 4, 5, 10, 12, 13}), follow=True)
    saved = patient.questionnaire_responses.get()
    assert response.redirect_chain == [(f"/questionnaires/answers/{saved.id}/", 302)]
    assert (saved.score, saved.completed_at) == (5, NOW)
    page = text(response)
    assert "<strong>5</strong> <span>of 13</span>" in page
    assert f"5 of 13 is {standing(MNSI_HISTORY, 5)}." in page
    assert (
        "This is a screening score for diabetic neuropathy (validated only in people with diabetes), not a diagnosis."
        in page
    )
    assert "Talk it over with your doctor or nurse" in page
    assert 'The <a href="/report/">report for your doctor</a> gives the latest score in its period' in page
    # The answers are listed back, word for word, with the patient's answer.
    assert "<span>Are your legs and/or feet numb?</span> <strong>Yes</strong>" in page
    assert "<span>Have you ever had an amputation?</span> <strong>No</strong>" in page


def test_the_result_says_the_change_since_last_time(web, patient):
    answer(patient, NOW - dt.timedelta(days=30), yes={1})  # 1 + items 7 and 13: 3
    web.post("/questionnaires/mnsi-history/", form_data(yes={1, 2, 3}))  # 5
    page = text(web.get(f"/questionnaires/answers/{patient.questionnaire_responses.latest('completed_at').id}/"))
    assert "Last time, 11 May 2026: 3 of 13 (+2)." in page


def test_the_tap_time_from_the_phone_is_the_completion_time(web, patient):
    web.post("/questionnaires/mnsi-history/", form_data(completed_at="2026-06-10T08:15:00+01:00"))
    assert patient.questionnaire_responses.get().completed_at == dt.datetime(2026, 6, 10, 7, 15, tzinfo=dt.UTC)


def test_a_double_tap_or_a_replay_leaves_one_response(web, patient):
    data = form_data(yes={1})
    web.post("/questionnaires/mnsi-history/", data)
    again = web.post("/questionnaires/mnsi-history/", data, HTTP_ACCEPT="application/json")
    response = patient.questionnaire_responses.get()
    assert again.json() == {"id": str(response.id), "created": False, "next": f"/questionnaires/answers/{response.id}/"}


def test_missing_answers_are_listed_and_nothing_is_saved(web, patient):
    data = {k: v for k, v in form_data().items() if k not in ("item_3", "item_11")}
    response = web.post("/questionnaires/mnsi-history/", data)
    page = text(response)
    assert response.status_code == 400
    assert 'Answer every question: <a href="#item-3">3</a>, <a href="#item-11">11</a> are still open.' in page
    assert '<p class="error" id="item-3-error">Answer yes or no.</p>' in page
    # The answers given are kept: item 1 was answered "no".
    assert re.search(r'<input type="radio" name="item_1" value="no"[^>]* checked>', page)
    assert not re.search(r'<input type="radio" name="item_3" value="[a-z]+"[^>]* checked>', page)
    assert not QuestionnaireResponse.objects.exists()
    queued = web.post("/questionnaires/mnsi-history/", data, HTTP_ACCEPT="application/json")
    assert queued.status_code == 400 and set(queued.json()["errors"]) == {"item_3", "item_11"}


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"completed_at": "2026-06-11T08:00:00+01:00"}, "The completion time can't be in the future."),
        ({"completed_at": "2026-01-01T08:00:00+00:00"}, "The completion time can't be before your diary began"),
        ({"item_4": "maybe"}, "Select a valid choice."),
    ],
)
def test_bad_answers_are_refused_with_their_reason(web, extra, message):
    response = web.post("/questionnaires/mnsi-history/", form_data(**extra))
    assert response.status_code == 400 and message in text(response)
    assert not QuestionnaireResponse.objects.exists()


def test_the_installed_app_keeps_the_answer_page_for_use_offline(web):
    worker = web.get("/sw.js").content.decode()
    found = re.search(r"const CONFIG = (\{.*?\});", worker)
    assert found
    config = json.loads(found.group(1))
    assert "/questionnaires/mnsi-history/" in config["pages"] and "/" in config["pages"]


def test_an_unknown_questionnaire_is_404(web):
    assert web.get("/questionnaires/phq-9/").status_code == 404
    assert web.post("/questionnaires/phq-9/not-now/").status_code == 404


def test_deleting_answers_asks_first(web, patient):
    response = answer(patient, NOW - dt.timedelta(days=2))
    path = f"/questionnaires/answers/{response.id}/delete/"
    assert "This can't be undone." in text(web.get(path))
    assert QuestionnaireResponse.objects.exists()
    done = web.post(path, follow=True)
    assert done.redirect_chain == [("/trends/", 302)] and "no longer in your diary" in text(done)
    assert not QuestionnaireResponse.objects.exists()


def test_pages_need_a_signed_in_patient(client):
    for path in ("/questionnaires/mnsi-history/", f"/questionnaires/answers/{uuid.uuid4()}/"):
        assert client.get(path).status_code == 302


# --- Trends --------------------------------------------------------------------------------------------------------


def test_trends_draws_the_scores_with_the_cut_offs_labelled_and_a_table(web, patient, diary):
    answer(patient, NOW - dt.timedelta(days=60), yes={1})  # 3, on 11 April
    answer(patient, NOW - dt.timedelta(days=30), yes={1, 2})  # 4, on 11 May
    answer(patient, NOW - dt.timedelta(days=1), yes={1, 2, 3, 5})  # 6, on 9 June
    page = text(web.get("/trends/?range=3m"))
    assert 'class="chart-svg scores"' in page
    assert page.count('class="score-point"') == 3
    assert "At least 4 · Herman et al. 2012" in page and "At least 7 · Herman et al. 2012" in page
    assert "<title>9 Jun 2026: 6 of 13</title>" in page
    assert (
        "3 answers in this period, +3 from the first (3 of 13 on 11 Apr 2026). The latest, 6 of 13 on 9 Jun 2026, "
        f"is {standing(MNSI_HISTORY, 6)}. The horizontal lines mark the cut-offs. The MNSI is a screening score for "
        "diabetic neuropathy (validated only in people with diabetes), not a diagnosis." in page
    )
    rows = re.findall(
        r'<tr><th scope="row"><a href="/questionnaires/answers/[^"]+/">([^<]+)</a></th>'
        r"<td>([^<]+)</td><td>([^<]+)</td></tr>",
        page,
    )
    assert rows == [("11 Apr 2026", "3 of 13", "–"), ("11 May 2026", "4 of 13", "+1"), ("9 Jun 2026", "6 of 13", "+2")]


def test_trends_of_a_period_without_answers_names_the_latest_before_it(web, patient, diary):
    answer(patient, NOW - dt.timedelta(days=30), yes={1, 2})
    page = text(web.get("/trends/?range=2w"))
    assert "No answers in this period. The latest before it was 4 of 13 on 11 May 2026." in page
    assert 'class="chart-svg scores"' not in page and "Answer the questions again" in page


def test_a_past_period_without_answers_does_not_call_the_one_before_it_the_latest(web, patient, diary):
    """Answered on 11 Apr (3 of 13) and 9 Jun (6 of 13); Trends for 1–20 May has none: the one before it is 3 of 13
    on 11 Apr, but the latest is 6 of 13, on 9 Jun."""
    answer(patient, NOW - dt.timedelta(days=60), yes={1})
    answer(patient, NOW - dt.timedelta(days=1), yes={1, 2, 3, 5})
    page = text(web.get("/trends/?range=custom&start=2026-05-01&end=2026-05-20"))
    assert "No answers in this period. The latest before it was 3 of 13 on 11 Apr 2026." in page
    assert "The latest was" not in page


def test_trends_invites_to_answer_when_never_answered(web):
    page = text(web.get("/trends/"))
    assert "Not answered yet (15 yes/no questions, about 2 minutes): questions about the feeling in your legs" in page


def test_the_result_page_and_trends_say_where_a_score_stands_in_the_same_words(web, patient, diary):
    response = answer(patient, NOW - dt.timedelta(days=1), yes=range(1, 16))  # 11
    result, trends = text(web.get(f"/questionnaires/answers/{response.id}/")), text(web.get("/trends/"))
    words = standing(MNSI_HISTORY, 11)
    assert f"11 of 13 is {words}." in result and f"is {words}." in trends
