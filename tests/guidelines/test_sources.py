"""How a citation reads to a clinician: document short name, section heading, detail; the ambiguities' data."""

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django.utils import translation

import guidelines
from guidelines import sources
from guidelines.messages import Message
from guidelines.sources import AMBIGUITIES, Citation, ambiguity, ambiguity_source, myeloma, poems, source_quote


def test_citation_text():
    assert str(myeloma("Diagnostiske kriterier")) == "Handlingsprogram for myelomatose — Diagnostiske kriterier"
    assert str(poems("Responsevaluering", "VEGF respons")).endswith("— Responsevaluering (VEGF respons)")


# The ambiguities are data (guidelines/data/ambiguities.toml, ADR 0029).
ROOT = Path(__file__).resolve().parents[2]


def ambiguity_calls():
    """(code or None, where) of every ``ambiguity(...)`` call in guidelines/."""
    found = []
    for path in sorted((ROOT / "guidelines").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ambiguity":
                code = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
                found.append((code, f"{path.relative_to(ROOT)}:{node.lineno}"))
    return found


def test_every_ambiguity_call_names_an_entry_of_the_data_and_every_entry_is_used_once():
    calls = ambiguity_calls()
    assert [where for code, where in calls if code not in AMBIGUITIES["ambiguities"]] == []
    assert sorted(code for code, _where in calls) == sorted(AMBIGUITIES["ambiguities"])


def test_an_ambiguity_is_its_citation_source_text_and_interpretation_message():
    a = ambiguity("workup.ambiguity_ratio")
    assert a.citation == myeloma("Nivåer og rekkefølge på utredning")
    assert a.source_text == "«Lettkjederatio < 8» / «Lettkjederatio >8»"
    assert isinstance(a.interpretation, Message) and a.interpretation.code == "workup.ambiguity_ratio"
    assert a.interpretation.startswith("Read as the ratio of the involved to the uninvolved free light chain")


def test_a_literal_per_cent_sign_is_written_once_in_the_text_and_twice_in_the_template():
    a = ambiguity("workup.ambiguity_mri_boundary")
    assert a.interpretation.template.startswith("Exactly 10 %% clonal plasma cells")
    assert a.interpretation.startswith("Exactly 10 % clonal plasma cells")


def test_source_quotes_are_joined_with_a_space():
    assert ambiguity("after_treatment.ambiguity_progression_indication").source_text == (
        source_quote("after_treatment.relapse") + " " + source_quote("history.refractory"))


def test_parameters_fill_the_template_and_a_missing_or_extra_one_is_refused():
    a = ambiguity("history.ambiguity_months_without_transplant", line="line 2")
    assert a.interpretation.startswith("line 2 gives months from transplant to progression")
    with pytest.raises(ValueError, match="template needs"):
        ambiguity("history.ambiguity_months_without_transplant")
    with pytest.raises(ValueError, match="template needs"):
        ambiguity("workup.ambiguity_ratio", line="line 2")


def test_a_source_text_marked_translated_has_a_norwegian_translation():
    marked = [code for code, e in AMBIGUITIES["ambiguities"].items() if e.get("translate_source_text")]
    assert marked
    catalogue = translation.trans_real.translation("nb")._catalog
    assert [code for code in marked if ambiguity_source(code) not in catalogue] == []


@pytest.mark.parametrize(("entry", "problem"), [
    pytest.param('document = "myeloma"\nsection = "S"\nsource_text = "«x»"\ninterpretation = "I"\nnote = "n"',
                 "unknown field 'note'", id="unknown-field"),
    pytest.param('document = "lymphoma"\nsection = "S"\nsource_text = "«x»"\ninterpretation = "I"',
                 "document 'lymphoma' is not one of", id="unknown-document"),
    pytest.param('document = "myeloma"\nsection = "S"\ninterpretation = "I"',
                 "needs one of source_text and source_quotes", id="no-source"),
    pytest.param('document = "myeloma"\nsection = "S"\nsource_text = "«x»"\nsource_quotes = ["q"]\n'
                 'interpretation = "I"', "needs one of source_text and source_quotes", id="both-sources"),
    pytest.param('document = "myeloma"\nsection = "S"\nsource_quotes = ["unknown"]\ninterpretation = "I"',
                 "no quote 'unknown'", id="unknown-quote"),
    pytest.param('document = "myeloma"\nsource_text = "«x»"\ninterpretation = "I"', "no section", id="no-section"),
])
def test_the_data_file_is_refused_with_the_entry_and_its_problem(monkeypatch, entry, problem):
    monkeypatch.setattr(sources, "_text", lambda: f'[quotes]\nq = "«q»"\n\n[ambiguities."a.b"]\n{entry}\n')
    with pytest.raises(ValueError, match=r"\[a\.b\]: .*" + re.escape(problem)):
        sources._load()


def test_every_ambiguity_cites_a_heading_the_rules_cite():
    """The data repeats the section headings of the rules' citations; a heading changed on one side only is
    caught here: each citation is one a module declares, or made of the headings its modules name."""
    citations, headings = set(), set()
    for info in pkgutil.walk_packages(guidelines.__path__, "guidelines."):
        for name, value in vars(importlib.import_module(info.name)).items():
            if isinstance(value, Citation):
                citations.add(value)
            elif isinstance(value, str) and name.isupper():
                headings.add(value)
    headings |= {c.section for c in citations} | {c.detail for c in citations}
    stale = []
    for code, a in AMBIGUITIES["ambiguities"].items():
        citation = Citation(a["document"], a["section"], a.get("detail", ""))
        if citation not in citations and not {citation.section, citation.detail} - {""} <= headings:
            stale.append(code)
    assert stale == []
