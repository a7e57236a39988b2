"""In the browser the overview's lab section arrives by htmx after the page has loaded
and its charts are drawn, without a CSP violation; without JavaScript the link shows
the same section in the page."""

import datetime

import pytest

from patients import actions, identity

pytestmark = pytest.mark.django_db(transaction=True)

LISTENER = ("document.addEventListener('securitypolicyviolation', "
            "e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));")


@pytest.fixture(autouse=True)
def _connect_before_the_live_server(db):
    """As in test_csp_pages.py: open the shared in-memory SQLite connection in the test thread."""
    from django.db import connection

    connection.ensure_connection()


@pytest.fixture
def patient(physician):
    patient = actions.register_patient(
        by=physician, name="Lab Testesen", national_id=identity.make(datetime.date(1951, 3, 4), 313, synthetic=True),
    )
    today = datetime.date.today()
    for days, m, hb in ((60, 30, "11.5"), (30, 25, "11.9"), (0, 20, "12.4")):
        date = today - datetime.timedelta(days=days)
        actions.record_lab_result(by=physician, patient=patient, date=date, analyte="m_protein", value=m)
        actions.record_lab_result(by=physician, patient=patient, date=date, analyte="hemoglobin", value=hb)
    return patient


def test_lab_section_loads_after_the_page_and_draws_the_charts(page, login, physician, patient, screenshot):
    page.add_init_script(LISTENER)
    login(physician)
    page.goto(f"/patients/{patient.pk}/")
    page.wait_for_selector("[data-testid=lab-table]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=lab-section-placeholder]").count() == 0
    assert page.locator("[data-testid=lab-table] tbody tr").count() == 6
    drawn = page.evaluate("() => [...document.querySelectorAll('canvas[data-chart]')]"
                          ".map(c => [c.dataset.chart, !!Chart.getChart(c)])")
    assert sorted(drawn) == [["hemoglobin", True], ["m_protein", True]]
    # the analyte filter still swaps only the table
    page.select_option("#analyte-filter", "hemoglobin")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=lab-table] tbody tr').length === 3")
    assert page.evaluate("() => !!Chart.getChart(document.querySelector('canvas[data-chart=m_protein]'))")
    screenshot(page, "overview-labs")
    assert page.console_errors == [], page.console_errors


def test_without_javascript_the_link_shows_the_lab_section(browser, live_server, physician, patient):
    from django.test import Client

    client = Client()
    client.force_login(physician)
    cookie = client.cookies["sessionid"]
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto(f"/patients/{patient.pk}/")
        page.click("[data-testid=show-labs]")
        page.wait_for_selector("[data-testid=lab-table]")
        assert page.locator("[data-testid=lab-table] tbody tr").count() == 6
        assert page.locator("[data-testid=patient-name]").inner_text() == "Lab Testesen"
    finally:
        context.close()
