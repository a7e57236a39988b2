"""The overview's lab section: its own htmx fragment (``?labs=1``), requested by the
page once loaded, and inline in the page without JavaScript. Same login and
permission as the page; it carries every charted result and the latest results."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarks.history import make_patient
from patients import actions
from tests.personas import in_english

HTMX = {"HTTP_HX_REQUEST": "true"}
SECTION = {"labs": "1"}


@pytest.fixture
def with_labs(patient, physician):
    today = timezone.localdate()
    for days, m, hb in ((90, "30", "11.5"), (60, "22", "11.9"), (30, "12.5", "12.4")):
        date = today - datetime.timedelta(days=days)
        actions.record_lab_result(by=physician, patient=patient, date=date, analyte="m_protein", value=m,
                                  isotype="IgG")
        actions.record_lab_result(by=physician, patient=patient, date=date, analyte="hemoglobin", value=hb)
    return patient


def url(patient):
    return reverse("patients:overview", args=[patient.pk])


def chart_data(text):
    match = re.search(r'<script id="lab-chart-data" type="application/json">(.*?)</script>', text, re.S)
    return json.loads(match.group(1))


def test_lab_section_anonymous_redirects_to_login(client, with_labs):
    response = client.get(url(with_labs), SECTION, **HTMX)
    assert response.status_code == 302 and "login" in response["Location"]


def test_lab_section_without_role_is_forbidden(client_for, no_rights_user, with_labs):
    response = client_for(no_rights_user).get(url(with_labs), SECTION, **HTMX)
    assert response.status_code == 403
    assert "lab-chart-data" not in response.text


def test_lab_section_unknown_patient_is_404(client_for, nurse, db):
    assert client_for(nurse).get(reverse("patients:overview", args=[999]), SECTION, **HTMX).status_code == 404


def test_lab_section_fragment_holds_every_charted_value_and_the_table(client_for, nurse, with_labs):
    response = in_english(client_for(nurse)).get(url(with_labs), SECTION, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="lab-section"' in response.text
    assert "HX-Request" in response["Vary"]
    charts = {c["key"]: c for c in chart_data(response.text)}
    assert set(charts) == {"m_protein", "hemoglobin"}
    assert charts["m_protein"]["series"][0]["data"] == [30.0, 22.0, 12.5]  # as recorded, oldest first
    assert charts["hemoglobin"]["series"][0]["data"] == [11.5, 11.9, 12.4]
    assert 'data-chart="m_protein"' in response.text
    assert response.text.count("<tr>") == 1 + 6  # header + the six results
    assert 'id="analyte-filter"' in response.text
    assert "<script>" not in response.text  # CSP: data only as application/json


def test_page_asks_for_the_lab_section_after_loading_with_a_link_without_javascript(client_for, nurse, with_labs):
    response = in_english(client_for(nurse)).get(url(with_labs))
    text = response.text
    placeholder = re.search(r'<section id="lab-section"[^>]*>', text, re.S).group(0)
    assert f'hx-get="{url(with_labs)}?labs=1"' in placeholder and 'hx-trigger="load"' in placeholder
    assert f'href="{url(with_labs)}?labs=1#lab-section"' in text
    assert "lab-chart-data" not in text and 'data-testid="lab-table"' not in text
    assert "js/lab-charts.js" in text


def test_page_without_javascript_shows_the_lab_section_in_place(client_for, nurse, with_labs):
    response = client_for(nurse).get(url(with_labs), SECTION)
    assert "<html" in response.text and 'data-testid="patient-name"' in response.text
    assert f'hx-get="{url(with_labs)}?labs=1"' not in response.text  # the section itself, not its placeholder
    assert {c["key"] for c in chart_data(response.text)} == {"m_protein", "hemoglobin"}
    assert 'data-testid="lab-table"' in response.text


def test_filter_without_javascript_shows_the_page_with_the_filtered_table(client_for, nurse, with_labs):
    response = client_for(nurse).get(url(with_labs), {"analyte": "hemoglobin"})
    assert "<html" in response.text and 'data-testid="lab-table"' in response.text
    assert [r["unit"] for r in response.context["labs"]] == ["g/dL"] * 3


def test_page_reads_no_lab_results(client_for, nurse, with_labs):
    client = client_for(nurse)
    client.get(url(with_labs))
    with CaptureQueriesContext(connection) as captured:
        client.get(url(with_labs))
    assert not [q for q in captured.captured_queries if "patients_labresult" in q["sql"]]


def test_lab_section_query_count_does_not_grow_with_history(client_for, physician):
    short = make_patient(by=physician, name="Ett År", serial=1, years=1, visits_per_year=4, lines=1)
    long = make_patient(by=physician, name="Ti År", serial=2, years=10, visits_per_year=4, lines=6)
    client = client_for(physician)
    counts = []
    for patient in (short, long):
        client.get(url(patient), SECTION, **HTMX)  # warm caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(patient), SECTION, **HTMX)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
    assert len(chart_data(response.text)[0]["labels"]) == 10 * 4  # every visit of ten years charted


@pytest.mark.parametrize("typed", ["0.1", "12.345", "0.333", "149.999", "7"],
                         ids=["0.1", "three decimals", "repeating in binary", "three decimals near 150", "integer"])
def test_chart_value_is_the_recorded_value(client_for, nurse, patient, physician, typed):
    """The chart reads values as floats from the database: the same float as the recorded decimal."""
    actions.record_lab_result(by=physician, patient=patient, date=timezone.localdate(), analyte="m_protein",
                              value=typed)
    response = client_for(nurse).get(url(patient), SECTION, **HTMX)
    chart = next(c for c in chart_data(response.text) if c["key"] == "m_protein")
    assert chart["series"][0]["data"] == [float(typed)]
