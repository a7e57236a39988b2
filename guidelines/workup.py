"""Workup tier and the investigations it orders.

Source: Handlingsprogram for myelomatose, "Nivåer og rekkefølge på utredning"
(lavrisikoutredning / høyrisikoutredning / fullutredning), with the blood and urine
panel of "Laboratorieprøver" and the imaging rules of "Bildediagnostikk ved myelomatose".
"""

from dataclasses import dataclass

from guidelines import poems as poems_rules
from guidelines.facts import Isotype, PatientFacts, Plasmacytoma
from guidelines.labs import free_light_chains
from guidelines.messages import Quantity, Term, gettext_noop, msg
from guidelines.rules import Finding, dec, dedupe
from guidelines.sources import Ambiguity, Citation, ambiguity, myeloma
from guidelines.terms import code

LOW_RISK = "LOW_RISK"
HIGH_RISK = "HIGH_RISK"
FULL = "FULL"

SECTION = "Nivåer og rekkefølge på utredning"
CITE = myeloma(SECTION)
CITE_IMAGING = myeloma("Bildediagnostikk ved myelomatose")
CITE_PLASMACYTOMA = myeloma("Strålebehandling", "Anbefalinger plasmacytomer (i ben eller ekstramedullært)")

FLC_RATIO_LIMIT = 8
IGG_LIMIT_G_L = 15
IGA_LIMIT_G_L = 5
MRI_MARROW_LIMIT_PCT = 10

# Diagnosis codes that place the patient in fullutredning (the tier's "Hvilke pasienter").
FULL_WORKUP_CODES = frozenset({"ACTIVE_MYELOMA", "SMOLDERING_MYELOMA", "PLASMA_CELL_LEUKEMIA"})

BLOOD_AND_URINE = msg("workup.item_blood_and_urine", gettext_noop(
    "Blood tests (Laboratorieprøver): serum electrophoresis with quantification of the M-component, "
    "serum free light chains, Hb, white cells with differential count, platelets, creatinine, estimated GFR, "
    "calcium or ionised calcium, albumin, β2-microglobulin, LD, IgG, IgA, IgM, NT-proBNP, troponin T, ALP, "
    "urine albumin, blood smear"))
URINE_ELECTROPHORESIS = msg("workup.item_urine_electrophoresis", gettext_noop(
    "Urine electrophoresis on a 24-hour urine collection (may be left out in routine practice if a serum "
    "M-component or serum free light chains can be followed; still the standard for response criteria)"))
PTH = msg("workup.item_pth", gettext_noop(
    "PTH measurement should be considered in hypercalcaemia, to exclude primary hyperparathyroidism"))
HISTORY = msg("workup.item_history", gettext_noop(
    "History of symptoms of myeloma and/or amyloidosis"))
NO_MARROW_NO_IMAGING = msg("workup.item_no_marrow_no_imaging", gettext_noop(
    "No bone marrow examination and no radiological examination"))
CT = msg("workup.item_ct", gettext_noop(
    "Low-dose CT of the skeleton (CT myelomatose)"))
MARROW = msg("workup.item_marrow", gettext_noop(
    "Bone marrow smear and bone marrow biopsy"))
MRI_IF_MARROW = msg("workup.item_mri_if_marrow", gettext_noop(
    "Whole-body MRI if the biopsy shows > 10 %% plasma cells without the criteria for active "
    "(treatment-requiring) myeloma"))
MRI_ORDERED = msg("workup.item_mri_ordered", gettext_noop(
    "Whole-body MRI: > 10 %% plasma cells in the biopsy without the criteria for active myeloma"))
MRI_PLASMACYTOMA = msg("workup.item_mri_plasmacytoma", gettext_noop(
    "Whole-body MRI: plasmacytoma — «vanlig myelomatoseutredning pluss MR helkropp for å påvise eventuelle "
    "andre lesjoner» (Anbefalinger plasmacytomer; Bildediagnostikk: «MR skal gjøres ved utredning … av solitært "
    "plasmacytom»)"))
PET_CT_EXTRAMEDULLARY = msg("workup.item_pet_ct_extramedullary", gettext_noop(
    "FDG-PET-CT: extramedullary plasmacytoma — «Obligat ved utredning og oppfølging av ekstramedullært solitært "
    "plasmacytom» and «ved responsvurdering av pasienter med ekstra- eller paramedullær sykdom»"))
VIROLOGY = msg("workup.item_virology", gettext_noop(
    "Virus serology for HBV, HCV and HIV"))
FISH = msg("workup.item_fish", gettext_noop(
    "FISH of bone marrow (del17p, t(4;14), t(14;16), t(11;14), t(14;20), gain/amp 1q, del1p32) "
    "and TP53 mutation analysis"))
BIOBANK = msg("workup.item_biobank", gettext_noop(
    "Biobanking if possible (Biobank1, St. Olavs hospital, or Oslo myelomatosesenter)"))

BOUNDARY_AMBIGUITY = ambiguity("workup.ambiguity_boundary")
RATIO_AMBIGUITY = ambiguity("workup.ambiguity_ratio")
OTHER_ISOTYPE_AMBIGUITY = ambiguity("workup.ambiguity_other_isotype")
MRI_BOUNDARY_AMBIGUITY = ambiguity("workup.ambiguity_mri_boundary")


POEMS_TIER_AMBIGUITY = ambiguity("workup.ambiguity_poems_tier")
PLASMACYTOMA_MRI_AMBIGUITY = ambiguity("workup.ambiguity_plasmacytoma_mri")


@dataclass(frozen=True)
class Workup:
    """The workup tier (LOW_RISK / HIGH_RISK / FULL, None when not decided or no plasma cell
    disorder is suspected) and the investigations it orders, in the guideline's order."""

    tier: str | None
    investigations: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = (CITE,)
    ambiguities: tuple[Ambiguity, ...] = ()


def _ratio_trigger(facts: PatientFacts) -> Finding:
    flc = free_light_chains(facts.labs.flc_kappa_mg_l, facts.labs.flc_lambda_mg_l)
    if flc.involved_mg_l is None:
        return Finding(None, msg("workup.ratio_unknown", gettext_noop("light chain ratio unknown")),
                       ("labs.flc_kappa_mg_l", "labs.flc_lambda_mg_l"))
    if flc.uninvolved_mg_l == 0:
        return Finding(True, msg("workup.ratio_unbounded", gettext_noop(
            "light chain ratio: involved %(chain)s, uninvolved chain 0 mg/L (ratio unbounded) ≥ 8"),
            chain=Term(flc.involved_chain)))
    ratio = dec(flc.involved_mg_l) / dec(flc.uninvolved_mg_l)
    values = {"involved": Quantity(flc.involved_mg_l), "uninvolved": Quantity(flc.uninvolved_mg_l),
              "ratio": Quantity(ratio, "", "ratio"), "limit": FLC_RATIO_LIMIT}
    if ratio >= FLC_RATIO_LIMIT:
        return Finding(True, msg("workup.ratio_at_least", gettext_noop(
            "involved/uninvolved light chain ratio %(involved)s/%(uninvolved)s = %(ratio)s ≥ %(limit)s"), **values))
    return Finding(False, msg("workup.ratio_below", gettext_noop(
        "involved/uninvolved light chain ratio %(involved)s/%(uninvolved)s = %(ratio)s < %(limit)s"), **values))


def _m_protein_trigger(facts: PatientFacts) -> tuple[Finding, bool]:
    """(finding, other_isotype_used)."""
    m = facts.labs.serum_m_protein_g_l
    iso = facts.labs.m_protein_isotype
    if m is None:
        return Finding(None, msg("workup.m_unknown", gettext_noop("serum M-component unknown")),
                       ("labs.serum_m_protein_g_l",)), False
    m_q = Quantity(m, "g/L")
    if m == 0 or iso == Isotype.LIGHT_CHAIN:
        return Finding(False, msg("workup.no_heavy_chain_m", gettext_noop(
            "no heavy-chain serum M-component (%(m)s, isotype %(isotype)s)"), m=m_q,
            isotype=Term("light chain only" if iso == Isotype.LIGHT_CHAIN else str(iso or "unknown")))), False
    if iso == Isotype.IGG:
        limit = IGG_LIMIT_G_L
    elif iso == Isotype.IGA:
        limit = IGA_LIMIT_G_L
    elif iso is None:
        if m >= IGG_LIMIT_G_L:
            return Finding(True, msg("workup.m_above_both", gettext_noop(
                "serum M-component %(m)s ≥ 15 (above both the IgG and IgA limits)"), m=m_q)), False
        if m < IGA_LIMIT_G_L:
            return Finding(False, msg("workup.m_below_both", gettext_noop(
                "serum M-component %(m)s < 5 (below both the IgG and IgA limits)"), m=m_q)), False
        return Finding(None, msg("workup.m_isotype_needed", gettext_noop(
            "serum M-component %(m)s: the limit depends on the isotype"), m=m_q), ("labs.m_protein_isotype",)), False
    else:
        return Finding(True, msg("workup.m_other_isotype", gettext_noop(
            "%(isotype)s M-component %(m)s: the low-risk tier names only IgG and IgA"), isotype=str(iso), m=m_q)), True
    if m >= limit:
        return Finding(True, msg("workup.m_at_least", gettext_noop("%(isotype)s M-component %(m)s ≥ %(limit)s"),
                                 isotype=str(iso), m=m_q, limit=limit)), False
    return Finding(False, msg("workup.m_below", gettext_noop("%(isotype)s M-component %(m)s < %(limit)s"),
                              isotype=str(iso), m=m_q, limit=limit)), False


def screening_tier(facts: PatientFacts) -> Workup:
    """LOW_RISK or HIGH_RISK from the tier criteria alone (before a diagnosis is made).

    Handlingsprogram, "Nivåer og rekkefølge på utredning": lavrisikoutredning when
    «Lettkjederatio < 8, IgG M-komponent <15 g/l, IgA M-komponent <5g/l, ingen symptomer»;
    høyrisikoutredning when «Lettkjederatio >8 eller IgG M-komponent >15 g/L eller IgA
    M-komponent > 5g/L eller Plasmacytom eller Mistenkt relaterte symptomer».
    """
    ratio = _ratio_trigger(facts)
    mprot, other_isotype = _m_protein_trigger(facts)
    pc = facts.imaging.plasmacytoma
    if pc in (Plasmacytoma.BONE, Plasmacytoma.EXTRAMEDULLARY):
        plasmacytoma = Finding(True, msg("workup.plasmacytoma", gettext_noop("plasmacytoma (%(kind)s)"), kind=Term(pc)))
    else:
        # A plasmacytoma is a high-risk trigger when present; the low-risk criteria do not list it.
        plasmacytoma = Finding(False, msg("workup.no_plasmacytoma", gettext_noop("no plasmacytoma reported")))
    if facts.symptoms is None:
        symptoms = Finding(None, msg("workup.symptoms_unknown", gettext_noop("symptoms unknown")), ("symptoms",))
    elif facts.symptoms:
        symptoms = Finding(True, msg("workup.symptoms", gettext_noop("suspected related symptoms")))
    else:
        symptoms = Finding(False, msg("workup.no_symptoms", gettext_noop("no symptoms")))
    findings = (ratio, mprot, plasmacytoma, symptoms)
    ambiguities = [BOUNDARY_AMBIGUITY, RATIO_AMBIGUITY] + ([OTHER_ISOTYPE_AMBIGUITY] if other_isotype else [])
    if any(f.met is True for f in findings):
        return Workup(
            tier=HIGH_RISK,
            reasons=tuple(msg("workup.high_risk_because", gettext_noop("høyrisikoutredning: %(finding)s"),
                              finding=f.reason) for f in findings if f.met is True),
            ambiguities=tuple(ambiguities),
        )
    if all(f.met is False for f in findings):
        return Workup(
            tier=LOW_RISK,
            reasons=tuple(msg("workup.low_risk_because", gettext_noop("lavrisikoutredning: %(finding)s"),
                              finding=f.reason) for f in findings),
            ambiguities=tuple(ambiguities),
        )
    return Workup(
        tier=None,
        reasons=tuple(msg("workup.tier_undecided", gettext_noop("workup tier undecided: %(finding)s"),
                          finding=f.reason) for f in findings if f.met is None),
        missing=dedupe(p for f in findings for p in f.missing),
        ambiguities=tuple(ambiguities),
    )


def _investigations(tier: str, facts: PatientFacts, diagnosis_code: str | None) -> tuple[str, ...]:
    if tier == LOW_RISK:
        return (BLOOD_AND_URINE, URINE_ELECTROPHORESIS, PTH, HISTORY, NO_MARROW_NO_IMAGING)
    items = [BLOOD_AND_URINE, URINE_ELECTROPHORESIS, PTH, CT, MARROW]
    marrow = facts.marrow.clonal_plasma_cells_pct
    active = diagnosis_code in ("ACTIVE_MYELOMA", "PLASMA_CELL_LEUKEMIA")
    pc = facts.imaging.plasmacytoma
    if not active and pc in (Plasmacytoma.BONE, Plasmacytoma.EXTRAMEDULLARY):
        items.append(MRI_PLASMACYTOMA)
    elif not active and marrow is not None and marrow >= MRI_MARROW_LIMIT_PCT:
        items.append(MRI_ORDERED)
    elif not active:
        items.append(MRI_IF_MARROW)
    if pc == Plasmacytoma.EXTRAMEDULLARY:
        items.append(PET_CT_EXTRAMEDULLARY)
    if tier == FULL:
        items += [VIROLOGY, FISH, BIOBANK]
    return tuple(items)


def _poems_workup(facts: PatientFacts, concurrent_myeloma: str | None) -> Workup:
    """POEMS syndrome: the Danish guideline's «Udredning» (POEMS_TIER_AMBIGUITY), plus the myeloma
    fullutredning when active myeloma is present as well."""
    items = list(poems_rules.WORKUP)
    reasons = [msg("workup.poems", gettext_noop("POEMS syndrome: the POEMS guideline's Udredning (reported as FULL)"))]
    citations = [poems_rules.CITE_WORKUP]
    if concurrent_myeloma:
        items = list(_investigations(FULL, facts, concurrent_myeloma)) + items
        reasons.append(msg("workup.poems_with_myeloma", gettext_noop(
            "fullutredning: the criteria for %(diagnosis)s are met as well"), diagnosis=code(concurrent_myeloma)))
        citations.append(CITE)
    return Workup(tier=FULL, investigations=tuple(items), reasons=tuple(reasons), citations=tuple(citations),
                  ambiguities=(POEMS_TIER_AMBIGUITY,))


def workup(facts: PatientFacts, diagnosis_code: str | None, *, concurrent_myeloma: str | None = None) -> Workup:
    """The workup tier for this patient and the investigations it orders.

    Handlingsprogram, "Nivåer og rekkefølge på utredning": fullutredning for «Pasienter som
    har påvist behandlingskrevende myelomatose», «Pasienter med påviste plasmacytomer med
    klonal sykdom i benmargen» and «Pasienter med ulmende myelomatose» (what it orders:
    høyrisikoutredning + virusserologi HBV/HCV/HIV + FISH og TP53 + biobanking); otherwise
    the screening tier (see ``screening_tier``), but at least høyrisikoutredning when the bone
    marrow already shows ≥ 10 % clonal plasma cells («MR helkropp gjøres hos pasienter med >10 %
    plasmaceller i biopsi») or when POEMS screening is positive. Plasmacytomas order whole-body
    MRI and, extramedullary, FDG-PET-CT (Bildediagnostikk ved myelomatose; Anbefalinger
    plasmacytomer). POEMS follows the Danish guideline's «Udredning». No tier when no plasma cell
    disorder is suspected (diagnosis NO_PLASMA_CELL_DISORDER).
    """
    if diagnosis_code == "NO_PLASMA_CELL_DISORDER":
        return Workup(tier=None, reasons=(msg("workup.no_disorder", gettext_noop(
            "no plasma cell disorder suspected: no workup tier")),))
    if diagnosis_code == "POEMS":
        return _poems_workup(facts, concurrent_myeloma)
    reasons = []
    ambiguities = []
    citations = [CITE]
    marrow = facts.marrow.clonal_plasma_cells_pct
    pc = facts.imaging.plasmacytoma
    active = diagnosis_code in ("ACTIVE_MYELOMA", "PLASMA_CELL_LEUKEMIA")
    if pc in (Plasmacytoma.BONE, Plasmacytoma.EXTRAMEDULLARY):
        ambiguities.append(PLASMACYTOMA_MRI_AMBIGUITY)
        citations += [CITE_IMAGING, CITE_PLASMACYTOMA]
    elif marrow is not None and marrow >= MRI_MARROW_LIMIT_PCT and not active:
        ambiguities.append(MRI_BOUNDARY_AMBIGUITY)
    if diagnosis_code in FULL_WORKUP_CODES:
        reasons.append(msg("workup.full_by_diagnosis", gettext_noop("fullutredning: diagnosis %(diagnosis)s"),
                           diagnosis=code(diagnosis_code)))
        if diagnosis_code == "PLASMA_CELL_LEUKEMIA":
            ambiguities.append(ambiguity("workup.ambiguity_pcl"))
    elif pc in (Plasmacytoma.BONE, Plasmacytoma.EXTRAMEDULLARY) and marrow is not None and marrow > 0:
        reasons.append(msg("workup.full_plasmacytoma_with_marrow", gettext_noop(
            "fullutredning: plasmacytoma with clonal disease in the bone marrow (%(pct)s %% clonal plasma cells)"),
            pct=Quantity(marrow)))
    if reasons:
        return Workup(
            tier=FULL,
            investigations=_investigations(FULL, facts, diagnosis_code),
            reasons=tuple(reasons),
            citations=dedupe(citations),
            ambiguities=tuple(ambiguities),
        )
    screen = screening_tier(facts)
    tier, screen_reasons, missing = screen.tier, list(screen.reasons), screen.missing
    floor = []
    if marrow is not None and marrow >= MRI_MARROW_LIMIT_PCT:
        floor.append(msg("workup.high_risk_floor_marrow", gettext_noop(
            "høyrisikoutredning at least: the bone marrow already shows %(pct)s %% clonal plasma cells (≥ 10 %%), "
            "which orders whole-body MRI"), pct=Quantity(marrow)))
    poems_screen, _poems_reasons, _poems_missing = poems_rules.screening(facts)
    if poems_screen:
        floor.append(msg("workup.high_risk_floor_poems", gettext_noop(
            "høyrisikoutredning at least: POEMS screening positive (POEMS guideline, Udredning)")))
        ambiguities.append(POEMS_TIER_AMBIGUITY)
        citations.append(poems_rules.CITE_WORKUP)
    if floor and tier != HIGH_RISK:
        tier, screen_reasons, missing = HIGH_RISK, floor, ()
    elif floor:
        screen_reasons += floor
    if tier is None:
        return Workup(tier=None, reasons=tuple(screen_reasons), missing=missing,
                      citations=dedupe(citations), ambiguities=screen.ambiguities + tuple(ambiguities))
    investigations = _investigations(tier, facts, diagnosis_code)
    if poems_screen:
        investigations += poems_rules.WORKUP
    return Workup(
        tier=tier,
        investigations=investigations,
        reasons=tuple(screen_reasons),
        citations=dedupe(citations),
        ambiguities=screen.ambiguities + tuple(ambiguities),
    )
