"""The guideline assessment of one patient, shaped for the assessment page.

``assess`` reads the record (patients.facts.facts_for), runs the engine
(guidelines.evaluate.evaluate) and hands both to ``present``, a pure function
(STYLE.md §4): it only reshapes what the engine said. Engine text (reasons,
notes, ambiguities) are messages (guidelines.messages): the templates print them in
the reader's language; citations are the guidelines' own headings, shown as written.
A fact is named by its label (patients.factlabels), never by its JSON path.

Every fact the engine lists as missing becomes a link to the form that records
it (``form_for_path``); every fact it used is shown with the date and the
record it came from (the ``sources`` of facts_for).
"""

import dataclasses
import re
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.formatting import format_date
from guidelines import workup as wk
from guidelines.diagnosis import classify
from guidelines.evaluate import evaluate
from guidelines.facts import Cytogenetics
from guidelines.history import read_history
from guidelines.sources import DOCUMENTS
from patients import assessment_treatment
from patients.assessment_treatment import citation_text
from patients.fact_paths import (
    GROUP_KINDS,
    LAB_FIELD_ANALYTE,
    OUTSIDE_FACTS,
    TOP_LEVEL_KINDS,
    TREATMENT_PATH,
    missing_groups,
)
from patients.factlabels import POEMS_CRITERIA, derived_values, display_value, fact_label, plain_value
from patients.facts import facts_for, facts_for_many
from patients.kinds import RECORD_KINDS
from patients.models import TreatmentLine
from regimens.library import from_database as protocol_library

# --- missing fact → the form that records it ---------------------------------------

FORM_TITLES = {
    "patient": _("Patient identity (from the national identity number)"),
    **{kind: record.title for kind, record in RECORD_KINDS.items()},
    "lab": _("Lab panel"),  # lab facts open the panel (patients/views/labs.py)
    "treatment-line-edit": _("Correct treatment line"),
}

# --- the engine's codes (shared/contract/api-v1.md) as the page names them -----------
# The code itself is shown beside its name: it is what the API and the tests speak.

DIAGNOSIS_LABELS = {
    "ACTIVE_MYELOMA": _("Myeloma requiring treatment"),
    "SMOLDERING_MYELOMA": _("Smouldering myeloma"),
    "MGUS": _("MGUS"),
    "SOLITARY_PLASMACYTOMA": _("Solitary plasmacytoma"),
    "PLASMA_CELL_LEUKEMIA": _("Plasma cell leukaemia"),
    "POEMS": _("POEMS syndrome"),
    "NO_PLASMA_CELL_DISORDER": _("No plasma cell disorder"),
    "INSUFFICIENT_DATA": _("Not enough facts to decide"),
}
TIER_LABELS = {
    "LOW_RISK": _("Low-risk workup"),
    "HIGH_RISK": _("High-risk workup"),
    "FULL": _("Full workup"),
}
SETTING_LABELS = {
    "OBSERVE": _("Observation and follow-up"),
    "FIRST_LINE_TRANSPLANT": _("First line, transplant candidate (HDT/ASCT)"),
    "FIRST_LINE_NON_TRANSPLANT": _("First line, not a transplant candidate"),
    "PLASMA_CELL_LEUKEMIA": _("Plasma cell leukaemia"),
    "RELAPSE_LINE_2": _("Relapse: second line"),
    "RELAPSE_LINE_3": _("Relapse: third line"),
    "RELAPSE_LINE_4": _("Relapse: fourth line"),
    "RELAPSE_LINE_5_PLUS": _("Relapse: fifth line and later"),
    "SOLITARY_PLASMACYTOMA_RADIOTHERAPY": _("Radiotherapy of a solitary plasmacytoma"),
    "POEMS_RADIOTHERAPY": _("POEMS: radiotherapy"),
    "POEMS_SYSTEMIC": _("POEMS: systemic treatment"),
    "NONE": _("No treatment recommended"),
}

def form_for_path(path, *, patient_pk, line_pks=()):
    """The form that records the fact at JSON path ``path`` (a lab fact: the lab panel, which returns to
    the assessment after saving): a dict with ``kind``, ``url``,
    ``title`` and ``engine_reads`` (False for facts the engine asks for but facts_for does not
    pass yet), or None for a path no form records. ``line_pks`` are the primary keys of
    facts.treatment_history in order, so ``treatment_history[i]`` opens that line's correction."""
    group, _dot, field = path.partition(".")
    kind, analyte, line_pk, engine_reads = None, None, None, True
    if path in TOP_LEVEL_KINDS:
        kind = TOP_LEVEL_KINDS[path]
    elif group == "labs":
        kind = "lab"
        if field:
            analyte = LAB_FIELD_ANALYTE.get(field)
            if analyte is None:
                return None
    elif path in OUTSIDE_FACTS:
        kind, analyte, engine_reads = OUTSIDE_FACTS[path]
    elif group == "current_treatment" and line_pks:
        kind, line_pk = "treatment-line-edit", line_pks[-1]  # the latest line's end date says it
    elif group in GROUP_KINDS:
        kind = GROUP_KINDS[group]
    elif match := TREATMENT_PATH.match(path):
        index = match.group(1)
        if index is not None and int(index) < len(line_pks):
            kind, line_pk = "treatment-line-edit", line_pks[int(index)]
        else:
            kind = "treatment-line"
    else:
        return None
    if kind == "patient":
        url = reverse("patients:overview", args=[patient_pk])
    elif kind == "lab":
        # the lab panel, with this analyte selected, and back to the assessment after saving
        query = {"analyte": analyte} if analyte else {}
        query["next"] = reverse("patients:assessment", args=[patient_pk])
        url = reverse("patients:lab_panel", args=[patient_pk]) + "?" + urlencode(query)
    elif kind == "treatment-line-edit":
        url = reverse("patients:treatment_line_edit", args=[patient_pk, line_pk])
    else:
        url = reverse("patients:record", args=[patient_pk, kind])
        if analyte:
            url += "?" + urlencode({"analyte": analyte})
    permission_kind = "treatment-line" if kind == "treatment-line-edit" else kind
    return {"path": path, "kind": kind, "permission_kind": permission_kind, "url": url,
            "title": FORM_TITLES[kind], "analyte": analyte, "engine_reads": engine_reads}


def missing_links(paths, *, patient_pk, line_pks=(), allowed_kinds=None, line_numbers=()):
    """Each missing path with its label (patients.factlabels) and form; ``link`` False when the user
    may not open that form (``allowed_kinds``: the record kinds the user may record; None = all)."""
    rows = []
    for path in paths:
        form = form_for_path(path, patient_pk=patient_pk, line_pks=line_pks)
        row = {"path": path, "label": fact_label(path, line_numbers=line_numbers), "form": form, "link": False}
        if form is not None:
            row["link"] = form["kind"] == "patient" or allowed_kinds is None or form["permission_kind"] in allowed_kinds
        rows.append(row)
    return rows


# --- workup checklist ---------------------------------------------------------------

BLOOD_PATHS = tuple(f"labs.{name}" for name in (
    "serum_m_protein_g_l", "flc_kappa_mg_l", "flc_lambda_mg_l", "hemoglobin_g_dl", "platelets_10e9_l",
    "creatinine_umol_l", "calcium_mmol_l", "albumin_g_l", "beta2m_mg_l", "ldh_u_l", "circulating_plasma_cells_pct",
))
FISH_PATHS = tuple(f"cytogenetics.{f.name}" for f in dataclasses.fields(Cytogenetics))
# Which recorded facts show that an ordered investigation was done. The tests, history and
# referrals MyeloPath has no record for are marked "not recorded in MyeloPath".
INVESTIGATION_PATHS = {
    wk.BLOOD_AND_URINE: BLOOD_PATHS,
    wk.URINE_ELECTROPHORESIS: ("labs.urine_m_protein_mg_24h",),
    wk.CT: ("imaging.lytic_lesions",),
    wk.MARROW: ("marrow.clonal_plasma_cells_pct",),
    wk.MRI_IF_MARROW: ("imaging.mri_focal_lesions",),
    wk.MRI_ORDERED: ("imaging.mri_focal_lesions",),
    wk.FISH: FISH_PATHS,
    wk.PTH: None,
    wk.HISTORY: None,
    wk.VIROLOGY: None,
    wk.BIOBANK: None,
    wk.NO_MARROW_NO_IMAGING: (),
}


def investigation_checklist(investigations, sources, *, patient_pk, line_pks=(), line_numbers=()):
    """Each ordered investigation with ``status``: ``done`` (every fact it yields is on
    record), ``partial``, ``open``, ``not_recordable`` (MyeloPath keeps no record of it) or
    ``instruction`` (a statement, nothing to do), with the dates of what is on record and
    links to record what is not."""
    rows = []
    for text in investigations:
        paths = INVESTIGATION_PATHS.get(text)
        row = {"text": text, "recorded": [], "on_record": [], "open": []}
        if paths is None:
            row["status"] = "not_recordable"
        elif not paths:
            row["status"] = "instruction"
        else:
            row["recorded"] = [{"path": p, "date": sources[p].date} for p in paths if p in sources]
            row["on_record"] = [{"label": fact_label(r["path"]), **r} for r in row["recorded"]]
            open_paths = [p for p in paths if p not in sources]
            row["open"] = missing_links(open_paths, patient_pk=patient_pk, line_pks=line_pks, line_numbers=line_numbers)
            row["status"] = "done" if not open_paths else ("partial" if row["recorded"] else "open")
        rows.append(row)
    return rows


# --- facts used ---------------------------------------------------------------------



def _line_as_given(line):
    text = f"line {line.line}: {line.regimen or '—'} ({', '.join(line.drugs) or 'no drugs recorded'})"
    if line.refractory_to:
        text += f"; refractory to {', '.join(line.refractory_to)}"
    if line.best_response:
        text += f"; best response {line.best_response}"
    return text


def _line_text(line):
    """One treatment line for the facts table: «line 1: VRd (bortezomib, …); refractory to …»."""
    values = {"number": line.line, "regimen": line.regimen or "—", "drugs": display_value(tuple(line.drugs))}
    parts = [gettext("line %(number)s: %(regimen)s (%(drugs)s)") % values if line.drugs
             else gettext("line %(number)s: %(regimen)s (no drugs recorded)") % values]
    if line.refractory_to:
        parts.append(gettext("refractory to %(drugs)s") % {"drugs": display_value(tuple(line.refractory_to))})
    if line.best_response:
        parts.append(gettext("best response %(response)s") % {"response": line.best_response})
    return "; ".join(parts)


def facts_used(facts, sources):
    """Every known fact with its JSON path, label, value, and the date and record it came from."""
    rows = []
    line_numbers = [line.line for line in facts.treatment_history]
    for f in dataclasses.fields(facts):
        value = getattr(facts, f.name)
        if f.name == "treatment_history":
            for index, line in enumerate(value):
                path = f"treatment_history[{index}]"
                rows.append(_fact_row(path, _line_as_given(line), sources, line_numbers, _line_text(line)))
        elif dataclasses.is_dataclass(value):
            for inner in dataclasses.fields(value):
                inner_value = getattr(value, inner.name)
                if inner_value is not None:
                    path = f"{f.name}.{inner.name}"
                    rows.append(_fact_row(path, plain_value(inner_value, path), sources,
                                          display=display_value(inner_value, path)))
        elif value is not None:
            rows.append(_fact_row(f.name, plain_value(value, f.name), sources, display=display_value(value, f.name)))
    return rows


# The record names and notes of patients.facts (Source), as the catalogue has them.
RECORD_NAMES = {"height/weight": "height and weight"}
RECORD = re.compile(r"^(?P<name>.+?) #(?P<pk>\d+)$")
AGE_NOTE = re.compile(r"^age on (?P<day>\d{4}-\d{2}-\d{2})$")


def _record_text(record):
    """«lab result #9» in the reader's language («laboratoriesvar #9»)."""
    if match := RECORD.match(record or ""):
        name = match.group("name")
        return f"{gettext(RECORD_NAMES.get(name, name))} #{match.group('pk')}"
    return gettext(record) if record else ""


def _note_text(note):
    if match := AGE_NOTE.match(note or ""):
        day = formats.date_format(date.fromisoformat(match.group("day")), "SHORT_DATE_FORMAT")
        return gettext("age on %(date)s") % {"date": day}
    return gettext(note) if note else ""


def _fact_row(path, value, sources, line_numbers=(), display=None):
    """``value`` as given (the API's words), ``display`` in the reader's language for the page; ``record``
    and ``note`` as patients.facts gives them, ``record_text`` and ``note_text`` for the page."""
    source = sources.get(path)
    return {"path": path, "label": fact_label(path, line_numbers=line_numbers), "value": value,
            "display": value if display is None else display,
            "record_text": _record_text(source.record) if source else "",
            "note_text": _note_text(source.note) if source else "",
            "date": source.date if source else None,
            "record": source.record if source else "", "note": source.note if source else ""}


# --- the page -------------------------------------------------------------------------


def plan_url(patient_pk, regimen):
    """The new-plan page, preselecting ``regimen``."""
    return reverse("patients:plan_new", args=[patient_pk]) + "?" + urlencode({"regimen": regimen})


def _options(treatment, *, patient_pk, known_regimens, active_regimens):
    rows = []
    for option in treatment["options"]:
        code = option["regimen"]
        rows.append({
            **option,
            "citation_text": citation_text(option["citation"]),
            "detail_url": reverse("regimens:detail", args=[code]) if code in known_regimens else None,
            "plan_url": plan_url(patient_pk, code) if code in active_regimens else None,
        })
    return rows


SUPPORTIVE_MISSING = re.compile(r"^missing: (\S+)$")
# The topics of supportive care (guidelines.advice.SupportiveItem.topic, codes) as the page names them.
SUPPORTIVE_TOPICS = {
    "thrombosis": _("Thrombosis prophylaxis"),
    "bone": _("Bone protection"),
    "vaccine": _("Vaccination"),
    "infection": _("Infection prophylaxis"),
    "hypercalcaemia": _("Hypercalcaemia"),
    "anaemia": _("Anaemia"),
}


def _supportive(items, *, patient_pk, line_pks, allowed_kinds, line_numbers=()):
    """The supportive-care rows: each with its category (contract v1.1 ``category``, named for the reader) and,
    where the guideline dates it from an event (HMAS reinfusion, start of a bispecific), its due date as
    dd.mm.åååå (core.formatting)."""
    rows = []
    for item in items:
        missing = [m.group(1) for r in item["reasons"] if (m := SUPPORTIVE_MISSING.match(r))]
        category = item.get("category", item["topic"])
        rows.append({
            **item, "citation_text": citation_text(item["citation"]),
            "category": category,
            "topic_label": SUPPORTIVE_TOPICS.get(category, category),
            "due_date_text": format_date(item["due_date"]) if item.get("due_date") else None,
            "reasons": [r for r in item["reasons"] if not SUPPORTIVE_MISSING.match(r)],
            "missing": missing_links(missing, patient_pk=patient_pk, line_pks=line_pks, allowed_kinds=allowed_kinds,
                                     line_numbers=line_numbers),
        })
    return rows


def warnings(evaluation, sources=None):
    """What the summary warns of, from the engine's own output: a radiotherapy emergency, an undecided
    diagnosis, POEMS beside myeloma, a positive POEMS screening, a derived value refused, and the
    interpretations of unclear guideline text the assessment rests on. Each: ``level`` (a Bootstrap
    colour), ``text`` and ``href``, the evidence group that says more."""
    rows = assessment_treatment.emergency_warnings(evaluation, sources or {})
    diagnosis = evaluation.diagnosis
    if str(diagnosis.code) == "INSUFFICIENT_DATA":
        rows.append({"level": "warning", "href": "#evidence-diagnosis", "text": gettext(
            "The diagnosis is not decided: no treatment is recommended until the missing facts are known.")})
    if diagnosis.concurrent_myeloma is not None:
        rows.append({"level": "warning", "href": "#evidence-poems", "text": gettext(
            "POEMS and %(diagnosis)s at once: the myeloma treatment is shown, the POEMS advice under POEMS.")
            % {"diagnosis": DIAGNOSIS_LABELS.get(str(diagnosis.concurrent_myeloma), diagnosis.concurrent_myeloma)}})
    poems = evaluation.poems
    if poems.screen_positive and not poems.criteria_met and str(diagnosis.code) != "POEMS":
        rows.append({"level": "warning", "href": "#evidence-poems",
                     "text": gettext("POEMS screening is positive: the POEMS workup applies.")})
    for field, why in evaluation.derived.refused:
        rows.append({"level": "danger", "href": "#evidence-facts", "text": gettext(
            "Not used, outside its accepted range: %(fact)s (%(why)s)") % {"fact": fact_label(field), "why": why}})
    if evaluation.ambiguities:
        rows.append({"level": "info", "href": "#evidence-ambiguities", "text": gettext(
            "Interpretations of unclear guideline text in use: %(count)s") % {"count": len(evaluation.ambiguities)}})
    return rows


def present(evaluation, facts, sources, *, patient_pk, line_pks=(), known_regimens=frozenset(),
            active_regimens=frozenset(), allowed_kinds=None):
    """The assessment page's context from an Evaluation (guidelines.evaluate), the facts it was
    run on and their sources. Pure: no database, no request.

    The page shows a summary first (diagnosis, stage and risk, the next step, what is missing
    grouped by the record that supplies it, warnings), the evidence below it."""
    d = evaluation.to_dict()
    links = {"patient_pk": patient_pk, "line_pks": line_pks,
             "line_numbers": [line.line for line in facts.treatment_history]}
    stage = evaluation.staging
    treatment = d["treatment"]
    missing = missing_links(d["missing"], allowed_kinds=allowed_kinds, **links)
    checklist = investigation_checklist(d["workup"]["investigations"], sources, **links)
    return {
        "summary": {
            "missing_groups": missing_groups(missing),
            "warnings": warnings(evaluation, sources),
            "open_investigations": sum(1 for item in checklist if item["status"] in ("open", "partial")),
        },
        "guideline_versions": d["guideline_versions"],
        # the page names each guideline with its version as its title page does (the API keeps the keys)
        "guideline_documents": [DOCUMENTS[doc] for doc in d["guideline_versions"]],
        "diagnosis": {**d["diagnosis"], "label": DIAGNOSIS_LABELS.get(d["diagnosis"]["code"], ""),
                      "missing": missing_links(d["diagnosis"]["missing"], allowed_kinds=allowed_kinds, **links)},
        "derived": d["derived"],
        "derived_values": derived_values(d["derived"]),
        "workup": {
            "tier": d["workup"]["tier"], "label": TIER_LABELS.get(d["workup"]["tier"], ""),
            "reasons": d["workup"]["reasons"],
            "checklist": checklist,
        },
        "staging": {
            "applies": evaluation.staging_applies,
            "stages": [
                {"name": "ISS", "stage": stage.iss.stage, "reasons": list(stage.iss.reasons), "in_guideline": True},
                {"name": "R-ISS", "stage": stage.r_iss.stage, "reasons": list(stage.r_iss.reasons),
                 "in_guideline": True},
                {"name": "R2-ISS", "stage": stage.r2_iss.stage, "reasons": list(stage.r2_iss.reasons),
                 "in_guideline": False},
            ],
            "high_risk": d["staging"]["high_risk"],
            "high_risk_reasons": d["staging"]["high_risk_reasons"],
        },
        "followup": d["followup"],
        "treatment": None if treatment is None else {
            **treatment,
            "label": SETTING_LABELS.get(treatment["setting"], ""),
            "options": _options(treatment, patient_pk=patient_pk, known_regimens=known_regimens,
                                active_regimens=active_regimens),
            "first": _first_option(treatment),
            "missing": missing_links(treatment["missing"], allowed_kinds=allowed_kinds, **links),
        },
        "supportive_care": _supportive(d["supportive_care"], allowed_kinds=allowed_kinds, **links),
        "poems": {**d["poems"], **{group: [POEMS_CRITERIA.get(name, name) for name in d["poems"][group]]
                                    for group in ("mandatory", "major", "minor")}},
        "ambiguities": [{**a, "source_text": gettext(a["source_text"]), "citation_text": citation_text(a["citation"])}
                        for a in d["ambiguities"]],
        "citations": [{**c, "document_name": DOCUMENTS[c["document"]], "text": citation_text(c)}
                      for c in d["citations"]],
        "missing": missing,
        "car_t": assessment_treatment.car_t(d["car_t"], links=lambda paths: missing_links(
            paths, allowed_kinds=allowed_kinds, **links)),
        "radiotherapy": assessment_treatment.radiotherapy(d["radiotherapy"], sources, links=lambda paths: missing_links(
            paths, allowed_kinds=allowed_kinds, **links)),
        "facts_used": facts_used(facts, sources),
        "reasons": d["reasons"],
    }


def _first_option(treatment):
    """The regimens of the best rank (options of equal standing share a rank)."""
    if not treatment["options"]:
        return []
    best = min(o["rank"] for o in treatment["options"])
    return [o["regimen"] for o in treatment["options"] if o["rank"] == best]


def treatment_options(patient):
    """The guideline's treatment options for the patient today, in rank order (the new-plan page
    lists their regimens first)."""
    facts, _sources = facts_for(patient)
    treatment = evaluate(facts, library=protocol_library()).treatment
    return sorted(treatment.options, key=lambda o: o.rank) if treatment else []


def diagnoses(patients):
    """{patient pk: the diagnosis code the assessment gives today} for every patient of the list, in a
    fixed number of queries (facts_for_many): the engine's own classification on the same reading of the
    record, treatment history included, as evaluate() makes it."""
    library = protocol_library()
    return {pk: str(classify(facts, read_history(facts, library)).code)
            for pk, (facts, _sources) in facts_for_many(patients).items()}


def assess(patient, *, as_of=None, allowed_kinds=None):
    """Read the record, run the engine and shape the result (the view's one call)."""
    from regimens.models import Protocol

    as_of = as_of or timezone.localdate()
    facts, sources = facts_for(patient, as_of=as_of)
    # the same lines, in the same order, as facts.treatment_history (patients/facts.py)
    line_pks = list(TreatmentLine.objects.filter(patient=patient, start_date__lte=as_of).order_by("line")
                    .values_list("pk", flat=True))
    known = set(Protocol.objects.values_list("code", flat=True))
    active = set(Protocol.objects.active().values_list("code", flat=True))
    evaluation = evaluate(facts, library=protocol_library())
    return present(evaluation, facts, sources, patient_pk=patient.pk, line_pks=line_pks,
                   known_regimens=known, active_regimens=active, allowed_kinds=allowed_kinds)
