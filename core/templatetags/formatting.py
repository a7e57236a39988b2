"""Template filters of the formatting layer (core/formatting.py), loaded with ``{% load formatting %}``
(settings.TEMPLATES registers this library; core is no installed app):
``{{ value|quantity:"egfr" }}`` → ``72 mL/min/1,73 m²``; ``{{ value|number:"bsa" }}`` → ``1,84``."""

from django import template

from core.formatting import format_quantity

register = template.Library()


@register.filter
def quantity(value, kind):
    """``value`` at the precision of ``kind``, with its unit; "—" when unknown."""
    return format_quantity(None if value == "" else value, kind)


@register.filter
def number(value, kind):
    """``value`` at the precision of ``kind``, without the unit; "—" when unknown."""
    return format_quantity(None if value == "" else value, kind, unit=False)
