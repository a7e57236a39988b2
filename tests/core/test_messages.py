"""The web layer renders the engine's messages in the reader's language (core.messages)."""

from datetime import date

from django.utils import translation

from core.messages import render
from guidelines.messages import Quantity, Quote, gettext_noop, msg


def test_a_plain_string_is_returned_as_it_is():
    assert render("VRd") == "VRd"
    assert render(None) == ""


def test_numbers_and_dates_follow_the_reader_in_norwegian_and_english():
    m = msg("test.render", gettext_noop("eGFR %(egfr)s on %(day)s (%(quote)s)"),
            egfr=Quantity(1.8399, "m²", "bsa"), day=date(2026, 3, 5), quote=Quote("«Stadium I»"))
    with translation.override("nb"):
        nb = render(m)
    with translation.override("en"):
        en = render(m)
    # The template has no catalogue entry: the English words stay, the numbers and the date follow
    # the language (decimal comma, dd.mm.åååå in Norwegian); the quote is never translated.
    assert nb == "eGFR 1,84 m² on 05.03.2026 («Stadium I»)"
    assert en.startswith("eGFR 1.84 m² on ") and en.endswith("(«Stadium I»)")


def test_a_translated_template_is_filled_in_norwegian():
    m = msg("test.yes", gettext_noop("yes"))
    with translation.override("nb"):
        assert render(m) == "ja"


def test_a_template_prints_a_message_in_the_readers_language_and_escaped():
    from django.template import Context, Template

    m = msg("test.yes", gettext_noop("yes"))
    template = Template("{{ m }}|{{ q }}")
    with translation.override("nb"):
        assert template.render(Context({"m": m, "q": msg("test.lt", gettext_noop("<b>%(n)s</b>"), n=2)})) == (
            "ja|&lt;b&gt;2&lt;/b&gt;")


def test_the_engine_and_the_pages_write_a_kind_at_the_same_precision():
    """One precision per kind, defined once: guidelines.quantities (the engine's English text) holds it,
    and core.formatting (the pages) reads that very table, so a kind both know has the same decimals."""
    from core import formatting
    from core.formatting import KINDS
    from guidelines.quantities import DECIMALS

    assert formatting.ENGINE_DECIMALS is DECIMALS
    shared = {kind for kind in DECIMALS if kind in KINDS}
    assert {kind: (DECIMALS[kind], KINDS[kind].decimals) for kind in shared
            if DECIMALS[kind] != KINDS[kind].decimals} == {}
    assert {"egfr", "bsa", "weight", "height", "creatinine"} <= shared


def test_a_number_inside_a_unit_follows_the_reader():
    """The eGFR's unit «mL/min/1.73 m²» (guidelines/labs.py) reads «1,73» in bokmål, as its number does."""
    text = msg("t.egfr", "eGFR %(egfr)s", egfr=Quantity(85.4, "mL/min/1.73 m²", "egfr"))
    with translation.override("nb"):
        assert render(text) == "eGFR 85 mL/min/1,73 m²"
    with translation.override("en"):
        assert render(text) == "eGFR 85 mL/min/1.73 m²"
