"""The language of the pages (issue 12): Norwegian bokmål unless the user chose otherwise.

The browser's own language (Accept-Language) is not a choice: a ward computer set up in English
still shows the pages in bokmål. The choice is the language switch in the navbar, kept

- on the user (``Preferences``), for every session on every computer, once they are signed in;
- in the language cookie (a year), for that browser, also before signing in (the login page).

A request's language: the signed-in user's stored choice (copied into the session at login and by
the switch, so no page asks the database for it), else the browser's cookie, else
settings.LANGUAGE_CODE. The JSON API is apart (config/middleware.py): it answers in the language
its caller asks for with Accept-Language.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

SESSION_KEY = "_language"


def is_supported(code):
    return code in dict(settings.LANGUAGES)


def for_page(request):
    """The language of a page for ``request`` (see the module docstring)."""
    session = getattr(request, "session", None)
    for code in (session.get(SESSION_KEY) if session is not None else None,
                 request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)):
        if is_supported(code):
            return code
    return settings.LANGUAGE_CODE


API_DEFAULT_LANGUAGE = "en"


def for_api(request):
    """The language an API caller asks for: the first supported one of Accept-Language (nb or en),
    else English, the language of the contract (shared/contract/api-v1.md) that machine clients
    were built against. Neither the cookie nor the session counts: an API answer depends on its
    request only."""
    for code, _quality in trans_real.parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return API_DEFAULT_LANGUAGE


def remember_in_session(request, code):
    request.session[SESSION_KEY] = code


def restore_on_login(sender, request, user, **kwargs):
    """user_logged_in: the user's stored choice becomes the session's language."""
    from accounts.models import Preferences

    stored = Preferences.objects.filter(user=user).values_list("language", flat=True).first()
    if request is not None and hasattr(request, "session") and is_supported(stored):
        remember_in_session(request, stored)
