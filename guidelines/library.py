"""The protocol library as the engine sees it: each regimen's drugs, standard doses and dose rules, as data.

The library lives in the regimens app — one YAML file per protocol under regimens/protocols/, then the
database the pharmacist edits — and regimens/library.py turns it into these frozen types; ``evaluate``
receives it (``library=``). The engine imports nothing from the regimens app. Where the engine's advice
names a regimen's drugs, a dose or a renal threshold, it takes them from here: the recommendations name
regimens, the protocols hold the doses (docs/adr/0010-history-reading-and-library-data.md).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from guidelines.rules import fmt

# regimens/schema.py Basis → how a dose reads in a note.
UNITS = {"mg": "mg", "mg/m2": "mg/m²", "mg/kg": "mg/kg", "microgram": "microgram", "g/m2": "g/m²"}


@dataclass(frozen=True)
class RuleInfo:
    """One dose rule of a drug line (regimens/schema.py DoseRule): ``kind`` renal / age / weight /
    tolerance; ``comparison`` below / above ``threshold``; the replacing ``dose`` (None with ``omit``);
    the guideline's own words (``source_text``) and, where the guideline leaves the threshold value itself
    undefined, which side it takes (``at_boundary``: standard / rule) and why."""

    kind: str
    source_text: str
    comparison: str | None = None
    threshold: float | None = None
    dose: float | None = None
    omit: bool = False
    boundary_undefined: bool = False
    boundary_interpretation: str = ""
    at_boundary: str = "standard"
    min_hours_to_next_event: int | None = None


@dataclass(frozen=True)
class DrugLineInfo:
    """One drug line of a protocol: the drug (contract name), its standard dose and basis (None in a draft)
    and its dose rules."""

    drug: str
    dose: float | None = None
    basis: str | None = None
    rules: tuple[RuleInfo, ...] = ()

    @property
    def dose_text(self) -> str | None:
        """«200 mg/m²»; None without a dose."""
        if self.dose is None or self.basis is None:
            return None
        return f"{fmt(self.dose)} {UNITS.get(self.basis, self.basis)}"

    def rule_dose_text(self, rule: RuleInfo) -> str | None:
        """The rule's dose in this line's unit; None when the rule gives no dose (omit) or the line no basis."""
        if rule.dose is None or self.basis is None:
            return None
        return f"{fmt(rule.dose)} {UNITS.get(self.basis, self.basis)}"


@dataclass(frozen=True)
class RegimenInfo:
    """The protocol version the engine reads for one regimen code (the active one, else the latest):
    its status (draft / active / retired) and drug lines, phases' lines first, in the protocol's order."""

    code: str
    status: str
    lines: tuple[DrugLineInfo, ...] = ()

    @property
    def drugs(self) -> tuple[str, ...]:
        """The regimen's drugs, each once, in the protocol's order."""
        return tuple(dict.fromkeys(line.drug for line in self.lines))

    def line_of(self, drug: str) -> DrugLineInfo | None:
        """The first line of ``drug`` (a step-up phase before the cycles: the phase's line)."""
        return next((line for line in self.lines if line.drug == drug), None)


# Regimen code → what the library holds for it.
Library = Mapping[str, RegimenInfo]
NO_LIBRARY: Library = {}


def drugs_of(library: Library, code: str | None) -> tuple[str, ...]:
    """The drugs of a library regimen; () for a code the library does not hold (free text, radiotherapy,
    a drug name without a regimen, «anti-CD38-monotherapy»)."""
    regimen = library.get(code or "")
    return regimen.drugs if regimen is not None else ()


def drug_list(library: Library, code: str) -> str:
    """«Isatuximab, carfilzomib, dexamethasone»: the regimen's drugs as a note names them (the code itself when
    the library does not hold it)."""
    drugs = drugs_of(library, code)
    if not drugs:
        return code
    text = ", ".join(drugs)
    return text[0].upper() + text[1:]
