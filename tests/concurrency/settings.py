"""Settings for the app processes of the concurrency test (tests/concurrency/test_two_app_processes.py):
the app's settings with static files found without collectstatic, STATIC_ROOT in the test's
scratch directory.

The signing second factor (TOTP) is off here: this test is about lost updates between processes;
the second factor at signing is tested in tests/patients/test_plan_second_factor.py and the
browser walk (tests/e2e/test_clinical_walk.py)."""

import os
import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
STATIC_ROOT = Path(os.environ.get("CONCURRENCY_WORKDIR", tempfile.gettempdir())) / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
SIGNING_REQUIRES_SECOND_FACTOR = False
