"""The myeloma-defining events, CRAB + SLiM: each met, not met or unknown, with the working.

Source: Handlingsprogram for myelomatose, "Diagnostiske kriterier", «Myelomatosedefinerende kriterier»
(hyperkalsemi, nyresvikt, anemi, benlesjoner; ≥ 60 % klonale plasmaceller, lettkjederatio ≥ 100, ≥ 2
fokale lesjoner på MR).
"""

from guidelines.facts import PatientFacts
from guidelines.labs import egfr, egfr_quantity, free_light_chains
from guidelines.messages import Quantity, Term, gettext_noop, msg
from guidelines.rules import Finding, dec, dedupe

EVENTS = ("C", "R", "A", "B", "S", "Li", "M")


def hypercalcaemia(facts: PatientFacts) -> Finding:
    """C: «Albumin-korrigert Ca >0,25 mmol/L over referanseverdi eller > 2,75 mmol/L»
    (Handlingsprogram, Diagnostiske kriterier)."""
    ca = facts.labs.calcium_mmol_l
    if ca is None:
        return Finding(None, msg("event.c_unknown", gettext_noop("C: albumin-corrected calcium unknown")),
                       ("labs.calcium_mmol_l",))
    ca_q = Quantity(ca, "mmol/L")
    if dec(ca) > dec(2.75):
        return Finding(True, msg("event.c_above_2_75", gettext_noop("C: albumin-corrected calcium %(calcium)s > 2.75"),
                                 calcium=ca_q))
    uln = facts.labs.calcium_upper_limit_mmol_l
    if uln is None:
        return Finding(
            None,
            msg("event.c_upper_limit_needed", gettext_noop(
                "C: calcium %(calcium)s ≤ 2.75; the upper reference limit is needed for «> 0.25 above the reference»"),
                calcium=ca_q),
            ("labs.calcium_upper_limit_mmol_l",),
        )
    limit = dec(uln) + dec(0.25)
    if dec(ca) > limit:
        return Finding(True, msg("event.c_above_upper_limit", gettext_noop(
            "C: calcium %(calcium)s > upper limit %(uln)s + 0.25 = %(limit)s"),
            calcium=ca_q, uln=Quantity(uln), limit=Quantity(limit)))
    return Finding(False, msg("event.c_not_met", gettext_noop(
        "C: calcium %(calcium)s ≤ 2.75 and ≤ upper limit %(uln)s + 0.25 = %(limit)s"),
        calcium=ca_q, uln=Quantity(uln), limit=Quantity(limit)))


def renal_failure(facts: PatientFacts) -> Finding:
    """R: «Forhøyet kreatinin >177 µmol/L eller eGFR <40 mL/min/1,73m2» (Handlingsprogram,
    Diagnostiske kriterier). eGFR as given, else CKD-EPI 2021 (guidelines.labs)."""
    cr = facts.labs.creatinine_umol_l
    e = egfr(facts)
    if cr is not None and dec(cr) > 177:
        return Finding(True, msg("event.r_creatinine", gettext_noop("R: creatinine %(creatinine)s > 177"),
                                 creatinine=Quantity(cr, "µmol/L")))
    if e.value is not None and e.value < 40:
        return Finding(True, msg("event.r_egfr", gettext_noop("R: eGFR %(egfr)s (%(source)s) < 40"),
                                 egfr=egfr_quantity(e), source=e.source_text))
    if cr is None or e.value is None:
        missing = ("labs.creatinine_umol_l",) if cr is None else ()
        return Finding(None, msg("event.r_unknown", gettext_noop("R: creatinine and eGFR both needed")),
                       dedupe(missing + e.missing))
    return Finding(False, msg("event.r_not_met", gettext_noop(
        "R: creatinine %(creatinine)s ≤ 177 and eGFR %(egfr)s (%(source)s) ≥ 40"),
        creatinine=Quantity(cr, "µmol/L"), egfr=egfr_quantity(e, unit=""), source=e.source_text))


def anaemia(facts: PatientFacts) -> Finding:
    """A: «Hb <10 g/dL eller 2 g/dL under laboratoriets referanseområde» (Handlingsprogram,
    Diagnostiske kriterier); see ANAEMIA_AMBIGUITY for the boundary."""
    hb = facts.labs.hemoglobin_g_dl
    if hb is None:
        return Finding(None, msg("event.a_unknown", gettext_noop("A: haemoglobin unknown")), ("labs.hemoglobin_g_dl",))
    hb_q = Quantity(hb, "g/dL")
    if dec(hb) < 10:
        return Finding(True, msg("event.a_below_10", gettext_noop("A: Hb %(hb)s < 10"), hb=hb_q))
    lower = facts.labs.hemoglobin_lower_limit_g_dl
    if lower is None:
        return Finding(None, msg("event.a_lower_limit_needed", gettext_noop(
            "A: Hb %(hb)s ≥ 10; the lower reference limit is needed"), hb=hb_q),
                       ("labs.hemoglobin_lower_limit_g_dl",))
    limit = dec(lower) - 2
    if dec(hb) <= limit:
        return Finding(True, msg("event.a_below_lower_limit", gettext_noop(
            "A: Hb %(hb)s ≤ lower limit %(lower)s − 2 = %(limit)s"), hb=hb_q, lower=Quantity(lower),
            limit=Quantity(limit)))
    return Finding(False, msg("event.a_not_met", gettext_noop(
        "A: Hb %(hb)s ≥ 10 and > lower limit %(lower)s − 2 = %(limit)s"), hb=hb_q, lower=Quantity(lower),
        limit=Quantity(limit)))


def _at_least(value: float | None, limit: int, path: str, unknown, met, not_met) -> Finding:
    """A count or percentage that meets its event from ``limit`` up; ``unknown`` is a message, ``met`` /
    ``not_met`` make the message of the value."""
    if value is None:
        return Finding(None, unknown, (path,))
    return Finding(True, met(Quantity(value))) if value >= limit else Finding(False, not_met(Quantity(value)))


def bone_disease(facts: PatientFacts) -> Finding:
    """B: «En eller flere osteolytiske lesjoner (minst 5 mm) påvist ved lavdose CT eller
    røntgen» (Handlingsprogram, Diagnostiske kriterier)."""
    return _at_least(
        facts.imaging.lytic_lesions, 1, "imaging.lytic_lesions",
        msg("event.b_unknown", gettext_noop("B: low-dose CT / X-ray of the skeleton not reported")),
        lambda n: msg("event.b_met", gettext_noop("B: %(count)s osteolytic lesion(s) ≥ 5 mm"), count=n),
        lambda n: msg("event.b_not_met", gettext_noop("B: no osteolytic lesion ≥ 5 mm")))


def marrow_60(facts: PatientFacts) -> Finding:
    """S: «≥60 % klonale plasmaceller i beinmargen» (Handlingsprogram, Diagnostiske kriterier)."""
    return _at_least(
        facts.marrow.clonal_plasma_cells_pct, 60, "marrow.clonal_plasma_cells_pct",
        msg("event.s_unknown", gettext_noop("S: bone marrow clonal plasma cells unknown")),
        lambda pct: msg("event.s_met", gettext_noop("S: %(pct)s %% clonal plasma cells ≥ 60 %%"), pct=pct),
        lambda pct: msg("event.s_not_met", gettext_noop("S: %(pct)s %% clonal plasma cells < 60 %%"), pct=pct))


def light_chain_ratio_100(facts: PatientFacts) -> Finding:
    """Li: «Forhøyet ratio av frie lette kjeder i serum (kappa/lambda eller lambda/kappa) ≥100,
    forutsatt at konsentrasjonen av den involverte frie lette kjeden er >100 mg/L»
    (Handlingsprogram, Diagnostiske kriterier)."""
    flc = free_light_chains(facts.labs.flc_kappa_mg_l, facts.labs.flc_lambda_mg_l)
    if flc.involved_mg_l is None:
        return Finding(None, msg("event.li_unknown", gettext_noop("Li: serum free light chains unknown")),
                       ("labs.flc_kappa_mg_l", "labs.flc_lambda_mg_l"))
    chain, involved = Term(flc.involved_chain), Quantity(flc.involved_mg_l, "mg/L")
    if dec(flc.involved_mg_l) <= 100:
        return Finding(False, msg("event.li_involved_not_above_100", gettext_noop(
            "Li: involved %(chain)s %(involved)s is not > 100"), chain=chain, involved=involved))
    if flc.uninvolved_mg_l == 0:
        return Finding(True, msg("event.li_uninvolved_zero", gettext_noop(
            "Li: involved %(chain)s %(involved)s > 100, uninvolved 0 mg/L (ratio unbounded, ≥ 100)"),
            chain=chain, involved=involved))
    ratio = dec(flc.involved_mg_l) / dec(flc.uninvolved_mg_l)
    values = {"chain": chain, "involved": involved, "involved_value": Quantity(flc.involved_mg_l),
              "uninvolved_value": Quantity(flc.uninvolved_mg_l), "ratio": Quantity(ratio, "", "ratio")}
    if ratio >= 100:
        return Finding(True, msg("event.li_met", gettext_noop(
            "Li: involved/uninvolved %(involved_value)s/%(uninvolved_value)s = %(ratio)s, involved %(chain)s "
            "%(involved)s > 100; ratio ≥ 100"), **values))
    return Finding(False, msg("event.li_not_met", gettext_noop(
        "Li: involved/uninvolved %(involved_value)s/%(uninvolved_value)s = %(ratio)s, involved %(chain)s "
        "%(involved)s > 100; ratio < 100"), **values))


def mri_lesions(facts: PatientFacts) -> Finding:
    """M: «≥2 fokale lesjoner på MR (minst 5 mm) (MR helkropp)» (Handlingsprogram,
    Diagnostiske kriterier)."""
    return _at_least(
        facts.imaging.mri_focal_lesions, 2, "imaging.mri_focal_lesions",
        msg("event.m_unknown", gettext_noop("M: whole-body MRI not reported")),
        lambda n: msg("event.m_met", gettext_noop("M: %(count)s focal lesions ≥ 5 mm on whole-body MRI"), count=n),
        lambda n: msg("event.m_not_met", gettext_noop("M: %(count)s focal lesion(s) on whole-body MRI (< 2)"), count=n))


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
