"""Protocol data for the course of treatment (issue 15): pre-cycle criteria, checked when the
physician releases a cycle (treatment_course/). Pure (Pydantic, no Django), part of the protocol
format of ``regimens/schema.py``.

Only what the guideline states is shipped (e.g. the bispecific antibodies: «Man må ikke gi ny
opptrappingsdose eller første fulldose under pågående CRS/ICANs og man må ha vært fri for CRS uten
behandling i minst 24 timer før neste dose gis», «Behandling skal aldri starte under pågående
infeksjon», «Det må gå minst 48 timer fra 2. opptrappingdose og første fulldose»); pharmacists add
local criteria with their source in the admin. A criterion never carries a threshold without its
source text.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class CriterionAction(StrEnum):
    """What a criterion that is met asks for."""

    PROCEED = "proceed"
    REDUCE = "reduce"  # reduce a dose by one level first (the physician's act)
    HOLD = "hold"  # the cycle is not released


class CriterionTest(StrEnum):
    BELOW = "below"  # value < threshold
    ABOVE = "above"  # value > threshold
    PRESENT = "present"  # the finding is there (a yes/no the physician answers)


# Findings the physician answers at the release (not lab results): yes/no, or a number of hours.
YES_NO_FINDINGS = ("crs_icans_ongoing", "infection_ongoing")
HOURS_FINDINGS = ("hours_free_of_crs", "hours_since_last_step_up")
FINDINGS = (*YES_NO_FINDINGS, *HOURS_FINDINGS)


class PrecycleCriterion(BaseModel):
    """One criterion: ``analyte`` is a lab analyte code (patients/labcatalogue.py, compared with the
    latest result) or a finding of ``FINDINGS`` the physician answers; ``applies_to`` says at which
    release it is checked (``first_cycle``: the start of treatment, which covers the step-up doses and
    the first full dose of cycle 1)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    analyte: str = Field(min_length=1, max_length=60)
    comparison: CriterionTest
    threshold: float | None = None
    action: CriterionAction
    applies_to: Literal["every_cycle", "first_cycle"] = "every_cycle"
    source_document: Literal["myeloma", "poems", "local"]
    source_section: str = Field(min_length=1, max_length=300)
    source_text: str = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _complete(self):
        if self.comparison == CriterionTest.PRESENT:
            if self.threshold is not None:
                raise ValueError(f"{self.analyte}: «present» takes no threshold")
            if self.analyte not in YES_NO_FINDINGS:
                raise ValueError(f"{self.analyte}: «present» is for the findings {', '.join(YES_NO_FINDINGS)}")
        else:
            if self.threshold is None:
                raise ValueError(f"{self.analyte}: a {self.comparison} criterion needs its threshold")
            if self.analyte in YES_NO_FINDINGS:
                raise ValueError(f"{self.analyte}: a yes/no finding takes «present»")
        return self

    def is_finding(self) -> bool:
        return self.analyte in FINDINGS

    def met_by(self, value) -> bool | None:
        """True when ``value`` meets the criterion (so its action applies); None when there is no value."""
        if value is None:
            return None
        if self.comparison == CriterionTest.PRESENT:
            return bool(value)
        return value < self.threshold if self.comparison == CriterionTest.BELOW else value > self.threshold


# Dose levels (issue 15 item 3, docs/adr/0024-dose-levels-and-plan-modifications.md) -------------


class DoseLevels(BaseModel):
    """The dose levels of one drug of the protocol's cycles, in the drug line's basis, highest first:
    a reduction goes one level down from the dose the drug is at; there is none below the last
    («Når man er på laveste dose og medikamentet fortsatt ikke tolereres, må dette seponeres»,
    Handlingsprogram, «Generelt om behandlingsdoser, dosereduksjoner og seponering»).

    Only levels the guideline states are shipped, with its words in ``source_text``; a pharmacist
    adds local levels with their source (``source_document: local``) in the admin. A drug without
    levels has no reduction: the app offers none (it never invents a lower dose)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    drug: str = Field(min_length=1, max_length=80)
    doses: tuple[float, ...] = Field(min_length=2)
    source_document: Literal["myeloma", "poems", "local"]
    source_section: str = Field(min_length=1, max_length=300)
    source_text: str = Field(min_length=1, max_length=1000)
    # where the levels are read from more than one place of the guideline: how (shown with each reduction)
    interpretation: str = Field(default="", max_length=1000)

    @model_validator(mode="after")
    def _falling(self):
        if any(d <= 0 for d in self.doses):
            raise ValueError(f"{self.drug}: every dose level must be above 0")
        if any(lower >= higher for higher, lower in zip(self.doses, self.doses[1:], strict=False)):
            raise ValueError(f"{self.drug}: dose levels go from the highest to the lowest, each below the one before")
        return self

    def position(self, dose: float) -> int | None:
        """The index of ``dose`` among the levels (0: the first), None when it is not one of them."""
        for index, level in enumerate(self.doses):
            if abs(level - dose) <= 1e-9 * max(1.0, abs(level)):
                return index
        return None

    def below(self, dose: float) -> tuple[int, float] | None:
        """(the level's index, its dose) one level below ``dose``; None when ``dose`` is the last level.
        Raises ``NotALevel`` when ``dose`` is not one of the levels (no level is guessed in between)."""
        index = self.position(dose)
        if index is None:
            raise NotALevel(self.drug, dose, self.doses)
        if index + 1 >= len(self.doses):
            return None
        return index + 1, self.doses[index + 1]


class NotALevel(ValueError):
    """A dose that is none of the drug's levels (e.g. belantamab mafodotin's 2,5 mg/kg of cycle 1)."""

    def __init__(self, drug: str, dose: float, doses: tuple[float, ...]):
        super().__init__(f"{drug}: {dose} is not one of its dose levels {list(doses)}")
        self.drug, self.dose, self.doses = drug, dose, doses
