"""Issue 15's walk in a browser: one patient through three cycles of VRd-induction.

The plan started 42 days ago (cycle 1), so cycle 2 began 21 days ago and cycle 3 is due today. In order:
- cycle 1 is released with a weight change of 12 %, which sends the plan for verification again; it is
  released on the re-verified version;
- the nurse records cycle 1's bortezomib and a second nurse confirms it;
- lenalidomide is reduced by one dose level from cycle 2 (25 → 15 mg), with a reason;
- cycle 2's release page shows the response (PR) the lab series gives at its start;
- cycle 3 is delayed by 7 days;
- the labs then show a progression from the nadir. The physician confirms it, and the next assessment
  is relapse treatment (second line).
Every step is in the patient's history with user, time and reason.

Sources: Handlingsprogram for myelomatose, «Vurdering av behandlingsrespons og kontroll», Tabell 8.2 (PR:
«≥50 % reduksjon av serum M-komponent»; PD: «Økning på ≥ 25 % fra laveste verdi … absolutt økning må være
≥ 5 g/L») and «Behandling av tilbakefall». Lenalidomide 25 → 15 mg is the protocol library's dose level
(ADR 0024)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from patients import actions, assessment
from patients.models import TreatmentLine, TreatmentPlan
from tests.e2e.browser import browser_page
from tests.patients.factories import ANNE_ID
from tests.patients.plan_helpers import measure, record_bloods, shown, verified
from tests.personas import PASSWORD
from treatment_course import administer
from treatment_course.models import Administration, ProgressionProposal

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.hazard("HAZ-133")]


def _reissue(plan, physician, pharmacist):
    """The new version issued by the physician and verified by the pharmacist (the four eyes)."""
    plan = actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                              expected_fingerprint=shown(plan))
    return actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD, expected_fingerprint=shown(plan))


def _close(page):
    page.wait_for_load_state("networkidle")
    page.context.close()


def _release(page, weight):
    page.locator("[data-testid=release-next]").click()
    page.wait_for_url("**/release/")
    page.fill("input[name=weight_kg]", weight)
    page.locator("[data-testid=release-form] button[type=submit]").click()


def _modify(page, patient, plan, *, kind, cycle, reason, drug=None, days=None):
    page.goto(f"/course/patients/{patient.pk}/plans/{plan.pk}/modify/")
    form = page.locator("[data-testid=modify-form]")
    form.locator(f"input[name=kind][value={kind}]").check()
    if drug:
        form.locator("select[name=drug]").select_option(drug)
    form.locator("input[name=cycle]").fill(str(cycle))
    if days:
        form.locator("input[name=days]").fill(str(days))
    form.locator("textarea[name=reason]").fill(reason)
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=plan-status]")).to_have_text("utkast")
    return TreatmentPlan.objects.get(previous=plan)


def _first_day(plan, cycle):
    return min(datetime.date.fromisoformat(a["date"]) for a in plan.snapshot["schedule"]["administrations"]
               if a["cycle"] == cycle)


def test_three_cycles_with_reverification_reduction_delay_administrations_and_confirmed_progression(
        page, login, browser, live_server, physician, pharmacist, nurse, second_nurse, screenshot):
    today = timezone.localdate()
    ago = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    patient = actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID)
    measure(patient, physician)  # 180 cm, 80 kg today: the dose basis
    record_bloods(patient, physician)
    actions.record_lab_result(by=physician, patient=patient, date=ago(45), analyte="m_protein", value="30",
                              isotype="IgG")
    plan = verified(physician, pharmacist, patient, start_date=ago(42), cycles=3)
    line = TreatmentLine.objects.get(patient=patient)

    # cycle 1: +12 % weight → a new version, verified again, then released
    login(physician)
    page.goto(f"/patients/{patient.pk}/plans/{plan.pk}/")
    _release(page, "89,6")
    expect(page.locator(".alert-success")).to_contain_text("Vekten er endret med 12 % (grense 10 %)")
    plan = _reissue(plan.revisions.get(), physician, pharmacist)
    page.goto(f"/patients/{patient.pk}/plans/{plan.pk}/")
    _release(page, "89,6")
    expect(page.locator(".alert-success")).to_contain_text("Syklus 1 er frigitt.")
    screenshot(page, "1-cycle-1-released")

    # cycle 1's bortezomib (sc): recorded by the nurse, confirmed by a second nurse
    item = next(i for i, a in enumerate(administer.items(plan)) if a["cycle"] == 1 and a["drug"] == "bortezomib")
    at_the_ward = browser_page(browser, live_server, nurse, "nb-NO")  # her own workstation
    at_the_ward.goto(f"/course/patients/{patient.pk}/plans/{plan.pk}/administrations/{item}/")
    form = at_the_ward.locator("[data-testid=administration-form]")
    form.locator("input[name=outcome][value=given]").check()
    form.locator("input[name=given_time]").fill("00:00")  # today's first minute: never ahead of the clock
    form.locator("button[type=submit]").click()
    expect(at_the_ward.locator("[data-testid=confirm-own-record]")).to_be_visible()  # another nurse confirms
    _close(at_the_ward)
    second = browser_page(browser, live_server, second_nurse, "nb-NO")
    second.goto(f"/course/patients/{patient.pk}/plans/{plan.pk}/administrations/{item}/")
    confirm = second.locator("[data-testid=confirm-form]")
    confirm.locator("input[name=password]").fill(PASSWORD)
    confirm.locator("button[type=submit]").click()
    expect(second.locator("[data-testid=confirmed-by]")).to_contain_text("Siri Moe")
    _close(second)
    record = Administration.objects.get(plan=plan, item=item)
    assert record.recorded_by == nurse and record.confirmation.confirmed_by == second_nurse

    # lenalidomide one dose level down from cycle 2, with its reason; verified again
    draft = _modify(page, patient, plan, kind="reduce", drug="lenalidomide", cycle=2,
                    reason="Utslett grad 2 i syklus 1")
    expect(page.locator("[data-testid=sheet-modifications]")).to_contain_text("25 → 15 mg")
    plan = _reissue(draft, physician, pharmacist)
    lenalidomide = {a["cycle"]: a["dose"] for a in plan.snapshot["schedule"]["administrations"]
                    if a["drug"] == "lenalidomide"}
    assert lenalidomide[1] == pytest.approx(25) and lenalidomide[2] == pytest.approx(15)
    assert lenalidomide[3] == pytest.approx(15)

    # serum M 12 g/L the day before cycle 2: PR (≥ 50 % below 30 g/L), shown on cycle 2's release page
    actions.record_lab_result(by=physician, patient=patient, date=ago(22), analyte="m_protein", value="12")
    page.goto(f"/patients/{patient.pk}/plans/{plan.pk}/")
    page.locator("[data-testid=release-next]").click()
    page.wait_for_url("**/cycles/2/release/")
    expect(page.locator("[data-testid=release-cycle-response]")).to_have_text("PR")
    screenshot(page, "2-cycle-2-release-with-response")
    page.fill("input[name=weight_kg]", "89,6")
    page.locator("[data-testid=release-form] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Syklus 2 er frigitt.")

    # cycle 3 delayed by 7 days: its dates move, verified again
    before = _first_day(plan, 3)
    draft = _modify(page, patient, plan, kind="delay", cycle=3, days=7, reason="Nøytrofile 0,8: venter en uke")
    plan = _reissue(draft, physician, pharmacist)
    assert _first_day(plan, 3) == before + datetime.timedelta(days=7)

    # serum M 20 and then 21 g/L: ≥ 25 % and ≥ 5 g/L above the nadir of 12, twice. The physician confirms
    # the progression it proposes, and the next assessment is relapse treatment
    assert assessment.assess(patient)["treatment"]["setting"] != "RELAPSE_LINE_2"
    actions.record_lab_result(by=physician, patient=patient, date=ago(10), analyte="m_protein", value="20")
    actions.record_lab_result(by=physician, patient=patient, date=ago(2), analyte="m_protein", value="21")
    page.goto(f"/patients/{patient.pk}/responses/")
    proposal = page.locator("[data-testid=progression-proposal]")
    expect(proposal).to_have_attribute("data-status", "pending")
    proposal.locator("select[name=decision]").select_option("confirmed")
    proposal.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=progression-proposal]")).to_have_attribute("data-status", "confirmed")
    screenshot(page, "3-progression-confirmed")
    assert TreatmentLine.objects.get(pk=line.pk).progression_date == ago(10)
    assert ProgressionProposal.objects.get().decision.decided_by == physician
    assert assessment.assess(patient)["treatment"]["setting"] == "RELAPSE_LINE_2"

    # the patient's history: every step with its user and reason, in bokmål
    page.goto(f"/patients/{patient.pk}/history/")
    main = page.locator("main")
    for text in ("Vekt 80 kg → 89,6 kg (12 %, grense 10 %) ved frigivelse av syklus 1", "Syklus 1 frigitt",
                 "Dose redusert: lenalidomid 25 → 15 mg fra syklus 2 (dosetrinn 2): Utslett grad 2 i syklus 1",
                 "Syklus 2 frigitt", "Syklus utsatt: syklus 3 med 7 dager", "Nøytrofile 0,8: venter en uke",
                 "Ida Nilsen", "Siri Moe", "Per Lie", "Kari Hansen"):
        expect(main).to_contain_text(text)
    screenshot(page, "4-history")
    # the refused and answered requests of the walk are pages, not console errors
    assert page.console_errors == []
