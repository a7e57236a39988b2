"""Date and number formats of the two languages (settings.FORMAT_MODULE_PATH), beside Django's own:
the ward writes dates ``dd.mm.åååå`` and times ``HH:MM`` whichever language the page is in, so a
date reads the same to every colleague (05.03.2026 is never the 3rd of May). Only the decimal
separator differs: a comma in bokmål, a point in English (Django's defaults). No thousands
separator (USE_THOUSAND_SEPARATOR is off). core/formatting.py writes with these."""
