"""How MyeloPath writes a dose or a measurement: the one place of the rules (the formatting of
numbers for Norwegian readers changes here, and only here).

- On the dosing sheet, the calendar and every page a clinician checks a plan on: every
  significant digit, no trailing zeros, the reader's decimal separator (``2,6 mg`` in
  Norwegian), "—" for a value not known. Never rounded here: what the engine computed is printed.
- In the engine's working and messages (English text, also in the API's answers), the library
  pages and the admin: at most four decimals, no trailing zeros, a full stop (``ENGINE``).

No Django at import: the dose engine (regimens/dosing/, pure maths) writes its working with it.
"""

from decimal import Decimal

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


def format_dose(value, unit, **style):
    """A dose (or measurement) with its unit: ``format_number(value, **style)`` and the unit."""
    return f"{format_number(value, **style)} {unit}"
