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
- Rounding keeps the exact dose beside the rounded one and refuses a rounding
  that moves the dose more than the protocol allows; a dose above the
  protocol's maximum single dose is refused, never capped.
- A missing input the protocol needs (height for mg/m2, weight for mg/kg, age
  for an age rule, eGFR for a renal rule) is an error naming the field.

Source of the doses: the protocol (YAML / admin), which cites the guideline's
dosing table (Handlingsprogram for myelomatose, "Behandling av myelomatose").

The engine by topic: ``types`` (constants, inputs and outputs), ``errors``, ``maths`` (BSA,
rounding), ``rules`` (dose rules and boundary flags), ``dose`` (one dose with its working),
``schedule`` (``calculate_schedule``). Names with a leading underscore are the package's own.
Import from here: ``from regimens.dosing import calculate_schedule``.
"""

from regimens.dosing.errors import DoseRefused, DosingError, InvalidInput, MissingInput, ProtocolNotDosable
from regimens.dosing.maths import bsa, round_dose
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
    "BSA_FORMULAS", "LARGE_BSA_M2", "LARGE_WEIGHT_KG", "MG_PER_UNIT", "UNITS", "Administration", "DoseRefused",
    "DosingError", "DosingPatient", "Event", "Flag", "InvalidInput", "MissingInput", "ProtocolNotDosable",
    "Schedule", "Working", "bsa", "calculate_schedule", "round_dose",
]
