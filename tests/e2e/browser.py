"""What the browser tests share that is not a fixture."""

from pathlib import Path

# Screenshots of the browser tests (looked at by people; not compared by the tests).
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def browser_page(browser, live_server, user, locale):
    """A page of a browser whose language is ``locale``, logged in as ``user`` (second factor verified)."""
    from django.test import Client

    from tests.personas import verify_second_factor

    client = Client()
    client.force_login(user)
    verify_second_factor(client, user)
    context = browser.new_context(base_url=live_server.url, locale=locale, viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page
