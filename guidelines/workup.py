"""Workup tier and the investigations it orders.

Source: Handlingsprogram for myelomatose, "Nivåer og rekkefølge på utredning"
(lavrisikoutredning / høyrisikoutredning / fullutredning), with the blood and urine
panel of "Laboratorieprøver" and the imaging rules of "Bildediagnostikk ved myelomatose".
"""

from dataclasses import dataclass

from guidelines.facts import Isotype, PatientFacts, Plasmacytoma
from guidelines.labs import free_light_chains
from guidelines.rules import Finding, dec, dedupe, fmt
from guidelines.sources import Ambiguity, Citation, myeloma

LOW_RISK = "LOW_RISK"
HIGH_RISK = "HIGH_RISK"
FULL = "FULL"

SECTION = "Nivåer og rekkefølge på utredning"
CITE = myeloma(SECTION)

FLC_RATIO_LIMIT = 8
IGG_LIMIT_G_L = 15
IGA_LIMIT_G_L = 5
MRI_MARROW_LIMIT_PCT = 10

# Diagnosis codes that place the patient in fullutredning (the tier's "Hvilke pasienter").
FULL_WORKUP_CODES = frozenset({"ACTIVE_MYELOMA", "SMOLDERING_MYELOMA", "PLASMA_CELL_LEUKEMIA"})

BLOOD_AND_URINE = (
    "Blood tests (Laboratorieprøver): serum electrophoresis with quantification of the M-component, "
    "serum free light chains, Hb, white cells with differential count, platelets, creatinine, estimated GFR, "
    "calcium or ionised calcium, albumin, β2-microglobulin, LD, IgG, IgA, IgM, NT-proBNP, troponin T, ALP, "
    "urine albumin, blood smear"
)
URINE_ELECTROPHORESIS = (
    "Urine electrophoresis on a 24-hour urine collection (may be left out in routine practice if a serum "
    "M-component or serum free light chains can be followed; still the standard for response criteria)"
)
PTH = "PTH measurement should be considered in hypercalcaemia, to exclude primary hyperparathyroidism"
HISTORY = "History of symptoms of myeloma and/or amyloidosis"
NO_MARROW_NO_IMAGING = "No bone marrow examination and no radiological examination"
CT = "Low-dose CT of the skeleton (CT myelomatose)"
MARROW = "Bone marrow smear and bone marrow biopsy"
MRI_IF_MARROW = (
    "Whole-body MRI if the biopsy shows > 10 % plasma cells without the criteria for active "
    "(treatment-requiring) myeloma"
)
MRI_ORDERED = "Whole-body MRI: > 10 % plasma cells in the biopsy without the criteria for active myeloma"
VIROLOGY = "Virus serology for HBV, HCV and HIV"
FISH = (
    "FISH of bone marrow (del17p, t(4;14), t(14;16), t(11;14), t(14;20), gain/amp 1q, del1p32) "
    "and TP53 mutation analysis"
)
BIOBANK = "Biobanking if possible (Biobank1, St. Olavs hospital, or Oslo myelomatosesenter)"

BOUNDARY_AMBIGUITY = Ambiguity(
    citation=CITE,
    source_text=(
        "Lavrisikoutredning: «Lettkjederatio < 8, IgG M-komponent <15 g/l, IgA M-komponent <5g/l»; "
        "Høyrisikoutredning: «Lettkjederatio >8 eller IgG M-komponent >15 g/L eller IgA M-komponent > 5g/L»"
    ),
    interpretation=(
        "The boundary values themselves (ratio exactly 8, IgG exactly 15 g/L, IgA exactly 5 g/L) belong to "
        "neither tier; the app places them in høyrisikoutredning (the more thorough workup)."
    ),
)
RATIO_AMBIGUITY = Ambiguity(
    citation=CITE,
    source_text="«Lettkjederatio < 8» / «Lettkjederatio >8»",
    interpretation=(
        "Read as the ratio of the involved to the uninvolved free light chain (kappa/lambda or lambda/kappa), "
        "as the SLiM criterion of «Diagnostiske kriterier» states it, so that lambda clones are assessed too."
    ),
)
OTHER_ISOTYPE_AMBIGUITY = Ambiguity(
    citation=CITE,
    source_text="Lavrisikoutredning names only «IgG M-komponent <15 g/l, IgA M-komponent <5g/l»",
    interpretation=(
        "A serum M-component of another heavy-chain isotype (IgM, IgD, IgE) does not meet the low-risk "
        "criteria, so the app orders høyrisikoutredning."
    ),
)
MRI_BOUNDARY_AMBIGUITY = Ambiguity(
    citation=CITE,
    source_text=(
        "«MR helkropp gjøres hos pasienter med >10 % plasmaceller i biopsi» while ulmende myelomatose is "
        "«klonale plasmaceller i benmarg 10–59 %» and «MR skal gjøres … for å sette diagnosen ulmende myelomatose»"
    ),
    interpretation=(
        "Exactly 10 % clonal plasma cells also orders whole-body MRI (needed to diagnose smouldering myeloma)."
    ),
)


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
        return Finding(None, "light chain ratio unknown", ("labs.flc_kappa_mg_l", "labs.flc_lambda_mg_l"))
    if flc.uninvolved_mg_l == 0:
        return Finding(True, f"light chain ratio: involved {flc.involved_chain}, uninvolved chain 0 mg/L "
                             "(ratio unbounded) ≥ 8")
    ratio = dec(flc.involved_mg_l) / dec(flc.uninvolved_mg_l)
    text = f"involved/uninvolved light chain ratio {fmt(flc.involved_mg_l)}/{fmt(flc.uninvolved_mg_l)} = {ratio:.2f}"
    if ratio >= FLC_RATIO_LIMIT:
        return Finding(True, f"{text} ≥ {FLC_RATIO_LIMIT}")
    return Finding(False, f"{text} < {FLC_RATIO_LIMIT}")


def _m_protein_trigger(facts: PatientFacts) -> tuple[Finding, bool]:
    """(finding, other_isotype_used)."""
    m = facts.labs.serum_m_protein_g_l
    iso = facts.labs.m_protein_isotype
    if m is None:
        return Finding(None, "serum M-component unknown", ("labs.serum_m_protein_g_l",)), False
    if m == 0 or iso == Isotype.LIGHT_CHAIN:
        return Finding(False, f"no heavy-chain serum M-component ({fmt(m)} g/L, isotype {iso or 'unknown'})"), False
    if iso == Isotype.IGG:
        limit = IGG_LIMIT_G_L
    elif iso == Isotype.IGA:
        limit = IGA_LIMIT_G_L
    elif iso is None:
        if m >= IGG_LIMIT_G_L:
            return Finding(True, f"serum M-component {fmt(m)} g/L ≥ 15 (above both the IgG and IgA limits)"), False
        if m < IGA_LIMIT_G_L:
            return Finding(False, f"serum M-component {fmt(m)} g/L < 5 (below both the IgG and IgA limits)"), False
        return Finding(None, f"serum M-component {fmt(m)} g/L: the limit depends on the isotype",
                       ("labs.m_protein_isotype",)), False
    else:
        return Finding(True, f"{iso} M-component {fmt(m)} g/L: the low-risk tier names only IgG and IgA"), True
    if m >= limit:
        return Finding(True, f"{iso} M-component {fmt(m)} g/L ≥ {limit}"), False
    return Finding(False, f"{iso} M-component {fmt(m)} g/L < {limit}"), False


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
        plasmacytoma = Finding(True, f"plasmacytoma ({pc})")
    else:
        # A plasmacytoma is a high-risk trigger when present; the low-risk criteria do not list it.
        plasmacytoma = Finding(False, "no plasmacytoma reported")
    if facts.symptoms is None:
        symptoms = Finding(None, "symptoms unknown", ("symptoms",))
    elif facts.symptoms:
        symptoms = Finding(True, "suspected related symptoms")
    else:
        symptoms = Finding(False, "no symptoms")
    findings = (ratio, mprot, plasmacytoma, symptoms)
    ambiguities = [BOUNDARY_AMBIGUITY, RATIO_AMBIGUITY] + ([OTHER_ISOTYPE_AMBIGUITY] if other_isotype else [])
    if any(f.met is True for f in findings):
        return Workup(
            tier=HIGH_RISK,
            reasons=tuple(f"høyrisikoutredning: {f.reason}" for f in findings if f.met is True),
            ambiguities=tuple(ambiguities),
        )
    if all(f.met is False for f in findings):
        return Workup(
            tier=LOW_RISK,
            reasons=tuple(f"lavrisikoutredning: {f.reason}" for f in findings),
            ambiguities=tuple(ambiguities),
        )
    return Workup(
        tier=None,
        reasons=tuple(f"workup tier undecided: {f.reason}" for f in findings if f.met is None),
        missing=dedupe(p for f in findings for p in f.missing),
        ambiguities=tuple(ambiguities),
    )


def _investigations(tier: str, facts: PatientFacts, diagnosis_code: str | None) -> tuple[str, ...]:
    if tier == LOW_RISK:
        return (BLOOD_AND_URINE, URINE_ELECTROPHORESIS, PTH, HISTORY, NO_MARROW_NO_IMAGING)
    items = [BLOOD_AND_URINE, URINE_ELECTROPHORESIS, PTH, CT, MARROW]
    marrow = facts.marrow.clonal_plasma_cells_pct
    active = diagnosis_code in ("ACTIVE_MYELOMA", "PLASMA_CELL_LEUKEMIA")
    if not active and marrow is not None and marrow >= MRI_MARROW_LIMIT_PCT:
        items.append(MRI_ORDERED)
    elif not active:
        items.append(MRI_IF_MARROW)
    if tier == FULL:
        items += [VIROLOGY, FISH, BIOBANK]
    return tuple(items)


def workup(facts: PatientFacts, diagnosis_code: str | None) -> Workup:
    """The workup tier for this patient and the investigations it orders.

    Handlingsprogram, "Nivåer og rekkefølge på utredning": fullutredning for «Pasienter som
    har påvist behandlingskrevende myelomatose», «Pasienter med påviste plasmacytomer med
    klonal sykdom i benmargen» and «Pasienter med ulmende myelomatose» (what it orders:
    høyrisikoutredning + virusserologi HBV/HCV/HIV + FISH og TP53 + biobanking); otherwise
    the screening tier (see ``screening_tier``). No tier when no plasma cell disorder is
    suspected (diagnosis NO_PLASMA_CELL_DISORDER).
    """
    if diagnosis_code == "NO_PLASMA_CELL_DISORDER":
        return Workup(tier=None, reasons=("no plasma cell disorder suspected: no workup tier",))
    reasons = []
    ambiguities = []
    marrow = facts.marrow.clonal_plasma_cells_pct
    if marrow is not None and marrow >= MRI_MARROW_LIMIT_PCT and diagnosis_code not in (
        "ACTIVE_MYELOMA", "PLASMA_CELL_LEUKEMIA",
    ):
        ambiguities.append(MRI_BOUNDARY_AMBIGUITY)
    if diagnosis_code in FULL_WORKUP_CODES:
        reasons.append(f"fullutredning: diagnosis {diagnosis_code}")
        if diagnosis_code == "PLASMA_CELL_LEUKEMIA":
            ambiguities.append(Ambiguity(
                citation=CITE,
                source_text="Fullutredning: «Pasienter som har påvist behandlingskrevende myelomatose»",
                interpretation="Plasma cell leukaemia is not named; the app treats it as treatment-requiring "
                               "myeloma (fullutredning).",
            ))
    elif (
        facts.imaging.plasmacytoma in (Plasmacytoma.BONE, Plasmacytoma.EXTRAMEDULLARY)
        and marrow is not None
        and marrow > 0
    ):
        reasons.append(
            f"fullutredning: plasmacytoma with clonal disease in the bone marrow ({fmt(marrow)} % clonal plasma cells)"
        )
    if reasons:
        return Workup(
            tier=FULL,
            investigations=_investigations(FULL, facts, diagnosis_code),
            reasons=tuple(reasons),
            ambiguities=tuple(ambiguities),
        )
    screen = screening_tier(facts)
    if screen.tier is None:
        return Workup(tier=None, reasons=screen.reasons, missing=screen.missing,
                      ambiguities=screen.ambiguities + tuple(ambiguities))
    return Workup(
        tier=screen.tier,
        investigations=_investigations(screen.tier, facts, diagnosis_code),
        reasons=screen.reasons,
        ambiguities=screen.ambiguities + tuple(ambiguities),
    )
