"""Every vocabulary code the diary uses: its label and, where verified, its SNOMED CT code.

Forms, API, charts, exports and triage all read this module; the codes are stable (DESIGN §4).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
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
    clinical: str = ""  # the clinician's term, shown beside the patient's words in the report, where it differs

    @property
    def clinical_label(self) -> str:
        """The patient's words with the clinical term beside them: "Can't pee, or can't empty the bladder
        (urinary retention)"; the label alone where the two are the same."""
        return f"{self.label} ({self.clinical})" if self.clinical else self.label


def _index(*terms: Term) -> dict[str, Term]:
    return {term.code: term for term in terms}


SIDES = _index(
    Term("left", "Left", snomed="7771000"),
    Term("right", "Right", snomed="24028007"),
)
BOTH_SIDES_SNOMED = "51440002"

# Body sites: SNOMED CT 29707007 toe, 56459004 foot, 30021000 lower leg, 72696002 knee,
# 68367000 thigh; 61685007 lower limb stands in where no narrower verified code is listed.
# Added with issue #21, each in SNOMED_NAMES below with its source: 344001 ankle region, 53840002 calf,
# 46862004 buttock, 38864007 perineum (the saddle area, which is not part of a leg).
LOWER_LIMB_SNOMED = "61685007"
REGIONS = _index(
    Term("toes", "Toes", snomed="29707007", level=1, view="front"),
    Term("sole", "Sole", snomed="56459004", level=2, view="back"),
    Term("heel", "Heel", snomed="56459004", level=2, view="back"),
    Term("top_of_foot", "Top of foot", snomed="56459004", level=2, view="front"),
    Term("ankle", "Ankle", snomed="344001", level=3, view="both"),
    Term("shin", "Shin", snomed="30021000", level=4, view="front"),
    Term("calf", "Calf", snomed="53840002", level=4, view="back"),
    Term("knee", "Knee", snomed="72696002", level=5, view="both"),
    Term("thigh_front", "Front of thigh", snomed="68367000", level=6, view="front"),
    Term("thigh_outer", "Outer thigh", snomed="68367000", level=6, view="both"),
    Term("thigh_back", "Back of thigh", snomed="68367000", level=6, view="back"),
    Term("buttock", "Buttock", snomed="46862004", level=7, view="back"),
    # Groin and inner thigh: not alarming by itself (DESIGN §4 v2).
    Term(
        "groin",
        "Groin or inner thigh",
        snomed=LOWER_LIMB_SNOMED,
        level=7,
        view="front",
        clinical="groin or medial thigh",
    ),
    # The area that would touch a saddle: alarming by itself (cauda equina). Drawn on both views.
    Term(
        "saddle",
        "Between the legs / around the bottom",
        snomed="38864007",
        level=7,
        view="both",
        alarm=True,
        clinical="saddle (perineal) area",
    ),
)

# Between the legs: the saddle is marked on either side of the map, but it is part of neither leg.
MIDLINE_REGIONS = frozenset({"saddle"})

SENSATIONS = _index(
    Term("numbness", "Numbness", snomed="44077006"),
    Term("tingling", "Tingling, pins and needles", snomed="62507009", clinical="paraesthesia"),
    Term("burning", "Burning", clinical="burning dysaesthesia"),
    Term("cold", "Cold"),
    Term("crawling", "Crawling", clinical="formication"),
    Term("pain", "Pain", snomed="22253000"),
    Term("itching", "Itching", snomed="418290006"),
    Term("hypersensitivity", "Over-sensitive to touch", clinical="hyperaesthesia or allodynia"),
)

TRIGGERS = _index(
    # sitting, standing and exercise: codes from the Symptoms IG's TriggersOrExacerbatingFactorCodes.
    Term("sitting", "Sitting", snomed="33586001"),
    Term("crossed_legs", "Crossed legs"),
    Term("lying", "Lying down", snomed="102538003"),
    Term("sleep", "Sleep"),
    Term("standing", "Standing", snomed="10904000"),
    Term("walking", "Walking", snomed="129006008"),
    Term("exercise", "Exercise", snomed="226029000"),
    Term("cycling", "Cycling"),
    Term("cold_exposure", "Cold", clinical="cold exposure"),
    Term("tight_shoes", "Tight shoes or clothes"),
    Term("alcohol", "Alcohol"),
    Term("injury", "An injury or fall"),
    Term("unknown", "Don't know"),
)

SYMPTOMS = _index(
    # Alarm questions, in the order of ALARM_GROUPS below; short plain labels. A SNOMED CT code only where a
    # verified concept means what the patient ticked or is broader and still true (SNOMED_NAMES below).
    Term("facial_droop", "Face drooping on one side", alarm=True, clinical="facial weakness"),
    Term("arm_weakness", "Arm weak or heavy", snomed="713514005", alarm=True, clinical="arm weakness"),
    Term("arm_or_face_numbness", "Numb arm or face", snomed="44077006", alarm=True, clinical="arm or facial numbness"),
    # No verified concept covers both slurred and difficult speech (289195008 is slurred speech only).
    Term("speech_difficulty", "Slurred or difficult speech", alarm=True, clinical="dysarthria or dysphasia"),
    Term(
        "vision_problems",
        "Blurred, double or lost vision",
        snomed="63102001",
        alarm=True,
        clinical="visual disturbance",
    ),
    Term(
        "loss_of_coordination",
        "Suddenly lost balance or coordination",
        snomed="281016006",
        alarm=True,
        clinical="sudden ataxia",
    ),
    Term(
        "sudden_headache", "Sudden, very bad headache", snomed="25064002", alarm=True, clinical="thunderclap headache"
    ),
    Term("confusion", "Confusion", snomed="286933003", alarm=True),
    Term("paralysis", "Can't move the leg", alarm=True, clinical="leg paralysis"),
    Term(
        "bladder_bowel_control",
        "Can't control bladder or bowel",
        snomed="48340000",
        alarm=True,
        clinical="sphincter disturbance",
    ),
    Term(
        "urinary_retention",
        "Can't pee, or can't empty the bladder",
        snomed="267064002",
        alarm=True,
        clinical="urinary retention",
    ),
    Term(
        "saddle_numbness",
        "Numb between the legs or around the bottom",
        snomed="44077006",
        alarm=True,
        clinical="saddle anaesthesia",
    ),
    Term("leg_weakness", "Leg or legs weak", snomed="713514005", alarm=True, clinical="leg weakness"),
    Term("difficulty_walking", "Hard to walk", snomed="228158008", alarm=True, clinical="gait disturbance"),
    Term("leg_pale_cold", "Leg or foot pale, blue or cold to touch", alarm=True, clinical="limb pallor or coldness"),
    Term("leg_swollen", "Leg swollen", snomed="449614009", alarm=True, clinical="leg swelling"),
    Term("sudden_severe_pain", "Sudden severe pain", snomed="76948002", alarm=True),
    Term("shortness_of_breath", "Short of breath", snomed="267036007", alarm=True, clinical="dyspnoea"),
    Term("chest_pain", "Chest pain", snomed="29857009", alarm=True),
    Term("fainting", "Fainted or nearly fainted", alarm=True, clinical="syncope or presyncope"),
    # Other symptoms.
    Term("dizziness", "Dizziness", snomed="404640003"),
    Term("back_pain", "Back pain"),
    Term("neck_pain", "Neck pain", snomed="81680005"),
    Term("cramps", "Cramps", snomed="55300003"),
    Term("sleep_disrupted", "Woke me up or kept me awake", snomed="53888004", clinical="sleep disturbance"),
    Term("rash", "Rash", snomed="271807003"),
    Term("frequent_urination", "Passing urine often", snomed="162116003", clinical="urinary frequency"),
    Term("anxiety", "Anxious", snomed="48694002", clinical="anxiety"),
    Term("muscle_spasms", "Muscle spasms or twitching", snomed="45352006"),
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
    # rest, massage and medication: codes from the Symptoms IG's AlleviatingFactorCodes.
    Term("changed_position", "Changing position"),
    Term("walking_around", "Walking around"),
    Term("rest", "Rest", snomed="128975004"),
    Term("massage", "Massage", snomed="387854002"),
    Term("warmth", "Warmth"),
    Term("medication", "Medication", snomed="416608005"),
    Term("by_itself", "Went by itself"),
    Term("nothing", "Nothing helped"),
)
# The two answers that are not something that helped, as a clause of a sentence (the report's, Trends').
RELIEF_CLAUSES = {"by_itself": "passed by itself", "nothing": "nothing eased it"}

# The name of every SNOMED CT concept above, as the exports write it, with where it was verified:
#   GPS: the SNOMED International Global Patient Set (2020-07-31), ValueSet snomed-intl-gps in the npm package
#        hl7.terminology.r4@7.0.1 (package/ValueSet-snomed-intl-gps.json);
#   IG:  a value set or example of the HL7 FHIR Symptoms IG 1.0.0 (github.com/HL7/fhir-symptoms-ig, tag 1.0.0);
#   §6:  DESIGN §6 (verified when the project began);
#   AIR: github.com/xmiao/AI.interoperability, AIRAnatomyLowerLimbValueSet.fsh.
SNOMED_NAMES = {
    "7771000": "Left (qualifier value)",  # §6
    "24028007": "Right (qualifier value)",  # §6
    BOTH_SIDES_SNOMED: "Right and left (qualifier value)",  # §6
    "29707007": "Toe structure (body structure)",  # §6
    "56459004": "Foot structure (body structure)",  # §6, GPS
    "30021000": "Structure of lower extremity from knee to ankle (body structure)",  # §6, GPS
    "72696002": "Knee region structure (body structure)",  # §6, GPS
    "68367000": "Thigh structure (body structure)",  # §6, GPS
    LOWER_LIMB_SNOMED: "Lower limb structure (body structure)",  # §6, GPS
    "344001": "Ankle region structure (body structure)",  # AIR
    "53840002": "Structure of calf of leg (body structure)",  # GPS
    "46862004": "Buttock structure (body structure)",  # GPS
    "38864007": "Perineal structure (body structure)",  # GPS
    "44077006": "Numbness (finding)",  # §6, GPS, IG CommonSymptomCodes
    "62507009": "Pins and needles (finding)",  # GPS
    "22253000": "Pain (finding)",  # GPS, IG CommonSymptomCodes
    "418290006": "Itching (finding)",  # GPS, IG CommonSymptomCodes
    "33586001": "Sitting position (finding)",  # GPS, IG TriggersOrExacerbatingFactorCodes
    "102538003": "Recumbent body position (finding)",  # GPS
    "10904000": "Orthostatic body position (finding)",  # GPS, IG TriggersOrExacerbatingFactorCodes
    "129006008": "Walking (observable entity)",  # GPS
    "226029000": "Exercises (regime/therapy)",  # IG TriggersOrExacerbatingFactorCodes and its examples
    "128975004": "Resting state (finding)",  # GPS, IG AlleviatingFactorCodes
    "387854002": "Massage physiotherapy (regime/therapy)",  # GPS, IG AlleviatingFactorCodes
    "416608005": "Drug therapy (procedure)",  # GPS, IG AlleviatingFactorCodes
    "713514005": "Muscle weakness of limb (finding)",  # GPS
    "63102001": "Visual disturbance (disorder)",  # GPS
    "281016006": "Incoordination (finding)",  # GPS
    "25064002": "Headache (finding)",  # GPS
    "286933003": "Confusional state (disorder)",  # GPS, IG CommonSymptomCodes
    "48340000": "Incontinence (finding)",  # GPS
    "267064002": "Retention of urine (disorder)",  # GPS
    "228158008": "Walking disability (finding)",  # GPS
    "449614009": "Swelling of lower limb (finding)",  # GPS
    "76948002": "Severe pain (finding)",  # GPS
    "267036007": "Dyspnea (finding)",  # GPS, IG CommonSymptomCodes
    "29857009": "Chest pain (finding)",  # GPS
    "404640003": "Dizziness (finding)",  # GPS, IG CommonSymptomCodes
    "81680005": "Neck pain (finding)",  # GPS
    "55300003": "Cramp (finding)",  # GPS, IG CommonSymptomCodes
    "53888004": "Disturbance in sleep behavior (finding)",  # GPS, IG CommonSymptomCodes
    "271807003": "Eruption of skin (disorder)",  # GPS
    "162116003": "Increased frequency of urination (finding)",  # GPS
    "48694002": "Anxiety (finding)",  # GPS, IG CommonSymptomCodes
    "45352006": "Spasm (finding)",  # GPS
    # The FHIR export's severities and speed of onset (the Symptoms IG's SeverityCodes and SpeedOfOnset).
    "255604002": "Mild (qualifier value)",  # GPS
    "6736007": "Moderate (severity modifier) (qualifier value)",  # GPS, IG examples
    "24484000": "Severe (severity modifier) (qualifier value)",  # GPS, IG examples
    "385315009": "Sudden onset (qualifier value)",  # IG SpeedOfOnset and its examples
}


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
        """As every page, export and flag writes it: "Left sole", "Right top of foot"; the saddle, part of neither
        leg, by its side: "Between the legs / around the bottom (right side)", never "Right between the legs…"."""
        if self.region in MIDLINE_REGIONS:
            return f"{REGIONS[self.region].label} ({SIDES[self.side].label.lower()} side)"
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


def in_a_list(words: Sequence[str]) -> str:
    """Words as a list in a sentence: 'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def counted(n: int | float, word: str) -> str:
    """'1 episode', '3 episodes', '2.5 days': a number and its noun, plural unless it is one."""
    number = f"{n:g}" if isinstance(n, float) else str(n)
    return f"{number} {word}{'' if n == 1 else 's'}"


def labels(vocabulary: dict[str, Term], codes: Iterable[str]) -> list[str]:
    """The labels of these codes, in vocabulary order; an unknown code is left out."""
    wanted = set(codes)
    return [term.label for code, term in vocabulary.items() if code in wanted]
