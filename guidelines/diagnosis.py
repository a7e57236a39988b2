"""Diagnosis of a plasma cell disorder from one patient's facts.

Source: Handlingsprogram for myelomatose, "Diagnostiske kriterier" (the table of
definitions: behandlingskrevende myelomatose with the myeloma-defining events CRAB +
SLiM, ulmende myelomatose, MGUS, solitært plasmacytom, plasmacelleleukemi) and its
subsection "Avgrensing mot andre relevante sykdommer" (Mb Waldenström, AL amyloidose);
POEMS from the Danish guideline (see ``guidelines.poems``).
"""

from dataclasses import dataclass, replace
from enum import StrEnum

from guidelines import poems as poems_rules
from guidelines.facts import Isotype, PatientFacts, Plasmacytoma, part_of_a_line, radiotherapy_only
from guidelines.labs import egfr, free_light_chains
from guidelines.regimen_drugs import REGIMEN_DRUGS
from guidelines.rules import Finding, dec, dedupe, fmt
from guidelines.sources import Ambiguity, Citation, myeloma
from guidelines.workup import LOW_RISK, screening_tier


class Code(StrEnum):
    ACTIVE_MYELOMA = "ACTIVE_MYELOMA"
    SMOLDERING_MYELOMA = "SMOLDERING_MYELOMA"
    MGUS = "MGUS"
    SOLITARY_PLASMACYTOMA = "SOLITARY_PLASMACYTOMA"
    PLASMA_CELL_LEUKEMIA = "PLASMA_CELL_LEUKEMIA"
    POEMS = "POEMS"
    NO_PLASMA_CELL_DISORDER = "NO_PLASMA_CELL_DISORDER"
    INSUFFICIENT_DATA = "INSUFFICIENT_DATA"


SECTION = "Diagnostiske kriterier"
CITE = myeloma(SECTION)
CITE_DIFFERENTIAL = myeloma(SECTION, "Avgrensing mot andre relevante sykdommer")
EVENTS = ("C", "R", "A", "B", "S", "Li", "M")

FLC_RATIO_LOW = dec(0.26)
FLC_RATIO_HIGH = dec(1.65)

AL_AMYLOIDOSIS_NOTE = (
    "AL amyloidosis: patients with MGUS or myeloma are worked up and followed with NT-proBNP, ALP, INR and "
    "urine albumin to detect concurrent AL amyloidosis (see the separate action programme)."
)
WALDENSTROM_NOTE = (
    "IgM M-component: distinguish IgM myeloma from Waldenström's macroglobulinaemia — the MYD88 L265P mutation "
    "is present only in Waldenström; chromosome-14 translocations and osteolytic lesions only in myeloma "
    "(t(11;14) is the most common in IgM myeloma). If none of these is present, rely on the pathologist's "
    "assessment; CD20-positive clonal plasma cells give theoretical support for CD20 antibodies."
)
ANAEMIA_AMBIGUITY = Ambiguity(
    citation=CITE,
    source_text="A Anemi. «Hb <10 g/dL eller 2 g/dL under laboratoriets referanseområde.»",
    interpretation=(
        "Met when Hb is at least 2 g/dL below the lower reference limit (Hb ≤ lower limit − 2), as the text "
        "reads; IMWG 2014 writes «> 2 g/dL below», which differs only at exactly 2 g/dL."
    ),
)
MRI_LESIONS_AMBIGUITY = Ambiguity(
    citation=CITE,
    source_text=(
        "Solitært plasmacytom: «Solitær lesjon i ben eller bløtvev … CT skjelett og MR helkropp viser ingen "
        "ytterligere lesjoner»"
    ),
    interpretation=(
        "imaging.lytic_lesions and imaging.mri_focal_lesions count lesions other than the biopsied "
        "plasmacytoma; 0 of each means no further lesions."
    ),
)


@dataclass(frozen=True)
class Diagnosis:
    """The diagnosis code with the myeloma-defining events found, the working, the facts
    that were lacking (JSON paths), citations, notes and ambiguities."""

    code: Code
    myeloma_defining_events: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = (CITE,)
    notes: tuple[str, ...] = ()
    ambiguities: tuple[Ambiguity, ...] = ()
    # POEMS only: the myeloma table's verdict when it is active myeloma as well (None otherwise).
    concurrent_myeloma: Code | None = None


# --- the myeloma-defining events (Diagnostiske kriterier, «Myelomatosedefinerende kriterier») ---


def hypercalcaemia(facts: PatientFacts) -> Finding:
    """C: «Albumin-korrigert Ca >0,25 mmol/L over referanseverdi eller > 2,75 mmol/L»
    (Handlingsprogram, Diagnostiske kriterier)."""
    ca = facts.labs.calcium_mmol_l
    if ca is None:
        return Finding(None, "C: albumin-corrected calcium unknown", ("labs.calcium_mmol_l",))
    if dec(ca) > dec(2.75):
        return Finding(True, f"C: albumin-corrected calcium {fmt(ca)} mmol/L > 2.75")
    uln = facts.labs.calcium_upper_limit_mmol_l
    if uln is None:
        return Finding(
            None,
            f"C: calcium {fmt(ca)} mmol/L ≤ 2.75; the upper reference limit is needed for «> 0.25 above the reference»",
            ("labs.calcium_upper_limit_mmol_l",),
        )
    limit = dec(uln) + dec(0.25)
    if dec(ca) > limit:
        return Finding(True, f"C: calcium {fmt(ca)} mmol/L > upper limit {fmt(uln)} + 0.25 = {limit}")
    return Finding(False, f"C: calcium {fmt(ca)} mmol/L ≤ 2.75 and ≤ upper limit {fmt(uln)} + 0.25 = {limit}")


def renal_failure(facts: PatientFacts) -> Finding:
    """R: «Forhøyet kreatinin >177 µmol/L eller eGFR <40 mL/min/1,73m2» (Handlingsprogram,
    Diagnostiske kriterier). eGFR as given, else CKD-EPI 2021 (guidelines.labs)."""
    cr = facts.labs.creatinine_umol_l
    e = egfr(facts)
    if cr is not None and dec(cr) > 177:
        return Finding(True, f"R: creatinine {fmt(cr)} µmol/L > 177")
    if e.value is not None and e.value < 40:
        return Finding(True, f"R: eGFR {e.value:.1f} mL/min/1.73 m² ({e.source}) < 40")
    if cr is None or e.value is None:
        missing = ("labs.creatinine_umol_l",) if cr is None else ()
        return Finding(None, "R: creatinine and eGFR both needed", dedupe(missing + e.missing))
    return Finding(False, f"R: creatinine {fmt(cr)} µmol/L ≤ 177 and eGFR {e.value:.1f} ({e.source}) ≥ 40")


def anaemia(facts: PatientFacts) -> Finding:
    """A: «Hb <10 g/dL eller 2 g/dL under laboratoriets referanseområde» (Handlingsprogram,
    Diagnostiske kriterier); see ANAEMIA_AMBIGUITY for the boundary."""
    hb = facts.labs.hemoglobin_g_dl
    if hb is None:
        return Finding(None, "A: haemoglobin unknown", ("labs.hemoglobin_g_dl",))
    if dec(hb) < 10:
        return Finding(True, f"A: Hb {fmt(hb)} g/dL < 10")
    lower = facts.labs.hemoglobin_lower_limit_g_dl
    if lower is None:
        return Finding(None, f"A: Hb {fmt(hb)} g/dL ≥ 10; the lower reference limit is needed",
                       ("labs.hemoglobin_lower_limit_g_dl",))
    limit = dec(lower) - 2
    if dec(hb) <= limit:
        return Finding(True, f"A: Hb {fmt(hb)} g/dL ≤ lower limit {fmt(lower)} − 2 = {limit}")
    return Finding(False, f"A: Hb {fmt(hb)} g/dL ≥ 10 and > lower limit {fmt(lower)} − 2 = {limit}")


def bone_disease(facts: PatientFacts) -> Finding:
    """B: «En eller flere osteolytiske lesjoner (minst 5 mm) påvist ved lavdose CT eller
    røntgen» (Handlingsprogram, Diagnostiske kriterier)."""
    n = facts.imaging.lytic_lesions
    if n is None:
        return Finding(None, "B: low-dose CT / X-ray of the skeleton not reported", ("imaging.lytic_lesions",))
    if n >= 1:
        return Finding(True, f"B: {n} osteolytic lesion(s) ≥ 5 mm")
    return Finding(False, "B: no osteolytic lesion ≥ 5 mm")


def marrow_60(facts: PatientFacts) -> Finding:
    """S: «≥60 % klonale plasmaceller i beinmargen» (Handlingsprogram, Diagnostiske kriterier)."""
    pct = facts.marrow.clonal_plasma_cells_pct
    if pct is None:
        return Finding(None, "S: bone marrow clonal plasma cells unknown", ("marrow.clonal_plasma_cells_pct",))
    if pct >= 60:
        return Finding(True, f"S: {fmt(pct)} % clonal plasma cells ≥ 60 %")
    return Finding(False, f"S: {fmt(pct)} % clonal plasma cells < 60 %")


def light_chain_ratio_100(facts: PatientFacts) -> Finding:
    """Li: «Forhøyet ratio av frie lette kjeder i serum (kappa/lambda eller lambda/kappa) ≥100,
    forutsatt at konsentrasjonen av den involverte frie lette kjeden er >100 mg/L»
    (Handlingsprogram, Diagnostiske kriterier)."""
    flc = free_light_chains(facts.labs.flc_kappa_mg_l, facts.labs.flc_lambda_mg_l)
    if flc.involved_mg_l is None:
        return Finding(None, "Li: serum free light chains unknown", ("labs.flc_kappa_mg_l", "labs.flc_lambda_mg_l"))
    if dec(flc.involved_mg_l) <= 100:
        return Finding(False, f"Li: involved {flc.involved_chain} {fmt(flc.involved_mg_l)} mg/L is not > 100")
    if flc.uninvolved_mg_l == 0:
        return Finding(True, f"Li: involved {flc.involved_chain} {fmt(flc.involved_mg_l)} mg/L > 100, "
                             "uninvolved 0 mg/L (ratio unbounded, ≥ 100)")
    ratio = dec(flc.involved_mg_l) / dec(flc.uninvolved_mg_l)
    text = (f"Li: involved/uninvolved {fmt(flc.involved_mg_l)}/{fmt(flc.uninvolved_mg_l)} = {ratio:.2f}, "
            f"involved {flc.involved_chain} {fmt(flc.involved_mg_l)} mg/L > 100")
    if ratio >= 100:
        return Finding(True, f"{text}; ratio ≥ 100")
    return Finding(False, f"{text}; ratio < 100")


def mri_lesions(facts: PatientFacts) -> Finding:
    """M: «≥2 fokale lesjoner på MR (minst 5 mm) (MR helkropp)» (Handlingsprogram,
    Diagnostiske kriterier)."""
    n = facts.imaging.mri_focal_lesions
    if n is None:
        return Finding(None, "M: whole-body MRI not reported", ("imaging.mri_focal_lesions",))
    if n >= 2:
        return Finding(True, f"M: {n} focal lesions ≥ 5 mm on whole-body MRI")
    return Finding(False, f"M: {n} focal lesion(s) on whole-body MRI (< 2)")


def defining_events(facts: PatientFacts) -> dict[str, Finding]:
    """All seven myeloma-defining events (CRAB + SLiM), each met / not met / unknown."""
    return {
        "C": hypercalcaemia(facts),
        "R": renal_failure(facts),
        "A": anaemia(facts),
        "B": bone_disease(facts),
        "S": marrow_60(facts),
        "Li": light_chain_ratio_100(facts),
        "M": mri_lesions(facts),
    }


def flc_ratio_abnormal(facts: PatientFacts) -> bool | None:
    """MGUS clonal marker «FLC-ratio <0,26 eller >1,65» (kappa/lambda)."""
    k, lam = facts.labs.flc_kappa_mg_l, facts.labs.flc_lambda_mg_l
    if k is None or lam is None:
        return None
    if lam == 0:
        return k > 0
    ratio = dec(k) / dec(lam)
    return ratio < FLC_RATIO_LOW or ratio > FLC_RATIO_HIGH


# --- classification ---


def _notes(facts: PatientFacts, code: Code) -> tuple[str, ...]:
    notes = []
    if facts.labs.m_protein_isotype == Isotype.IGM:
        notes.append(WALDENSTROM_NOTE)
    if code in (Code.MGUS, Code.SMOLDERING_MYELOMA, Code.ACTIVE_MYELOMA, Code.PLASMA_CELL_LEUKEMIA):
        notes.append(AL_AMYLOIDOSIS_NOTE)
    return tuple(notes)


def _result(facts, code, *, events=(), reasons=(), missing=(), notes=(), ambiguities=(), citations=(CITE,)):
    cites = list(citations)
    all_notes = tuple(notes) + _notes(facts, code)
    if facts.labs.m_protein_isotype == Isotype.IGM or any("AL amyloidosis" in n for n in all_notes):
        cites.append(CITE_DIFFERENTIAL)
    return Diagnosis(
        code=code,
        myeloma_defining_events=tuple(e for e in EVENTS if e in events),
        reasons=tuple(reasons),
        missing=dedupe(missing),
        citations=dedupe(cites),
        notes=all_notes,
        ambiguities=dedupe(ambiguities),
    )


def _solitary_plasmacytoma_notes(kind: Plasmacytoma, marrow: float) -> tuple[str, ...]:
    """Risk of progression within 3 years (Diagnostiske kriterier, Solitært plasmacytom)."""
    if marrow == 0:
        return ("Solitary plasmacytoma without clonal plasma cells in the bone marrow: 10 % risk of progression "
                "to myeloma within 3 years.",)
    if kind == Plasmacytoma.BONE:
        return ("Solitary plasmacytoma of bone with minimal marrow infiltration (< 10 % clonal plasma cells): "
                "60 % risk of myeloma within three years.",)
    return ("Solitary plasmacytoma of soft tissue with minimal marrow infiltration (< 10 % plasma cells): "
            "20 % risk of myeloma within three years.",)


def _clonal_basis(facts: PatientFacts):
    """The clonal basis of active myeloma: «≥10 % klonale plasmaceller i benmarg eller
    biopsiverifisert plasmacytom i bein eller ekstramedullært». Returns (met?, reason, missing)."""
    imaging, marrow = facts.imaging, facts.marrow.clonal_plasma_cells_pct
    pc_kind = imaging.plasmacytoma
    has_pc = pc_kind in (Plasmacytoma.BONE, Plasmacytoma.EXTRAMEDULLARY)
    pc_missing = []
    if pc_kind is None:
        pc_missing.append("imaging.plasmacytoma")
    elif has_pc and imaging.plasmacytoma_biopsy_proven is None:
        pc_missing.append("imaging.plasmacytoma_biopsy_proven")
    if marrow is not None and marrow >= 10:
        return True, f"{fmt(marrow)} % clonal plasma cells in the bone marrow (≥ 10 %)", []
    if has_pc and imaging.plasmacytoma_biopsy_proven is True:
        return True, f"biopsy-proven plasmacytoma ({pc_kind})", []
    if marrow is not None and not pc_missing:
        return False, f"{fmt(marrow)} % clonal plasma cells (< 10 %) and no biopsy-proven plasmacytoma", []
    missing = ([] if marrow is not None else ["marrow.clonal_plasma_cells_pct"]) + pc_missing
    return None, "neither ≥ 10 % clonal marrow plasma cells nor a biopsy-proven plasmacytoma established", missing


PCL_AMBIGUITY = Ambiguity(
    citation=myeloma("Plasmacelleleukemi"),
    source_text="Diagnostiske kriterier: «Plasmacelleleukemi … Plasmaceller >5 % av leukocytter i blod»; "
                "Plasmacelleleukemi: «definert ved plasmacelletall >5 % i blod hos en pasient som oppfyller "
                "kriteriene for myelomatose»",
    interpretation="Plasma cell leukaemia needs both: > 5 % plasma cells in the blood smear and the criteria of "
                   "treatment-requiring myeloma (≥ 10 % clonal marrow plasma cells or a biopsy-proven plasmacytoma, "
                   "and at least one myeloma-defining event). Without them the app reports INSUFFICIENT_DATA.",
)


def classify(facts: PatientFacts) -> Diagnosis:
    """Classify the patient by the table of «Diagnostiske kriterier» (Handlingsprogram).

    Order: plasma cell leukaemia («Plasmaceller >5 % av leukocytter i blod», Fernández de
    Larrea 2021; section Plasmacelleleukemi: «hos en pasient som oppfyller kriteriene for
    myelomatose»), POEMS (Danish guideline, Diagnostiske kriterier), then the myeloma table:
    behandlingskrevende myelomatose = «≥10 % klonale plasmaceller i benmarg eller
    biopsiverifisert plasmacytom i bein eller ekstramedullært og minst ett
    myelomatosedefinerende kriterium»; solitært plasmacytom; ulmende myelomatose; MGUS.
    Facts the decision needs but lacks are listed in ``missing``; when they could change the
    answer the code is INSUFFICIENT_DATA.
    """
    labs = facts.labs
    events = defining_events(facts)
    present = [e for e in EVENTS if events[e].met is True]
    unknown = [e for e in EVENTS if events[e].met is None]
    event_reasons = [events[e].reason for e in EVENTS]
    unknown_missing = [p for e in unknown for p in events[e].missing]
    ambiguities = [ANAEMIA_AMBIGUITY] if events["A"].met is not None and labs.hemoglobin_lower_limit_g_dl else []
    basis, basis_reason, basis_missing = _clonal_basis(facts)

    # Plasma cell leukaemia: > 5 % in the blood smear in a patient who meets the myeloma criteria.
    cpc = labs.circulating_plasma_cells_pct
    if cpc is not None and cpc > 5:
        cpc_reason = f"plasma cells {fmt(cpc)} % of blood leukocytes > 5 % (Fernández de Larrea et al., 2021)"
        pcl_cites = (myeloma(SECTION, "Plasmacelleleukemi"), myeloma("Plasmacelleleukemi"))
        if basis and present:
            return _result(
                facts, Code.PLASMA_CELL_LEUKEMIA, events=present,
                reasons=[cpc_reason, basis_reason, *[events[e].reason for e in present]],
                missing=unknown_missing, ambiguities=ambiguities + [PCL_AMBIGUITY], citations=pcl_cites,
            )
        undecided = basis is None or (basis and unknown)
        return after_treatment(facts, _result(
            facts, Code.INSUFFICIENT_DATA, events=present,
            reasons=[cpc_reason, basis_reason, *event_reasons,
                     "plasma cell leukaemia needs the criteria for myeloma as well"
                     + (": facts are missing" if undecided else ": they are not met")],
            missing=basis_missing + unknown_missing,
            notes=["Circulating plasma cells > 5 % without the criteria for myeloma: not classified as plasma "
                   "cell leukaemia; specialist review (repeat the blood smear count, bone marrow examination)."],
            ambiguities=ambiguities + [PCL_AMBIGUITY], citations=pcl_cites,
        ), code=Code.PLASMA_CELL_LEUKEMIA)

    # POEMS
    poems = poems_rules.assess(facts)
    if poems.criteria_met:
        table = _myeloma_table(facts, events, present, unknown, event_reasons, unknown_missing, [],
                               basis, basis_reason, basis_missing)
        notes = []
        concurrent = None
        if table.code == Code.ACTIVE_MYELOMA:
            concurrent = Code.ACTIVE_MYELOMA
            notes.append(
                "The criteria for treatment-requiring myeloma are also met (" + ", ".join(present) + "; "
                + basis_reason + "): the guidelines do not say how POEMS and active myeloma combine. The myeloma "
                "treatment of the Handlingsprogram is shown as the treatment, and the POEMS guideline's advice in "
                "the POEMS assessment; decide both in a multidisciplinary conference."
            )
        elif present:
            notes.append(
                "Myeloma-defining events are also present (" + ", ".join(present) + "): the guidelines do not say "
                "how POEMS and active myeloma combine; assess both."
            )
        diagnosis = _result(
            facts, Code.POEMS, events=present, reasons=list(poems.reasons), missing=list(poems.missing),
            notes=notes, ambiguities=ambiguities + list(poems.ambiguities), citations=poems.citations,
        )
        return replace(diagnosis, concurrent_myeloma=concurrent)
    table = _myeloma_table(facts, events, present, unknown, event_reasons, unknown_missing, ambiguities,
                           basis, basis_reason, basis_missing)
    return after_treatment(facts, table)


def _myeloma_table(facts, events, present, unknown, event_reasons, unknown_missing, ambiguities,
                   basis, basis_reason, basis_missing):
    """The rows of the myeloma table (active, solitary plasmacytoma, smouldering, MGUS)."""
    labs, imaging = facts.labs, facts.imaging
    marrow = facts.marrow.clonal_plasma_cells_pct
    cpc = labs.circulating_plasma_cells_pct
    ambiguities = list(ambiguities)
    pc_kind = imaging.plasmacytoma
    has_pc = pc_kind in (Plasmacytoma.BONE, Plasmacytoma.EXTRAMEDULLARY)
    serum_m, urine_m = labs.serum_m_protein_g_l, labs.urine_m_protein_mg_24h
    flc_abnormal = flc_ratio_abnormal(facts)

    # No clonal marker at all → no plasma cell disorder (CRAB features alone have other causes).
    no_marker = (
        serum_m == 0 and (urine_m is None or urine_m == 0) and flc_abnormal is False
        and pc_kind == Plasmacytoma.NONE and (marrow is None or marrow == 0)
        and not any(events[e].met for e in ("B", "S", "M"))
    )
    if no_marker:
        reasons = ["no M-component in serum (0 g/L)", "FLC ratio within 0.26–1.65", "no plasmacytoma"]
        missing = []
        if urine_m is None:
            missing.append("labs.urine_m_protein_mg_24h")
            reasons.append("urine M-component not measured")
        if present:
            reasons.append("myeloma-defining-type findings (" + ", ".join(present) + ") without any clonal marker: "
                           "look for other causes (Diagnostiske kriterier, Kommentarer)")
        return _result(facts, Code.NO_PLASMA_CELL_DISORDER, reasons=reasons, missing=missing)

    if present:
        if basis:
            return _result(
                facts, Code.ACTIVE_MYELOMA, events=present,
                reasons=[basis_reason, *[events[e].reason for e in present]],
                missing=(["labs.circulating_plasma_cells_pct"] if cpc is None else []) + unknown_missing,
                notes=(["B: with uncertain findings the examination should be repeated after 3–6 months rather "
                        "than starting treatment."] if "B" in present else []),
                ambiguities=ambiguities,
            )
        if basis is None:
            return _result(
                facts, Code.INSUFFICIENT_DATA, events=present,
                reasons=[*[events[e].reason for e in present], basis_reason],
                missing=basis_missing + unknown_missing,
                ambiguities=ambiguities,
            )
        return _result(
            facts, Code.INSUFFICIENT_DATA, events=present,
            reasons=[*[events[e].reason for e in present], basis_reason,
                     "myeloma-defining events without the clonal basis of active myeloma: no row of the table "
                     "fits; anaemia, hypercalcaemia and renal failure must be investigated for other causes"],
            missing=unknown_missing,
            ambiguities=ambiguities + [Ambiguity(
                citation=CITE,
                source_text="MGUS: «Fyller ikke noen myelomatosedefinerende kriterier»; Kommentarer: «anemi, "
                            "hyperkalsemi og nyresvikt må utredes med tanke på andre årsaker»",
                interpretation="Neither MGUS nor active myeloma: reported as INSUFFICIENT_DATA until the "
                               "findings are explained.",
            )],
        )

    # No defining event present from here on.
    if has_pc and imaging.plasmacytoma_biopsy_proven and (marrow is None or marrow < 10):
        if imaging.plasmacytoma_count is not None and imaging.plasmacytoma_count > 1:
            return _result(
                facts, Code.INSUFFICIENT_DATA,
                reasons=[f"{imaging.plasmacytoma_count} plasmacytomas: not a solitary lesion, and no defining "
                         "event; the table has no row for this"],
                missing=unknown_missing,
                ambiguities=ambiguities + [Ambiguity(
                    citation=CITE, source_text="Solitært plasmacytom: «Solitær lesjon i ben eller bløtvev»",
                    interpretation="More than one plasmacytoma without defining events fits no row; "
                                   "reported as INSUFFICIENT_DATA for specialist review.",
                )],
            )
        if unknown:
            return _result(
                facts, Code.INSUFFICIENT_DATA,
                reasons=[f"biopsy-proven plasmacytoma ({pc_kind}): solitary only if CT skeleton and whole-body "
                         "MRI show no further lesions and no defining event is met", *event_reasons],
                missing=unknown_missing, ambiguities=ambiguities + [MRI_LESIONS_AMBIGUITY],
            )
        if imaging.mri_focal_lesions:
            # One further MRI lesion: not the defining event M (≥ 2), but not «ingen ytterligere lesjoner» either.
            return _result(
                facts, Code.INSUFFICIENT_DATA,
                reasons=[f"biopsy-proven plasmacytoma ({pc_kind}) with {imaging.mri_focal_lesions} further focal "
                         "lesion(s) on whole-body MRI: a solitary plasmacytoma needs «CT skjelett og MR helkropp "
                         "viser ingen ytterligere lesjoner», and < 2 MRI lesions is not the defining event M — no "
                         "row of the table fits; specialist review", *event_reasons],
                ambiguities=ambiguities + [MRI_LESIONS_AMBIGUITY],
                citations=(myeloma(SECTION, "Solitært plasmacytom"),),
            )
        return _result(
            facts, Code.SOLITARY_PLASMACYTOMA,
            reasons=[f"biopsy-proven solitary plasmacytoma ({pc_kind})",
                     "CT skeleton and whole-body MRI show no further lesions",
                     f"{fmt(marrow)} % clonal marrow plasma cells",
                     "no myeloma-defining event", *event_reasons],
            notes=_solitary_plasmacytoma_notes(pc_kind, marrow),
            ambiguities=ambiguities + [MRI_LESIONS_AMBIGUITY],
            citations=(myeloma(SECTION, "Solitært plasmacytom"),),
        )

    smoldering_markers = []
    if serum_m is not None and serum_m >= 30:
        smoldering_markers.append(f"serum M-component {fmt(serum_m)} g/L ≥ 30")
    if urine_m is not None and urine_m >= 500:
        smoldering_markers.append(f"urine M-component {fmt(urine_m)} mg/24 h ≥ 500")
    if marrow is not None and 10 <= marrow < 60:
        smoldering_markers.append(f"{fmt(marrow)} % clonal marrow plasma cells (10–59 %, read as 10 ≤ x < 60)")
    if smoldering_markers:
        if unknown:
            return _result(
                facts, Code.INSUFFICIENT_DATA,
                reasons=[*smoldering_markers, "smouldering or active myeloma: every defining event must be "
                         "excluded (whole-body MRI is required for smouldering myeloma)", *event_reasons],
                missing=unknown_missing, ambiguities=ambiguities,
            )
        return _result(
            facts, Code.SMOLDERING_MYELOMA,
            reasons=[*smoldering_markers, "no myeloma-defining event", *event_reasons],
            notes=("AL amyloidosis criteria must not be met (Ulmende myelomatose).",),
            ambiguities=ambiguities,
        )

    # MGUS: < 10 % clonal marrow plasma cells, clonal marker, no defining events. A known marrow value here is
    # < 10 %: 10 ≤ x < 60 returned smouldering above and ≥ 60 is the defining event S.
    marker = []
    if serum_m is not None and serum_m > 0:
        marker.append(f"serum M-component {fmt(serum_m)} g/L (< 30)")
    if urine_m is not None and urine_m > 0:
        marker.append(f"urine M-component {fmt(urine_m)} mg/24 h (< 500)")
    if flc_abnormal:
        marker.append("FLC ratio < 0.26 or > 1.65 (light-chain marker)")
    missing = list(unknown_missing)
    if serum_m is None:
        missing.append("labs.serum_m_protein_g_l")
    if not marker:
        if flc_abnormal is None:
            missing += ["labs.flc_kappa_mg_l", "labs.flc_lambda_mg_l"]
        return _result(
            facts, Code.INSUFFICIENT_DATA,
            reasons=["no clonal marker established in serum or urine", basis_reason, *event_reasons],
            missing=missing, ambiguities=ambiguities,
        )
    # The workup tiers do not order everything the MGUS definition needs: no marrow and no imaging
    # in lavrisikoutredning, and whole-body MRI only with > 10 % plasma cells.
    allowed_unknown = {"M"}
    low_risk = screening_tier(facts).tier == LOW_RISK
    if low_risk:
        allowed_unknown |= {"S", "B"}
    if marrow is None and not low_risk:
        missing.append("marrow.clonal_plasma_cells_pct")
    blocking = [e for e in unknown if e not in allowed_unknown]
    if blocking or serum_m is None or (marrow is None and not low_risk):
        return _result(
            facts, Code.INSUFFICIENT_DATA,
            reasons=[*marker, "MGUS needs < 10 % clonal marrow plasma cells and no defining event", *event_reasons],
            missing=missing, ambiguities=ambiguities,
        )
    reasons = [*marker]
    if urine_m is None:
        missing.append("labs.urine_m_protein_mg_24h")
        reasons.append("urine M-component not measured (≥ 500 mg/24 h would mean smouldering myeloma)")
    reasons.append(f"{fmt(marrow)} % clonal marrow plasma cells (< 10 %)" if marrow is not None
                   else "bone marrow not examined (lavrisikoutredning)")
    reasons += ["no myeloma-defining event found", *event_reasons]
    if unknown:
        ambiguities.append(Ambiguity(
            citation=CITE,
            source_text=(
                "MGUS: «<10 % klonale plasmaceller i benmarg … Fyller ikke noen myelomatosedefinerende kriterier»; "
                "Nivåer og rekkefølge på utredning: lavrisikoutredning «Ikke benmarg eller radiologisk "
                "undersøkelse», MR helkropp only «hos pasienter med >10 % plasmaceller i biopsi»"
            ),
            interpretation=(
                "Classified as MGUS although " + ", ".join(unknown) + " could not be assessed, because the "
                "workup tier does not order the examination; the facts are listed in missing."
            ),
        ))
    return _result(facts, Code.MGUS, reasons=reasons, missing=missing, ambiguities=ambiguities)


# --- after treatment (Behandling av tilbakefall) ---

CITE_RELAPSE = myeloma("Behandling av tilbakefall")
CITE_REFRACTORY = myeloma("Andrelinjebehandling")
CITE_PLASMACYTOMA_RELAPSE = myeloma("Strålebehandling", "Tilbakefall med plasmacytomer")
# Rows of the table that describe untreated disease only: after treatment they say nothing of relapse.
UNTREATED_ROWS = (Code.INSUFFICIENT_DATA, Code.MGUS, Code.SMOLDERING_MYELOMA)
# The defining events the guideline lists as clinical relapse («forverring av hyperkalsemi, anemi eller
# nyresvikt», «nye eller økte osteolytiske … lesjoner»); S, Li and M are not in that list.
CLINICAL_EVENTS = ("C", "R", "A", "B")
RELAPSE_SOURCE = (
    "«Det finnes to typer indikasjoner for behandling av tilbakefall: • Klinisk tilbakefall: nye eller økte "
    "osteolytiske eller bløtvevslesjoner, forverring av hyperkalsemi, anemi eller nyresvikt. Hyperviskositet. "
    "• Progressiv sykdom (se over og i tabell 8.2): Kort fortalt økning på 25 % i en eller flere klonale "
    "parametere, med et minimum på 5 g/L (s-M-komponent), 200 mg/døgn (u-M-komponent), 100 mg/L (dFLC), eller "
    "10 % (benmarg) [11]. Klinisk tilbakefall skal alltid behandles. I de aller fleste tilfeller bør også "
    "biokjemisk tilbakefall behandles.»"
)
REFRACTORY_SOURCE = (
    "Andrelinjebehandling: «Med refraktær menes at pasienten har hatt progresjon under behandling med eller innen "
    "60 dager etter seponering av et medikament eller regime.»"
)
PLASMACYTOMA_RELAPSE_SOURCE = (
    "Tilbakefall med plasmacytomer: «Hvis pasienten får et nytt plasmacytom under behandling der det er god "
    "kontroll på den systemiske sykdommen, anbefales stråling og kontinuering av den systemiske behandlingen. Hvis "
    "pasienten får et nytt plasmacytom i behandlingspause, anbefales restart av systemisk behandling, og vurdering "
    "av om stråling trengs i tillegg.»"
)
PROGRESSION_INDICATION = Ambiguity(
    citation=CITE_RELAPSE,
    source_text=RELAPSE_SOURCE + " " + REFRACTORY_SOURCE,
    interpretation=(
        "The engine sees the record at one point in time and does not measure the 25 % rise itself: progression "
        "recorded on the latest line — refractory drugs of that line, a progression date, or months from its "
        "transplant to progression — or > 5 % plasma cells in the blood is read as progressive disease, an "
        "indication for relapse treatment, although the current facts do not meet the diagnostic table, which "
        "describes untreated disease. Whether a biochemical relapse without clinical relapse is treated now is "
        "the clinician's decision («i de aller fleste tilfeller»)."
    ),
)
PLASMACYTOMA_RELAPSE = Ambiguity(
    citation=CITE_PLASMACYTOMA_RELAPSE,
    source_text=PLASMACYTOMA_RELAPSE_SOURCE + " " + RELAPSE_SOURCE,
    interpretation=(
        "A plasmacytoma in a patient treated systemically is read as a new plasmacytoma, a relapse with "
        "plasmacytoma (confirm that it is new or growing), not as a solitary plasmacytoma; without recorded "
        "systemic progression the advice is radiotherapy with the systemic treatment continued (or restarted "
        "in a treatment pause), not a new line."
    ),
)
POSSIBLE_CLINICAL_RELAPSE = Ambiguity(
    citation=CITE_RELAPSE,
    source_text=RELAPSE_SOURCE,
    interpretation=(
        "Clinical relapse is a new or growing lesion or a worsening of calcium, haemoglobin or renal function; "
        "the engine sees one point in time, and lesions, renal damage and anaemia can persist from before or "
        "come from the treatment. After treatment a defining event is shown as a possible clinical relapse; it "
        "becomes a relapse when the clinician records the progression on the latest line."
    ),
)


def _own_drugs(line) -> frozenset[str]:
    return frozenset(line.drugs) or frozenset(REGIMEN_DRUGS.get(line.regimen or "", ()))


def systemic_lines(facts: PatientFacts) -> tuple:
    """The history without lines that are radiotherapy alone."""
    return tuple(line for line in facts.treatment_history if not radiotherapy_only(line))


def latest_systemic_line(facts: PatientFacts):
    """The systemic line with the highest number (None without one)."""
    lines = systemic_lines(facts)
    return max(lines, key=lambda line: line.line) if lines else None


def latest_group(facts: PatientFacts) -> tuple:
    """The latest systemic line with the mobilisation, HMAS and maintenance lines recorded after it: one line
    in the guideline's terms (``part_of_a_line``)."""
    lines = sorted(systemic_lines(facts), key=lambda line: line.line)
    if not lines:
        return ()
    start = max((i for i, line in enumerate(lines) if not part_of_a_line(line)), default=0)
    return tuple(lines[start:])


def _label(line) -> str:
    return f"line {line.line}" + (f" ({line.regimen})" if line.regimen else "")


def progression_evidence(facts: PatientFacts):
    """What the latest systemic line — with mobilisation, HMAS and maintenance recorded after it as lines of
    their own (``latest_group``); radiotherapy alone is not a line — records of progression: (label,
    evidence, ambiguities). Refractory drugs count only when they are drugs of the line that records them
    (carried-over refractoriness from an earlier line is not progression on this one; with the line's drugs
    unknown they count, flagged); months from transplant to progression only when the line is not marked
    as without a transplant; > 5 % plasma cells in the blood always."""
    group = latest_group(facts) or (max(facts.treatment_history, key=lambda line: line.line),)
    label = _label(group[-1]) if len(group) == 1 else (
        _label(group[0]) + " with " + ", ".join(_label(line) for line in group[1:]))
    evidence, ambiguities = [], []
    for line in group:
        own = _own_drugs(line)
        refractory = frozenset(line.refractory_to)
        counted = refractory & own if own else refractory
        if counted:
            evidence.append(f"{_label(line)} records refractoriness to {', '.join(sorted(counted))} — progression "
                            "on or within 60 days of stopping")
            if not own:
                ambiguities.append(Ambiguity(
                    citation=CITE_REFRACTORY, source_text=REFRACTORY_SOURCE,
                    interpretation=f"The drugs of {_label(line)} are not known: its refractoriness is read as "
                                   "progression on that line; if it was carried over from an earlier line, record "
                                   "the line's drugs.",
                ))
        if refractory - counted:
            ambiguities.append(Ambiguity(
                citation=CITE_REFRACTORY, source_text=REFRACTORY_SOURCE,
                interpretation=f"{_label(line)} lists refractoriness to {', '.join(sorted(refractory - counted))}, "
                               f"not a drug of that line ({', '.join(sorted(own))}): read as carried over from an "
                               "earlier line, not as progression on this one.",
            ))
        if line.progression_date is not None:
            evidence.append(f"{_label(line)} records progression on {line.progression_date.isoformat()}")
        if line.months_from_transplant_to_progression is not None:
            if line.autologous_transplant is False:
                ambiguities.append(Ambiguity(
                    citation=CITE_RELAPSE, source_text=REFRACTORY_SOURCE,
                    interpretation=f"{_label(line)} gives months from transplant to progression but no transplant: "
                                   "not counted as progression; correct the line.",
                ))
            else:
                evidence.append(f"{_label(line)} records progression {fmt(line.months_from_transplant_to_progression)}"
                                " months after the autologous transplant")
    cpc = facts.labs.circulating_plasma_cells_pct
    if cpc is not None and cpc > 5:
        evidence.append(f"plasma cells {fmt(cpc)} % of blood leukocytes > 5 % after treatment")
    return label, evidence, ambiguities


def possible_clinical_relapse(facts: PatientFacts) -> tuple[str, ...]:
    """The defining events of clinical relapse (C, R, A, B) present in the current facts."""
    events = defining_events(facts)
    return tuple(e for e in CLINICAL_EVENTS if events[e].met is True)


def plasmacytoma_relapse(facts: PatientFacts) -> bool:
    """A plasmacytoma on record in a patient treated systemically: relapse with plasmacytoma."""
    return (facts.imaging.plasmacytoma in (Plasmacytoma.BONE, Plasmacytoma.EXTRAMEDULLARY)
            and any(not radiotherapy_only(line) for line in facts.treatment_history))


def _annotated(table: Diagnosis, note: str, *, citations=(), ambiguities=()) -> Diagnosis:
    """The table's verdict unchanged, with a note and the citations and ambiguities behind it."""
    return replace(table, notes=(*table.notes, note), citations=dedupe((*table.citations, *citations)),
                   ambiguities=dedupe((*table.ambiguities, *ambiguities)))


def after_treatment(facts: PatientFacts, table: Diagnosis, *, code: Code = Code.ACTIVE_MYELOMA) -> Diagnosis:
    """The table's verdict for a patient with a treatment history (Behandling av tilbakefall).

    The rows MGUS, smouldering myeloma and «not enough facts» describe untreated disease, and a
    plasmacytoma after systemic treatment is not a solitary plasmacytoma. After treatment:
    progressive disease recorded on the latest line (``progression_evidence``), or > 5 % plasma cells
    in the blood, makes the patient ``code`` (ACTIVE_MYELOMA, PLASMA_CELL_LEUKEMIA in the PCL branch)
    with the next line's options; a plasmacytoma makes it ACTIVE_MYELOMA, a relapse with plasmacytoma
    (Tilbakefall med plasmacytomer); a defining event of clinical relapse (C, R, A, B) without recorded
    progression stays a possible clinical relapse, to be confirmed by recording the progression. The
    table's own findings and missing facts are kept and the interpretation is shown. Radiotherapy
    alone is not systemic treatment."""
    if not systemic_lines(facts):
        return table
    label, evidence, ambiguities = progression_evidence(facts)
    plasmacytoma = plasmacytoma_relapse(facts)
    if table.code == Code.ACTIVE_MYELOMA:
        if evidence:
            return table
        return _annotated(
            table,
            f"Treated before (latest: {label}) and no progression is recorded on that line: the defining events "
            "may persist from before or come from the treatment — a clinical relapse needs them new or worsening "
            "(Behandling av tilbakefall); if so, record the progression date on the line.",
            citations=(CITE_RELAPSE, *((CITE_PLASMACYTOMA_RELAPSE,) if plasmacytoma else ())),
            ambiguities=(*ambiguities, *((PLASMACYTOMA_RELAPSE,) if plasmacytoma else ())),
        )
    rows = UNTREATED_ROWS + (Code.SOLITARY_PLASMACYTOMA,)
    if table.code not in rows:
        return table
    if not evidence and not plasmacytoma:
        possible = [e for e in CLINICAL_EVENTS if e in table.myeloma_defining_events]
        note = (
            f"Possible clinical relapse after treatment: {', '.join(possible)} — if new or worsening it is a "
            "clinical relapse, which is always treated: record the progression date on the latest line and the "
            "next line's options follow; hypercalcaemia, anaemia and renal failure are checked for other causes "
            "(Diagnostiske kriterier, Kommentarer)."
            if possible else
            f"Treated before (latest: {label}), and no progression is recorded on that line (no refractory drug "
            "of the line, no progression date, no months from transplant to progression) and no clinical relapse "
            "is found: relapse treatment is indicated by clinical relapse (new or growing osteolytic or "
            "soft-tissue lesions, worsening hypercalcaemia, anaemia or renal failure; hyperviscosity) or by "
            "progressive disease (table 8.2). When the disease progresses, record the progression date on the "
            "line (and the refractory drugs, if within 60 days of stopping)."
        )
        return _annotated(table, note, citations=(CITE_RELAPSE,),
                          ambiguities=(*ambiguities, *((POSSIBLE_CLINICAL_RELAPSE,) if possible else ())))
    reasons = []
    if evidence:
        reasons.append("treated before: " + "; ".join(evidence) + " — progressive disease after treatment, an "
                       "indication for relapse treatment (Behandling av tilbakefall)")
        ambiguities.append(PROGRESSION_INDICATION)
    if plasmacytoma:
        reasons.append(f"treated before: a plasmacytoma ({facts.imaging.plasmacytoma}) after systemic treatment — "
                       "a relapse with plasmacytoma (Tilbakefall med plasmacytomer), if new or growing")
        ambiguities.append(PLASMACYTOMA_RELAPSE)
    reasons.append(f"the diagnostic table alone, on the current facts, gives {table.code.value}: it describes "
                   "untreated disease")
    notes = [f"Assumes that no line after {label} has started; if one has, record it."]
    if evidence:
        notes.append("Clinical relapse is always treated; biochemical relapse in most cases (Behandling av "
                     "tilbakefall). Confirm the progression with the response tracker (table 8.2).")
    table_notes = () if table.code == Code.SOLITARY_PLASMACYTOMA else table.notes  # its 3-year risks do not apply
    return Diagnosis(
        code=code,
        myeloma_defining_events=table.myeloma_defining_events,
        reasons=(*reasons, *table.reasons),
        missing=table.missing,
        citations=dedupe((CITE_RELAPSE, *((CITE_PLASMACYTOMA_RELAPSE,) if plasmacytoma else ()), *table.citations)),
        notes=(*table_notes, *notes),
        ambiguities=dedupe((*table.ambiguities, *ambiguities)),
    )
