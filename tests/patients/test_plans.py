"""Treatment plan actions: draft, issue, verify, revise, cancel; the issued plan as an immutable
snapshot. Doses are worked out by hand from the guideline's tables (Handlingsprogram for
myelomatose, "Induksjonsbehandlingen": VRd = bortezomib 1.3 mg/m2 d 1, 8, 15; lenalidomide 25 mg
d 1-21 (eGFR <30: 15 mg); dexamethasone 40 mg d 1, 8, 15, 22; 28-day cycles)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts import roles
from patients import actions, plans
from patients.models import PlanLocked, PlanStatus, TreatmentPlan
from regimens import actions as regimen_actions
from regimens.models import Protocol
from tests.conftest import PASSWORD
from tests.patients.plan_fixtures import draft, issued, measure, shown, today, verified
from tests.regimens.conftest import activate, protocol_author

pytestmark = pytest.mark.usefixtures("english")  # these tests read the messages in English

START = datetime.date(2026, 1, 5)  # a Monday


def doses(plan, drug):
    return [a for a in plan.snapshot["schedule"]["administrations"] if a["drug"] == drug]


def new_protocol_version(code, user, **line_changes):
    """A pharmacist's edit of ``code``: a new version with changed drug lines, drafted by another
    pharmacist (Eva Berg) and checked and activated by ``user`` (the four-eyes rule)."""
    active = Protocol.objects.get(code=code, status="active")
    data = active.to_schema_data()
    data["drugs"] = [{**line, **line_changes.get(line["drug"], {})} for line in data["drugs"]]
    new = regimen_actions.create_draft_version(data=data, reason="test edit", by=protocol_author())
    return activate(new, user)


# --- create_plan_draft ----------------------------------------------------------

def test_create_plan_draft_on_the_active_protocol_version(physician, vrd_patient):
    plan = draft(physician, vrd_patient, cycles=2)
    assert plan.status == PlanStatus.DRAFT and plan.version == 1 and plan.previous is None
    assert plan.protocol == Protocol.objects.get(code="VRd-induction", status="active")
    assert plan.snapshot is None
    assert plan.history.first().history_user == physician



@pytest.mark.hazard("HAZ-027")
@pytest.mark.parametrize("start", [datetime.date(9999, 12, 31), datetime.date(1, 1, 1), datetime.date(1899, 12, 31)],
                         ids=["year-9999", "year-1", "1899"])
def test_create_plan_draft_refuses_a_start_date_outside_the_window(physician, vrd_patient, start):
    with pytest.raises(ValidationError) as exc:
        draft(physician, vrd_patient, start_date=start, cycles=1)
    assert list(exc.value.error_dict) == ["start_date"]
    assert not TreatmentPlan.objects.exists()
    with pytest.raises(ValidationError) as exc:
        plans.compute(vrd_patient, Protocol.objects.get(code="VRd-induction", status="active"), start_date=start)
    assert list(exc.value.error_dict) == ["start_date"]

def test_create_plan_draft_refuses_a_regimen_with_only_a_draft_protocol(physician, vrd_patient):
    # Isa-Pd: the guideline names the regimen without a dosing table, so the library holds a draft only.
    with pytest.raises(ValidationError) as exc:
        draft(physician, vrd_patient, regimen="Isa-Pd", cycles=1)
    assert "no active version" in str(exc.value) and "Isa-Pd" in str(exc.value)
    assert not TreatmentPlan.objects.exists()


def test_create_plan_draft_refuses_an_unknown_regimen(physician, vrd_patient):
    with pytest.raises(ValidationError, match="Unknown regimen"):
        draft(physician, vrd_patient, regimen="No-such-regimen")


@pytest.mark.parametrize("persona", ["nurse", "pharmacist"], ids=["nurse", "pharmacist"])
def test_create_plan_draft_refuses_a_role_without_issue_right(request, persona, vrd_patient):
    with pytest.raises(PermissionDenied):
        draft(request.getfixturevalue(persona), vrd_patient)


def test_create_plan_draft_refuses_reduced_tolerance_for_a_drug_not_in_the_regimen(physician, vrd_patient):
    with pytest.raises(ValidationError) as exc:
        draft(physician, vrd_patient, reduced_tolerance=["pomalidomide"])
    assert "reduced_tolerance" in exc.value.error_dict
    assert not TreatmentPlan.objects.exists()


def test_create_plan_draft_refuses_more_cycles_than_the_protocol_plans(physician, vrd_patient):
    # VRd before HMAS: 6 cycles of 28 days.
    with pytest.raises(ValidationError) as exc:
        draft(physician, vrd_patient, cycles=7)
    assert "cycles" in exc.value.error_dict


# --- issue_plan -----------------------------------------------------------------

def test_issue_plan_freezes_the_dosing_sheet_snapshot_with_the_signature(physician, vrd_patient):
    plan = issued(physician, vrd_patient, start_date=START)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED
    snap = plan.snapshot
    assert snap["patient"]["name"] == "Anne Testesen"
    assert snap["patient"]["national_id"] == vrd_patient.national_id
    m = snap["measurements"]
    assert (m["height_cm"], m["weight_kg"]) == (180, 80)
    assert m["height_date"] == m["weight_date"] == today().isoformat()
    assert m["bsa_m2"] == 2.0 and m["bsa_formula"].startswith("Mosteller")
    assert m["egfr_date"] == today().isoformat() and m["egfr_ml_min"] > 30
    assert snap["protocol"]["code"] == "VRd-induction" and snap["protocol"]["version"] == plan.protocol.version
    assert "Induksjonsbehandlingen" in snap["protocol"]["source"]
    assert snap["plan"] == {**snap["plan"], "id": plan.pk, "version": 1, "start_date": "2026-01-05", "cycles": 6}
    # 1.3 mg/m2 x 2.00 m2 = 2.6 mg on day 1, 8, 15 of each of 6 cycles
    bortezomib = doses(plan, "bortezomib")
    assert len(bortezomib) == 18
    assert {a["dose"] for a in bortezomib} == {2.6}
    assert [a["date"] for a in bortezomib[:3]] == ["2026-01-05", "2026-01-12", "2026-01-19"]
    assert bortezomib[0]["working"]["formula"] == "1.3 mg/m2 x BSA 2.0000 m2 = 2.6 mg"
    # lenalidomide 25 mg day 1-21 (eGFR above 30); dexamethasone 40 mg day 1, 8, 15, 22
    assert len(doses(plan, "lenalidomide")) == 6 * 21 and {a["dose"] for a in doses(plan, "lenalidomide")} == {25}
    assert len(doses(plan, "dexamethasone")) == 6 * 4 and {a["dose"] for a in doses(plan, "dexamethasone")} == {40}
    assert any("valaciklovir" in s for s in snap["schedule"]["supportive_care"])
    [signature] = snap["signatures"]
    assert signature["meaning"] == "Forordnet / issued" and signature["name"] == "Kari Hansen"
    assert plan.issued_by == physician and plan.issued_meaning == "Forordnet / issued"
    assert plan.history.first().history_change_reason == "Issued"


def test_issue_plan_refuses_a_wrong_password(physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    with pytest.raises(ValidationError) as exc:
        actions.issue_plan(plan=plan, by=physician, password="not-my-password", acknowledged_flags=[],
                           expected_fingerprint=shown(plan))
    assert "password" in exc.value.error_dict
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.snapshot is None and plan.issued_by is None


@pytest.mark.parametrize("persona", ["nurse", "pharmacist"], ids=["nurse", "pharmacist"])
def test_issue_plan_refuses_a_role_without_issue_right(request, persona, physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    with pytest.raises(PermissionDenied):
        actions.issue_plan(plan=plan, by=request.getfixturevalue(persona), password=PASSWORD, acknowledged_flags=[],
                           expected_fingerprint=shown(plan))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_issue_plan_refuses_an_unacknowledged_age_boundary_flag(physician, patient_75):
    # DRd: "Deksametason (peroralt) <75 år: 40 mg / >75 år: 20 mg" leaves exactly 75 undefined.
    plan = draft(physician, patient_75, regimen="DRd", cycles=1)
    others = [f["key"] for f in plans.compute_for(plan).flags if f["kind"] != "age"]  # DRd's renal note
    with pytest.raises(ValidationError) as exc:
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=others,
                           expected_fingerprint=shown(plan))
    [message] = exc.value.messages
    assert "dexamethasone" in message and "<75 år: 40 mg / >75 år: 20 mg" in message
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_issue_plan_with_the_age_boundary_flag_acknowledged(physician, patient_75):
    plan = draft(physician, patient_75, regimen="DRd", cycles=1)
    flags = plans.compute_for(plan).flags
    [age_flag] = [f for f in flags if f["kind"] == "age"]
    assert age_flag["drug"] == "dexamethasone" and age_flag["value"] == 75
    keys = [f["key"] for f in flags]
    plan = actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=keys,
                              expected_fingerprint=shown(plan))
    assert plan.status == PlanStatus.ISSUED
    assert age_flag["key"] in plan.acknowledged_flags
    # "<75 år: 40 mg / >75 år: 20 mg" leaves 75 undefined; the protocol takes the reduction at the
    # boundary ("Steroider ... bør dosereduseres først", "Ved tvil er det bedre å gå ned i dose"), flagged
    assert {a["dose"] for a in doses(plan, "dexamethasone")} == {20}
    assert any(f.get("value") == 75 for f in plan.snapshot["schedule"]["flags"])


def test_issue_plan_refuses_an_unacknowledged_protocol_ambiguity(physician, vrd_patient):
    # Isa-VRd before HMAS: "Syklus 1: Dag 1, 8, 15, 22 / Syklus 3 og videre: Dag 1, 15" - cycle 2 unstated.
    plan = draft(physician, vrd_patient, regimen="Isa-VRd-induction", cycles=2)
    with pytest.raises(ValidationError) as exc:
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                           expected_fingerprint=shown(plan))
    assert "Syklus 3 og videre" in " ".join(exc.value.messages)
    keys = [f["key"] for f in plans.compute_for(plan).flags]
    plan = actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=keys,
                              expected_fingerprint=shown(plan))
    assert plan.status == PlanStatus.ISSUED
    # isatuximab 10 mg/kg x 80 kg = 800 mg; cycle 2 on day 1 and 15 (the interpretation acknowledged)
    isatuximab = doses(plan, "isatuximab")
    assert [(a["cycle"], a["day"]) for a in isatuximab] == [(1, 1), (1, 8), (1, 15), (1, 22), (2, 1), (2, 15)]
    assert {a["dose"] for a in isatuximab} == {800}


@pytest.mark.parametrize(
    ("days_ago", "refused"),
    [(plans.MEASUREMENT_MAX_AGE_DAYS, False), (plans.MEASUREMENT_MAX_AGE_DAYS + 1, True)],
    ids=["weight-30-days-old-accepted", "weight-31-days-old-refused"],
)
def test_issue_plan_refuses_a_weight_older_than_the_limit(physician, patient, days_ago, refused):
    old = today() - datetime.timedelta(days=days_ago)
    actions.record_height_weight(by=physician, patient=patient, date=old, weight_kg=80)
    actions.record_height_weight(by=physician, patient=patient, date=today(), height_cm=180)
    actions.record_lab_result(by=physician, patient=patient, date=today(), analyte="creatinine", value=80)
    plan = draft(physician, patient)
    if refused:
        with pytest.raises(ValidationError) as exc:
            actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                               expected_fingerprint=shown(plan))
        message = " ".join(exc.value.messages)
        assert "weight" in message and old.isoformat() in message and "31 days" in message
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT
    else:
        assert actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                                  expected_fingerprint=shown(plan)).status == "issued"


@pytest.mark.hazard("HAZ-004")
def test_issue_plan_refuses_a_stale_height_for_a_bsa_dose(physician, patient):
    old = today() - datetime.timedelta(days=400)
    actions.record_height_weight(by=physician, patient=patient, date=old, height_cm=180)
    measure(patient, physician, height=None)
    plan = draft(physician, patient)
    with pytest.raises(ValidationError, match="height"):
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                           expected_fingerprint=shown(plan))


def test_issue_plan_does_not_ask_for_a_fresh_weight_for_a_flat_dose(physician, patient):
    # R-maintenance: lenalidomide 15 mg flat; no dose depends on weight or height.
    measure(patient, physician, days_ago=200)
    plan = draft(physician, patient, regimen="R-maintenance", cycles=1)
    assert actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                              expected_fingerprint=shown(plan)).status == "issued"


def test_issue_plan_refuses_when_height_is_missing(physician, patient):
    actions.record_height_weight(by=physician, patient=patient, date=today(), weight_kg=80)
    plan = draft(physician, patient)
    with pytest.raises(ValidationError, match="height_cm"):
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                           expected_fingerprint=shown(plan))


def test_issue_plan_refuses_doses_that_changed_since_they_were_shown(physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    shown = plans.compute_for(plan).fingerprint
    measure(vrd_patient, physician, weight=90)  # a new weight after the page was shown
    with pytest.raises(ValidationError, match="changed since the page was shown"):
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD,
                           acknowledged_flags=[], expected_fingerprint=shown)



@pytest.mark.hazard("HAZ-025")
@pytest.mark.parametrize("given", [None, ""], ids=["missing", "empty"])
def test_issue_plan_refuses_a_missing_or_empty_fingerprint_like_changed_doses(physician, vrd_patient, given):
    # Nobody signs doses their page did not show them: no fingerprint is treated as doses that changed.
    plan = draft(physician, vrd_patient)
    with pytest.raises(ValidationError, match="changed since the page was shown") as refused:
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD,
                           acknowledged_flags=[], expected_fingerprint=given)
    assert refused.value.code == "doses_changed"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.snapshot is None


@pytest.mark.hazard("HAZ-025")
def test_issue_plan_needs_the_fingerprint_argument(physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    with pytest.raises(TypeError, match="expected_fingerprint"):
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT

def test_issue_plan_twice_is_refused(physician, second_physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    stale_copy = TreatmentPlan.objects.get(pk=plan.pk)
    actions.issue_plan(plan=plan, by=physician, password=PASSWORD,
                       acknowledged_flags=[], expected_fingerprint=shown(plan))
    # The second signer loaded the draft before it was issued: refused, naming who issued it.
    with pytest.raises(ValidationError, match="changed by Kari Hansen at .* since you opened it") as refused:
        actions.issue_plan(plan=stale_copy, by=second_physician, password=PASSWORD, acknowledged_flags=[],
                           expected_fingerprint=shown(stale_copy))
    assert refused.value.code == "stale"
    plan.refresh_from_db()
    assert plan.issued_by == physician and len(plan.snapshot["signatures"]) == 1


# --- immutability ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("field", "value"),
    [("start_date", datetime.date(2026, 2, 2)), ("cycles", 2), ("bsa_formula", "dubois"),
     ("reduced_tolerance", ["lenalidomide"]), ("snapshot", {"tampered": True}), ("acknowledged_flags", ["x"])],
    ids=["start_date", "cycles", "bsa_formula", "reduced_tolerance", "snapshot", "acknowledged_flags"],
)
def test_issued_plan_cannot_be_edited(physician, vrd_patient, field, value):
    plan = issued(physician, vrd_patient)
    before = plan.snapshot
    setattr(plan, field, value)
    with pytest.raises(PlanLocked):
        plan.save()
    plan.refresh_from_db()
    assert plan.snapshot == before


def test_issued_plan_snapshot_is_not_changed_by_editing_the_nested_dict(physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    plan.snapshot["schedule"]["administrations"][0]["dose"] = 26
    with pytest.raises(PlanLocked):
        plan.save()


def test_plan_status_cannot_change_outside_the_actions(physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    plan.status = PlanStatus.VERIFIED
    with pytest.raises(PlanLocked):
        plan.save()


def test_issued_plan_cannot_be_deleted(physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    with pytest.raises(PlanLocked):
        plan.delete()
    assert TreatmentPlan.objects.filter(pk=plan.pk).exists()


def test_verification_signature_cannot_be_changed(physician, pharmacist, vrd_patient):
    plan = verified(physician, pharmacist, vrd_patient)
    plan.verified_signature = {**plan.verified_signature, "name": "Someone Else"}
    with pytest.raises(PlanLocked):
        plan.save()


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

# --- revise_plan ----------------------------------------------------------------

def test_revise_plan_makes_a_new_draft_version_and_supersedes_on_issue(physician, pharmacist, vrd_patient):
    v1 = verified(physician, pharmacist, vrd_patient, start_date=START)
    v1_snapshot = v1.snapshot
    v2 = actions.revise_plan(plan=v1, by=physician, reason="Start postponed one week", start_date=START
                             + datetime.timedelta(days=7))
    assert (v2.version, v2.previous, v2.status, v2.change_reason) == (2, v1, "draft", "Start postponed one week")
    v1.refresh_from_db()
    assert v1.status == PlanStatus.VERIFIED  # until the revision is issued
    v2 = actions.issue_plan(plan=v2, by=physician, password=PASSWORD,
                            acknowledged_flags=[], expected_fingerprint=shown(v2))
    v1.refresh_from_db()
    assert v1.status == PlanStatus.SUPERSEDED and v1.snapshot == v1_snapshot
    assert doses(v2, "bortezomib")[0]["date"] == "2026-01-12"
    assert v2.snapshot["plan"]["change_reason"] == "Start postponed one week"
    assert "Superseded by version 2" in v1.history.first().history_change_reason


def test_revise_plan_with_a_dose_change(physician, patient):
    # R-maintenance: lenalidomide 15 mg; "Hvis dårlig toleranse under induksjon: 10 mg".
    measure(patient, physician)
    v1 = issued(physician, patient, regimen="R-maintenance", cycles=1)
    v2 = actions.revise_plan(plan=v1, by=physician, reason="Poor tolerance", reduced_tolerance=["lenalidomide"])
    v2 = actions.issue_plan(plan=v2, by=physician, password=PASSWORD,
                            acknowledged_flags=[], expected_fingerprint=shown(v2))
    assert {a["dose"] for a in doses(v1, "lenalidomide")} == {15}
    assert {a["dose"] for a in doses(v2, "lenalidomide")} == {10}


def test_revise_plan_requires_a_reason(physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    with pytest.raises(ValidationError) as exc:
        actions.revise_plan(plan=plan, by=physician, reason="  ", cycles=2)
    assert "change_reason" in exc.value.error_dict
    assert TreatmentPlan.objects.count() == 1


def test_revise_plan_refuses_a_draft(physician, vrd_patient):
    with pytest.raises(ValidationError, match="only an issued or verified plan can be revised"):
        actions.revise_plan(plan=draft(physician, vrd_patient), by=physician, reason="x")


def test_revise_plan_refuses_a_second_open_revision(physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    actions.revise_plan(plan=plan, by=physician, reason="first")
    with pytest.raises(ValidationError, match="already exists"):
        actions.revise_plan(plan=plan, by=physician, reason="second")


def test_revision_of_a_cancelled_plan_cannot_be_issued(physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    revision = actions.revise_plan(plan=plan, by=physician, reason="two cycles", cycles=2)
    actions.cancel_plan(plan=plan, by=physician, reason="Treatment stopped")
    with pytest.raises(ValidationError, match="is cancelled"):
        actions.issue_plan(plan=revision, by=physician, password=PASSWORD, acknowledged_flags=[],
                           expected_fingerprint=shown(revision))


def test_version_after_the_first_needs_a_reason(physician, vrd_patient):
    plan = TreatmentPlan(patient=vrd_patient, protocol=Protocol.objects.get(code="VRd-induction", status="active"),
                         start_date=START, version=2, created_by=physician)
    with pytest.raises(ValidationError) as exc:
        plan.full_clean()
    assert "change_reason" in exc.value.error_dict


# --- cancel_plan ----------------------------------------------------------------

def test_cancel_plan(physician, vrd_patient):
    plan = actions.cancel_plan(plan=issued(physician, vrd_patient), by=physician, reason="Patient declined")
    assert plan.status == PlanStatus.CANCELLED and plan.cancel_reason == "Patient declined"
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        actions.cancel_plan(plan=plan, by=physician, reason="again")


def test_cancel_plan_requires_a_reason_and_the_right(physician, nurse, vrd_patient):
    plan = draft(physician, vrd_patient)
    with pytest.raises(ValidationError):
        actions.cancel_plan(plan=plan, by=physician, reason="")
    with pytest.raises(PermissionDenied):
        actions.cancel_plan(plan=plan, by=nurse, reason="not mine")
    with pytest.raises(ValidationError, match="only a draft can be issued"):
        actions.issue_plan(plan=actions.cancel_plan(plan=plan, by=physician, reason="wrong regimen"), by=physician,
                           password=PASSWORD, acknowledged_flags=[], expected_fingerprint=shown(plan))


# --- superseded protocol --------------------------------------------------------

def test_plan_issued_on_a_superseded_protocol_is_flagged(physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient)
    assert plan.on_superseded_protocol is False
    new_protocol_version("VRd-induction", pharmacist, bortezomib={"dose": 1.0})
    plan.refresh_from_db()
    assert plan.on_superseded_protocol is True
    assert {a["dose"] for a in doses(plan, "bortezomib")} == {2.6}  # the frozen snapshot is unchanged


def test_draft_is_issued_on_the_protocol_version_active_at_issue(physician, pharmacist, vrd_patient):
    plan = draft(physician, vrd_patient)
    old = plan.protocol
    new = new_protocol_version("VRd-induction", pharmacist, bortezomib={"dose": 1.0})
    plan = actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                              expected_fingerprint=shown(plan))
    assert plan.protocol == new != old and plan.on_superseded_protocol is False
    # 1.0 mg/m2 x 2.00 m2 = 2 mg
    assert {a["dose"] for a in doses(plan, "bortezomib")} == {2.0}
