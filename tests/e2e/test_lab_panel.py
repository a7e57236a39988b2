"""A physician follows a missing lab of the assessment to the lab panel, enters several results of one
sample (decimal comma, one row wrong first: nothing is saved and the row names its analyte), saves,
comes back to the assessment that asked, and then corrects one result with a reason."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from patients.models import LabResult
from tests.patients.factories import clinical_patient, make_patient

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/work/notes/shots/i12-labpanel")


def shot(page, screenshot, name):
    path = screenshot(page, name)
    if SHOTS.parent.exists():  # the notes of the build machine: where a reviewer looks at them
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    return path


def test_physician_enters_a_lab_panel_from_the_assessment(page, login, physician, screenshot):
    patient = make_patient(clinical_patient("MGUS"), today=timezone.localdate())
    before = LabResult.objects.filter(patient=patient).count()
    login(physician)
    page.goto(f"/patients/{patient.pk}/assessment/")
    # for an MGUS β2m is not missing to decide (staging is myeloma's), but the workup's blood tests ask for it
    page.locator("[data-testid=open-investigations]").click()  # opens the workup group
    page.locator("[data-testid=workup-checklist] a[data-path='labs.beta2m_mg_l']").click()
    page.wait_for_url(f"**/patients/{patient.pk}/labs/panel/?analyte=beta2m&next=*")

    # the workup's «Laboratorieprøver» are selected, β2-microglobulin among them; the date is today
    selected = page.locator("[data-testid=panel-selected]")
    for analyte in ("beta2m", "nt_probnp", "urine_albumin", "leukocytes", "iga"):
        expect(selected.locator(f"tr[data-analyte={analyte}]")).to_be_visible()
    assert page.locator("input[name=date]").input_value() == timezone.localdate().strftime("%d.%m.%Y")  # dd.mm.åååå
    shot(page, screenshot, "panel")

    if timezone.localtime().time() < datetime.time(8, 16):  # before 08:15 today that time is still to come
        page.fill("input[name=date]", (timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    page.fill("input[name=sampling_time]", "08:15")
    page.fill("input[name=beta2m-value]", "2,9")
    page.fill("input[name=nt_probnp-value]", "120")
    page.fill("input[name=leukocytes-value]", "6,1")
    page.fill("input[name=creatinine-value]", "1.1")  # mg/dL typed: refused, naming creatinine
    page.locator("[data-testid=panel-save]").click()
    errors = page.locator("[data-testid=panel-errors]")
    expect(errors).to_be_visible()
    expect(errors).to_be_focused()  # Save is at the bottom of a long form: the summary is brought into view
    expect(errors).to_be_in_viewport()
    expect(errors).to_contain_text("Kreatinin")
    expect(page.locator("tr[data-analyte=creatinine] [data-testid=row-error]")).to_contain_text("mg/dL")
    assert page.locator("input[name=beta2m-value]").input_value() == "2,9"  # what was typed stays
    assert LabResult.objects.filter(patient=patient).count() == before  # nothing half-saved
    shot(page, screenshot, "panel-refused")
    page.set_viewport_size({"width": 768, "height": 1024})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    shot(page, screenshot, "panel-refused-768")
    page.set_viewport_size({"width": 1366, "height": 768})

    page.fill("input[name=creatinine-value]", "97")
    page.locator("[data-testid=panel-save]").click()
    page.wait_for_url(f"**/patients/{patient.pk}/assessment/")
    assert LabResult.objects.filter(patient=patient).count() == before + 4
    page.locator("#evidence-facts > summary").click()  # the evidence group is collapsed until opened
    beta2m = page.locator("[data-testid=facts-used] tr[data-path='labs.beta2m_mg_l'] td").nth(1)
    assert beta2m.inner_text() == "2,9"  # bokmål: a decimal comma
    expect(page.locator("[data-testid=workup-checklist] a[data-path='labs.beta2m_mg_l']")).to_have_count(0)

    # correct the NT-proBNP with a reason, from the overview's lab table
    page.goto(f"/patients/{patient.pk}/?labs=1#lab-section")
    result = LabResult.objects.get(patient=patient, analyte="nt_probnp")
    page.locator(f"a[href='/patients/{patient.pk}/labs/{result.pk}/']").click()
    expect(page.locator("[data-testid=lab-result]")).to_contain_text("NT-proBNP")
    shot(page, screenshot, "correct")
    page.fill("input[name=value]", "1200")
    page.fill("textarea[name=reason]", "Skrevet 120 for 1200")
    page.locator("[data-testid=correct-form] button[type=submit]").click()
    page.wait_for_url(f"**/patients/{patient.pk}/?labs=1*")
    result.refresh_from_db()
    assert result.value == 1200
    assert result.history.latest("history_date").history_change_reason == "Skrevet 120 for 1200"
    assert page.console_errors == [], page.console_errors
