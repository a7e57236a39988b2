"""The start page of each role (issue 12 item 8): the pharmacist's lists the plans awaiting verification,
the physician's their drafts and the plans a pharmacist returned to them, the nurse's the verified plans."""

import re

import pytest
from django.urls import reverse

from patients import actions
from tests.patients.factories import ANNE_ID
from tests.patients.plan_helpers import draft, issued, measure, shown
from tests.personas import PASSWORD

pytestmark = pytest.mark.usefixtures("english")


def _listed(text, key):
    """The plan ids listed in one section of the start page (None: no such section)."""
    section = re.search(rf'data-testid="start-{key}">(.*?)</section>', text, re.S)
    return None if section is None else [int(pk) for pk in re.findall(r'data-plan="(\d+)"', section.group(1))]


@pytest.fixture
def vrd_patient(physician):
    """180 cm, 80 kg and creatinine 80 µmol/L measured today: VRd can be dosed."""
    patient = actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID,
                                       ward="Hematologisk post")
    measure(patient, physician)
    return patient


@pytest.fixture
def plans(physician, second_physician, pharmacist, vrd_patient):
    """One plan in each state: a draft of each physician, an issued plan of each, a returned and a
    verified plan of the first."""
    mine_draft = draft(physician, vrd_patient)
    other_draft = draft(second_physician, vrd_patient)
    mine_issued = issued(physician, vrd_patient)
    other_issued = issued(second_physician, vrd_patient)
    returned = issued(physician, vrd_patient)
    actions.return_plan(plan=returned, by=pharmacist, reason="Wrong start date")
    verified = issued(physician, vrd_patient)
    actions.verify_plan(plan=verified, by=pharmacist, password=PASSWORD, expected_fingerprint=shown(verified))
    return {"mine_draft": mine_draft, "other_draft": other_draft, "mine_issued": mine_issued,
            "other_issued": other_issued, "returned": returned, "verified": verified}


def test_start_page_anonymous_goes_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_pharmacist_start_page_lists_plans_awaiting_verification(client_for, pharmacist, plans):
    text = client_for(pharmacist).get(reverse("home")).text
    assert _listed(text, "awaiting-verification") == [plans["mine_issued"].pk, plans["other_issued"].pk]
    assert _listed(text, "drafts") is None and _listed(text, "returned") is None and _listed(text, "verified") is None


def test_physician_start_page_lists_own_drafts_and_returned_plans(client_for, physician, plans):
    text = client_for(physician).get(reverse("home")).text
    assert _listed(text, "drafts") == [plans["mine_draft"].pk]  # not the other physician's
    assert _listed(text, "returned") == [plans["returned"].pk]
    assert "Wrong start date" in text  # the pharmacist's reason
    assert _listed(text, "awaiting-verification") is None and _listed(text, "verified") is None


def test_nurse_start_page_lists_verified_plans(client_for, nurse, plans):
    text = client_for(nurse).get(reverse("home")).text
    assert _listed(text, "verified") == [plans["verified"].pk]
    assert _listed(text, "awaiting-verification") is None and _listed(text, "drafts") is None


def test_administrator_who_issued_a_plan_is_not_asked_to_verify_it(client_for, admin_user, vrd_patient):
    own = issued(admin_user, vrd_patient)
    text = client_for(admin_user).get(reverse("home")).text
    assert own.pk not in _listed(text, "awaiting-verification")
