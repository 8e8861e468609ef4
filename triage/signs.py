"""The catalogue of warning signs: every code, level, threshold, message and source (DESIGN §5).

Detectors, the instant check, the review, the pages and the report read these; nothing else
holds a threshold or a message. Messages paraphrase the sources in ../shared/seeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

EMERGENCY, URGENT, SEE_DOCTOR = "emergency", "urgent", "see_doctor"
LEVEL_LABELS = {EMERGENCY: "Emergency", URGENT: "See a doctor today", SEE_DOCTOR: "Talk to your doctor"}
LEVEL_ORDER = {EMERGENCY: 0, URGENT: 1, SEE_DOCTOR: 2}

NOT_A_DIAGNOSIS = (
    "This is a pattern in what you logged, not a diagnosis: only a clinician who examines you can say what causes it."
)


@dataclass(frozen=True)
class Source:
    id: str
    title: str


SOURCES = {
    s.id: s
    for s in (
        Source("000", "Numbness Of Legs - What To Do? Treatment Methods"),
        Source("001", "Numbness in the legs (medically reviewed 2025)"),
        Source("002", "What Causes Numbness in the Legs? Understanding the Basics"),
        Source("003", "Why are my legs numb?"),
        Source("004", "Numbness of the Legs (2012)"),
    )
}

# The review's windows, in the patient's local dates, ending on the review date D.
RECENT_DAYS = 14  # R: D-13 … D
BASELINE_DAYS = 28  # B: the 28 dates before R
MONTH_DAYS = 28  # M: D-27 … D


@dataclass(frozen=True)
class Sign:
    code: str
    level: str
    title: str
    message: str  # to the patient: plain words, what to do; "{number}" is their emergency number
    rationale: str  # to the physician
    sources: tuple[str, ...]
    reasons: dict[str, str]  # why it fired, filled in from the finding's numbers
    thresholds: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType[str, Any]({}))

    @property
    def instant(self) -> bool:
        """Emergency and urgent signs are checked on each episode as it is saved."""
        return self.level in (EMERGENCY, URGENT)

    @property
    def source_list(self) -> list[Source]:
        return [SOURCES[i] for i in self.sources]

    def t(self, name: str) -> Any:
        return self.thresholds[name]


def _t(**values: Any) -> MappingProxyType[str, Any]:
    return MappingProxyType(values)


_EPISODE_REASON = {"matched": "{episodes} episode(s) in the last {window_days} days with: {matched}."}

CATALOGUE: dict[str, Sign] = {
    s.code: s
    for s in (
        Sign(
            "emergency.stroke_signs",
            EMERGENCY,
            "Possible signs of a stroke",
            "Numbness together with slurred speech, a drooping face, a numb arm or face, confusion, trouble "
            "seeing, a leg you cannot move or sudden clumsiness can come from a stroke. Call {number} now, even "
            "if the signs have already gone, and tell them what time they started.",
            "Leg numbness with focal neurological signs (speech, face, arm/face sensory loss, confusion, vision, "
            "paralysis, ataxia): possible stroke or TIA, for immediate assessment.",
            ("000", "001", "002", "004"),
            _EPISODE_REASON,
            _t(
                symptoms=frozenset(
                    {
                        "speech_difficulty",
                        "facial_droop",
                        "arm_or_face_numbness",
                        "confusion",
                        "vision_problems",
                        "paralysis",
                        "loss_of_coordination",
                    }
                )
            ),
        ),
        Sign(
            "emergency.spinal_cord",
            EMERGENCY,
            "Possible pressure on the spinal cord",
            "Losing control of your bladder or bowel, or numbness in the groin, inner thighs or saddle area, "
            "together with numb legs can mean the spinal cord or its nerves are being squeezed. This needs "
            "emergency care now: call {number} or go to an emergency department.",
            "Sphincter disturbance or saddle/groin anaesthesia with leg numbness: possible cord or cauda equina "
            "compression.",
            ("000", "001"),
            _EPISODE_REASON,
            _t(symptoms=frozenset({"bladder_bowel_control"}), regions=frozenset({"groin"})),
        ),
        Sign(
            "emergency.blood_clot",
            EMERGENCY,
            "Possible blocked blood vessel",
            "A numb leg that turns pale and cold can mean its blood supply is blocked, for example by a clot. "
            "Call {number} now.",
            "Numb, pale, cold limb: possible acute arterial occlusion or thrombosis.",
            ("000", "004"),
            _EPISODE_REASON,
            _t(symptoms=frozenset({"leg_pale_cold"})),
        ),
        Sign(
            "emergency.breathing_or_fainting",
            EMERGENCY,
            "Breathlessness or fainting with numbness",
            "Being short of breath or fainting together with a numb leg needs checking straight away: a clot "
            "from the leg can reach the lungs, and fainting can have serious causes. Call {number} now.",
            "Dyspnoea or syncope with leg numbness: consider pulmonary embolism and other acute causes.",
            ("001", "004"),
            _EPISODE_REASON,
            _t(symptoms=frozenset({"shortness_of_breath", "fainting"})),
        ),
        Sign(
            "urgent.injury",
            URGENT,
            "Numbness after an injury",
            "Numbness that follows an injury or a fall should be looked at by a doctor today, even if you can "
            "still move the leg normally.",
            "Post-traumatic leg numbness: assess for fracture, dislocation or nerve injury.",
            ("000", "002"),
            _EPISODE_REASON,
            _t(triggers=frozenset({"injury"})),
        ),
        Sign(
            "urgent.weakness",
            URGENT,
            "Weakness or trouble walking",
            "A weak leg or difficulty walking together with numbness should be checked by a doctor today. If it "
            "came on suddenly, or with any sign of a stroke, call {number}.",
            "Motor weakness or gait disturbance with numbness: possible radiculopathy, myelopathy or central cause.",
            ("001", "002"),
            _EPISODE_REASON,
            _t(symptoms=frozenset({"leg_weakness", "difficulty_walking"})),
        ),
        Sign(
            "urgent.severe_pain",
            URGENT,
            "Severe pain with numbness",
            "Sharp, sudden or severe pain together with numbness should be checked by a doctor today.",
            "Severe or sudden pain with leg numbness.",
            ("002",),
            _EPISODE_REASON,
            _t(symptoms=frozenset({"sudden_severe_pain"}), sensation="pain", min_pain_severity=8),
        ),
        Sign(
            "urgent.swollen_leg",
            URGENT,
            "Swollen leg with numbness",
            "A swollen, numb leg can come from a clot in a vein and should be checked by a doctor today. If you "
            "also become short of breath or have chest pain, call {number}.",
            "Unilateral swelling with numbness: exclude deep vein thrombosis.",
            ("001", "004"),
            _EPISODE_REASON,
            _t(symptoms=frozenset({"leg_swollen"})),
        ),
        Sign(
            "pattern.persistent",
            SEE_DOCTOR,
            "Numbness that keeps coming back or lasts",
            "Numbness that comes most days, or lasts half an hour or more without easing when you move, is worth "
            "showing to your doctor. Book an appointment and bring this diary.",
            "Persistent paraesthesia: frequent episodes or prolonged episodes not relieved by repositioning.",
            ("002", "004", "001"),
            {
                "days": "Numbness on {days} of the last {window_days} days ({min_days} or more is the threshold).",
                "long": "{long_episodes} episode(s) of {min_minutes} minutes or more that moving did not ease "
                "(longest {longest_minutes} minutes).",
            },
            _t(
                min_minutes=30,
                easing_relief=frozenset({"changed_position", "walking_around"}),
                min_days=5,
            ),
        ),
        Sign(
            "pattern.escalating",
            SEE_DOCTOR,
            "Getting worse",
            "Your episodes have become clearly more frequent, stronger or longer over the last two weeks than "
            "in the four weeks before. Book an appointment with your doctor and bring this diary.",
            "Escalating frequency, severity or duration compared with the preceding 4 weeks.",
            ("000", "001"),
            {
                "counts": "{recent} episodes in the last 14 days, {baseline} in the 28 days before.",
                "severity": "Mean severity {mean_recent} now against {mean_baseline} before "
                "(a rise of {severity_rise} or more is the threshold).",
                "rate": "{rate_recent} episodes a day now against {rate_baseline} before "
                "({rate_ratio}× or more is the threshold).",
                "duration": "Median duration {median_recent} minutes now against {median_baseline} before "
                "({duration_ratio}× and {min_median_minutes} minutes or more is the threshold).",
            },
            _t(
                min_recent=4,
                min_baseline=3,
                severity_rise=2,
                rate_ratio=2,
                duration_ratio=2,
                min_median_minutes=10,
            ),
        ),
        Sign(
            "pattern.spreading",
            SEE_DOCTOR,
            "Spreading up the leg",
            "The numbness now reaches higher up the leg than it did a few weeks ago. Numbness that spreads "
            "should be checked: book an appointment with your doctor.",
            "Proximal extension of the numb area compared with the preceding 4 weeks.",
            ("000", "001"),
            {
                "levels": "{recent_episodes} episodes in the last 14 days reached the {recent_region}; in the 28 "
                "days before, the highest was the {baseline_region}.",
            },
            _t(min_baseline=1, min_recent=2, level_rise=2),
        ),
        Sign(
            "pattern.bilateral",
            SEE_DOCTOR,
            "Now in both legs",
            "The numbness has started to affect both legs at once, which it did not before. Numbness that "
            "spreads to both legs should be checked soon: book an appointment with your doctor. If it is severe "
            "or getting quickly worse, get urgent care.",
            "New bilateral involvement after a unilateral baseline.",
            ("004", "002"),
            {
                "both": "{recent_bilateral} episodes in both legs in the last 14 days; none of the {baseline} "
                "episodes in the 28 days before involved both legs.",
            },
            _t(min_recent=2, min_baseline=2),
        ),
        Sign(
            "pattern.nocturnal",
            SEE_DOCTOR,
            "Numbness at night that disturbs sleep",
            "Numbness at night that comes with pain or cramps or wakes you, again and again, is worth a visit to "
            "your doctor, who can look for a cause in the nerves or circulation.",
            "Recurrent nocturnal paraesthesia with pain, cramps or sleep disruption.",
            ("001", "000"),
            {
                "nights": "{episodes} night-time or in-bed episodes in the last 14 days with pain, cramps or broken "
                "sleep ({min_episodes} or more is the threshold).",
            },
            _t(
                min_episodes=3,
                triggers=frozenset({"lying", "sleep"}),
                symptoms=frozenset({"sleep_disrupted", "cramps"}),
                sensation="pain",
            ),
        ),
        Sign(
            "pattern.exertional",
            SEE_DOCTOR,
            "Comes on with walking, eases with rest",
            "Numbness that comes on when you walk and goes when you rest can come from narrowed arteries or a "
            "narrowed spinal canal. Book an appointment with your doctor.",
            "Exertional symptoms relieved by rest: consider claudication (vascular) or neurogenic claudication.",
            ("001", "003", "002"),
            {
                "walking": "{episodes} episodes in the last 28 days came on with walking and eased with rest "
                "({min_episodes} or more is the threshold).",
            },
            _t(min_episodes=3, trigger="walking", relief="rest"),
        ),
        Sign(
            "pattern.radicular",
            SEE_DOCTOR,
            "One leg, with back pain",
            "Numbness in one leg that comes with back pain can come from a nerve pinched in the lower back. "
            "Book an appointment with your doctor; get urgent care if the leg becomes weak or you lose bladder "
            "or bowel control.",
            "Unilateral leg numbness with back pain: possible lumbar radiculopathy.",
            ("004", "002"),
            {
                "side": "{episodes} episodes in the last 28 days in the {side} leg only, each with back pain "
                "({min_episodes} or more is the threshold).",
            },
            _t(min_episodes=3, symptom="back_pain"),
        ),
        Sign(
            "pattern.known_condition",
            SEE_DOCTOR,
            "Recurring numbness with a known condition",
            "You have a condition that can itself cause numbness, and the numbness keeps coming back. Tell the "
            "doctor who looks after that condition at your next visit, sooner if it gets worse.",
            "Recurrent numbness in a patient with diabetes, multiple sclerosis or pregnancy.",
            ("002", "000"),
            {
                "condition": "{episodes} episodes in the last 28 days, with {conditions} in your profile "
                "({min_episodes} or more is the threshold).",
            },
            _t(min_episodes=3, conditions=frozenset({"diabetes", "multiple_sclerosis", "pregnancy"})),
        ),
    )
}


def sign(code: str) -> Sign:
    return CATALOGUE[code]


def explain(code: str, detail: dict[str, Any]) -> list[str]:
    """The plain sentences that say why a flag fired, from the numbers in its detail."""
    sign_ = CATALOGUE[code]
    return [sign_.reasons[key].format(**detail) for key in detail.get("why", []) if key in sign_.reasons]


def patient_message(code: str, emergency_number: str) -> str:
    return CATALOGUE[code].message.format(number=emergency_number)
