"""How MyeloPath writes a dose or a measurement: the one place of the rules (the formatting of
numbers for Norwegian readers changes here, and only here).

- On the dosing sheet, the calendar and every page a clinician checks a plan on: every
  significant digit, no trailing zeros, the reader's decimal separator (``2,6 mg`` in
  Norwegian), "—" for a value not known. Never rounded here: what the engine computed is printed.
  A dose is the dose to give, already rounded by the engine's policy (regimens/dosing/rounding.py:
  the protocol's step, else three significant figures, at most two decimals), and it prints exactly
  as the plan stores it: ``format_dose(2.39, "mg")`` is ``2,39 mg``.
- In the engine's working and messages (English text, also in the API's answers), the library
  pages and the admin: at most four decimals, no trailing zeros, a full stop (``ENGINE``).

No Django at import: the dose engine (regimens/dosing/, pure maths) writes its working with it.
"""

from decimal import ROUND_HALF_UP, Decimal

# The engine's style: ``format_number(value, **ENGINE)``.
ENGINE = {"places": 4, "localize": False, "missing": ""}


def format_number(value, *, places=None, localize=True, missing="—"):
    """``value`` as text: every significant digit, or with ``places`` at most that many decimals
    (rounded to them, then trailing zeros dropped); the reader's decimal separator when
    ``localize``; ``missing`` for None."""
    if value is None:
        return missing
    if places is not None:
        text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    else:
        text = format(Decimal(str(value)).normalize(), "f")
    if not localize:
        return text
    from django.utils import formats

    return formats.number_format(Decimal(text), decimal_pos=None, use_l10n=True)


def significant(value, figures=3):
    """``value`` at ``figures`` significant figures, half up (for a derived figure shown beside a dose,
    such as the achieved dose per m²; never for the dose itself); None stays None."""
    if value is None:
        return None
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number == 0:
        return number
    rounded = number.quantize(Decimal(1).scaleb(number.adjusted() - figures + 1), rounding=ROUND_HALF_UP)
    return float(rounded)


MINUS = "\u2212"
# A dose basis as a reader writes it beside a dose (the engine writes mg/m2).
PER_UNIT_WORDS = {"mg/m2": "mg/m²", "g/m2": "g/m²", "mg/kg": "mg/kg"}


def format_deviation(value):
    """A deviation in per cent, signed, at most two decimals, the reader's separator: «−0,05 %»,
    «+4,55 %», «0 %»; a deviation that is not zero never reads as zero («+<0,01 %»)."""
    if not value:
        return "0 %"
    tiny = f"{abs(value):.2f}" == "0.00"
    text = "<" + format_number(0.01, places=2) if tiny else format_number(abs(value), places=2)
    return f"{'+' if value > 0 else MINUS}{text} %"


def format_dose(value, unit, **style):
    """A dose (or measurement) with its unit: ``format_number(value, **style)`` and the unit."""
    return f"{format_number(value, **style)} {unit}"
