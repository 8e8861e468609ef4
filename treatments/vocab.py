"""The treatments' codes: kinds, schedules, dose units, stop reasons, effects, and the suggested treatments.

Codes are stable (exports, the API and the interchange format use them) and only ever added. A suggested
treatment carries its RxNorm ingredient code (RXCUI) only where it was checked against an RxNorm-derived
file (below); no code is better than a guessed one (DESIGN §8).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from diary.vocab import Term


def _index(*terms: Term) -> dict[str, Term]:
    return {term.code: term for term in terms}


MEDICATION, SUPPLEMENT, PHYSICAL, DEVICE, OTHER = "medication", "supplement", "physical", "device", "other"
KINDS = _index(
    Term(MEDICATION, "Medication"),
    Term(SUPPLEMENT, "Supplement or vitamin"),
    Term(PHYSICAL, "Physiotherapy or exercises"),
    Term(DEVICE, "Device (insoles, brace, TENS)"),
    Term(OTHER, "Something else"),
)
DRUG_KINDS = frozenset({MEDICATION, SUPPLEMENT})  # taken as a substance: FHIR MedicationStatement

REGULAR, AS_NEEDED = "regular", "as_needed"
SCHEDULES = _index(Term(REGULAR, "Every day"), Term(AS_NEEDED, "When needed"))
MAX_TIMES_PER_DAY = 6

TAKEN, MISSED = "taken", "missed"
STATUSES = _index(Term(TAKEN, "Taken"), Term(MISSED, "Missed"))

HELPED_A_LOT, HELPED_A_LITTLE, NO_HELP = "helped_a_lot", "helped_a_little", "no_help"
EFFECTS = _index(
    Term(HELPED_A_LOT, "Helped a lot"),
    Term(HELPED_A_LITTLE, "Helped a little"),
    Term(NO_HELP, "Didn't help"),
)
HELPED = frozenset({HELPED_A_LOT, HELPED_A_LITTLE})

STOP_REASONS = _index(
    Term("helped_enough", "It helped enough"),
    Term("did_not_help", "It didn't help"),
    Term("side_effects", "Side effects"),
    Term("doctor_changed", "My doctor changed it"),
    Term("other", "Another reason"),
)


@dataclass(frozen=True)
class Unit:
    code: str
    label: str  # as written after a number: "75 mg", "2 tablets"
    plural: str
    ucum: str = ""  # the UCUM code where the unit is one (FHIR doseQuantity); the others are counts of a thing


UNITS = {
    unit.code: unit
    for unit in (
        Unit("mg", "mg", "mg", ucum="mg"),
        Unit("mcg", "mcg", "mcg", ucum="ug"),
        Unit("g", "g", "g", ucum="g"),
        Unit("ml", "ml", "ml", ucum="mL"),
        Unit("tablet", "tablet", "tablets"),
        Unit("capsule", "capsule", "capsules"),
        Unit("drop", "drop", "drops"),
        Unit("patch", "patch", "patches"),
        Unit("application", "application", "applications"),
        Unit("session", "session", "sessions"),
        Unit("minute", "minute", "minutes", ucum="min"),
    )
}


@dataclass(frozen=True)
class Suggestion:
    """A common treatment for leg numbness, offered as the name is typed."""

    code: str
    name: str
    kind: str
    rxcui: str = ""  # RxNorm ingredient (TTY IN), verified: see the note above SUGGESTIONS
    rxnorm_name: str = ""  # the ingredient's name in RxNorm, which may differ from the patient's word
    unit: str = ""  # the usual dose unit, proposed on the add screen


# RXCUIs checked in the RxNorm ingredient extract of github.com/davidanderson3/rxnorm-ingredients, commit
# a8fcf13a679fa37073e8fa83e11d5e0d8cc07276, web/data/<letter>.json: records taken from NLM's RXNCONSO.RRF
# (SAB=RXNORM, TTY IN, not suppressed); each code below is the record of that name, TTY IN. Duloxetine,
# nortriptyline, venlafaxine, carbamazepine, lidocaine and tramadol also match CPIC's drug table
# (cpicpgx/cpic-schema drug.sql, "RxNorm:<rxcui>"). Amitriptyline and paracetamol (acetaminophen) could not
# be checked in an RxNorm-derived file (A.json is missing from that extract), so they carry no code.
SUGGESTIONS = {
    s.code: s
    for s in (
        Suggestion("pregabalin", "Pregabalin", MEDICATION, "187832", "pregabalin", "mg"),  # P.json
        Suggestion("gabapentin", "Gabapentin", MEDICATION, "25480", "gabapentin", "mg"),  # G.json
        Suggestion("duloxetine", "Duloxetine", MEDICATION, "72625", "duloxetine", "mg"),  # D.json
        Suggestion("amitriptyline", "Amitriptyline", MEDICATION, unit="mg"),  # not verified: no code
        Suggestion("nortriptyline", "Nortriptyline", MEDICATION, "7531", "nortriptyline", "mg"),  # N.json
        Suggestion("venlafaxine", "Venlafaxine", MEDICATION, "39786", "venlafaxine", "mg"),  # V.json
        Suggestion("carbamazepine", "Carbamazepine", MEDICATION, "2002", "carbamazepine", "mg"),  # C.json
        Suggestion("capsaicin", "Capsaicin cream or patch", MEDICATION, "1992", "capsaicin", "application"),  # C.json
        Suggestion("lidocaine", "Lidocaine patch", MEDICATION, "6387", "lidocaine", "patch"),  # L.json
        Suggestion("tramadol", "Tramadol", MEDICATION, "10689", "tramadol", "mg"),  # T.json
        Suggestion("ibuprofen", "Ibuprofen", MEDICATION, "5640", "ibuprofen", "mg"),  # I.json
        Suggestion("naproxen", "Naproxen", MEDICATION, "7258", "naproxen", "mg"),  # N.json
        Suggestion("paracetamol", "Paracetamol (acetaminophen)", MEDICATION, unit="mg"),  # not verified: no code
        # RxNorm names cyanocobalamin's ingredient "vitamin B12" (V.json).
        Suggestion("vitamin_b12", "Vitamin B12", SUPPLEMENT, "11248", "vitamin B12", "mcg"),
        Suggestion(
            "hydroxocobalamin", "Vitamin B12 injection (hydroxocobalamin)", MEDICATION, "5514", "hydroxocobalamin", "mg"
        ),  # H.json  # fmt: skip
        Suggestion("methylcobalamin", "Methylcobalamin", SUPPLEMENT, "29421", "mecobalamin", "mcg"),  # M.json, INN
        Suggestion("folic_acid", "Folic acid", SUPPLEMENT, "4511", "folic acid", "mg"),  # F.json
        Suggestion("thiamine", "Thiamine (vitamin B1)", SUPPLEMENT, "10454", "thiamine", "mg"),  # T.json
        Suggestion("vitamin_d", "Vitamin D (cholecalciferol)", SUPPLEMENT, "2418", "cholecalciferol", "mcg"),  # C.json
        # T.json: IN "thioctate" 618060 (its precise ingredient "thioctic acid" is 6417, TTY PIN).
        Suggestion("alpha_lipoic_acid", "Alpha-lipoic acid", SUPPLEMENT, "618060", "thioctate", "mg"),
        Suggestion("physiotherapy", "Physiotherapy", PHYSICAL, unit="session"),
        Suggestion("stretching", "Stretching exercises", PHYSICAL, unit="minute"),
        Suggestion("insoles", "Insoles", DEVICE),
        Suggestion("tens", "TENS machine", DEVICE, unit="session"),
        Suggestion("compression", "Compression stockings", DEVICE),
    )
}


def suggestion_for_name(name: str) -> Suggestion | None:
    """The suggestion a typed name picks, ignoring case and spaces around it ("pregabalin " is Pregabalin)."""
    wanted = " ".join(name.split()).casefold()
    return next((s for s in SUGGESTIONS.values() if s.name.casefold() == wanted or s.code == wanted), None)


def amount_number(amount: Decimal) -> str:
    """75, 0.5, 1000: the number as a patient writes it (stored with four decimal places: 75.0000)."""
    return f"{amount.normalize():f}"


def amount_words(amount: Decimal, unit: str) -> str:
    """75 mg, 0.5 mg, 1 tablet, 2 tablets: a dose as a patient writes it."""
    number = amount_number(amount)
    found = UNITS.get(unit)
    if found is None:
        return number
    return f"{number} {found.label if amount == 1 else found.plural}"


def how_often(schedule: str, times_per_day: int | None) -> str:
    """ "twice a day", "3 times a day", "every day" (no count given) or "when needed"."""
    if schedule == AS_NEEDED:
        return "when needed"
    return {None: "every day", 1: "once a day", 2: "twice a day"}.get(times_per_day, f"{times_per_day} times a day")


def dose_words(amount: Decimal | None, unit: str, schedule: str, times_per_day: int | None) -> str:
    """ "75 mg twice a day", "400 mg when needed", "every day": a course's dose in words, everywhere it is shown."""
    often = how_often(schedule, times_per_day)
    return f"{amount_words(amount, unit)} {often}" if amount is not None else often
