"""Demo users never overwrite a real account (issue 10, item 10; hazard HAZ-036).

`make run` used to re-seed the demo users at every run, so a changed administrator password
became the public demo password again. Now: demo users go only into a database without users
(or with the explicit ``seed_demo_users --reset``), never on a production configuration
(``HTTPS=1``, or ``ALLOWED_HOSTS`` naming a host other machines reach), and a real installation
creates its first administrator with ``manage.py create_admin``."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles
from accounts.management.commands.seed_demo_users import DEMO_USERS
from patients.models import Patient
from tests.ops.makefile import setup_commands

pytestmark = pytest.mark.hazard("HAZ-036")

DEMO_PASSWORDS = {username: password for username, _first, _last, _role, password in DEMO_USERS}
OWN_PASSWORD = "Changed-by-the-administrator-2026"
OWN_TOTP_KEY = "00112233445566778899aabbccddeeff00112233"


def _run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def _make_setup_steps():
    """The manage.py commands of the Makefile's ``setup`` recipe after migrate and collectstatic:
    what every `make run` runs against an existing database."""
    return [words for words in setup_commands() if words[0] not in ("migrate", "collectstatic")]


def _change_admin_account():
    """What the administrator does after the first `make run`: a password and an authenticator of
    their own."""
    admin = get_user_model().objects.get(username="admin")
    admin.set_password(OWN_PASSWORD)
    admin.save()
    TOTPDevice.objects.filter(user=admin).update(key=OWN_TOTP_KEY)
    return admin


def _admin_keeps_its_own_account():
    admin = get_user_model().objects.get(username="admin")
    assert check_password(OWN_PASSWORD, admin.password)
    assert not check_password(DEMO_PASSWORDS["admin"], admin.password)
    assert list(TOTPDevice.objects.filter(user=admin).values_list("key", flat=True)) == [OWN_TOTP_KEY]


def test_the_makefile_setup_runs_the_demo_step_once(db):
    assert _make_setup_steps() == [["setup_demo"]]


def test_a_second_make_setup_keeps_a_changed_password_and_second_factor(db):
    for step in _make_setup_steps():
        _run(*step)
    _change_admin_account()
    for step in _make_setup_steps():
        output = _run(*step)
    _admin_keeps_its_own_account()
    assert DEMO_PASSWORDS["admin"] not in output
    assert "admin" in output and "password changed" in output
    assert DEMO_PASSWORDS["lege"] in output  # an unchanged demo password is still shown
    client = Client()
    assert client.post("/login/", {"username": "admin", "password": DEMO_PASSWORDS["admin"],
                                   "otp_token": ""}).status_code == 200  # refused: the login page again
    assert client.login(username="admin", password=OWN_PASSWORD)


def test_seed_demo_users_run_again_changes_no_account(db):
    _run("seed_demo_users")
    _change_admin_account()
    _run("seed_demo_users")
    _admin_keeps_its_own_account()


def test_demo_users_go_only_into_a_database_without_users(physician):
    output = _run("seed_demo_users")
    assert not get_user_model().objects.filter(username__in=DEMO_PASSWORDS).exists()
    assert "no demo users" in output and "--reset" in output
    assert not any(password in output for password in DEMO_PASSWORDS.values())


def test_reset_is_the_explicit_switch_that_sets_the_demo_passwords_again(db):
    _run("seed_demo_users")
    _change_admin_account()
    _run("seed_demo_users", "--reset")
    admin = get_user_model().objects.get(username="admin")
    assert check_password(DEMO_PASSWORDS["admin"], admin.password)
    assert TOTPDevice.objects.get(user=admin).key != OWN_TOTP_KEY


@pytest.mark.parametrize(("https", "hosts", "reason"), [
    (True, ["127.0.0.1", "localhost"], "HTTPS=1"),
    (False, ["ward.sykehus.example", "127.0.0.1"], "ward.sykehus.example"),
    (False, ["*"], "*"),
], ids=["https", "a-public-host", "any-host"])
@pytest.mark.parametrize("args", [(), ("--reset",)], ids=["plain", "reset"])
def test_seed_demo_users_refuses_a_production_configuration(db, settings, https, hosts, reason, args):
    settings.HTTPS, settings.ALLOWED_HOSTS = https, hosts
    with pytest.raises(CommandError, match="production configuration") as refused:
        _run("seed_demo_users", *args)
    assert reason in str(refused.value) and "create_admin" in str(refused.value)
    assert not get_user_model().objects.exists()


def test_make_setup_on_a_production_configuration_creates_no_demo_data(db, settings):
    settings.HTTPS, settings.ALLOWED_HOSTS = True, ["ward.sykehus.example"]
    output = "".join(_run(*step) for step in _make_setup_steps())
    assert "production configuration" in output.lower() and "create_admin" in output
    assert not get_user_model().objects.exists() and not Patient.objects.exists()


def test_make_setup_on_a_fresh_database_prints_the_demo_users_last(db):
    output = "".join(_run(*step) for step in _make_setup_steps())
    last = output.strip().splitlines()
    table = "\n".join(last[-7:])
    for username, password in DEMO_PASSWORDS.items():
        assert re.search(rf"\b{username}\s+{re.escape(password)}\s+[A-Z2-7]{{32}}\b", table), username
    assert Patient.objects.exists()


# --- the first administrator of a real installation -----------------------------------


@pytest.fixture
def typed(monkeypatch):
    """The passwords typed at create_admin's prompts."""
    answers = []
    monkeypatch.setattr("accounts.management.commands.create_admin.getpass.getpass", lambda prompt: answers.pop(0))
    return answers


def test_create_admin_makes_an_administrator_with_the_typed_password(db, settings, typed):
    settings.HTTPS, settings.ALLOWED_HOSTS = True, ["ward.sykehus.example"]  # works on production
    typed.extend([OWN_PASSWORD, OWN_PASSWORD])
    output = _run("create_admin", "kari.it", "--first-name", "Kari", "--last-name", "Drift")
    user = get_user_model().objects.get(username="kari.it")
    assert check_password(OWN_PASSWORD, user.password)
    assert user.is_staff and user.is_superuser and user.is_active
    assert [g.name for g in user.groups.all()] == [roles.ADMIN]
    assert user.get_full_name() == "Kari Drift"
    assert not TOTPDevice.objects.filter(user=user).exists()  # each user sets up their own authenticator
    assert "two-factor" in output


def test_create_admin_reads_the_password_from_the_environment_without_prompts(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", OWN_PASSWORD)
    _run("create_admin", "drift", "--noinput")
    assert check_password(OWN_PASSWORD, get_user_model().objects.get(username="drift").password)


@pytest.mark.parametrize(("answers", "message"), [
    (["Myelo-admin-2026-a", "Myelo-admin-2026-b"], "differ"),
    (["kort", "kort"], "too short"),
    (["password123", "password123"], "too common"),
], ids=["mismatch", "short", "common"])
def test_create_admin_refuses_a_bad_password_and_creates_nothing(db, typed, answers, message):
    typed.extend(answers)
    with translation.override("en"), pytest.raises(CommandError, match=message):
        _run("create_admin", "drift")
    assert not get_user_model().objects.exists()


def test_create_admin_never_changes_an_existing_user(db, typed):
    _run("seed_demo_users")
    typed.extend([OWN_PASSWORD, OWN_PASSWORD])
    with pytest.raises(CommandError, match="exists"):
        _run("create_admin", "admin")
    assert check_password(DEMO_PASSWORDS["admin"], get_user_model().objects.get(username="admin").password)


def test_create_admin_without_a_password_in_the_environment_is_refused(db, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="DJANGO_SUPERUSER_PASSWORD"):
        _run("create_admin", "drift", "--noinput")
