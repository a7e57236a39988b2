"""The words the engine's messages name as parameters (``guidelines.messages.Term``), and how sentences
and lists of messages are joined.

A ``Term`` is translated by the web layer (``core.messages``): its word is an English msgid, so each word a
rule may pass is written here inside ``gettext_noop`` for ``makemessages`` to find, with its Norwegian form
in the catalogue (lenalidomid, deksametason, …). Drug names are the contract's (guidelines.facts.DRUGS); a
drug that opens a sentence («Elotuzumab, pomalidomide, dexamethasone») takes its capitalised form. A
protocol's status (draft, active, retired), the diagnosis codes (shared/contract/api-v1.md) and the IMWG
response categories are terms too, so that a sentence naming one reads as a word in Norwegian, not as the
API's code.

A word the catalogue does not hold (a free-text drug of a recorded line) is still a ``Term``: it prints as
written in every language.
"""

from guidelines.messages import Message, Term, gettext_noop, msg

DRUG_WORDS = (
    (gettext_noop("bortezomib"), gettext_noop("Bortezomib")),
    (gettext_noop("lenalidomide"), gettext_noop("Lenalidomide")),
    (gettext_noop("dexamethasone"), gettext_noop("Dexamethasone")),
    (gettext_noop("daratumumab"), gettext_noop("Daratumumab")),
    (gettext_noop("isatuximab"), gettext_noop("Isatuximab")),
    (gettext_noop("carfilzomib"), gettext_noop("Carfilzomib")),
    (gettext_noop("pomalidomide"), gettext_noop("Pomalidomide")),
    (gettext_noop("cyclophosphamide"), gettext_noop("Cyclophosphamide")),
    (gettext_noop("belantamab mafodotin"), gettext_noop("Belantamab mafodotin")),
    (gettext_noop("melphalan"), gettext_noop("Melphalan")),
    (gettext_noop("mesna"), gettext_noop("Mesna")),
    (gettext_noop("filgrastim"), gettext_noop("Filgrastim")),
    (gettext_noop("teclistamab"), gettext_noop("Teclistamab")),
    (gettext_noop("elranatamab"), gettext_noop("Elranatamab")),
    (gettext_noop("talquetamab"), gettext_noop("Talquetamab")),
    (gettext_noop("venetoclax"), gettext_noop("Venetoclax")),
    (gettext_noop("elotuzumab"), gettext_noop("Elotuzumab")),
    (gettext_noop("thalidomide"), gettext_noop("Thalidomide")),
    (gettext_noop("ixazomib"), gettext_noop("Ixazomib")),
    (gettext_noop("bendamustine"), gettext_noop("Bendamustine")),
)
CAPITALISED = dict(DRUG_WORDS)

# Diagnosis codes (guidelines.diagnosis.Code) and IMWG response categories (guidelines.facts.Response).
CODE_WORDS = (
    gettext_noop("ACTIVE_MYELOMA"), gettext_noop("SMOLDERING_MYELOMA"), gettext_noop("MGUS"),
    gettext_noop("SOLITARY_PLASMACYTOMA"), gettext_noop("PLASMA_CELL_LEUKEMIA"), gettext_noop("POEMS"),
    gettext_noop("NO_PLASMA_CELL_DISORDER"), gettext_noop("INSUFFICIENT_DATA"),
    gettext_noop("MRD_NEGATIVE_CR"), gettext_noop("SCR"), gettext_noop("CR"), gettext_noop("VGPR"), gettext_noop("PR"),
    gettext_noop("MR"), gettext_noop("SD"), gettext_noop("PD"), gettext_noop("NOT_EVALUABLE"),
)

# A protocol version's status (regimens: draft / active / retired).
STATUS_WORDS = (gettext_noop("draft"), gettext_noop("active"), gettext_noop("retired"))

WORDS = frozenset(w for pair in DRUG_WORDS for w in pair) | frozenset(CODE_WORDS) | frozenset(STATUS_WORDS)


def drug(name: str) -> Term:
    """A drug named inside a sentence (the contract's name, lower case)."""
    return Term(str(name))


def drugs(names) -> list[Term]:
    """Drugs named as a list inside a sentence (printed joined by commas)."""
    return [drug(n) for n in names]


def leading_drugs(names) -> list[Term]:
    """Drugs that open a sentence: the first one capitalised."""
    terms = drugs(names)
    if terms:
        first = terms[0].word
        terms[0] = Term(CAPITALISED.get(first, first[:1].upper() + first[1:]))
    return terms


def code(value) -> Term:
    """A diagnosis code or a response category named inside a sentence."""
    return Term(str(value))


def sentences(first, *rest) -> Message:
    """Messages written one after the other, as sentences of one text («A. B.»)."""
    if not rest:
        return first if isinstance(first, Message) else msg("join.one", gettext_noop("%(text)s"), text=first)
    return msg("join.sentences", gettext_noop("%(first)s %(rest)s"), first=first, rest=sentences(*rest))


def semicolons(items) -> Message:
    """Messages listed with semicolons («a; b; c»): for items that contain commas themselves."""
    first, *rest = items
    if not rest:
        return first if isinstance(first, Message) else msg("join.one", gettext_noop("%(text)s"), text=first)
    return msg("join.semicolons", gettext_noop("%(first)s; %(rest)s"), first=first, rest=semicolons(rest))
