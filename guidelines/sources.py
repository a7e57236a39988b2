"""The two source documents and how the app cites them.

Section names are the guidelines' own headings, so a clinician can find the
text. See ../shared/seeds/README.md for the documents and their known defects.
"""

from dataclasses import dataclass

MYELOMA = "myeloma"
POEMS = "poems"

DOCUMENTS = {
    MYELOMA: "Handlingsprogram for myelomatose (Norsk myelomatosegruppe), versjon 1.2, november 2025",
    POEMS: "Klinisk retningslinje: POEMS syndrom (DMSG/DMCG), godkendt december 2023",
}
VERSIONS = {MYELOMA: "1.2 (2025-11)", POEMS: "2023-12"}


@dataclass(frozen=True, order=True)
class Citation:
    """Document + section heading (+ optional table/row) a rule comes from."""

    document: str
    section: str
    detail: str = ""

    def __str__(self):
        base = f"{DOCUMENTS[self.document].split(' (')[0]} — {self.section}"
        return f"{base} ({self.detail})" if self.detail else base


def myeloma(section, detail=""):
    return Citation(MYELOMA, section, detail)


def poems(section, detail=""):
    return Citation(POEMS, section, detail)


@dataclass(frozen=True)
class Ambiguity:
    """A place where the guideline is ambiguous or silent: the source text and the
    interpretation the app uses, shown to the clinician, never applied silently."""

    citation: Citation
    source_text: str
    interpretation: str
