"""Responses that can carry patient data are never stored by a browser or proxy."""

from django.utils.cache import add_never_cache_headers


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
