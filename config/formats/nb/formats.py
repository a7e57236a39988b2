"""Dates ``dd.mm.åååå`` and datetimes ``dd.mm.åååå HH:MM``, the same in both languages (config/formats/common.py)."""

from config.formats.common import *  # noqa: F403 (Django reads the format names from this module)
