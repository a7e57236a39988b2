"""A user logs in, sees Norwegian, switches to English, and no CSP or script error occurs."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_physician_logs_in_and_switches_language(page, login, physician, screenshot):
    login(physician)
    expect(page.locator("nav").get_by_text("Pasienter")).to_be_visible()
    screenshot(page, "home-nb")
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state("networkidle")
    expect(page.locator("nav").get_by_text("Patients")).to_be_visible()
    screenshot(page, "home-en")
    assert page.console_errors == [], page.console_errors


def test_wrong_password_shows_an_error(page, physician):
    page.goto("/login/")
    page.fill("input[name=username]", physician.username)
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    expect(page.locator(".alert, .invalid-feedback, .errorlist").first).to_be_visible()
    assert "/login/" in page.url
