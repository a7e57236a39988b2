"""Forms refuse bad input with a message on the offending field."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import override

from patients import forms
from tests.patients.factories import ANNE_ID

TODAY = timezone.localdate().isoformat()
TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def errors(form):
    assert not form.is_valid()
    return form.errors


@pytest.mark.parametrize("national_id, words", [
    ("14836141212", "check digits"),
    ("1483614121", "11 digits"),
    ("abcdefghijk", "11 digits"),
], ids=["bad check digit", "10 digits", "letters"])
def test_patient_form_invalid_national_id(db, national_id, words):
    with override("en"):
        assert words in errors(forms.PatientForm({"name": "X", "national_id": national_id}))["national_id"][0]


@pytest.mark.hazard("HAZ-001")
def test_patient_form_duplicate_national_id(patient):
    with override("en"):
        message = errors(forms.PatientForm({"name": "X", "national_id": ANNE_ID}))["national_id"][0]
    assert "already registered" in message


def test_patient_form_valid(db):
    form = forms.PatientForm({"name": "X", "national_id": "148361 41211"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["national_id"] == ANNE_ID


@pytest.mark.hazard("HAZ-003")
@pytest.mark.parametrize("data, field", [
    ({"weight_kg": "19"}, "weight_kg"),
    ({"weight_kg": "351"}, "weight_kg"),
    ({"height_cm": "99"}, "height_cm"),
    ({"height_cm": "231"}, "height_cm"),
    ({"height_cm": "1.75"}, "height_cm"),
    ({"date": TOMORROW, "weight_kg": "70"}, "date"),
    ({"weight_kg": "abc"}, "weight_kg"),
], ids=["weight 19 kg", "weight 351 kg", "height 99 cm", "height 231 cm", "height in metres", "future date",
        "not a number"])
def test_height_weight_form_refuses(patient, data, field):
    form = forms.HeightWeightForm({"date": TODAY, **data}, patient=patient)
    assert field in errors(form)


@pytest.mark.hazard("HAZ-002")
@pytest.mark.parametrize("analyte, value, expected", [
    ("creatinine", "1.1", "µmol/L"),
    ("hemoglobin", "125", "g/dL"),
    ("calcium", "10.2", "mmol/L"),
    ("albumin", "4.0", "g/L"),
    ("creatinine", "3000", "physiological range"),
    ("hemoglobin", "2.0", "physiological range"),
    ("m_protein", "200", "physiological range"),
    ("platelets", "-5", "negative"),
    ("flc_kappa", "0", "physiological range"),
], ids=["creatinine looks like mg/dL", "Hb looks like g/L", "calcium looks like mg/dL", "albumin looks like g/dL",
        "creatinine too high", "Hb too low", "M-protein too high", "negative platelets", "kappa zero"])
def test_lab_form_refuses_unit_and_range(patient, analyte, value, expected):
    with override("en"):
        form = forms.LabResultForm({"date": TODAY, "analyte": analyte, "value": value}, patient=patient)
        message = errors(form)["value"][0]
    assert expected in message


def test_lab_form_shows_units_in_analyte_choices(patient):
    labels = [str(label) for _code, label in forms.LabResultForm(patient=patient).fields["analyte"].choices]
    assert any("µmol/L" in label for label in labels) and any("g/dL" in label for label in labels)


def test_lab_form_refuses_future_date(patient):
    form = forms.LabResultForm({"date": TOMORROW, "analyte": "creatinine", "value": "90"}, patient=patient)
    assert "date" in errors(form)


def test_lab_form_refuses_limits_upside_down(patient):
    form = forms.LabResultForm({"date": TODAY, "analyte": "calcium", "value": "2.4", "lower_limit": "2.6",
                                "upper_limit": "2.2"}, patient=patient)
    assert "upper_limit" in errors(form)


def test_lab_form_valid(patient):
    form = forms.LabResultForm({"date": TODAY, "analyte": "creatinine", "value": "97"}, patient=patient)
    assert form.is_valid(), form.errors


def test_marrow_form_refuses_over_100(patient):
    assert "clonal_plasma_cells_pct" in errors(forms.MarrowForm({"date": TODAY, "clonal_plasma_cells_pct": "120"},
                                                                patient=patient))


def test_imaging_form_refuses_empty(patient):
    assert "__all__" in errors(forms.ImagingForm({"date": TODAY}, patient=patient))


@pytest.mark.hazard("HAZ-010")
def test_cytogenetics_form_tristate_unknown_stays_none(patient):
    form = forms.CytogeneticsForm({"date": TODAY, "t11_14": "true", "del17p": "unknown"}, patient=patient)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["t11_14"] is True and form.cleaned_data["del17p"] is None


def test_poems_form_endocrinopathy_not_assessed_is_none(patient):
    form = forms.PoemsForm({"date": TODAY, "polyneuropathy": "true"}, patient=patient)
    assert form.is_valid(), form.errors
    assert form.action_kwargs()["endocrinopathy"] is None


def test_treatment_line_form_refractory_drug_not_in_line(patient):
    form = forms.TreatmentLineForm({"line": "1", "regimen": "VRd-induction", "drugs": ["bortezomib"],
                                    "refractory_to": ["pomalidomide"], "start_date": TODAY}, patient=patient)
    assert "refractory_to" in errors(form)


def test_treatment_line_form_future_start(patient):
    form = forms.TreatmentLineForm({"line": "1", "regimen": "DRd", "drugs": ["daratumumab"],
                                    "start_date": TOMORROW}, patient=patient)
    assert "start_date" in errors(form)


@pytest.mark.parametrize("progression, field", [
    pytest.param(TOMORROW, "progression_date", id="progression-in-the-future"),
    pytest.param("2020-01-01", "progression_date", id="progression-before-the-line-started"),
])
def test_treatment_line_form_progression_date_errors(patient, progression, field):
    form = forms.TreatmentLineForm({"line": "1", "regimen": "DRd", "drugs": ["daratumumab"], "start_date": TODAY,
                                    "progression_date": progression}, patient=patient)
    assert field in errors(form)


def test_treatment_line_form_accepts_a_progression_date(patient):
    form = forms.TreatmentLineForm({"line": "1", "regimen": "DRd", "drugs": ["daratumumab"], "start_date": TODAY,
                                    "progression_date": TODAY}, patient=patient)
    assert form.is_valid(), form.errors


def test_clinical_status_form_refuses_empty(patient):
    assert "__all__" in errors(forms.ClinicalStatusForm({"date": TODAY}, patient=patient))

