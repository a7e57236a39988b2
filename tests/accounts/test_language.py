"""The language of the pages: Norwegian bokmål for every new session, whatever the browser asks
for (Accept-Language); English only by the user's own choice (the switch in the navbar), which
the language cookie keeps on that browser and the user's preferences keep for every browser.
The JSON API is apart: it answers in the language the caller asks for (Accept-Language)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import Preferences

pytestmark = pytest.mark.django_db

# What Chromium sends with an English (US) system language.
BROWSER_EN = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def html_lang(response):
    text = response.content.decode()
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


def switch(client, language, next_url="/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


@pytest.mark.hazard("HAZ-051")
def test_a_new_session_is_in_bokmal_whatever_the_browser_asks_for(client_for, physician):
    anonymous = Client(**BROWSER_EN)
    login_page = anonymous.get(reverse("login"))
    assert html_lang(login_page) == "nb"
    assert "Logg inn" in login_page.content.decode()
    assert login_page["Content-Language"] == "nb"

    client = client_for(physician)
    home = client.get(reverse("home"), **BROWSER_EN)
    assert html_lang(home) == "nb"
    assert "Pasienter" in home.content.decode()
    # the answer does not depend on Accept-Language, so no cache may keep one per browser language
    assert "Accept-Language" not in home.get("Vary", "")


@pytest.mark.hazard("HAZ-051")
def test_english_chosen_stays_english_on_the_next_request_and_in_a_new_session(client_for, physician):
    client = client_for(physician)
    response = switch(client, "en", "/patients/")
    assert response.status_code == 302 and response["Location"] == "/patients/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600  # outlives the browser session
    assert html_lang(client.get(reverse("home"))) == "en"
    assert Preferences.objects.get(user=physician).language == "en"

    # another browser (no cookie), a new login of the same user: still English
    elsewhere = Client(**{"HTTP_ACCEPT_LANGUAGE": "nb-NO,nb;q=0.9"})
    elsewhere.force_login(physician)
    home = elsewhere.get(reverse("home"))
    assert html_lang(home) == "en"
    assert "Patients" in home.content.decode()

    # and back to bokmål, remembered the same way
    switch(elsewhere, "nb")
    assert Preferences.objects.get(user=physician).language == "nb"
    fresh = Client(**BROWSER_EN)
    fresh.force_login(physician)
    assert html_lang(fresh.get(reverse("home"))) == "nb"


def test_the_cookie_keeps_the_choice_on_that_browser(physician):
    client = Client(**BROWSER_EN)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert html_lang(client.get(reverse("login"))) == "en"
    client.force_login(physician)  # no stored choice: the browser's cookie
    assert html_lang(client.get(reverse("home"))) == "en"


def test_the_switch_works_on_the_login_page(physician):
    client = Client(**BROWSER_EN)
    response = switch(client, "en", "/login/")
    assert response.status_code == 302 and response["Location"] == "/login/"  # not sent to log in first
    assert html_lang(client.get(reverse("login"))) == "en"
    assert not Preferences.objects.exists()  # nobody to store it for


def test_the_users_stored_choice_wins_over_the_cookie(physician):
    Preferences.objects.create(user=physician, language="nb")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(physician)
    assert html_lang(client.get(reverse("home"))) == "nb"


def test_an_unknown_language_is_ignored(client_for, physician):
    client = client_for(physician)
    switch(client, "de")
    assert not Preferences.objects.exists()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert html_lang(client.get(reverse("home"))) == "nb"


def test_logging_out_forgets_the_users_choice_in_that_session(client_for, physician):
    client = client_for(physician)
    switch(client, "en")
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    client.post(reverse("logout"))
    assert html_lang(client.get(reverse("login"))) == "nb"


def test_the_api_answers_in_the_language_the_caller_asks_for(client_for, physician):
    """The API negotiates its own language (Accept-Language), unlike the pages."""
    client = client_for(physician)
    english = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en"
    assert "Accept-Language" in english["Vary"]
    norwegian = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="nb")
    assert norwegian["Content-Language"] == "nb"
    # Without a choice (or with one the app does not speak) the API answers in the contract's English.
    assert client.get("/api/v1/openapi.json")["Content-Language"] == "en"
    assert client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="de")["Content-Language"] == "en"
