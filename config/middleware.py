"""Site-wide middleware: no response is stored by a browser or proxy; the language of a request."""

from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from accounts import language

API_PREFIX = "/api/"


class NoStoreMiddleware:
    """``Cache-Control: no-store`` and ``Pragma: no-cache`` on every response Django
    renders: pages, fragments, API answers, PDFs, redirects and errors alike.
    Static files never reach it (WhiteNoise answers them earlier, cacheable)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)  # max-age=0, no-cache, no-store, must-revalidate, private
        response["Pragma"] = "no-cache"
        return response


class LanguageMiddleware:
    """In place of Django's LocaleMiddleware, whose first guess is the browser's Accept-Language.
    Pages: the user's own choice, else bokmål (accounts/language.py: it reads the session, so it
    comes after SessionMiddleware). The JSON API under /api/: the language
    its caller asks for with Accept-Language (nb or en), else bokmål."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path_info.startswith(API_PREFIX)
        translation.activate(language.for_api(request) if api else language.for_page(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",) if api else ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
