"""Supportive care from the Norwegian myeloma action programme, chapter "Støttebehandling".

Sections: Tromboseprofylakse, Bisfosfonater og denosumab, Infeksjonsforebyggende behandling (vaccine table and
"Øvrig infeksjonsprofylakse"), Anemibehandling, Behandling av hyperkalsemi. Pure Python, no Django.
A fact a rule needs but does not have is named in the item's reasons as ``missing: <JSON path>``.
"""

import calendar
from datetime import date

from guidelines.advice import SupportiveItem
from guidelines.facts import ANTI_CD38, PROTEASOME_INHIBITORS, PatientFacts
from guidelines.sources import myeloma
from guidelines.treatment.common import (
    ACTIVE_MYELOMA,
    FIRST_LINE_TRANSPLANT,
    NO_PLASMA_CELL_DISORDER,
    PLASMA_CELL_LEUKEMIA,
    PLASMA_CELL_LEUKEMIA_SETTING,
    POEMS,
    RELAPSE_SETTINGS,
)

S_THROMBOSIS = "Tromboseprofylakse"
S_BONE = "Bisfosfonater og denosumab"
S_INFECTION = "Infeksjonsforebyggende behandling"
S_ANAEMIA = "Anemibehandling"
S_HYPERCALCAEMIA = "Behandling av hyperkalsemi"

MYELOMA_DIAGNOSES = frozenset({ACTIVE_MYELOMA, PLASMA_CELL_LEUKEMIA})
HMAS_SETTINGS = frozenset({FIRST_LINE_TRANSPLANT, PLASMA_CELL_LEUKEMIA_SETTING})
THROMBOGENIC_IMIDS = frozenset({"lenalidomide", "pomalidomide"})
BCMA_BISPECIFICS = frozenset({"teclistamab", "elranatamab"})
BISPECIFICS = BCMA_BISPECIFICS | {"talquetamab"}

CALCIUM_LIMIT_MMOL_L = 2.90
IONISED_CALCIUM_LIMIT_MMOL_L = 1.45
CREATININE_BISPHOSPHONATE_LIMIT_UMOL_L = 400
IGG_LIMIT_G_L = 4.0


def add_months(start: date, months: int) -> tuple[date, str]:
    """Calendar months after ``start``. When the day does not exist in the target month (31 Jan + 1 month) the
    last day of that month is used, and the returned text says so — nothing is moved silently."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day <= last:
        return date(year, month, start.day), ""
    return date(year, month, last), f" (day {start.day} does not exist in {year}-{month:02d}: last day of month)"


def hmas_vaccination_schedule(reinfusion_date: date) -> tuple[tuple[date, str, str], ...]:
    """Revaccination after HMAS, dated from stem cell reinfusion (Infeksjonsforebyggende behandling, Vaksiner,
    "Særlig anbefaling for HMAS"): PCV20 3, 4, 5 months then PPV23 12 months; SARS-CoV-2 basic vaccination 3, 4,
    5 months; Tetravac 6, 7, 12 months; Act-Hib 6, 7, 12 months. Returns (date, vaccine, dose label) by date."""
    plan = (
        ("PCV20 (Apexxnar/Prevenar20)", (3, 4, 5), "dose {n} of 3"),
        ("PPV23 (Pneumovax)", (12,), "single dose, then every 6 years"),
        ("SARS-CoV-2", (3, 4, 5), "basic vaccination dose {n} of 3, then yearly booster"),
        ("Tetravac", (6, 7, 12), "dose {n} of 3, then Boostrix every 10 years"),
        ("Act-Hib", (6, 7, 12), "dose {n} of 3"),
    )
    rows = []
    for vaccine, months, label in plan:
        for n, month in enumerate(months, start=1):
            when, remark = add_months(reinfusion_date, month)
            rows.append((when, vaccine, f"{month} months after reinfusion: {label.format(n=n)}{remark}"))
    return tuple(sorted(rows, key=lambda row: row[0]))


def supportive_care(facts: PatientFacts, *, diagnosis_code: str, setting: str, egfr_ml_min: float | None,
                    regimen_drugs=(), reinfusion_date: date | None = None, igg_g_l: float | None = None,
                    car_t: bool = False, ionised_calcium_mmol_l: float | None = None) -> tuple[SupportiveItem, ...]:
    """The supportive-care measures that apply to this patient and treatment (Støttebehandling).

    ``regimen_drugs`` are the drugs of the current or planned regimen (contract drug names); ``reinfusion_date``
    the HMAS stem cell reinfusion date; ``igg_g_l`` polyclonal serum IgG; ``car_t`` whether the patient gets or
    got CAR-T. POEMS follows the Danish guideline and gets nothing here."""
    if diagnosis_code in (POEMS, NO_PLASMA_CELL_DISORDER):
        return ()
    drugs = frozenset(regimen_drugs)
    items = []
    items += _thrombosis(drugs)
    if diagnosis_code in MYELOMA_DIAGNOSES:
        items += _bone(facts, setting=setting, egfr_ml_min=egfr_ml_min)
        items += _vaccines(setting=setting, reinfusion_date=reinfusion_date, car_t=car_t)
        items += _infection(drugs, setting=setting, reinfusion_date=reinfusion_date, igg_g_l=igg_g_l, car_t=car_t)
    items += _hypercalcaemia(facts, diagnosis_code=diagnosis_code, ionised_calcium_mmol_l=ionised_calcium_mmol_l)
    items += _anaemia(facts)
    return tuple(items)


def _thrombosis(drugs):
    """Tromboseprofylakse ved lenalidomid og pomalidomid: ASA 75 mg; high thrombosis risk: warfarin, DOAC or
    low-molecular-weight heparin (enoxaparin 40 mg or equivalent)."""
    imids = sorted(drugs & THROMBOGENIC_IMIDS)
    if not imids:
        return []
    return [SupportiveItem(
        "thrombosis",
        "Thrombosis prophylaxis: acetylsalicylic acid 75 mg × 1 daily. High thrombosis risk (several risk factors): "
        "warfarin, a DOAC or low-molecular-weight heparin (enoxaparin 40 mg or equivalent) instead.",
        myeloma(S_THROMBOSIS),
        (f"Regimen contains {', '.join(imids)}.",),
    )]


def _bone(facts, *, setting, egfr_ml_min):
    """Bisfosfonater og denosumab: zoledronate 4 mg iv over 15 min every 4 weeks; not if GFR < 30 (denosumab,
    watch hypocalcaemia, a final zoledronic acid dose when stopping denosumab); dental assessment; calcium +
    vitamin D 1000/800."""
    citation = myeloma(S_BONE)
    items = [
        SupportiveItem("bone", "Dental assessment before starting a bisphosphonate (medical certificate for "
                       "reimbursement), then every 6 months: both bisphosphonates and denosumab can cause "
                       "osteonecrosis of the jaw.", citation),
        SupportiveItem("bone", "Calcium with vitamin D, 1000/800, for all patients.", citation),
    ]
    if egfr_ml_min is None:
        items.append(SupportiveItem(
            "bone", "Zoledronate 4 mg iv over 15 min every 4 weeks — unless GFR < 30 mL/min, then denosumab: eGFR "
            "is unknown, so the choice cannot be made.", citation, ("missing: labs.egfr_ml_min",)))
        return items
    if egfr_ml_min < 30:
        items.append(SupportiveItem(
            "bone", "Bisphosphonates are not recommended at GFR < 30 mL/min. Denosumab can be used; watch for "
            "hypocalcaemia. Give a final dose of zoledronic acid when denosumab is stopped.", citation,
            (f"eGFR {egfr_ml_min:g} < 30 mL/min.",)))
        return items
    reasons = [f"eGFR {egfr_ml_min:g} ≥ 30 mL/min: bisphosphonate allowed."]
    lytic = facts.imaging.lytic_lesions
    if lytic is None:
        duration = ("Without osteolyses and in VGPR (read as VGPR or better): may stop after 12 doses. With "
                    "osteolytic disease: after at least 12 doses every 3 months, continued until 4 years in total.")
        reasons.append("missing: imaging.lytic_lesions")
    elif lytic > 0:
        duration = ("Osteolytic disease: after at least 12 doses go to every 3 months, and continue until treatment "
                    "has been given for 4 years.")
        reasons.append(f"{lytic} osteolytic lesion(s).")
    else:
        duration = "No osteolyses: may stop after 12 doses if in VGPR (read as VGPR or better)."
        reasons.append("No osteolytic lesions.")
    items.append(SupportiveItem("bone", "Zoledronate 4 mg iv over 15 min every 4 weeks. " + duration, citation,
                                tuple(reasons)))
    if setting in RELAPSE_SETTINGS:
        items.append(SupportiveItem(
            "bone", "At relapse bisphosphonate treatment is assessed individually: total amount given, whether there "
            "is skeletal disease and whether it is increasing. A restart can be limited to one year, with the "
            "interval increased towards 3 months.", citation, ("Relapse setting.",)))
    return items


def _vaccines(*, setting, reinfusion_date, car_t):
    """Infeksjonsforebyggende behandling, Vaksiner: all patients (FHI), plus HMAS revaccination (EBMT)."""
    citation = myeloma(S_INFECTION, "Vaksiner")
    items = [
        SupportiveItem("vaccine", "Pneumococci: PCV20 (Apexxnar/Prevenar20) first, PPV23 (Pneumovax) 8 weeks later; "
                       "PCV20 is not repeated, PPV23 every 6 years. If earlier only PPV23: PCV20 from 1 year after "
                       "PPV23.", citation),
        SupportiveItem("vaccine", "Influenza: seasonal vaccine every autumn.", citation),
        SupportiveItem("vaccine", "SARS-CoV-2: yearly booster.", citation),
        SupportiveItem("vaccine", "Diphtheria, tetanus, pertussis (polio): Boostrix every 10 years.", citation),
        SupportiveItem("vaccine", "Varicella zoster: Shingrix, two doses two months apart, for everyone with "
                       "myeloma (not reimbursed; no data on revaccination after HMAS).", citation),
        SupportiveItem("vaccine", "Hepatitis B: individual assessment (not reimbursed).", citation),
    ]
    if setting in HMAS_SETTINGS or reinfusion_date is not None:
        if reinfusion_date is None:
            items.append(SupportiveItem(
                "vaccine", "After HMAS: PCV20 3, 4 and 5 months and PPV23 12 months after reinfusion; SARS-CoV-2 "
                "3, 4 and 5 months; Tetravac and Act-Hib 6, 7 and 12 months. Dates follow once the reinfusion "
                "date is known.", citation, ("missing: reinfusion_date",)))
        else:
            for when, vaccine, label in hmas_vaccination_schedule(reinfusion_date):
                items.append(SupportiveItem("vaccine", f"{when.isoformat()}: {vaccine} — {label}.", citation,
                                            (f"Reinfusion {reinfusion_date.isoformat()}.",)))
        yellow = ""
        if reinfusion_date is not None:
            yellow = f" (from {add_months(reinfusion_date, 24)[0].isoformat()})"
        items.append(SupportiveItem(
            "vaccine", "No live vaccines after HMAS as a rule; yellow fever vaccine may be considered 2 years after "
            f"HMAS{yellow}. BCG is contraindicated.", citation))
    if car_t:
        items.append(SupportiveItem("vaccine", "After CAR-T: pneumococcal revaccination from 3–6 months after "
                                    "CAR-T. Update vaccination status before CAR-T or bispecifics if possible.",
                                    citation))
    return items


def _infection(drugs, *, setting, reinfusion_date, igg_g_l, car_t):
    """Infeksjonsforebyggende behandling, "Øvrig infeksjonsprofylakse"."""
    citation = myeloma(S_INFECTION, "Øvrig infeksjonsprofylakse")
    items = [
        SupportiveItem("infection", "Prophylactic antibiotics are not recommended in Norway.", citation),
        SupportiveItem("infection", "Immunoglobulin substitution (subcutaneous at home preferred) for "
                       "hypogammaglobulinaemia with recurrent infections with encapsulated bacteria, or with one "
                       "severe such infection; may be tried in major infection problems; stop if the infection "
                       "tendency does not improve.", citation),
        SupportiveItem("infection", "G-CSF: consider at neutrophils < 0.5 × 10^9/L.", citation),
    ]
    classes = sorted(drugs & (PROTEASOME_INHIBITORS | ANTI_CD38))
    if classes:
        items.append(SupportiveItem("infection", "Herpes zoster prophylaxis: valaciclovir 250 mg × 2 po.", citation,
                                    (f"Proteasome inhibitor / CD38 antibody: {', '.join(classes)}.",)))
    if setting in HMAS_SETTINGS or reinfusion_date is not None:
        until = ""
        reasons = ()
        if reinfusion_date is not None:
            end, remark = add_months(reinfusion_date, 3)
            until = f" (until {end.isoformat()}{remark})"
        else:
            reasons = ("missing: reinfusion_date",)
        items.append(SupportiveItem("infection", f"HMAS: valaciclovir 250 mg × 2 until 3 months after reinfusion"
                                    f"{until}; with proteasome-inhibitor consolidation, until at least 1–2 months "
                                    "after it ends.", citation, reasons))
    bispecifics = sorted(drugs & BISPECIFICS)
    if car_t:
        items += [
            SupportiveItem("infection", "CAR-T: valaciclovir 500 mg × 2 from reinfusion for at least one year; "
                           "stopping requires CD4 > 0.2 × 10^9/L. Consider varicella serology.", citation),
            SupportiveItem("infection", "CAR-T: Pneumocystis prophylaxis from reinfusion for 6 months or until CD4 ≥ "
                           "0.2 × 10^9/L, whichever is longer. " + PJP_REGIMEN, citation),
            SupportiveItem("infection", "CAR-T: immunoglobulin substitution from day +30 for at least 1 year; after "
                           "1 year continue until serum IgG > 4 g/L.", citation),
        ]
    if bispecifics:
        reason = (f"Bispecific antibody: {', '.join(bispecifics)}.",)
        items += [
            SupportiveItem("infection", "Bispecific antibody: valaciclovir 250–500 mg × 2 from start for at least "
                           "one year; stopping requires CD4 > 0.2 × 10^9/L. Consider varicella serology.", citation,
                           reason),
            SupportiveItem("infection", "Bispecific antibody: Pneumocystis prophylaxis from start and during "
                           "treatment, or until CD4 ≥ 0.2 × 10^9/L, whichever is longer. " + PJP_REGIMEN, citation,
                           reason),
        ]
        items += _igg_bispecific(drugs, igg_g_l, citation)
    if car_t or bispecifics:
        items += [
            SupportiveItem("infection", "Fluconazole: consider at persistent neutropenia (< 0.5 × 10^9/L) and "
                           "steroid use; consider mould prophylaxis at particularly high fungal risk.", citation),
            SupportiveItem("infection", "G-CSF: avoid during bispecific step-up and early after CAR-T (may worsen "
                           "cytokine release syndrome); low threshold later.", citation),
            SupportiveItem("infection", "CMV: no prophylaxis; CMV DNA before start, monitor if positive; otherwise "
                           "at clinical suspicion and in risk situations (e.g. steroids > 3 days).", citation),
            SupportiveItem("infection", "Hepatitis B: anti-HBc positive → prophylaxis, or monitor HBV DNA by PCR "
                           "and treat viraemia; HBsAg positive → antiviral prophylaxis; PCR monitored throughout; "
                           "in consultation with an infectious disease physician.", citation),
        ]
    return items


PJP_REGIMEN = ("Trimethoprim-sulfamethoxazole 160/800 mg (2 tablets Bactrim) 3 times weekly, or 80/400 mg daily; "
               "if intolerant: dapsone 100 mg po daily, inhaled pentamidine 300 mg once a month, or atovaquone "
               "1.5 g daily.")


def _igg_bispecific(drugs, igg_g_l, citation):
    """BCMA bispecifics: consider substitution when IgG < 4.0 g/L; talquetamab: standard criteria."""
    items = []
    bcma = sorted(drugs & BCMA_BISPECIFICS)
    if bcma:
        base = ("continue until treatment ends or until IgG without substitution is > 4 g/L, whichever is longer. "
                "The regimen tables add: nearly all responders develop severe hypogammaglobulinaemia; "
                "substitution should usually start from cycle 2.")
        if igg_g_l is None:
            text, reasons = "BCMA bispecific: consider immunoglobulin substitution when IgG < 4.0 g/L; " + base, (
                "missing: igg_g_l",)
        elif igg_g_l < IGG_LIMIT_G_L:
            text = (f"BCMA bispecific: IgG {igg_g_l:g} < 4.0 g/L → consider starting immunoglobulin substitution; "
                    + base)
            reasons = (f"IgG {igg_g_l:g} g/L < 4.0 g/L.",)
        else:
            text = (f"BCMA bispecific: IgG {igg_g_l:g} ≥ 4.0 g/L → the IgG criterion for substitution is not met; "
                    "re-check IgG. " + base)
            reasons = (f"IgG {igg_g_l:g} g/L ≥ 4.0 g/L.",)
        items.append(SupportiveItem("infection", text, citation, (f"{', '.join(bcma)}.", *reasons)))
    if "talquetamab" in drugs:
        items.append(SupportiveItem("infection", "Talquetamab (GPRC5D): no primary immunoglobulin prophylaxis; "
                                    "substitution by the standard criteria (hypogammaglobulinaemia with recurrent "
                                    "or severe infections).", citation, ("talquetamab.",)))
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
        severe.append(f"s-Ca {calcium:g} > 2.90 mmol/L")
    if ionised_calcium_mmol_l is not None and ionised_calcium_mmol_l > IONISED_CALCIUM_LIMIT_MMOL_L:
        severe.append(f"ionised Ca {ionised_calcium_mmol_l:g} > 1.45 mmol/L")
    if severe:
        reason = ("Moderate/severe hypercalcaemia: " + ", ".join(severe) + ".",)
    elif calcium is not None and upper is not None and calcium > upper:
        reason = (f"Hypercalcaemia: s-Ca {calcium:g} > upper reference limit {upper:g} mmol/L (≤ 2.90: not "
                  "moderate/severe).",)
    elif calcium is not None and upper is None and calcium > 2.75:
        reason = (f"Hypercalcaemia: s-Ca {calcium:g} > 2.75 mmol/L (C criterion; upper reference limit unknown).",)
    else:
        return []
    citation = myeloma(S_HYPERCALCAEMIA, "Anbefaling")
    creatinine = facts.labs.creatinine_umol_l
    if creatinine is None:
        bisphosphonate = ("Bisphosphonate (dose per Legemiddelhåndboka; effect after 1–2 days, maximum after 3–7 "
                          "days) can be given if creatinine < 400 µmol/L: creatinine unknown.")
        bis_reasons = (*reason, "missing: labs.creatinine_umol_l")
    elif creatinine < CREATININE_BISPHOSPHONATE_LIMIT_UMOL_L:
        bisphosphonate = (f"Creatinine {creatinine:g} < 400 µmol/L → bisphosphonate (dose per Legemiddelhåndboka; "
                          "effect after 1–2 days, maximum after 3–7 days).")
        bis_reasons = reason
    else:
        bisphosphonate = (f"Creatinine {creatinine:g} ≥ 400 µmol/L → no bisphosphonate (allowed only if "
                          "creatinine < 400).")
        bis_reasons = reason
    bisphosphonate += (" Note: the bone-protection section advises against bisphosphonates at GFR < 30 mL/min; the "
                       "hypercalcaemia section uses creatinine < 400 µmol/L.")
    items = []
    if severe:
        items.append(SupportiveItem("hypercalcaemia", "Rehydration: 4–6 L NaCl iv; diuretics as needed.", citation,
                                    reason))
    items += [
        SupportiveItem("hypercalcaemia", bisphosphonate, citation, bis_reasons),
        SupportiveItem("hypercalcaemia", "Steroids as in myeloma treatment (effect within 3–4 days).", citation,
                       reason),
    ]
    if diagnosis_code in MYELOMA_DIAGNOSES:
        items.append(SupportiveItem("hypercalcaemia", "Start myeloma treatment quickly.", citation, reason))
    items += [
        SupportiveItem("hypercalcaemia", "Calcitonin iv if a rapid fall in calcium is wanted (repeat: short "
                       "half-life).", citation, reason),
        SupportiveItem("hypercalcaemia", "Denosumab for treatment-refractory hypercalcaemia.", citation, reason),
    ]
    return items


def _anaemia(facts):
    """Anemibehandling: exclude other common causes; ESA if none found and treatment is needed."""
    hb, lower = facts.labs.hemoglobin_g_dl, facts.labs.hemoglobin_lower_limit_g_dl
    if hb is None or lower is None or hb >= lower:
        return []
    return [SupportiveItem(
        "anaemia", "Anaemia: exclude other common causes — at least reticulocytes, MCV, ferritin, iron/transferrin "
        "saturation/TIBC, B12 and folate. If no other cause is found and treatment is needed, an "
        "erythropoiesis-stimulating agent (ESA) can be tried.", myeloma(S_ANAEMIA),
        (f"Haemoglobin {hb:g} g/dL below the lower limit {lower:g} g/dL.",),
    )]
