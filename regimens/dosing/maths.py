"""Body surface area and rounding: the arithmetic of a dose."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from regimens import schema
from regimens.dosing.errors import DoseRefused, InvalidInput, MissingInput
from regimens.dosing.types import BSA_FORMULAS
from regimens.formatting import ENGINE, format_number


def _check_positive(name: str, value: float | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise InvalidInput(name, f"must be a positive number, got {value!r}")


def bsa(weight_kg: float, height_cm: float, formula: str = "mosteller") -> float:
    """Body surface area in m2 by Mosteller (default) or DuBois & DuBois (guidelines/labs.py)."""
    if formula not in BSA_FORMULAS:
        raise InvalidInput("bsa_formula", f"unknown formula {formula!r}; use mosteller or dubois")
    for name, value in (("weight_kg", weight_kg), ("height_cm", height_cm)):
        if value is None:
            raise MissingInput(name, "is needed to calculate body surface area")
        _check_positive(name, value)
    return BSA_FORMULAS[formula][1](weight_kg, height_cm)


def round_dose(calculated: float, rounding: schema.Rounding) -> float:
    """``calculated`` to the nearest multiple of ``rounding.step`` (half up), refused beyond the bound."""
    step = Decimal(str(rounding.step))
    rounded = float((Decimal(repr(calculated)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)
    deviation = abs(rounded - calculated) / calculated * 100
    if rounded <= 0 or deviation > rounding.max_deviation_pct:
        raise DoseRefused(
            "rounding",
            f"rounding {_fmt(calculated)} to a step of {_fmt(rounding.step)} gives {_fmt(rounded)}, "
            f"{deviation:.1f}% away (the protocol allows {_fmt(rounding.max_deviation_pct)}%)",
        )
    return rounded


def _fmt(value: float) -> str:
    return format_number(value, **ENGINE)


def _dated(text: str, on: dt.date | None) -> str:
    return f"{text} (measured {on.isoformat()})" if on else f"{text} (date of measurement not given)"
