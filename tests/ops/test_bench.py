"""The benchmark's own pieces (no timing asserted): its trivial view needs login
like every page, wrk's output is read right, the report shows every goal."""

import pytest
from django.test import override_settings

from benchmarks import run


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="benchmarks.urls")
def test_trivial_view_requires_login(client, physician):
    anonymous = client.get("/bench/trivial/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client.force_login(physician)
    response = client.get("/bench/trivial/")
    assert response.status_code == 200 and response.content == b"ok"


def test_trivial_view_is_not_in_the_app_urls(client, db):
    assert client.get("/bench/trivial/").status_code in (302, 404)
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve("/bench/trivial/")


@pytest.mark.parametrize(("text", "seconds"), [("10.01s", 10.01), ("1.50m", 90.0), ("850.00ms", 0.85)],
                         ids=["seconds", "minutes", "milliseconds"])
def test_wrk_durations(text, seconds):
    assert run._wrk_seconds(text) == pytest.approx(seconds)


def test_side_by_side_runs_every_case_each_round():
    calls = []
    medians, rounds, minimums = run.side_by_side(
        {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, rounds=4, warmup=1
    )
    assert rounds == 4 and set(medians) == set(minimums) == {"a", "b"}
    assert calls == ["a", "b", "a", "b", "b", "a", "a", "b", "b", "a"]  # warm-up, then alternating order


def test_a_case_that_times_its_own_request_is_counted_by_its_own_time():
    """(e) switches a mechanism off around one request: the switch is not the page's time."""
    medians, _rounds, minimums = run.side_by_side({"self-timed": lambda: 0.5, "plain": lambda: None},
                                                  rounds=3, warmup=0)
    assert medians["self-timed"] == minimums["self-timed"] == 0.5
    assert medians["plain"] < 0.5


def test_report_names_each_goal_and_its_verdict():
    views = {
        "a": {"medians": {"trivial": 1.0, "evaluate": 1.5, "trivial_bearer": 1.0, "evaluate_bearer": 3.0},
              "minimums": {"trivial": 1.0, "evaluate": 1.4, "trivial_bearer": 1.0, "evaluate_bearer": 2.0},
              "rounds": 10},
        "b": {"medians": {"trivial": 1.0, "overview_10y": 4.0, "overview_1y": 3.5, "home": 2.0,
                          "presenters_10y": 1.0},
              "minimums": {"trivial": 1.0, "overview_10y": 4.0, "overview_1y": 3.5, "home": 2.0},
              "rounds": 10, "queries": {"1y": 16, "10y": 16}, "page_bytes": 2048},
    }
    pdf = {"medians": {"weasyprint": 1.0, "render_pdf": 1.1}, "minimums": {"weasyprint": 1.0, "render_pdf": 1.0},
           "rounds": 3, "administrations": 28, "pages": 6,
           "full": {"administrations": 168, "cycles": 6, "pages": 33, "seconds": 9.0}}
    load = {"trivial": {"requests": 100, "seconds": 1.0, "rps": 100.0, "errors": 0, "max_requests": 200,
                        "max_seconds": 1, "tool": "wrk"}}
    counts = {"labs_1y": 60, "labs_10y": 600, "lines_1y": 1, "lines_10y": 6}
    info = {"date": "today", "nproc": 2, "cpu": "x", "memory": "1 GiB", "os": "Linux", "python": "3.13",
            "django": "6.1", "weasyprint": "70", "sqlite": "3", "gunicorn": "gunicorn (version 27)", "wrk": "wrk",
            "load": "0.5 / 0.5 / 0.5", "load_start": "0.5 / 0.5 / 0.5"}
    table, _rounds, load_table, _machine = run.report(info, counts, views, pdf, load)
    assert "| **1.50×** | 1.40× | ≤ 2× | met |" in table
    assert "| **4.00×** | 4.00× | ≤ 3× | NOT met |" in table
    assert "| 16 vs 16 | | | | equal | met |" in table
    assert "| **1.10×** | 1.00× | ≤ 1.15× | met |" in table
    assert "| **100** | 0 |" in load_table


def test_the_document_template_is_its_own_file():
    """docs/benchmarks.md is written from benchmarks/report_template.md (a str.format template:
    literal braces doubled), filled with the last run's four parts."""
    from pathlib import Path

    from benchmarks import report

    template = Path(report.__file__).with_name("report_template.md")
    assert report.DOC == template.read_text(encoding="utf-8")
    text = report.DOC.format(machine="MACHINE", table="TABLE", rounds="ROUNDS", load="LOAD")
    assert text.startswith("# Benchmarks\n")
    assert text.endswith("## Last run\n\nMACHINE\n\nTABLE\n\nROUNDS\n\n### Throughput\n\nLOAD\n")


def test_report_applies_the_4x_rule_to_the_summary_cache():
    """Issue 11 item 6: the cache stays only if the overview without it is more than 4× the trivial view."""
    e = {"medians": {"trivial": 1.0, "overview": 2.0, "overview_uncached": 4.5},
         "minimums": {"trivial": 1.0, "overview": 2.0, "overview_uncached": 4.0},
         "rounds": 10, "queries": {"trivial": 5, "overview": 9, "overview_uncached": 17}}
    cached, uncached = run.alternatives_rows(e)
    assert "(9 queries) | 2000.00 ms | trivial view 1000.00 ms | 2.00× | 2.00× | — |  |" in cached
    assert "| **4.50×** | 4.00× | ≤ 4× | NOT met: the summary cache stays |" in uncached and "17 queries" in uncached
    e["medians"]["overview_uncached"] = 3.9
    assert "| **3.90×** | 4.00× | ≤ 4× | met: the summary cache is not needed |" in run.alternatives_rows(e)[1]
    assert run.alternatives_rows(None) == []
