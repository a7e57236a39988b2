"""The dose engine: one protocol (regimens.schema.Protocol) + one patient -> a dated schedule.

Pure maths, no Django. Every computed dose carries its working (formula, inputs
with the dates they were measured, BSA method, the rules that changed it, the
rounding), so a pharmacist can check it by hand. Nothing is capped, clamped or
rounded silently:

- mg/m2 and g/m2 on body surface area (Mosteller by default, DuBois on request;
  guidelines/labs.py), mg/kg on actual body weight, mg and microgram flat.
- No BSA or weight cap: an obese patient gets the full calculated dose and the
  working says so (BSA > 2.2 m2, weight > 120 kg).
- A dose rule (renal, age, weight, tolerance) replaces the standard dose with
  the guideline's own words; "below"/"above" are strict. A value exactly at a
  threshold the guideline leaves undefined ("<75 år / >75 år", "< 60 kg /
  > 60 kg", "eGFR <30 … >30") takes the side the protocol's rule states
  (``at_boundary``: the standard dose, or the rule's dose), says so in the
  working, and is ALWAYS flagged with the source text and the interpretation
  used (docs/adr/0003-undefined-boundaries.md).
- Where a rule that applied asks for time before the phase's next event (Mel-HMAS
  with eGFR <30: 48 h from melphalan to reinfusion) and the scheduled day cannot
  give it, the engine warns and flags; it never moves a date.
- Every ambiguity the protocol records (the guideline silent or ambiguous) is a
  flag of the schedule, for the physician to acknowledge.
- The dose to give is the exact dose rounded by the policy (``rounding``,
  docs/adr/0014-dose-rounding-policy.md): to the protocol's rounding step, else
  to three significant figures with at most two decimals, the exact dose and the
  deviation beside it; a rounding that moves the dose more than the hospital's
  limit (or the protocol's own, stricter) is refused, and so is a dose to give
  more than 10 % above the protocol's per-unit dose, shown beside the achieved
  one on every dose. A dose above the protocol's maximum single dose is refused,
  never capped.
- A missing input the protocol needs (height for mg/m2, weight for mg/kg, age
  for an age rule, eGFR for a renal rule) is an error naming the field.

Source of the doses: the protocol (YAML / admin), which cites the guideline's
dosing table (Handlingsprogram for myelomatose, "Behandling av myelomatose").

The engine by topic: ``types`` (constants, inputs and outputs), ``errors``, ``maths`` (BSA),
``rounding`` (the dose to give, and the check of a protocol's rounding before activation),
``rules`` (dose rules and boundary flags), ``dose`` (one dose with its working),
``schedule`` (``calculate_schedule``). Names with a leading underscore are the package's own.
Import from here: ``from regimens.dosing import calculate_schedule``.
"""

from regimens.dosing.errors import DoseRefused, DosingError, InvalidInput, MissingInput, ProtocolNotDosable
from regimens.dosing.maths import bsa
from regimens.dosing.modify import Modification
from regimens.dosing.rounding import (
    BSA_RANGE_M2,
    DEFAULT_MAX_DEVIATION_PCT,
    PER_UNIT_CEILING_PCT,
    WEIGHT_RANGE_KG,
    RoundingProblem,
    deviation_pct,
    round_dose,
    rounding_problems,
)
from regimens.dosing.schedule import calculate_schedule
from regimens.dosing.types import (
    BSA_FORMULAS,
    LARGE_BSA_M2,
    LARGE_WEIGHT_KG,
    MG_PER_UNIT,
    UNITS,
    Administration,
    DosingPatient,
    Event,
    Flag,
    Schedule,
    Working,
)

__all__ = [
    "BSA_FORMULAS", "BSA_RANGE_M2", "DEFAULT_MAX_DEVIATION_PCT", "LARGE_BSA_M2", "LARGE_WEIGHT_KG", "MG_PER_UNIT",
    "PER_UNIT_CEILING_PCT", "UNITS", "WEIGHT_RANGE_KG", "Administration", "DoseRefused", "DosingError",
    "DosingPatient", "Event", "Flag", "InvalidInput", "MissingInput", "Modification", "ProtocolNotDosable",
    "RoundingProblem",
    "Schedule", "Working", "bsa", "calculate_schedule", "deviation_pct", "round_dose", "rounding_problems",
]
