"""The dose engine's words: every working line, warning and refusal is a message (guidelines.messages:
a stable code, an English template, its parameters), so a page renders it in the reader's language
(core.messages) and the API gives it in its structured form beside the text. The English text of
each message is the engine's working as it has always read.

Numbers are ``Quantity``s of a kind (guidelines.quantities): the dose to give as it is (kind ``""``,
already rounded by the policy), the exact figures of the working at four decimals (``working``, the
BSA ``bsa_working``), a value a rule compares at two (``compared``), a deviation at two
(``deviation``), the patient's measurements at theirs (``weight``, ``height``, ``egfr``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from guidelines.messages import Message, Quantity, Term, gettext_noop, msg
from guidelines.quantities import display_value

# Words the dose engine passes as ``Term`` besides the drugs (guidelines.rules.TERMS): the units and
# bases of a dose and the protocols' block labels, marked here so that makemessages finds them.
TERMS = (
    gettext_noop("mg"), gettext_noop("g"), gettext_noop("microgram"), gettext_noop("mg/m2"), gettext_noop("g/m2"),
    gettext_noop("mg/kg"), gettext_noop("step-up 1"), gettext_noop("step-up 2"), gettext_noop("step-up 3"),
    # the inputs a refusal names (its English names the API's field)
    gettext_noop("height_cm"), gettext_noop("weight_kg"), gettext_noop("egfr_ml_min"), gettext_noop("age"),
)


def q(value, kind: str = "", unit: str = "") -> Quantity:
    """A number of the working (a Decimal stays exact; an int or float as the engine holds it)."""
    return Quantity(value, unit, kind)


def dose_q(value) -> Quantity:
    """A calculated dose at the dose rule (three significant figures, at most two decimals); a dose
    that would read as 0 at two decimals keeps its digits (four decimals, else every one)."""
    for kind in ("dose", "working"):
        if display_value(value, kind) != "0":
            return Quantity(value, "", kind)
    return Quantity(value, "", "")


def unit(word: str) -> Term:
    """A dose unit or basis as the reader writes it (mg/m2 → mg/m², microgram → mikrogram)."""
    return Term(str(word))


def compared(value: float, threshold: float) -> Quantity:
    """A patient value a rule compares with ``threshold``, at two decimals; more where two would
    make it read as the threshold itself (29.996 is never written «30 < 30»)."""
    for kind in ("compared", "working", ""):
        if value == threshold or display_value(value, kind) != display_value(threshold, ""):
            return Quantity(value, "", kind)
    return Quantity(value, "", "")


def dated(text: Message, on: dt.date | None) -> Message:
    """An input with the date it was measured, or the words that no date was given."""
    if on:
        return msg("dosing.input.measured", gettext_noop("%(input)s (measured %(date)s)"), input=text, date=on)
    return msg("dosing.input.undated", gettext_noop("%(input)s (date of measurement not given)"), input=text)


def deviation(value: Decimal) -> Message:
    """A deviation in per cent, two decimals, signed: +4.55%, -0.05%, 0%; under 0.005 % but not zero:
    -<0.01% (never a bare 0 for a dose that moved)."""
    if value == 0:
        return msg("dosing.deviation.zero", gettext_noop("0%%"))
    shown = Quantity(abs(value), "", "deviation")
    if display_value(abs(value), "deviation") == "0":
        if value > 0:
            return msg("dosing.deviation.tiny_up", gettext_noop("+<0.01%%"))
        return msg("dosing.deviation.tiny_down", gettext_noop("-<0.01%%"))
    if value > 0:
        return msg("dosing.deviation.up", gettext_noop("+%(pct)s%%"), pct=shown)
    return msg("dosing.deviation.down", gettext_noop("-%(pct)s%%"), pct=shown)


def bsa_formula(name: str) -> Message:
    """The BSA formula's name and equation (the sheet's header; the working's BSA line)."""
    if name == "dubois":
        return msg("dosing.bsa.dubois", gettext_noop("DuBois: 0.007184 x weight_kg^0.425 x height_cm^0.725"))
    return msg("dosing.bsa.mosteller", gettext_noop("Mosteller: sqrt(height_cm x weight_kg / 3600)"))


def bsa_method(name: str, area: float) -> Message:
    return msg("dosing.bsa.method", gettext_noop("%(formula)s = %(bsa)s m2"), formula=bsa_formula(name),
               bsa=q(area, "bsa_working"))
