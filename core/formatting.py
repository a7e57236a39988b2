"""How MyeloPath writes numbers and dates for people: the one formatting layer of the app (screen,
PDF, admin). The Norwegian rules change here, and only here (docs/adr/0013-one-formatting-layer.md).

Quantities. ``format_quantity(value, kind)`` writes a value at the precision of its kind
(``KINDS``, one table; the lab analytes add theirs from patients/labcatalogue.py at start-up,
``register_kinds``), rounded half up, with the reader's decimal separator (``72,5`` in bokmål,
``72.5`` in English) and the kind's unit. A computed value (eGFR, BSA, the FLC ratio) is written at
its precision; a value a person typed (a weight, a lab result) is written at least at its precision
and never with fewer digits than were typed: the page never shows 10,0 for a haemoglobin of 9.96
that a rule has read as below 10. Templates: ``{% load formatting %}{{ value|quantity:"egfr" }}``
(``|number:"egfr"`` without the unit).

Dates: ``dd.mm.åååå`` in both languages, datetimes ``dd.mm.åååå HH:MM`` in the local time
(config/formats/, ``SHORT_DATE_FORMAT`` and ``SHORT_DATETIME_FORMAT``; ``format_date`` and
``format_datetime`` here).

Doses: ``format_dose`` and ``format_number`` as before (every significant digit on the dosing
sheet; ``ENGINE`` style, at most four decimals and a full stop, in the engine's working, the library
and the admin); the dose's own rounding rule is the dose engine's (regimens/dosing/).

No Django at import: the dose engine (regimens/dosing/, pure maths) writes its working with
``format_number(value, **ENGINE)``; Django's localisation is read only when a text is localised.
"""

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from guidelines.quantities import DECIMALS as ENGINE_DECIMALS

# A route as the ward writes it beside a dose (the protocol data's codes): «25 mg p.o.».
ROUTE_SHORT = {"po": "p.o.", "sc": "s.c.", "iv": "i.v."}


def format_route(route) -> str:
    return ROUTE_SHORT.get(str(route), str(route))


# The engine's style: ``format_number(value, **ENGINE)``.
ENGINE = {"places": 4, "localize": False, "missing": ""}
MISSING = "—"


@dataclass(frozen=True)
class Quantity:
    """How one kind of quantity is written: its unit and its precision.

    ``decimals``: the places shown (padded with zeros: ``1,80 m²``). ``significant``: instead, at
    least this many significant digits (a ratio spans 10⁻⁴ to 10⁴: ``0,0316``, ``31,7``).
    ``trim``: trailing zeros dropped (``35 %``, ``35,5 %``). ``entered``: typed by a person, so
    never written with fewer decimals than it has."""

    unit: str = ""
    decimals: int = 0
    significant: int | None = None
    trim: bool = False
    entered: bool = False
    at_most_significant: int | None = None  # a dose: three significant figures, at most ``decimals``

    def places(self, value: Decimal) -> int:
        places = self.decimals
        if self.at_most_significant is not None and value:
            places = min(places, max(0, self.at_most_significant - 1 - math.floor(math.log10(abs(value)))))
        if self.significant is not None and value:
            places = max(places, self.significant - 1 - math.floor(math.log10(abs(value))))
        if self.entered:
            places = max(places, -value.normalize().as_tuple().exponent)
        return max(places, 0)


# The one table. Lab analytes come from patients/labcatalogue.py (their ``decimals``: the precision
# the laboratory reports), registered under their catalogue codes (creatinine: integer µmol/L). A
# kind the engine writes too takes its decimals from the engine's table (guidelines/quantities.py),
# so the engine's texts and the pages cannot disagree.
KINDS = {
    "egfr": Quantity("mL/min/1.73 m²", ENGINE_DECIMALS["egfr"]),  # CKD-EPI: whole, as laboratories report it
    "bsa": Quantity("m²", ENGINE_DECIMALS["bsa"]),
    "weight": Quantity("kg", ENGINE_DECIMALS["weight"], entered=True),
    "height": Quantity("cm", ENGINE_DECIMALS["height"], entered=True),
    "percent": Quantity("%", ENGINE_DECIMALS["percent"], trim=True, entered=True),  # 0–1 decimals
    "flc_ratio": Quantity("", 2, significant=3),
    "ratio": Quantity("", 2, significant=3),  # the engine's FLC ratio in its working (guidelines.quantities)
    "flc": Quantity("mg/L", 1),  # a derived free light chain value (involved FLC, dFLC)
    "months": Quantity("", 1, trim=True, entered=True),
    "count": Quantity("", 0, entered=True),
    # The dose engine's working (guidelines.quantities): exact figures a pharmacist checks by hand.
    "working": Quantity("", 4, trim=True),
    "bsa_working": Quantity("", 4),
    "bsa_basis": Quantity("", 2),
    "compared": Quantity("", 2, trim=True),
    "deviation": Quantity("", 2, trim=True),
    "dose": Quantity("", 2, trim=True, at_most_significant=3),
}


def register_kinds(kinds: dict[str, Quantity]) -> None:
    """Add kinds defined elsewhere (the lab catalogue's analytes); a name is defined once."""
    taken = sorted(set(kinds) & set(KINDS))
    if any(KINDS[name] != kinds[name] for name in taken):
        raise ValueError(f"quantity kinds defined twice: {taken}")
    KINDS.update(kinds)


def quantity(kind: str | Quantity) -> Quantity:
    if isinstance(kind, Quantity):
        return kind
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown quantity kind {kind!r}; known: {sorted(KINDS)}") from None


def _decimal(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"not a number: {value!r}")
    number = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _localize(text: str) -> str:
    from django.utils import formats

    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def _number_text(number: Decimal, places: int, *, trim: bool = False) -> str:
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0"
    text = format(rounded, "f")
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def unit_text(kind: str | Quantity) -> str:
    """The kind's unit with any number in it in the reader's separator (``mL/min/1,73 m²``)."""
    return localize_unit(quantity(kind).unit)


def localize_unit(unit: str) -> str:
    """A unit with any number in it in the reader's separator (``mL/min/1.73 m²`` → ``mL/min/1,73 m²``)."""
    return re.sub(r"\d+\.\d+", lambda m: _localize(m.group()), unit)


def format_quantity(value, kind: str | Quantity, *, unit: bool = True, missing: str = MISSING) -> str:
    """``value`` as text at the precision of ``kind`` (a name of ``KINDS`` or a Quantity), with the
    reader's decimal separator, and its unit unless ``unit`` is False; ``missing`` for None."""
    if value is None:
        return missing
    q = quantity(kind)
    number = _decimal(value)
    text = _localize(_number_text(number, q.places(number), trim=q.trim))
    if unit and q.unit:
        return f"{text} {unit_text(q)}"
    return text


def format_date(value, *, missing: str = MISSING) -> str:
    """A date as ``dd.mm.åååå`` (an ISO string is read first); a datetime as its local date."""
    from django.utils import formats, timezone

    if value in (None, ""):
        return missing
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def format_datetime(value, *, missing: str = MISSING) -> str:
    """A moment as ``dd.mm.åååå HH:MM`` in the local time zone (an ISO string is read first)."""
    from django.utils import formats, timezone

    if value in (None, ""):
        return missing
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATETIME_FORMAT")


def format_number(value, *, places=None, localize=True, missing=MISSING):
    """``value`` as text: every significant digit, or with ``places`` at most that many decimals
    (rounded to them, then trailing zeros dropped); the reader's decimal separator when
    ``localize``; ``missing`` for None. For doses and the engine's working; a measurement or a lab
    value is written with ``format_quantity``."""
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
    """A dose with its unit: ``format_number(value, **style)`` and the unit. How a dose is rounded
    is the dose engine's rule (regimens/dosing/); this only writes it."""
    return f"{format_number(value, **style)} {unit}"
