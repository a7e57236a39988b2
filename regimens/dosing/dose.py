"""One dose of one drug line for one patient, with its working."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from regimens import schema
from regimens.dosing.errors import DoseRefused, InvalidInput, MissingInput
from regimens.dosing.maths import _check_positive, _dated, _fmt, bsa
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
from regimens.formatting import format_number


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


def _line_dose(line: schema.DrugLine, standard: float, pt: _Patient, limit: Decimal) -> _Dose:
    outcome = _apply_rules(line, standard, pt.p)
    per_basis = outcome.dose
    basis = line.basis
    unit = UNITS[basis]
    notes: list[str] = []
    bsa_method = ""
    inputs = pt.inputs()
    per_unit_basis, divisor, divisor_text = "", None, ""
    if basis in (schema.Basis.MG_PER_M2, schema.Basis.G_PER_M2):
        area = pt.need_bsa(line.drug)
        exact = decimal(per_basis) * decimal(area)
        calculated = float(exact)
        basis_text = f"{_fmt(per_basis)} {basis} x {area:.2f} m2"
        formula = f"{_fmt(per_basis)} {basis} x BSA {area:.4f} m2 = {_fmt(calculated)} {unit}"
        bsa_method = f"{BSA_FORMULAS[pt.formula][0]} = {area:.4f} m2"
        per_unit_basis, divisor, divisor_text = str(basis), decimal(area), f"BSA {area:.4f} m2"
        if area > LARGE_BSA_M2:
            notes.append(f"BSA {area:.2f} m2 > {LARGE_BSA_M2} m2: no BSA cap applied, full dose on actual BSA")
    elif basis == schema.Basis.MG_PER_KG:
        weight = pt.need_weight(line.drug)
        exact = decimal(per_basis) * decimal(weight)
        calculated = float(exact)
        basis_text = f"{_fmt(per_basis)} mg/kg x {_fmt(weight)} kg"
        formula = f"{_fmt(per_basis)} mg/kg x actual body weight {_fmt(weight)} kg = {_fmt(calculated)} mg"
        per_unit_basis, divisor, divisor_text = str(basis), decimal(weight), f"{_fmt(weight)} kg"
        if weight > LARGE_WEIGHT_KG:
            notes.append(
                f"weight {_fmt(weight)} kg > {_fmt(LARGE_WEIGHT_KG)} kg: no weight cap applied, "
                "full dose on actual body weight"
            )
    else:
        exact = decimal(per_basis)
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
    step = decimal(line.rounding.step) if line.rounding is not None else None
    limit = line_limit(line, limit)
    given = _given(line, exact, step, unit)
    deviation = deviation_pct(exact, given)
    moved = f"{_fmt(calculated)} {unit} \u2192 {_fmt_decimal(given)} {unit} ({_signed_pct(deviation)})"
    if step is not None:
        rounding_text = (f"rounded to a step of {_fmt_decimal(step)} {unit}: {moved}; at most "
                         f"{_fmt_decimal(limit)}% allowed")
    else:
        rounding_text = (f"{moved}: three significant figures, at most two decimals (the protocol gives no "
                         f"rounding step); at most {_fmt_decimal(limit)}% allowed")
    params = {"drug": line.drug, "unit": unit, "exact": calculated, "given": as_float(given),
              "deviation_pct": float(deviation), "limit_pct": float(limit),
              "step": as_float(step) if step is not None else None}
    if given <= 0 or abs(deviation) > limit:
        raise DoseRefused(
            "rounding",
            f"{line.drug}: rounding {moved} moves the dose more than the {_fmt_decimal(limit)}% allowed"
            + (f" (a step of {_fmt_decimal(step)} {unit} is too coarse for this dose: a pharmacist must change "
               "the protocol's rounding step)" if step is not None else
               " (too small a dose for two decimals: the protocol must give a rounding step or a dose in "
               "a smaller unit)"),
            code="rounding_too_coarse", params=params,
        )
    if max_mg is not None and given * decimal(MG_PER_UNIT[unit]) > decimal(max_mg):
        raise DoseRefused(
            "max_single_dose_mg",
            f"{line.drug}: rounded dose {_fmt_decimal(given)} {unit} is above the protocol's maximum single dose "
            f"{_fmt(max_mg)} mg",
        )
    protocol_per_unit = decimal(per_basis)
    achieved = given / divisor if divisor is not None else given
    if achieved > protocol_per_unit * (1 + PER_UNIT_CEILING_PCT / 100):
        shown = per_unit_basis or unit
        raise DoseRefused(
            "per_unit",
            f"{line.drug}: the dose to give {_fmt_decimal(given)} {unit} is {_fmt(float(achieved))} {shown}, more "
            f"than {_fmt_decimal(PER_UNIT_CEILING_PCT)}% above the protocol's {_fmt(per_basis)} {shown}",
            code="per_unit_above_protocol",
            params={**params, "achieved": float(achieved), "protocol": per_basis, "basis": shown},
        )
    per_unit_text = ""
    if divisor is not None:
        per_unit_text = (f"achieved {_fmt(float(achieved))} {per_unit_basis} ({_fmt_decimal(given)} {unit} / "
                         f"{divisor_text}); protocol {_fmt(per_basis)} {per_unit_basis}")
    working = Working(
        formula=formula, inputs=inputs, bsa_method=bsa_method, adjustments=outcome.adjustments,
        rounding=rounding_text, notes=tuple(notes), boundary=outcome.boundary, per_unit=per_unit_text,
    )
    omit_reason = "; ".join(a for a in outcome.adjustments if "drug omitted" in a)
    return _Dose(
        dose=as_float(given), calculated=calculated, unit=unit, basis=basis_text, adjustments=outcome.adjustments,
        working=working, flags=outcome.flags, omit=outcome.omit, omit_reason=omit_reason,
        triggered=outcome.triggered, deviation_pct=float(deviation),
        rounding_step=as_float(step) if step is not None else None, per_unit_basis=per_unit_basis,
        per_unit_achieved=float(achieved) if divisor is not None else None,
        per_unit_protocol=per_basis if divisor is not None else None,
    )


def _given(line: schema.DrugLine, exact: Decimal, step: Decimal | None, unit: str) -> Decimal:
    try:
        return round_dose(exact, step)
    except InvalidOperation:  # more digits than Decimal arithmetic carries: no real dose is that large
        raise DoseRefused(line.drug, f"calculated dose {exact} {unit} cannot be rounded: check the protocol") from None


def _fmt_decimal(value: Decimal) -> str:
    """A rounded dose, step or limit as it is: every digit, no trailing zeros, no exponent (1830, 2.5)."""
    return format(_plain(value), "f")


def _signed_pct(value: Decimal) -> str:
    """A deviation in per cent, two decimals, signed: +4.55%, -0.05%, 0%; under 0.005 % but not zero:
    -<0.01% (never a bare 0 for a dose that moved)."""
    if value == 0:
        return "0%"
    text = format_number(abs(value), places=2, localize=False)
    sign = "+" if value > 0 else "-"
    return f"{sign}{text}%" if text != "0" else f"{sign}<0.01%"
