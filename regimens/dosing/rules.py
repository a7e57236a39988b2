"""Dose rules (renal, age, weight, tolerance): which replace the standard dose, and the flags for a
value exactly at a threshold the guideline leaves undefined (docs/adr/0003-undefined-boundaries.md)."""

from __future__ import annotations

from dataclasses import dataclass

from guidelines.messages import Message, Quote, Term, gettext_noop, msg
from regimens import schema
from regimens.dosing.errors import MissingInput
from regimens.dosing.maths import _fmt
from regimens.dosing.texts import compared, q, unit
from regimens.dosing.types import DosingPatient, Flag

_RULE_FIELD = {
    schema.RuleKind.RENAL: ("egfr_ml_min", "eGFR", "mL/min"),
    schema.RuleKind.AGE: ("age", "age", "years"),
    schema.RuleKind.WEIGHT: ("weight_kg", "weight", "kg"),
}


def _value(rule: schema.DoseRule, value: float) -> Message:
    """«eGFR 25 mL/min», «age 76 years», «weight 60 kg»: the patient's value a rule reads."""
    shown = compared(value, rule.threshold)
    if rule.kind == schema.RuleKind.RENAL:
        return msg("dosing.rule_value.egfr", gettext_noop("eGFR %(value)s mL/min"), value=shown)
    if rule.kind == schema.RuleKind.AGE:
        return msg("dosing.rule_value.age", gettext_noop("age %(value)s years"), value=shown)
    return msg("dosing.rule_value.weight", gettext_noop("weight %(value)s kg"), value=shown)


def _rule_name(kind) -> Message:
    if kind == schema.RuleKind.RENAL:
        return msg("dosing.rule.renal", gettext_noop("renal rule"))
    if kind == schema.RuleKind.AGE:
        return msg("dosing.rule.age", gettext_noop("age rule"))
    if kind == schema.RuleKind.WEIGHT:
        return msg("dosing.rule.weight", gettext_noop("weight rule"))
    return msg("dosing.rule.tolerance", gettext_noop("tolerance rule"))


def _in_basis(dose: float, line: schema.DrugLine) -> Message:
    return msg("dosing.dose_in_basis", gettext_noop("%(dose)s %(basis)s"), dose=q(dose), basis=unit(line.basis))


@dataclass(frozen=True)
class _RuleOutcome:
    dose: float  # in the line's basis
    omit: bool
    adjustments: tuple[Message, ...]
    flags: tuple[Flag, ...]
    boundary: tuple[Message, ...] = ()
    triggered: tuple[schema.DoseRule, ...] = ()
    omit_reasons: tuple[Message, ...] = ()  # the adjustments that leave the drug out


def _boundary_flag(line: schema.DrugLine, rule: schema.DoseRule, value: float, standard: float) -> tuple[Flag, str]:
    """The flag and the working line for a value exactly at a threshold the guideline leaves undefined."""
    if rule.at_boundary == schema.AtBoundary.RULE:
        if rule.omit:
            side = msg("dosing.side.rule_omitted", gettext_noop("the rule (drug omitted)"))
            used = msg("dosing.drug_omitted", gettext_noop("drug omitted"))
        else:
            side, used = msg("dosing.side.rule", gettext_noop("the rule's dose")), _in_basis(rule.dose, line)
    else:
        side, used = msg("dosing.side.standard", gettext_noop("the standard dose")), _in_basis(standard, line)
    words = {"value": _value(rule, value), "threshold": q(rule.threshold, "working"),
             "source": Quote(rule.source_text), "side": side, "used": used,
             "interpretation": Quote(rule.boundary_interpretation)}
    working = msg("dosing.boundary.working", gettext_noop(
        "%(value)s is exactly at the threshold %(threshold)s of “%(source)s”, which leaves this value "
        "undefined: the protocol gives %(side)s, %(used)s (interpretation: %(interpretation)s)"), **words)
    flag = Flag(
        drug=line.drug, kind=str(rule.kind), value=value, threshold=rule.threshold,
        source_text=rule.source_text, interpretation=rule.boundary_interpretation,
        message=msg("dosing.boundary.flag", gettext_noop(
            "%(drug)s: %(value)s is exactly at the guideline's threshold “%(source)s”, which leaves this "
            "value undefined; %(side)s is used (%(used)s); interpretation used: %(interpretation)s"),
            drug=Term(line.drug), **{k: v for k, v in words.items() if k != "threshold"}),
        key=f"boundary:{line.drug}:{rule.kind}:{_fmt(rule.threshold)}",
    )
    return flag, working


def _apply_rules(line: schema.DrugLine, standard: float, patient: DosingPatient) -> _RuleOutcome:
    """Every rule of the line that applies replaces the standard dose; more than one: the lowest, said so."""
    triggered: list[schema.DoseRule] = []
    flags: list[Flag] = []
    boundary: list[Message] = []
    at_threshold: set[int] = set()
    for rule in line.rules:
        if rule.kind == schema.RuleKind.TOLERANCE:
            if line.drug in patient.reduced_tolerance:
                triggered.append(rule)
            continue
        attr, label, unit_word = _RULE_FIELD[rule.kind]
        value = getattr(patient, attr)
        if value is None:
            raise MissingInput(attr, msg("dosing.error.rule_input", gettext_noop(
                "%(drug)s has a %(rule)s (“%(source)s”); give %(field)s"),
                drug=Term(line.drug), rule=_rule_name(rule.kind), source=Quote(rule.source_text), field=Term(attr)))
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
    adjustments, omitting = [], []
    for rule in triggered:
        if rule.kind == schema.RuleKind.TOLERANCE:
            why = msg("dosing.why.tolerance", gettext_noop("marked by the clinician for reduced tolerance"))
        else:
            attr, label, unit_word = _RULE_FIELD[rule.kind]
            value = _value(rule, getattr(patient, attr))
            if id(rule) in at_threshold:
                why = msg("dosing.why.at_boundary", gettext_noop(
                    "%(value)s is exactly %(threshold)s, which the guideline leaves undefined; the protocol applies "
                    "the rule at the boundary"), value=value, threshold=q(rule.threshold, "working"))
            elif rule.comparison == schema.Comparison.BELOW:
                why = msg("dosing.why.below", gettext_noop("%(value)s < %(threshold)s"), value=value,
                          threshold=q(rule.threshold, "working"))
            else:
                why = msg("dosing.why.above", gettext_noop("%(value)s > %(threshold)s"), value=value,
                          threshold=q(rule.threshold, "working"))
        if rule.omit:
            effect = msg("dosing.drug_omitted", gettext_noop("drug omitted"))
        else:
            effect = msg("dosing.effect.instead", gettext_noop("%(dose)s instead of %(standard)s"),
                         dose=_in_basis(rule.dose, line), standard=q(standard))
        adjustment = msg("dosing.adjustment", gettext_noop(
            "%(rule)s: %(why)s: %(effect)s (guideline: “%(source)s”)"),
            rule=_rule_name(rule.kind), why=why, effect=effect, source=Quote(rule.source_text))
        adjustments.append(adjustment)
        if rule.omit:
            omitting.append(adjustment)
    omit = any(r.omit for r in triggered)
    doses = [r.dose for r in triggered if not r.omit]
    dose = min(doses) if doses else standard
    if len(set(doses)) > 1:
        adjustments.append(msg("dosing.adjustment.lowest", gettext_noop(
            "more than one rule applies: the lowest dose, %(dose)s, is used"), dose=_in_basis(dose, line)))
    return _RuleOutcome(dose, omit, tuple(adjustments), tuple(flags), tuple(boundary), tuple(triggered),
                        tuple(omitting))
