"""Input the record must never hold: a national identity number whose birth date lies in the
future, and free text longer than its field's limit. Each is refused by the form (a message on
the field; the text fields carry ``maxlength``), by the model (``full_clean``), by the action and
by the page, and nothing is saved.

The limits are the issue's (#10, item 8): names 200, ward 100, regimen as typed 100, reasons 500,
notes 2000 characters. The numbers' check digits come from tests/patients/national_ids.py.
"""

import datetime

import pytest
from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models as django_models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from patients import actions, forms, models
from patients.fields import CodeListField
from patients.models import ClinicalStatus, Patient, TreatmentLine, TreatmentPlan
from tests.patients.factories import ANNE_ID
from tests.patients.national_ids import BORN_2000S, number_for
from tests.patients.plan_helpers import shown
from tests.personas import PASSWORD, in_english

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)
FUTURE_ID = number_for(TOMORROW, BORN_2000S)
TODAY_ID = number_for(TODAY, BORN_2000S)
LIMITS = {"name": 200, "ward": 100, "regimen": 100, "reason": 500, "note": 2000}


def too_long(field):
    return "x" * (LIMITS[field] + 1)


def english_client(user):
    client = in_english(Client())
    client.force_login(user)
    return client


# --- A birth date in the future -------------------------------------------------------------

@pytest.mark.hazard("HAZ-031")
def test_patient_model_refuses_a_birth_date_in_the_future(db):
    patient = Patient(name="Fremtidig Testesen", national_id=FUTURE_ID)
    with override("en"):
        with pytest.raises(ValidationError) as exc:
            patient.full_clean()
        [error] = exc.value.error_dict["national_id"]
        assert error.code == "future"
        # a lazy message with params is rendered when read: read it in the language under test
        assert "birth date in the future" in " ".join(error.messages)


@pytest.mark.hazard("HAZ-031")
def test_patient_form_refuses_a_birth_date_in_the_future_on_the_field(db):
    form = forms.PatientForm({"name": "Fremtidig Testesen", "national_id": FUTURE_ID})
    with override("en"):
        assert not form.is_valid()
        message = " ".join(form.errors["national_id"])
    assert "national identity number gives a birth date in the future" in message
    assert TOMORROW.strftime("%d.%m.%Y") in message  # the date it gives, dd.mm.åååå in both languages


def test_patient_born_today_is_accepted(physician):
    patient = actions.register_patient(by=physician, name="Nyfødt Testesen", national_id=TODAY_ID)
    assert patient.birth_date == TODAY


@pytest.mark.hazard("HAZ-031")
def test_register_and_correct_refuse_a_birth_date_in_the_future_and_save_nothing(physician, patient):
    with pytest.raises(ValidationError) as exc:
        actions.register_patient(by=physician, name="Fremtidig Testesen", national_id=FUTURE_ID)
    assert "national_id" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        actions.update_patient(by=physician, patient=patient, reason="Feil nummer", national_id=FUTURE_ID)
    assert "national_id" in exc.value.message_dict
    assert list(Patient.objects.values_list("national_id", flat=True)) == [ANNE_ID]
    assert Patient.history.count() == 1  # the registration only


def test_register_page_refuses_a_birth_date_in_the_future(physician, db):
    response = english_client(physician).post(reverse("patients:register"),
                                              {"name": "Fremtidig Testesen", "national_id": FUTURE_ID})
    assert response.status_code == 200 and "birth date in the future" in response.text
    assert not Patient.objects.exists()


# --- Free text: every text field of the patients app has a limit, on model and form ---------

def text_fields():
    """(model, field) of every text field a user types into: CharField and TextField, not the
    code lists (a fixed vocabulary), not the history models (they copy the fields)."""
    from django.apps import apps

    for model in apps.get_app_config("patients").get_models():
        if not model._meta.managed or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, (django_models.CharField, django_models.TextField)) and not isinstance(
                    field, CodeListField):
                yield model, field


@pytest.mark.hazard("HAZ-032")
def test_every_text_field_has_a_limit_the_model_enforces():
    fields = list(text_fields())
    assert len(fields) > 10
    for model, field in fields:
        where = f"{model.__name__}.{field.name}"
        assert field.max_length is not None, where
        assert any(isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length
                   for v in field.validators), where


def test_the_limits_are_the_issues():
    assert Patient._meta.get_field("name").max_length == LIMITS["name"]
    assert Patient._meta.get_field("ward").max_length == LIMITS["ward"]
    assert TreatmentLine._meta.get_field("regimen").max_length == LIMITS["regimen"]
    assert ClinicalStatus._meta.get_field("note").max_length == LIMITS["note"]
    assert TreatmentPlan._meta.get_field("change_reason").max_length == LIMITS["reason"]
    assert TreatmentPlan._meta.get_field("cancel_reason").max_length == LIMITS["reason"]


PATIENT_FORMS = [forms.PatientForm, forms.PatientUpdateForm, forms.HeightWeightForm, forms.LabResultForm,
                 forms.MarrowForm, forms.ImagingForm, forms.CytogeneticsForm, forms.PoemsForm,
                 forms.TreatmentLineForm, forms.TreatmentLineUpdateForm, forms.ClinicalStatusForm,
                 forms.SearchForm, forms.AssessmentDateForm]


@pytest.mark.parametrize("form_class", PATIENT_FORMS, ids=lambda f: f.__name__)
def test_every_text_field_of_a_form_has_a_limit_and_says_it_to_the_browser(form_class):
    for name, field in form_class.base_fields.items():
        if isinstance(field, django_forms.CharField) and not isinstance(field.widget, django_forms.HiddenInput):
            assert field.max_length is not None, name
            assert field.widget.attrs.get("maxlength") == str(field.max_length), name


@pytest.mark.parametrize(("form_class", "field", "limit"), [
    (forms.PatientUpdateForm, "reason", LIMITS["reason"]),
    (forms.TreatmentLineUpdateForm, "reason", LIMITS["reason"]),
    (forms.ClinicalStatusForm, "note", LIMITS["note"]),
    (forms.PatientForm, "name", LIMITS["name"]),
    (forms.PatientForm, "ward", LIMITS["ward"]),
    (forms.TreatmentLineForm, "regimen", LIMITS["regimen"]),
], ids=["patient reason", "line reason", "note", "name", "ward", "regimen"])
def test_form_limits_are_the_issues(form_class, field, limit):
    assert form_class.base_fields[field].max_length == limit


# --- ... and an over-long value is refused everywhere, nothing saved ------------------------

@pytest.mark.hazard("HAZ-032")
def test_overlong_name_and_ward_refused_by_form_and_model(db):
    with override("en"):
        form = forms.PatientForm({"name": too_long("name"), "national_id": ANNE_ID, "ward": too_long("ward")})
        assert not form.is_valid()
        assert "at most 200 characters" in form.errors["name"][0]
        assert "at most 100 characters" in form.errors["ward"][0]
    with pytest.raises(ValidationError) as exc:
        Patient(name=too_long("name"), national_id=ANNE_ID, ward=too_long("ward")).full_clean()
    assert {"name", "ward"} <= set(exc.value.message_dict)


@pytest.mark.hazard("HAZ-032")
def test_overlong_clinical_status_note_refused_by_form_model_action_and_page(physician, patient):
    data = {"date": TODAY.isoformat(), "frailty": "fit", "note": too_long("note")}
    with override("en"):
        form = forms.ClinicalStatusForm(data, patient=patient)
        assert not form.is_valid()
        assert "at most 2000 characters" in form.errors["note"][0]
    with pytest.raises(ValidationError) as exc:
        actions.record_clinical_status(by=physician, patient=patient, date=TODAY, frailty="fit",
                                       note=too_long("note"))
    assert "note" in exc.value.message_dict
    response = english_client(physician).post(reverse("patients:record", args=[patient.pk, "clinical-status"]), data)
    assert response.status_code == 200 and "at most 2000 characters" in response.text
    assert 'maxlength="2000"' in english_client(physician).get(
        reverse("patients:record", args=[patient.pk, "clinical-status"])).text
    assert not ClinicalStatus.objects.exists()
    assert actions.record_clinical_status(by=physician, patient=patient, date=TODAY, frailty="fit",
                                          note="n" * LIMITS["note"]).note == "n" * LIMITS["note"]


@pytest.mark.hazard("HAZ-032")
def test_overlong_correction_reason_refused_by_form_action_and_page(physician, patient):
    line = actions.record_treatment_line(by=physician, patient=patient, line=1, regimen="VRd",
                                         drugs=["bortezomib"], start_date=datetime.date(2024, 1, 8))
    with override("en"):
        form = forms.PatientUpdateForm({"name": patient.name, "national_id": ANNE_ID, "ward": "Post 2",
                                        "reason": too_long("reason"), "lock_version": patient.lock_version},
                                       instance=patient)
        assert not form.is_valid()
        assert "at most 500 characters" in form.errors["reason"][0]
    with pytest.raises(ValidationError) as exc:
        actions.update_patient(by=physician, patient=patient, reason=too_long("reason"), ward="Post 2")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        actions.update_treatment_line(by=physician, treatment_line=line, reason=too_long("reason"), regimen="KRd")
    assert "reason" in exc.value.message_dict
    response = english_client(physician).post(reverse("patients:edit", args=[patient.pk]), {
        "name": patient.name, "national_id": ANNE_ID, "ward": "Post 2", "reason": too_long("reason"),
        "lock_version": patient.lock_version})
    assert response.status_code == 200 and "at most 500 characters" in response.text
    patient.refresh_from_db()
    line.refresh_from_db()
    assert patient.ward == "Hematologisk post" and line.regimen == "VRd"
    assert patient.history.count() == 1 and line.history.count() == 1


@pytest.fixture
def plan(physician, patient):
    actions.record_height_weight(by=physician, patient=patient, date=TODAY, height_cm=180, weight_kg=80)
    actions.record_lab_result(by=physician, patient=patient, date=TODAY, analyte="creatinine", value=80)
    draft = actions.create_plan_draft(by=physician, patient=patient, regimen="VRd-induction",
                                      start_date=datetime.date(2026, 1, 5))
    return actions.issue_plan(plan=draft, by=physician, password=PASSWORD, acknowledged_flags=[],
                              expected_fingerprint=shown(draft))


@pytest.mark.hazard("HAZ-032")
def test_overlong_plan_reasons_refused_by_model_and_action(physician, plan):
    with pytest.raises(ValidationError) as exc:
        actions.revise_plan(plan=plan, by=physician, reason=too_long("reason"), cycles=4)
    assert "change_reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        actions.cancel_plan(plan=plan, by=physician, reason=too_long("reason"))
    assert "cancel_reason" in exc.value.message_dict
    plan.refresh_from_db()
    assert plan.status == "issued" and plan.cancel_reason == ""
    assert TreatmentPlan.objects.count() == 1
    revision = TreatmentPlan(patient=plan.patient, protocol=plan.protocol, start_date=plan.start_date,
                             version=2, previous=plan, change_reason=too_long("reason"), created_by=physician)
    with pytest.raises(ValidationError) as exc:
        revision.full_clean()
    assert "change_reason" in exc.value.message_dict


@pytest.mark.hazard("HAZ-032")
def test_the_change_log_holds_the_longest_reason_an_action_writes(physician, plan):
    """History rows keep the reason whole: "Cancelled: " and "Superseded by version n: " come in
    front of a reason of up to 500 characters (a 100-character column cut it or failed)."""
    reason = "r" * LIMITS["reason"]
    actions.cancel_plan(plan=plan, by=physician, reason=reason)
    assert plan.history.latest().history_change_reason == f"Cancelled: {reason}"
    for model in (Patient, TreatmentLine, TreatmentPlan, ClinicalStatus):
        column = model.history.model._meta.get_field("history_change_reason")
        assert column.max_length is None or column.max_length >= LIMITS["reason"] + 40, model.__name__


def test_the_reason_limit_is_one_constant():
    assert models.REASON_MAX_LENGTH == LIMITS["reason"]
