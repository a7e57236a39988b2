"""Follow-up of MGUS, smouldering myeloma and plasmacytomas after treatment.

Source: Handlingsprogram for myelomatose, "Oppfølging av MGUS, ulmende myelomatose og
plasmacytomer".
"""

from dataclasses import dataclass

from guidelines.facts import PatientFacts, Plasmacytoma
from guidelines.history import HistoryReading, read_history
from guidelines.rules import dec, fmt
from guidelines.sources import Ambiguity, Citation, myeloma

SECTION = "Oppfølging av MGUS, ulmende myelomatose og plasmacytomer"
CITE_MGUS = myeloma(SECTION, "MGUS")
CITE_SMM_PC = myeloma(SECTION, "Plasmacytomer etter behandling og ulmende myelomatose")

M_PROTEIN_RISE_G_L = 5
INVOLVED_FLC_RISE_MG_L = 100

MGUS_TESTS = ("Hb", "creatinine", "calcium", "NT-proBNP", "ALP", "serum electrophoresis", "free light chains",
              "urine albumin/creatinine ratio")
STANDARD_TESTS = ("standard blood and urine tests",)
RISE_TRIGGERS = (
    "M-component rise of 5 g/L",
    "rise of the involved light chain of > 100 mg/L",
)
@dataclass(frozen=True)
class FollowUp:
    """A follow-up plan: where, how often, which tests and imaging, and what triggers
    re-referral or a change of plan."""

    condition: str
    place: str
    interval: str
    tests: tuple[str, ...]
    imaging: tuple[str, ...]
    triggers: tuple[str, ...]
    notes: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    ambiguities: tuple[Ambiguity, ...] = ()


RISE_AMBIGUITY = Ambiguity(
    citation=CITE_MGUS,
    source_text="«tilbakehenvisning ved økning på 5g/l M-komponent eller økning i involvert lettkjede på >100mg/l»",
    interpretation="An M-component rise of exactly 5 g/L counts (≥ 5 g/L); the light-chain rise must exceed "
                   "100 mg/L, as written. Rises are measured from the value at the start of follow-up.",
)


def followup(facts: PatientFacts, diagnosis_code: str, *, history: HistoryReading | None = None,
             after_treatment: bool = True) -> FollowUp | None:
    """The follow-up plan for MGUS, smouldering myeloma and solitary plasmacytoma after treatment
    (Handlingsprogram, "Oppfølging av MGUS, ulmende myelomatose og plasmacytomer"); None for
    other diagnoses (active disease is followed by response evaluation). A treated patient is not
    followed as MGUS or smouldering myeloma: those rows describe untreated disease (None).
    ``history`` is evaluate's reading of the treatment history (read here when not given: whether a
    line is systemic needs no protocol library)."""
    history = history if history is not None else read_history(facts)
    if history.lines:
        systemic = history.systemic
        if systemic and diagnosis_code in ("MGUS", "SMOLDERING_MYELOMA"):
            return None
        if not systemic and diagnosis_code in ("MGUS", "NO_PLASMA_CELL_DISORDER", "INSUFFICIENT_DATA"):
            return _plasmacytoma_after_treatment(facts.imaging.plasmacytoma)
    if diagnosis_code == "MGUS":
        return FollowUp(
            condition="MGUS",
            place="general practitioner (the haematologist describes what to watch for and which tests to take)",
            interval="after 6 months, then yearly",
            tests=MGUS_TESTS,
            imaging=("low threshold for radiological examinations",),
            triggers=tuple(f"re-referral: {t}" for t in RISE_TRIGGERS),
            notes=("Remember symptoms and findings suggesting AL amyloidosis, most importantly albuminuria and raised "
                   "NT-proBNP.",),
            citations=(CITE_MGUS,), ambiguities=(RISE_AMBIGUITY,),
        )
    if diagnosis_code == "SMOLDERING_MYELOMA":
        lesions = facts.imaging.mri_focal_lesions
        common = dict(condition="smouldering myeloma", place="haematology outpatient clinic",
                      interval="every 3 months", tests=STANDARD_TESTS, citations=(CITE_SMM_PC,))
        if lesions is None:
            return FollowUp(**common, imaging=(), triggers=(), missing=("imaging.mri_focal_lesions",),
                            notes=("Imaging plan depends on the number of whole-body MRI lesions (none or one).",))
        if lesions == 1:
            return FollowUp(**common, imaging=("alternating whole-body MRI and CT skeleton every 6 months",),
                            triggers=(), notes=("Smouldering myeloma with one MRI lesion.",))
        if lesions == 0:
            return FollowUp(
                **common, imaging=("whole-body MRI yearly; may stop after 5 years if stable, then follow as MGUS",),
                triggers=tuple(f"resume MRI: {t}" for t in RISE_TRIGGERS),
                notes=("Smouldering myeloma without MRI lesions.",), ambiguities=(RISE_AMBIGUITY,),
            )
        return None  # ≥ 2 focal lesions is a defining event (M): not smouldering myeloma
    if diagnosis_code == "SOLITARY_PLASMACYTOMA" and after_treatment:
        return _plasmacytoma_after_treatment(facts.imaging.plasmacytoma)
    return None


def _plasmacytoma_after_treatment(kind):
    """Plasmacytoma after treatment: every 3 months, yearly imaging for 5 years by the kind of lesion (both
    named when the kind is no longer on record, e.g. after radiotherapy)."""
    imaging = {
        Plasmacytoma.EXTRAMEDULLARY: ("FDG-PET/CT yearly for 5 years",),
        Plasmacytoma.BONE: ("whole-body MRI yearly for 5 years",),
    }.get(kind, ("whole-body MRI yearly for 5 years (plasmacytoma of bone)",
                 "FDG-PET/CT yearly for 5 years (extramedullary plasmacytoma)"))
    known = kind in (Plasmacytoma.BONE, Plasmacytoma.EXTRAMEDULLARY)
    label = f"solitary plasmacytoma ({kind}) after treatment" if known else "solitary plasmacytoma after radiotherapy"
    return FollowUp(
        condition=label, place="haematology outpatient clinic",
        interval="every 3 months", tests=STANDARD_TESTS, imaging=imaging, triggers=(), citations=(CITE_SMM_PC,),
    )


def rise_triggers(
    *, start_m_g_l: float | None, current_m_g_l: float | None,
    start_involved_flc_mg_l: float | None, current_involved_flc_mg_l: float | None,
) -> tuple[str, ...]:
    """The rises that trigger re-referral (MGUS) or resumed MRI (smouldering without MRI lesions):
    «økning på 5g/l M-komponent eller økning i involvert lettkjede på >100mg/l»
    (Handlingsprogram, Oppfølging av MGUS, ulmende myelomatose og plasmacytomer)."""
    found = []
    if start_m_g_l is not None and current_m_g_l is not None:
        rise = dec(current_m_g_l) - dec(start_m_g_l)
        if rise >= M_PROTEIN_RISE_G_L:
            found.append(f"M-component {fmt(start_m_g_l)} → {fmt(current_m_g_l)} g/L: rise {rise} g/L ≥ 5")
    if start_involved_flc_mg_l is not None and current_involved_flc_mg_l is not None:
        rise = dec(current_involved_flc_mg_l) - dec(start_involved_flc_mg_l)
        if rise > INVOLVED_FLC_RISE_MG_L:
            found.append(f"involved light chain {fmt(start_involved_flc_mg_l)} → {fmt(current_involved_flc_mg_l)} "
                         f"mg/L: rise {rise} mg/L > 100")
    return tuple(found)
