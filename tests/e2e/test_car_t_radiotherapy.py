"""Issue 13 items 5 and 6 in Chromium, in bokmål: a physician records a threatened spinal cord compression on
the skeletal findings form; the assessment warns of the emergency in its summary and shows, under treatment,
«Truende tverrsnittslesjon» (3 Gy × 10, the guideline's steroid words quoted) and the CAR-T criteria with
their reasons and the missing facts linked to their forms."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.patients.factories import clinical_patient, make_patient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.hazard("HAZ-101")
def test_a_recorded_cord_compression_is_an_emergency_on_the_assessment(page, login, physician, screenshot):
    spec = clinical_patient("RELAPSE_LINE_2 lenalidomide-refractory",
                            organ_function=[(3, {"lvef_pct": "38", "spo2_room_air_pct": "95"})])
    patient = make_patient(spec, today=timezone.localdate(), by=physician)
    login(physician)

    page.goto(f"/patients/{patient.pk}/record/skeletal/")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.select_option("select[name=spinal_cord_compression]", "true")
    page.select_option("select[name=painful_lesion]", "true")
    screenshot(page, "skeletal-form")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/patients/{patient.pk}/")

    page.goto(f"/patients/{patient.pk}/assessment/")
    warnings = page.locator("[data-testid=warnings]")
    expect(warnings).to_contain_text("Medisinsk akuttsituasjon: truende tverrsnittslesjon")
    expect(page.locator("[data-testid=next-step]")).to_contain_text("3 Gy × 10")
    screenshot(page, "summary")

    page.locator("[data-evidence-toggle=open]").click()
    cord = page.locator("[data-testid=radiotherapy][data-indication=spinal_cord_compression]")
    expect(cord).to_contain_text("«Steroiddose dexametason 40 mg daglig i opptil 4 dager»")
    expect(cord).to_contain_text("akutt laminektomi")
    car_t = page.locator("[data-testid=car-t]")
    expect(car_t.locator("tr[data-criterion=lvef]")).to_contain_text("ikke oppfylt")
    expect(car_t).to_have_attribute("data-verdict", "NOT_PRIORITISED")
    expect(car_t.locator("a[data-path='car_t.liver_cirrhosis']")).to_have_text("Levercirrhose")
    evidence = page.locator("[data-testid=evidence-treatment]")
    evidence.screenshot(path=str(screenshot(page, "evidence").with_name(
        "test_a_recorded_cord_compression_is_an_emergency_on_the_assessment-treatment-evidence.png")))
    assert page.console_errors == [], page.console_errors
