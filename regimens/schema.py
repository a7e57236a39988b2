"""The protocol format: what one YAML file under ``regimens/protocols/`` holds.

Pure (Pydantic, no Django), shared by the YAML loader, the database models
(which store the same structure, edited in the admin), the dose engine
(``regimens/dosing/``) and the API. A protocol is refused as a whole when it
is inconsistent: a day beyond the cycle, a missing basis, a dose <= 0, an
active protocol without doses.

Field names follow shared/contract/api-v1.md where it names them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, PositiveInt, model_validator

from regimens.course_schema import DoseLevels, PrecycleCriterion


class Status(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class Basis(StrEnum):
    """How the dose is expressed: flat mg or microgram, or per BSA / per kg."""

    MG = "mg"
    MG_PER_M2 = "mg/m2"
    MG_PER_KG = "mg/kg"
    MICROGRAM = "microgram"
    G_PER_M2 = "g/m2"


class Route(StrEnum):
    ORAL = "po"
    SUBCUTANEOUS = "sc"
    INTRAVENOUS = "iv"


class Setting(StrEnum):
    FIRST_LINE_TRANSPLANT = "first_line_transplant"
    STEM_CELL_MOBILISATION = "stem_cell_mobilisation"
    HIGH_DOSE = "high_dose"
    MAINTENANCE = "maintenance"
    FIRST_LINE_NON_TRANSPLANT = "first_line_non_transplant"
    RELAPSE = "relapse"
    PLASMA_CELL_LEUKEMIA = "plasma_cell_leukemia"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """Where the protocol comes from: document key (guidelines.sources) + section heading + table title."""

    document: Literal["myeloma", "poems"]
    section: str
    table: str = ""


class DayBlock(Strict):
    """Days of administration in a range of cycles: cycles ``first``..``last``
    (``last`` None = every later cycle), e.g. daratumumab C1–2 D1,8,15,22."""

    first_cycle: PositiveInt = 1
    last_cycle: PositiveInt | None = None
    days: tuple[int, ...]  # day numbers within the cycle; negative/zero only in event-anchored phases
    dose: PositiveFloat | None = None  # overrides the line's dose in these cycles (e.g. carfilzomib 20 -> 70)
    label: str = ""  # e.g. "step-up 1"

    @model_validator(mode="after")
    def _cycles_in_order(self):
        if self.last_cycle is not None and self.last_cycle < self.first_cycle:
            raise ValueError(f"last_cycle {self.last_cycle} is before first_cycle {self.first_cycle}")
        if not self.days:
            raise ValueError("a day block needs at least one day")
        return self


class RuleKind(StrEnum):
    RENAL = "renal"  # eGFR
    AGE = "age"
    WEIGHT = "weight"
    TOLERANCE = "tolerance"  # chosen by the clinician ("Hvis dårlig toleranse under induksjon")


class Comparison(StrEnum):
    BELOW = "below"  # value < threshold
    ABOVE = "above"  # value > threshold


class AtBoundary(StrEnum):
    """Which side takes a value exactly at a threshold the guideline leaves undefined
    (docs/adr/0003-undefined-boundaries.md)."""

    STANDARD = "standard"  # the standard dose (the rule applies strictly beyond the threshold)
    RULE = "rule"  # the rule's dose (the rule applies at the threshold too)


class DoseRule(Strict):
    """A rule that replaces the dose, with the guideline's own words.

    ``threshold``/``comparison`` apply to eGFR (mL/min), age (years) or weight
    (kg), strictly as written. Where the guideline leaves the boundary value
    undefined ("<75 år / >75 år", "< 60 kg / > 60 kg", "eGFR <30 … >30"),
    ``boundary_undefined`` is true and ``at_boundary`` says which side the exact
    boundary value takes (default ``standard``: the rule applies strictly beyond
    the threshold). Either way a value exactly at such a threshold is flagged for
    the clinician with ``source_text`` and ``boundary_interpretation``.

    ``min_hours_to_next_event`` (phase lines only): when this rule applies, the
    phase's next event must start at least this many hours after this drug
    (Mel-HMAS: "minst 48 timer mellom avsluttet melfalan til start av
    reinfusjon" with eGFR <30). The engine warns and flags; it never moves a date.
    """

    kind: RuleKind
    comparison: Comparison | None = None
    threshold: float | None = None
    dose: PositiveFloat | None = None  # the dose that replaces the standard one
    omit: bool = False  # the rule removes the drug
    source_text: str
    boundary_undefined: bool = False
    boundary_interpretation: str = ""
    at_boundary: AtBoundary = AtBoundary.STANDARD
    min_hours_to_next_event: PositiveInt | None = None

    @model_validator(mode="after")
    def _complete(self):
        if self.kind != RuleKind.TOLERANCE and (self.comparison is None or self.threshold is None):
            raise ValueError(f"a {self.kind} rule needs comparison and threshold")
        if self.dose is None and not self.omit:
            raise ValueError("a rule needs a dose or omit: true")
        if self.boundary_undefined and not self.boundary_interpretation:
            raise ValueError("an undefined boundary needs the interpretation used")
        if self.at_boundary == AtBoundary.RULE and not self.boundary_undefined:
            raise ValueError(
                "at_boundary: rule is only for a boundary the guideline leaves undefined "
                "(boundary_undefined: true); a defined boundary is compared as written"
            )
        return self


class Rounding(Strict):
    """The pharmacist's rounding step for a drug: the dose to give is the calculated dose rounded to a
    multiple of ``step``, in the unit of the dose (mg for mg, mg/m2 and mg/kg; microgram; g for g/m2),
    e.g. 0.1 mg, a vial or a tablet size. Without one the dose is given at three significant figures,
    at most two decimals (docs/adr/0014-dose-rounding-policy.md).

    The rounded dose may differ from the exact one by at most the hospital's limit (settings
    ``DOSE_ROUNDING_MAX_DEVIATION_PERCENT``, default 5 %); ``max_deviation_pct`` is an optional,
    stricter limit for this drug (a larger one than the hospital's has no effect)."""

    step: Decimal = Field(gt=0, decimal_places=4, max_digits=12)
    max_deviation_pct: Decimal | None = Field(None, gt=0, le=100, decimal_places=2)


class DrugLine(Strict):
    drug: str  # lower-case English INN (contract drug names)
    atc: str = ""
    route: Route
    dose: PositiveFloat | None = None  # standard dose in `basis`; None only in drafts
    basis: Basis | None = None
    schedule: tuple[DayBlock, ...] = ()
    rules: tuple[DoseRule, ...] = ()
    rounding: Rounding | None = None
    max_single_dose_mg: PositiveFloat | None = None
    min_interval_hours: PositiveInt | None = None
    times_per_day: PositiveInt = 1  # e.g. mesna "x 4" on the day of cyclophosphamide; dose is per administration
    note: str = ""  # the guideline's practical advice for this drug


class PhaseEvent(Strict):
    """A non-drug event of a phase, e.g. stem cell reinfusion on day 0."""

    day: int
    text: str


class Phase(Strict):
    """An event-anchored phase before the cycles: step-up dosing, or melphalan on
    day -1 with stem cells on day 0.

    Dates: the plan's start date is phase day ``start_day`` (1 for step-up
    dosing; -1 for high-dose melphalan, so day 0 is the next calendar day; there
    is no day skipped between -1 and 0). Drug lines of a phase list phase days
    in their schedule (first_cycle/last_cycle are ignored). ``cycle_1_day_1`` is
    the phase day on which cycle 1 day 1 of the protocol's cycles falls (None:
    the protocol has no cycles after the phase)."""

    name: str
    start_day: int = 1
    drugs: tuple[DrugLine, ...] = ()
    events: tuple[PhaseEvent, ...] = ()
    cycle_1_day_1: int | None = None
    note: str = ""


class ProtocolAmbiguity(Strict):
    """Where the guideline's table is ambiguous or silent: its text, and what the protocol does."""

    source_text: str
    interpretation: str


class Protocol(Strict):
    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")
    name: str
    setting: Setting
    line: PositiveInt | None = None
    cycle_length_days: PositiveInt | None = None
    cycles: PositiveInt | None = None  # planned cycles; None with until_progression
    until_progression: bool = False
    phases: tuple[Phase, ...] = ()
    drugs: tuple[DrugLine, ...] = ()
    premedication: tuple[str, ...] = ()
    supportive_care: tuple[str, ...] = ()
    reimbursement: str = ""
    source: Source
    version: PositiveInt = 1
    status: Status
    authored_by: str
    checked_by: str = ""
    review_date: dt.date
    ambiguities: tuple[ProtocolAmbiguity, ...] = ()
    precycle_criteria: tuple[PrecycleCriterion, ...] = ()  # regimens/course_schema.py
    dose_levels: tuple[DoseLevels, ...] = ()  # regimens/course_schema.py: one entry per drug of the cycles

    @model_validator(mode="after")
    def _consistent(self):
        all_lines = [*self.drugs, *(d for p in self.phases for d in p.drugs)]
        if self.status == Status.ACTIVE:
            if not all_lines:
                raise ValueError("an active protocol needs at least one drug line")
            if self.drugs and self.cycle_length_days is None:
                raise ValueError("an active protocol with cycles needs cycle_length_days")
        for line in all_lines:
            if self.status != Status.DRAFT and (line.dose is None or line.basis is None):
                raise ValueError(f"{line.drug}: dose and basis are required outside drafts")
            if self.status != Status.DRAFT and not line.schedule:
                raise ValueError(f"{line.drug}: the days of administration (schedule) are required outside drafts")
            if line.dose is not None and line.basis is None:
                raise ValueError(f"{line.drug}: a dose needs a basis (mg, mg/m2, mg/kg, microgram)")
        for line in self.drugs:
            for block in line.schedule:
                for day in block.days:
                    if day < 1 or (self.cycle_length_days and day > self.cycle_length_days):
                        raise ValueError(
                            f"{line.drug}: day {day} is outside the {self.cycle_length_days}-day cycle"
                        )
        for line in self.drugs:
            if any(rule.min_hours_to_next_event for rule in line.rules):
                raise ValueError(f"{line.drug}: min_hours_to_next_event belongs to a drug line of a phase with events")
        for phase in self.phases:
            for line in phase.drugs:
                if any(rule.min_hours_to_next_event for rule in line.rules):
                    last_day = max((d for block in line.schedule for d in block.days), default=None)
                    if last_day is None or not any(event.day > last_day for event in phase.events):
                        raise ValueError(
                            f"{line.drug}: min_hours_to_next_event needs an event of phase {phase.name} "
                            "after the drug's last day"
                        )
        cycle_drugs = {line.drug for line in self.drugs}
        seen_levels: set[str] = set()
        for levels in self.dose_levels:
            if levels.drug not in cycle_drugs:
                raise ValueError(f"dose_levels: {levels.drug} is not a drug of the cycles of {self.code}")
            if levels.drug in seen_levels:
                raise ValueError(f"dose_levels: {levels.drug} is listed twice")
            seen_levels.add(levels.drug)
        if self.drugs and self.cycles is None and not self.until_progression and self.status != Status.DRAFT:
            raise ValueError("give cycles, or until_progression: true")
        return self

    def levels_of(self, drug: str) -> DoseLevels | None:
        """The dose levels of ``drug`` (None: the protocol gives none, so no reduction is offered)."""
        return next((levels for levels in self.dose_levels if levels.drug == drug), None)
