"""PDF rendering: the only module that imports WeasyPrint (STYLE.md 3)."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

_PRINT_CSS = "css/print.css"


def render_pdf(template_name, context, *, base_url=None):
    """Render a Django template to PDF bytes (A4, page x of y, from static/css/print.css)."""
    html = render_to_string(template_name, context)
    stylesheet = CSS(filename=finders.find(_PRINT_CSS))
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[stylesheet])
