"""The hospital's rounding limit (settings DOSE_ROUNDING_MAX_DEVIATION_PERCENT, issue 14): default 5 %,
set by the environment, and a value outside 0.5-10 % (a typing error: 50 for 5) stops the app."""

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings import _dose_rounding_limit

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_is_five_percent():
    assert settings.DOSE_ROUNDING_MAX_DEVIATION_PERCENT == Decimal(5)


@pytest.mark.parametrize(("text", "value"), [("5", Decimal(5)), ("6", Decimal(6)), ("10", Decimal(10)),
                                             ("0.5", Decimal("0.5")), ("5,5", Decimal("5.5"))])
def test_the_limit_is_read_as_a_decimal(text, value):
    assert _dose_rounding_limit(text) == value


@pytest.mark.hazard("HAZ-044")
@pytest.mark.parametrize("text", ["50", "10.01", "0.4", "0", "-5", "", "fem", "nan", "inf"])
def test_a_limit_outside_half_a_percent_to_ten_is_refused(text):
    with pytest.raises(ImproperlyConfigured, match="DOSE_ROUNDING_MAX_DEVIATION_PERCENT"):
        _dose_rounding_limit(text)


def _settings_in_a_process(value):
    env = {**os.environ, "DOSE_ROUNDING_MAX_DEVIATION_PERCENT": value, "DEBUG": "0",
           "SECRET_KEY": "test-only-secret-key-not-for-production", "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                           "print(settings.DOSE_ROUNDING_MAX_DEVIATION_PERCENT)"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.hazard("HAZ-044")
def test_the_environment_sets_the_limit_and_a_typing_error_stops_the_app():
    assert _settings_in_a_process("6").stdout.strip() == "6"
    refused = _settings_in_a_process("50")
    assert refused.returncode != 0 and "DOSE_ROUNDING_MAX_DEVIATION_PERCENT must be" in refused.stderr
