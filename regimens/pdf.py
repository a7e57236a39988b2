"""PDF rendering: the only module that imports WeasyPrint (STYLE.md 3)."""

import functools
import os

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
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


def render_pdf(template_name, context, *, base_url=None):
    """Render a Django template to PDF bytes (A4, page x of y, from static/css/print.css)."""
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[print_stylesheet()])
