"""Nothing typed is lost on the new-plan form (a walk through the app, stop 23): the form redraws itself with
its dose preview when a field changes (htmx, hx-trigger="change"). A value typed while that answer was on its
way — the start date changed, then the cycles typed at once — was wiped by the redrawn form, and the draft
was refused for the missing cycles. static/js/app.js puts it back and asks again; the preview follows."""

import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.patients.factories import clinical_patient, make_patient
from tests.patients.plan_helpers import measure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.hazard("HAZ-144")
def test_cycles_typed_while_the_preview_is_on_its_way_are_kept(page, login, physician, monkeypatch, screenshot):
    from patients.views import plans as plan_views

    patient = make_patient(clinical_patient("ACTIVE_MYELOMA transplant-eligible"), today=timezone.localdate())
    measure(patient, physician)
    slow_preview = plan_views._preview

    def slow(*args, **kwargs):  # a slow network or a busy server: the answer takes a second
        time.sleep(1.0)
        return slow_preview(*args, **kwargs)

    monkeypatch.setattr(plan_views, "_preview", slow)
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/plans/new/?" in request.url else None)
    login(physician)
    page.goto(f"/patients/{patient.pk}/plans/new/?regimen=VRd-induction")
    start = page.locator("input[name=start_date]")
    start.fill(timezone.localdate().isoformat())
    with page.expect_response(lambda r: "/plans/new/?" in r.url and "cycles=3" in r.url, timeout=15000):
        start.dispatch_event("change")  # the preview is asked for, with no cycles yet
        page.fill("input[name=cycles]", "3")  # typed at once, before the answer
    expect(page.locator("input[name=cycles]")).to_have_value("3")
    assert any("cycles=&" in url or url.endswith("cycles=") for url in asked)  # the first ask had none
    expect(page.locator("[data-testid=plan-preview]")).to_contain_text("2,6 mg")  # bortezomib 1.3 mg/m2 x 2.00 m2
    screenshot(page, "typed-cycles-kept")
    assert page.console_errors == []
