"""Small building blocks shared by the assessment rules (diagnosis, workup, staging,
response, POEMS): a tri-state finding and exact decimal comparison.

A criterion is met (True), not met (False) or cannot be decided (None) because a
fact is unknown; an undecided criterion names the facts it lacks as JSON paths of
the API request, so the caller lists them in ``missing`` instead of guessing.

Thresholds are compared in decimal arithmetic on the numbers as written, so that
"2.60 + 0.25" is exactly 2.85 and a value on a boundary falls on the side the
guideline's sign says, not on the side a binary rounding error puts it.
"""

from dataclasses import dataclass
from decimal import Decimal

from guidelines.messages import Message, gettext_noop, msg


@dataclass(frozen=True)
class Finding:
    """One criterion for one patient: met / not met / unknown, with the working."""

    met: bool | None
    reason: Message | str
    missing: tuple[str, ...] = ()


def dec(value: float | int) -> Decimal:
    """The number as written (shortest repr), as an exact Decimal."""
    return Decimal(repr(value))


def fmt(value: float | int) -> str:
    """A number for a reason text, as given (no rounding of inputs)."""
    return format(dec(value).normalize(), "f")


def dedupe(items):
    """Items in first-seen order without repeats."""
    return tuple(dict.fromkeys(items))



def joined(items, separator: str = "; "):
    """Sentences joined with ``separator`` ("; " or " + ") as one message (each part keeps its own code and is
    translated on its own); one item is returned as it is, none gives ""."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    rest = joined(items[1:], separator)
    if separator == "; ":
        return msg("rules.join_semicolon", gettext_noop("%(first)s; %(rest)s"), first=items[0], rest=rest)
    if separator == " + ":
        return msg("rules.join_plus", gettext_noop("%(first)s + %(rest)s"), first=items[0], rest=rest)
    raise ValueError(f"no message joins with {separator!r}")


# Words the diagnosis, staging, workup, POEMS, response and history rules pass as ``Term`` (the reader's
# language names them), marked here so that makemessages finds them: free light chains, the parameters of
# response, the drugs of the treatment history (guidelines.facts.DRUGS). Other Term words (bone,
# extramedullary, fit, male, unknown, the endocrinopathies …) are already in the catalogue.
TERMS = (
    gettext_noop("kappa"), gettext_noop("lambda"), gettext_noop("serum"), gettext_noop("urine"), gettext_noop("flc"),
    gettext_noop("percentage points"),
    gettext_noop("bortezomib"), gettext_noop("lenalidomide"), gettext_noop("dexamethasone"),
    gettext_noop("daratumumab"), gettext_noop("isatuximab"), gettext_noop("carfilzomib"), gettext_noop("pomalidomide"),
    gettext_noop("cyclophosphamide"), gettext_noop("belantamab mafodotin"), gettext_noop("melphalan"),
    gettext_noop("mesna"), gettext_noop("filgrastim"), gettext_noop("teclistamab"), gettext_noop("elranatamab"),
    gettext_noop("talquetamab"), gettext_noop("venetoclax"), gettext_noop("elotuzumab"), gettext_noop("thalidomide"),
    gettext_noop("ixazomib"), gettext_noop("bendamustine"),
)
