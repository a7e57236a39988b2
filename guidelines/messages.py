"""Clinical text as messages: what the engine says, as a stable code and its parameters.

The engine is pure (no Django), so it cannot translate. Each sentence it writes is a
``Message``: a stable ``code`` (the API's fixed name for it), an English ``template`` with
``%(name)s`` placeholders, and the ``params`` that fill them — numbers with their units
(``Quantity``), dates, words the reader's language names (``Term``: drug names, outcomes),
nested messages, and the guideline's own Norwegian words (``Quote``, never translated).

A ``Message`` *is* the English sentence (a ``str``), so the engine's tests, its logs and the
API's default text read as before; the web layer (``core.messages.render``) renders the same
message through Django's gettext catalogues in the reader's language, with the reader's
decimal separator and each quantity's precision (``guidelines.quantities``).

Writing a message::

    msg("iss.stage_iii", gettext_noop("ISS III: β2-microglobulin %(b2m)s ≥ 5.5 mg/L"),
        b2m=Quantity(b2m, "mg/L"))

The template is written inline, inside ``gettext_noop(...)``, so that ``makemessages`` finds it
(``gettext_noop`` is one of xgettext's keywords; here it is a local no-op, Django is not
imported). A literal per-cent sign is written ``%%``. One code has one template
(``tests/guidelines/test_messages.py`` reads every ``msg(...)`` call of the engine and checks
that, and that every template has its Norwegian translation). The ambiguities' interpretations
are data instead (guidelines/data/ambiguities.toml, built by ``guidelines.sources.ambiguity``);
the project's ``makemessages`` extracts them too and the test reads them as well (ADR 0029).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from guidelines.quantities import display_value


def gettext_noop(template: str) -> str:
    """Marks a template for the translators (xgettext keyword); returns it unchanged."""
    return template


@dataclass(frozen=True)
class Quantity:
    """A number with its unit. ``kind`` names its precision rule (guidelines.quantities):
    ``""`` prints the number as given (an input is never rounded)."""

    value: float | int | Decimal
    unit: str = ""
    kind: str = ""

    def __str__(self):
        text = display_value(self.value, self.kind)
        return f"{text} {self.unit}" if self.unit else text


@dataclass(frozen=True)
class Term:
    """A word the reader's language names: a drug (``Term("lenalidomide")``), an outcome, a
    class. ``word`` is the English msgid; the web layer translates it."""

    word: str

    def __str__(self):
        return self.word


class Quote(str):
    """The guideline's own words, shown as written (Norwegian or Danish), never translated."""


class Message(str):
    """One sentence of the engine: the English text, with ``code``, ``template`` and ``params``.

    Build it with ``msg``. (``__new__`` takes the text alone as well, which is how ``copy`` and
    ``dataclasses.asdict`` rebuild it before restoring ``__dict__``.)"""

    code: str
    template: str
    params: dict

    def __new__(cls, text, code="", template="", params=None):
        self = super().__new__(cls, text)
        self.code, self.template, self.params = code, template or text, dict(params or {})
        return self

    def __html__(self):
        """The message for an HTML page (Django templates call this): rendered by the web layer's
        renderer in the reader's language (``set_html_renderer``), else the English text, escaped."""
        return _html_renderer[0](self)

    def __reduce__(self):
        return (Message, (str(self), self.code, self.template, self.params))

    def structured(self) -> dict:
        """The API's form: ``{"code", "params"}`` with JSON-ready parameter values."""
        return {"code": self.code, "params": {k: _json_param(v) for k, v in self.params.items()}}


def _escape(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


_html_renderer = [_escape]


def set_html_renderer(renderer) -> None:
    """Installs the web layer's renderer (message → escaped HTML text); core does this at start."""
    _html_renderer[0] = renderer


def msg(code: str, template: str, **params) -> Message:
    """The message ``code`` with ``template`` filled by ``params`` (English)."""
    return Message(template % {k: english(v) for k, v in params.items()}, code, template, params)


def english(value) -> str:
    """A parameter as the English text writes it."""
    if isinstance(value, Message | Quote):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return display_value(value, "")
    if isinstance(value, list | tuple):
        return ", ".join(english(v) for v in value)
    return str(value)


def _json_param(value):
    if isinstance(value, Message):
        return value.structured()
    if isinstance(value, Quantity):
        return {"value": float(value.value) if isinstance(value.value, Decimal) else value.value,
                "unit": value.unit, **({"kind": value.kind} if value.kind else {})}
    if isinstance(value, Term):
        return {"term": value.word}
    if isinstance(value, Quote):
        return {"quote": str(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [_json_param(v) for v in value]
    return value


def structured(text) -> dict:
    """Any engine text in the API's structured form: a message's code and params, or, for a
    text that is not (yet) a message, ``{"code": None, "params": {}}``."""
    if isinstance(text, Message):
        return text.structured()
    return {"code": None, "params": {}}
