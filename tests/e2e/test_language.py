"""Bokmål by default in a real browser set to English (issue 12 item 2): Chromium with an en-US
locale sends Accept-Language en-US, and the pages are Norwegian anyway; the user's own choice of
English stays for the next page, the next login and another browser."""

import pytest
from playwright.sync_api import expect

from tests.personas import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.hazard("HAZ-051")]


def english_browser(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def log_in(page, user):
    page.goto("/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_an_english_browser_gets_bokmal_until_the_user_chooses_english(browser, live_server, physician):
    context, page = english_browser(browser, live_server)
    assert page.evaluate("() => navigator.language") == "en-US"
    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator("main h1")).to_have_text("Logg inn")
    log_in(page, physician)
    expect(page.locator("nav").get_by_text("Pasienter")).to_be_visible()

    page.select_option("select[name=language]", "en")
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/patients/")
    expect(page.locator("main h1")).to_have_text("Patients")
    context.close()

    # another browser, no cookie of this one: the choice is the user's
    context, page = english_browser(browser, live_server)
    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    log_in(page, physician)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav").get_by_text("Patients")).to_be_visible()
    context.close()
