"""Settings for `make bench`: the app's settings, the benchmark's URLconf (one
extra trivial view, login required like every page), and static files found
without collectstatic (the benchmark measures views, not static serving)."""

import os
import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import ALLOWED_HOSTS, STORAGES

ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# An empty directory of its own, so WhiteNoise does not warn about a missing STATIC_ROOT.
STATIC_ROOT = Path(os.environ.get("BENCH_WORKDIR", tempfile.gettempdir())) / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
