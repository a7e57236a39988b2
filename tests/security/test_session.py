"""Idle timeout: the session ends 30 minutes after the last request, and at browser close."""

import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.personas import PASSWORD


def _session(client):
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_default_idle_timeout_is_30_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_session_cookie_ends_with_the_browser(client, physician):
    response = client.post("/login/", {"username": physician.username, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert cookie["httponly"]


def test_each_request_pushes_the_expiry_30_minutes_ahead(client_for, physician):
    client = client_for(physician)
    client.get("/")
    session = _session(client)
    session.expire_date = timezone.now() + datetime.timedelta(minutes=1)  # as if 29 minutes idle
    session.save()
    assert client.get("/patients/").status_code == 200
    left = _session(client).expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < left <= datetime.timedelta(minutes=30)


def test_idle_session_is_logged_out(client_for, physician):
    client = client_for(physician)
    client.get("/")
    session = _session(client)
    session.expire_date = timezone.now() - datetime.timedelta(seconds=1)  # 30 minutes and a second idle
    session.save()
    response = client.get("/patients/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    api = client.get("/api/v1/regimens")
    assert api.status_code == 401
