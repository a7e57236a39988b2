"""One dose of one drug line for one patient, with its working."""

from __future__ import annotations

import math
from dataclasses import dataclass

from regimens import schema
from regimens.dosing.errors import DoseRefused, InvalidInput, MissingInput
from regimens.dosing.maths import _check_positive, _dated, _fmt, bsa, round_dose
from regimens.dosing.rules import _apply_rules
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
    omit_reason: str = ""
    triggered: tuple[schema.DoseRule, ...] = ()


class _Patient:
    """The patient plus the BSA, computed once, and the inputs that were used."""

    def __init__(self, patient: DosingPatient, formula: str):
        for name in ("weight_kg", "height_cm", "age", "egfr_ml_min"):
            value = getattr(patient, name)
            if name == "age" and value == 0:
                continue
            _check_positive(name, value)
        if formula not in BSA_FORMULAS:
            raise InvalidInput("bsa_formula", f"unknown formula {formula!r}; use mosteller or dubois")
        self.p = patient
        self.formula = formula
        self.bsa = None
        if patient.weight_kg is not None and patient.height_cm is not None:
            self.bsa = bsa(patient.weight_kg, patient.height_cm, formula)

    def need_bsa(self, drug: str) -> float:
        for name in ("height_cm", "weight_kg"):
            if getattr(self.p, name) is None:
                raise MissingInput(name, f"{drug} is dosed per m2 of body surface area; give {name}")
        return self.bsa

    def need_weight(self, drug: str) -> float:
        if self.p.weight_kg is None:
            raise MissingInput("weight_kg", f"{drug} is dosed per kg of body weight; give weight_kg")
        return self.p.weight_kg

    def inputs(self) -> tuple[str, ...]:
        p = self.p
        out = []
        if p.weight_kg is not None:
            out.append(_dated(f"weight {_fmt(p.weight_kg)} kg", p.weight_measured_on))
        if p.height_cm is not None:
            out.append(_dated(f"height {_fmt(p.height_cm)} cm", p.height_measured_on))
        if p.age is not None:
            out.append(f"age {_fmt(p.age)} years")
        if p.egfr_ml_min is not None:
            out.append(_dated(f"eGFR {_fmt(p.egfr_ml_min)} mL/min", p.egfr_measured_on))
        if p.reduced_tolerance:
            out.append("reduced tolerance marked for: " + ", ".join(sorted(p.reduced_tolerance)))
        return tuple(out)


def _line_dose(line: schema.DrugLine, standard: float, pt: _Patient) -> _Dose:
    outcome = _apply_rules(line, standard, pt.p)
    per_basis = outcome.dose
    basis = line.basis
    unit = UNITS[basis]
    notes: list[str] = []
    bsa_method = ""
    inputs = pt.inputs()
    if basis in (schema.Basis.MG_PER_M2, schema.Basis.G_PER_M2):
        area = pt.need_bsa(line.drug)
        calculated = per_basis * area
        basis_text = f"{_fmt(per_basis)} {basis} x {area:.2f} m2"
        formula = f"{_fmt(per_basis)} {basis} x BSA {area:.4f} m2 = {_fmt(calculated)} {unit}"
        bsa_method = f"{BSA_FORMULAS[pt.formula][0]} = {area:.4f} m2"
        if area > LARGE_BSA_M2:
            notes.append(f"BSA {area:.2f} m2 > {LARGE_BSA_M2} m2: no BSA cap applied, full dose on actual BSA")
    elif basis == schema.Basis.MG_PER_KG:
        weight = pt.need_weight(line.drug)
        calculated = per_basis * weight
        basis_text = f"{_fmt(per_basis)} mg/kg x {_fmt(weight)} kg"
        formula = f"{_fmt(per_basis)} mg/kg x actual body weight {_fmt(weight)} kg = {_fmt(calculated)} mg"
        if weight > LARGE_WEIGHT_KG:
            notes.append(
                f"weight {_fmt(weight)} kg > {_fmt(LARGE_WEIGHT_KG)} kg: no weight cap applied, "
                "full dose on actual body weight"
            )
    else:
        calculated = per_basis
        basis_text = f"{_fmt(per_basis)} {unit} flat dose"
        formula = f"flat dose {_fmt(per_basis)} {unit}"
    if not math.isfinite(calculated) or calculated <= 0:
        raise DoseRefused(line.drug, f"calculated dose {calculated!r} is not a positive finite number")
    max_mg = line.max_single_dose_mg
    if max_mg is not None and calculated * MG_PER_UNIT[unit] > max_mg:
        raise DoseRefused(
            "max_single_dose_mg",
            f"{line.drug}: calculated dose {_fmt(calculated)} {unit} is above the protocol's maximum single dose "
            f"{_fmt(max_mg)} mg; the engine does not cap it: check the patient's data and the protocol",
        )
    if line.rounding is not None:
        dose = round_dose(calculated, line.rounding)
        rounding_text = (
            f"rounded to a step of {_fmt(line.rounding.step)} {unit}: {_fmt(calculated)} -> {_fmt(dose)} {unit} "
            f"({abs(dose - calculated) / calculated * 100:.1f}% deviation, at most "
            f"{_fmt(line.rounding.max_deviation_pct)}% allowed)"
        )
        if max_mg is not None and dose * MG_PER_UNIT[unit] > max_mg:
            raise DoseRefused(
                "max_single_dose_mg",
                f"{line.drug}: rounded dose {_fmt(dose)} {unit} is above the protocol's maximum single dose "
                f"{_fmt(max_mg)} mg",
            )
    else:
        dose = calculated
        rounding_text = "not rounded (the protocol gives no rounding step)"
    working = Working(
        formula=formula, inputs=inputs, bsa_method=bsa_method, adjustments=outcome.adjustments,
        rounding=rounding_text, notes=tuple(notes), boundary=outcome.boundary,
    )
    omit_reason = "; ".join(a for a in outcome.adjustments if "drug omitted" in a)
    return _Dose(
        dose=dose, calculated=calculated, unit=unit, basis=basis_text, adjustments=outcome.adjustments,
        working=working, flags=outcome.flags, omit=outcome.omit, omit_reason=omit_reason,
        triggered=outcome.triggered,
    )
