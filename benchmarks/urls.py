"""The app's URLs plus /bench/trivial/, the baseline of the benchmark ratios.
Used by benchmarks/settings.py only: the app itself never serves this view."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as app_urlpatterns


@require_safe
def trivial(request):
    """The least a login-protected page does: middleware, session, user, a response.
    Login is required (LoginRequiredMiddleware), as for every page of the app."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench-trivial"), *app_urlpatterns]
