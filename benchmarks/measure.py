"""(a)-(c) of `make bench`: the data, and the in-process ratios measured side by side."""

import datetime
import json
import secrets
import statistics
import time

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


def _setup_database():
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from accounts import roles
    from benchmarks.history import make_patient
    from patients.models import LabResult, TreatmentLine

    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth import get_user_model
    from django.db import transaction

    user = get_user_model().objects.create_user(username="bench", password=secrets.token_urlsafe(16),
                                                first_name="Bench", last_name="Lege")
    user.groups.add(Group.objects.get(name=roles.PHYSICIAN))
    with transaction.atomic():  # one commit instead of one per record: setup in seconds, same rows
        one = make_patient(by=user, name="Bench Ett-År", serial=11, years=1)
        ten = make_patient(by=user, name="Bench Ti-År", serial=12, years=10, lines=6)
    counts = {
        "labs_1y": LabResult.objects.filter(patient=one).count(),
        "labs_10y": LabResult.objects.filter(patient=ten).count(),
        "lines_1y": TreatmentLine.objects.filter(patient=one).count(),
        "lines_10y": TreatmentLine.objects.filter(patient=ten).count(),
    }
    return user, one, ten, counts


def _dosing_snapshot(cycles=None):
    """A plan snapshot (regimens/sheets.py) of the library's VRd induction for a
    fictional patient, doses from the real dose engine (``cycles`` None: the
    protocol's full course)."""
    from regimens import dosing
    from regimens.models import Protocol
    from regimens.presenters import next_monday, schedule_dict

    protocol = Protocol.objects.current("VRd-induction")
    proto = protocol.parsed()
    start = next_monday(datetime.date.today())
    schedule = dosing.calculate_schedule(
        proto, dosing.DosingPatient(weight_kg=80, height_cm=180, age=64, egfr_ml_min=88, sex="male"),
        start_date=start, cycles=cycles,
    )
    data = schedule_dict(schedule)
    return {
        "patient": {"name": "Bench Ti-År", "national_id": "01815012345", "birth_date": "1950-01-01",
                    "ward": "Benchmark"},
        "measurements": {"height_cm": 180, "height_date": start.isoformat(), "weight_kg": 80,
                         "weight_date": start.isoformat(), "bsa_m2": data["bsa_m2"], "bsa_formula": "Mosteller",
                         "egfr_ml_min": 88, "egfr_date": start.isoformat()},
        "protocol": {"code": protocol.code, "name": protocol.name, "version": protocol.version,
                     "source": f"{proto.source.document} — {proto.source.section}"},
        "schedule": data,
        "plan": {"id": 1, "version": 1, "status": "issued", "start_date": start.isoformat()},
        "signatures": [{"meaning": "Utstedt", "name": "Bench Lege", "role": "lege", "time": "2026-01-04 10:00"}],
    }


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


def _verified_plan(physician, patient):
    """A verified VRd-induction plan (cycle 1) for ``patient`` through the plan
    actions, when the app has treatment plans and their dosing-sheet download;
    else None. Issuing needs a height and weight of the last 30 days and the
    issuer's password; verifying needs a pharmacist."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import NoReverseMatch, reverse

    from accounts import roles
    from patients import actions

    try:
        from patients import plans
    except ImportError:
        return None
    if not hasattr(actions, "create_plan_draft"):
        return None
    try:
        reverse("patients:plan_sheet_pdf", args=[1, 1])
    except NoReverseMatch:
        return None
    password = secrets.token_urlsafe(16)
    physician.set_password(password)
    physician.save()
    pharmacist = get_user_model().objects.create_user(username="bench-farm", password=password,
                                                      first_name="Bench", last_name="Farmasøyt")
    pharmacist.groups.add(Group.objects.get(name=roles.PHARMACIST))
    codes = _signing_codes(physician, pharmacist)
    today = datetime.date.today()
    actions.record_height_weight(by=physician, patient=patient, date=today, height_cm="172", weight_kg="71")
    plan = actions.create_plan_draft(by=physician, patient=patient, regimen="VRd-induction",
                                     start_date=today + datetime.timedelta(days=3), cycles=1)
    preview = plans.compute_for(plan, today=today)
    plan = actions.issue_plan(plan=plan, by=physician, password=password,
                              acknowledged_flags=[flag["key"] for flag in preview.flags],
                              expected_fingerprint=preview.fingerprint, **codes[0])
    return actions.verify_plan(plan=plan, by=get_user_model().objects.get(pk=pharmacist.pk), password=password,
                               expected_fingerprint=plans.issued_fingerprint(plan), **codes[1])


def _signing_codes(*users):
    """Keyword arguments with each signer's current second-factor code (a TOTP device made
    for the benchmark), where signing needs one; empty where the app has no second factor."""
    try:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.second_factor import current_code
    except ImportError:
        return [{} for _ in users]
    return [{"otp_token": current_code(TOTPDevice.objects.create(user=user, name="bench", confirmed=True))}
            for user in users]


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
                                             rounds=10, warmup=1, budget_s=40)
    pages = _pages(client.get(url).content)
    return {"medians": medians, "minimums": minimums, "rounds": rounds, "pages": pages,
            "administrations": len(plan.snapshot["schedule"]["administrations"]), "url": url}


def _pages(pdf):
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def measure_pdf():
    """(c) on one cycle of VRd induction (the ratio), and one render of the full
    course through the app's path (how long a long sheet takes)."""
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    from regimens.pdf import print_stylesheet, render_pdf
    from regimens.sheets import dosing_sheet_context

    template = "regimens/dosing_sheet_pdf.html"
    snapshot = _dosing_snapshot(cycles=1)
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
                                       rounds=12, warmup=1, budget_s=40)
        pages = _pages(render_pdf(template, dosing_sheet_context(snapshot)))
        full = _dosing_snapshot()
        t0 = time.perf_counter()
        full_pages = _pages(render_pdf(template, dosing_sheet_context(full)))
        full_seconds = time.perf_counter() - t0
    return {"medians": medians, "minimums": minimums, "rounds": rounds,
            "administrations": len(snapshot["schedule"]["administrations"]),
            "pages": pages, "full": {"administrations": len(full["schedule"]["administrations"]),
                                     "cycles": full["schedule"]["cycles"], "pages": full_pages,
                                     "seconds": full_seconds}}
