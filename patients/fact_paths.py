"""The engine's fact paths (the JSON paths of the evaluate request, shared/contract/api-v1.md) as the
patient record knows them: which record kind (patients/kinds.py) and which lab analyte supplies each
(patients/assessment.py builds the links to the forms from these). The name the pages give each
fact is patients/factlabels.py's (one table, one ``fact_label``)."""

import re

from django.utils.text import capfirst
from django.utils.translation import gettext

from patients import labcatalogue
from patients.kinds import RECORD_KINDS

GROUP_KINDS = {"marrow": "marrow", "imaging": "imaging", "cytogenetics": "cytogenetics", "poems": "poems",
               "emergency": "skeletal", "car_t": "organ-function", "current_treatment": "treatment-line"}
TOP_LEVEL_KINDS = {
    "age": "patient",
    "sex": "patient",
    "weight_kg": "height-weight",
    "height_cm": "height-weight",
    "frailty": "clinical-status",
    "transplant_contraindication": "clinical-status",
    "symptoms": "clinical-status",
}


def _lab_field_analytes():
    """guidelines.facts.Labs field → the catalogue analyte whose result supplies it."""
    mapping = {}
    for code, spec in labcatalogue.ANALYTES.items():
        for name in (spec.facts_field, spec.lower_limit_field, spec.upper_limit_field):
            if name:
                mapping[name] = code
    # eGFR is computed from creatinine (CKD-EPI 2021, guidelines.labs); the isotype is
    # recorded with the serum M-protein result.
    mapping["egfr_ml_min"] = "creatinine"
    mapping["m_protein_isotype"] = "m_protein"
    return mapping


LAB_FIELD_ANALYTE = _lab_field_analytes()

# Paths named by supportive-care rules (``missing: <path>`` in an item's reasons) that are
# not PatientFacts fields: where the clinician records them, and that facts_for does not
# yet hand them to the engine.
# Supportive-care facts the engine names without a JSON path of the request: the form that
# records them, and whether facts_for passes them to the engine (IgG and the reinfusion
# date as treatment_history[].transplant_date both are).
OUTSIDE_FACTS = {"igg_g_l": ("lab", "igg", True), "reinfusion_date": ("treatment-line", None, True),
                 # v1.1 car_t fields the record supplies from other records: the date of the FISH/TP53 results, the
                 # blood smear of the lab panel
                 "car_t.fish_tp53_date": ("cytogenetics", None, True),
                 "car_t.blood_plasma_cells_pct": ("lab", "circulating_plasma_cells", True)}

TREATMENT_PATH = re.compile(r"^treatment_history(?:\[(\d+)\])?(?:\.(\w+))?$")


def missing_groups(rows):
    """The missing facts of ``rows`` (missing_links) grouped by the record that supplies them, in the
    order first named: [{"title", "rows"}]. Facts no form records come under «not recorded in MyeloPath»."""
    groups = {}
    for row in rows:
        form = row["form"]
        kind = form["permission_kind"] if form else None
        if kind not in groups:
            if kind is None:
                title = gettext("Not recorded in MyeloPath")
            elif kind == "patient":
                title = gettext("Patient identity")
            else:
                title = capfirst(str(RECORD_KINDS[kind].model._meta.verbose_name))
            groups[kind] = {"title": title, "rows": []}
        groups[kind]["rows"].append(row)
    return list(groups.values())
