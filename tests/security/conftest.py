"""Fixtures of the security tests: a patient, a user in no role, a fresh client."""

import datetime

import pytest

from patients import actions, identity
from tests.personas import english_client

# Synthetic (Tenor-style, month + 80) number: valid check digits, never a real person.
SYNTHETIC_ID = identity.make(datetime.date(1955, 4, 20), 417, synthetic=True)


@pytest.fixture
def patient(physician):
    return actions.register_patient(by=physician, name="Sikker Testesen", national_id=SYNTHETIC_ID)


@pytest.fixture
def no_role(db, django_user_model):
    return django_user_model.objects.create_user(username="ingen_rolle", password="Persona-password-2026")


@pytest.fixture
def english():
    return english_client()
