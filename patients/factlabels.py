"""What a fact the guideline engine names is called on a page: its JSON path as a readable label.

The engine lists the facts it lacks (``missing``) and the facts it used by their JSON paths in the
evaluate request (shared/contract/api-v1.md: ``labs.calcium_mmol_l``, ``treatment_history[0].drugs``).
The API speaks in those paths; a page never shows one: ``fact_label`` gives the label the ward reads
(«Kalsium, albuminkorrigert (mmol/L)»), with its unit, in the reader's language. The path stays in
the page's ``data-path`` attributes for the links and the tests.
"""

import datetime
import re

from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from patients.quantities import fact_text

FACT_LABELS = {
    # the patient
    "age": _("Age (years)"),
    "sex": _("Sex"),
    "weight_kg": _("Weight (kg)"),
    "height_cm": _("Height (cm)"),
    "frailty": _("Frailty"),
    "transplant_contraindication": _("Contraindication to transplantation"),
    "symptoms": _("Symptoms plausibly caused by the plasma cell disease"),
    # blood and urine
    "labs": _("Laboratory results"),
    "labs.hemoglobin_g_dl": _("Haemoglobin (g/dL)"),
    "labs.hemoglobin_lower_limit_g_dl": _("Haemoglobin, lower reference limit (g/dL)"),
    "labs.calcium_mmol_l": _("Calcium, albumin-corrected (mmol/L)"),
    "labs.calcium_upper_limit_mmol_l": _("Calcium, upper reference limit (mmol/L)"),
    "labs.creatinine_umol_l": _("Creatinine (µmol/L)"),
    "labs.egfr_ml_min": _("eGFR (mL/min/1.73 m²)"),
    "labs.albumin_g_l": _("Albumin (g/L)"),
    "labs.beta2m_mg_l": _("β2-microglobulin (mg/L)"),
    "labs.ldh_u_l": _("Lactate dehydrogenase, LD (U/L)"),
    "labs.ldh_upper_limit_u_l": _("LD, upper reference limit (U/L)"),
    "labs.serum_m_protein_g_l": _("M-component in serum (g/L)"),
    "labs.m_protein_isotype": _("Isotype of the M-component"),
    "labs.urine_m_protein_mg_24h": _("M-component in urine (mg/24 h)"),
    "labs.flc_kappa_mg_l": _("Free light chain kappa (mg/L)"),
    "labs.flc_lambda_mg_l": _("Free light chain lambda (mg/L)"),
    # xgettext:no-python-format
    "labs.circulating_plasma_cells_pct": _("Plasma cells in the blood smear (% of leukocytes)"),
    "labs.vegf_ng_l": _("VEGF-A in plasma (ng/L)"),
    "labs.platelets_10e9_l": _("Platelets (10⁹/L)"),
    "labs.igg_g_l": _("Polyclonal IgG (g/L)"),
    "igg_g_l": _("Polyclonal IgG (g/L)"),
    # bone marrow
    "marrow": _("Bone marrow"),
    "marrow.clonal_plasma_cells_pct": _("Clonal plasma cells in the bone marrow (%)"),
    # imaging
    "imaging": _("Imaging"),
    "imaging.lytic_lesions": _("Osteolytic lesions ≥ 5 mm (low-dose CT / X-ray)"),
    "imaging.mri_focal_lesions": _("Focal lesions ≥ 5 mm on whole-body MRI"),
    "imaging.plasmacytoma": _("Plasmacytoma"),
    "imaging.plasmacytoma_biopsy_proven": _("Plasmacytoma biopsy-proven"),
    "imaging.plasmacytoma_count": _("Number of plasmacytomas"),
    "imaging.sclerotic_bone_lesions": _("Sclerotic bone lesions"),
    "imaging.sclerotic_bone_lesion_count": _("Number of osteosclerotic bone lesions on CT"),
    "imaging.extramedullary_disease": _("Extramedullary disease (plasmacytoma not related to bone)"),
    "imaging.plasmacytoma_size_cm": _("Size of the largest plasmacytoma (cm)"),
    # skeletal and emergency findings (radiotherapy and surgery)
    "emergency": _("Skeletal and emergency findings"),
    "emergency.spinal_cord_compression": _("Threatened spinal cord compression"),
    "emergency.painful_lesion": _("Painful skeletal lesion"),
    "emergency.fracture": _("Fracture"),
    "emergency.impending_fracture": _("Impending fracture"),
    "emergency.postoperative": _("After fracture surgery"),
    "emergency.space_occupying": _("Other space-occupying process threatening vital structures"),
    # organ function and comorbidity (CAR-T)
    "car_t": _("Organ function and comorbidity (CAR-T)"),
    "car_t.lvef_pct": _("LVEF (%)"),
    "car_t.spo2_room_air_pct": _("Oxygen saturation on room air (%)"),
    "car_t.liver_cirrhosis": _("Liver cirrhosis"),
    "car_t.serious_comorbidity": _("Other serious comorbidity"),
    # xgettext:no-python-format
    "car_t.blood_plasma_cells_pct": _("Plasma cells in a recent blood smear (%)"),
    "car_t.al_amyloidosis": _("AL amyloidosis"),
    "car_t.fish_tp53_date": _("Date of the FISH/TP53 analysis (after the last relapse)"),
    # the current treatment
    "current_treatment": _("Current treatment"),
    "current_treatment.regimen": _("Current treatment: regimen"),
    "current_treatment.phase": _("Current treatment: on treatment or in a treatment pause"),
    "current_treatment.start_date": _("Current treatment: start date"),
    "current_treatment.mrd_negative_months": _("Current treatment: months of MRD-negative CR"),
    # FISH
    "cytogenetics": _("FISH / cytogenetics"),
    "cytogenetics.del17p": _("FISH: del(17p)"),
    "cytogenetics.tp53_mutation": _("TP53 mutation"),
    "cytogenetics.t4_14": _("FISH: t(4;14)"),
    "cytogenetics.t14_16": _("FISH: t(14;16)"),
    "cytogenetics.t14_20": _("FISH: t(14;20)"),
    "cytogenetics.t11_14": _("FISH: t(11;14)"),
    "cytogenetics.gain1q": _("FISH: gain(1q)/amp(1q)"),
    "cytogenetics.del1p32": _("FISH: del(1p32)"),
    # POEMS findings
    "poems": _("POEMS findings"),
    "poems.polyneuropathy": _("Polyneuropathy"),
    "poems.polyneuropathy_severe_rapidly_progressive": _("Polyneuropathy severe or rapidly progressive"),
    "poems.demyelinating_neuropathy_suspected_cidp": _("Demyelinating neuropathy / suspected CIDP"),
    "poems.castleman": _("Castleman disease"),
    "poems.organomegaly": _("Organomegaly (spleen, liver, lymph nodes)"),
    "poems.extravascular_volume_overload": _("Oedema, pleural effusion or ascites"),
    "poems.endocrinopathy": _("Endocrinopathy"),
    "poems.skin_changes": _("Skin changes"),
    "poems.papilledema": _("Papilloedema"),
    "poems.thrombocytosis_or_polycythemia": _("Thrombocytosis or polycythaemia"),
    "poems.refractory_ascites": _("Refractory ascites"),
    "poems.gynecomastia": _("Gynaecomastia"),
    # the treatment history
    "treatment_history": _("Treatment history"),
    "reinfusion_date": _("Date of stem cell reinfusion (HMAS)"),
}

LINE_FIELD_LABELS = {
    "line": _("line number"),
    "regimen": _("regimen"),
    "drugs": _("drugs"),
    "refractory_to": _("refractory to"),
    "intolerant_to": _("intolerant of"),
    "autologous_transplant": _("autologous stem cell transplantation"),
    "months_from_transplant_to_progression": _("months from transplantation to progression"),
    "best_response": _("best response"),
    "transplant_date": _("date of stem cell reinfusion (HMAS)"),
    "progression_date": _("date of progression"),
    "progression_in_induction": _("progression in induction (early, late or none)"),
    "start_date": _("start date"),
    "end_date": _("end date (radiotherapy: end of the radiotherapy)"),
    "tandem_transplant_date": _("date of stem cell reinfusion of the tandem HMAS"),
    "radiotherapy_gy": _("radiotherapy given on the line (Gy)"),
}

# The response tracker's measurements (guidelines.response.Measurement), at baseline, nadir or now.
MEASUREMENT_LABELS = {
    "serum_m_protein_g_l": _("M-component in serum (g/L)"),
    "urine_m_protein_mg_24h": _("M-component in urine (mg/24 h)"),
    "flc_kappa_mg_l": _("Free light chain kappa (mg/L)"),
    "flc_lambda_mg_l": _("Free light chain lambda (mg/L)"),
    "marrow_plasma_cells_pct": _("Plasma cells in the bone marrow (%)"),
    "serum_ife_negative": _("Immunofixation of serum negative"),
    "urine_ife_negative": _("Immunofixation of urine negative"),
    "flc_ratio_normal": _("Free light chain ratio normal"),
    "marrow_clonal_cells_absent": _("No clonal plasma cells in the bone marrow"),
    "mrd_negative": _("MRD negative"),
    "new_crab": _("New CRAB criteria"),
    "extramedullary_plasmacytoma": _("Extramedullary plasmacytoma"),
    "plasmacytoma_reduction_pct": _("Size reduction of soft-tissue plasmacytomas (%)"),
    "baseline_m_g_l": _("M-protein at baseline (g/L)"),
    "current_m_g_l": _("M-protein now (g/L)"),
    "marrow_involved": _("Clonal plasma cells in the bone marrow"),
    "vegf_ng_l": _("VEGF-A (ng/L)"),
    "pet_suv_max": _("SUVmax (FDG-PET)"),
    "pet_lesions_resolved": _("Initially FDG-positive lesions gone"),
    "baseline_suvmax": _("SUVmax at baseline"),
    "current_suvmax": _("SUVmax now"),
}
MEASUREMENT_TIMES = {"baseline": _("at baseline"), "nadir": _("lowest earlier value"), "current": _("now")}

LINE_PATH = re.compile(r"^treatment_history\[(\d+)\](?:\.(\w+))?$")
MEASUREMENT_PATH = re.compile(r"^(baseline|nadir|current)\.(\w+)$")


def fact_label(path: str, *, line_numbers=()):
    """The label of the fact at JSON path ``path`` in the reader's language. ``line_numbers``: the line
    number of each ``treatment_history[i]`` (the request's order), so that a line is named by its number.
    An unknown path (a new engine field) is named by its last part, never shown whole."""
    if path in FACT_LABELS:
        return FACT_LABELS[path]
    if match := LINE_PATH.match(path):
        index, field = int(match.group(1)), match.group(2)
        number = line_numbers[index] if index < len(line_numbers) else index + 1
        line = format_lazy(_("Treatment line {number}"), number=number)
        if field is None:
            return line
        return format_lazy("{}: {}", line, LINE_FIELD_LABELS.get(field, field.replace("_", " ")))
    if match := MEASUREMENT_PATH.match(path):
        time, field = match.groups()
        label = MEASUREMENT_LABELS.get(field, field.replace("_", " "))
        return format_lazy("{} ({})", label, MEASUREMENT_TIMES[time])
    if path in MEASUREMENT_LABELS:
        return MEASUREMENT_LABELS[path]
    return path.rpartition(".")[2].replace("_", " ")


DERIVED_LABELS = {"egfr_ml_min": "eGFR", "bsa_m2": _("BSA"), "flc_ratio": _("FLC ratio (kappa/lambda)"),
                  "involved_flc_mg_l": _("Involved FLC"), "dflc_mg_l": "dFLC"}


def derived_values(derived):
    """The values the engine derived (eGFR, BSA, FLC ratio, involved FLC, dFLC), each at its
    precision with its unit; the working beside them keeps what the engine computed."""
    return [{"key": key, "label": label, "text": fact_text(key, derived[key], unit=True)}
            for key, label in DERIVED_LABELS.items() if derived.get(key) is not None]


# The POEMS criteria the engine names (guidelines.poems: MANDATORY, MAJOR, MINOR), as the page names them.
POEMS_CRITERIA = {
    "polyneuropathy": _("Polyneuropathy"),
    "monoclonal_plasma_cell_disorder": _("Monoclonal plasma cell disorder"),
    "sclerotic_bone_lesions": _("Sclerotic bone lesions"),
    "castleman": _("Castleman disease"),
    "vegf_elevated": _("Elevated VEGF"),
    "organomegaly": _("Organomegaly (spleen, liver, lymph nodes)"),
    "extravascular_volume_overload": _("Oedema, pleural effusion or ascites"),
    "endocrinopathy": _("Endocrinopathy"),
    "skin_changes": _("Skin changes"),
    "papilledema": _("Papilloedema"),
    "thrombocytosis_or_polycythemia": _("Thrombocytosis or polycythaemia"),
}


def plain_value(value, path=""):
    """A fact's value for the row's ``value`` (numbers at their kind's precision, core/formatting.py)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(map(str, value)) or "none"
    return fact_text(path, value)  # a number at its kind's precision (core/formatting.py)


def display_value(value, path=""):
    """A fact's value as the reader's language writes it: yes/no, words (sex, frailty, the plasmacytoma's
    site, drugs) translated, numbers at their kind's precision with the reader's decimal separator."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, tuple):
        return ", ".join(display_value(v) for v in value) or gettext("none")
    if isinstance(value, int | float):
        return fact_text(path, value)
    if isinstance(value, str):
        return gettext(VALUE_WORDS.get(value, value)) if value else value
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


# Coded values whose word in the catalogue differs from the code.
VALUE_WORDS = {"light_chain": "light chain only", "induction": gettext_noop("on treatment (induction)"),
               "maintenance": gettext_noop("on treatment (maintenance)"),
               "off_treatment": gettext_noop("treatment pause")}
