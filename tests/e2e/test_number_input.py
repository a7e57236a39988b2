"""A weight typed with a decimal comma or a decimal point, key by key, in Chromium set to Norwegian
and to American English, is stored as 72.5 kg: never 725 (Chromium's ``<input type="number">``
with an English locale drops a typed comma; core/forms.py). An ambiguous number is refused on the
page with a message naming the field."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from patients import actions, identity
from patients.models import HeightWeight
from tests.e2e.browser import browser_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.hazard("HAZ-056")]


@pytest.fixture(autouse=True)
def _connect_before_the_live_server(db):
    """As in test_csp_pages.py: open the shared in-memory SQLite connection in the test thread."""
    from django.db import connection

    connection.ensure_connection()


@pytest.fixture
def patient(physician):
    return actions.register_patient(
        by=physician, name="Vekt Testesen", national_id=identity.make(datetime.date(1955, 6, 1), 313, synthetic=True),
    )


def record_weight(page, patient, typed):
    page.goto(f"/patients/{patient.pk}/record/height-weight/")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.locator("input[name=weight_kg]").press_sequentially(typed)  # key by key, as a nurse types
    page.locator("main form button[type=submit]").first.click()


@pytest.mark.parametrize("locale", ["nb-NO", "en-US"])
@pytest.mark.parametrize("typed", ["72,5", "72.5"], ids=["comma", "point"])
def test_a_weight_typed_with_either_separator_is_stored_as_72_5(browser, live_server, nurse, patient, locale, typed):
    page = browser_page(browser, live_server, nurse, locale)
    try:
        page.goto(f"/patients/{patient.pk}/record/height-weight/")
        field = page.locator("input[name=weight_kg]")
        assert field.get_attribute("type") == "text" and field.get_attribute("inputmode") == "decimal"
        record_weight(page, patient, typed)
        page.wait_for_url(f"**/patients/{patient.pk}/")
        stored = HeightWeight.objects.filter(patient=patient).order_by("-id").first()
        assert stored.weight_kg == Decimal("72.5")
        decimal_comma = page.locator("html").get_attribute("lang") == "nb"
        shown = page.locator("[data-testid=latest-weight]").inner_text()
        assert shown.startswith("72,5 kg" if decimal_comma else "72.5 kg"), shown
    finally:
        page.context.close()


@pytest.mark.hazard("HAZ-057")
@pytest.mark.parametrize("locale", ["nb-NO", "en-US"])
def test_an_ambiguous_weight_is_refused_on_the_page_naming_the_field(browser, live_server, nurse, patient, locale):
    page = browser_page(browser, live_server, nurse, locale)
    try:
        record_weight(page, patient, "1,234")
        page.wait_for_selector(".invalid-feedback, .is-invalid")
        text = page.locator("main").inner_text()
        assert ("Vekt (kg): «1,234» kan leses på to måter" in text
                or "Weight (kg): «1,234» can be read two ways" in text), text
        assert HeightWeight.objects.filter(patient=patient).count() == 0  # nothing saved
    finally:
        page.context.close()
