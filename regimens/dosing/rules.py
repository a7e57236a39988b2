"""Dose rules (renal, age, weight, tolerance): which replace the standard dose, and the flags for a
value exactly at a threshold the guideline leaves undefined (docs/adr/0003-undefined-boundaries.md)."""

from __future__ import annotations

from dataclasses import dataclass

from regimens import schema
from regimens.dosing.errors import MissingInput
from regimens.dosing.maths import _fmt
from regimens.dosing.types import DosingPatient, Flag

_RULE_FIELD = {
    schema.RuleKind.RENAL: ("egfr_ml_min", "eGFR", "mL/min"),
    schema.RuleKind.AGE: ("age", "age", "years"),
    schema.RuleKind.WEIGHT: ("weight_kg", "weight", "kg"),
}


@dataclass(frozen=True)
class _RuleOutcome:
    dose: float  # in the line's basis
    omit: bool
    adjustments: tuple[str, ...]
    flags: tuple[Flag, ...]
    boundary: tuple[str, ...] = ()
    triggered: tuple[schema.DoseRule, ...] = ()


def _boundary_flag(line: schema.DrugLine, rule: schema.DoseRule, value: float, standard: float) -> tuple[Flag, str]:
    """The flag and the working line for a value exactly at a threshold the guideline leaves undefined."""
    attr, label, unit = _RULE_FIELD[rule.kind]
    if rule.at_boundary == schema.AtBoundary.RULE:
        side = "the rule's dose" if not rule.omit else "the rule (drug omitted)"
        used = "drug omitted" if rule.omit else f"{_fmt(rule.dose)} {line.basis}"
    else:
        side, used = "the standard dose", f"{_fmt(standard)} {line.basis}"
    working = (
        f"{label} {_fmt(value)} {unit} is exactly at the threshold {_fmt(rule.threshold)} of "
        f"\u201c{rule.source_text}\u201d, which leaves this value undefined: the protocol gives {side}, "
        f"{used} (interpretation: {rule.boundary_interpretation})"
    )
    flag = Flag(
        drug=line.drug, kind=str(rule.kind), value=value, threshold=rule.threshold,
        source_text=rule.source_text, interpretation=rule.boundary_interpretation,
        message=(
            f"{line.drug}: {label} {_fmt(value)} {unit} is exactly at the guideline's threshold "
            f"\u201c{rule.source_text}\u201d, which leaves this value undefined; {side} is used ({used}); "
            f"interpretation used: {rule.boundary_interpretation}"
        ),
        key=f"boundary:{line.drug}:{rule.kind}:{_fmt(rule.threshold)}",
    )
    return flag, working


def _apply_rules(line: schema.DrugLine, standard: float, patient: DosingPatient) -> _RuleOutcome:
    """Every rule of the line that applies replaces the standard dose; more than one: the lowest, said so."""
    triggered: list[schema.DoseRule] = []
    flags: list[Flag] = []
    boundary: list[str] = []
    at_threshold: set[int] = set()
    for rule in line.rules:
        if rule.kind == schema.RuleKind.TOLERANCE:
            if line.drug in patient.reduced_tolerance:
                triggered.append(rule)
            continue
        attr, label, unit = _RULE_FIELD[rule.kind]
        value = getattr(patient, attr)
        if value is None:
            raise MissingInput(attr, f"{line.drug} has a {label} rule (\u201c{rule.source_text}\u201d); give {attr}")
        if value == rule.threshold:
            if rule.boundary_undefined:
                flag, working = _boundary_flag(line, rule, value, standard)
                flags.append(flag)
                boundary.append(working)
                if rule.at_boundary == schema.AtBoundary.RULE:
                    triggered.append(rule)
                    at_threshold.add(id(rule))
            continue
        below = rule.comparison == schema.Comparison.BELOW
        if (value < rule.threshold) if below else (value > rule.threshold):
            triggered.append(rule)
    adjustments = []
    for rule in triggered:
        if rule.kind == schema.RuleKind.TOLERANCE:
            why = "marked by the clinician for reduced tolerance"
        else:
            attr, label, unit = _RULE_FIELD[rule.kind]
            sign = "<" if rule.comparison == schema.Comparison.BELOW else ">"
            if id(rule) in at_threshold:
                why = (
                    f"{label} {_fmt(getattr(patient, attr))} {unit} is exactly {_fmt(rule.threshold)}, "
                    "which the guideline leaves undefined; the protocol applies the rule at the boundary"
                )
            else:
                why = f"{label} {_fmt(getattr(patient, attr))} {unit} {sign} {_fmt(rule.threshold)}"
        effect = "drug omitted" if rule.omit else f"{_fmt(rule.dose)} {line.basis} instead of {_fmt(standard)}"
        adjustments.append(f"{rule.kind} rule: {why}: {effect} (guideline: \u201c{rule.source_text}\u201d)")
    omit = any(r.omit for r in triggered)
    doses = [r.dose for r in triggered if not r.omit]
    dose = min(doses) if doses else standard
    if len(set(doses)) > 1:
        adjustments.append(f"more than one rule applies: the lowest dose, {_fmt(dose)} {line.basis}, is used")
    return _RuleOutcome(dose, omit, tuple(adjustments), tuple(flags), tuple(boundary), tuple(triggered))
