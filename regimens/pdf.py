"""PDF rendering: the only module that imports WeasyPrint (STYLE.md 3)."""

import functools
import os
import re

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext
from weasyprint import CSS, HTML

_PRINT_CSS = "css/print.css"


@functools.lru_cache(maxsize=4)
def _stylesheet(path, mtime_ns):
    """The parsed print stylesheet, parsed once per file version: WeasyPrint
    reuses its work on a stylesheet it has seen, so a fresh parse per PDF made
    every dosing sheet ~20 % slower (docs/benchmarks.md, (c))."""
    return CSS(filename=path)


def print_stylesheet():
    path = finders.find(_PRINT_CSS)
    return _stylesheet(path, os.stat(path).st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _page_numbers(page, of):
    """«Side 2 av 3» / «Page 2 of 3» at the foot of every page, in the document's language (print.css sets
    the place and the font)."""
    page, of = (word.replace('"', "") for word in (page, of))
    return CSS(string=f'@page {{ @bottom-right {{ content: "{page} " counter(page) " {of} " counter(pages); }} }}')


def page_numbers(language):
    with translation.override(language):
        return _page_numbers(pgettext("page x of y", "Page"), pgettext("page x of y", "of"))


def render_pdf(template_name, context, *, base_url=None):
    """Render a Django template to PDF bytes (A4, page x of y in the language its ``<html lang>`` names,
    from static/css/print.css)."""
    # the reader's language for ``<html lang>`` (no request here, so no context processor); a copy, the
    # caller's context is left as it was
    html = render_to_string(template_name, {"LANGUAGE_CODE": translation.get_language(), **context})
    found = re.search(r'<html lang="([\w-]+)"', html)
    language = found.group(1) if found else translation.get_language()
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[print_stylesheet(), page_numbers(language)])
