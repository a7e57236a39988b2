"""Body surface area: the arithmetic of a dose (its rounding: regimens/dosing/rounding.py)."""

from __future__ import annotations

import datetime as dt
import math

from regimens.dosing.errors import InvalidInput, MissingInput
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


def _fmt(value: float) -> str:
    return format_number(value, **ENGINE)


def _dated(text: str, on: dt.date | None) -> str:
    return f"{text} (measured {on.isoformat()})" if on else f"{text} (date of measurement not given)"
