"""One dose of one drug line for one patient, with its working."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from guidelines.messages import Term, gettext_noop, msg
from regimens import schema
from regimens.dosing.errors import DoseRefused, MissingInput
from regimens.dosing.maths import _check_positive, bsa, unknown_formula
from regimens.dosing.rounding import (
    PER_UNIT_CEILING_PCT,
    _plain,
    as_float,
    decimal,
    deviation_pct,
    line_limit,
    round_dose,
)
from regimens.dosing.rules import _apply_rules
from regimens.dosing.texts import bsa_method, dated, deviation, dose_q, q, unit
from regimens.dosing.types import (
    BSA_FORMULAS,
    LARGE_BSA_M2,
    LARGE_WEIGHT_KG,
    MG_PER_UNIT,
    UNITS,
    DosingPatient,
    Flag,
    Working,
)


@dataclass(frozen=True)
class _Dose:
    dose: float
    calculated: float
    unit: str
    basis: str
    adjustments: tuple[str, ...]
    working: Working
    flags: tuple[Flag, ...]
    omit: bool
    omit_reason: tuple = ()  # the adjustments that omit the drug
    triggered: tuple[schema.DoseRule, ...] = ()
    deviation_pct: float = 0.0
    rounding_step: float | None = None
    per_unit_basis: str = ""
    per_unit_achieved: float | None = None
    per_unit_protocol: float | None = None


class _Patient:
    """The patient plus the BSA, computed once, and the inputs that were used."""

    def __init__(self, patient: DosingPatient, formula: str):
        for name in ("weight_kg", "height_cm", "age", "egfr_ml_min"):
            value = getattr(patient, name)
            if name == "age" and value == 0:
                continue
            _check_positive(name, value)
        if formula not in BSA_FORMULAS:
            raise unknown_formula(formula)
        self.p = patient
        self.formula = formula
        self.bsa = None
        if patient.weight_kg is not None and patient.height_cm is not None:
            self.bsa = bsa(patient.weight_kg, patient.height_cm, formula)

    def need_bsa(self, drug: str) -> float:
        for name in ("height_cm", "weight_kg"):
            if getattr(self.p, name) is None:
                raise MissingInput(name, msg("dosing.error.needs_bsa", gettext_noop(
                    "%(drug)s is dosed per m2 of body surface area; give %(field)s"), drug=drug, field=Term(name)))
        return self.bsa

    def need_weight(self, drug: str) -> float:
        if self.p.weight_kg is None:
            raise MissingInput("weight_kg", msg("dosing.error.needs_weight", gettext_noop(
                "%(drug)s is dosed per kg of body weight; give weight_kg"), drug=drug))
        return self.p.weight_kg

    def inputs(self) -> tuple[str, ...]:
        p = self.p
        out = []
        if p.weight_kg is not None:
            out.append(dated(msg("dosing.input.weight", gettext_noop("weight %(weight)s kg"),
                                 weight=q(p.weight_kg, "weight")), p.weight_measured_on))
        if p.height_cm is not None:
            out.append(dated(msg("dosing.input.height", gettext_noop("height %(height)s cm"),
                                 height=q(p.height_cm, "height")), p.height_measured_on))
        if p.age is not None:
            out.append(msg("dosing.input.age", gettext_noop("age %(age)s years"), age=q(p.age)))
        if p.egfr_ml_min is not None:
            out.append(dated(msg("dosing.input.egfr", gettext_noop("eGFR %(egfr)s mL/min"),
                                 egfr=q(p.egfr_ml_min, "egfr")), p.egfr_measured_on))
        if p.reduced_tolerance:
            out.append(msg("dosing.input.reduced_tolerance", gettext_noop("reduced tolerance marked for: %(drugs)s"),
                           drugs=[Term(d) for d in sorted(p.reduced_tolerance)]))
        return tuple(out)


def _line_dose(line: schema.DrugLine, standard: float, pt: _Patient, limit: Decimal) -> _Dose:
    outcome = _apply_rules(line, standard, pt.p)
    per_basis = outcome.dose
    basis = line.basis
    unit_word = UNITS[basis]
    drug, u = Term(line.drug), unit(unit_word)
    notes: list = []
    method = ""
    inputs = pt.inputs()
    per_unit_basis, divisor, divisor_text = "", None, ""
    if basis in (schema.Basis.MG_PER_M2, schema.Basis.G_PER_M2):
        area = pt.need_bsa(line.drug)
        exact = decimal(per_basis) * decimal(area)
        calculated = float(exact)
        basis_text = msg("dosing.basis.per_m2", gettext_noop("%(dose)s %(basis)s x %(bsa)s m2"),
                         dose=q(per_basis), basis=unit(basis), bsa=q(area, "bsa_basis"))
        formula = msg("dosing.formula.per_m2", gettext_noop("%(dose)s %(basis)s x BSA %(bsa)s m2 = %(exact)s %(unit)s"),
                      dose=q(per_basis), basis=unit(basis), bsa=q(area, "bsa_working"), exact=dose_q(calculated),
                      unit=u)
        method = bsa_method(pt.formula, area)
        per_unit_basis, divisor = str(basis), decimal(area)
        divisor_text = msg("dosing.divisor.bsa", gettext_noop("BSA %(bsa)s m2"), bsa=q(area, "bsa_working"))
        if area > LARGE_BSA_M2:
            notes.append(msg("dosing.note.large_bsa", gettext_noop(
                "BSA %(bsa)s m2 > %(limit)s m2: no BSA cap applied, full dose on actual BSA"),
                bsa=q(area, "bsa_basis"), limit=q(LARGE_BSA_M2)))
    elif basis == schema.Basis.MG_PER_KG:
        weight = pt.need_weight(line.drug)
        exact = decimal(per_basis) * decimal(weight)
        calculated = float(exact)
        basis_text = msg("dosing.basis.per_kg", gettext_noop("%(dose)s mg/kg x %(weight)s kg"),
                         dose=q(per_basis), weight=q(weight, "working"))
        formula = msg("dosing.formula.per_kg", gettext_noop(
            "%(dose)s mg/kg x actual body weight %(weight)s kg = %(exact)s mg"),
            dose=q(per_basis), weight=q(weight, "working"), exact=dose_q(calculated))
        per_unit_basis, divisor = str(basis), decimal(weight)
        divisor_text = msg("dosing.divisor.weight", gettext_noop("%(weight)s kg"), weight=q(weight, "working"))
        if weight > LARGE_WEIGHT_KG:
            notes.append(msg("dosing.note.large_weight", gettext_noop(
                "weight %(weight)s kg > %(limit)s kg: no weight cap applied, full dose on actual body weight"),
                weight=q(weight, "working"), limit=q(LARGE_WEIGHT_KG, "working")))
    else:
        exact = decimal(per_basis)
        calculated = per_basis
        basis_text = msg("dosing.basis.flat", gettext_noop("%(dose)s %(unit)s flat dose"), dose=q(per_basis), unit=u)
        formula = msg("dosing.formula.flat", gettext_noop("flat dose %(dose)s %(unit)s"), dose=q(per_basis), unit=u)
    if not math.isfinite(calculated) or calculated <= 0:
        raise DoseRefused(line.drug, msg("dosing.error.not_finite", gettext_noop(
            "calculated dose %(dose)s is not a positive finite number"), dose=repr(calculated)))
    max_mg = line.max_single_dose_mg
    if max_mg is not None and calculated * MG_PER_UNIT[unit_word] > max_mg:
        raise DoseRefused("max_single_dose_mg", msg("dosing.error.above_maximum", gettext_noop(
            "%(drug)s: calculated dose %(exact)s %(unit)s is above the protocol's maximum single dose %(max)s mg; "
            "the engine does not cap it: check the patient's data and the protocol"),
            drug=drug, exact=q(calculated, "working"), unit=u, max=q(max_mg, "working")))
    step = decimal(line.rounding.step) if line.rounding is not None else None
    limit = line_limit(line, limit)
    given = _given(line, exact, step, unit_word)
    moved_by = deviation_pct(exact, given)
    moved = msg("dosing.rounding.moved", gettext_noop("%(exact)s %(unit)s → %(given)s %(unit)s (%(deviation)s)"),
                exact=q(calculated, "working"), unit=u, given=q(given), deviation=deviation(moved_by))
    if step is not None:
        rounding_text = msg("dosing.rounding.step", gettext_noop(
            "rounded to a step of %(step)s %(unit)s: %(moved)s; at most %(limit)s%% allowed"),
            step=q(_plain(step)), unit=u, moved=moved, limit=q(_plain(limit)))
    else:
        rounding_text = msg("dosing.rounding.significant", gettext_noop(
            "%(moved)s: three significant figures, at most two decimals (the protocol gives no rounding step); "
            "at most %(limit)s%% allowed"), moved=moved, limit=q(_plain(limit)))
    params = {"drug": line.drug, "unit": unit_word, "exact": calculated, "given": as_float(given),
              "deviation_pct": float(moved_by), "limit_pct": float(limit),
              "step": as_float(step) if step is not None else None}
    if given <= 0 or abs(moved_by) > limit:
        if step is not None:
            refusal = msg("dosing.error.step_too_coarse", gettext_noop(
                "%(drug)s: rounding %(moved)s moves the dose more than the %(limit)s%% allowed (a step of %(step)s "
                "%(unit)s is too coarse for this dose: a pharmacist must change the protocol's rounding step)"),
                drug=drug, moved=moved, limit=q(_plain(limit)), step=q(_plain(step)), unit=u)
        else:
            refusal = msg("dosing.error.too_small", gettext_noop(
                "%(drug)s: rounding %(moved)s moves the dose more than the %(limit)s%% allowed (too small a dose "
                "for two decimals: the protocol must give a rounding step or a dose in a smaller unit)"),
                drug=drug, moved=moved, limit=q(_plain(limit)))
        raise DoseRefused("rounding", refusal, code="rounding_too_coarse", params=params)
    if max_mg is not None and given * decimal(MG_PER_UNIT[unit_word]) > decimal(max_mg):
        raise DoseRefused("max_single_dose_mg", msg("dosing.error.rounded_above_maximum", gettext_noop(
            "%(drug)s: rounded dose %(given)s %(unit)s is above the protocol's maximum single dose %(max)s mg"),
            drug=drug, given=q(given), unit=u, max=q(max_mg, "working")))
    protocol_per_unit = decimal(per_basis)
    achieved = given / divisor if divisor is not None else given
    if achieved > protocol_per_unit * (1 + PER_UNIT_CEILING_PCT / 100):
        shown = per_unit_basis or unit_word
        raise DoseRefused("per_unit", msg("dosing.error.per_unit_above_protocol", gettext_noop(
            "%(drug)s: the dose to give %(given)s %(unit)s is %(achieved)s %(basis)s, more than %(ceiling)s%% above "
            "the protocol's %(protocol)s %(basis)s"),
            drug=drug, given=q(given), unit=u, achieved=q(float(achieved), "working"), basis=unit(shown),
            ceiling=q(_plain(PER_UNIT_CEILING_PCT)), protocol=q(per_basis)),
            code="per_unit_above_protocol",
            params={**params, "achieved": float(achieved), "protocol": per_basis, "basis": shown})
    per_unit_text = ""
    if divisor is not None:
        per_unit_text = msg("dosing.per_unit", gettext_noop(
            "achieved %(achieved)s %(basis)s (%(given)s %(unit)s / %(divisor)s); protocol %(protocol)s %(basis)s"),
            achieved=q(float(achieved), "working"), basis=unit(per_unit_basis), given=q(given), unit=u,
            divisor=divisor_text, protocol=q(per_basis))
    working = Working(
        formula=formula, inputs=inputs, bsa_method=method, adjustments=outcome.adjustments,
        rounding=rounding_text, notes=tuple(notes), boundary=outcome.boundary, per_unit=per_unit_text,
    )
    return _Dose(
        dose=as_float(given), calculated=calculated, unit=unit_word, basis=basis_text,
        adjustments=outcome.adjustments, working=working, flags=outcome.flags, omit=outcome.omit,
        omit_reason=outcome.omit_reasons, triggered=outcome.triggered, deviation_pct=float(moved_by),
        rounding_step=as_float(step) if step is not None else None, per_unit_basis=per_unit_basis,
        per_unit_achieved=float(achieved) if divisor is not None else None,
        per_unit_protocol=per_basis if divisor is not None else None,
    )


def _given(line: schema.DrugLine, exact: Decimal, step: Decimal | None, unit: str) -> Decimal:
    try:
        return round_dose(exact, step)
    except InvalidOperation:  # more digits than Decimal arithmetic carries: no real dose is that large
        raise DoseRefused(line.drug, msg("dosing.error.cannot_round", gettext_noop(
            "calculated dose %(exact)s %(unit)s cannot be rounded: check the protocol"), exact=str(exact),
            unit=Term(unit))) from None

