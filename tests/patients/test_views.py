"""Patient pages: anonymous, wrong role, invalid input, success; htmx fragment vs full page."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from patients import actions, identity
from patients.models import HeightWeight, LabResult, Patient, TreatmentLine
from tests.personas import in_english

HTMX = {"HTTP_HX_REQUEST": "true"}
NEW_ID = identity.make(datetime.date(1970, 6, 1), 254, synthetic=True)


def today():
    return timezone.localdate()


# --- patient_list ---------------------------------------------------------------

def test_patient_list_anonymous_redirects_to_login(client, db):
    response = client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_patient_list_without_role_is_forbidden(client_for, no_rights_user):
    assert client_for(no_rights_user).get(reverse("patients:list")).status_code == 403


def test_patient_list_shows_patients(client_for, nurse, patient, other_patient):
    response = client_for(nurse).get(reverse("patients:list"))
    assert response.status_code == 200
    assert "Anne Testesen" in response.text and "Ole Prøvesen" in response.text
    assert "<html" in response.text


def test_patient_list_search_by_name_htmx_returns_fragment(client_for, nurse, patient, other_patient):
    response = client_for(nurse).get(reverse("patients:list"), {"q": "testes"}, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="patient-results"' in response.text
    assert "Anne Testesen" in response.text and "Ole Prøvesen" not in response.text
    assert "HX-Request" in response["Vary"]


def test_patient_list_search_by_national_id(client_for, nurse, patient, other_patient):
    response = client_for(nurse).get(reverse("patients:list"), {"q": other_patient.national_id[:6]})
    assert "Ole Prøvesen" in response.text and "Anne Testesen" not in response.text


def test_patient_list_search_without_match(client_for, nurse, patient):
    response = client_for(nurse).get(reverse("patients:list"), {"q": "zzz"}, **HTMX)
    assert "Anne Testesen" not in response.text


# --- patient_register -------------------------------------------------------------

def test_patient_register_anonymous_redirects_to_login(client, db):
    response = client.post(reverse("patients:register"), {"name": "X", "national_id": NEW_ID})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Patient.objects.exists()


def test_patient_register_nurse_is_forbidden(client_for, nurse):
    response = client_for(nurse).post(reverse("patients:register"), {"name": "X", "national_id": NEW_ID})
    assert response.status_code == 403
    assert not Patient.objects.exists()


def test_patient_register_get_shows_form(client_for, physician):
    response = client_for(physician).get(reverse("patients:register"))
    assert response.status_code == 200
    assert 'name="national_id"' in response.text


def test_patient_register_invalid_national_id(client_for, physician):
    response = client_for(physician).post(reverse("patients:register"), {"name": "X", "national_id": "14836141212"})
    assert response.status_code == 200
    assert response.context["form"].errors["national_id"]
    assert not Patient.objects.exists()


def test_patient_register_invalid_htmx_returns_form_fragment(client_for, physician):
    response = client_for(physician).post(
        reverse("patients:register"), {"name": "X", "national_id": "123"}, **HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="patient-form"' in response.text
    assert "11" in response.context["form"].errors["national_id"][0]


def test_patient_register_success(client_for, physician):
    response = client_for(physician).post(
        reverse("patients:register"), {"name": "Nina Ny", "national_id": NEW_ID, "ward": "Post 3"}
    )
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:overview", args=[patient.pk])
    assert patient.birth_date == datetime.date(1970, 6, 1)
    assert patient.history.get().history_user == physician


def test_patient_register_success_htmx_client_redirect(client_for, physician):
    response = client_for(physician).post(
        reverse("patients:register"), {"name": "Nina Ny", "national_id": NEW_ID}, **HTMX
    )
    assert response["HX-Redirect"] == reverse("patients:overview", args=[Patient.objects.get().pk])


# --- patient_overview ---------------------------------------------------------------

def _with_labs(patient, user):
    for days, m, hb in ((90, "30", "11.5"), (60, "22", "11.9"), (30, "12.5", "12.4")):
        date = today() - datetime.timedelta(days=days)
        actions.record_lab_result(by=user, patient=patient, date=date, analyte="m_protein", value=m, isotype="IgG")
        actions.record_lab_result(by=user, patient=patient, date=date, analyte="hemoglobin", value=hb)
    actions.record_height_weight(by=user, patient=patient, date=today(), height_cm="168", weight_kg="71.5")
    actions.record_treatment_line(
        by=user, patient=patient, line=1, regimen="VRd-induction",
        drugs=["bortezomib", "lenalidomide", "dexamethasone"], start_date=today() - datetime.timedelta(days=100),
        best_response="VGPR",
    )


def test_patient_overview_anonymous_redirects_to_login(client, patient):
    response = client.get(reverse("patients:overview", args=[patient.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_patient_overview_without_role_is_forbidden(client_for, no_rights_user, patient):
    assert client_for(no_rights_user).get(reverse("patients:overview", args=[patient.pk])).status_code == 403


def test_patient_overview_unknown_patient_is_404(client_for, nurse, db):
    assert client_for(nurse).get(reverse("patients:overview", args=[999])).status_code == 404


def test_patient_overview_shows_identity_body_timeline_charts(client_for, physician, patient):
    _with_labs(patient, physician)
    response = client_for(physician).get(reverse("patients:overview", args=[patient.pk]))
    assert response.status_code == 200
    text = response.text
    assert "148361 41211" in text  # formatted national id
    assert "71,5 kg" in text and "168 cm" in text  # nb: decimal comma; height a whole number
    assert "VRd-induction" in text and "VGPR" in text
    # The charts moved to the lab section fragment, which htmx loads after the page.
    assert "js/lab-charts.js" in text and 'hx-trigger="load"' in text
    fragment = client_for(physician).get(reverse("patients:overview", args=[patient.pk]), {"labs": "1"}, **HTMX)
    assert 'id="lab-chart-data"' in fragment.text
    charts = fragment.context["charts"]
    m_chart = next(c for c in charts if c["key"] == "m_protein")
    assert m_chart["series"][0]["data"] == [30.0, 22.0, 12.5]
    for html in (text, fragment.text):
        assert "<script>" not in html  # the CSP forbids inline script: data only as application/json


def test_patient_overview_labs_htmx_fragment_filters_by_analyte(client_for, nurse, physician, patient):
    _with_labs(patient, physician)
    response = client_for(nurse).get(reverse("patients:overview", args=[patient.pk]), {"analyte": "hemoglobin"}, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="labs"' in response.text
    assert [r["unit"] for r in response.context["labs"]] == ["g/dL"] * 3  # the three Hb results only
    assert "HX-Request" in response["Vary"]


def test_patient_overview_chart_data_is_valid_json(client_for, physician, patient):
    _with_labs(patient, physician)
    # the chart data are in the lab section fragment (moved there from the page)
    text = client_for(physician).get(reverse("patients:overview", args=[patient.pk]), {"labs": "1"}, **HTMX).text
    match = re.search(r'<script id="lab-chart-data" type="application/json">(.*?)</script>', text, re.S)
    data = json.loads(match.group(1))
    assert {c["key"] for c in data} == {"m_protein", "hemoglobin"}


# --- record ---------------------------------------------------------------------

def test_record_anonymous_redirects_to_login(client, patient):
    url = reverse("patients:record", args=[patient.pk, "height-weight"])
    response = client.post(url, {"date": today(), "weight_kg": "70"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not HeightWeight.objects.exists()


def test_record_pharmacist_is_forbidden(client_for, pharmacist, patient):
    url = reverse("patients:record", args=[patient.pk, "height-weight"])
    assert client_for(pharmacist).post(url, {"date": today(), "weight_kg": "70"}).status_code == 403
    assert not HeightWeight.objects.exists()


def test_record_unknown_kind_is_404(client_for, nurse, patient):
    assert client_for(nurse).get(reverse("patients:record", args=[patient.pk, "nonsense"])).status_code == 404


@pytest.mark.parametrize("kind", [
    "height-weight", "lab", "marrow", "imaging", "cytogenetics", "poems", "treatment-line", "clinical-status",
])
def test_record_get_shows_form_for_every_kind(client_for, physician, patient, kind):
    response = client_for(physician).get(reverse("patients:record", args=[patient.pk, kind]))
    assert response.status_code == 200
    assert 'id="record-form"' in response.text


def test_record_height_weight_success_redirects_to_overview(client_for, nurse, patient):
    url = reverse("patients:record", args=[patient.pk, "height-weight"])
    response = client_for(nurse).post(url, {"date": today().isoformat(), "weight_kg": "70.5"})
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:overview", args=[patient.pk])
    row = HeightWeight.objects.get()
    assert str(row.weight_kg) == "70.5" and row.height_cm is None
    assert row.history.get().history_user == nurse


def test_record_lab_wrong_unit_htmx_returns_form_with_error(client_for, nurse, patient):
    url = reverse("patients:record", args=[patient.pk, "lab"])
    response = client_for(nurse).post(
        url, {"date": today().isoformat(), "analyte": "creatinine", "value": "1.1"}, **HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="record-form"' in response.text
    assert "µmol/L" in response.context["form"].errors["value"][0]
    assert not LabResult.objects.exists()


def test_record_lab_success_htmx_client_redirect(client_for, nurse, patient):
    url = reverse("patients:record", args=[patient.pk, "lab"])
    response = client_for(nurse).post(
        url, {"date": today().isoformat(), "analyte": "creatinine", "value": "97"}, **HTMX
    )
    assert response["HX-Redirect"] == reverse("patients:overview", args=[patient.pk])
    assert LabResult.objects.get().value == 97


def test_record_treatment_line_duplicate_line_refused(client_for, physician, patient):
    _with_labs(patient, physician)
    url = reverse("patients:record", args=[patient.pk, "treatment-line"])
    response = client_for(physician).post(url, {
        "line": "1", "regimen": "DRd", "drugs": ["daratumumab", "lenalidomide", "dexamethasone"],
        "start_date": today().isoformat(),
    })
    assert response.status_code == 200
    assert response.context["form"].errors["line"]
    assert TreatmentLine.objects.count() == 1


def test_record_poems_endocrinopathy_assessed_none_found(client_for, physician, patient):
    url = reverse("patients:record", args=[patient.pk, "poems"])
    response = client_for(physician).post(url, {
        "date": today().isoformat(), "polyneuropathy": "true", "endocrine_assessed": "on",
    })
    assert response.status_code == 302
    finding = patient.poemsfindings_set.get()
    assert finding.polyneuropathy is True and finding.endocrinopathy == [] and finding.castleman is None


# --- treatment_line_edit ------------------------------------------------------------

def test_treatment_line_edit_requires_reason(client_for, physician, patient):
    _with_labs(patient, physician)
    line = TreatmentLine.objects.get()
    url = reverse("patients:treatment_line_edit", args=[patient.pk, line.pk])
    data = {
        "line": "1", "regimen": "VRd-induction", "drugs": ["bortezomib", "lenalidomide", "dexamethasone"],
        "start_date": line.start_date.isoformat(), "best_response": "CR", "reason": "",
    }
    response = client_for(physician).post(url, data)
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    line.refresh_from_db()
    assert line.best_response == "VGPR"


def test_treatment_line_edit_success_recorded_in_change_log(client_for, physician, patient):
    _with_labs(patient, physician)
    line = TreatmentLine.objects.get()
    url = reverse("patients:treatment_line_edit", args=[patient.pk, line.pk])
    data = {
        "line": "1", "regimen": "VRd-induction", "drugs": ["bortezomib", "lenalidomide", "dexamethasone"],
        "start_date": line.start_date.isoformat(), "best_response": "CR", "reason": "Immunfiksasjon negativ",
        "lock_version": line.lock_version,
    }
    response = client_for(physician).post(url, data)
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.best_response == "CR"
    log = client_for(physician).get(reverse("patients:history", args=[patient.pk]))
    assert "Immunfiksasjon negativ" in log.text
    assert "VGPR → CR" in log.text
    assert "Kari Hansen" in log.text
    # the line's drugs by their names in bokmål, not the contract's codes
    assert "bortezomib, lenalidomid, deksametason" in log.text and "dexamethasone" not in log.text


def test_treatment_line_edit_nurse_get_allowed_pharmacist_forbidden(client_for, pharmacist, physician, patient):
    _with_labs(patient, physician)
    line = TreatmentLine.objects.get()
    url = reverse("patients:treatment_line_edit", args=[patient.pk, line.pk])
    assert client_for(pharmacist).get(url).status_code == 403


# --- patient_history ------------------------------------------------------------------

def test_patient_history_anonymous_redirects_to_login(client, patient):
    response = client.get(reverse("patients:history", args=[patient.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_patient_history_without_role_is_forbidden(client_for, no_rights_user, patient):
    assert client_for(no_rights_user).get(reverse("patients:history", args=[patient.pk])).status_code == 403


def test_patient_history_lists_registration_with_user_and_reason(client_for, pharmacist, patient):
    response = client_for(pharmacist).get(reverse("patients:history", args=[patient.pk]))
    assert response.status_code == 200
    entries = response.context["entries"]
    # the reason the app wrote («Registered») in the page's language (core/change_reasons.py)
    assert entries[-1]["who"] == "Kari Hansen" and entries[-1]["reason"] == "Registrert"
    assert "Anne Testesen" in response.text


@pytest.mark.parametrize("kind", ["treatment-line", "clinical-status"])
def test_record_clinical_assessment_nurse_gets_403(client_for, nurse, patient, kind):
    client = client_for(nurse)
    assert client.get(f"/patients/{patient.pk}/record/{kind}/").status_code == 403
    overview = client.get(reverse("patients:overview", args=[patient.pk])).content.decode()
    assert f"/record/{kind}/" not in overview
    assert "/record/lab/" in overview


@pytest.mark.parametrize("kind", ["treatment-line", "clinical-status"])
def test_record_clinical_assessment_physician_may(client_for, physician, patient, kind):
    assert client_for(physician).get(f"/patients/{patient.pk}/record/{kind}/").status_code == 200


# --- patient_edit ----------------------------------------------------------------------

def _patient_data(patient, **changes):
    return {"name": patient.name, "national_id": patient.national_id, "ward": patient.ward,
            "reason": "Flyttet til ny post", "lock_version": patient.lock_version, **changes}


def test_patient_edit_corrects_the_ward_with_its_reason_in_the_change_log(client_for, physician, patient):
    client = client_for(physician)
    url = reverse("patients:edit", args=[patient.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="reason"' in page.text
    assert url in client.get(reverse("patients:overview", args=[patient.pk])).text
    response = client.post(url, _patient_data(patient, ward="Post 7B"))
    assert response.status_code == 302
    assert Patient.objects.get(pk=patient.pk).ward == "Post 7B"
    assert "Post 7B" in client.get(reverse("patients:overview", args=[patient.pk])).text
    log = client.get(reverse("patients:history", args=[patient.pk])).text
    assert "Flyttet til ny post" in log and "Hematologisk post → Post 7B" in log


def test_patient_edit_new_national_id_derives_birth_date_and_sex(client_for, physician, patient):
    response = client_for(physician).post(reverse("patients:edit", args=[patient.pk]),
                                          _patient_data(patient, national_id=NEW_ID))
    assert response.status_code == 302
    stored = Patient.objects.get(pk=patient.pk)
    assert stored.national_id == NEW_ID and stored.birth_date == datetime.date(1970, 6, 1)
    assert stored.sex == "female"  # ninth digit 4 (individual number 254): even, a woman


@pytest.mark.parametrize("field, value, message", [
    ("reason", "", "This field is required"),
    ("national_id", "01017012345", "check digit"),
    ("name", "", "This field is required"),
], ids=["no-reason", "invalid-national-id", "no-name"])
def test_patient_edit_bad_input_names_the_field_and_saves_nothing(client_for, physician, patient, field, value,
                                                                     message):
    response = in_english(client_for(physician)).post(reverse("patients:edit", args=[patient.pk]),
                                          _patient_data(patient, ward="Post 1", **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message.lower() in " ".join(response.context["form"].errors[field]).lower()
    stored = Patient.objects.get(pk=patient.pk)
    assert (stored.ward, stored.name, stored.national_id) == (patient.ward, patient.name, patient.national_id)


def test_patient_edit_duplicate_national_id_refused(client_for, physician, patient, other_patient):
    response = client_for(physician).post(reverse("patients:edit", args=[patient.pk]),
                                          _patient_data(patient, national_id=other_patient.national_id))
    assert response.status_code == 200 and response.context["form"].errors["national_id"]
    assert Patient.objects.get(pk=patient.pk).national_id == patient.national_id


def test_patient_edit_refuses_a_stale_form(client_for, physician, second_physician, patient):
    url = reverse("patients:edit", args=[patient.pk])
    assert client_for(physician).post(url, _patient_data(patient, ward="Post A")).status_code == 302
    refused = client_for(second_physician).post(url, _patient_data(patient, ward="Post B"))
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert Patient.objects.get(pk=patient.pk).ward == "Post A"


def test_patient_edit_nurse_and_pharmacist_forbidden(client_for, nurse, pharmacist, patient):
    url = reverse("patients:edit", args=[patient.pk])
    for user in (nurse, pharmacist):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, _patient_data(patient, ward="X")).status_code == 403
    assert Patient.objects.get(pk=patient.pk).ward == patient.ward
    assert url not in client_for(nurse).get(reverse("patients:overview", args=[patient.pk])).text
