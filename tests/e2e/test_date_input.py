"""A date typed «05.01.2026», key by key, in Chromium set to Norwegian and to American English, is stored
as 5 January 2026 and shown back as 05.01.2026: never 1 May (``<input type="date">`` takes the browser's
month-first order in an American Chromium; core/forms.py, hazard HAZ-135). An impossible date is refused
on the page with a Norwegian message naming the field."""

import datetime

import pytest

from patients import actions, identity
from patients.models import HeightWeight
from tests.e2e.browser import browser_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.hazard("HAZ-135")]


@pytest.fixture(autouse=True)
def _connect_before_the_live_server(db):
    """As in test_csp_pages.py: open the shared in-memory SQLite connection in the test thread."""
    from django.db import connection

    connection.ensure_connection()


@pytest.fixture
def patient(physician):
    return actions.register_patient(
        by=physician, name="Dato Testesen", national_id=identity.make(datetime.date(1955, 6, 1), 313, synthetic=True),
    )


def record_weight_on(page, patient, typed):
    page.goto(f"/patients/{patient.pk}/record/height-weight/")
    field = page.locator("input[name=date]")
    field.fill("")
    field.press_sequentially(typed)  # key by key, as a nurse types
    page.locator("input[name=weight_kg]").fill("72,5")
    page.locator("main form button[type=submit]").first.click()


@pytest.mark.parametrize("locale", ["nb-NO", "en-US"])
def test_a_date_typed_day_first_is_stored_as_5_january_and_shown_back(browser, live_server, nurse, patient, locale):
    page = browser_page(browser, live_server, nurse, locale)
    try:
        page.goto(f"/patients/{patient.pk}/record/height-weight/")
        field = page.locator("input[name=date]")
        assert field.get_attribute("type") == "text" and field.get_attribute("inputmode") == "numeric"
        assert field.get_attribute("placeholder") == "dd.mm.åååå"  # the page is bokmål in an American browser too
        record_weight_on(page, patient, "05.01.2026")
        page.wait_for_url(f"**/patients/{patient.pk}/")
        assert HeightWeight.objects.get(patient=patient).date == datetime.date(2026, 1, 5)
        assert "(05.01.2026)" in page.locator("[data-testid=latest-weight]").inner_text()
        record = HeightWeight.objects.get(patient=patient)
        page.goto(f"/patients/{patient.pk}/record/height-weight/")  # the form shows today day first
        shown = page.locator("input[name=date]").input_value()
        assert shown == "" or (len(shown) == 10 and shown[2] == shown[5] == "."), shown
        page.goto(f"/patients/{patient.pk}/assessment/?as_of=2026-01-05")
        assert page.locator("input[name=as_of]").input_value() == "05.01.2026"  # ISO in the address, read back
        assert record.date.strftime("%d.%m.%Y") == "05.01.2026"
    finally:
        page.context.close()


@pytest.mark.parametrize("locale", ["nb-NO", "en-US"])
def test_an_impossible_date_is_refused_on_the_page_naming_the_field(browser, live_server, nurse, patient, locale):
    page = browser_page(browser, live_server, nurse, locale)
    try:
        record_weight_on(page, patient, "2026-13-45")
        page.wait_for_selector(".invalid-feedback, .is-invalid")
        text = page.locator("main").inner_text()
        assert "Dato: «2026-13-45» er ikke en dato i kalenderen" in text, text
        assert "skriv datoen som dd.mm.åååå" in text
        assert page.locator("input[name=date]").input_value() == "2026-13-45"  # as typed, beside its error
        assert not HeightWeight.objects.filter(patient=patient).exists()
    finally:
        page.context.close()
