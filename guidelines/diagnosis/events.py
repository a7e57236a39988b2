"""The myeloma-defining events, CRAB + SLiM: each met, not met or unknown, with the working.

Source: Handlingsprogram for myelomatose, "Diagnostiske kriterier", «Myelomatosedefinerende kriterier»
(hyperkalsemi, nyresvikt, anemi, benlesjoner; ≥ 60 % klonale plasmaceller, lettkjederatio ≥ 100, ≥ 2
fokale lesjoner på MR).
"""

from guidelines.facts import PatientFacts
from guidelines.labs import egfr, free_light_chains
from guidelines.rules import Finding, dec, dedupe, fmt

EVENTS = ("C", "R", "A", "B", "S", "Li", "M")


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


def _at_least(value: float | None, limit: int, path: str, unknown: str, met: str, not_met: str) -> Finding:
    """A count or percentage that meets its event from ``limit`` up; ``met`` / ``not_met`` name the value as
    ``{}``."""
    if value is None:
        return Finding(None, unknown, (path,))
    return Finding(True, met.format(fmt(value))) if value >= limit else Finding(False, not_met.format(fmt(value)))


def bone_disease(facts: PatientFacts) -> Finding:
    """B: «En eller flere osteolytiske lesjoner (minst 5 mm) påvist ved lavdose CT eller
    røntgen» (Handlingsprogram, Diagnostiske kriterier)."""
    return _at_least(facts.imaging.lytic_lesions, 1, "imaging.lytic_lesions",
                     "B: low-dose CT / X-ray of the skeleton not reported", "B: {} osteolytic lesion(s) ≥ 5 mm",
                     "B: no osteolytic lesion ≥ 5 mm")


def marrow_60(facts: PatientFacts) -> Finding:
    """S: «≥60 % klonale plasmaceller i beinmargen» (Handlingsprogram, Diagnostiske kriterier)."""
    return _at_least(facts.marrow.clonal_plasma_cells_pct, 60, "marrow.clonal_plasma_cells_pct",
                     "S: bone marrow clonal plasma cells unknown", "S: {} % clonal plasma cells ≥ 60 %",
                     "S: {} % clonal plasma cells < 60 %")


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
    return _at_least(facts.imaging.mri_focal_lesions, 2, "imaging.mri_focal_lesions", "M: whole-body MRI not reported",
                     "M: {} focal lesions ≥ 5 mm on whole-body MRI", "M: {} focal lesion(s) on whole-body MRI (< 2)")


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
