"""Every sentence the engine writes is a message with a stable code, one English template and its
Norwegian translation (issue 12: clinical text as messages, translated)."""

import ast
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation

from guidelines.messages import Message, Quantity, Quote, Term, gettext_noop, msg
from guidelines.sources import AMBIGUITIES, AMBIGUITIES_FILE

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def engine_messages():
    """(code, template, where) of every ``msg(...)`` call in guidelines/ and regimens/dosing/, and of every
    interpretation in guidelines/data/ambiguities.toml (built by ``guidelines.sources.ambiguity``, ADR 0029)."""
    found = [(code, entry["interpretation"], f"{AMBIGUITIES_FILE} [{code}]")
             for code, entry in AMBIGUITIES["ambiguities"].items()]
    paths = [*(ROOT / "guidelines").rglob("*.py"), *(ROOT / "regimens" / "dosing").rglob("*.py")]
    for path in sorted(paths):
        if path == ROOT / "guidelines" / "sources.py":
            continue  # ambiguity() builds the data file's messages, listed above
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "msg":
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                code, template = node.args[0], node.args[1]
                ok_code = isinstance(code, ast.Constant) and isinstance(code.value, str)
                ok_template = (isinstance(template, ast.Call) and getattr(template.func, "id", None) == "gettext_noop"
                               and isinstance(template.args[0], ast.Constant))
                found.append((code.value if ok_code else None, template.args[0].value if ok_template else None, where))
    return found


def test_every_message_call_names_a_literal_code_and_a_marked_template():
    """makemessages finds a template only inside gettext_noop("..."); a code must be a literal."""
    assert [where for code, template, where in engine_messages() if code is None or template is None] == []


def test_one_code_has_one_template():
    templates = defaultdict(set)
    for code, template, _where in engine_messages():
        templates[code].add(template)
    assert {code: sorted(t) for code, t in templates.items() if len(t) > 1} == {}


def test_codes_are_dotted_lowercase_names():
    assert [code for code, _t, _w in engine_messages() if not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", code)] == []


def test_every_template_has_a_norwegian_translation_with_the_same_placeholders():
    """English is the template itself; bokmål comes from locale/nb. A missing msgstr, or one that
    drops or invents a placeholder, fails here (listed with where the message is written). A word
    written the same in both languages («MGUS», «NT-proBNP») is translated when the catalogue holds it."""
    problems = []
    catalogue = translation.trans_real.translation("nb")._catalog
    with translation.override("nb"):
        for code, template, where in engine_messages():
            norwegian = translation.gettext(template)
            if (norwegian == template and template not in catalogue
                    and re.search(r"[A-Za-z]{4,}", PLACEHOLDER.sub("", template))):
                problems.append(f"{where} {code}: no nb translation")
            elif sorted(PLACEHOLDER.findall(norwegian)) != sorted(PLACEHOLDER.findall(template)):
                problems.append(f"{where} {code}: placeholders differ")
    assert problems == []


def test_a_message_is_its_english_sentence_and_keeps_code_and_params():
    m = msg("test.egfr", gettext_noop("eGFR %(egfr)s on %(day)s (%(quote)s)"),
            egfr=Quantity(71.75434280825972, "mL/min/1.73 m²", "egfr"), day=date(2026, 3, 5),
            quote=Quote("«eGFR < 30»"))
    assert m == "eGFR 72 mL/min/1.73 m² on 2026-03-05 («eGFR < 30»)"
    assert isinstance(m, Message) and m.code == "test.egfr"
    assert m.structured() == {"code": "test.egfr", "params": {
        "egfr": {"value": 71.75434280825972, "unit": "mL/min/1.73 m²", "kind": "egfr"},
        "day": "2026-03-05", "quote": {"quote": "«eGFR < 30»"}}}


@pytest.mark.parametrize(("value", "kind", "text"), [
    pytest.param(71.75434280825972, "egfr", "72", id="egfr-integer"),
    pytest.param(71.5, "egfr", "72", id="egfr-half-up"),
    pytest.param(1.8399, "bsa", "1.84", id="bsa-two-decimals"),
    pytest.param(1.8, "bsa", "1.8", id="bsa-trailing-zero-dropped"),
    pytest.param(0.0000001, "", "0.0000001", id="input-as-given"),
    pytest.param(2.85, "", "2.85", id="input-as-written"),
])
def test_quantities_print_at_their_kinds_precision(value, kind, text):
    assert str(Quantity(value, "", kind)) == text


def test_a_term_prints_as_its_english_word():
    assert msg("test.drug", gettext_noop("%(drug)s refractory"), drug=Term("lenalidomide")) == "lenalidomide refractory"
