"""The reasons the app itself writes into the change log, in the reader's language.

Every record's history keeps its reason as text (django-simple-history's ``history_change_reason``; a
plan's ``change_reason``). The reasons the user types are shown as typed. The ones the code writes
(«Recorded», «Cycle 2 released: …», «Superseded by version 3: …») are stored in English, their
source language, and kept so: the stored history never changes. ``reason_text`` reads such a reason
back by its pattern below and shows it in the active language, numbers with the reader's decimal
separator; the user's own words inside it (a note, a return reason) stay as typed. A text that matches
no pattern is shown as stored.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext, gettext_noop, pgettext

from core.formatting import format_datetime, format_number

# (pattern of the stored English text, its template). A group named ``text`` holds the user's words;
# ``number_*`` groups are numbers written by the code with a decimal point.
_PATTERNS = [(re.compile(pattern, re.S), template) for pattern, template in (
    (r"Registered", gettext_noop("Registered")),
    (r"Recorded", gettext_noop("Recorded")),
    (r"Recorded \(lab panel\)", gettext_noop("Recorded (lab panel)")),
    (r"Draft created", gettext_noop("Draft created")),
    (r"Issued", gettext_noop("Issued")),
    (r"Verified", gettext_noop("Verified")),
    (r"Superseded by version (?P<version>\d+): (?P<text>.*)",
     gettext_noop("Superseded by version %(version)s: %(text)s")),
    (r"Returned to the physician: (?P<text>.*)", gettext_noop("Returned to the physician: %(text)s")),
    (r"Cancelled: (?P<text>.*)", gettext_noop("Cancelled: %(text)s")),
    (r"Started by treatment plan (?P<code>\S+) version (?P<version>\d+)",
     gettext_noop("Started by treatment plan %(code)s version %(version)s")),
    (r"Continued by treatment plan (?P<code>\S+) version (?P<version>\d+)",
     gettext_noop("Continued by treatment plan %(code)s version %(version)s")),
    (r"Start date moved by plan version (?P<version>\d+): (?P<text>.*)",
     gettext_noop("Start date moved by plan version %(version)s: %(text)s")),
    (r"Course ended \(progression\)", gettext_noop("Course ended (progression)")),
    (r"Course ended \(progression\): (?P<text>.*)", gettext_noop("Course ended (progression): %(text)s")),
    (r"Course ended \(intolerance\)", gettext_noop("Course ended (intolerance)")),
    (r"Course ended \(intolerance\): (?P<text>.*)", gettext_noop("Course ended (intolerance): %(text)s")),
    (r"Course ended \(completed\)", gettext_noop("Course ended (completed)")),
    (r"Course ended \(completed\): (?P<text>.*)", gettext_noop("Course ended (completed): %(text)s")),
    (r"Course ended \(other\)", gettext_noop("Course ended (other)")),
    (r"Course ended \(other\): (?P<text>.*)", gettext_noop("Course ended (other): %(text)s")),
    (r"Measured at the release of cycle (?P<cycle>\d+)", gettext_noop("Measured at the release of cycle %(cycle)s")),
    (r"Cycle (?P<cycle>\d+) released", gettext_noop("Cycle %(cycle)s released")),
    (r"Cycle (?P<cycle>\d+) released: (?P<text>.*)", gettext_noop("Cycle %(cycle)s released: %(text)s")),
    (r"Cycle (?P<cycle>\d+) held by the pre-cycle criteria: (?P<text>.*)",
     gettext_noop("Cycle %(cycle)s held by the pre-cycle criteria: %(text)s")),
    (r"Weight (?P<number_old>[\d.]+) kg -> (?P<number_new>[\d.]+) kg \((?P<number_pct>[\d.]+) %, limit "
     r"(?P<number_limit>[\d.]+) %\) at the release of cycle (?P<cycle>\d+): doses recomputed, to be verified again",
     gettext_noop("Weight %(number_old)s kg → %(number_new)s kg (%(number_pct)s %%, limit %(number_limit)s %%) at "
                  "the release of cycle %(cycle)s: doses recomputed, to be verified again")),
    (r"Weight (?P<number_old>[\d.]+) kg -> (?P<number_new>[\d.]+) kg \((?P<number_pct>[\d.]+) %, limit "
     r"(?P<number_limit>[\d.]+) %\) at the release of cycle (?P<cycle>\d+): doses recomputed, to be verified again: "
     r"(?P<text>.*)",
     gettext_noop("Weight %(number_old)s kg → %(number_new)s kg (%(number_pct)s %%, limit %(number_limit)s %%) at "
                  "the release of cycle %(cycle)s: doses recomputed, to be verified again: %(text)s")),
    (r"Dose reduced: (?P<drug>.+?) (?P<number_before>[\d.]+) -> (?P<number_after>[\d.]+) (?P<unit>\S+) from cycle "
     r"(?P<cycle>\d+) \(dose level (?P<level>\d+)\): (?P<text>.*)",
     gettext_noop("Dose reduced: %(drug)s %(number_before)s → %(number_after)s %(unit)s from cycle %(cycle)s (dose "
                  "level %(level)s): %(text)s")),
    (r"Drug stopped: (?P<drug>.+?) from cycle (?P<cycle>\d+): (?P<text>.*)",
     gettext_noop("Drug stopped: %(drug)s from cycle %(cycle)s: %(text)s")),
    (r"Dose held: (?P<drug>.+?) cycle (?P<cycle>\d+) day (?P<day>\d+): (?P<text>.*)",
     gettext_noop("Dose held: %(drug)s cycle %(cycle)s day %(day)s: %(text)s")),
    (r"Cycle delayed: cycle (?P<cycle>\d+) by (?P<days>\d+) days \(the following dates move\): (?P<text>.*)",
     gettext_noop("Cycle delayed: cycle %(cycle)s by %(days)s days (the following dates move): %(text)s")),
    (r"Second nurse confirmed (?P<drug>\S+) C(?P<cycle>\d+)D(?P<day>\d+): (?P<outcome>\w+)",
     gettext_noop("Second nurse confirmed: %(drug)s cycle %(cycle)s day %(day)s, %(outcome)s")),
    (r"Progression confirmed from the lab series \(proposal (?P<proposal>\d+)\)",
     gettext_noop("Progression confirmed from the lab series (proposal %(proposal)s)")),
    (r"Progression confirmed from the lab series \(proposal (?P<proposal>\d+)\): (?P<text>.*)",
     gettext_noop("Progression confirmed from the lab series (proposal %(proposal)s): %(text)s")),
)]

# An administration's record (treatment_course/administer.py): «bortezomib C1D1 given 2.3 mg at 2026-01-05
# 10:00 (correction of record 4): the nurse's words», every part after the outcome optional.
_ADMINISTRATION = re.compile(
    r"(?P<drug>\S+) C(?P<cycle>\d+)D(?P<day>\d+) (?P<outcome>given at a reduced dose|not given|given)"
    r"(?: (?P<dose>[\d.]+) (?P<unit>\S+))?(?: at (?P<when>\d{4}-\d\d-\d\d \d\d:\d\d))?"
    r"(?: \(correction of record (?P<record>\d+)\))?(?:: (?P<text>.*))?", re.S)
# The outcomes as stored (the key in a record's name, the English label in an administration's reason).
_OUTCOMES = {"given": lambda: pgettext("administered", "given"),
             "reduced": lambda: gettext("given at a reduced dose"),
             "given at a reduced dose": lambda: gettext("given at a reduced dose"),
             "not_given": lambda: gettext("not given"), "not given": lambda: gettext("not given")}


def _param(name, value):
    if name.startswith("number_"):
        return _number(value)
    if name == "text":  # may itself be a reason the app wrote (a revision's reason inside «Superseded by»)
        return reason_text(value)
    if name == "drug":  # the drug's name in the reader's language (as core.messages renders a Term)
        return gettext(value)
    if name == "outcome":
        return _OUTCOMES[value]() if value in _OUTCOMES else value
    return value


def _administration(match):
    """An administration's record in the reader's words: what was given of which drug when."""
    part = match.groupdict()
    text = gettext("%(drug)s cycle %(cycle)s day %(day)s: %(outcome)s") % {
        "drug": _param("drug", part["drug"]), "cycle": part["cycle"], "day": part["day"],
        "outcome": _param("outcome", part["outcome"])}
    if part["dose"]:
        text += f" {_number(part['dose'])} {part['unit']}"
    if part["when"]:
        text += " " + gettext("at %(time)s") % {"time": format_datetime(dt.datetime.fromisoformat(part["when"]))}
    if part["record"]:
        text += " " + gettext("(correction of record %(record)s)") % {"record": part["record"]}
    return f"{text}: {part['text']}" if part["text"] is not None else text


def _number(value):
    try:
        return format_number(Decimal(value))
    except InvalidOperation:
        return value


def reason_text(stored) -> str:
    """A stored change reason as the reader reads it (see the module's docstring)."""
    if not stored:
        return ""
    administration = _ADMINISTRATION.fullmatch(stored)
    if administration:
        return _administration(administration)
    for pattern, template in _PATTERNS:
        match = pattern.fullmatch(stored)
        if match:
            params = {k: _param(k, v) for k, v in match.groupdict().items()}
            try:
                return gettext(template) % params
            except (KeyError, ValueError, TypeError):  # a translation whose placeholders do not match
                return stored
    return stored
