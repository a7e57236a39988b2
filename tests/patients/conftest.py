"""Patients for the patient-record tests (synthetic national identity numbers)."""

import datetime

import pytest

from patients import actions, identity

# Synthetic (Tenor-style, month + 80) numbers: valid check digits, never a real person.
ANNE_ID = identity.make(datetime.date(1961, 3, 14), 412, synthetic=True)  # female (ninth digit 2)
OLE_ID = identity.make(datetime.date(1948, 11, 2), 163, synthetic=True)  # male (ninth digit 3)


@pytest.fixture
def patient(physician):
    return actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID, ward="Hematologisk post")


@pytest.fixture
def other_patient(physician):
    return actions.register_patient(by=physician, name="Ole Prøvesen", national_id=OLE_ID)


@pytest.fixture
def no_rights_user(db, django_user_model):
    """Logged in, but in no role: may see nothing."""
    return django_user_model.objects.create_user(username="nobody", password="Persona-password-2026")


# Treatment plan fixtures (tests/patients/plan_fixtures.py).
from tests.patients.plan_fixtures import patient_75, vrd_patient  # noqa: E402, F401
