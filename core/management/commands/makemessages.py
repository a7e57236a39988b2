"""``makemessages`` that also extracts the English texts of guidelines/data/ambiguities.toml (ADR 0029).

xgettext reads only source files: the ambiguities' interpretations (and the few source texts marked
``translate_source_text``) are data, so Django's command alone would mark their Norwegian translations
obsolete. This command appends them to the catalogue template (django.pot) after xgettext has run and
before msguniq and msgmerge, so they are merged like any gettext_noop() string, translations kept.
"""

import os
import re

from django.core.management.commands import makemessages

from guidelines.sources import AMBIGUITIES_FILE, translatable_texts

# A Python %-format directive, as xgettext recognises one (it flags a msgid python-format when each
# per-cent sign starts one, ``%%`` included).
DIRECTIVE = re.compile(r"%(\(\w+\))?[#0+-]*(\*|\d+)?(\.(\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")


def python_format(text: str) -> bool:
    return "%" in text and "%" not in DIRECTIVE.sub("", text)


def po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def pot_entries(texts) -> str:
    """The catalogue template entries of ``texts`` (line, msgid) of the data file."""
    return "".join(
        f"\n#: {AMBIGUITIES_FILE}:{line}\n" + ("#, python-format\n" if python_format(text) else "")
        + f'msgid {po_string(text)}\nmsgstr ""\n'
        for line, text in texts)


class Command(makemessages.Command):
    def process_files(self, file_list):
        super().process_files(file_list)
        if self.domain != "django" or self.default_locale_path is None:
            return
        potfile = os.path.join(self.default_locale_path, f"{self.domain}.pot")
        header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        # write_pot_file drops the header when the file exists (xgettext wrote one), keeps it otherwise
        makemessages.write_pot_file(potfile, header + pot_entries(translatable_texts()))
