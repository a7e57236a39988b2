"""(e) of `make bench`: is each speed-up mechanism still needed? Issue 11 item 6 keeps the
overview's summary cache (patients/freshness.py, docs/adr/0005-overview-summary-cache.md) and
the one-statement permission backend (accounts/auth.py) only if the page without them is more
than 4× the trivial view (docs/adr/0012-speed-mechanisms-measured.md).

Each mechanism is switched off for one request at a time, so the pages with and without it are
timed side by side in the same rounds:

- without the summary cache: the overview renders its summary on every view, from the same
  context (``records.summary_context``), with no cache key, no cache read or write and no second
  read of the data token;
- with Django's stock ModelBackend instead of ``accounts.auth.RoleBackend``: the setting
  overridden for the request, and the navbar's role names read as ModelBackend's app would read
  them (the user's groups: one statement more, beside ModelBackend's two permission reads).

A case that is only a switch returns the seconds of its request alone (``side_by_side``), so
switching costs nothing in the numbers. A mechanism the app no longer has is not measured.
"""

import time
from contextlib import ExitStack, contextmanager
from unittest import mock

RULE = 4  # issue 11 item 6: keep a mechanism only if the page without it is more than 4× the trivial view
STOCK_BACKEND = "django.contrib.auth.backends.ModelBackend"
RAW_BACKEND = "accounts.auth.RoleBackend"


def has_summary_cache():
    from patients.views import records

    return hasattr(records, "_overview_summary")


def has_raw_backend():
    from django.conf import settings

    return RAW_BACKEND in settings.AUTHENTICATION_BACKENDS


def _uncached_summary(request, patient):
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from patients.views import records

    html = render_to_string("patients/overview.html#summary", records.summary_context(request, patient), request)
    return mark_safe(html)  # noqa: S308 - our own template's output, as the view marks it


@contextmanager
def without_summary_cache():
    with mock.patch("patients.views.records._overview_summary", _uncached_summary):
        yield


def _stock_access(user):
    """accounts.auth.access as the app would have it with ModelBackend: the backend's
    permissions (its two statements, cached on the user object for the request) and the
    group names (one statement), once per user object."""
    cached = getattr(user, "_bench_stock_access", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        return frozenset(), ()
    result = (frozenset(user.get_all_permissions()),
              tuple(user.groups.order_by("name").values_list("name", flat=True)))
    user._bench_stock_access = result
    return result


@contextmanager
def with_stock_backend():
    from django.conf import settings
    from django.test import override_settings

    backends = [STOCK_BACKEND if path == RAW_BACKEND else path for path in settings.AUTHENTICATION_BACKENDS]
    with override_settings(AUTHENTICATION_BACKENDS=backends), \
            mock.patch("accounts.auth.access", _stock_access), \
            mock.patch("patients.views.records.access", _stock_access), \
            mock.patch("patients.actions.treatment_plans.access", _stock_access):
        yield


def measure_alternatives(user, ten, *, rounds=150):
    """Medians, minimums, rounds and query counts of pages with and without each mechanism the
    app still has, side by side: the 10-year overview; where the raw-SQL backend is there, also
    the start page (its permission checks and the role names are most of what it does) and
    ``POST /api/v1/evaluate`` (one permission check). None when the app has neither mechanism."""
    import json

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from benchmarks.measure import EVALUATE_BODY, _checked, side_by_side

    cache, raw = has_summary_cache(), has_raw_backend()
    if not (cache or raw):
        return None
    overview_url, home_url = reverse("patients:overview", args=[ten.pk]), reverse("home")
    body = json.dumps(EVALUATE_BODY)
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(user)
    stock_client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    with with_stock_backend():
        stock_client.force_login(user, backend=STOCK_BACKEND)  # the session names a backend in the setting

    def timed(send, *switches, stock=False):
        def call():
            with ExitStack() as stack:
                for switch in (*switches, *([with_stock_backend] if stock else [])):
                    stack.enter_context(switch())
                t0 = time.perf_counter()
                _checked(send(stock_client if stock else client))
                return time.perf_counter() - t0
        return call

    def page(url):
        return lambda c: c.get(url)

    def evaluate(c):
        return c.post("/api/v1/evaluate", body, content_type="application/json")

    cases = {"trivial": timed(page("/bench/trivial/")), "overview": timed(page(overview_url))}
    if cache:
        cases["overview_uncached"] = timed(page(overview_url), without_summary_cache)
    if raw:
        cases["overview_stock"] = timed(page(overview_url), stock=True)
        if cache:
            cases["overview_uncached_stock"] = timed(page(overview_url), without_summary_cache, stock=True)
        cases.update(home=timed(page(home_url)), home_stock=timed(page(home_url), stock=True),
                     evaluate=timed(evaluate), evaluate_stock=timed(evaluate, stock=True))
    medians, rounds_run, minimums = side_by_side(cases, rounds=rounds)
    queries = {}
    for name, call in cases.items():
        with CaptureQueriesContext(connection) as captured:
            call()
        queries[name] = len(captured.captured_queries)
    return {"medians": medians, "minimums": minimums, "rounds": rounds_run, "queries": queries,
            "cache": cache, "raw_backend": raw}
