"""The engine's messages (guidelines.messages) in the reader's language.

``render(text)`` translates a ``Message``'s template through the gettext catalogues
(``locale/``) and fills it with its parameters written for the reader: numbers at their kind's
precision (core.formatting) with the reader's decimal separator, dates ``dd.mm.åååå`` in
Norwegian, drug names and other ``Term``s translated, the guideline's ``Quote``s as written. A
plain string (text that is not a message) is returned as it is.
"""

from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext, gettext_lazy

from core.formatting import KINDS, format_date, format_datetime, format_number, format_quantity, localize_unit
from guidelines.messages import Message, Quantity, Quote, Term, msg


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


def drug_name(code: str) -> str:
    """A drug's name in the reader's language, as every page and paper prints it: the drug ``Term`` of the
    engine's messages, translated by the catalogue (lenalidomid, deksametason …: guidelines/terms.py), so the
    assessment page, the plan page, the dosing sheet and the nurse's pages name a drug alike (hazard HAZ-136).
    The code itself (the contract's INN) stays the data of the API and the snapshots; a name the catalogue
    does not hold prints as written."""
    return render_param(Term(str(code))) if code else ""


# An IMWG response category (guidelines.facts.Response, the contract's code) as the reader reads it; the
# abbreviations are the same in both languages.
RESPONSE_WORDS = {"MRD_NEGATIVE_CR": gettext_lazy("MRD-negative CR"), "SCR": "sCR",
                  "NOT_EVALUABLE": gettext_lazy("not evaluable")}


def response_name(code) -> str:
    """A response category's code in the reader's words: ``NOT_EVALUABLE`` → «ikke evaluerbar», «not evaluable»;
    CR, VGPR, PR, MR, SD and PD as written."""
    return str(RESPONSE_WORDS.get(code, code or ""))


def render_param(value) -> str:
    if isinstance(value, Message):
        return render(value)
    if isinstance(value, Quote):
        return str(value)
    if isinstance(value, Quantity):
        number = localize_number(value.value, value.kind)
        return f"{number} {localize_unit(value.unit)}" if value.unit else number
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


# -- Messages kept in stored JSON (a plan's frozen snapshot) -----------------------------------------
# A snapshot is JSON: a message in it is its English text, and beside it, under ``X_message`` (a text
# ``X``) or ``X_messages`` (a list of texts ``X``), its data: code, English template and parameters
# with their types, so that a page renders the frozen text in the reader's language long after. A
# snapshot frozen before this has no data beside its texts: they read as written (the English).

def to_data(message: Message) -> dict:
    """A message as JSON-ready data that ``from_data`` reads back (template included: the text
    stays renderable even when the engine later words it differently)."""
    return {"code": message.code, "template": message.template,
            "params": {k: _param_data(v) for k, v in message.params.items()}}


def from_data(data: dict) -> Message:
    params = {k: _param_value(v) for k, v in data["params"].items()}
    return msg(data["code"], data["template"], **params)


def _param_data(value):
    if isinstance(value, Message):
        return {"message": to_data(value)}
    if isinstance(value, Quantity):
        number = value.value
        exact = isinstance(number, Decimal)
        return {"quantity": str(number) if exact else number, "decimal": exact, "unit": value.unit, "kind": value.kind}
    if isinstance(value, Term):
        return {"term": value.word}
    if isinstance(value, Quote):
        return {"quote": str(value)}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, list | tuple):
        return {"list": [_param_data(v) for v in value]}
    return value


def _param_value(data):
    if not isinstance(data, dict):
        return data
    if "message" in data:
        return from_data(data["message"])
    if "quantity" in data:
        number = Decimal(data["quantity"]) if data.get("decimal") else data["quantity"]
        return Quantity(number, data.get("unit", ""), data.get("kind", ""))
    if "term" in data:
        return Term(data["term"])
    if "quote" in data:
        return Quote(data["quote"])
    if "datetime" in data:
        return datetime.fromisoformat(data["datetime"])
    if "date" in data:
        return date.fromisoformat(data["date"])
    if "decimal" in data:
        return Decimal(data["decimal"])
    return [_param_value(v) for v in data["list"]]


def with_message_data(value):
    """``value`` (dicts and lists holding messages) as JSON-ready data: each message its English text,
    with its data beside it (``X_message`` / ``X_messages``, see above)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(item, list | tuple) and any(isinstance(v, Message) for v in item):
                out[key] = [str(v) for v in item]
                out[f"{key}_messages"] = [to_data(v) if isinstance(v, Message) else None for v in item]
            elif isinstance(item, Message):
                out[key] = str(item)
                out[f"{key}_message"] = to_data(item)
            else:
                out[key] = with_message_data(item)
        return out
    if isinstance(value, list | tuple):
        return [with_message_data(v) for v in value]
    if isinstance(value, Message):
        return str(value)
    return value


def text_of(data: dict, key: str, default="") -> str:
    """The text ``data[key]`` of stored JSON in the reader's language (its message data rendered)."""
    stored = data.get(f"{key}_message")
    return render(from_data(stored)) if stored else data.get(key, default)


def texts_of(data: dict, key: str) -> list[str]:
    """The texts of the list ``data[key]`` of stored JSON in the reader's language."""
    texts = list(data.get(key) or [])
    stored = data.get(f"{key}_messages") or [None] * len(texts)
    return [render(from_data(d)) if d else t for t, d in zip(texts, stored, strict=False)]
