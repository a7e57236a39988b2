"""Settings for the app processes of the concurrency test (tests/concurrency/test_two_app_processes.py):
the app's settings with static files found without collectstatic, STATIC_ROOT in the test's
scratch directory."""

import os
import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
STATIC_ROOT = Path(os.environ.get("CONCURRENCY_WORKDIR", tempfile.gettempdir())) / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
