"""«Bisfosfonater og denosumab» and «Behandling av hyperkalsemi» (Støttebehandling)."""


from guidelines.advice import SupportiveItem
from guidelines.messages import Quantity, gettext_noop, msg
from guidelines.sources import myeloma
from guidelines.supportive.common import (
    BISPHOSPHONATE_EGFR,
    CALCIUM_LIMIT_MMOL_L,
    CREATININE_BISPHOSPHONATE_LIMIT_UMOL_L,
    IONISED_CALCIUM_LIMIT_MMOL_L,
    MYELOMA_DIAGNOSES,
    S_BONE,
    S_HYPERCALCAEMIA,
    _each,
    _missing,
)
from guidelines.terms import sentences
from guidelines.treatment.common import (
    RELAPSE_SETTINGS,
    beside,
)


def _bone(facts, *, setting, egfr_ml_min):
    """Bisfosfonater og denosumab: zoledronate 4 mg iv over 15 min every 4 weeks; not if GFR < 30 (denosumab,
    watch hypocalcaemia, a final zoledronic acid dose when stopping denosumab); dental assessment; calcium +
    vitamin D 1000/800."""
    citation = myeloma(S_BONE)
    items = _each(
        "bone", citation,
        msg("supportive.dental_assessment", gettext_noop(
            "Dental assessment before starting a bisphosphonate (medical certificate for reimbursement), then every "
            "6 months: both bisphosphonates and denosumab can cause osteonecrosis of the jaw.")),
        msg("supportive.calcium_vitamin_d", gettext_noop(
            "Calcium with vitamin D, 1000/800, for all patients.")),
    )
    if egfr_ml_min is None:
        items.append(SupportiveItem("bone", msg("supportive.zoledronate_egfr_unknown", gettext_noop(
            "Zoledronate 4 mg iv over 15 min every 4 weeks — unless GFR < 30 mL/min, then denosumab: eGFR is "
            "unknown, so the choice cannot be made.")), citation, (_missing("labs.egfr_ml_min"),)))
        return items
    egfr = beside(egfr_ml_min, BISPHOSPHONATE_EGFR)
    if egfr_ml_min < BISPHOSPHONATE_EGFR:
        items.append(SupportiveItem("bone", msg("supportive.denosumab_below_30", gettext_noop(
            "Bisphosphonates are not recommended at GFR < 30 mL/min. Denosumab can be used; watch for "
            "hypocalcaemia. Give a final dose of zoledronic acid when denosumab is stopped.")), citation,
            (msg("supportive.egfr_below_30", gettext_noop("eGFR %(egfr)s < 30 mL/min."), egfr=egfr),)))
        return items
    reasons = [msg("supportive.egfr_30_or_more", gettext_noop("eGFR %(egfr)s ≥ 30 mL/min: bisphosphonate allowed."),
                   egfr=egfr)]
    lytic = facts.imaging.lytic_lesions
    if lytic is None:
        duration = msg("supportive.bisphosphonate_duration_unknown", gettext_noop(
            "Without osteolyses and in VGPR (read as VGPR or better): may stop after 12 doses. With osteolytic "
            "disease: after at least 12 doses every 3 months, continued until 4 years in total."))
        reasons.append(_missing("imaging.lytic_lesions"))
    elif lytic > 0:
        duration = msg("supportive.bisphosphonate_duration_osteolytic", gettext_noop(
            "Osteolytic disease: after at least 12 doses go to every 3 months, and continue until treatment has been "
            "given for 4 years."))
        reasons.append(msg("supportive.osteolytic_lesions", gettext_noop("%(count)s osteolytic lesion(s)."),
                           count=lytic))
    else:
        duration = msg("supportive.bisphosphonate_duration_no_osteolyses", gettext_noop(
            "No osteolyses: may stop after 12 doses if in VGPR (read as VGPR or better)."))
        reasons.append(msg("supportive.no_osteolytic_lesions", gettext_noop("No osteolytic lesions.")))
    zoledronate = msg("supportive.zoledronate", gettext_noop("Zoledronate 4 mg iv over 15 min every 4 weeks."))
    items.append(SupportiveItem("bone", sentences(zoledronate, duration), citation, tuple(reasons)))
    if setting in RELAPSE_SETTINGS:
        items.append(SupportiveItem("bone", msg("supportive.bisphosphonate_at_relapse", gettext_noop(
            "At relapse bisphosphonate treatment is assessed individually: total amount given, whether there is "
            "skeletal disease and whether it is increasing. A restart can be limited to one year, with the interval "
            "increased towards 3 months.")), citation,
            (msg("supportive.relapse_setting", gettext_noop("Relapse setting.")),)))
    return items

def _hypercalcaemia(facts, *, diagnosis_code, ionised_calcium_mmol_l):
    """Behandling av hyperkalsemi, "Anbefaling": the first bullet (rehydration 4–6 L NaCl iv, diuretics) is for
    «Moderat/alvorlig hyperkalsemi (s-Ca>2,90 mmol/l eller ionisert Ca>1,45)»; the other bullets (bisphosphonate
    if creatinine < 400, steroids, start myeloma treatment, calcitonin, denosumab when refractory) are for
    hypercalcaemia in general: albumin-corrected calcium above the laboratory's upper limit, or — with the upper
    limit unknown — above 2.75 mmol/L (the absolute limit of the C criterion, Diagnostiske kriterier)."""
    calcium = facts.labs.calcium_mmol_l
    upper = facts.labs.calcium_upper_limit_mmol_l
    severe = []
    if calcium is not None and calcium > CALCIUM_LIMIT_MMOL_L:
        severe.append(msg("supportive.calcium_above_2_90", gettext_noop("s-Ca %(calcium)s > 2.90 mmol/L"),
                          calcium=Quantity(calcium)))
    if ionised_calcium_mmol_l is not None and ionised_calcium_mmol_l > IONISED_CALCIUM_LIMIT_MMOL_L:
        severe.append(msg("supportive.ionised_calcium_above_1_45", gettext_noop("ionised Ca %(calcium)s > 1.45 mmol/L"),
                          calcium=Quantity(ionised_calcium_mmol_l)))
    if severe:
        reason = (msg("supportive.moderate_severe_hypercalcaemia", gettext_noop(
            "Moderate/severe hypercalcaemia: %(findings)s."), findings=severe),)
    elif calcium is not None and upper is not None and calcium > upper:
        reason = (msg("supportive.hypercalcaemia_above_upper_limit", gettext_noop(
            "Hypercalcaemia: s-Ca %(calcium)s > upper reference limit %(upper)s mmol/L (≤ 2.90: not "
            "moderate/severe)."), calcium=Quantity(calcium), upper=Quantity(upper)),)
    elif calcium is not None and upper is None and calcium > 2.75:
        reason = (msg("supportive.hypercalcaemia_c_criterion", gettext_noop(
            "Hypercalcaemia: s-Ca %(calcium)s > 2.75 mmol/L (C criterion; upper reference limit unknown)."),
            calcium=Quantity(calcium)),)
    else:
        return []
    citation = myeloma(S_HYPERCALCAEMIA, "Anbefaling")
    creatinine = facts.labs.creatinine_umol_l
    if creatinine is None:
        bisphosphonate = msg("supportive.hypercalcaemia_bisphosphonate_creatinine_unknown", gettext_noop(
            "Bisphosphonate (dose per Legemiddelhåndboka; effect after 1–2 days, maximum after 3–7 days) can be given "
            "if creatinine < 400 µmol/L: creatinine unknown."))
        bis_reasons = (*reason, _missing("labs.creatinine_umol_l"))
    elif creatinine < CREATININE_BISPHOSPHONATE_LIMIT_UMOL_L:
        bisphosphonate = msg("supportive.hypercalcaemia_bisphosphonate", gettext_noop(
            "Creatinine %(creatinine)s < 400 µmol/L → bisphosphonate (dose per Legemiddelhåndboka; effect after 1–2 "
            "days, maximum after 3–7 days)."), creatinine=Quantity(creatinine))
        bis_reasons = reason
    else:
        bisphosphonate = msg("supportive.hypercalcaemia_no_bisphosphonate", gettext_noop(
            "Creatinine %(creatinine)s ≥ 400 µmol/L → no bisphosphonate (allowed only if creatinine < 400)."),
            creatinine=Quantity(creatinine))
        bis_reasons = reason
    bisphosphonate = sentences(bisphosphonate, msg("supportive.bisphosphonate_limits_differ", gettext_noop(
        "Note: the bone-protection section advises against bisphosphonates at GFR < 30 mL/min; the hypercalcaemia "
        "section uses creatinine < 400 µmol/L.")))
    items = []
    if severe:
        items.append(SupportiveItem("hypercalcaemia", msg("supportive.rehydration", gettext_noop(
            "Rehydration: 4–6 L NaCl iv; diuretics as needed.")), citation, reason))
    items += [
        SupportiveItem("hypercalcaemia", bisphosphonate, citation, bis_reasons),
        SupportiveItem("hypercalcaemia", msg("supportive.steroids", gettext_noop(
            "Steroids as in myeloma treatment (effect within 3–4 days).")), citation, reason),
    ]
    if diagnosis_code in MYELOMA_DIAGNOSES:
        items.append(SupportiveItem("hypercalcaemia", msg("supportive.start_myeloma_treatment", gettext_noop(
            "Start myeloma treatment quickly.")), citation, reason))
    items += [
        SupportiveItem("hypercalcaemia", msg("supportive.calcitonin", gettext_noop(
            "Calcitonin iv if a rapid fall in calcium is wanted (repeat: short half-life).")), citation, reason),
        SupportiveItem("hypercalcaemia", msg("supportive.denosumab_refractory_hypercalcaemia", gettext_noop(
            "Denosumab for treatment-refractory hypercalcaemia.")), citation, reason),
    ]
    return items
