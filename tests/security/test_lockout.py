"""Login throttling (django-axes): username + IP address, 5 failures, 15 minutes."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client

from accounts.second_factor import current_code
from tests.personas import PASSWORD, english_client, verify_second_factor

pytestmark = pytest.mark.axes  # lockout on, as in production


def login(client, username, password, ip="10.0.0.1", **extra):
    return client.post("/login/", {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


def test_four_failures_do_not_lock_out(english, physician):
    for _ in range(4):
        assert login(english, physician.username, "wrong").status_code == 200
    assert login(english, physician.username, PASSWORD).status_code == 302


def test_fifth_failure_locks_out_with_a_clear_message(english, physician, settings):
    for _ in range(4):
        login(english, physician.username, "wrong")
    locked = login(english, physician.username, "wrong")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert 'data-testid="lockout"' in text and "Too many failed login attempts" in text and "15 minutes" in text
    # Even the right password is refused during the lockout:
    again = login(english_client(), physician.username, PASSWORD)
    assert again.status_code == 429 and not again.wsgi_request.user.is_authenticated


def test_lockout_message_is_on_the_login_page_in_norwegian_by_default(physician):
    client = Client()
    for _ in range(5):
        response = login(client, physician.username, "wrong")
    assert response.status_code == 429
    assert 'lang="nb"' in response.content.decode() and 'name="username"' in response.content.decode()


def test_lockout_is_per_username_and_ip(english, physician, second_physician):
    for _ in range(5):
        login(english, physician.username, "wrong", ip="10.0.0.1")
    # same user, another computer; another user, same computer: not locked
    assert login(Client(), physician.username, PASSWORD, ip="10.0.0.2").status_code == 302
    assert login(Client(), second_physician.username, PASSWORD, ip="10.0.0.1").status_code == 302


def test_lockout_ends_after_the_cool_off(english, physician):
    for _ in range(5):
        login(english, physician.username, "wrong")
    assert login(english, physician.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16))
    assert login(Client(), physician.username, PASSWORD).status_code == 302


def test_success_resets_the_count(english, physician):
    for _ in range(4):
        login(english, physician.username, "wrong")
    assert login(Client(), physician.username, PASSWORD).status_code == 302
    for _ in range(4):
        assert login(Client(), physician.username, "wrong").status_code == 200


def test_wrong_second_factor_codes_count_as_failures(english, physician):
    device = verify_second_factor(Client(), physician)
    for _ in range(4):
        response = login(english, physician.username, PASSWORD, otp_token="000000")
        assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    assert login(english, physician.username, PASSWORD, otp_token="000000").status_code == 429
    assert login(Client(), physician.username, PASSWORD, otp_token=current_code(device)).status_code == 429


def test_the_axes_marker_switches_lockout_on(settings):
    """The production value is checked in test_deploy; here the marker switches it on."""
    assert settings.AXES_ENABLED is True
