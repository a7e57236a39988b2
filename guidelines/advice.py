"""Output types of the treatment and supportive-care rules (guidelines.treatment,
guidelines.supportive), shared by the evaluate orchestrator and the API.

``setting`` values are the contract's codes (shared/contract/api-v1.md):
OBSERVE, FIRST_LINE_TRANSPLANT, FIRST_LINE_NON_TRANSPLANT, PLASMA_CELL_LEUKEMIA,
RELAPSE_LINE_2, RELAPSE_LINE_3, RELAPSE_LINE_4, RELAPSE_LINE_5_PLUS,
SOLITARY_PLASMACYTOMA_RADIOTHERAPY, POEMS_RADIOTHERAPY, POEMS_SYSTEMIC, NONE.

Every text (a note, a reason, a supportive-care item) is a message (guidelines.messages): the English
sentence with its code and parameters, which the web layer writes in the reader's language.
"""

from dataclasses import dataclass
from datetime import date

from guidelines.messages import Message
from guidelines.sources import Ambiguity, Citation


@dataclass(frozen=True)
class Option:
    """One recommended regimen. ``regimen`` is a contract regimen code where the
    guideline gives a dosing table or names a library regimen, else a short
    descriptive code (e.g. "radiotherapy-2Gy-x20"). Options of equal standing
    share a rank; rank 1 first."""

    regimen: str
    rank: int
    note: Message
    citation: Citation
    awaiting_reimbursement: bool = False


@dataclass(frozen=True)
class TreatmentAdvice:
    setting: str
    options: tuple[Option, ...] = ()
    notes: tuple[Message, ...] = ()
    reasons: tuple[Message, ...] = ()
    missing: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    ambiguities: tuple[Ambiguity, ...] = ()


SUPPORTIVE_CATEGORIES = ("thrombosis", "bone", "vaccine", "infection", "hypercalcaemia", "anaemia")


@dataclass(frozen=True)
class SupportiveItem:
    """One supportive-care measure (prophylaxis, vaccine, bone protection, ...).

    ``topic`` is the contract v1.1 ``category`` (exactly one of SUPPORTIVE_CATEGORIES); ``due_date`` the date
    the guideline puts on the measure when it dates it from an event (HMAS reinfusion, start of a bispecific),
    None when the guideline gives no date or the event's date is not known."""

    topic: str  # one of SUPPORTIVE_CATEGORIES
    text: Message
    citation: Citation
    reasons: tuple[Message, ...] = ()
    due_date: date | None = None

    @property
    def category(self) -> str:
        """Contract v1.1 ``supportive_care[].category``: the topic's code."""
        return self.topic
