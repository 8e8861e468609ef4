"""Every vocabulary code the diary uses: its label and, where verified, its SNOMED CT code.

Forms, API, charts, exports and triage all read this module; the codes are stable (DESIGN §4).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    snomed: str | None = None  # SNOMED CT concept id, only where verified (DESIGN §6)
    level: int | None = None  # regions only: proximal level, toes 1 … buttock/groin/saddle 7
    view: str = ""  # regions only: where the body map draws it, "front", "back" or "both"
    alarm: bool = False  # symptoms: asked about in one of the ALARM_GROUPS; regions: alarming by itself


def _index(*terms: Term) -> dict[str, Term]:
    return {term.code: term for term in terms}


SIDES = _index(
    Term("left", "Left", snomed="7771000"),
    Term("right", "Right", snomed="24028007"),
)
BOTH_SIDES_SNOMED = "51440002"

# Body sites: SNOMED CT 29707007 toe, 56459004 foot, 30021000 lower leg, 72696002 knee,
# 68367000 thigh; 61685007 lower limb stands in where no narrower verified code is listed.
LOWER_LIMB_SNOMED = "61685007"
REGIONS = _index(
    Term("toes", "Toes", snomed="29707007", level=1, view="front"),
    Term("sole", "Sole", snomed="56459004", level=2, view="back"),
    Term("heel", "Heel", snomed="56459004", level=2, view="back"),
    Term("top_of_foot", "Top of foot", snomed="56459004", level=2, view="front"),
    Term("ankle", "Ankle", snomed=LOWER_LIMB_SNOMED, level=3, view="both"),
    Term("shin", "Shin", snomed="30021000", level=4, view="front"),
    Term("calf", "Calf", snomed="30021000", level=4, view="back"),
    Term("knee", "Knee", snomed="72696002", level=5, view="both"),
    Term("thigh_front", "Front of thigh", snomed="68367000", level=6, view="front"),
    Term("thigh_outer", "Outer thigh", snomed="68367000", level=6, view="both"),
    Term("thigh_back", "Back of thigh", snomed="68367000", level=6, view="back"),
    Term("buttock", "Buttock", snomed=LOWER_LIMB_SNOMED, level=7, view="back"),
    # Groin and inner thigh: not alarming by itself (DESIGN §4 v2).
    Term("groin", "Groin or inner thigh", snomed=LOWER_LIMB_SNOMED, level=7, view="front"),
    # The area that would touch a saddle: alarming by itself (cauda equina). Drawn on both views.
    Term("saddle", "Between the legs / around the bottom", snomed=LOWER_LIMB_SNOMED, level=7, view="both", alarm=True),
)

SENSATIONS = _index(
    Term("numbness", "Numbness", snomed="44077006"),
    Term("tingling", "Tingling, pins and needles"),
    Term("burning", "Burning"),
    Term("cold", "Cold"),
    Term("crawling", "Crawling"),
    Term("pain", "Pain"),
    Term("itching", "Itching"),
    Term("hypersensitivity", "Over-sensitive to touch"),
)

TRIGGERS = _index(
    Term("sitting", "Sitting"),
    Term("crossed_legs", "Crossed legs"),
    Term("lying", "Lying down"),
    Term("sleep", "Sleep"),
    Term("standing", "Standing"),
    Term("walking", "Walking"),
    Term("exercise", "Exercise"),
    Term("cycling", "Cycling"),
    Term("cold_exposure", "Cold"),
    Term("tight_shoes", "Tight shoes or clothes"),
    Term("alcohol", "Alcohol"),
    Term("injury", "An injury or fall"),
    Term("unknown", "Don't know"),
)

SYMPTOMS = _index(
    # Alarm questions, in the order of ALARM_GROUPS below; short plain labels.
    Term("facial_droop", "Face drooping on one side", alarm=True),
    Term("arm_weakness", "Arm weak or heavy", alarm=True),
    Term("arm_or_face_numbness", "Numb arm or face", alarm=True),
    Term("speech_difficulty", "Slurred or difficult speech", alarm=True),
    Term("vision_problems", "Blurred, double or lost vision", alarm=True),
    Term("loss_of_coordination", "Suddenly lost balance or coordination", alarm=True),
    Term("sudden_headache", "Sudden, very bad headache", alarm=True),
    Term("confusion", "Confusion", alarm=True),
    Term("paralysis", "Can't move the leg", alarm=True),
    Term("bladder_bowel_control", "Can't control bladder or bowel", alarm=True),
    Term("urinary_retention", "Can't pee, or can't empty the bladder", alarm=True),
    Term("saddle_numbness", "Numb between the legs or around the bottom", alarm=True),
    Term("leg_weakness", "Leg or legs weak", alarm=True),
    Term("difficulty_walking", "Hard to walk", alarm=True),
    Term("leg_pale_cold", "Leg or foot pale, blue or cold to touch", alarm=True),
    Term("leg_swollen", "Leg swollen", alarm=True),
    Term("sudden_severe_pain", "Sudden severe pain", alarm=True),
    Term("shortness_of_breath", "Short of breath", alarm=True),
    Term("chest_pain", "Chest pain", alarm=True),
    Term("fainting", "Fainted or nearly fainted", alarm=True),
    # Other symptoms.
    Term("dizziness", "Dizziness"),
    Term("back_pain", "Back pain"),
    Term("neck_pain", "Neck pain"),
    Term("cramps", "Cramps"),
    Term("sleep_disrupted", "Woke me up or kept me awake"),
    Term("rash", "Rash"),
    Term("frequent_urination", "Passing urine often"),
    Term("anxiety", "Anxious"),
    Term("muscle_spasms", "Muscle spasms or twitching"),
)

# The alarm questions of the log form, grouped the way a patient thinks: (title, symptom codes).
# Every alarm symptom is in exactly one group; the form renders them in this order.
ALARM_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Signs of a stroke",
        (
            "facial_droop",
            "arm_weakness",
            "arm_or_face_numbness",
            "speech_difficulty",
            "vision_problems",
            "loss_of_coordination",
            "sudden_headache",
            "confusion",
            "paralysis",
        ),
    ),
    (
        "Back and bladder",
        ("bladder_bowel_control", "urinary_retention", "saddle_numbness", "leg_weakness", "difficulty_walking"),
    ),
    (
        "Circulation and breathing",
        ("leg_pale_cold", "leg_swollen", "sudden_severe_pain", "shortness_of_breath", "chest_pain", "fainting"),
    ),
)


RELIEF = _index(
    Term("changed_position", "Changing position"),
    Term("walking_around", "Walking around"),
    Term("rest", "Rest"),
    Term("massage", "Massage"),
    Term("warmth", "Warmth"),
    Term("medication", "Medication"),
    Term("by_itself", "Went by itself"),
    Term("nothing", "Nothing helped"),
)

CONDITIONS = _index(
    Term("diabetes", "Diabetes"),
    Term("multiple_sclerosis", "Multiple sclerosis"),
    Term("pregnancy", "Pregnancy"),
    Term("back_problems", "Back or spine problems"),
    Term("vascular_disease", "Circulation or vascular disease"),
    Term("thyroid", "Thyroid problems"),
    Term("vitamin_deficiency", "Vitamin deficiency (e.g. B12)"),
    Term("alcohol_use", "Regular alcohol use"),
    Term("smoking", "Smoking"),
)

# The 0–10 numeric rating scale of an episode's severity (it rates the numbness, not pain).
SEVERITY_MIN, SEVERITY_MAX = 0, 10
SEVERITY_SCALE = range(SEVERITY_MIN, SEVERITY_MAX + 1)
SEVERITY_RANGE_LABEL = f"{SEVERITY_MIN}–{SEVERITY_MAX}"


def severity_label(score: float) -> str:
    """A score, or a mean or median of scores, on the scale: "4/10", "4.5/10"."""
    return f"{score:g}/{SEVERITY_MAX}"


# Night, for charts and for triage's night-time pattern: starting at or after 22:00 or before 06:00.
NIGHT_STARTS_HOUR = 22
NIGHT_ENDS_HOUR = 6


NIGHT_LABEL = f"{NIGHT_STARTS_HOUR:02d}:00–{NIGHT_ENDS_HOUR:02d}:00"


def is_night_hour(hour: int) -> bool:
    return hour >= NIGHT_STARTS_HOUR or hour < NIGHT_ENDS_HOUR


# The episode fields that hold a set of codes, and the vocabulary each one draws from.
CODE_SETS: dict[str, dict[str, Term]] = {
    "sensations": SENSATIONS,
    "triggers": TRIGGERS,
    "symptoms": SYMPTOMS,
    "relieved_by": RELIEF,
}


ALARM_SYMPTOMS = frozenset(code for code, term in SYMPTOMS.items() if term.alarm)
# Places alarming by themselves (the saddle): the log form asks once before saving one that is the entry's only
# alarming thing, and episode lines name them beside the alarm symptoms.
ALARM_REGIONS = frozenset(code for code, term in REGIONS.items() if term.alarm)


def alarms_in_words(symptoms: Iterable[str], pairs: Iterable[tuple[str, str]]) -> list[str]:
    """What in an episode is alarming, in the patient's words: the alarm symptoms, then the alarming places."""
    said = labels({c: t for c, t in SYMPTOMS.items() if t.alarm}, symptoms)
    return said + [place.label for place in places(pairs) if place.region in ALARM_REGIONS]


def choices(vocabulary: dict[str, Term]) -> list[tuple[str, str]]:
    return [(term.code, term.label) for term in vocabulary.values()]


def canonical(vocabulary: dict[str, Term], codes: Collection[str]) -> list[str]:
    """The codes deduplicated, in vocabulary order; raises ValidationError on an unknown one."""
    unknown = sorted(set(codes) - vocabulary.keys())
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise ValidationError(f"Unknown code{plural}: {', '.join(repr(c) for c in unknown)}.")
    wanted = set(codes)
    return [code for code in vocabulary if code in wanted]


@dataclass(frozen=True)
class Place:
    """A side and a region of the legs: "left:sole" as a key (forms, the leg map, counts), "Left sole" in words.

    Places sort in their natural order, left before right and toes up to the saddle; `places` gives a set
    of them in that order, and `Place.parse` reads a key back (ValueError for anything that is not one).
    """

    side: str
    region: str

    @classmethod
    def parse(cls, key: str) -> Place:
        side, _, region = key.partition(":")
        if side not in SIDES or region not in REGIONS:
            raise ValueError(f"Not a place: {key!r}.")
        return cls(side, region)

    @property
    def key(self) -> str:
        return f"{self.side}:{self.region}"

    @property
    def label(self) -> str:
        """As every page, export and flag writes it: "Left sole", "Right top of foot"."""
        return f"{SIDES[self.side].label} {REGIONS[self.region].label.lower()}"

    @property
    def order(self) -> tuple[int, int]:
        return (_SIDE_ORDER[self.side], _REGION_ORDER[self.region])

    def __lt__(self, other: Place) -> bool:
        return self.order < other.order


_SIDE_ORDER = {code: n for n, code in enumerate(SIDES)}
_REGION_ORDER = {code: n for n, code in enumerate(REGIONS)}


def places(pairs: Iterable[tuple[str, str] | Place]) -> list[Place]:
    """Distinct places in their natural order, from (side, region) pairs or places."""
    return sorted({pair if isinstance(pair, Place) else Place(*pair) for pair in pairs})


def every_place() -> list[Place]:
    """Every place of the vocabulary, left leg first, toes up to the saddle."""
    return [Place(side, region) for side in SIDES for region in REGIONS]


def places_in_words(chosen: Iterable[Place]) -> str:
    """Places as one phrase in natural order: "Left toes, left sole"."""
    text = ", ".join(place.label.lower() for place in places(chosen))
    return text[:1].upper() + text[1:]


def place_label(side: str, region: str) -> str:
    """A place in words: "Left sole" (`Place.label`)."""
    return Place(side, region).label


def labels(vocabulary: dict[str, Term], codes: Iterable[str]) -> list[str]:
    """The labels of these codes, in vocabulary order; an unknown code is left out."""
    wanted = set(codes)
    return [term.label for code, term in vocabulary.items() if code in wanted]
