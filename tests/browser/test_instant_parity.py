"""One list of cases through both evaluations of the instant signs (DESIGN §5): the server's (triage/detectors.py
and triage/advice.py) and the phone's (static/js/instant.js over /app/signs.json, in Chromium). Every instant
sign at and beside each of its conditions, the "unless" precedence, "both legs", "together", the late-entry
edge of stroke signs, and entries that match several signs: both must say the same, word for word."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

import pytest

from diary import vocab
from diary.facts import EpisodeFacts
from triage import detectors, signs
from triage.advice import advise

pytestmark = pytest.mark.browser

NUMBER = "999"
ZONE = zoneinfo.ZoneInfo("Europe/London")
SAVED = dt.datetime(2026, 3, 10, 12, 0, tzinfo=ZONE)
ONE_LEG = ("left:calf",)
BOTH_LEGS = ("left:calf", "right:calf")
FAR_APART = ("left:toes", "right:thigh_back")  # both legs, at different heights


@dataclass(frozen=True)
class Case:
    name: str
    locations: tuple[str, ...] = ONE_LEG
    sensations: tuple[str, ...] = ("numbness",)
    triggers: tuple[str, ...] = ()
    symptoms: tuple[str, ...] = ()
    started: dt.timedelta = dt.timedelta(hours=1)  # how long before the save it started
    expect: tuple[str, ...] | None = field(default=None, compare=False)  # codes, where the case pins them

    def entry(self) -> dict[str, Any]:
        return {
            "locations": list(self.locations),
            "sensations": list(self.sensations),
            "triggers": list(self.triggers),
            "symptoms": list(self.symptoms),
            "started": (SAVED - self.started).isoformat(),
            "saved": SAVED.isoformat(),
        }


def cases() -> list[Case]:
    found: list[Case] = []
    for sign in signs.CATALOGUE.values():
        if not sign.per_episode:
            continue
        t, code = sign.thresholds, sign.code
        for symptom in sorted(t.get("symptoms", ())):
            found += [
                Case(f"{code}: {symptom}", symptoms=(symptom,)),
                Case(f"{code}: {symptom}, both legs", locations=BOTH_LEGS, symptoms=(symptom,)),
            ]
        for region in sorted(t.get("regions", ())):
            for side in vocab.SIDES:
                found.append(Case(f"{code}: {side} {region} alone", locations=(f"{side}:{region}",)))
        for symptom in sorted(t.get("both_legs_symptoms", ())):
            found += [
                Case(f"{code}: {symptom} in both legs", locations=BOTH_LEGS, symptoms=(symptom,)),
                Case(f"{code}: {symptom} in both legs far apart", locations=FAR_APART, symptoms=(symptom,)),
                Case(f"{code}: {symptom} in one leg", symptoms=(symptom,)),
                Case(
                    f"{code}: {symptom} in one leg, two places",
                    locations=("right:calf", "right:knee"),
                    symptoms=(symptom,),
                ),
            ]
        if "together" in t:
            sensation, symptom = t["together"]
            found += [
                Case(f"{code}: {sensation} with {symptom}", sensations=(sensation,), symptoms=(symptom,)),
                Case(f"{code}: {sensation} alone", sensations=(sensation,)),
                Case(f"{code}: {symptom} without {sensation}", symptoms=(symptom,)),
            ]
        for trigger in sorted(t.get("triggers", ())):
            found.append(Case(f"{code}: trigger {trigger}", triggers=(trigger,)))
    # Beside every condition: places, symptoms and triggers that are not alarming by themselves.
    found += [Case(f"groin, {side}", locations=(f"{side}:groin",), expect=()) for side in vocab.SIDES]
    found += [Case("buttocks", locations=("left:buttock", "right:buttock"), expect=())]
    found += [
        Case(f"not alarming: {code}", symptoms=(code,), expect=()) for code, t in vocab.SYMPTOMS.items() if not t.alarm
    ]
    found += [Case("back pain in one leg", symptoms=("back_pain",), expect=())]
    found += [Case(f"trigger {code}", triggers=(code,), expect=()) for code in vocab.TRIGGERS if code != "injury"]
    found += [Case("cold sensation and cold exposure", sensations=("cold",), triggers=("cold_exposure",), expect=())]
    found += [Case("nothing but numbness", expect=())]
    # "unless": a spinal-cord emergency is never also urgent weakness or back pain in both legs.
    found += [
        Case(
            "both legs, back pain",
            locations=BOTH_LEGS,
            symptoms=("back_pain",),
            expect=("urgent.both_legs_back_pain",),
        ),
        Case(
            "both legs, back pain, saddle numbness",
            locations=BOTH_LEGS,
            symptoms=("back_pain", "saddle_numbness"),
            expect=("emergency.spinal_cord",),
        ),
        Case(
            "both legs and the saddle, back pain",
            locations=(*BOTH_LEGS, "left:saddle"),
            symptoms=("back_pain",),
            expect=("emergency.spinal_cord",),
        ),
        Case(
            "both legs weak, back pain",
            locations=BOTH_LEGS,
            symptoms=("back_pain", "leg_weakness"),
            expect=("emergency.spinal_cord",),
        ),
        Case("one leg weak", symptoms=("leg_weakness",), expect=("urgent.weakness",)),
        Case(
            "one leg weak, can't pee",
            symptoms=("leg_weakness", "urinary_retention"),
            expect=("emergency.spinal_cord",),
        ),
        Case(
            "hard to walk, saddle marked",
            locations=("right:saddle", "right:calf"),
            symptoms=("difficulty_walking",),
            expect=("emergency.spinal_cord",),
        ),
        Case(
            "both legs, hard to walk",
            locations=BOTH_LEGS,
            symptoms=("difficulty_walking",),
            expect=("emergency.spinal_cord",),
        ),
    ]
    # The late-entry edge of stroke signs (more than 24 hours between the start and the save), and beside it.
    day = dt.timedelta(hours=24)
    for label, started in (
        ("23 h 59 min", day - dt.timedelta(minutes=1)),
        ("exactly 24 h", day),
        ("24 h and 1 s", day + dt.timedelta(seconds=1)),
        ("3 days", 3 * day),
    ):
        found += [
            Case(f"stroke sign logged {label} later", symptoms=("confusion",), started=started),
            Case(f"fainting logged {label} later", symptoms=("fainting",), started=started),
        ]
    # Several signs at once: the screen's order, emergency first, a late stroke sign after them.
    found += [
        Case(
            "stroke, spine and injury",
            symptoms=("speech_difficulty", "bladder_bowel_control"),
            triggers=("injury",),
        ),
        Case("late stroke with fainting", symptoms=("facial_droop", "fainting"), started=2 * day),
        Case(
            "everything",
            locations=(*BOTH_LEGS, "left:saddle", "right:saddle"),
            sensations=("cold", "pain"),
            triggers=("injury", "sitting"),
            symptoms=tuple(vocab.SYMPTOMS),
        ),
    ]
    return found


def python_says(case: Case) -> list[dict[str, Any]]:
    started = SAVED - case.started
    facts = EpisodeFacts(
        id="case",
        start=started,
        duration_minutes=5,
        severity=4,
        locations=frozenset(tuple(key.split(":")) for key in case.locations),  # type: ignore[misc]
        sensations=frozenset(case.sensations),
        triggers=frozenset(case.triggers),
        symptoms=frozenset(case.symptoms),
    )
    shown = [(advise(sign, NUMBER, [(started, SAVED)]), found) for sign, found in detectors.instant_signs(facts)]
    shown.sort(key=lambda hit: signs.LEVEL_ORDER[hit[0].level])  # the warning screen's order (triage/views.py)
    return [
        {
            "code": said.code,
            "level": said.level,
            "title": said.title,
            "message": said.message,
            "matched": found,
            "late_entry": said.late_entry,
            "sources": [s.title for s in said.sign.source_list],
        }
        for said, found in shown
    ]


PHONE_SAYS = """async ([cases, number]) => {
    const data = await (await fetch("/app/signs.json")).json();
    return cases.map((entry) => window.DiaryWarnings.evaluate(data, entry, number).map((hit) => ({
        code: hit.code, level: hit.level, title: hit.title, message: hit.message, matched: hit.matched,
        late_entry: hit.late_entry, sources: hit.sources.map((s) => s.title),
    })));
}"""


def test_the_list_covers_every_instant_sign_and_pins_what_it_must():
    listed = cases()
    fired = {hit["code"] for case in listed for hit in python_says(case)}
    assert fired == {code for code, sign in signs.CATALOGUE.items() if sign.per_episode}
    for case in listed:
        if case.expect is not None:
            assert [hit["code"] for hit in python_says(case)] == list(case.expect), case.name
    late = {case.name: python_says(case)[0]["late_entry"] for case in listed if case.name.startswith("stroke sign")}
    assert late == {
        "stroke sign logged 23 h 59 min later": False,
        "stroke sign logged exactly 24 h later": False,
        "stroke sign logged 24 h and 1 s later": True,
        "stroke sign logged 3 days later": True,
    }
    assert len(listed) > 100


def test_the_phone_and_the_server_say_the_same_for_every_case(phone, sign_in):
    sign_in("paris")
    phone.goto("/log/")
    listed = cases()
    phone_says = phone.evaluate(PHONE_SAYS, [[case.entry() for case in listed], NUMBER])
    differ = [case.name for case, said in zip(listed, phone_says, strict=True) if said != python_says(case)]
    assert differ == []
    assert sum(bool(said) for said in phone_says) > 60  # the cases do fire on the phone too


# The fields of the log form as the offline queue keeps them: "Earlier"'s box holds the time the page was opened,
# whatever is chosen; the tap on Save is an hour later here.
FORM_FIELDS = [["started_at", "2026-03-10T11:00"], ["tapped_at", "2026-03-10T12:00:30+00:00"]]


@pytest.mark.parametrize(
    ("when", "started"),
    [
        ("now", "2026-03-10T12:00:30.000Z"),  # the tap, as the server counts it
        ("30", "2026-03-10T11:30:30.000Z"),  # 30 minutes before the tap
        ("earlier", "2026-03-10T11:00"),  # the box, as given
    ],
)
def test_the_phone_dates_an_entry_from_the_tap_as_the_server_does(phone, sign_in, when, started):
    # An entry kept offline is checked on the phone (the late-entry edge of stroke signs reads its start) and its
    # warning screen says when it started: from the same choice as the server's form (diary/forms.py LogForm), not
    # from the box of "Earlier", which would date a form left open an hour too early.
    sign_in("paz")
    phone.goto("/log/")
    fields = [["when", when], *FORM_FIELDS]
    entry = phone.evaluate("(fields) => window.DiaryWarnings.entryOf(fields, Date.now())", fields)
    assert entry["started"] == started
