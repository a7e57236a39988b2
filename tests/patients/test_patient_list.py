"""The patient list (issue 12 item 8): each patient with the diagnosis the assessment gives today and the
plans in force or in progress (regimen, version, status), in the same number of queries however many
patients are listed. Expected diagnoses from the criteria in tests/patients/factories.py."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from patients import actions
from tests.patients.factories import PATIENTS, clinical_patient, make_patient
from tests.patients.plan_helpers import draft, issued
from tests.personas import in_english


def seed(key):
    return make_patient(clinical_patient(key), today=timezone.localdate())


def _cells(text, testid):
    """{patient pk: the cell's text} of one column of the list."""
    rows = re.findall(r'<tr data-patient="(\d+)">(.*?)</tr>', text, re.S)
    cells = {}
    for pk, row in rows:
        cell = re.search(rf'<td data-testid="{testid}"[^>]*>(.*?)</td>', row, re.S).group(1)
        cells[int(pk)] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
    return cells


def test_patient_list_shows_diagnosis_and_live_plans(client_for, physician, pharmacist):
    mgus, myeloma = seed("MGUS"), seed("ACTIVE_MYELOMA transplant-eligible")
    actions.record_height_weight(by=physician, patient=myeloma, date=timezone.localdate(), height_cm=182,
                                 weight_kg=84)
    old = issued(physician, myeloma)
    actions.cancel_plan(plan=old, by=physician, reason="Started on the wrong date")
    issued(physician, myeloma)
    draft(physician, myeloma, regimen="Dara-VRd-induction")
    text = in_english(client_for(physician)).get(reverse("patients:list")).text
    diagnoses = _cells(text, "patient-diagnosis")
    # MGUS: marrow 6 % (< 10 %), M 18.2 g/L (< 30), no CRAB/SLiM event; myeloma: marrow 40 % with A and B
    assert diagnoses == {mgus.pk: "MGUS", myeloma.pk: "Myeloma requiring treatment"}
    assert f'data-code="ACTIVE_MYELOMA"><a href="/patients/{myeloma.pk}/assessment/"' in text
    plans = _cells(text, "patient-plans")
    assert plans[mgus.pk] == "—"
    # newest first; the cancelled plan is not in force
    assert plans[myeloma.pk] == "Dara-VRd-induction v1 draft VRd-induction v1 issued"


def test_patient_list_costs_the_same_queries_for_few_and_many_patients(client_for, physician):
    client = client_for(physician)
    keys = list(PATIENTS)
    for key in keys[:2]:
        seed(key)
    client.get(reverse("patients:list"))  # warm: session, the cached protocol library
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("patients:list")).status_code == 200
    for key in keys[2:]:
        seed(key)
    with CaptureQueriesContext(connection) as many:
        text = client.get(reverse("patients:list")).text
    assert len(_cells(text, "patient-diagnosis")) == len(keys)
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many.captured_queries]


@pytest.mark.parametrize("key", list(PATIENTS))
def test_patient_list_diagnosis_is_the_assessments(client_for, physician, key):
    patient = seed(key)
    list_page = in_english(client_for(physician)).get(reverse("patients:list")).text
    assessment = in_english(client_for(physician)).get(reverse("patients:assessment", args=[patient.pk])).text
    code = re.search(r'data-testid="diagnosis-code">([A-Z_]+)<', assessment).group(1)
    assert f'data-testid="patient-diagnosis" data-code="{code}"' in list_page
