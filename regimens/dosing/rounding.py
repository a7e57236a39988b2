"""The dose to give: the calculated exact dose rounded by the hospital's policy (issue 14 item 1,
docs/adr/0014-dose-rounding-policy.md). Decimal arithmetic, half up, nothing silent:

- with the protocol's rounding step (``rounding.step``, in the dose's unit: a vial or tablet size,
  or 0.1 mg), the nearest multiple of the step;
- without one, three significant figures and never more than two decimals (2.3912 -> 2.39,
  138.4 -> 138, 1834 -> 1830, 0.725 -> 0.73), written without trailing zeros.

Either way the deviation from the exact dose may not exceed the hospital's limit (settings
``DOSE_ROUNDING_MAX_DEVIATION_PERCENT``; a protocol may set a stricter one per drug), and the dose
to give may not be more than 10 % above the protocol's dose per unit (mg/m2, mg/kg, or the flat
dose). ``rounding_problems`` checks a protocol before it is activated: for every drug line, the
worst deviation its rounding can cause over the realistic range of patients (BSA 1.4-2.6 m2,
weight 40-150 kg), analytically: a step s moves a dose d by at most s/2, so by at most s/(2 d) of
it, the most at the smallest dose the protocol can produce.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from regimens import schema
from regimens.dosing.errors import InvalidInput
from regimens.dosing.types import UNITS

SIGNIFICANT_FIGURES = 3
MAX_DECIMALS = 2
# The rule: a dose more than 10 % above the protocol's per-unit dose, after rounding, is refused.
PER_UNIT_CEILING_PCT = Decimal(10)
DEFAULT_MAX_DEVIATION_PCT = Decimal(5)
# The realistic range of adult patients the activation check covers (issue 14).
BSA_RANGE_M2 = (Decimal("1.4"), Decimal("2.6"))
WEIGHT_RANGE_KG = (Decimal(40), Decimal(150))
# Three significant figures move a dose of one unit or more by at most half a unit in the third digit:
# 0.5 x 10^(e-2) / 10^e = 0.5 %. Below one unit the two-decimal cap moves it by up to 0.005 / d.
_HALF_PERCENT = Decimal("0.5")
_HUNDRED = Decimal(100)


def decimal(value) -> Decimal:
    """A float, int or Decimal as the Decimal of its shortest text (``repr``), so 1.3 is 1.3 exactly."""
    return value if isinstance(value, Decimal) else Decimal(repr(value))


def _quantum(exact: Decimal) -> Decimal:
    """The rounding unit of three significant figures, never finer than two decimals."""
    return Decimal(1).scaleb(max(exact.adjusted() - (SIGNIFICANT_FIGURES - 1), -MAX_DECIMALS))


def round_dose(exact: Decimal, step: Decimal | None = None) -> Decimal:
    """The dose to give for the exact dose: to the nearest multiple of ``step`` or, without one, to three
    significant figures with at most two decimals; half up; normalised (no trailing zeros). Pure: the
    limits are checked by the caller (``check_deviation``)."""
    if step is not None:
        given = (exact / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    else:
        given = exact.quantize(_quantum(exact), rounding=ROUND_HALF_UP)
    return _plain(given)


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and without an exponent (1800, not 1.8E+3)."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal


def deviation_pct(exact: Decimal, given: Decimal) -> Decimal:
    """(given - exact) / exact in per cent, signed."""
    return (given - exact) / exact * _HUNDRED


def check_limit(value) -> Decimal:
    """The hospital's maximum deviation (per cent) as a Decimal: a positive finite number, else refused."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidInput("max_deviation_pct", f"must be a positive number, got {value!r}")
    limit = decimal(value)
    if not limit.is_finite() or limit <= 0:
        raise InvalidInput("max_deviation_pct", f"must be a positive number, got {value!r}")
    return limit


def line_limit(line: schema.DrugLine, hospital: Decimal) -> Decimal:
    """The limit for one drug line: the hospital's, or the protocol's own for the drug when stricter."""
    own = line.rounding.max_deviation_pct if line.rounding is not None else None
    return min(hospital, decimal(own)) if own is not None else hospital


def worst_deviation_pct(smallest: Decimal, step: Decimal | None) -> Decimal:
    """The most a rounding can move any dose from ``smallest`` up, in per cent of the dose: half a step
    over the smallest dose; without a step, 0.5 % (three significant figures) or, below one unit,
    half a hundredth over the smallest dose (two decimals)."""
    if step is not None:
        return step / 2 / smallest * _HUNDRED
    return max(_HALF_PERCENT, _HALF_PERCENT / smallest)


def fails_below(step: Decimal | None, limit: Decimal) -> Decimal:
    """The dose below which the rounding can move a dose by more than ``limit`` per cent."""
    if step is not None:
        return _plain(step / 2 / limit * _HUNDRED)
    return _plain(_HALF_PERCENT / limit)


@dataclass(frozen=True)
class RoundingProblem:
    """A drug line whose rounding can move a dose of the realistic range by more than the limit:
    the drug (and its phase), the step (None: three significant figures), the smallest dose the
    protocol can give in the range and how it arises, the worst deviation there, the limit and
    the dose below which the limit can be exceeded (every unit is the line's dose unit)."""

    drug: str
    phase: str
    unit: str
    step: Decimal | None
    smallest_dose: Decimal
    smallest_from: str
    worst_pct: Decimal
    limit_pct: Decimal
    fails_below: Decimal
    per_basis_dose: Decimal = Decimal(0)  # the smallest dose in the line's basis
    basis: str = ""  # mg/m2, g/m2, mg/kg, mg, microgram
    at: Decimal | None = None  # the smallest BSA (m2) or weight (kg) of the range; None for a flat dose


def _per_basis_doses(line: schema.DrugLine) -> list[Decimal]:
    """Every dose in the line's basis the protocol can give: the line's, each day block's, each rule's."""
    doses = [line.dose, *(block.dose for block in line.schedule), *(rule.dose for rule in line.rules)]
    return [decimal(d) for d in doses if d is not None]


def _smallest(line: schema.DrugLine) -> tuple[Decimal, Decimal, Decimal | None, str]:
    """The smallest dose of the line in the range: (dose, dose in the basis, BSA or weight, how, in words)."""
    per_basis = min(_per_basis_doses(line))
    text = format(_plain(per_basis), "f")
    if line.basis in (schema.Basis.MG_PER_M2, schema.Basis.G_PER_M2):
        low = BSA_RANGE_M2[0]
        return per_basis * low, per_basis, low, f"{text} {line.basis} x BSA {low} m2"
    if line.basis == schema.Basis.MG_PER_KG:
        low = WEIGHT_RANGE_KG[0]
        return per_basis * low, per_basis, low, f"{text} mg/kg x {low} kg"
    return per_basis, per_basis, None, f"{text} {UNITS[line.basis]} flat dose"


def rounding_problems(protocol: schema.Protocol, *, max_deviation_pct) -> tuple[RoundingProblem, ...]:
    """Every drug line of ``protocol`` whose rounding could move a dose of a patient in the realistic
    range by more than the limit (the hospital's, the line's own if stricter, and never more than the
    10 % of the per-unit rule). A line without a dose (a draft) is left to the schema."""
    hospital = check_limit(max_deviation_pct)
    problems = []
    lines = [("", line) for line in protocol.drugs] + [(p.name, line) for p in protocol.phases for line in p.drugs]
    for phase, line in lines:
        if line.dose is None or line.basis is None:
            continue
        step = decimal(line.rounding.step) if line.rounding is not None else None
        limit = min(line_limit(line, hospital), PER_UNIT_CEILING_PCT)
        smallest, per_basis, at, how = _smallest(line)
        worst = worst_deviation_pct(smallest, step)
        if worst > limit:
            problems.append(RoundingProblem(
                drug=line.drug, phase=phase, unit=UNITS[line.basis], step=step, smallest_dose=_plain(smallest),
                smallest_from=how, worst_pct=worst, limit_pct=limit, fails_below=fails_below(step, limit),
                per_basis_dose=_plain(per_basis), basis=str(line.basis), at=at,
            ))
    return tuple(problems)


def as_float(value: Decimal) -> float:
    """A Decimal of at most 15 significant digits as the float whose shortest text is the same digits."""
    result = float(value)
    if not math.isfinite(result):  # pragma: no cover - the caller checked the exact dose is finite
        raise ValueError(value)
    return result
