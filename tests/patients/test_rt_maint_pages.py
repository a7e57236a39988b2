"""Issue 13 items 4 and 7 (rest) on the patient pages: the treatment-line form records the radiotherapy dose,
the tandem HMAS date and the months of MRD-negative CR (migration 0018), patients/facts.py hands them to the
engine, and the assessment page shows the advice (docs/adr/0023-radiotherapy-failure-and-maintenance.md)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from patients import actions, assessment, forms
from patients.facts import facts_for
from patients.models import TreatmentLine
from tests.patients.assessment_helpers import seed
from tests.personas import in_english


def ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def record_url(patient):
    return reverse("patients:record", args=[patient.pk, "treatment-line"])


def page_text(client, patient):
    page = in_english(client).get(reverse("patients:assessment", args=[patient.pk]))
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.django_db
def test_the_form_has_the_new_fields():
    patient = seed("POEMS")
    fields = forms.TreatmentLineForm(patient=patient).fields
    assert {"radiotherapy_gy", "tandem_transplant_date", "mrd_negative_months"} <= set(fields)


@pytest.mark.hazard("HAZ-117")
@pytest.mark.django_db
def test_treatment_line_form_saves_radiotherapy_and_assessment_gives_systemic_treatment(client_for, physician):
    # POEMS item 5: «samt patienter med tegn på progression 3-6 mdr efter afsluttet strålebehandling (D)»
    patient = seed("POEMS")
    client = client_for(physician)
    response = client.post(record_url(patient), {
        "line": "1", "regimen": "Strålebehandling mot bekken", "start_date": ago(160).isoformat(),
        "end_date": ago(130).isoformat(), "radiotherapy_gy": "45", "progression_date": ago(20).isoformat(),
    })
    assert response.status_code == 302, response.context["form"].errors
    line = TreatmentLine.objects.get(patient=patient)
    assert line.radiotherapy_gy == 45 and line.drugs == []
    (fact,) = facts_for(patient)[0].treatment_history
    assert fact.radiotherapy_gy == 45 and fact.end_date == ago(130)
    result = assessment.assess(patient)
    assert result["treatment"]["setting"] == "POEMS_SYSTEMIC"
    assert "radiotherapy-40-50Gy" not in result["treatment"]["first"]
    text = page_text(client, patient)
    assert "3–6 months after the end of radiotherapy" in text
    assert "radiotherapy is not offered again" in text
    overview = in_english(client).get(reverse("patients:overview", args=[patient.pk])).content.decode()
    assert 'data-testid="radiotherapy-gy">Radiotherapy 45 Gy' in overview


@pytest.mark.django_db
def test_treatment_line_form_refuses_a_line_without_drugs_or_radiotherapy(client_for, physician):
    patient = seed("POEMS")
    response = client_for(physician).post(record_url(patient), {
        "line": "1", "regimen": "Strålebehandling", "start_date": ago(30).isoformat(),
    })
    assert response.status_code == 200 and response.context["form"].errors["drugs"]
    assert not TreatmentLine.objects.filter(patient=patient).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("gy", ["0", "-4", "101", "mye"])
def test_treatment_line_form_refuses_a_bad_radiotherapy_dose(client_for, physician, gy):
    patient = seed("POEMS")
    response = client_for(physician).post(record_url(patient), {
        "line": "1", "regimen": "Strålebehandling", "start_date": ago(30).isoformat(), "radiotherapy_gy": gy,
    })
    assert response.status_code == 200 and response.context["form"].errors["radiotherapy_gy"]


def _in_remission_after_hmas(physician, *, transplant_days=70):
    patient = actions.register_patient(by=physician, name="Hanne Prøve-Vedlikehold",
                                       national_id=_id(), ward="Hematologisk post")
    for analyte, value in (("m_protein", "0"), ("flc_kappa", "12"), ("flc_lambda", "11"), ("hemoglobin", "13.2"),
                           ("creatinine", "80"), ("calcium", "2.35")):
        actions.record_lab_result(by=physician, patient=patient, date=ago(5), analyte=analyte, value=value,
                                  isotype="IgG" if analyte == "m_protein" else "")
    actions.record_marrow(by=physician, patient=patient, date=ago(5), clonal_plasma_cells_pct="0")
    actions.record_treatment_line(
        by=physician, patient=patient, line=1, regimen="VRd-induction",
        drugs=["bortezomib", "lenalidomide", "dexamethasone"], start_date=ago(transplant_days + 200),
        end_date=ago(transplant_days), autologous_transplant=True, transplant_date=ago(transplant_days))
    return patient


def _id():
    from tests.patients.factories import national_id

    return national_id(datetime.date(1965, 4, 2), "female")


@pytest.mark.hazard("HAZ-119")
@pytest.mark.django_db
def test_assessment_after_hmas_names_the_maintenance_window_as_dates(client_for, physician):
    # «Det anbefales oppstart av vedlikeholdsbehandling med lenalidomid 8-14 uker etter HMAS»
    patient = _in_remission_after_hmas(physician)
    reinfusion = ago(70)
    earliest, latest = reinfusion + datetime.timedelta(weeks=8), reinfusion + datetime.timedelta(weeks=14)
    text = page_text(client_for(physician), patient)
    assert "8–14 weeks after HMAS" in text
    assert f"between {earliest:%d.%m.%Y} and {latest:%d.%m.%Y}" in text


@pytest.mark.hazard("HAZ-118")
@pytest.mark.django_db
def test_treatment_line_form_saves_mrd_months_and_assessment_says_daratumumab_can_stop(client_for, physician):
    # «Hvis pasienten har vært i MRD negativ CR > 12 måneder kan daratumumab avsluttes. Lenalidomid kontinueres.»
    patient = _in_remission_after_hmas(physician, transplant_days=500)
    client = client_for(physician)
    response = client.post(record_url(patient), {
        "line": "2", "regimen": "Dara-R-maintenance", "drugs": ["daratumumab", "lenalidomide"],
        "start_date": ago(430).isoformat(), "mrd_negative_months": "14",
    })
    assert response.status_code == 302, response.context["form"].errors
    assert TreatmentLine.objects.get(patient=patient, line=2).mrd_negative_months == 14
    assert facts_for(patient)[0].current_treatment.mrd_negative_months == 14
    text = page_text(client, patient)
    assert "daratumumab can be stopped" in text


@pytest.mark.hazard("HAZ-118")
@pytest.mark.django_db
def test_assessment_without_mrd_months_lists_them_as_missing(client_for, physician):
    patient = _in_remission_after_hmas(physician, transplant_days=500)
    actions.record_treatment_line(by=physician, patient=patient, line=2, regimen="Dara-R-maintenance",
                                  drugs=["daratumumab", "lenalidomide"], start_date=ago(430))
    facts, _sources = facts_for(patient)
    assert facts.current_treatment.mrd_negative_months is None
    text = page_text(client_for(physician), patient)
    assert "MRD-negative CR is not recorded" in text
    assert "Current treatment: months of MRD-negative CR" in text  # the missing fact, named
