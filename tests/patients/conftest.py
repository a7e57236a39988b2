"""Patients for the patient-record tests (synthetic national identity numbers)."""

import pytest

from patients import actions
from tests.patients.factories import ANNE_ID, OLE_ID
from tests.patients.plan_helpers import born_years_ago, measure


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


# Treatment plan patients: values chosen so the doses can be worked out by hand (tests/patients/plan_helpers.py).
@pytest.fixture
def vrd_patient(physician):
    """Anne Testesen (65 years), 180 cm / 80 kg and creatinine 80 µmol/L measured today."""
    patient = actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID,
                                       ward="Hematologisk post")
    measure(patient, physician)
    return patient


@pytest.fixture
def patient_75(physician):
    """A patient who is exactly 75 years old today: the dexamethasone age rule's undefined boundary."""
    patient = actions.register_patient(by=physician, name="Sverre Syttifem", national_id=born_years_ago(75))
    measure(patient, physician)
    return patient
