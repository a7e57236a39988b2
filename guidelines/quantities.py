"""How many decimals a quantity is written with: one table for the engine's texts, the screens
and the paper (the web layer adds the reader's decimal separator, ``core.messages``).

A measured input is written as given (kind ``""``): the engine never rounds what the clinician
entered. A value the engine derives is written at the precision its use needs: an eGFR or a
creatinine as an integer, a BSA with two decimals. The displayed value is text only; every rule
compares the exact value.
"""

from decimal import ROUND_HALF_UP, Decimal, localcontext

# kind → decimals shown (None: as given, every significant digit).
DECIMALS = {
    "": None,
    "egfr": 0,          # mL/min/1.73 m² (CKD-EPI), as laboratories report it
    "creatinine": 0,    # µmol/L
    "bsa": 2,           # m²
    "weight": 1,        # kg
    "height": 0,        # cm
    "percent": 1,       # %
    "ratio": 2,         # e.g. the free light-chain ratio
    "days": 0,
    # The dose engine's working (regimens/dosing/): the exact figures a pharmacist checks by hand.
    "working": 4,       # an exact dose or a per-unit dose: at most four decimals
    "bsa_working": 4,   # the BSA a dose was calculated on, four decimals kept (2.0000 m2)
    "bsa_basis": 2,     # the BSA beside a dose's basis, two decimals kept (2.00 m2)
    "compared": 2,      # a patient value a dose rule compares with its threshold
    "deviation": 2,     # a rounding's deviation in per cent
    "dose": 2,          # a dose: three significant figures, at most two decimals (SIGNIFICANT)
}
# Kinds written at most at this many significant figures (and at most their DECIMALS).
SIGNIFICANT = {"dose": 3}
# Kinds written with every decimal place, trailing zeros kept.
PADDED = frozenset({"bsa_working", "bsa_basis"})


def display_value(value, kind: str = "") -> str:
    """``value`` as text at its kind's precision (half away from zero), trailing zeros dropped;
    a full stop as the decimal separator (the web layer localises it)."""
    if isinstance(value, Decimal):
        exact = value
    else:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    places = DECIMALS[kind]
    if kind in SIGNIFICANT and exact.is_finite() and exact:
        places = min(places, max(0, SIGNIFICANT[kind] - 1 - exact.adjusted()))
    if places is not None and exact.is_finite():
        with localcontext() as context:  # enough digits for any magnitude (quantize fails beyond the precision)
            context.prec = max(context.prec, exact.adjusted() + places + 2)
            exact = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = (format(exact.normalize(), "f") if places is None or (places > 0 and kind not in PADDED)
            else format(exact, "f"))
    if "." in text and places and kind not in PADDED:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
