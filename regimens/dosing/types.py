"""The dose engine's values: its constants, what it takes and what it returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from guidelines.labs import bsa_dubois, bsa_mosteller
from regimens import schema
from regimens.dosing.texts import bsa_formula

# name -> (the formula in words, a message; the function)
BSA_FORMULAS = {
    "mosteller": (bsa_formula("mosteller"), bsa_mosteller),
    "dubois": (bsa_formula("dubois"), bsa_dubois),
}
# Above these the working says that no cap was applied (the guideline sets no cap).
LARGE_BSA_M2 = 2.2
LARGE_WEIGHT_KG = 120.0

UNITS = {
    schema.Basis.MG: "mg",
    schema.Basis.MG_PER_M2: "mg",
    schema.Basis.MG_PER_KG: "mg",
    schema.Basis.MICROGRAM: "microgram",
    schema.Basis.G_PER_M2: "g",
}
MG_PER_UNIT = {"mg": 1.0, "microgram": 0.001, "g": 1000.0}


@dataclass(frozen=True)
class DosingPatient:
    """What the engine needs to know about the patient, with the date each value was measured."""

    weight_kg: float | None = None
    height_cm: float | None = None
    age: float | None = None
    egfr_ml_min: float | None = None
    sex: str | None = None
    weight_measured_on: dt.date | None = None
    height_measured_on: dt.date | None = None
    egfr_measured_on: dt.date | None = None
    reduced_tolerance: frozenset[str] = frozenset()  # drugs the clinician marked for the tolerance rule


@dataclass(frozen=True)
class Working:
    """How one dose was reached, in words a pharmacist can check by hand: each line a message
    (regimens/dosing/texts.py), "" where a line does not apply."""

    formula: str
    inputs: tuple[str, ...]
    bsa_method: str
    adjustments: tuple[str, ...]
    rounding: str
    notes: tuple[str, ...] = ()
    boundary: tuple[str, ...] = ()  # a value exactly at an undefined threshold: which side was taken, and why
    per_unit: str = ""  # the achieved dose per m2 or kg beside the protocol's ("" for a flat dose)


@dataclass(frozen=True)
class Administration:
    """One drug on one day. Cycle 0 is an event-anchored phase before the cycles (``phase`` names it);
    ``day`` is then the phase day (may be -1 or 0).

    ``dose`` is the dose to give, rounded by the policy (regimens/dosing/rounding.py): its float's
    shortest text is the rounded decimal (2.39, never 2.3900000000000001); ``calculated_dose`` the
    exact dose; ``deviation_pct`` (dose - exact) / exact in per cent; ``rounding_step`` the
    protocol's step (None: three significant figures, at most two decimals). ``per_unit_achieved``
    is the dose to give per m2 or kg of this patient beside ``per_unit_protocol``, the protocol's
    dose in ``per_unit_basis`` (mg/m2, g/m2, mg/kg; empty and None for a flat dose)."""

    cycle: int
    day: int
    date: dt.date
    drug: str
    dose: float
    calculated_dose: float
    unit: str
    route: str
    basis: str
    label: str
    adjustments: tuple[str, ...]
    working: Working
    phase: str = ""
    times_per_day: int = 1
    deviation_pct: float = 0.0
    rounding_step: float | None = None
    per_unit_basis: str = ""
    per_unit_achieved: float | None = None
    per_unit_protocol: float | None = None


@dataclass(frozen=True)
class Flag:
    """Something the physician must acknowledge before the plan is issued.

    ``kind`` is the rule kind (``age``, ``renal``, ``weight``) for a value exactly at
    a threshold the guideline leaves undefined; ``event_interval`` when a rule that
    applied needs more time before the phase's next event than the schedule gives;
    ``ambiguity`` for a protocol-level ambiguity (no drug, value or threshold).
    ``key`` identifies the flag within one schedule."""

    drug: str
    kind: str
    value: float | None
    threshold: float | None
    source_text: str
    interpretation: str
    message: str
    key: str = ""


@dataclass(frozen=True)
class Event:
    """A non-drug event of a phase (e.g. stem cell reinfusion on day 0), dated."""

    phase: str
    day: int
    date: dt.date
    text: str


@dataclass(frozen=True)
class Schedule:
    regimen: str
    version: int
    status: str
    bsa_m2: float | None
    bsa_formula: str
    cycle_length_days: int | None
    cycles: int
    administrations: tuple[Administration, ...]
    events: tuple[Event, ...] = ()
    premedication: tuple[str, ...] = ()
    supportive_care: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()
    inputs: tuple[str, ...] = ()
    ambiguities: tuple[schema.ProtocolAmbiguity, ...] = field(default=())
    modifications: tuple[str, ...] = ()  # the physician's modifications in words (regimens/dosing/modify.py)
    reduction_steps: tuple = ()  # modify.Step of each reduction: the dose before and after, the level
