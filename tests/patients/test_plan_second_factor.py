"""Signing a plan needs the second factor: password AND a current code of the signer's own
TOTP device (issue #6: two-factor authentication for signing). Each code is accepted once."""

import pytest
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import current_code
from patients import actions, plans
from patients.models import PlanStatus
from tests.patients.plan_helpers import draft, issued, shown
from tests.personas import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.hazard("HAZ-008")]


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.SIGNING_REQUIRES_SECOND_FACTOR = True


def _device(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _issue(plan, physician, token):
    flags = [f["key"] for f in plans.compute_for(plan).flags]
    return actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=flags, otp_token=token,
                              expected_fingerprint=shown(plan))


def test_issue_without_a_device_is_refused(physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    with pytest.raises(ValidationError) as exc:
        _issue(plan, physician, "123456")
    assert "otp_token" in exc.value.message_dict
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


@pytest.mark.parametrize("token", ["", "000000", "12345", "abcdef"], ids=["no-code", "wrong", "short", "letters"])
def test_issue_with_a_wrong_code_is_refused(physician, vrd_patient, token):
    device = _device(physician)
    if token == "000000" and current_code(device) == "000000":
        token = "111111"
    plan = draft(physician, vrd_patient)
    with pytest.raises(ValidationError) as exc:
        _issue(plan, physician, token)
    assert "otp_token" in exc.value.message_dict
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.snapshot in (None, {})


def test_issue_and_verify_with_current_codes(physician, pharmacist, vrd_patient):
    doctor, chemist = _device(physician), _device(pharmacist)
    plan = _issue(draft(physician, vrd_patient), physician, current_code(doctor))
    assert plan.status == PlanStatus.ISSUED
    plan = actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD, otp_token=current_code(chemist),
                               expected_fingerprint=shown(plan))
    assert plan.status == PlanStatus.VERIFIED


def test_a_code_is_accepted_only_once(physician, pharmacist, vrd_patient, settings):
    chemist = _device(pharmacist)
    settings.SIGNING_REQUIRES_SECOND_FACTOR = False  # two issued plans to verify
    plan = issued(physician, vrd_patient)
    other = issued(physician, vrd_patient)
    settings.SIGNING_REQUIRES_SECOND_FACTOR = True
    code = current_code(chemist)
    actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD, otp_token=code, expected_fingerprint=shown(plan))
    with pytest.raises(ValidationError) as exc:
        actions.verify_plan(plan=other, by=pharmacist, password=PASSWORD,
                            otp_token=code, expected_fingerprint=shown(other))
    assert "otp_token" in exc.value.message_dict
    other.refresh_from_db()
    assert other.status == PlanStatus.ISSUED


def test_someone_elses_code_does_not_sign(physician, pharmacist, vrd_patient):
    _device(physician)
    chemist = _device(pharmacist)
    plan = draft(physician, vrd_patient)
    with pytest.raises(ValidationError):
        _issue(plan, physician, current_code(chemist))


def test_the_sign_forms_ask_for_the_code(client_for, physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    page = client_for(physician).get(f"/patients/{vrd_patient.pk}/plans/{plan.pk}/")
    assert 'name="otp_token"' in page.content.decode()
