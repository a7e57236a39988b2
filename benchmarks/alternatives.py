"""(e) of `make bench`: is the overview's summary cache still needed? Issue 11 item 6 keeps it
(patients/freshness.py, docs/adr/0005-overview-summary-cache.md, hazard HAZ-018) only if the
page without it is more than 4× the trivial view (docs/adr/0012-speed-mechanisms-measured.md,
which also records the one-statement permission backend measured the same way and removed).

The cache is switched off for one request at a time, so the page with and without it is timed
side by side in the same rounds. Without it, the overview renders its summary on every view from
the same context (``records.summary_context``): no cache key, no cache read or write, no second
read of the data token. Such a case returns the seconds of its request alone (``side_by_side``),
so the switch costs nothing in the numbers. Once the app has no cache, nothing is compared.
"""

import time
from contextlib import contextmanager, nullcontext
from unittest import mock

RULE = 4  # issue 11 item 6: keep a mechanism only if the page without it is more than 4× the trivial view


def has_summary_cache():
    from patients.views import records

    return hasattr(records, "_overview_summary")


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


def measure_alternatives(user, ten, *, rounds=150):
    """Medians, minimums, rounds and query counts of the trivial view and of the 10-year overview
    with and without its summary cache, side by side; None when the app has no cache."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from benchmarks.measure import _checked, side_by_side

    if not has_summary_cache():
        return None
    overview_url = reverse("patients:overview", args=[ten.pk])
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(user)

    def timed(url, switch=nullcontext):
        def call():
            with switch():
                t0 = time.perf_counter()
                _checked(client.get(url))
                return time.perf_counter() - t0
        return call

    cases = {"trivial": timed("/bench/trivial/"), "overview": timed(overview_url),
             "overview_uncached": timed(overview_url, without_summary_cache)}
    medians, rounds_run, minimums = side_by_side(cases, rounds=rounds)
    queries = {}
    for name, call in cases.items():
        with CaptureQueriesContext(connection) as captured:
            call()
        queries[name] = len(captured.captured_queries)
    return {"medians": medians, "minimums": minimums, "rounds": rounds_run, "queries": queries}
