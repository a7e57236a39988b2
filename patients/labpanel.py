"""Which analytes the lab panel page offers first: the ones the patient's workup asks for.

The engine's workup (guidelines/workup.py) lists investigations; the blood and urine tests among
them are the Handlingsprogram's «Laboratorieprøver» («Serumelektroforese med kvantitering av
M-komponent. Frie lette kjeder i serum. Hb, hvite med diff. telling, trombocytter, kreatinin,
estimert GFR, Calcium eller ionisert Calcium, albumin, β2mikroglobulin, LD, IgG, IgA, IgM.
NT-Pro-BNP, Troponin T, ALP og Urin-albumin. Blodutstryk.»), the 24-hour urine electrophoresis,
and for POEMS the Danish guideline's «Udredning» (its blood tests, VEGF-A). Every workup tier
orders the same «Laboratorieprøver»: the tiers differ in marrow, imaging and FISH, which the
panel does not record. eGFR is computed from creatinine; «Calcium eller ionisert Calcium» selects
the albumin-corrected calcium (the engine's), ionised calcium stays one click away.

Every other analyte of the catalogue is offered too (the free choice), below the selected ones.
"""

from guidelines import poems as poems_rules
from guidelines import workup as wk
from patients import labcatalogue

# The order of the panel: serum proteins, blood count, chemistry, heart, urine, POEMS.
ORDER = (
    "m_protein", "flc_kappa", "flc_lambda", "igg", "iga", "igm",
    "hemoglobin", "leukocytes", "neutrophils", "platelets", "circulating_plasma_cells",
    "creatinine", "calcium", "ionised_calcium", "albumin", "beta2m", "ldh", "alp", "alt", "bilirubin",
    "nt_probnp", "troponin_t",
    "urine_m_protein", "urine_albumin",
    "vegf",
)
assert sorted(ORDER) == sorted(labcatalogue.ANALYTES), "every catalogue analyte has its place in the panel"

LABORATORIEPROVER = (
    "m_protein", "flc_kappa", "flc_lambda", "hemoglobin", "leukocytes", "neutrophils", "platelets", "creatinine",
    "calcium", "albumin", "beta2m", "ldh", "igg", "iga", "igm", "nt_probnp", "troponin_t", "alp", "urine_albumin",
    "circulating_plasma_cells",
)


def _poems_item(start):
    """The POEMS workup item that starts with ``start`` (None if the engine's wording changed: the
    test of the POEMS panel then fails, nothing else does)."""
    return next((item for item in poems_rules.WORKUP if item.startswith(start)), None)


# investigation (as guidelines.workup / guidelines.poems word it) -> the analytes that answer it
INVESTIGATION_ANALYTES = {
    wk.BLOOD_AND_URINE: LABORATORIEPROVER,
    wk.URINE_ELECTROPHORESIS: ("urine_m_protein",),
    _poems_item("M-component in serum and urine"): ("m_protein", "urine_m_protein", "flc_kappa", "flc_lambda"),
    _poems_item("Haemoglobin, MCV"): ("hemoglobin", "leukocytes", "neutrophils", "platelets", "ionised_calcium",
                                      "creatinine", "iga", "igg", "igm"),
    _poems_item("Albumin, β2-microglobulin"): ("albumin", "beta2m", "ldh"),
    _poems_item("ALAT, alkaline phosphatase, bilirubin"): ("alt", "alp", "bilirubin"),
    _poems_item("Plasma VEGF-A"): ("vegf",),
}
INVESTIGATION_ANALYTES.pop(None, None)


def workup_analytes(investigations):
    """The catalogue analytes the workup's ``investigations`` ask for, in panel order."""
    wanted = {code for item in investigations for code in INVESTIGATION_ANALYTES.get(item, ())}
    return [code for code in ORDER if code in wanted]


def panel_rows(selected):
    """(selected analytes, the others), each in panel order: the page's two groups."""
    chosen = set(selected)
    return [c for c in ORDER if c in chosen], [c for c in ORDER if c not in chosen]


def workup_of(patient):
    """The engine's workup for the patient today (tier, investigations), from the record."""
    from guidelines.evaluate import evaluate
    from patients.facts import facts_for
    from regimens.library import from_database as protocol_library

    facts, _sources = facts_for(patient)
    return evaluate(facts, library=protocol_library()).workup
