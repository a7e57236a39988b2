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

# The reasons the code writes, each once: its English template is also its pattern (``template_pattern``).
# A placeholder ``text`` holds the user's words (or a reason read again); ``number_*`` a number written by the
# code with a decimal point; ``drug`` a drug's code; ``code``, ``unit`` and ``outcome`` a word; ``labs`` the
# English names of lab analytes, comma-separated; any other a whole number. «→» in a template is «->» in the
# stored text.
TEMPLATES = (
    gettext_noop("Registered"),
    gettext_noop("Demo data (fictional patient)"),
    gettext_noop("Recorded"),
    gettext_noop("Recorded (lab panel)"),
    gettext_noop("Draft created"),
    gettext_noop("Issued"),
    gettext_noop("Verified"),
    gettext_noop("Superseded by version %(version)s: %(text)s"),
    gettext_noop("Returned to the physician: %(text)s"),
    gettext_noop("Cancelled: %(text)s"),
    gettext_noop("Started by treatment plan %(code)s version %(version)s"),
    gettext_noop("Continued by treatment plan %(code)s version %(version)s"),
    gettext_noop("Start date moved by plan version %(version)s: %(text)s"),
    gettext_noop("Course ended (progression)"),
    gettext_noop("Course ended (progression): %(text)s"),
    gettext_noop("Course ended (intolerance)"),
    gettext_noop("Course ended (intolerance): %(text)s"),
    gettext_noop("Course ended (completed)"),
    gettext_noop("Course ended (completed): %(text)s"),
    gettext_noop("Course ended (other)"),
    gettext_noop("Course ended (other): %(text)s"),
    gettext_noop("Measured at the release of cycle %(cycle)s"),
    gettext_noop("Cycle %(cycle)s released"),
    gettext_noop("Cycle %(cycle)s released: %(text)s"),
    gettext_noop("Cycle %(cycle)s held by the pre-cycle criteria: %(text)s"),
    gettext_noop("Old or missing blood tests acknowledged (%(labs)s): %(text)s"),
    gettext_noop("Weight %(number_old)s kg → %(number_new)s kg (%(number_pct)s %%, limit %(number_limit)s %%) at "
                 "the release of cycle %(cycle)s: doses recomputed, to be verified again"),
    gettext_noop("Weight %(number_old)s kg → %(number_new)s kg (%(number_pct)s %%, limit %(number_limit)s %%) at "
                 "the release of cycle %(cycle)s: doses recomputed, to be verified again: %(text)s"),
    gettext_noop("Dose reduced: %(drug)s %(number_before)s → %(number_after)s %(unit)s from cycle %(cycle)s (dose "
                 "level %(level)s): %(text)s"),
    gettext_noop("Drug stopped: %(drug)s from cycle %(cycle)s: %(text)s"),
    gettext_noop("Dose held: %(drug)s cycle %(cycle)s day %(day)s: %(text)s"),
    gettext_noop("Cycle delayed: cycle %(cycle)s by %(days)s days (the following dates move): %(text)s"),
    gettext_noop("Second nurse confirmed: %(drug)s cycle %(cycle)s day %(day)s, %(outcome)s"),
    gettext_noop("Progression confirmed from the lab series (proposal %(proposal)s)"),
    gettext_noop("Progression confirmed from the lab series (proposal %(proposal)s): %(text)s"),
    # a protocol version's (regimens/actions.py, regimens/loader.py; ``code`` a user name or a file name)
    gettext_noop("new draft"),
    gettext_noop("new draft from version %(version)s: %(text)s"),
    gettext_noop("loaded from %(code)s"),
    gettext_noop("activated by %(code)s"),
    gettext_noop("retired: version %(version)s activated by %(code)s"),
    gettext_noop("retired by %(code)s: %(text)s"),
)
_GROUPS = {"text": r".*", "drug": r".+?", "code": r"\S+", "unit": r"\S+", "outcome": r"\w+", "labs": r"[^()]+"}


def template_pattern(template):
    """The stored English text a template matches, its placeholders as named groups."""
    pattern = ""
    for literal, name in re.findall(r"(.*?)(?:%\((\w+)\)s|$)", template.replace("%%", "%"), re.S):
        pattern += re.escape(literal).replace("→", "(?:->|→)")
        if name:
            group = r"[\d.]+" if name.startswith("number_") else _GROUPS.get(name, r"\d+")
            pattern += f"(?P<{name}>{group})"
    return re.compile(pattern, re.S)


_PATTERNS = [(template_pattern(template), template) for template in TEMPLATES]

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
    if name == "labs":  # the analytes' English names, comma-separated
        return ", ".join(gettext(label) for label in value.split(", "))
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
