"""The table of «Diagnostiske kriterier»: the diagnosis of a plasma cell disorder from one patient's facts.

Source: Handlingsprogram for myelomatose, "Diagnostiske kriterier" (the table of
definitions: behandlingskrevende myelomatose with the myeloma-defining events CRAB +
SLiM — guidelines.diagnosis.events —, ulmende myelomatose, MGUS, solitært plasmacytom,
plasmacelleleukemi) and its subsection "Avgrensing mot andre relevante sykdommer" (Mb
Waldenström, AL amyloidose); POEMS from the Danish guideline (see ``guidelines.poems``).
The table describes untreated disease: guidelines.diagnosis.after_treatment reads it for a
treated patient.
"""

from dataclasses import dataclass, replace
from enum import StrEnum

from guidelines import poems as poems_rules
from guidelines.diagnosis.events import EVENTS, defining_events
from guidelines.facts import Isotype, PatientFacts, Plasmacytoma
from guidelines.messages import Quantity, Quote, Term, gettext_noop, msg
from guidelines.rules import dec, dedupe
from guidelines.sources import Ambiguity, Citation, ambiguity, myeloma
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

NO_DEFINING_EVENT = msg("diagnosis.no_defining_event", gettext_noop("no myeloma-defining event"))
FLC_RATIO_LOW = dec(0.26)
FLC_RATIO_HIGH = dec(1.65)

AL_AMYLOIDOSIS_NOTE = msg("diagnosis.note_al_amyloidosis", gettext_noop(
    "AL amyloidosis: patients with MGUS or myeloma are worked up and followed with NT-proBNP, ALP, INR and "
    "urine albumin to detect concurrent AL amyloidosis (see the separate action programme)."))
WALDENSTROM_NOTE = msg("diagnosis.note_waldenstrom", gettext_noop(
    "IgM M-component: distinguish IgM myeloma from Waldenström's macroglobulinaemia — the MYD88 L265P mutation "
    "is present only in Waldenström; chromosome-14 translocations and osteolytic lesions only in myeloma "
    "(t(11;14) is the most common in IgM myeloma). If none of these is present, rely on the pathologist's "
    "assessment; CD20-positive clonal plasma cells give theoretical support for CD20 antibodies."))
ANAEMIA_AMBIGUITY = ambiguity("diagnosis.ambiguity_anaemia")
MRI_LESIONS_AMBIGUITY = ambiguity("diagnosis.ambiguity_mri_lesions")


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
    if facts.labs.m_protein_isotype == Isotype.IGM or AL_AMYLOIDOSIS_NOTE in all_notes:
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
        return (msg("diagnosis.note_solitary_no_marrow", gettext_noop(
            "Solitary plasmacytoma without clonal plasma cells in the bone marrow: 10 %% risk of progression to "
            "myeloma within 3 years.")),)
    if kind == Plasmacytoma.BONE:
        return (msg("diagnosis.note_solitary_bone", gettext_noop(
            "Solitary plasmacytoma of bone with minimal marrow infiltration (< 10 %% clonal plasma cells): 60 %% "
            "risk of myeloma within three years.")),)
    return (msg("diagnosis.note_solitary_soft_tissue", gettext_noop(
        "Solitary plasmacytoma of soft tissue with minimal marrow infiltration (< 10 %% plasma cells): 20 %% risk "
        "of myeloma within three years.")),)


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
        return True, msg("diagnosis.marrow_at_least_10", gettext_noop(
            "%(pct)s %% clonal plasma cells in the bone marrow (≥ 10 %%)"), pct=Quantity(marrow)), []
    if has_pc and imaging.plasmacytoma_biopsy_proven is True:
        return True, msg("diagnosis.biopsy_proven_plasmacytoma", gettext_noop("biopsy-proven plasmacytoma (%(kind)s)"),
                         kind=Term(pc_kind)), []
    if marrow is not None and not pc_missing:
        return False, msg("diagnosis.no_clonal_basis", gettext_noop(
            "%(pct)s %% clonal plasma cells (< 10 %%) and no biopsy-proven plasmacytoma"), pct=Quantity(marrow)), []
    missing = ([] if marrow is not None else ["marrow.clonal_plasma_cells_pct"]) + pc_missing
    return None, msg("diagnosis.clonal_basis_unknown", gettext_noop(
        "neither ≥ 10 %% clonal marrow plasma cells nor a biopsy-proven plasmacytoma established")), missing


PCL_AMBIGUITY = ambiguity("diagnosis.ambiguity_pcl")


def by_the_table(facts: PatientFacts) -> tuple[Diagnosis, Code | None]:
    """The verdict of the table of «Diagnostiske kriterier» (Handlingsprogram), and the code progression
    after treatment gives (guidelines.diagnosis.after_treatment: ACTIVE_MYELOMA; PLASMA_CELL_LEUKEMIA beside
    > 5 % plasma cells in the blood), or None when the verdict stands whatever the history (plasma cell
    leukaemia by the table, POEMS).

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
        cpc_reason = msg("diagnosis.pcl_blood_plasma_cells", gettext_noop(
            "plasma cells %(pct)s %% of blood leukocytes > 5 %% (Fernández de Larrea et al., 2021)"), pct=Quantity(cpc))
        pcl_cites = (myeloma(SECTION, "Plasmacelleleukemi"), myeloma("Plasmacelleleukemi"))
        if basis and present:
            return _result(
                facts, Code.PLASMA_CELL_LEUKEMIA, events=present,
                reasons=[cpc_reason, basis_reason, *[events[e].reason for e in present]],
                missing=unknown_missing, ambiguities=ambiguities + [PCL_AMBIGUITY], citations=pcl_cites,
            ), None
        undecided = basis is None or (basis and unknown)
        return _result(
            facts, Code.INSUFFICIENT_DATA, events=present,
            reasons=[cpc_reason, basis_reason, *event_reasons,
                     msg("diagnosis.pcl_needs_myeloma_facts_missing", gettext_noop(
                         "plasma cell leukaemia needs the criteria for myeloma as well: facts are missing"))
                     if undecided else
                     msg("diagnosis.pcl_needs_myeloma_not_met", gettext_noop(
                         "plasma cell leukaemia needs the criteria for myeloma as well: they are not met"))],
            missing=basis_missing + unknown_missing,
            notes=[msg("diagnosis.note_pcl_without_myeloma", gettext_noop(
                "Circulating plasma cells > 5 %% without the criteria for myeloma: not classified as plasma cell "
                "leukaemia; specialist review (repeat the blood smear count, bone marrow examination)."))],
            ambiguities=ambiguities + [PCL_AMBIGUITY], citations=pcl_cites,
        ), Code.PLASMA_CELL_LEUKEMIA

    # POEMS
    poems = poems_rules.assess(facts)
    if poems.criteria_met:
        table = _myeloma_table(facts, events, present, unknown, event_reasons, unknown_missing, [],
                               basis, basis_reason, basis_missing)
        notes = []
        concurrent = None
        if table.code == Code.ACTIVE_MYELOMA:
            concurrent = Code.ACTIVE_MYELOMA
            notes.append(msg("diagnosis.note_poems_with_active_myeloma", gettext_noop(
                "The criteria for treatment-requiring myeloma are also met (%(events)s; %(basis)s): the guidelines "
                "do not say how POEMS and active myeloma combine. The myeloma treatment of the Handlingsprogram is "
                "shown as the treatment, and the POEMS guideline's advice in the POEMS assessment; decide both in a "
                "multidisciplinary conference."), events=list(present), basis=basis_reason))
        elif present:
            notes.append(msg("diagnosis.note_poems_with_events", gettext_noop(
                "Myeloma-defining events are also present (%(events)s): the guidelines do not say how POEMS and "
                "active myeloma combine; assess both."), events=list(present)))
        diagnosis = _result(
            facts, Code.POEMS, events=present, reasons=list(poems.reasons), missing=list(poems.missing),
            notes=notes, ambiguities=ambiguities + list(poems.ambiguities), citations=poems.citations,
        )
        return replace(diagnosis, concurrent_myeloma=concurrent), None
    return _myeloma_table(facts, events, present, unknown, event_reasons, unknown_missing, ambiguities,
                          basis, basis_reason, basis_missing), Code.ACTIVE_MYELOMA


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
        reasons = [msg("diagnosis.no_serum_m_component", gettext_noop("no M-component in serum (0 g/L)")),
                   msg("diagnosis.flc_ratio_normal", gettext_noop("FLC ratio within 0.26–1.65")),
                   msg("diagnosis.no_plasmacytoma", gettext_noop("no plasmacytoma"))]
        missing = []
        if urine_m is None:
            missing.append("labs.urine_m_protein_mg_24h")
            reasons.append(msg("diagnosis.urine_not_measured", gettext_noop("urine M-component not measured")))
        if present:
            reasons.append(msg("diagnosis.findings_without_clonal_marker", gettext_noop(
                "myeloma-defining-type findings (%(events)s) without any clonal marker: look for other causes "
                "(Diagnostiske kriterier, Kommentarer)"), events=list(present)))
        return _result(facts, Code.NO_PLASMA_CELL_DISORDER, reasons=reasons, missing=missing)

    if present:
        if basis:
            return _result(
                facts, Code.ACTIVE_MYELOMA, events=present,
                reasons=[basis_reason, *[events[e].reason for e in present]],
                missing=(["labs.circulating_plasma_cells_pct"] if cpc is None else []) + unknown_missing,
                notes=([msg("diagnosis.note_uncertain_bone_lesions", gettext_noop(
                    "B: with uncertain findings the examination should be repeated after 3–6 months rather than "
                    "starting treatment."))] if "B" in present else []),
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
                     msg("diagnosis.events_without_clonal_basis", gettext_noop(
                         "myeloma-defining events without the clonal basis of active myeloma: no row of the table "
                         "fits; anaemia, hypercalcaemia and renal failure must be investigated for other causes"))],
            missing=unknown_missing,
            ambiguities=ambiguities + [ambiguity("diagnosis.ambiguity_events_without_basis")],
        )

    # No defining event present from here on.
    if has_pc and imaging.plasmacytoma_biopsy_proven and (marrow is None or marrow < 10):
        if imaging.plasmacytoma_count is not None and imaging.plasmacytoma_count > 1:
            return _result(
                facts, Code.INSUFFICIENT_DATA,
                reasons=[msg("diagnosis.several_plasmacytomas", gettext_noop(
                    "%(count)s plasmacytomas: not a solitary lesion, and no defining event; the table has no row for "
                    "this"), count=imaging.plasmacytoma_count)],
                missing=unknown_missing,
                ambiguities=ambiguities + [ambiguity("diagnosis.ambiguity_several_plasmacytomas")],
            )
        if unknown:
            return _result(
                facts, Code.INSUFFICIENT_DATA,
                reasons=[msg("diagnosis.plasmacytoma_solitary_if", gettext_noop(
                    "biopsy-proven plasmacytoma (%(kind)s): solitary only if CT skeleton and whole-body MRI show no "
                    "further lesions and no defining event is met"), kind=Term(pc_kind)), *event_reasons],
                missing=unknown_missing, ambiguities=ambiguities + [MRI_LESIONS_AMBIGUITY],
            )
        if imaging.mri_focal_lesions:
            # One further MRI lesion: not the defining event M (≥ 2), but not «ingen ytterligere lesjoner» either.
            return _result(
                facts, Code.INSUFFICIENT_DATA,
                reasons=[msg("diagnosis.plasmacytoma_with_mri_lesion", gettext_noop(
                    "biopsy-proven plasmacytoma (%(kind)s) with %(count)s further focal lesion(s) on whole-body MRI: "
                    "a solitary plasmacytoma needs %(quote)s, and < 2 MRI lesions is not the defining event M — no "
                    "row of the table fits; specialist review"), kind=Term(pc_kind), count=imaging.mri_focal_lesions,
                    quote=Quote("«CT skjelett og MR helkropp viser ingen ytterligere lesjoner»")), *event_reasons],
                ambiguities=ambiguities + [MRI_LESIONS_AMBIGUITY],
                citations=(myeloma(SECTION, "Solitært plasmacytom"),),
            )
        return _result(
            facts, Code.SOLITARY_PLASMACYTOMA,
            reasons=[msg("diagnosis.solitary_plasmacytoma", gettext_noop(
                "biopsy-proven solitary plasmacytoma (%(kind)s)"),
                         kind=Term(pc_kind)),
                     msg("diagnosis.no_further_lesions", gettext_noop(
                         "CT skeleton and whole-body MRI show no further lesions")),
                     msg("diagnosis.marrow_pct", gettext_noop("%(pct)s %% clonal marrow plasma cells"),
                         pct=Quantity(marrow)),
                     NO_DEFINING_EVENT, *event_reasons],
            notes=_solitary_plasmacytoma_notes(pc_kind, marrow),
            ambiguities=ambiguities + [MRI_LESIONS_AMBIGUITY],
            citations=(myeloma(SECTION, "Solitært plasmacytom"),),
        )

    smoldering_markers = []
    if serum_m is not None and serum_m >= 30:
        smoldering_markers.append(msg("diagnosis.smouldering_serum", gettext_noop(
            "serum M-component %(m)s ≥ 30"), m=Quantity(serum_m, "g/L")))
    if urine_m is not None and urine_m >= 500:
        smoldering_markers.append(msg("diagnosis.smouldering_urine", gettext_noop(
            "urine M-component %(m)s ≥ 500"), m=Quantity(urine_m, "mg/24 h")))
    if marrow is not None and 10 <= marrow < 60:
        smoldering_markers.append(msg("diagnosis.smouldering_marrow", gettext_noop(
            "%(pct)s %% clonal marrow plasma cells (10–59 %%, read as 10 ≤ x < 60)"), pct=Quantity(marrow)))
    if smoldering_markers:
        if unknown:
            return _result(
                facts, Code.INSUFFICIENT_DATA,
                reasons=[*smoldering_markers, msg("diagnosis.smouldering_or_active", gettext_noop(
                    "smouldering or active myeloma: every defining event must be excluded (whole-body MRI is "
                    "required for smouldering myeloma)")), *event_reasons],
                missing=unknown_missing, ambiguities=ambiguities,
            )
        return _result(
            facts, Code.SMOLDERING_MYELOMA,
            reasons=[*smoldering_markers, NO_DEFINING_EVENT, *event_reasons],
            notes=(msg("diagnosis.note_smouldering_al", gettext_noop(
                "AL amyloidosis criteria must not be met (Ulmende myelomatose).")),),
            ambiguities=ambiguities,
        )

    # MGUS: < 10 % clonal marrow plasma cells, clonal marker, no defining events. A known marrow value here is
    # < 10 %: 10 ≤ x < 60 returned smouldering above and ≥ 60 is the defining event S.
    marker = []
    if serum_m is not None and serum_m > 0:
        marker.append(msg("diagnosis.mgus_serum", gettext_noop("serum M-component %(m)s (< 30)"),
                          m=Quantity(serum_m, "g/L")))
    if urine_m is not None and urine_m > 0:
        marker.append(msg("diagnosis.mgus_urine", gettext_noop("urine M-component %(m)s (< 500)"),
                          m=Quantity(urine_m, "mg/24 h")))
    if flc_abnormal:
        marker.append(msg("diagnosis.flc_ratio_abnormal", gettext_noop(
            "FLC ratio < 0.26 or > 1.65 (light-chain marker)")))
    missing = list(unknown_missing)
    if serum_m is None:
        missing.append("labs.serum_m_protein_g_l")
    if not marker:
        if flc_abnormal is None:
            missing += ["labs.flc_kappa_mg_l", "labs.flc_lambda_mg_l"]
        return _result(
            facts, Code.INSUFFICIENT_DATA,
            reasons=[msg("diagnosis.no_clonal_marker", gettext_noop("no clonal marker established in serum or urine")),
                     basis_reason, *event_reasons],
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
            reasons=[*marker, msg("diagnosis.mgus_needs", gettext_noop(
                "MGUS needs < 10 %% clonal marrow plasma cells and no defining event")), *event_reasons],
            missing=missing, ambiguities=ambiguities,
        )
    reasons = [*marker]
    if urine_m is None:
        missing.append("labs.urine_m_protein_mg_24h")
        reasons.append(msg("diagnosis.mgus_urine_not_measured", gettext_noop(
            "urine M-component not measured (≥ 500 mg/24 h would mean smouldering myeloma)")))
    reasons.append(msg("diagnosis.mgus_marrow", gettext_noop("%(pct)s %% clonal marrow plasma cells (< 10 %%)"),
                       pct=Quantity(marrow)) if marrow is not None
                   else msg("diagnosis.marrow_not_examined", gettext_noop(
                       "bone marrow not examined (lavrisikoutredning)")))
    reasons += [msg("diagnosis.no_defining_event_found", gettext_noop("no myeloma-defining event found")),
                *event_reasons]
    if unknown:
        ambiguities.append(ambiguity("diagnosis.ambiguity_mgus_unassessed", events=list(unknown)))
    return _result(facts, Code.MGUS, reasons=reasons, missing=missing, ambiguities=ambiguities)
