"""Follow-up of MGUS, smouldering myeloma and plasmacytomas after treatment.

Source: Handlingsprogram for myelomatose, "Oppfølging av MGUS, ulmende myelomatose og
plasmacytomer".
"""

from dataclasses import dataclass

from guidelines.facts import PatientFacts, Plasmacytoma
from guidelines.history import HistoryReading, read_history
from guidelines.messages import Message, Quantity, gettext_noop, msg
from guidelines.rules import dec
from guidelines.sources import Ambiguity, Citation, ambiguity, myeloma

SECTION = "Oppfølging av MGUS, ulmende myelomatose og plasmacytomer"
CITE_MGUS = myeloma(SECTION, "MGUS")
CITE_SMM_PC = myeloma(SECTION, "Plasmacytomer etter behandling og ulmende myelomatose")

M_PROTEIN_RISE_G_L = 5
INVOLVED_FLC_RISE_MG_L = 100

MGUS_TESTS = (
    msg("followup.test_hb", gettext_noop("Hb")),
    msg("followup.test_creatinine", gettext_noop("creatinine")),
    msg("followup.test_calcium", gettext_noop("calcium")),
    msg("followup.test_nt_probnp", gettext_noop("NT-proBNP")),
    msg("followup.test_alp", gettext_noop("ALP")),
    msg("followup.test_serum_electrophoresis", gettext_noop("serum electrophoresis")),
    msg("followup.test_free_light_chains", gettext_noop("free light chains")),
    msg("followup.test_urine_albumin_creatinine_ratio", gettext_noop("urine albumin/creatinine ratio")),
)
STANDARD_TESTS = (msg("followup.standard_tests", gettext_noop("standard blood and urine tests")),)
RISE_TRIGGERS = (
    msg("followup.m_component_rise", gettext_noop("M-component rise of 5 g/L")),
    msg("followup.involved_light_chain_rise", gettext_noop("rise of the involved light chain of > 100 mg/L")),
)
HAEMATOLOGY_CLINIC = msg("followup.haematology_clinic", gettext_noop("haematology outpatient clinic"))
EVERY_3_MONTHS = msg("followup.every_3_months", gettext_noop("every 3 months"))


@dataclass(frozen=True)
class FollowUp:
    """A follow-up plan: where, how often, which tests and imaging, and what triggers
    re-referral or a change of plan. Every text is a message (guidelines.messages)."""

    condition: Message
    place: Message
    interval: Message
    tests: tuple[Message, ...]
    imaging: tuple[Message, ...]
    triggers: tuple[Message, ...]
    notes: tuple[Message, ...] = ()
    missing: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    ambiguities: tuple[Ambiguity, ...] = ()


RISE_AMBIGUITY = ambiguity("followup.rise_interpretation")


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
            condition=msg("followup.mgus", gettext_noop("MGUS")),
            place=msg("followup.general_practitioner", gettext_noop(
                "general practitioner (the haematologist describes what to watch for and which tests to take)")),
            interval=msg("followup.after_6_months_then_yearly", gettext_noop("after 6 months, then yearly")),
            tests=MGUS_TESTS,
            imaging=(msg("followup.low_threshold_radiology", gettext_noop(
                "low threshold for radiological examinations")),),
            triggers=tuple(msg("followup.re_referral", gettext_noop("re-referral: %(trigger)s"), trigger=t)
                           for t in RISE_TRIGGERS),
            notes=(msg("followup.al_amyloidosis", gettext_noop(
                "Remember symptoms and findings suggesting AL amyloidosis, most importantly albuminuria and raised "
                "NT-proBNP.")),),
            citations=(CITE_MGUS,), ambiguities=(RISE_AMBIGUITY,),
        )
    if diagnosis_code == "SMOLDERING_MYELOMA":
        lesions = facts.imaging.mri_focal_lesions
        common = dict(condition=msg("followup.smouldering_myeloma", gettext_noop("smouldering myeloma")),
                      place=HAEMATOLOGY_CLINIC, interval=EVERY_3_MONTHS, tests=STANDARD_TESTS,
                      citations=(CITE_SMM_PC,))
        if lesions is None:
            return FollowUp(**common, imaging=(), triggers=(), missing=("imaging.mri_focal_lesions",),
                            notes=(msg("followup.imaging_depends_on_mri", gettext_noop(
                                "Imaging plan depends on the number of whole-body MRI lesions (none or one).")),))
        if lesions == 1:
            return FollowUp(**common, imaging=(msg("followup.mri_ct_alternating", gettext_noop(
                "alternating whole-body MRI and CT skeleton every 6 months")),), triggers=(),
                notes=(msg("followup.smouldering_one_mri_lesion", gettext_noop(
                    "Smouldering myeloma with one MRI lesion.")),))
        if lesions == 0:
            return FollowUp(
                **common, imaging=(msg("followup.mri_yearly", gettext_noop(
                    "whole-body MRI yearly; may stop after 5 years if stable, then follow as MGUS")),),
                triggers=tuple(msg("followup.resume_mri", gettext_noop("resume MRI: %(trigger)s"), trigger=t)
                               for t in RISE_TRIGGERS),
                notes=(msg("followup.smouldering_no_mri_lesions", gettext_noop(
                    "Smouldering myeloma without MRI lesions.")),), ambiguities=(RISE_AMBIGUITY,),
            )
        return None  # ≥ 2 focal lesions is a defining event (M): not smouldering myeloma
    if diagnosis_code == "SOLITARY_PLASMACYTOMA" and after_treatment:
        return _plasmacytoma_after_treatment(facts.imaging.plasmacytoma)
    return None


def _plasmacytoma_after_treatment(kind):
    """Plasmacytoma after treatment: every 3 months, yearly imaging for 5 years by the kind of lesion (both
    named when the kind is no longer on record, e.g. after radiotherapy)."""
    if kind == Plasmacytoma.EXTRAMEDULLARY:
        imaging = (msg("followup.pet_ct_yearly", gettext_noop("FDG-PET/CT yearly for 5 years")),)
        label = msg("followup.extramedullary_after_treatment", gettext_noop(
            "solitary plasmacytoma (extramedullary) after treatment"))
    elif kind == Plasmacytoma.BONE:
        imaging = (msg("followup.mri_yearly_5_years", gettext_noop("whole-body MRI yearly for 5 years")),)
        label = msg("followup.bone_after_treatment", gettext_noop("solitary plasmacytoma (bone) after treatment"))
    else:
        imaging = (msg("followup.mri_yearly_5_years_bone", gettext_noop(
                       "whole-body MRI yearly for 5 years (plasmacytoma of bone)")),
                   msg("followup.pet_ct_yearly_extramedullary", gettext_noop(
                       "FDG-PET/CT yearly for 5 years (extramedullary plasmacytoma)")))
        label = msg("followup.after_radiotherapy", gettext_noop("solitary plasmacytoma after radiotherapy"))
    return FollowUp(
        condition=label, place=HAEMATOLOGY_CLINIC,
        interval=EVERY_3_MONTHS, tests=STANDARD_TESTS, imaging=imaging, triggers=(), citations=(CITE_SMM_PC,),
    )


def rise_triggers(
    *, start_m_g_l: float | None, current_m_g_l: float | None,
    start_involved_flc_mg_l: float | None, current_involved_flc_mg_l: float | None,
) -> tuple[Message, ...]:
    """The rises that trigger re-referral (MGUS) or resumed MRI (smouldering without MRI lesions):
    «økning på 5g/l M-komponent eller økning i involvert lettkjede på >100mg/l»
    (Handlingsprogram, Oppfølging av MGUS, ulmende myelomatose og plasmacytomer)."""
    found = []
    if start_m_g_l is not None and current_m_g_l is not None:
        rise = dec(current_m_g_l) - dec(start_m_g_l)
        if rise >= M_PROTEIN_RISE_G_L:
            found.append(msg("followup.m_component_rose", gettext_noop(
                "M-component %(start)s → %(current)s g/L: rise %(rise)s g/L ≥ 5"), start=Quantity(start_m_g_l),
                current=Quantity(current_m_g_l), rise=Quantity(rise)))
    if start_involved_flc_mg_l is not None and current_involved_flc_mg_l is not None:
        rise = dec(current_involved_flc_mg_l) - dec(start_involved_flc_mg_l)
        if rise > INVOLVED_FLC_RISE_MG_L:
            found.append(msg("followup.involved_light_chain_rose", gettext_noop(
                "involved light chain %(start)s → %(current)s mg/L: rise %(rise)s mg/L > 100"),
                start=Quantity(start_involved_flc_mg_l), current=Quantity(current_involved_flc_mg_l),
                rise=Quantity(rise)))
    return tuple(found)
