"""What the chapters of «Behandling» share: the contract's codes, the guideline's section headings and the
builder of one TreatmentAdvice.

Source: Handlingsprogram for myelomatose 1.2, chapter "Behandling"; codes from shared/contract/api-v1.md.
"""

from collections.abc import Collection
from decimal import ROUND_HALF_UP, Decimal

from guidelines.advice import Option, TreatmentAdvice
from guidelines.diagnosis import Code
from guidelines.messages import Message, Quantity, gettext_noop, msg
from guidelines.quantities import DECIMALS
from guidelines.rules import dec
from guidelines.sources import Ambiguity, Citation

# Diagnosis codes (shared/contract/api-v1.md, diagnosis.code), as the diagnosis rules define them.
ACTIVE_MYELOMA = Code.ACTIVE_MYELOMA.value
SMOLDERING_MYELOMA = Code.SMOLDERING_MYELOMA.value
MGUS = Code.MGUS.value
SOLITARY_PLASMACYTOMA = Code.SOLITARY_PLASMACYTOMA.value
PLASMA_CELL_LEUKEMIA = Code.PLASMA_CELL_LEUKEMIA.value
POEMS = Code.POEMS.value
NO_PLASMA_CELL_DISORDER = Code.NO_PLASMA_CELL_DISORDER.value
INSUFFICIENT_DATA = Code.INSUFFICIENT_DATA.value
DIAGNOSIS_CODES = tuple(code.value for code in Code)

# Treatment setting codes (shared/contract/api-v1.md, treatment.setting).
OBSERVE = "OBSERVE"
FIRST_LINE_TRANSPLANT = "FIRST_LINE_TRANSPLANT"
FIRST_LINE_NON_TRANSPLANT = "FIRST_LINE_NON_TRANSPLANT"
PLASMA_CELL_LEUKEMIA_SETTING = "PLASMA_CELL_LEUKEMIA"
RELAPSE_LINE_2 = "RELAPSE_LINE_2"
RELAPSE_LINE_3 = "RELAPSE_LINE_3"
RELAPSE_LINE_4 = "RELAPSE_LINE_4"
RELAPSE_LINE_5_PLUS = "RELAPSE_LINE_5_PLUS"
SOLITARY_PLASMACYTOMA_RADIOTHERAPY = "SOLITARY_PLASMACYTOMA_RADIOTHERAPY"
POEMS_RADIOTHERAPY = "POEMS_RADIOTHERAPY"
POEMS_SYSTEMIC = "POEMS_SYSTEMIC"
NONE = "NONE"
SETTINGS = (
    OBSERVE, FIRST_LINE_TRANSPLANT, FIRST_LINE_NON_TRANSPLANT, PLASMA_CELL_LEUKEMIA_SETTING, RELAPSE_LINE_2,
    RELAPSE_LINE_3, RELAPSE_LINE_4, RELAPSE_LINE_5_PLUS, SOLITARY_PLASMACYTOMA_RADIOTHERAPY, POEMS_RADIOTHERAPY,
    POEMS_SYSTEMIC, NONE,
)
RELAPSE_SETTINGS = frozenset({RELAPSE_LINE_2, RELAPSE_LINE_3, RELAPSE_LINE_4, RELAPSE_LINE_5_PLUS})

# Section headings of the seed, verbatim.
S_FOLLOW_UP = "Oppfølging av MGUS, ulmende myelomatose og plasmacytomer"
S_FIRST_LINE = "Førstegangsbehandling av myelomatose"
S_HMAS = "Pasienter som er kandidater for HMAS (<70 år)"
S_NON_HMAS = "Pasienter som ikke er kandidater for HMAS (> ca. 70 år)"
S_RENAL = "Behandling ved nyresvikt"
S_PCL = "Plasmacelleleukemi"
S_ALLO = "Allogen stamcelletransplantasjon"
S_RELAPSE = "Behandling av tilbakefall"
S_LINE2 = "Andrelinjebehandling"
S_LINE3 = "Tredjelinjebehandling"
S_LINE4 = "Fjerdelinjebehandling"
S_LINE5 = "Behandling fra 5.linje"
S_PRIMARY_REFRACTORY = "Primært refraktær sykdom"
S_CART = "Behandling med kimær antigen-reseptor T-celle (CAR-T) behandling"
S_RADIOTHERAPY = "Strålebehandling"
S_RESPONSE = "Vurdering av behandlingsrespons og kontroll"


def line_label(line) -> Message:
    """«line 2 (DRd)»: a recorded treatment line (guidelines.history.LineReading) by number and regimen."""
    return msg("treatment.line_label", gettext_noop("line %(number)s (%(regimen)s)"), number=line.number,
               regimen=line.line.regimen)


def beside(value: float, threshold: float, *, unit: str = "", kind: str = "egfr") -> Quantity:
    """A derived value written beside the threshold it is compared with («eGFR 29.6 < 30»): at its kind's
    precision (guidelines.quantities), unless that rounding would show it on the other side of the threshold
    or on it (eGFR 29.6 as «30 < 30»); then with as many more decimals as keep it on its own side. The rule
    compares the exact value; the text must not contradict it."""
    exact, limit = dec(value), dec(threshold)
    places = DECIMALS[kind]
    if places is None:
        return Quantity(value, unit, kind)

    def side(x: Decimal) -> int:
        return (x > limit) - (x < limit)

    for extra in range(0, 7):
        shown = exact.quantize(Decimal(1).scaleb(-(places + extra)), rounding=ROUND_HALF_UP)
        if side(shown) == side(exact):
            return Quantity(value, unit, kind) if extra == 0 else Quantity(shown, unit)
    return Quantity(value, unit)


class Builder:
    """Collects the parts of one TreatmentAdvice. ``named`` are the regimen codes the chapter may recommend
    (its REGIMENS and DESCRIPTIVE codes): an option outside them is a programming error, so the chapters'
    registries — which tests/guidelines/test_library_guard.py checks against the protocol library — cannot
    fall behind the rules."""

    def __init__(self, setting: str, named: Collection[str] = ()):
        self.setting = setting
        self.named = named
        self.options: list[Option] = []
        self.notes: list[Message] = []
        self.reasons: list[Message] = []
        self.missing: list[str] = []
        self.citations: list[Citation] = []
        self.ambiguities: list[Ambiguity] = []

    def cite(self, citation: Citation) -> None:
        if citation not in self.citations:
            self.citations.append(citation)

    def option(self, regimen: str, rank: int, note: Message, citation: Citation, awaiting_reimbursement: bool = False):
        if regimen not in self.named:
            raise ValueError(f"{regimen}: not a regimen code this chapter names (its REGIMENS or DESCRIPTIVE)")
        self.options.append(Option(regimen, rank, note, citation, awaiting_reimbursement))
        self.cite(citation)

    def lack(self, path: str) -> None:
        if path not in self.missing:
            self.missing.append(path)

    def ambiguous(self, citation: Citation, source_text: str, interpretation: Message) -> None:
        """``source_text`` is the seed's own words (shown as written), ``interpretation`` the app's reading."""
        self.ambiguities.append(Ambiguity(citation, source_text, interpretation))
        self.cite(citation)

    def build(self) -> TreatmentAdvice:
        return TreatmentAdvice(
            setting=self.setting,
            options=tuple(sorted(self.options, key=lambda o: o.rank)),
            notes=tuple(self.notes),
            reasons=tuple(self.reasons),
            missing=tuple(self.missing),
            citations=tuple(self.citations),
            ambiguities=tuple(self.ambiguities),
        )
