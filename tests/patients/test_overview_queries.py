"""The patient overview and the facts builder run the same number of queries for
one year of history as for ten: nothing is fetched per record (no N+1)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.history import make_patient
from patients.facts import facts_for
from patients.models import LabResult, TreatmentLine


@pytest.fixture
def one_and_ten_years(physician):
    short = make_patient(by=physician, name="Ett År", serial=1, years=1, visits_per_year=4, lines=1)
    long = make_patient(by=physician, name="Ti År", serial=2, years=10, visits_per_year=4, lines=6)
    assert LabResult.objects.filter(patient=long).count() == 10 * 4 * 5
    assert TreatmentLine.objects.filter(patient=long).count() == 6
    return short, long


def _queries(call):
    with CaptureQueriesContext(connection) as captured:
        call()
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("summary", ["rendered", "cached"])
def test_overview_query_count_does_not_grow_with_history(client_for, physician, one_and_ten_years, summary):
    """Both when the clinical summary is rendered (first view after a change) and when it
    comes from the cache (patients/views/records.py)."""
    client = client_for(physician)
    counts = {}
    for patient in one_and_ten_years:
        url = reverse("patients:overview", args=[patient.pk])
        client.get(url)  # warm caches (content types, the summary)
        if summary == "rendered":
            cache.clear()
        queries = _queries(lambda url=url: client.get(url))
        counts[patient.name] = len(queries)
    assert counts["Ett År"] == counts["Ti År"], counts
    if summary == "cached":
        # session, user, the user's and the groups' permissions (ModelBackend), the role names,
        # patient, the session's save (docs/adr/0012: two more than with the one-statement backend), and
        # the stamp of the navbar's worklist counts (one query; docs/adr/0028)
        assert counts["Ti År"] <= 11, counts


def test_facts_query_count_does_not_grow_with_history(one_and_ten_years):
    short, long = one_and_ten_years
    assert len(_queries(lambda: facts_for(short))) == len(_queries(lambda: facts_for(long)))
