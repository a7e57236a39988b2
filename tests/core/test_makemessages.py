"""``manage.py makemessages`` keeps the translations of guidelines/data/ambiguities.toml (ADR 0029): the data's
English texts are extracted beside the gettext_noop() strings of the source, so msgmerge keeps their Norwegian
forms instead of marking them obsolete (``#~``)."""

import shutil

import pytest
from django.core.management import call_command

from core.management.commands.makemessages import po_string, pot_entries, python_format
from guidelines.sources import AMBIGUITIES, translatable_texts

pytestmark = pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")

MRI = AMBIGUITIES["ambiguities"]["workup.ambiguity_mri_boundary"]["interpretation"]
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: nb\\n"\n'


def test_makemessages_keeps_the_translation_of_an_interpretation_in_the_data(tmp_path, settings, monkeypatch):
    (tmp_path / "app.py").write_text('gettext_noop("A source string")\n', encoding="utf-8")
    po = tmp_path / "locale" / "nb" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(HEADER + f'\n#, python-format\nmsgid "{MRI}"\nmsgstr "Nøyaktig 10 %% klonale plasmaceller"\n',
                  encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["nb"], verbosity=0)
    text = po.read_text(encoding="utf-8")
    assert "#~" not in text
    assert 'msgstr "Nøyaktig 10 %% klonale plasmaceller"' in text
    assert "#: guidelines/data/ambiguities.toml:" in text and 'msgid "A source string"' in text


def test_the_javascript_catalogue_gets_no_engine_text(tmp_path, settings, monkeypatch):
    (tmp_path / "app.js").write_text('gettext("A script string");\n', encoding="utf-8")
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["nb"], domain="djangojs", verbosity=0)
    text = (tmp_path / "locale" / "nb" / "LC_MESSAGES" / "djangojs.po").read_text(encoding="utf-8")
    assert 'msgid "A script string"' in text and "ambiguities.toml" not in text


def test_every_interpretation_and_marked_source_text_is_a_msgid():
    texts = [text for _line, text in translatable_texts()]
    assert len(texts) == len(AMBIGUITIES["ambiguities"]) + sum(
        bool(e.get("translate_source_text")) for e in AMBIGUITIES["ambiguities"].values())
    pot = pot_entries(translatable_texts())
    assert [text for text in texts if f"msgid {po_string(text)}" not in pot] == []


@pytest.mark.parametrize(("text", "flagged"), [
    pytest.param("Exactly 10 %% clonal plasma cells", True, id="escaped-per-cent"),
    pytest.param("%(line)s lists refractoriness", True, id="placeholder"),
    pytest.param("«MR helkropp … >10 % plasmaceller»", False, id="seed-per-cent-sign"),
    pytest.param("Saturation ≥ 92 % on room air", False, id="per-cent-before-a-letter"),
    pytest.param("no per-cent sign", False, id="plain"),
])
def test_python_format_is_flagged_as_xgettext_flags_it(text, flagged):
    assert python_format(text) is flagged


def test_a_quote_in_a_msgid_is_escaped():
    assert 'msgid "the «word» \\"quoted\\""' in pot_entries([(3, 'the «word» "quoted"')])
