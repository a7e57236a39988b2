"""Treatment plan actions: the pharmacist's verification, and the role each signature records. Doses
are worked out by hand from the guideline's tables (Handlingsprogram for myelomatose,
"Induksjonsbehandlingen": VRd = bortezomib 1.3 mg/m2 d 1, 8, 15; lenalidomide 25 mg d 1-21 (eGFR
<30: 15 mg); dexamethasone 40 mg d 1, 8, 15, 22; 28-day cycles)."""


import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts import roles
from patients import actions, plans
from patients.models import PlanStatus, TreatmentPlan
from tests.patients.plan_helpers import draft, issued, shown, verified
from tests.personas import PASSWORD

pytestmark = pytest.mark.usefixtures("english")  # these tests read the messages in English


# --- verify_plan ----------------------------------------------------------------

def test_verify_plan_adds_the_pharmacists_signature(physician, pharmacist, vrd_patient):
    plan = verified(physician, pharmacist, vrd_patient)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.VERIFIED and plan.verified_by == pharmacist
    signatures = plan.sheet_snapshot()["signatures"]
    assert [s["meaning"] for s in signatures] == ["Forordnet / issued", "Kontrollert / verified"]
    assert [s["name"] for s in signatures] == ["Kari Hansen", "Per Lie"]
    assert plan.snapshot["signatures"] == signatures[:1]  # the frozen snapshot itself is unchanged


def test_verify_plan_refuses_a_wrong_password(physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient)
    with pytest.raises(ValidationError) as exc:
        actions.verify_plan(plan=plan, by=pharmacist, password="wrong", expected_fingerprint=shown(plan))
    assert "password" in exc.value.error_dict
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED and plan.verified_by is None


@pytest.mark.parametrize("persona", ["second_physician", "nurse"], ids=["physician", "nurse"])
def test_verify_plan_refuses_a_role_without_verify_right(request, persona, physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    with pytest.raises(PermissionDenied):
        actions.verify_plan(plan=plan, by=request.getfixturevalue(persona), password=PASSWORD,
                            expected_fingerprint=shown(plan))


def test_verify_plan_refuses_the_user_who_issued_it(admin_user, vrd_patient):
    # The administrator has both rights; a plan still needs two different people.
    plan = issued(admin_user, vrd_patient)
    with pytest.raises(ValidationError, match="another person must verify"):
        actions.verify_plan(plan=plan, by=admin_user, password=PASSWORD, expected_fingerprint=shown(plan))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED


def test_verify_plan_refuses_a_draft(physician, pharmacist, vrd_patient):
    plan = draft(physician, vrd_patient)
    with pytest.raises(ValidationError, match="only an issued plan can be verified"):
        actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD, expected_fingerprint=shown(plan))


def test_verify_plan_twice_does_not_double_sign(physician, pharmacist, admin_user, vrd_patient):
    plan = issued(physician, vrd_patient)
    stale_copy = TreatmentPlan.objects.get(pk=plan.pk)
    actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD, expected_fingerprint=shown(plan))
    with pytest.raises(ValidationError, match="changed by Per Lie at .* since you opened it") as refused:
        actions.verify_plan(plan=stale_copy, by=admin_user, password=PASSWORD, expected_fingerprint=shown(stale_copy))
    assert refused.value.code == "stale"
    # Loaded after the first verification: the status refuses it.
    with pytest.raises(ValidationError, match="only an issued plan can be verified"):
        actions.verify_plan(plan=TreatmentPlan.objects.get(pk=plan.pk), by=admin_user, password=PASSWORD,
                            expected_fingerprint=shown(TreatmentPlan.objects.get(pk=plan.pk)))
    plan.refresh_from_db()
    assert plan.verified_by == pharmacist



@pytest.mark.hazard("HAZ-025")
@pytest.mark.parametrize("given", [None, "", "0" * 64, "other-plan"], ids=["missing", "empty", "wrong", "other-plan"])
def test_verify_plan_refuses_a_fingerprint_that_is_not_of_the_issued_doses(physician, second_physician, pharmacist,
                                                                           vrd_patient, given):
    plan = issued(physician, vrd_patient)
    if given == "other-plan":  # the page of another issued plan (another regimen) of the same patient
        given = shown(issued(second_physician, vrd_patient, regimen="Isa-VRd-induction", cycles=2,
                             acknowledge=[f["key"] for f in plans.compute_for(
                                 draft(second_physician, vrd_patient, regimen="Isa-VRd-induction", cycles=2)).flags]))
    with pytest.raises(ValidationError, match="changed since the page was shown") as refused:
        actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD, expected_fingerprint=given)
    assert refused.value.code == "doses_changed"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED and plan.verified_signature is None


@pytest.mark.hazard("HAZ-025")
def test_verify_plan_needs_the_fingerprint_argument(physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient)
    with pytest.raises(TypeError, match="expected_fingerprint"):
        actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED


def test_the_pharmacist_verifies_the_fingerprint_the_physician_signed(physician, pharmacist, vrd_patient):
    plan = draft(physician, vrd_patient)
    signed = plans.compute_for(plan).fingerprint
    plan = actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                              expected_fingerprint=signed)
    assert plans.issued_fingerprint(plan) == signed
    assert actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD, expected_fingerprint=signed).status \
        == PlanStatus.VERIFIED


def _user_in(django_user_model, username, *groups, superuser=False):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username=username, password=PASSWORD, first_name="Siri",
                                                 last_name="Signer", is_superuser=superuser)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def printed_label(role):
    """A role as the (Norwegian) sheet prints it: its label in accounts/roles.py."""
    with translation.override("nb"):
        return str(roles.ROLE_LABELS[role])


@pytest.mark.hazard("HAZ-026")
@pytest.mark.parametrize(("groups", "superuser", "code"), [
    pytest.param(("physician",), False, "physician", id="physician"),
    pytest.param(("admin",), False, "admin", id="administrator"),
    pytest.param(("physician", "admin"), False, "physician", id="physician-and-administrator"),
    pytest.param((), True, "admin", id="superuser-in-no-role"),
])
def test_issue_plan_records_the_role_the_signer_holds(django_user_model, vrd_patient, groups, superuser, code):
    signer = _user_in(django_user_model, "signer", *groups, superuser=superuser)
    plan = draft(signer, vrd_patient)
    plan = actions.issue_plan(plan=plan, by=signer, password=PASSWORD, acknowledged_flags=[],
                              expected_fingerprint=shown(plan))
    signature = plan.snapshot["signatures"][0]
    assert (signature["meaning"], signature["name"], signature["role"], signature["role_code"]) == (
        "Forordnet / issued", "Siri Signer", printed_label(code), code)


@pytest.mark.hazard("HAZ-026")
@pytest.mark.parametrize(("groups", "superuser", "code"), [
    pytest.param(("pharmacist",), False, "pharmacist", id="pharmacist"),
    pytest.param(("admin",), False, "admin", id="administrator-is-not-printed-as-pharmacist"),
    pytest.param(("admin", "pharmacist"), False, "pharmacist", id="pharmacist-and-administrator"),
    pytest.param((), True, "admin", id="superuser-in-no-role"),
])
def test_verify_plan_records_the_role_the_signer_holds(django_user_model, physician, vrd_patient, groups, superuser,
                                                       code):
    plan = issued(physician, vrd_patient)
    signer = _user_in(django_user_model, "signer", *groups, superuser=superuser)
    plan = actions.verify_plan(plan=plan, by=signer, password=PASSWORD, expected_fingerprint=shown(plan))
    signature = plan.verified_signature
    assert (signature["meaning"], signature["name"], signature["role"], signature["role_code"]) == (
        "Kontrollert / verified", "Siri Signer", printed_label(code), code)
    if code == "admin":
        assert signature["role"] != printed_label("pharmacist")
    assert plan.sheet_snapshot()["signatures"][1] == signature


@pytest.mark.hazard("HAZ-026")
@pytest.mark.parametrize("permission", [roles.ISSUE_PLAN, roles.VERIFY_PLAN])
def test_every_role_with_a_signing_right_is_a_signing_role(permission):
    # The signing roles are exactly the roles accounts/roles.py gives the right, the role named for the act first.
    holders = {role for role, rights in roles.ROLE_PERMISSIONS.items() if permission in rights}
    assert set(actions.SIGNING_ROLES[permission]) == holders
    assert actions.SIGNING_ROLES[permission][0] == (roles.PHYSICIAN if permission == roles.ISSUE_PLAN
                                                   else roles.PHARMACIST)


@pytest.mark.hazard("HAZ-026")
def test_a_signing_right_held_outside_every_role_cannot_sign(django_user_model, physician, vrd_patient):
    # The signature must name the role it was given in; a permission granted to the user directly names none.
    from django.contrib.auth.models import Permission

    plan = issued(physician, vrd_patient)
    signer = _user_in(django_user_model, "signer")
    signer.user_permissions.add(Permission.objects.get(codename="verify_plan"))
    with pytest.raises(PermissionDenied, match="no role"):
        actions.verify_plan(plan=plan, by=signer, password=PASSWORD, expected_fingerprint=shown(plan))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED
