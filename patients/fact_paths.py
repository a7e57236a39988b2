"""The engine's fact paths (the JSON paths of the evaluate request, shared/contract/api-v1.md) as the
patient record knows them: which record kind (patients/kinds.py) and which lab analyte supplies each
(patients/assessment.py builds the links to the forms from these), and the name the pages give each
fact, in the reader's language, so no page shows an internal key."""

import re

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from patients import labcatalogue
from patients.kinds import RECORD_KINDS
from patients.models import TreatmentLine

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


# --- the facts by name ---------------------------------------------------------------

PATIENT_LABELS = {"age": _("age (from the national identity number)"),
                  "sex": _("sex (from the national identity number)")}
LAB_EXTRA_LABELS = {"egfr_ml_min": _("eGFR (computed from creatinine)"), "m_protein_isotype": _("M-protein isotype")}
OUTSIDE_LABELS = {"reinfusion_date": _("reinfusion date of the stem cells (HMAS)")}
# Facts of the API that no form records yet (tests/patients/test_assessment.py, NOT_YET_RECORDED).
UNRECORDED_LABELS = {"imaging.sclerotic_bone_lesion_count": _("number of sclerotic bone lesions")}


def _field_name(model, name):
    try:
        return model._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return None


def _lab_label(field):
    code = LAB_FIELD_ANALYTE.get(field)
    if field in LAB_EXTRA_LABELS:
        return LAB_EXTRA_LABELS[field]
    if code is None:
        return None
    spec = labcatalogue.ANALYTES[code]
    if field == spec.lower_limit_field:
        return gettext("%(analyte)s: lower reference limit") % {"analyte": spec.label}
    if field == spec.upper_limit_field:
        return gettext("%(analyte)s: upper reference limit") % {"analyte": spec.label}
    return spec.label


def fact_label(path):
    """The fact at JSON path ``path`` as the page names it, in the reader's language: the lab
    catalogue's name of the analyte, or the name of the field of the form that records it; the
    path itself only for a path no form records."""
    group, _dot, field = path.partition(".")
    label = None
    if path in PATIENT_LABELS:
        label = PATIENT_LABELS[path]
    elif path in UNRECORDED_LABELS:
        label = UNRECORDED_LABELS[path]
    elif path in TOP_LEVEL_KINDS:
        label = _field_name(RECORD_KINDS[TOP_LEVEL_KINDS[path]].model, path)
    elif group == "labs":
        label = _lab_label(field) if field else gettext("lab results")
    elif path in OUTSIDE_FACTS:
        label = OUTSIDE_LABELS.get(path) or _lab_label(path)
    elif group in GROUP_KINDS:
        model = RECORD_KINDS[GROUP_KINDS[group]].model
        label = _field_name(model, field) if field else model._meta.verbose_name
    elif match := TREATMENT_PATH.match(path):
        index, field = match.groups()
        label = _field_name(TreatmentLine, field) if field else TreatmentLine._meta.verbose_name
        if index is not None and label is not None:
            label = gettext("treatment line %(line)s: %(fact)s") % {"line": int(index) + 1, "fact": label}
    return str(label) if label else path


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
