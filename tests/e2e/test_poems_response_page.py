"""The POEMS patient's response page in bokmål: the POEMS responses with the guideline's categories, the
contract codes, the baseline minimums and why FDG-PET is not computed from the record."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from patients import actions
from tests.patients.factories import ANNE_ID, clinical_patient, make_patient

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


def test_myeloma_response_table_in_bokmal_shows_falls_at_two_decimals(page, login, physician, screenshot):
    """Serum M 30 g/L before VRd, then 14 (fall 53.33… %: PR), 2, 8 g/L: the bokmål reasons show «53,33 %»."""
    patient = actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID)
    today = timezone.localdate()
    ago = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    actions.record_lab_result(by=physician, patient=patient, date=ago(100), analyte="m_protein", value="30",
                              isotype="IgG")
    actions.record_treatment_line(by=physician, patient=patient, line=1, regimen="VRd-induction",
                                  drugs=["bortezomib", "lenalidomide", "dexamethasone"], start_date=ago(90))
    for days, value in ((60, "14"), (30, "2"), (5, "8")):
        actions.record_lab_result(by=physician, patient=patient, date=ago(days), analyte="m_protein", value=value)
    login(physician)
    page.goto(f"/patients/{patient.pk}/responses/")
    table = page.locator("[data-testid=response-table]")
    expect(table).to_contain_text("reduksjon 53,33 %")
    screenshot(page, "myeloma-responses")
    assert not re.search(r"\d,\d{3,}", table.inner_text())  # no fraction longer than two decimals
