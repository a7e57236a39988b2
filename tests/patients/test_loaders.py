"""patients/views/loaders.py: the permission first (403 for every id, known or not), then the patient
and the plan from the URL (404 for an unknown id or another patient's plan), and the system check
that refuses a patient-bound view without a loader."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory, override_settings

from accounts import roles
from patients import actions
from patients.views.loaders import check_patient_views_have_a_loader, load_patient, load_plan
from tests.patients.plan_helpers import shown
from tests.personas import PASSWORD


@load_patient(roles.VIEW_PATIENTS)
def patient_view(request, patient):
    return HttpResponse(f"patient {patient.pk}")


@load_plan(roles.PRINT_PLAN)
def plan_view(request, patient, plan):
    return HttpResponse(f"patient {patient.pk} plan {plan.pk}")


@load_patient(lambda kind: roles.RECORD_CLINICAL_ASSESSMENT if kind == "clinical" else roles.RECORD_OBSERVATIONS)
def kind_view(request, patient, kind):
    return HttpResponse(f"{kind} for {patient.pk}")


def get(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.fixture
def plan(physician, pharmacist, patient):
    today = datetime.date.today()
    actions.record_height_weight(by=physician, patient=patient, date=today, height_cm=180, weight_kg=80)
    actions.record_lab_result(by=physician, patient=patient, date=today, analyte="creatinine", value=80)
    draft = actions.create_plan_draft(by=physician, patient=patient, regimen="VRd-induction",
                                      start_date=datetime.date(2026, 1, 5))
    return actions.issue_plan(plan=draft, by=physician, password=PASSWORD, acknowledged_flags=[],
                              expected_fingerprint=shown(draft))


def test_load_patient_passes_the_patient_to_a_user_with_the_permission(nurse, patient):
    assert patient_view(get(nurse), pk=patient.pk).content == f"patient {patient.pk}".encode()


def test_load_patient_unknown_id_is_404(nurse, patient):
    with pytest.raises(Http404):
        patient_view(get(nurse), pk=patient.pk + 1000)


@pytest.mark.hazard("HAZ-030")
def test_load_patient_refuses_before_looking_the_id_up(no_rights_user, patient):
    """A user without the permission gets 403 for a real id and for an unknown one alike."""
    for pk in (patient.pk, patient.pk + 1000):
        with pytest.raises(PermissionDenied):
            patient_view(get(no_rights_user), pk=pk)
    with pytest.raises(PermissionDenied):
        patient_view(get(AnonymousUser()), pk=patient.pk)


@pytest.mark.hazard("HAZ-030")
def test_load_plan_needs_the_plan_of_that_patient(nurse, patient, other_patient, plan):
    assert plan_view(get(nurse), pk=patient.pk, plan_pk=plan.pk).content == (
        f"patient {patient.pk} plan {plan.pk}".encode())
    with pytest.raises(Http404):
        plan_view(get(nurse), pk=other_patient.pk, plan_pk=plan.pk)  # the plan is not the other patient's
    with pytest.raises(Http404):
        plan_view(get(nurse), pk=patient.pk, plan_pk=plan.pk + 1000)


def test_load_plan_checks_its_own_permission(pharmacist, no_rights_user, physician, patient, plan):
    """PRINT_PLAN: the pharmacist and the physician have it (roles.py), a user in no role not."""
    assert plan_view(get(pharmacist), pk=patient.pk, plan_pk=plan.pk).status_code == 200
    with pytest.raises(PermissionDenied):
        plan_view(get(no_rights_user), pk=patient.pk, plan_pk=plan.pk)


def test_load_patient_permission_may_depend_on_the_url(nurse, physician, patient):
    """The nurse records observations but no clinical assessment (accounts/roles.py)."""
    assert kind_view(get(nurse), pk=patient.pk, kind="lab").content == f"lab for {patient.pk}".encode()
    with pytest.raises(PermissionDenied):
        kind_view(get(nurse), pk=patient.pk, kind="clinical")
    assert kind_view(get(physician), pk=patient.pk, kind="clinical").status_code == 200


def test_every_patient_view_of_the_site_has_a_loader():
    assert check_patient_views_have_a_loader() == []


@pytest.mark.hazard("HAZ-030")
@override_settings(ROOT_URLCONF="tests.patients.urls_unguarded")
def test_a_patient_view_without_a_loader_fails_the_system_check():
    errors = check_patient_views_have_a_loader()
    assert [error.id for error in errors] == ["patients.E001"]
    assert "/patients/<int:pk>/unguarded/" in errors[0].msg
