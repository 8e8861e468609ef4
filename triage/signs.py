"""The catalogue of warning signs: every code, level, threshold, message and source (DESIGN §5).

Detectors, the instant check, the review, the pages and the report read these; nothing else
holds a threshold or a message. Messages paraphrase the public pages in SOURCES (NHS, NICE CKS and other
national services) and the seed articles in ../shared/seeds, which are cited after them as background reading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from diary import vocab
from diary.clock import day_words, duration_words
from diary.hooks import AlertSource

EMERGENCY, URGENT, SEE_DOCTOR = "emergency", "urgent", "see_doctor"
LEVEL_LABELS = {EMERGENCY: "Emergency", URGENT: "See a doctor today", SEE_DOCTOR: "Talk to your doctor"}
LEVEL_ORDER = {EMERGENCY: 0, URGENT: 1, SEE_DOCTOR: 2}
# The heading of a warning screen at each level shown.
ACTIONS = {EMERGENCY: "Act now", URGENT: "See a doctor today", SEE_DOCTOR: "Talk to your doctor"}

# Said of one flag (an email) and of all of them (the Flags page), of a single episode's sign and of a pattern alike.
NOT_A_DIAGNOSIS = (
    "Warning signs are matched against what you logged; they are not a diagnosis: only a clinician who examines you "
    "can say what causes your numbness."
)


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str  # empty for a seed article whose copy names no publisher
    url: str = ""  # the public page; the seed articles are cited by title only
    background: bool = False  # a seed article: background reading, listed after the public pages

    @property
    def publisher_words(self) -> str:
        """Who published it, as the pages print it; a seed article that names nobody says so."""
        return self.publisher or "web article, publisher not named"

    @property
    def citation(self) -> str:
        return f"{self.title} ({self.publisher_words})"

    def record(self) -> AlertSource:
        """The source as the API, the save's alerts and the review command give it."""
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "background": self.background,
        }


# Authoritative public pages, cited first. NHS and NICE CKS pages are the ones DESIGN §5 lists; the pages of
# other national services (healthdirect Australia, NHS 111 Wales, Health New Zealand) are those whose title,
# publisher and address the project's clinical research verified (its report, section C). "Pins and needles" (NHS) was
# identified by its title and address in several independent stored catalogues of NHS pages, which summarise it
# as: see a GP when pins and needles keep coming back or do not go away. "Numbness or Tingling" (Harvard Health
# Publishing) was read in the stored pages: numbness after a significant injury, or with weakness, needs
# prompt attention. Messages paraphrase; they never copy.
_PUBLIC = (
    Source("nhs-cauda-equina", "Cauda equina syndrome", "NHS", "https://www.nhs.uk/conditions/cauda-equina-syndrome/"),
    Source("nhs-stroke", "Stroke: symptoms", "NHS", "https://www.nhs.uk/conditions/stroke/symptoms/"),
    Source(
        "nhs-tia",
        "Transient ischaemic attack (TIA)",
        "NHS",
        "https://www.nhs.uk/conditions/transient-ischaemic-attack-tia/",
    ),
    Source("nhs-dvt", "Deep vein thrombosis (DVT)", "NHS", "https://www.nhs.uk/conditions/deep-vein-thrombosis-dvt/"),
    Source("nhs-pe", "Pulmonary embolism", "NHS", "https://www.nhs.uk/conditions/pulmonary-embolism/"),
    Source(
        "nhs-pad",
        "Peripheral arterial disease (PAD)",
        "NHS",
        "https://www.nhs.uk/conditions/peripheral-arterial-disease-pad/",
    ),
    Source("nhs-gbs", "Guillain-Barré syndrome", "NHS", "https://www.nhs.uk/conditions/guillain-barre-syndrome/"),
    Source("nhs-neuropathy", "Peripheral neuropathy", "NHS", "https://www.nhs.uk/conditions/peripheral-neuropathy/"),
    Source("nhs-pins-and-needles", "Pins and needles", "NHS", "https://www.nhs.uk/conditions/pins-and-needles/"),
    Source(
        "nice-sciatica",
        "Sciatica (lumbar radiculopathy)",
        "NICE CKS",
        "https://cks.nice.org.uk/topics/sciatica-lumbar-radiculopathy/",
    ),
    Source("healthdirect-stroke", "Stroke", "healthdirect Australia", "https://www.healthdirect.gov.au/stroke"),
    # healthdirect's "Sciatica" lists the cauda equina red flags (bladder or bowel trouble, numbness around the
    # genitals or anus: care straight away); no national page dedicated to cauda equina syndrome was found.
    Source("healthdirect-sciatica", "Sciatica", "healthdirect Australia", "https://www.healthdirect.gov.au/sciatica"),
    Source(
        "healthdirect-dvt",
        "Deep vein thrombosis",
        "healthdirect Australia",
        "https://www.healthdirect.gov.au/deep-vein-thrombosis",
    ),
    Source(
        "healthdirect-pe",
        "Pulmonary embolism",
        "healthdirect Australia",
        "https://www.healthdirect.gov.au/pulmonary-embolism",
    ),
    Source(
        "wales-gbs",
        "Guillain-Barré syndrome",
        "NHS 111 Wales",
        "http://111.wales.nhs.uk/encyclopaedia/g/article/guillainbarresyndrome",
    ),
    Source(
        "healthnz-limb-ischaemia",
        "Acute limb ischaemia",
        "Health New Zealand | Te Whatu Ora",
        "https://info.health.nz/conditions-treatments/blood/peripheral-vascular-disease/acute-limb-ischaemia",
    ),
    Source(
        "harvard-numbness",
        "Numbness or Tingling",
        "Harvard Health Publishing",
        "https://www.health.harvard.edu/decision_guide/numbness-or-tingling",
    ),
)
# The five seed articles (../shared/seeds), background reading only: never the only source of a sign. Their
# copies name a publisher only for 001 (iLive); the others say who they are by title alone.
_BACKGROUND = (
    Source("000", "Numbness Of Legs - What To Do? Treatment Methods", "", background=True),
    Source("001", "Numbness in the legs (medically reviewed 2025)", "iLive", background=True),
    Source("002", "What Causes Numbness in the Legs? Understanding the Basics", "", background=True),
    Source("003", "Why are my legs numb?", "", background=True),
    Source("004", "Numbness of the Legs (2012)", "", background=True),
)
SOURCES = {s.id: s for s in (*_PUBLIC, *_BACKGROUND)}

# The review's windows, in the patient's local dates, ending on the review date D.
RECENT_DAYS = 14  # R: D-13 … D
BASELINE_DAYS = 28  # B: the 28 dates before R
MONTH_DAYS = 28  # M: D-27 … D
WEEK_DAYS = 7  # W: D-6 … D
# The windows by name for the catalogue's sentences ("in the last {recent_days} days"), filled in by
# explain() and patient_message(); rationales, shown as written, are f-strings. A length is written once.
WINDOW_DAYS = MappingProxyType(
    {"recent_days": RECENT_DAYS, "baseline_days": BASELINE_DAYS, "month_days": MONTH_DAYS, "week_days": WEEK_DAYS}
)

# A positional episode: brought on by a position, eased by moving, and short (DESIGN §5).
POSITIONAL_TRIGGERS = frozenset({"sitting", "crossed_legs", "lying"})
EASING_RELIEF = frozenset({"changed_position", "walking_around"})
POSITIONAL_MAX = dt.timedelta(minutes=15)


@dataclass(frozen=True, kw_only=True)
class Sign:
    code: str
    level: str
    title: str  # to the patient
    clinical_title: str  # to the physician (the report)
    message: str  # to the patient, action first; "{number}" is their emergency number; windows as in WINDOW_DAYS
    rationale: str  # to the physician
    sources: tuple[str, ...]
    reasons: dict[str, str]  # why it fired, filled in from the finding's numbers
    thresholds: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType[str, Any]({}))
    pattern: bool = False  # found by the review over several episodes, never on one saved episode
    extra: dict[str, str] = field(default_factory=dict)  # sentences added to the message for a "why" key
    late_title: str = ""  # stroke signs logged long after they started: the urgent screen instead
    late_message: str = ""

    @property
    def instant(self) -> bool:
        """Emergency and urgent flags stay open until the patient has read them."""
        return self.level in (EMERGENCY, URGENT)

    @property
    def per_episode(self) -> bool:
        """Checked on each episode as it is saved, and by the review on every episode in R."""
        return self.instant and not self.pattern

    @property
    def source_list(self) -> list[Source]:
        """The public pages first, then the background reading, each in catalogue order."""
        listed = [SOURCES[i] for i in self.sources]
        return [s for s in listed if not s.background] + [s for s in listed if s.background]

    @property
    def authorities(self) -> list[Source]:
        return [s for s in self.source_list if not s.background]

    @property
    def background_reading(self) -> list[Source]:
        return [s for s in self.source_list if s.background]

    def t(self, name: str) -> Any:
        return self.thresholds[name]


def _t(**values: Any) -> MappingProxyType[str, Any]:
    return MappingProxyType(values)


# Dated, not "in the last 14 days": an emergency or urgent flag stays open until it is read, long after that.
_EPISODE_REASON = {"matched": "{episodes_counted} with: {matched} ({started})."}

CATALOGUE: dict[str, Sign] = {
    s.code: s
    for s in (
        Sign(
            code="emergency.stroke_signs",
            level=EMERGENCY,
            title="Possible signs of a stroke",
            clinical_title="Possible stroke or TIA",
            message="Call {number} now. A drooping face, a weak or numb arm, slurred speech, trouble seeing, suddenly "
            "losing your balance, a sudden very bad headache, confusion or a leg you cannot move can be signs of "
            "a stroke. Call even if the signs have gone away. Tell them the time the signs started.",
            rationale="Leg numbness with focal neurological signs (face, arm weakness or numbness, speech, vision, "
            "ataxia, thunderclap headache, confusion, paralysis): possible stroke or TIA, for immediate assessment.",
            sources=("nhs-stroke", "nhs-tia", "healthdirect-stroke", "000", "001", "002", "004"),
            reasons=_EPISODE_REASON,
            thresholds=_t(
                symptoms=frozenset(
                    {
                        "speech_difficulty",
                        "facial_droop",
                        "arm_or_face_numbness",
                        "arm_weakness",
                        "sudden_headache",
                        "confusion",
                        "vision_problems",
                        "paralysis",
                        "loss_of_coordination",
                    }
                ),
                # Logged more than this long after they started: the urgent screen, not "call now".
                late_entry=dt.timedelta(hours=24),
            ),
            late_title="Signs of a stroke that have passed",
            late_message="See a doctor today, even though these signs have gone. Signs like these that come and "
            "go can be a warning that a stroke may follow, so they need checking today. Call your doctor or an "
            "urgent care service now. If any sign comes back, call {number} at once.",
        ),
        Sign(
            code="emergency.spinal_cord",
            level=EMERGENCY,
            title="Possible pressure on the nerves in your back",
            clinical_title="Possible cauda equina syndrome or cord compression",
            message="Call {number} now, or go to an emergency department. Numbness between the legs or around the "
            "bottom, not being able to pee, losing control of your bladder or bowel, or both legs going weak can "
            "mean the nerves at the bottom of your spine are being squeezed. This needs treatment fast to save "
            "your bladder, bowel and legs.",
            rationale="Saddle anaesthesia, urinary retention or sphincter disturbance, or bilateral leg weakness with "
            "numbness: possible cauda equina syndrome or cord compression, for emergency assessment.",
            sources=("nhs-cauda-equina", "healthdirect-sciatica", "000", "001"),
            reasons=_EPISODE_REASON,
            thresholds=_t(
                symptoms=frozenset({"bladder_bowel_control", "urinary_retention", "saddle_numbness"}),
                regions=frozenset({"saddle"}),
                both_legs_symptoms=frozenset({"leg_weakness", "difficulty_walking", "paralysis"}),
            ),
        ),
        Sign(
            code="emergency.blood_clot",
            level=EMERGENCY,
            title="Possible blocked blood vessel",
            clinical_title="Possible acute limb ischaemia",
            message="Call {number} now. A numb leg or foot that looks pale or blue or feels cold, or a cold foot with "
            "sudden bad pain, can mean blood cannot get through to it. This needs treatment fast.",
            rationale="Numb, pale or cold limb, or cold with sudden severe pain: possible acute limb ischaemia or "
            "thrombosis.",
            sources=("nhs-pad", "healthnz-limb-ischaemia", "000", "004"),
            reasons=_EPISODE_REASON,
            thresholds=_t(symptoms=frozenset({"leg_pale_cold"}), together=("cold", "sudden_severe_pain")),
        ),
        Sign(
            code="emergency.breathing_or_fainting",
            level=EMERGENCY,
            title="Breathlessness, chest pain or fainting",
            clinical_title="Dyspnoea, chest pain or syncope",
            message="Call {number} now. Being short of breath, having chest pain or fainting when your leg is numb can "
            "mean a clot has moved from the leg to the lungs, or another serious problem.",
            rationale="Dyspnoea, chest pain or syncope with leg numbness: consider pulmonary embolism and other "
            "acute causes.",
            sources=("nhs-pe", "healthdirect-pe", "001", "004"),
            reasons=_EPISODE_REASON,
            thresholds=_t(symptoms=frozenset({"shortness_of_breath", "chest_pain", "fainting"})),
        ),
        Sign(
            code="urgent.both_legs_back_pain",
            level=URGENT,
            title="Back pain with numbness in both legs",
            clinical_title="Bilateral sciatica",
            message="See a doctor today. Back pain with numbness in both legs can come from nerves being pressed in "
            "the lower back, and should be checked soon. Call {number} at once if you cannot pee, lose control of "
            "your bladder or bowel, or go numb between the legs or around the bottom.",
            rationale="Bilateral sciatica (back pain with bilateral leg numbness) without red flags: urgent review to "
            "exclude early cauda equina syndrome.",
            sources=("nhs-cauda-equina", "nice-sciatica", "healthdirect-sciatica", "004"),
            reasons=_EPISODE_REASON,
            thresholds=_t(both_legs_symptoms=frozenset({"back_pain"}), unless="emergency.spinal_cord"),
        ),
        Sign(
            code="urgent.injury",
            level=URGENT,
            title="Numbness after an injury",
            clinical_title="Post-traumatic numbness",
            message="See a doctor today. Numbness after an injury or a fall should be looked at by a doctor today, "
            "even if you can still move the leg normally.",
            rationale="Post-traumatic leg numbness: assess for fracture, dislocation or nerve injury.",
            sources=("harvard-numbness", "000", "002"),
            reasons=_EPISODE_REASON,
            thresholds=_t(triggers=frozenset({"injury"})),
        ),
        Sign(
            code="urgent.weakness",
            level=URGENT,
            title="Weakness or trouble walking",
            clinical_title="Motor weakness or gait disturbance",
            message="See a doctor today. A weak leg or trouble walking together with numbness should be checked today. "
            "If it came on suddenly, or with any sign of a stroke, call {number}.",
            rationale="Motor weakness or gait disturbance with numbness: possible radiculopathy, myelopathy or "
            "central cause.",
            sources=("harvard-numbness", "nhs-stroke", "001", "002"),
            reasons=_EPISODE_REASON,
            thresholds=_t(symptoms=frozenset({"leg_weakness", "difficulty_walking"}), unless="emergency.spinal_cord"),
        ),
        Sign(
            code="urgent.severe_pain",
            level=URGENT,
            title="Sudden severe pain with numbness",
            clinical_title="Sudden severe pain",
            message="See a doctor today. Sudden, severe pain together with numbness should be checked today. If the "
            "leg or foot also turns pale, blue or cold, call {number}.",
            rationale="Sudden severe pain with leg numbness (patient-reported; the "
            f"{vocab.SEVERITY_RANGE_LABEL} score rates numbness, not pain).",
            sources=("healthnz-limb-ischaemia", "nhs-pad", "002"),
            reasons=_EPISODE_REASON,
            thresholds=_t(symptoms=frozenset({"sudden_severe_pain"})),
        ),
        Sign(
            code="urgent.swollen_leg",
            level=URGENT,
            title="Swollen leg with numbness",
            clinical_title="Leg swelling: exclude DVT",
            message="See a doctor today. A swollen, numb leg can come from a clot in a vein. If you also get short of "
            "breath or chest pain, call {number}.",
            rationale="Leg swelling with numbness: exclude deep vein thrombosis.",
            sources=("nhs-dvt", "healthdirect-dvt", "001", "004"),
            reasons=_EPISODE_REASON,
            thresholds=_t(symptoms=frozenset({"leg_swollen"})),
        ),
        Sign(
            code="urgent.ascending",
            level=URGENT,
            title="Numbness climbing both legs",
            clinical_title="Ascending bilateral numbness",
            message="See a doctor today. Numbness that climbs up both legs over a few days can come from a problem "
            "with the nerves that needs checking quickly. If your legs get weak, or breathing or swallowing gets "
            "hard, call {number}.",
            rationale="New bilateral numbness ascending over days: consider Guillain-Barré syndrome or another acute "
            "polyneuropathy or myelopathy.",
            sources=("nhs-gbs", "wales-gbs", "004"),
            reasons={
                "climbing": "In the last {window_days} days numbness on both sides went from {from_region} on "
                "{from_started} up to {to_region} on {to_started}.",
            },
            thresholds=_t(level_rise=2),
            pattern=True,
        ),
        Sign(
            code="pattern.persistent",
            level=SEE_DOCTOR,
            title="Numbness that keeps coming back or lasts",
            clinical_title="Persistent or prolonged paraesthesia",
            message="Book an appointment with your doctor and bring this diary. Numbness on most days, or numbness "
            "that lasts half an hour or more and does not ease when you move, is worth a check.",
            rationale="Persistent paraesthesia: frequent non-positional episodes or prolonged episodes not recorded as "
            "relieved by repositioning.",
            sources=("nhs-pins-and-needles", "002", "004", "001"),
            reasons={
                "days": "Numbness on {days} of the last {window_days} days, not counting episodes brought on by a "
                f"position that moving eased within {POSITIONAL_MAX.seconds // 60} minutes "
                "({min_days} or more is the threshold).",
                # "Not logged as eased": the rule counts an episode whose relief was left unanswered too, and the
                # patient never said that moving did not help.
                "long": "Episodes of {min_minutes} minutes or more not logged as eased by moving: {long_episodes} "
                "(the longest {longest}{going}).",
            },
            thresholds=_t(min_minutes=30, min_days=5),
        ),
        Sign(
            code="pattern.escalating",
            level=SEE_DOCTOR,
            title="Getting worse",
            clinical_title="Escalating frequency, severity or duration",
            message="Book an appointment with your doctor and bring this diary. Your episodes have become clearly more "
            "frequent, stronger or longer over the last {recent_days} days than in the {baseline_days} days before.",
            rationale=f"Escalating frequency, severity or duration compared with the preceding {BASELINE_DAYS} days.",
            sources=("nhs-pins-and-needles", "000", "001"),
            reasons={
                "counts": "{recent} episodes in the last {recent_days} days, {baseline} in the {baseline_days} days "
                "before.",
                "severity": "Mean severity {mean_recent} now against {mean_baseline} before "
                "(a rise of {severity_rise} or more is the threshold).",
                "rate": "{rate_recent} episodes a day now against {rate_baseline} before: {rate_times:g}× as many "
                "({rate_ratio}× or more is the threshold).",
                "duration": "Median duration {median_recent} minutes now against {median_baseline} before "
                "({duration_ratio}× and {min_median_minutes} minutes or more is the threshold).",
            },
            thresholds=_t(
                min_recent=4,
                min_baseline=3,
                severity_rise=2,
                rate_ratio=2,
                duration_ratio=2,
                min_median_minutes=10,
            ),
        ),
        Sign(
            code="pattern.spreading",
            level=SEE_DOCTOR,
            title="Spreading up the leg",
            clinical_title="Proximal spread",
            message="Book an appointment with your doctor. The numbness now reaches higher up the leg than it did a "
            "few weeks ago, and numbness that spreads should be checked.",
            rationale=f"Proximal extension of the numb area compared with the preceding {BASELINE_DAYS} days.",
            sources=("nhs-pins-and-needles", "000", "001"),
            reasons={
                "levels": "{recent_episodes} episodes in the last {recent_days} days reached {recent_region}; "
                "in the {baseline_days} days before, the highest was {baseline_region}.",
            },
            thresholds=_t(min_baseline=1, min_recent=2, level_rise=2),
        ),
        Sign(
            code="pattern.bilateral",
            level=SEE_DOCTOR,
            title="Now in both legs",
            clinical_title="New bilateral involvement",
            message="Book an appointment with your doctor soon. The numbness has started to affect both legs at once, "
            "which it did not before. If it is severe or getting quickly worse, get urgent care.",
            rationale="New bilateral involvement after a unilateral baseline.",
            sources=("nhs-pins-and-needles", "004", "002"),
            reasons={
                "both": "{recent_bilateral} episodes in both legs in the last {recent_days} days; none of the "
                "{baseline} episodes in the {baseline_days} days before involved both legs.",
            },
            thresholds=_t(min_recent=2, min_baseline=2),
        ),
        Sign(
            code="pattern.nocturnal",
            level=SEE_DOCTOR,
            title="Numbness at night that disturbs sleep",
            clinical_title="Nocturnal paraesthesia with pain, cramps or sleep disturbance",
            message="Book an appointment with your doctor. Numbness at night that comes with pain or cramps or wakes "
            "you, again and again, is worth a visit: the doctor can look for a cause in the nerves or blood flow.",
            rationale="Recurrent nocturnal paraesthesia with pain, cramps or sleep disruption.",
            sources=("nhs-pins-and-needles", "001", "000"),
            reasons={
                "nights": "{episodes} night-time or in-bed episodes in the last {recent_days} days with pain, cramps "
                "or broken sleep ({min_episodes} or more is the threshold).",
            },
            thresholds=_t(
                min_episodes=3,
                triggers=frozenset({"lying", "sleep"}),
                symptoms=frozenset({"sleep_disrupted", "cramps"}),
                sensation="pain",
            ),
        ),
        Sign(
            code="pattern.exertional",
            level=SEE_DOCTOR,
            title="Comes on with walking, eases with rest",
            clinical_title="Exertional, relieved by rest (claudication pattern)",
            message="Book an appointment with your doctor. Numbness that comes on when you walk and goes when you rest "
            "can come from narrowed arteries or a narrowed spinal canal.",
            rationale="Exertional symptoms relieved by rest: consider claudication (vascular) or neurogenic "
            "claudication.",
            sources=("nhs-pad", "001", "003", "002"),
            reasons={
                "walking": "{episodes} episodes in the last {month_days} days came on with walking and eased with rest "
                "({min_episodes} or more is the threshold).",
            },
            thresholds=_t(min_episodes=3, trigger="walking", relief="rest"),
        ),
        Sign(
            code="pattern.radicular",
            level=SEE_DOCTOR,
            title="One leg at a time, with back pain",
            clinical_title="Unilateral with back pain (radicular pattern)",
            message="Book an appointment with your doctor. Numbness in one leg that comes with back pain can come "
            "from a nerve pinched in the lower back. Get urgent care if a leg becomes weak or you lose bladder or "
            "bowel control.",
            rationale="Unilateral leg numbness with back pain: possible lumbar radiculopathy.",
            sources=("nice-sciatica", "healthdirect-sciatica", "004", "002"),
            reasons={
                "side": "{episodes} episodes in the last {month_days} days in one leg only, each with back pain "
                "({min_episodes} or more is the threshold).",
                "moved": "The numbness moved between legs: {left} of them in the left leg, {right} in the right.",
            },
            thresholds=_t(min_episodes=3, symptom="back_pain"),
            extra={"moved": "The numbness has moved between your legs: tell your doctor this too."},
        ),
        Sign(
            code="pattern.known_condition",
            level=SEE_DOCTOR,
            title="Recurring numbness with a known condition",
            clinical_title="Recurrent numbness with a predisposing condition",
            message="Tell the doctor who looks after your condition at your next visit, sooner if it gets worse. You "
            "have a condition that can itself cause numbness, and the numbness keeps coming back.",
            rationale="Recurrent numbness in a patient with diabetes, multiple sclerosis or pregnancy.",
            sources=("nhs-neuropathy", "002", "000"),
            reasons={
                "condition": "{episodes} episodes in the last {month_days} days, with {conditions} in the profile "
                "({min_episodes} or more is the threshold).",
            },
            thresholds=_t(min_episodes=3, conditions=frozenset({"diabetes", "multiple_sclerosis", "pregnancy"})),
        ),
    )
}


# The details that name places or regions, each with its articles ("the left calf"; the saddle has none).
REGION_WORDS = ("from_region", "to_region", "recent_region", "baseline_region")
_ARTICLELESS = tuple(vocab.REGIONS[code].label.lower() for code in vocab.MIDLINE_REGIONS)


def explain(code: str, detail: dict[str, Any]) -> list[str]:
    """The plain sentences that say why a flag fired, from the numbers in its detail."""
    sign_ = CATALOGUE[code]
    values = {**WINDOW_DAYS, **detail}
    if "longest_minutes" in detail:  # "31 hours 52 minutes", not "1912 minutes"
        values["longest"] = duration_words(detail["longest_minutes"])
    if "episodes" in detail:  # "1 episode", not "1 episode(s)"
        values["episodes_counted"] = vocab.counted(detail["episodes"], "episode")
    if "first_started" in detail:  # "started 20 Feb 2026", "the first started 20 Feb 2026"
        first = day_words(dt.date.fromisoformat(detail["first_started"][:10]))
        values["started"] = f"started {first}" if detail.get("episodes") == 1 else f"the first started {first}"
    else:  # a flag saved before its detail had the date
        values["started"] = f"in the {RECENT_DAYS} days before it was seen"
    # Said only when one of the long episodes is still going (a flag saved before says it as it did).
    values["going"] = "; an episode still going counts until the review" if detail.get("long_going", 1) else ""
    for key in REGION_WORDS:  # a flag saved before its places had their articles: "left toes and right toes"
        if (words := detail.get(key)) and not words.startswith(("the ", *_ARTICLELESS)):
            values[key] = f"the {words}"
    if "rate_times" not in detail and detail.get("rate_baseline"):  # a flag saved before its detail had the ratio
        values["rate_times"] = round(detail["recent"] * BASELINE_DAYS / (detail["baseline"] * RECENT_DAYS), 2)
    return [sign_.reasons[key].format(**values) for key in detail.get("why", []) if key in sign_.reasons]


def patient_message(code: str, emergency_number: str, detail: dict[str, Any] | None = None) -> str:
    """The sign's message to the patient, with the sentences its numbers add (e.g. "moved between legs")."""
    sign_ = CATALOGUE[code]
    why = (detail or {}).get("why", [])
    parts = [sign_.message] + [sign_.extra[key] for key in why if key in sign_.extra]
    return " ".join(parts).format(number=emergency_number, **WINDOW_DAYS)


def late_entry_message(code: str, emergency_number: str) -> str:
    return CATALOGUE[code].late_message.format(number=emergency_number)
