"""Body surface area: the arithmetic of a dose (its rounding: regimens/dosing/rounding.py)."""

from __future__ import annotations

import math

from guidelines.messages import gettext_noop, msg
from regimens.dosing.errors import InvalidInput, MissingInput
from regimens.dosing.types import BSA_FORMULAS
from regimens.formatting import ENGINE, format_number


def _check_positive(name: str, value: float | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise InvalidInput(name, msg("dosing.error.not_positive", gettext_noop(
            "must be a positive number, got %(value)s"), value=repr(value)))


def unknown_formula(formula) -> InvalidInput:
    return InvalidInput("bsa_formula", msg("dosing.error.bsa_formula", gettext_noop(
        "unknown formula %(formula)s; use mosteller or dubois"), formula=repr(formula)))


def bsa(weight_kg: float, height_cm: float, formula: str = "mosteller") -> float:
    """Body surface area in m2 by Mosteller (default) or DuBois & DuBois (guidelines/labs.py)."""
    if formula not in BSA_FORMULAS:
        raise unknown_formula(formula)
    for name, value in (("weight_kg", weight_kg), ("height_cm", height_cm)):
        if value is None:
            raise MissingInput(name, msg("dosing.error.bsa_input", gettext_noop(
                "is needed to calculate body surface area")))
        _check_positive(name, value)
    return BSA_FORMULAS[formula][1](weight_kg, height_cm)


def _fmt(value: float) -> str:
    return format_number(value, **ENGINE)

