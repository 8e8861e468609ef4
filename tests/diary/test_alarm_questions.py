"""The log form's alarm questions without JavaScript: "None of these" (never pre-answered, never beside a ticked
sign), the Save bar's one question about the saddle region alone, and episode lines that name an alarm."""

from __future__ import annotations

import datetime as dt
import re

from diary import vocab
from tests.conftest import log
from tests.diary.test_log_episode import form_data

SADDLE_ALONE = {"locations": ["left:saddle"], "alarm_symptoms": []}
QUESTION = "You marked between the legs / around the bottom. Is that right?"


def ticked(page: str, key: str) -> bool:
    """Whether the place's checkbox on the page is ticked."""
    [tag] = re.findall(rf'<input type="checkbox" name="locations" value="{key}"[^>]*>', page)
    return " checked" in tag


def test_none_of_these_is_in_the_compact_alarm_block_and_never_pre_answered(web, patient):
    page = web.get("/log/").content.decode()
    block = page[page.index('<details class="field alarm-check') : page.index("</details>", page.index("alarm-check"))]
    assert re.search(r'<input type="checkbox" name="alarm_none" id="id_alarm_none">', block)  # not checked
    assert "None of these" in block and " open>" not in block.split("\n")[0]  # the block stays closed
    earlier = log(patient, symptoms=[])
    earlier.alarm_answered = True
    earlier.save()
    again = web.get(f"/log/?again={earlier.id}").content.decode()
    assert 'name="alarm_none" id="id_alarm_none">' in again  # a repeat asks afresh


def test_none_of_these_is_stored_as_answered_and_shown_again_on_edit(web, patient):
    web.post("/log/", form_data(alarm_none="on"))
    episode = patient.episodes.get()
    assert episode.alarm_answered and episode.symptoms == []
    edit = web.get(f"/episodes/{episode.id}/edit/").content.decode()
    assert 'name="alarm_none" id="id_alarm_none" checked>' in edit
    assert '<span class="alarm-state" data-alarm-state>None of these</span>' in edit


def test_not_answering_is_stored_as_not_answered(web, patient):
    web.post("/log/", form_data())
    assert not patient.episodes.get().alarm_answered


def test_a_sign_and_none_of_these_together_are_refused_by_name(web, patient):
    response = web.post("/log/", form_data(alarm_none="on", alarm_symptoms=["fainting"]))
    assert response.status_code == 400 and not patient.episodes.exists()
    page = response.content.decode()
    assert 'id="alarm_none-error">Tick what is happening, or “None of these”, not both.' in page
    assert '<details class="field alarm-check invalid" id="field-alarm_symptoms" open>' in page
    reply = web.post("/log/", form_data(alarm_none="on", alarm_symptoms=["fainting"]), HTTP_ACCEPT="application/json")
    assert reply.status_code == 400 and "alarm_none" in reply.json()["errors"]


def test_the_saddle_alone_is_asked_about_once_before_saving(web, patient):
    response = web.post("/log/", form_data(**SADDLE_ALONE))
    assert response.status_code == 200 and not patient.episodes.exists()  # asked, nothing saved yet
    page = response.content.decode()
    bar = page[page.index('<div class="log-bar">') :]
    assert QUESTION in bar and 'data-region-check data-regions="saddle"' in bar
    assert re.search(r'<div class="region-check" role="group"[^>]*data-words="[^"]+">', bar)  # shown, not hidden
    assert 'name="region_answer" value="yes"' in bar and 'name="region_answer" value="no"' in bar
    assert 'class="button primary log-save" hidden' in bar  # the question stands in place of Save
    assert ticked(page, "left:saddle")

    saved = web.post("/log/", form_data(**SADDLE_ALONE, region_answer="yes"))
    episode = patient.episodes.get()
    assert saved["Location"].startswith(f"/alert/{episode.id}/")  # then the emergency screen, as before
    edit = web.post(f"/episodes/{episode.id}/edit/", form_data(**SADDLE_ALONE, region_confirmed="True"))
    assert edit.status_code == 302  # an edit of a confirmed place is not asked again
    assert 'name="region_confirmed" value="True"' in web.get(f"/episodes/{episode.id}/edit/").content.decode()


def test_no_removes_the_saddle_and_saves_nothing(web, patient):
    response = web.post("/log/", form_data(locations=["left:saddle", "right:saddle", "left:calf"], region_answer="no"))
    assert response.status_code == 200 and not patient.episodes.exists()
    page = response.content.decode()
    assert "Removed: between the legs / around the bottom. Mark where it was, then Save." in page
    assert (
        '<div class="region-check" role="group"' in page
        and 'data-words="between the legs / around the bottom" hidden>' in page
    )
    assert not ticked(page, "left:saddle") and not ticked(page, "right:saddle") and ticked(page, "left:calf")
    # Saving again without it goes straight through.
    assert web.post("/log/", form_data(locations=["left:calf"])).status_code == 302


def test_the_saddle_with_an_alarm_sign_or_from_the_queue_is_not_asked(web, patient):
    with_sign = web.post("/log/", form_data(locations=["left:saddle"], alarm_symptoms=["urinary_retention"]))
    assert with_sign.status_code == 302
    queued = web.post("/log/", form_data(**SADDLE_ALONE), HTTP_ACCEPT="application/json")  # the script asked
    assert queued.status_code == 200 and queued.json()["alerts"][0]["code"] == "emergency.spinal_cord"
    assert patient.episodes.count() == 2


def test_the_vocabulary_marks_the_saddle_as_alarming_as_the_catalogue_does():
    from triage.signs import CATALOGUE

    assert vocab.ALARM_REGIONS == CATALOGUE["emergency.spinal_cord"].t("regions") == {"saddle"}
    assert not vocab.REGIONS["groin"].alarm


def test_episode_lines_name_the_alarm_with_an_icon_and_the_sensation_and_relief(web, patient, time_machine):
    # Midday: log()'s "an hour ago" is yesterday on the patient's clock until 01:00, and Today lists today's lines.
    time_machine.move_to(dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC), tick=False)
    log(
        patient,
        locations=[("left", "calf"), ("right", "saddle")],
        sensations=["numbness", "tingling"],
        symptoms=["urinary_retention", "back_pain"],
        relieved_by=["rest"],
    )
    log(patient, sensations=["burning"], relieved_by=["changed_position"])
    for path in ("/", "/history/"):
        page = web.get(path).content.decode()
        alarmed = page[page.index('<article class="episode has-alarm">') :]
        alarmed = alarmed[: alarmed.index("</article>")]
        assert "icon-triangle-alert" in alarmed
        assert (
            '<span class="visually-hidden">Alarm sign: </span>'
            "Can&#x27;t pee, or can&#x27;t empty the bladder, Between the legs / around the bottom (right side)</span>"
        ) in alarmed
        assert "Back pain" not in alarmed.split("episode-alarm")[1]  # not an alarm symptom: said with the others
        assert " · Also: Back pain</small>" in alarmed
        assert "Numbness, Tingling, pins and needles" in alarmed and "Helped: Rest" in alarmed
        assert page.count("has-alarm") == 1, path  # the ordinary episode's line stays plain
        assert "Burning" in page and "Helped: Changing position" in page
