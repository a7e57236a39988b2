"""The assessment page's summary (issue 12 item 6): facts named as the forms and the lab catalogue name
them, missing facts grouped by the record that supplies them, and the view's summary first, the
evidence below. Expected values come from the guideline text quoted in each test."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from patients import assessment
from tests.patients.engine_paths import engine_paths
from tests.patients.factories import clinical_patient, make_patient
from tests.personas import in_english


def seed(key):
    return make_patient(clinical_patient(key), today=timezone.localdate())


def url(patient):
    return reverse("patients:assessment", args=[patient.pk])


@pytest.mark.parametrize("path", engine_paths())
def test_every_engine_path_has_a_readable_name(path, english):
    """Issue 12: the page shows no internal key; a missing fact is named as the form or the lab names it."""
    label = str(assessment.fact_label(path))
    assert not re.search(r"[_\[\]]|^(labs|marrow|imaging|cytogenetics|poems)\.", label), label


def test_missing_facts_are_grouped_by_the_record_that_supplies_them(english):
    rows = assessment.missing_links(["labs.beta2m_mg_l", "cytogenetics.del17p", "labs.ldh_u_l", "frailty",
                                     "cytogenetics.t4_14", "imaging.sclerotic_bone_lesion_count"], patient_pk=1)
    groups = assessment.missing_groups(rows)
    assert [(g["title"], [r["path"] for r in g["rows"]]) for g in groups] == [
        ("Lab result", ["labs.beta2m_mg_l", "labs.ldh_u_l"]),
        ("Cytogenetics result", ["cytogenetics.del17p", "cytogenetics.t4_14"]),
        ("Clinical status", ["frailty"]),
        ("Imaging finding", ["imaging.sclerotic_bone_lesion_count"]),  # the imaging form lacks the field
    ]


def _summary_and_evidence(text):
    """The page's summary section and its evidence section, in document order."""
    assert text.index('data-testid="assessment-summary"') < text.index('data-testid="evidence"')
    summary = text.split('data-testid="assessment-summary"', 1)[1].split('data-testid="evidence"', 1)[0]
    evidence = text.split('data-testid="evidence"', 1)[1]
    return summary, evidence


def test_patient_assessment_summary_first(client_for, physician):
    """Newly diagnosed, transplant-eligible («VRd ... etterfulgt av HMAS»; Dara-VRd awaits Beslutningsforum,
    «Tillegg av CD38-antistoff må avvente godkjennelse av beslutningsforum»): the summary holds diagnosis,
    stage and risk, the ranked options with their reimbursement status and a «New plan» button each, what
    is missing and the warnings; the evidence below it is in collapsible groups."""
    patient = seed("ACTIVE_MYELOMA transplant-eligible")
    summary, evidence = _summary_and_evidence(in_english(client_for(physician)).get(url(patient)).text)
    assert 'data-testid="diagnosis-code">ACTIVE_MYELOMA<' in summary
    assert 'data-testid="stage-ISS">II<' in summary  # β2m 4.1 mg/L: ≥ 3.5 and < 5.5
    assert 'data-testid="high-risk">no<' in summary  # gain(1q) alone is none of the six characteristics
    options = re.findall(r'<li [^>]*data-regimen="([^"]+)" data-rank="(\d+)"', summary)
    assert options[0] == ("VRd-induction", "1")
    vrd = summary.split('data-regimen="VRd-induction"', 1)[1].split("</li>", 1)[0]
    assert 'data-status="none"' in vrd and "no reimbursement reservation" in vrd
    assert f'href="/patients/{patient.pk}/plans/new/?regimen=VRd-induction"' in vrd and "New plan" in vrd
    dara = summary.split('data-regimen="Dara-VRd-induction"', 1)[1].split("</li>", 1)[0]
    assert 'data-status="awaiting"' in dara and "awaiting reimbursement (Beslutningsforum)" in dara
    assert 'data-testid="missing"' in summary and 'data-testid="warnings"' in summary
    # the blood smear is missing (no circulating plasma cells on record): its name, linked to its form
    smear = re.search(r'<a href="([^"]+)" data-testid="missing-link" data-path="labs.circulating_plasma_cells_pct"'
                      r'[^>]*>([^<]+)</a>', summary)
    # issue 12 item 7: a missing lab opens the lab panel, which returns to the assessment
    assert smear.groups() == (f"/patients/{patient.pk}/labs/panel/?analyte=circulating_plasma_cells"
                              f"&amp;next=%2Fpatients%2F{patient.pk}%2Fassessment%2F",
                              "Plasma cells in the blood smear (% of leukocytes)")
    assert "<details" not in summary
    groups = re.findall(r'<details class="card mb-2 evidence" id="([a-z-]+)"', evidence)
    assert groups[:4] == ["evidence-diagnosis", "evidence-staging", "evidence-workup", "evidence-treatment"]
    assert {"evidence-facts", "evidence-ambiguities", "evidence-sources", "evidence-supportive"} <= set(groups)
    assert 'data-testid="facts-used"' in evidence and 'data-testid="option-evidence"' in evidence


def test_patient_assessment_offers_new_plans_only_to_who_may_issue_them(client_for, nurse):
    patient = seed("ACTIVE_MYELOMA transplant-eligible")
    summary, _evidence = _summary_and_evidence(in_english(client_for(nurse)).get(url(patient)).text)
    assert 'data-regimen="VRd-induction"' in summary and 'data-testid="plan-link"' not in summary


def test_patient_assessment_mgus_is_not_asked_for_staging(client_for, physician):
    """A low-risk MGUS (IgG M 12 g/L < 15, ratio 28/14 = 2 < 8, no symptoms: lavrisikoutredning, «Ikke benmarg
    eller radiologisk undersøkelse») without β2m, LD or FISH: none of them is missing to decide; the staging
    says it stages myeloma."""
    spec = clinical_patient("MGUS")
    spec["labs"]["m_protein"] = [(30, "12")]
    patient = make_patient(spec, today=timezone.localdate())
    summary, _evidence = _summary_and_evidence(in_english(client_for(physician)).get(url(patient)).text)
    assert 'data-testid="workup-tier">LOW_RISK<' in summary
    assert 'data-testid="staging-not-applicable"' in summary
    assert not re.search(r'data-path="(labs\.beta2m_mg_l|labs\.ldh_u_l|cytogenetics\.[a-z0-9_]+)"', summary)


def test_patient_assessment_names_the_guidelines_and_their_versions(client_for, physician):
    """The page names the documents it applies, with their versions, as their title pages do, not by the
    API's keys («myeloma 1.2 (2025-11)»)."""
    patient = seed("ACTIVE_MYELOMA transplant-eligible")
    text = client_for(physician).get(url(patient)).text
    assert "Handlingsprogram for myelomatose (Norsk myelomatosegruppe), versjon 1.2, november 2025" in text
    assert "Klinisk retningslinje: POEMS syndrom (DMSG/DMCG), godkendt december 2023" in text
    assert "myeloma 1.2" not in text
