"""The POEMS foci count (contract v1.1 ``imaging.sclerotic_bone_lesion_count``) on the imaging form (migration
patients 0020): recorded on the web, handed to the engine, and deciding the POEMS treatment as the API does.

Danish POEMS guideline, Quick guide item 4 and «Strålebehandling»: radiotherapy for localised disease («≤ 2 (3)
foci» on CT); with «et enkelt eller 2 knoglelæsioner» and minimal marrow involvement radiotherapy «kan initieres»
beside systemic treatment."""

import pytest
from django.urls import reverse
from django.utils import timezone

from patients import assessment
from patients.facts import facts_for
from patients.models import ImagingFinding
from tests.patients.assessment_helpers import seed
from tests.personas import in_english


@pytest.mark.django_db
def test_the_imaging_form_records_the_foci_count(client_for, physician):
    patient = seed("POEMS")
    client = in_english(client_for(physician))
    url = reverse("patients:record", args=[patient.pk, "imaging"])
    assert 'name="sclerotic_bone_lesion_count"' in client.get(url).content.decode()
    answer = client.post(url, {"date": "2026-11-30", "sclerotic_bone_lesion_count": "1"})
    assert answer.status_code in (200, 302), answer.content.decode()[:500]
    assert ImagingFinding.objects.filter(patient=patient).latest("date").sclerotic_bone_lesion_count == 1
    facts, sources = facts_for(patient)
    assert facts.imaging.sclerotic_bone_lesion_count == 1 and "imaging.sclerotic_bone_lesion_count" in sources


@pytest.mark.django_db
def test_the_recorded_count_is_no_longer_missing_and_radiotherapy_stands_beside_systemic_treatment(physician):
    """The seeded POEMS patient has 5 % clonal marrow plasma cells: without the count the advice is systemic and
    asks for it; with one focus radiotherapy «kan initieres» as an option as well."""
    from patients import actions

    patient = seed("POEMS")
    before = assessment.assess(patient)["treatment"]
    assert "imaging.sclerotic_bone_lesion_count" in [m["path"] for m in before["missing"]]
    actions.record_imaging(by=physician, patient=patient, date=timezone.localdate(),
                           sclerotic_bone_lesion_count=1)
    after = assessment.assess(patient)["treatment"]
    assert "imaging.sclerotic_bone_lesion_count" not in [m["path"] for m in after["missing"]]
    assert any(o["regimen"] == "radiotherapy-40-50Gy" for o in after["options"])
