"""The course patient: 180 cm / 80 kg, creatinine 80 µmol/L and a normal blood count measured today
(Mosteller BSA 2,00 m²; tests/patients/plan_helpers.py)."""

import pytest

from patients import actions
from tests.patients.factories import ANNE_ID, OLE_ID
from tests.patients.plan_helpers import measure, record_bloods, today, verified
from treatment_course import actions as course_actions


@pytest.fixture
def course_patient(physician):
    patient = actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID,
                                       ward="Hematologisk post")
    measure(patient, physician)
    record_bloods(patient, physician)
    return patient


@pytest.fixture
def patient_without_bloods(physician):
    """The course patient measured today (180 cm, 80 kg, creatinine) but with no blood count."""
    patient = actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID,
                                       ward="Hematologisk post")
    measure(patient, physician)
    return patient


@pytest.fixture
def patient(physician):
    """A patient with no measurements (the response and progression tests record their own labs)."""
    return actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID, ward="Hematologisk post")


@pytest.fixture
def other_patient(physician):
    return actions.register_patient(by=physician, name="Ole Prøvesen", national_id=OLE_ID)


@pytest.fixture
def released(physician, pharmacist, course_patient):
    """A verified two-cycle VRd-induction plan from today, its cycle 1 released."""
    plan = verified(physician, pharmacist, course_patient, start_date=today(), cycles=2)
    course_actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)
    return plan
