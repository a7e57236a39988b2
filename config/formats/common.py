"""Dates ``dd.mm.åååå`` and datetimes ``dd.mm.åååå HH:MM`` in both languages (config/formats/__init__.py):
each language's ``formats`` module takes these."""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
# Typed dates are dd.mm.åååå (shown so: the first format is what a date widget writes, the admin's too) or
# ISO (the API, the tests), never month first (core/forms.py reads the app's date fields itself).
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M"]
