"""Optimistic locking (core/locking.py, hazard HAZ-015 lost update): of two edits made from the
same loaded version exactly one is stored; the other is refused naming who changed the record, when
and which fields, and nothing is overwritten. The multi-process test against one PostgreSQL database
is tests/concurrency/test_two_app_processes.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.locking import StaleEdit
from patients import actions
from patients.models import LabResult, Patient, PlanStatus, TreatmentLine, TreatmentPlan
from regimens.models import Protocol
from tests.patients.plan_helpers import draft, issued, shown, verified
from tests.personas import PASSWORD, english_client
from tests.regimens.admin_forms import change_data, change_url
from tests.regimens.factories import stored

pytestmark = pytest.mark.hazard("HAZ-015")

CHECKS = {name: "on" for name in ("check_identity", "check_measurements", "check_doses", "check_flags",
                                  "check_premedication")}
START = datetime.date(2025, 1, 6)


@pytest.fixture
def client():
    """English messages (the new strings are not translated yet)."""
    return english_client()


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def line(patient, physician):
    return actions.record_treatment_line(
        by=physician, patient=patient, line=1, regimen="VRd-induction",
        drugs=["bortezomib", "lenalidomide", "dexamethasone"], start_date=START, best_response="VGPR",
    )


# --- actions --------------------------------------------------------------------

def test_treatment_line_second_edit_from_the_same_version_is_refused(english, line, physician, second_physician):
    loaded = line.lock_version
    actions.update_treatment_line(by=physician, treatment_line=line, reason="IF negative", best_response="CR",
                                  loaded_version=loaded)
    with pytest.raises(StaleEdit) as refused:
        actions.update_treatment_line(by=second_physician, treatment_line=line, reason="Progression",
                                      end_date=datetime.date(2025, 6, 1), loaded_version=loaded)
    message = refused.value.messages[0]
    assert refused.value.code == "stale"
    assert "changed by Kari Hansen at " in message and "since you opened it" in message
    assert "best response" in message and "reload the page" in message
    stored_line = TreatmentLine.objects.get(pk=line.pk)
    assert (stored_line.best_response, stored_line.end_date, stored_line.lock_version) == ("CR", None, loaded + 1)
    assert [h.history_change_reason for h in stored_line.history.all()] == ["IF negative", "Recorded"]


def test_treatment_line_edit_from_the_current_version_is_stored(line, physician, second_physician):
    actions.update_treatment_line(by=physician, treatment_line=line, reason="IF negative", best_response="CR")
    line.refresh_from_db()
    actions.update_treatment_line(by=second_physician, treatment_line=line, reason="Stopped",
                                  end_date=datetime.date(2025, 6, 1), loaded_version=line.lock_version)
    line.refresh_from_db()
    assert (line.best_response, line.end_date, line.lock_version) == ("CR", datetime.date(2025, 6, 1), 3)


def test_patient_ward_second_edit_from_the_same_version_is_refused(english, patient, physician, nurse):
    loaded = patient.lock_version
    actions.update_patient(by=physician, patient=patient, reason="Moved", ward="Post 2", loaded_version=loaded)
    with pytest.raises(StaleEdit, match="changed by Kari Hansen at .*ward"):
        actions.update_patient(by=nurse, patient=patient, reason="Moved", ward="Post 3", loaded_version=loaded)
    assert Patient.objects.get(pk=patient.pk).ward == "Post 2"


def test_update_patient_rederives_birth_date_and_requires_a_reason(patient, physician):
    from tests.patients.factories import OLE_ID

    with pytest.raises(ValidationError):
        actions.update_patient(by=physician, patient=patient, reason=" ", ward="Post 2")
    updated = actions.update_patient(by=physician, patient=patient, reason="Mistyped", national_id=OLE_ID)
    assert (updated.birth_date, updated.sex) == (datetime.date(1948, 11, 2), "male")
    assert updated.history.first().history_change_reason == "Mistyped"


def test_stale_instance_save_is_refused_by_the_conditional_update(english, line):
    """Whatever path a save takes (here a plain save of an old copy), it cannot overwrite a newer row."""
    first, second = TreatmentLine.objects.get(pk=line.pk), TreatmentLine.objects.get(pk=line.pk)
    first.best_response = "CR"
    first.save()
    second.end_date = datetime.date(2025, 6, 1)
    with pytest.raises(StaleEdit):
        second.save()
    stored_line = TreatmentLine.objects.get(pk=line.pk)
    assert (stored_line.best_response, stored_line.end_date) == ("CR", None)


def test_inserts_are_never_refused(patient, physician, nurse):
    """Lab results are new rows: nothing to lose, no counter to compare."""
    for i, by in enumerate((physician, nurse, physician)):
        actions.record_lab_result(by=by, patient=patient, date=START, analyte="creatinine", value=80 + i)
    assert sorted(LabResult.objects.filter(patient=patient).values_list("value", flat=True)) == [80, 81, 82]


def test_second_verification_from_the_same_page_is_refused(english, physician, pharmacist, admin_user, vrd_patient):
    plan = issued(physician, vrd_patient)
    loaded = plan.lock_version
    actions.verify_plan(plan=TreatmentPlan.objects.get(pk=plan.pk), by=pharmacist, password=PASSWORD,
                        loaded_version=loaded, expected_fingerprint=shown(plan))
    with pytest.raises(StaleEdit, match="changed by Per Lie at .*status"):
        actions.verify_plan(plan=TreatmentPlan.objects.get(pk=plan.pk), by=admin_user, password=PASSWORD,
                            loaded_version=loaded, expected_fingerprint=shown(plan))
    plan.refresh_from_db()
    assert plan.verified_by == pharmacist and plan.verified_signature["username"] == "farm_lie"


def test_cancel_from_a_page_loaded_before_the_verification_is_refused(english, physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient)
    loaded = plan.lock_version
    actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD, expected_fingerprint=shown(plan))
    with pytest.raises(StaleEdit):
        actions.cancel_plan(plan=plan, by=physician, reason="Wrong plan", loaded_version=loaded)
    assert TreatmentPlan.objects.get(pk=plan.pk).status == PlanStatus.VERIFIED


def test_second_revision_from_the_same_page_is_refused(english, physician, second_physician, pharmacist,
                                                      vrd_patient):
    plan = verified(physician, pharmacist, vrd_patient, start_date=START)
    loaded = plan.lock_version
    actions.revise_plan(plan=plan, by=physician, reason="Start postponed", loaded_version=loaded,
                        start_date=START + datetime.timedelta(days=7))
    with pytest.raises(ValidationError, match="already exists"):
        actions.revise_plan(plan=plan, by=second_physician, reason="Other change", loaded_version=loaded, cycles=2)
    assert TreatmentPlan.objects.filter(previous=plan).count() == 1


def test_issuing_a_draft_twice_from_the_same_page_signs_once(english, physician, second_physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    loaded = plan.lock_version
    actions.issue_plan(plan=TreatmentPlan.objects.get(pk=plan.pk), by=physician, password=PASSWORD,
                       acknowledged_flags=[], loaded_version=loaded,
                       expected_fingerprint=shown(plan))
    with pytest.raises(StaleEdit, match="changed by Kari Hansen"):
        actions.issue_plan(plan=TreatmentPlan.objects.get(pk=plan.pk), by=second_physician, password=PASSWORD,
                           acknowledged_flags=[], loaded_version=loaded,
                           expected_fingerprint=shown(plan))
    plan.refresh_from_db()
    assert plan.issued_by == physician and len(plan.snapshot["signatures"]) == 1


# --- pages --------------------------------------------------------------------------

def _line_data(line, **changes):
    return {
        "line": "1", "regimen": line.regimen, "drugs": line.drugs, "start_date": line.start_date.isoformat(),
        "best_response": line.best_response, "reason": "correction", "lock_version": line.lock_version, **changes,
    }


def test_treatment_line_edit_page_refuses_a_stale_form(client_for, line, physician, second_physician):
    url = reverse("patients:treatment_line_edit", args=[line.patient_id, line.pk])
    first = _line_data(line, best_response="CR")
    second = _line_data(line, best_response="PD")
    page = client_for(physician).get(url)
    assert f'name="lock_version" value="{line.lock_version}"' in page.text
    assert client_for(physician).post(url, first).status_code == 302
    refused = client_for(second_physician).post(url, second)
    assert refused.status_code == 200
    assert "changed by Kari Hansen at" in refused.text and "since you opened it" in refused.text
    assert TreatmentLine.objects.get(pk=line.pk).best_response == "CR"


def test_treatment_line_edit_page_without_the_version_is_refused(client_for, line, physician):
    url = reverse("patients:treatment_line_edit", args=[line.patient_id, line.pk])
    data = _line_data(line, best_response="CR")
    del data["lock_version"]
    response = client_for(physician).post(url, data)
    assert response.status_code == 200 and "reload the page" in response.text
    assert TreatmentLine.objects.get(pk=line.pk).best_response == "VGPR"


def test_plan_verify_page_second_pharmacist_gets_the_stale_message(client, physician, pharmacist, admin_user,
                                                                   vrd_patient):
    from tests.personas import verify_second_factor

    plan = issued(physician, vrd_patient)
    url = reverse("patients:plan_verify", args=[vrd_patient.pk, plan.pk])
    data = {**CHECKS, "password": PASSWORD, "fingerprint": shown(plan), "lock_version": plan.lock_version}
    client.force_login(pharmacist)
    verify_second_factor(client, pharmacist)
    assert client.post(url, data).status_code == 302
    other = english_client()
    other.force_login(admin_user)
    verify_second_factor(other, admin_user)
    refused = other.post(url, data)
    assert refused.status_code == 422 and "changed by Per Lie at" in refused.text
    plan.refresh_from_db()
    assert plan.verified_by == pharmacist


def test_admin_second_edit_of_a_draft_protocol_from_the_same_version_is_refused(client_for, pharmacist, db):
    protocol = stored(code="T-Lock", status="draft")
    first = change_data(protocol, name="First edit")
    second = change_data(protocol, name="Second edit")
    client = client_for(pharmacist)
    assert f'value="{protocol.lock_version}"' in client.get(change_url(protocol)).text
    assert client.post(change_url(protocol), first).status_code == 302
    refused = client.post(change_url(protocol), second)
    assert refused.status_code == 200 and "changed by Per Lie at" in refused.text
    assert Protocol.objects.get(pk=protocol.pk).name == "First edit"
