"""The CAR-T prioritisation and the radiotherapy and surgery indications, shaped for the assessment page
(patients/assessment.py calls these; pure, like ``present``). Contract v1.1 ``treatment.car_t`` and
``treatment.radiotherapy`` as the engine gives them (guidelines.evaluate), with the page's names of codes,
the missing facts as links (``missing_links``) and the date each finding was recorded (the ``sources`` of
patients.facts): an emergency finding shows how old it is."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guidelines.sources import DOCUMENTS

CAR_T_LABELS = {
    "PRIORITISED": _("prioritised for CAR-T"),
    "NOT_PRIORITISED": _("not prioritised for CAR-T"),
    "INDIVIDUAL_ASSESSMENT": _("CAR-T: individual assessment"),
    "UNDETERMINED": _("CAR-T: not decided (facts missing)"),
}
CRITERION_LABELS = {
    "extramedullary": _("No known extramedullary disease"),
    "earlier_bcma": _("No earlier BCMA-directed therapy"),
    "high_risk": _("Not high risk (IMS/IMWG) on FISH/TP53 after the last relapse"),
    "indication": _("Per indication (not PCL, AL, smouldering, MGUS, solitary)"),
    # xgettext:no-python-format
    "blood_smear": _("Blood smear < 5 % plasma cells"),
    "egfr": _("eGFR ≥ 30 mL/min"),
    # xgettext:no-python-format
    "lvef": _("LVEF ≥ 40 %"),
    # xgettext:no-python-format
    "spo2": _("Saturation ≥ 92 % on room air"),
    "cirrhosis": _("No liver cirrhosis"),
    "comorbidity": _("No other serious comorbidity"),
    "non_bcma_t_cell_engager": _("No earlier non-BCMA T-cell engaging therapy"),
}
STATUS_LABELS = {"met": _("met"), "not_met": _("not met"), "individual": _("individual assessment"),
                 "unknown": _("not known")}
STATUS_COLOURS = {"met": "success", "not_met": "danger", "individual": "warning", "unknown": "secondary"}
RADIOTHERAPY_LABELS = {
    "spinal_cord_compression": _("threatened spinal cord compression"),
    "painful_lesion": _("painful lesion"),
    "fracture": _("fracture"),
    "impending_fracture": _("impending fracture"),
    "postoperative": _("after fracture surgery"),
    "unoperated_fracture": _("fracture not operated on"),
    "space_occupying": _("space-occupying process"),
    "solitary_plasmacytoma": _("solitary plasmacytoma"),
    "relapse_plasmacytoma": _("relapse with plasmacytoma"),
}
# The recorded fact each indication comes from (its date is shown beside it).
INDICATION_FACTS = {
    "spinal_cord_compression": "emergency.spinal_cord_compression", "painful_lesion": "emergency.painful_lesion",
    "fracture": "emergency.fracture", "impending_fracture": "emergency.impending_fracture",
    "postoperative": "emergency.postoperative", "space_occupying": "emergency.space_occupying",
    "relapse_plasmacytoma": "imaging.plasmacytoma",
}


def citation_text(citation):
    """'<document> — <section> (<detail>)' from a to_dict citation."""
    text = f"{DOCUMENTS[citation['document']]} — {citation['section']}"
    # a detail is the guideline's words (no msgid: as written) or the engine's note on it (translated)
    return f"{text} ({gettext(citation['detail'])})" if citation.get("detail") else text


def car_t(d, *, links):
    """The CAR-T block: verdict, each criterion with its status and reason, notes, missing facts as links.
    ``links(paths)`` gives the missing-fact rows (patients.assessment.missing_links)."""
    if d is None:
        return None
    criteria = [{**c, "label": CRITERION_LABELS.get(c["code"], c["code"]),
                 "status_label": STATUS_LABELS.get(c["status"], c["status"]),
                 "colour": STATUS_COLOURS.get(c["status"], "secondary")} for c in d["criteria"]]
    return {**d, "criteria": criteria, "citation_text": citation_text(d["citation"]),
            "label": CAR_T_LABELS.get(d["verdict"], ""), "missing": links(d["missing"])}


def radiotherapy(items, sources, *, links):
    """Each indication for radiotherapy or surgery: its name, dose, urgency, options, surgery, notes, the
    missing facts as links, and the date of the finding it comes from."""
    rows = []
    for item in items:
        source = sources.get(INDICATION_FACTS.get(item["indication"], ""))
        rows.append({
            **item, "label": RADIOTHERAPY_LABELS.get(item["indication"], item["indication"]),
            "citation_text": citation_text(item["citation"]), "finding_date": source.date if source else None,
            "options": [{**o, "citation_text": citation_text(o["citation"])} for o in item["options"]],
            "missing": links(item["missing"]),
        })
    return rows


def emergency_warnings(evaluation, sources):
    """A warning per radiotherapy emergency, naming the finding and its date."""
    rows = []
    for advice in evaluation.radiotherapy:
        if advice.emergency:
            source = sources.get(INDICATION_FACTS.get(str(advice.indication), ""))
            text = gettext("Medical emergency: %(finding)s — see the radiotherapy advice under treatment.") % {
                "finding": RADIOTHERAPY_LABELS.get(str(advice.indication), str(advice.indication))}
            rows.append({"level": "danger", "href": "#evidence-treatment", "text": text,
                         "date": source.date if source else None})
    return rows
