"""Template filters of the formatting layer (core/formatting.py), loaded with ``{% load formatting %}``
(settings.TEMPLATES registers this library; core is no installed app):
``{{ value|quantity:"egfr" }}`` → ``72 mL/min/1,73 m²``; ``{{ value|number:"bsa" }}`` → ``1,84``;
``{{ code|drug }}`` → ``lenalidomid`` (core/messages.py ``drug_name``); ``{{ value|dose:"mg" }}`` → ``2,39 mg``
(every significant digit, as ``format_dose`` writes a dose); ``{{ code|route }}`` → ``p.o.``;
``{{ code|response }}`` → ``ikke evaluerbar``; ``{{ reason|change_reason }}`` → ``nytt utkast fra versjon 3: …``."""

from django import template

from core.change_reasons import reason_text
from core.formatting import format_dose, format_quantity, format_route
from core.messages import drug_name, response_name

register = template.Library()
# a code in the reader's words, as core/messages.py and core/formatting.py write it
register.filter("drug", drug_name)
register.filter("response", response_name)
register.filter("change_reason", reason_text)
register.filter("route", format_route)


@register.filter
def quantity(value, kind):
    """``value`` at the precision of ``kind``, with its unit; "—" when unknown."""
    return format_quantity(None if value == "" else value, kind)


@register.filter
def number(value, kind):
    """``value`` at the precision of ``kind``, without the unit; "—" when unknown."""
    return format_quantity(None if value == "" else value, kind, unit=False)


@register.filter
def dose(value, unit):
    """A dose as recorded, with its unit: every significant digit, the reader's separator; "—" when unknown."""
    return "—" if value is None or value == "" else format_dose(value, unit)
