"""Accepted ranges: the one source of the physiological limits and of the date window.

The record's model validators and forms (patients/models/, patients/labcatalogue.py), the JSON
API's request schemas (config/api_inputs.py, config/api_assessment.py, config/api_regimens.py) and
the engine's derived values (guidelines/evaluate.py, guidelines/labs.py) all read these, so an
input the forms refuse is refused by the API too and never reaches an engine. A value outside
its range is refused, never clamped.

Inputs. Height and weight are the ranges the record has always used for an adult
(patients.HeightWeight); creatinine and free light chains are the lab catalogue's
physiological ranges; eGFR is a positive clearance up to 250 mL/min/1.73 m² (the dose
engine refuses 0); age is the adult guidelines' 18–120 years (CKD-EPI is for adults).

Derived values. Each has an accepted range, chosen so that every combination of in-range
inputs gives a value inside it (tests/guidelines/test_limits.py works out the extremes by
hand at the corners of the input ranges). ``derive`` in guidelines/evaluate.py checks them
again: a derived value outside its range is not used, and the API answers 422 naming the
field it comes from (decision: refuse the input rather than evaluate without the value,
because a value that far off means a unit or typing error in that field).

- eGFR, CKD-EPI 2021: creatinine 20–2500 µmol/L, age 18–120 gives about 0.8–193.
- BSA: height 100–230 cm, weight 20–350 kg gives 0.72–4.73 m² (DuBois, Mosteller).
- FLC ratio: kappa and lambda 0.1–100 000 mg/L give 10⁻⁶–10⁶; involved FLC within the FLC
  range; dFLC 0–99 999.9 mg/L.

Dates. Every date an API request carries lies within 1900-01-01 … today + 2 years (the
contract's v1.1 strictness paragraph); so does a plan's start date. Beyond that a date is a
typing error, and date arithmetic far beyond it overflows the calendar.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from guidelines.messages import Quantity, Term, gettext_noop, msg


@dataclass(frozen=True)
class Range:
    """An inclusive range ``low``–``high`` in ``unit``; ``low_open``: the low end itself is excluded."""

    low: Decimal
    high: Decimal
    unit: str
    low_open: bool = False

    def __contains__(self, value) -> bool:
        """True for a finite number (int, float, Decimal; never a bool or a string) within the range."""
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return False
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if not number.is_finite():
            return False
        above_low = number > self.low if self.low_open else number >= self.low
        return above_low and number <= self.high

    @property
    def text(self) -> str:
        """The range as people read it: ``100–230 cm``, ``> 0–250 mL/min``."""
        low = f"> {_plain(self.low)}" if self.low_open else _plain(self.low)
        return f"{low}–{_plain(self.high)} {self.unit}".rstrip()

    @property
    def message(self):
        """The range as a message (the reader's decimal separator, the unit in the reader's language)."""
        low, high = Quantity(self.low), Quantity(self.high)
        if not self.unit:
            if self.low_open:
                return msg("limits.range_open_no_unit", gettext_noop("> %(low)s–%(high)s"), low=low, high=high)
            return msg("limits.range_no_unit", gettext_noop("%(low)s–%(high)s"), low=low, high=high)
        if self.low_open:
            return msg("limits.range_open", gettext_noop("> %(low)s–%(high)s %(unit)s"), low=low, high=high,
                       unit=Term(self.unit))
        return msg("limits.range", gettext_noop("%(low)s–%(high)s %(unit)s"), low=low, high=high, unit=Term(self.unit))


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def R(low, high, unit, *, low_open=False) -> Range:
    return Range(Decimal(str(low)), Decimal(str(high)), unit, low_open)


# --- inputs -----------------------------------------------------------------------
HEIGHT_CM = R(100, 230, "cm")
WEIGHT_KG = R(20, 350, "kg")
AGE_YEARS = R(18, 120, "years")
EGFR_ML_MIN = R(0, 250, "mL/min/1.73 m²", low_open=True)
CREATININE_UMOL_L = R(20, 2500, "µmol/L")
FLC_MG_L = R("0.1", 100000, "mg/L")
# radiotherapy given on one line (total Gy): above 0 (none given is no radiotherapy), at most 100 — the
# guidelines' curative courses are 35–54 Gy (POEMS) and 40–50 Gy; beyond 100 Gy is a typing error
RADIOTHERAPY_GY = R(0, 100, "Gy", low_open=True)
# months of MRD-negative CR (current_treatment.mrd_negative_months): 0–600, as the API has always accepted
MRD_NEGATIVE_MONTHS = R(0, 600, "months")

# --- derived values ---------------------------------------------------------------
DERIVED_EGFR_ML_MIN = EGFR_ML_MIN
BSA_M2 = R("0.5", 5, "m²")
FLC_RATIO = R("0.000001", 1000000, "")
INVOLVED_FLC_MG_L = FLC_MG_L
DFLC_MG_L = R(0, 100000, "mg/L")

# --- dates ------------------------------------------------------------------------
EARLIEST_DATE = dt.date(1900, 1, 1)
YEARS_AHEAD = 2


def latest_date(today: dt.date) -> dt.date:
    """``today`` + 2 years (29 February: 28 February two years on)."""
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def date_in_window(value: dt.date, today: dt.date) -> bool:
    """True when ``value`` lies within 1900-01-01 … ``today`` + 2 years."""
    return EARLIEST_DATE <= value <= latest_date(today)
