"""Browser tests: Playwright driving Debian's chromium against a live server.

The tests start the browser themselves (no browser download: /usr/bin/chromium)
and save screenshots under artifacts/screenshots/ as evidence of what a user saw.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.browser import ARTIFACTS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the test database is
# only touched by fixtures between browser calls, never concurrently.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: run scripts/bootstrap.sh --browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    # each error names the page it happened on (and the script line, where the browser gives one)
    page.on("console", lambda msg: errors.append(f"{page.url} {msg.location.get('url', '')}:"
                                                 f"{msg.location.get('lineNumber', '')}: {msg.text}")
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    # requests the browser still waits for: the live server serves them on the test's own
    # in-memory database connection, so one still running during the teardown's flush breaks it
    pending = set()
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    yield page
    for _ in range(50):
        if not pending:
            break
        page.wait_for_timeout(100)
    context.close()


@pytest.fixture
def screenshot(request):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page):
    from tests.personas import PASSWORD

    def do(user):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.second_factor import current_code

        page.goto("/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:  # two-factor is on for this user: the code its app shows now
            page.fill("input[name=otp_token]", current_code(device))
        page.locator("main button[type=submit]").click()
        # away from the login page («**/» would match /login/ itself and return before the login is done)
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    return do
