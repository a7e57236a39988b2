"""The engine's messages (guidelines.messages) in the reader's language.

``render(text)`` translates a ``Message``'s template through the gettext catalogues
(``locale/``) and fills it with its parameters written for the reader: numbers at their kind's
precision (core.formatting) with the reader's decimal separator, dates ``dd.mm.åååå`` in
Norwegian, drug names and other ``Term``s translated, the guideline's ``Quote``s as written. A
plain string (text that is not a message) is returned as it is.
"""

from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext

from core.formatting import KINDS, format_date, format_datetime, format_number, format_quantity
from guidelines.messages import Message, Quantity, Quote, Term


def render(text) -> str:
    """``text`` (a Message, or any string) in the active language."""
    if isinstance(text, Message):
        template = gettext(text.template) if text.template else str(text)
        try:
            return template % {k: render_param(v) for k, v in text.params.items()}
        except (KeyError, ValueError, TypeError):
            # A translation whose placeholders do not match its msgid (the catalogue test guards
            # against it): the English text rather than a broken sentence.
            return str(text)
    return "" if text is None else str(text)


def render_all(texts) -> list[str]:
    return [render(t) for t in texts or ()]


def render_param(value) -> str:
    if isinstance(value, Message):
        return render(value)
    if isinstance(value, Quote):
        return str(value)
    if isinstance(value, Quantity):
        number = localize_number(value.value, value.kind)
        return f"{number} {value.unit}" if value.unit else number
    if isinstance(value, Term):
        return gettext(value.word)
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | float | Decimal):
        return localize_number(value, "")
    if isinstance(value, list | tuple):
        return ", ".join(render_param(v) for v in value)
    return str(value)


def localize_number(value, kind: str = "") -> str:
    """``value`` at its kind's precision (core.formatting's table) with the reader's decimal
    separator; a value of no kind as given, every significant digit."""
    if kind in KINDS:
        return format_quantity(value, kind, unit=False)
    return format_number(value)
