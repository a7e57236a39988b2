"""Production settings: `check --deploy` is clean and HTTPS switches on what it must."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "HTTPS", "AXES_"))}
    env.update(
        DEBUG="0", HTTPS="1", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="myelopath.sykehus.example",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.pop("SESSION_COOKIE_AGE", None)
    env.update(extra)
    return env


def run(args, env):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_the_production_environment():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_https():
    """The guard works: the same check flags a deployment that forgot HTTPS=1."""
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(HTTPS="0"))
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


SETTINGS_DUMP = """
import django, json
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_AGE", "SESSION_SAVE_EVERY_REQUEST",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE", "AXES_ENABLED", "AXES_FAILURE_LIMIT", "AXES_LOCKOUT_PARAMETERS",
    "AUTHENTICATION_BACKENDS", "X_FRAME_OPTIONS", "SIMPLE_HISTORY_REVERT_DISABLED")}, default=str))
"""


def test_production_settings_values():
    result = run(["-c", SETTINGS_DUMP], production_env())
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout)
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SECURE_SSL_REDIRECT"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["SESSION_COOKIE_HTTPONLY"] and s["X_FRAME_OPTIONS"] == "DENY"
    assert s["SESSION_COOKIE_AGE"] == 1800 and s["SESSION_SAVE_EVERY_REQUEST"] and s["SESSION_EXPIRE_AT_BROWSER_CLOSE"]
    assert s["AXES_ENABLED"] is True and s["AXES_FAILURE_LIMIT"] == 5
    assert s["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]
    assert s["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert s["SIMPLE_HISTORY_REVERT_DISABLED"] is True


def test_idle_timeout_comes_from_the_environment():
    result = run(["-c", SETTINGS_DUMP], production_env(SESSION_COOKIE_AGE="600"))
    assert json.loads(result.stdout)["SESSION_COOKIE_AGE"] == 600


def test_without_https_no_secure_cookie_or_redirect():
    """Loopback demos (HTTPS unset) still work over plain HTTP."""
    result = run(["-c", SETTINGS_DUMP], production_env(HTTPS="0"))
    s = json.loads(result.stdout)
    assert not s["SESSION_COOKIE_SECURE"] and not s["SECURE_SSL_REDIRECT"] and s["SECURE_HSTS_SECONDS"] == 0
