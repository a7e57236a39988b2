"""The response tracker proposes the progression the labs show; the physician rejects without a reason
(refused), then confirms it: the line's progression date (issue 15 item 5, HAZ-133)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from patients import actions
from patients.models import TreatmentLine
from tests.patients.factories import ANNE_ID

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.hazard("HAZ-133")]


def test_progression_proposed_refused_without_reason_then_confirmed(page, login, physician, screenshot):
    """Serum M 30 g/L before VRd, then 10, 16, 17 g/L: PD from the nadir (tabell 8.2: «≥25 % … (men minst
    5 g/L)»), confirmed by the next assessment and proposed dated to the first."""
    patient = actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID)
    today = timezone.localdate()
    ago = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    actions.record_lab_result(by=physician, patient=patient, date=ago(100), analyte="m_protein", value="30",
                              isotype="IgG")
    line = actions.record_treatment_line(by=physician, patient=patient, line=1, regimen="VRd-induction",
                                         drugs=["bortezomib", "lenalidomide", "dexamethasone"], start_date=ago(90))
    for days, value in ((60, "10"), (30, "16"), (5, "17")):
        actions.record_lab_result(by=physician, patient=patient, date=ago(days), analyte="m_protein", value=value)
    login(physician)
    page.goto(f"/patients/{patient.pk}/responses/")
    proposal = page.locator("[data-testid=progression-proposal]")
    expect(proposal).to_have_attribute("data-status", "pending")
    expect(page.locator("[data-testid=series-response]")).to_be_visible()
    proposal.locator("select[name=decision]").select_option("rejected")
    proposal.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=decision-errors]")).to_be_visible()
    page.goto(f"/patients/{patient.pk}/responses/")
    proposal = page.locator("[data-testid=progression-proposal]")
    proposal.locator("select[name=decision]").select_option("confirmed")
    proposal.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=progression-proposal]")).to_have_attribute("data-status", "confirmed")
    screenshot(page, "progression-confirmed")
    assert TreatmentLine.objects.get(pk=line.pk).progression_date == ago(30)
    # the refused decision is answered 422 (the browser logs that status); nothing else may be logged
    assert [e for e in page.console_errors if "/decision/" not in e or "422" not in e] == []
