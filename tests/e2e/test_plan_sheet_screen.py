"""The plan page shows the dosing sheet the paper prints (issue 14 items 2 and 5): the cover with each
dose's working once, then each cycle's grid of drugs × treatment days, lenalidomide days 1–21 on one row.
Six VRd cycles for 168 cm / 72,5 kg: bortezomib 1,3 mg/m² × sqrt(168 × 72,5 / 3600) m² = 2,3912 mg -> 2,39 mg."""

import pytest
from playwright.sync_api import expect

from tests.patients.plan_helpers import START, non_round_bsa_patient, verified

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_plan_page_shows_the_cover_and_every_cycles_grid(page, login, physician, pharmacist, nurse, screenshot):
    patient = non_round_bsa_patient(physician)
    plan = verified(physician, pharmacist, patient, cycles=6, start_date=START)
    login(nurse)
    page.goto(f"/patients/{patient.pk}/plans/{plan.pk}/")
    sheet = page.locator("[data-testid=dosing-sheet]")
    expect(sheet.locator("[data-testid=sheet-bsa]")).to_have_text("1,84 m²")
    expect(sheet.locator("[data-testid=working]")).to_have_count(3)
    expect(sheet.locator("[data-testid=rounding]")).to_contain_text("2,3912 mg → 2,39 mg (−0,05 %)")
    expect(sheet.locator("[data-testid=sheet-cycle]")).to_have_count(6)
    first = sheet.locator("[data-testid=sheet-cycle]").first
    expect(first.locator("[data-testid=grid-dose]")).to_have_count(3 + 4)
    expect(first.locator("[data-testid=continuous-row]")).to_contain_text("dag 1–21")
    screenshot(page, "plan-sheet")
