"""The POEMS patient's response page in bokmål: the POEMS responses with the guideline's categories, the
contract codes, the baseline minimums and why FDG-PET is not computed from the record."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.patients.factories import clinical_patient, make_patient

pytestmark = pytest.mark.django_db(transaction=True)

def test_poems_response_section_in_bokmal(page, login, physician, screenshot):
    spec = clinical_patient("POEMS", lines=[{"line": 1, "regimen": "lenalidomide-dexamethasone",
                                             "drugs": ["lenalidomide", "dexamethasone"], "start": 50}])
    patient = make_patient(spec, today=timezone.localdate())
    login(physician)
    page.goto(f"/patients/{patient.pk}/responses/")
    section = page.locator("[data-testid=poems-responses]")
    expect(section).to_be_visible()
    expect(section.locator("[data-testid=poems-minimums]")).to_contain_text("minst 5 g/L")
    expect(section.locator("[data-testid=vegf-response]")).to_contain_text("NRV")
    expect(section.locator("[data-testid=haem-response]")).to_contain_text("PRH kan ikke vurderes")
    screenshot(page, "poems-responses")
    assert page.console_errors == []
