"""Two-factor authentication (TOTP): enrolment, login with a code, the admin, check_second_factor."""

import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import check_second_factor, current_code
from tests.personas import PASSWORD, verify_second_factor


def confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


# ------------------------------------------------------------------ enrolment


def test_enrolment_page_shows_secret_and_otpauth_uri(english, physician):
    english.force_login(physician)
    page = english.get("/account/two-factor/")
    assert page.status_code == 200
    text = page.content.decode()
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7]+)<', text).group(1)
    uri = re.search(r'data-testid="otp-uri"><code[^>]*>([^<]+)<', text).group(1).replace("&amp;", "&")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert parsed.path == f"/MyeloPath%3A{physician.username}"
    query = parse_qs(parsed.query)
    assert query["secret"] == [secret] and query["issuer"] == ["MyeloPath"]
    assert query["digits"] == ["6"] and query["period"] == ["30"]
    device = TOTPDevice.objects.get(user=physician)
    assert not device.confirmed


def test_enrolment_refuses_a_wrong_code(english, physician):
    english.force_login(physician)
    english.get("/account/two-factor/")
    response = english.post("/account/two-factor/", {"otp_token": "123"})
    assert response.status_code == 200 and "The code is not valid" in response.content.decode()
    assert not TOTPDevice.objects.get(user=physician).confirmed


def test_enrolment_confirms_with_the_current_code_and_verifies_the_session(english, physician):
    english.force_login(physician)
    english.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=physician)
    response = english.post("/account/two-factor/", {"otp_token": current_code(device), "next": "/patients/"})
    assert response.status_code == 302 and response["Location"] == "/patients/"
    device.refresh_from_db()
    assert device.confirmed
    assert english.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    after = english.get("/account/two-factor/").content.decode()
    assert 'data-testid="two-factor-on"' in after and device.key not in after and "otp-secret" not in after


def test_enrolment_next_must_stay_on_this_site(english, physician):
    english.force_login(physician)
    english.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=physician)
    response = english.post("/account/two-factor/", {"otp_token": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/account/two-factor/"


# ------------------------------------------------------------------ login


def test_user_without_device_logs_in_with_password_only(english, nurse):
    response = english.post("/login/", {"username": nurse.username, "password": PASSWORD})
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY not in english.session


def test_user_with_device_needs_the_code(english, physician):
    confirmed_device(physician)
    response = english.post("/login/", {"username": physician.username, "password": PASSWORD})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    assert "Enter the code from your authenticator app" in response.content.decode()


def test_wrong_code_is_refused(english, physician):
    confirmed_device(physician)
    response = english.post("/login/", {"username": physician.username, "password": PASSWORD, "otp_token": "abc"})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    assert "The code is not valid" in response.content.decode()


def test_wrong_password_says_nothing_about_the_code(english, physician):
    confirmed_device(physician)
    response = english.post("/login/", {"username": physician.username, "password": "wrong", "otp_token": ""})
    text = response.content.decode()
    assert response.status_code == 200 and "Enter the code" not in text and "correct username" in text


def test_right_code_logs_in_and_verifies_the_session(english, physician):
    device = confirmed_device(physician)
    response = english.post(
        "/login/", {"username": physician.username, "password": PASSWORD, "otp_token": current_code(device)}
    )
    assert response.status_code == 302
    assert english.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_code_cannot_be_used_twice(physician):
    device = confirmed_device(physician)
    code = current_code(device)
    first = Client().post("/login/", {"username": physician.username, "password": PASSWORD, "otp_token": code})
    replay = Client().post("/login/", {"username": physician.username, "password": PASSWORD, "otp_token": code})
    assert first.status_code == 302 and replay.status_code == 200


def test_unverified_session_of_a_device_owner_gets_the_login_form_again(english, physician):
    confirmed_device(physician)
    english.force_login(physician)  # e.g. a session from before the device was added
    page = english.get("/login/?next=/admin/")
    assert page.status_code == 200 and 'name="otp_token"' in page.content.decode()


# ------------------------------------------------------------------ the admin


def test_staff_without_device_is_sent_to_enrol(english, pharmacist):
    english.force_login(pharmacist)
    first = english.get("/admin/")
    assert first.status_code == 302 and first["Location"].startswith("/admin/login/")
    second = english.get(first["Location"])
    assert second.status_code == 302 and second["Location"] == "/account/two-factor/?next=/admin/"


def test_staff_with_device_but_unverified_session_is_sent_to_log_in_with_the_code(english, pharmacist):
    confirmed_device(pharmacist)
    english.force_login(pharmacist)
    second = english.get(english.get("/admin/")["Location"])
    assert second.status_code == 302 and second["Location"] == "/login/?next=/admin/"


def test_staff_with_a_verified_session_gets_the_admin(english, pharmacist):
    english.force_login(pharmacist)
    verify_second_factor(english, pharmacist)
    assert english.get("/admin/").status_code == 200
    assert english.get("/admin/login/").status_code == 302  # already in: on to the admin


def test_verified_non_staff_gets_403_from_the_admin(english, physician):
    english.force_login(physician)
    verify_second_factor(english, physician)
    assert english.get("/admin/login/?next=/admin/").status_code == 403


def test_anonymous_admin_login_goes_to_the_one_login_page(english, db):
    response = english.get("/admin/login/?next=/admin/regimens/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/admin/regimens/"
    offsite = english.get("/admin/login/?next=https://evil.example/")
    assert offsite["Location"] == "/login/?next=/admin/"


def test_whole_admin_flow_enrol_then_admin(english, pharmacist):
    """Staff member without a device: log in, sent to enrol, confirm, on to the admin."""
    english.post("/login/", {"username": pharmacist.username, "password": PASSWORD})
    location = english.get(english.get("/admin/")["Location"])["Location"]
    english.get(location)
    device = TOTPDevice.objects.get(user=pharmacist)
    done = english.post("/account/two-factor/", {"otp_token": current_code(device), "next": "/admin/"})
    assert done["Location"] == "/admin/"
    assert english.get("/admin/regimens/protocol/").status_code == 200


# ------------------------------------------------------------------ check_second_factor


def test_check_second_factor_accepts_the_current_code_once(physician):
    device = confirmed_device(physician)
    code = current_code(device)
    assert check_second_factor(physician, code) is True
    assert check_second_factor(physician, code) is False  # replay


@pytest.mark.parametrize("token", ["", None, "abcdef", "12345", "1234567", " "], ids=repr)
def test_check_second_factor_refuses_malformed_codes(physician, token):
    confirmed_device(physician)
    assert check_second_factor(physician, token) is False


def test_check_second_factor_refuses_without_a_confirmed_device(physician):
    device = TOTPDevice.objects.create(user=physician, name="phone", confirmed=False)
    assert check_second_factor(physician, current_code(device)) is False


def test_check_second_factor_refuses_another_users_code(physician, second_physician):
    confirmed_device(physician)
    other = confirmed_device(second_physician)
    assert check_second_factor(physician, current_code(other)) is False


def test_check_second_factor_refuses_inactive_and_anonymous_users(physician):
    from django.contrib.auth.models import AnonymousUser

    device = confirmed_device(physician)
    assert check_second_factor(AnonymousUser(), current_code(device)) is False
    assert check_second_factor(None, current_code(device)) is False
    physician.is_active = False
    physician.save()
    assert check_second_factor(physician, current_code(device)) is False


def test_code_with_a_space_is_accepted(physician):
    device = confirmed_device(physician)
    code = current_code(device)
    assert check_second_factor(physician, f"{code[:3]} {code[3:]}") is True


# ------------------------------------------------------------------ demo users


def test_every_demo_user_gets_a_confirmed_device_with_a_fixed_secret(db):
    out = io.StringIO()
    call_command("seed_demo_users", stdout=out)
    keys = dict(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", "key"))
    assert set(keys) == {"lege", "lege2", "sykepleier", "farmasoyt", "admin"}
    call_command("seed_demo_users", stdout=io.StringIO())  # run again: same secrets, one device each
    assert dict(TOTPDevice.objects.values_list("user__username", "key")) == keys
    assert len(set(keys.values())) == 5
    assert "demo_otp_code" in out.getvalue()


def test_demo_otp_code_prints_the_code_that_logs_in(db):
    call_command("seed_demo_users", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_otp_code", "farmasoyt", stdout=out)
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    client = Client()
    login = client.post("/login/", {"username": "farmasoyt", "password": "Myelo-farmasoyt-2026", "otp_token": code})
    assert login.status_code == 302
    assert client.get("/admin/regimens/protocol/").status_code == 200


def test_demo_otp_code_errors(db, nurse):
    with pytest.raises(CommandError, match="No user"):
        call_command("demo_otp_code", "nobody", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no confirmed two-factor device"):
        call_command("demo_otp_code", nurse.username, stdout=io.StringIO())
