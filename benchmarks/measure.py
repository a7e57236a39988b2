"""(a)-(c) of `make bench`: the in-process ratios, measured side by side (the data: benchmarks/fixtures.py)."""

import json
import statistics
import time

from benchmarks.fixtures import _dosing_snapshot, _verified_plan

EVALUATE_BODY = {  # the README's example request
    "age": 64, "sex": "male", "frailty": "fit", "transplant_contraindication": False,
    "labs": {"hemoglobin_g_dl": 9.0, "calcium_mmol_l": 2.4, "calcium_upper_limit_mmol_l": 2.6,
             "creatinine_umol_l": 90, "albumin_g_l": 40, "beta2m_mg_l": 3.0,
             "serum_m_protein_g_l": 32, "m_protein_isotype": "IgG"},
    "marrow": {"clonal_plasma_cells_pct": 40}, "imaging": {"lytic_lesions": 3},
}


def side_by_side(cases, *, rounds, warmup=3, budget_s=30.0):
    """(median seconds per call of each case, rounds run, minimum seconds per
    call of each case), calls interleaved round by round (the order reversed
    every other round). Stops early when over budget. On a busy machine noise
    only adds time, so the minimums give a second, steadier ratio. A case that
    returns a number has timed itself (seconds): that is its time, so what it
    does around the timed part (a switch of settings in (e)) is left out."""
    names = list(cases)
    for _ in range(warmup):
        for name in names:
            cases[name]()
    samples = {name: [] for name in names}
    started = time.perf_counter()
    for i in range(rounds):
        for name in names if i % 2 == 0 else reversed(names):
            t0 = time.perf_counter()
            own = cases[name]()
            elapsed = time.perf_counter() - t0
            samples[name].append(own if isinstance(own, float) else elapsed)
        if time.perf_counter() - started > budget_s and i >= 4:
            break
    return (
        {name: statistics.median(values) for name, values in samples.items()},
        len(samples[names[0]]),
        {name: min(values) for name, values in samples.items()},
    )


def _checked(response, status=200):
    if response.status_code != status:
        raise SystemExit(f"bench: {response.request['PATH_INFO']} answered {response.status_code}, expected {status}")
    return response


def measure_views(user, one, ten):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import ApiToken

    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(user)
    _, key = ApiToken.issue(user=user, name="bench")
    body = json.dumps(EVALUATE_BODY)
    trivial_url = "/bench/trivial/"
    urls = {"1y": reverse("patients:overview", args=[one.pk]), "10y": reverse("patients:overview", args=[ten.pk])}

    anonymous = Client().get(trivial_url)
    if anonymous.status_code != 302 or "login" not in anonymous["Location"]:
        raise SystemExit("bench: the trivial view must require login")

    def trivial():
        _checked(client.get(trivial_url))

    def evaluate_session():
        _checked(client.post("/api/v1/evaluate", body, content_type="application/json"))

    def evaluate_bearer():
        _checked(client.post("/api/v1/evaluate", body, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {key}"))

    def overview(period):
        return lambda: _checked(client.get(urls[period]))

    def overview_rendered(period):
        """The first view after a change: the clinical summary is not cached yet
        (docs/adr/0005-overview-summary-cache.md). Emptying the local cache costs microseconds."""
        def call():
            cache.clear()
            _checked(client.get(urls[period]))
        return call

    def lab_section(period):
        """The overview's lab section, as htmx requests it once the page has loaded."""
        return lambda: _checked(client.get(urls[period], {"labs": "1"}, HTTP_HX_REQUEST="true"))

    def home():
        _checked(client.get(reverse("home")))

    answer = json.loads(client.post("/api/v1/evaluate", body, content_type="application/json").content)
    if answer.get("diagnosis", {}).get("code") != "ACTIVE_MYELOMA":
        raise SystemExit(f"bench: unexpected evaluate answer {str(answer)[:200]}")

    results = {}
    medians, rounds, minimums = side_by_side({"trivial": trivial, "evaluate": evaluate_session}, rounds=400)
    # Apart: a bearer request writes last_used_at (at most once a minute since wip-perf; before, every time).
    bearer_medians, _, bearer_minimums = side_by_side(
        {"trivial_bearer": trivial, "evaluate_bearer": evaluate_bearer}, rounds=200
    )
    results["a"] = {"medians": {**medians, **bearer_medians}, "rounds": rounds,
                    "minimums": {**minimums, **bearer_minimums}}

    medians, rounds, minimums = side_by_side(
        {"trivial": trivial, "overview_10y": overview("10y"), "overview_1y": overview("1y"), "home": home,
         "labs_10y": lab_section("10y")},
        rounds=150,
    )
    # Apart: emptying the cache would also empty the other cases' cached summaries.
    rendered_medians, _, rendered_minimums = side_by_side(
        {"trivial_rendered": trivial, "overview_10y_rendered": overview_rendered("10y")}, rounds=150
    )
    medians.update(rendered_medians)
    minimums.update(rendered_minimums)
    queries, lab_queries = {}, {}
    for period, url in urls.items():
        _checked(client.get(url))  # the summary cached
        with CaptureQueriesContext(connection) as captured:
            _checked(client.get(url))
        queries[period] = len(captured.captured_queries)
    for period in urls:
        with CaptureQueriesContext(connection) as captured:
            overview_rendered(period)()
        queries[f"{period}_rendered"] = len(captured.captured_queries)
        with CaptureQueriesContext(connection) as captured:
            lab_section(period)()
        lab_queries[period] = len(captured.captured_queries)
    page_bytes = len(client.get(urls["10y"]).content)
    lab_bytes = len(client.get(urls["10y"], {"labs": "1"}, HTTP_HX_REQUEST="true").content)

    def presenters_10y():
        """The presenters of the page (not of its lab section, measured with the fragment)."""
        from patients import presenters, queries

        presenters.identity_card(ten), presenters.latest_body(queries.latest_body(ten))
        presenters.treatment_timeline(queries.treatment_lines(ten))
        presenters.latest_findings(queries.latest_findings(ten))

    presenter_medians, _, _ = side_by_side({"presenters_10y": presenters_10y}, rounds=60)
    results["b"] = {"medians": {**medians, **presenter_medians}, "minimums": minimums, "rounds": rounds,
                    "queries": queries, "lab_queries": lab_queries,
                    "page_bytes": page_bytes, "lab_bytes": lab_bytes}
    return results


def measure_plan_pdf(user, patient):
    """(c) as the brief wants it once plans exist: the full request
    GET /patients/<pk>/plans/<plan>/dosing-sheet.pdf against WeasyPrint on the
    same HTML with the same parsed stylesheet. None when the app has no plans."""
    from django.template.loader import render_to_string
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation
    from weasyprint import HTML

    from regimens.pdf import print_stylesheet

    plan = _verified_plan(user, patient)
    if plan is None:
        return None
    from patients import presenters, queries

    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(user)
    url = reverse("patients:plan_sheet_pdf", args=[patient.pk, plan.pk])
    with translation.override("nb"):
        html = render_to_string("regimens/dosing_sheet_pdf.html",
                                presenters.plan_sheet(plan, active_versions=queries.active_versions()))
    stylesheet = print_stylesheet()

    def request():
        response = _checked(client.get(url))
        assert response.content.startswith(b"%PDF")

    def weasyprint_direct():
        with translation.override("nb"):
            assert HTML(string=html).write_pdf(stylesheets=[stylesheet]).startswith(b"%PDF")

    medians, rounds, minimums = side_by_side({"weasyprint": weasyprint_direct, "request": request},
                                             rounds=8, warmup=1, budget_s=60)
    pages = _pages(client.get(url).content)
    return {"medians": medians, "minimums": minimums, "rounds": rounds, "pages": pages,
            "administrations": len(plan.snapshot["schedule"]["administrations"]), "url": url}


def _pages(pdf):
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def measure_pdf():
    """(c) the full course of VRd induction (6 cycles: the issue-14 sheet, a cover and one page per
    cycle) through the app's path, side by side with WeasyPrint on the same HTML: the ratio."""
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    from regimens.pdf import print_stylesheet, render_pdf
    from regimens.sheets import dosing_sheet_context

    template = "regimens/dosing_sheet_pdf.html"
    snapshot = _dosing_snapshot()
    with translation.override("nb"):
        html = render_to_string(template, dosing_sheet_context(snapshot))
        # The same parsed stylesheet object as the app: WeasyPrint keeps work per
        # stylesheet, and two objects taking turns evict each other's (baseline ~5 % slower).
        stylesheet = print_stylesheet()

        def app_path():
            pdf = render_pdf(template, dosing_sheet_context(snapshot))
            assert pdf.startswith(b"%PDF")

        def weasyprint_direct():
            pdf = HTML(string=html).write_pdf(stylesheets=[stylesheet])
            assert pdf.startswith(b"%PDF")

        medians, rounds, minimums = side_by_side({"weasyprint": weasyprint_direct, "render_pdf": app_path},
                                                 rounds=8, warmup=1, budget_s=60)
        pages = _pages(render_pdf(template, dosing_sheet_context(snapshot)))
    administrations = len(snapshot["schedule"]["administrations"])
    return {"medians": medians, "minimums": minimums, "rounds": rounds, "administrations": administrations,
            "pages": pages, "full": {"administrations": administrations, "cycles": snapshot["schedule"]["cycles"],
                                     "pages": pages, "seconds": medians["render_pdf"]}}
