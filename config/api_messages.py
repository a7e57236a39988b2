"""The API's clinical text in the caller's language, with each text's structured message beside it.

The engine writes its sentences as messages (guidelines.messages: a stable code, an English template
and its parameters). An API answer keeps every text field where the contract has it, rendered in the
language the request asks for with ``Accept-Language`` (``nb`` → Norwegian bokmål; ``en``, any other
language or none → English, the engine's own text), and adds beside it the message in its structured
form (``guidelines.messages.structured``: ``{"code", "params"}``, ``code`` None for a text that is not
a message):

- beside a list of texts ``X`` (``reasons``, ``notes`` …) a list ``X_messages`` in the same order;
- beside a single text ``Y`` (an option's ``note``, an ambiguity's ``interpretation`` …) ``Y_message``.

The language is chosen per request and held only while the answer is rendered
(``translation.override``): it is never written to the session or a cookie, so the API's choice does
not change the language of the caller's pages, and the pages' language does not change the API's.
"""

from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from core.messages import render
from guidelines.messages import Message, structured

NORWEGIAN = ("nb", "no")

# Fields that always hold clinical text, so that an empty list gets its (empty) ``X_messages`` too and a
# client finds the same keys in every answer. Any other list or string holding a message is found by
# its content.
TEXT_LISTS = frozenset({
    "reasons", "notes", "investigations", "working", "high_risk_reasons", "workup", "rehabilitation",
    "exclusions", "tests", "imaging", "triggers",
})
TEXT_FIELDS = frozenset({"note", "text", "interpretation", "message", "condition", "place", "interval"})


def api_language(request) -> str:
    """``nb`` when the caller's most preferred language is Norwegian (nb, or no), else ``en``."""
    header = request.headers.get("Accept-Language", "")
    for language, _quality in parse_accept_lang_header(header):
        if language == "*":
            continue
        return "nb" if language.lower().split("-")[0] in NORWEGIAN else "en"
    return "en"


def localized(data, request, *, text_lists=TEXT_LISTS, text_fields=TEXT_FIELDS):
    """``data`` (an engine answer as JSON-ready dicts and lists) with every text rendered in the request's
    language and its structured message beside it (see the module docstring)."""
    language = api_language(request)
    # English is the engine's own text (ISO dates, a full stop: the contract's text since v1); bokmål
    # is rendered through the catalogue with the reader's separator and dd.mm.åååå.
    text = render if language == "nb" else _english
    with translation.override(language):
        return _walk(data, text_lists, text_fields, text)


def _english(value) -> str:
    return "" if value is None else str(value)


def _is_text_list(key, value, text_lists) -> bool:
    return (isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
            and (key in text_lists or any(isinstance(v, Message) for v in value)))


def _walk(value, text_lists, text_fields, render=render):
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if _is_text_list(key, item, text_lists):
                out[key] = [render(v) for v in item]
                out[f"{key}_messages"] = [structured(v) for v in item]
            elif isinstance(item, str) and (isinstance(item, Message) or key in text_fields):
                out[key] = render(item)
                out[f"{key}_message"] = structured(item)
            else:
                out[key] = _walk(item, text_lists, text_fields, render)
        return out
    if isinstance(value, list | tuple):
        return [_walk(v, text_lists, text_fields, render) for v in value]
    if isinstance(value, Message):  # a text in a list of other things
        return render(value)
    return value
