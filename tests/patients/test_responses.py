"""Response tracker: IMWG response per assessment date of a treatment line (Handlingsprogram for
myelomatose, "Vurdering av behandlingsrespons og kontroll", Tabell 8.2) and the POEMS VEGF and
haematological responses (POEMS-retningslinjen, "Responsevaluering"), on hand-made lab series.

Expected categories are worked by hand from the table's rows in each case's comment."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from guidelines.response_series import Day as Point
from patients import actions, responses
from patients.responses import Series
from tests.patients.factories import clinical_patient, make_patient
from tests.personas import in_english

D0 = datetime.date(2025, 1, 1)
SERUM = "serum_m_protein_g_l"
HTMX = {"HTTP_HX_REQUEST": "true"}


def day(n):
    return D0 + datetime.timedelta(days=n)


def serum_series(*values, urine=None):
    """Baseline serum M 30 g/L on day 0; the values on days 30, 60, ... after a start on day 1."""
    points = []
    for i, value in enumerate(values, start=1):
        v = {SERUM: value}
        if urine is not None:
            v["urine_m_protein_mg_24h"] = urine
        points.append(Point(day(30 * i), v))
    return Series(None, {SERUM: (30.0, D0)}, tuple(points))


def categories(series):
    return [row["response"] for row in responses.track(series, patient_pk=1)["rows"]]


@pytest.mark.parametrize("values, expected", [
    # PR: «≥ 50 % reduksjon av serum M-komponent»: 30 → 14 is (30 − 14)/30 = 53.3 % ≥ 50.
    ((14.0,), ["PR"]),
    # MR: ≥ 25 % and < 50 %: 30 → 16 is 46.7 %.
    ((16.0,), ["MR"]),
    # PR boundary: 30 → 15 is exactly 50 % → PR.
    ((15.0,), ["PR"]),
    # VGPR: «≥ 90 % reduksjon av serum M-komponent»: 30 → 2 is 93.3 %; 30 → 3 is exactly 90 %.
    ((14.0, 2.0), ["PR", "VGPR"]),
    ((3.0,), ["VGPR"]),
    # VGPR not reached: 30 → 3.5 is 88.3 % → PR.
    ((3.5,), ["PR"]),
    # PD: «Stigning av M-komponent på ≥25 % fra [nadir] (men minst 5 g/L)»: nadir 2 → 8 is +6 g/L
    # (≥ 5) and +300 % (≥ 25 %).
    ((14.0, 2.0, 8.0), ["PR", "VGPR", "PD"]),
    # PD boundary: nadir 2 → 7 is +5 g/L, exactly the minimum → PD.
    ((14.0, 2.0, 7.0), ["PR", "VGPR", "PD"]),
    # not PD: nadir 2 → 6 is +4 g/L < 5; from baseline 30 → 6 is an 80 % fall → PR.
    ((14.0, 2.0, 6.0), ["PR", "VGPR", "PR"]),
], ids=[
    "PR 30→14 (53 %)", "MR 30→16 (47 %)", "PR boundary 30→15 (50 %)", "PR then VGPR 30→2 (93 %)",
    "VGPR boundary 30→3 (90 %)", "PR 30→3.5 (88 %)", "PD nadir 2→8 (+6 g/L)", "PD boundary nadir 2→7 (+5 g/L)",
    "no PD nadir 2→6 (+4 g/L): PR",
])
def test_track_serum_m_protein_series(values, expected):
    assert categories(serum_series(*values)) == expected


def test_track_row_shows_measurable_by_nadir_reasons_and_missing():
    rows = responses.track(serum_series(14.0, 2.0, 8.0), patient_pk=5)["rows"]
    assert rows[0]["measurable_by"] == ["serum"]  # serum M 30 ≥ 10 g/L at baseline
    assert rows[0]["nadir"] == {}  # no earlier assessment
    assert rows[2]["nadir"] == {SERUM: 2.0}
    assert any("rise 6" in r and "PD" in r for r in rows[2]["reasons"])
    # no 24-hour urine recorded: listed as missing, with the lab form of the urine M-component
    missing = {m["path"]: m["url"] for m in rows[0]["missing"]}
    assert missing["current.urine_m_protein_mg_24h"] == "/patients/5/record/lab/?analyte=urine_m_protein"


def test_track_vgpr_needs_urine_below_100_mg_when_urine_is_known():
    """VGPR: «≥ 90 % reduksjon av serum M-komponent og urin M-komponent < 100 mg/døgn»: urine 150 mg → PR."""
    assert categories(serum_series(2.0, urine=150.0)) == ["PR"]
    assert categories(serum_series(2.0, urine=90.0)) == ["VGPR"]


def test_track_flc_only_disease_uses_the_one_day_pair_for_the_nadir():
    """Serum and urine not measurable, involved kappa 400 ≥ 100 mg/L → dFLC is measurable.
    Day 30: dFLC 50 − 10 = 40 (fall (390 − 40)/390 = 89.7 % > 50 → PR).
    Day 60: dFLC 160 − 10 = 150: rise 110 mg/L from the nadir 40 (> 100 and ≥ 25 %) → PD."""
    series = Series(None, {"flc_kappa_mg_l": (400.0, D0), "flc_lambda_mg_l": (10.0, D0), SERUM: (0.0, D0)}, (
        Point(day(30), {"flc_kappa_mg_l": 50.0, "flc_lambda_mg_l": 10.0}),
        Point(day(60), {"flc_kappa_mg_l": 160.0, "flc_lambda_mg_l": 10.0}),
    ))
    rows = responses.track(series, patient_pk=1)["rows"]
    assert [r["response"] for r in rows] == ["PR", "PD"]
    assert rows[0]["measurable_by"] == ["flc"]
    assert rows[1]["nadir"] == {"flc_kappa_mg_l": 50.0, "flc_lambda_mg_l": 10.0}


def test_track_missing_current_value_is_not_evaluable():
    """Serum measurable at baseline, but the day's sample has only FLC: the response cannot be judged."""
    series = Series(None, {SERUM: (30.0, D0)}, (Point(day(30), {"flc_kappa_mg_l": 20.0, "flc_lambda_mg_l": 10.0}),))
    row = responses.track(series, patient_pk=1)["rows"][0]
    assert row["response"] == "NOT_EVALUABLE"
    assert [m["path"] for m in row["missing"]] == ["current.serum_m_protein_g_l"]


@pytest.mark.parametrize("path, expected", [
    ("current.serum_m_protein_g_l", "/patients/3/record/lab/?analyte=m_protein"),
    ("current.flc_lambda_mg_l", "/patients/3/record/lab/?analyte=flc_lambda"),
    ("current.marrow_plasma_cells_pct", "/patients/3/record/marrow/"),
    ("current.serum_ife_negative", None),
    ("current.plasmacytoma_reduction_pct", None),
], ids=["serum M", "FLC lambda", "marrow", "immunofixation (not recorded)", "plasmacytoma size (not recorded)"])
def test_current_form(path, expected):
    assert responses.current_form(path, 3) == expected


@pytest.mark.parametrize("vegf, expected", [
    (300.0, "PRV"),  # 780 → 300: fall 61.5 % ≥ 50 from an elevated (> 200 ng/L) baseline
    (400.0, "NRV"),  # 780 → 400: fall 48.7 % < 50
    (90.0, "CRV"),   # < 100 ng/L: normalised
], ids=["PRV fall ≥ 50 %", "NRV fall < 50 %", "CRV normalised"])
def test_track_poems_vegf(vegf, expected):
    series = Series(None, {}, (), vegf_baseline=(780.0, D0), vegf_points=((day(90), vegf),))
    assert [r["category"] for r in responses.track_poems(series)["vegf"]] == [expected]


@pytest.mark.parametrize("baseline, current, expected", [
    (6.0, 0.0, "VGPRH"),  # baseline ≥ 5 g/L, M-protein no longer seen on electrophoresis
    (6.0, 5.0, "NOT_EVALUABLE"),  # baseline < 10 g/L: PRH not evaluable
    (12.0, 5.0, "PRH"),  # baseline ≥ 10, fall 58 % ≥ 50
    (12.0, 8.0, "NO_RESPONSE"),  # fall 33 %
], ids=["VGPRH", "baseline < 10: not evaluable", "PRH", "no response"])
def test_track_poems_haematological(baseline, current, expected):
    series = Series(None, {SERUM: (baseline, D0)}, (Point(day(60), {SERUM: current}),))
    assert [r["category"] for r in responses.track_poems(series)["haematological"]] == [expected]


# --- from the record --------------------------------------------------------------------------

@pytest.fixture
def treated(db, physician, patient):
    """Anne: serum M 30 g/L 100 days ago (baseline), VRd from 90 days ago; M 14, 2, 8 g/L after."""
    today = timezone.localdate()
    ago = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    actions.record_lab_result(by=physician, patient=patient, date=ago(100), analyte="m_protein", value="30",
                              isotype="IgG")
    actions.record_treatment_line(by=physician, patient=patient, line=1, regimen="VRd-induction",
                                  drugs=["bortezomib", "lenalidomide", "dexamethasone"], start_date=ago(90))
    for days, value in ((60, "14"), (30, "2"), (5, "8")):
        actions.record_lab_result(by=physician, patient=patient, date=ago(days), analyte="m_protein", value=value)
    return patient


def test_lab_series_baseline_and_points_from_the_record(treated):
    today = timezone.localdate()
    line = responses.current_line(treated)
    series = responses.lab_series(treated, line)
    assert series.baseline == {SERUM: (30.0, today - datetime.timedelta(days=100))}
    assert [p.date for p in series.points] == [today - datetime.timedelta(days=d) for d in (60, 30, 5)]
    assert categories(series) == ["PR", "VGPR", "PD"]


def url(patient, **query):
    base = reverse("patients:responses", args=[patient.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_patient_responses_anonymous_redirects_to_login(client, treated):
    response = client.get(url(treated))
    assert response.status_code == 302 and "login" in response["Location"]


def test_patient_responses_without_view_right_is_forbidden(client_for, no_rights_user, treated):
    assert client_for(no_rights_user).get(url(treated)).status_code == 403


def test_patient_responses_shows_table_and_timeline(client_for, nurse, treated):
    response = in_english(client_for(nurse)).get(url(treated))
    assert response.status_code == 200 and "<html" in response.text
    assert re.findall(r'data-testid="response">(\w+)<', response.text) == ["PR", "VGPR", "PD"]
    assert re.findall(r'data-response="(\w+)"', response.text) == ["PR", "VGPR", "PD"]
    assert 'data-testid="measurable">serum<' in response.text


def test_patient_responses_htmx_returns_fragment(client_for, nurse, treated):
    response = in_english(client_for(nurse)).get(url(treated, line=1), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="responses"' in response.text
    assert "HX-Request" in response["Vary"]


def test_patient_responses_invalid_line_falls_back_to_current_line(client_for, nurse, treated):
    response = in_english(client_for(nurse)).get(url(treated, line="abc"))
    assert response.status_code == 200
    assert re.findall(r'data-testid="response">(\w+)<', response.text) == ["PR", "VGPR", "PD"]


def test_patient_responses_unknown_line_number_shows_no_line(client_for, nurse, treated):
    response = in_english(client_for(nurse)).get(url(treated, line=7))
    assert 'data-testid="no-line"' in response.text


def test_patient_responses_without_treatment(client_for, nurse, patient):
    response = in_english(client_for(nurse)).get(url(patient))
    assert response.status_code == 200 and 'data-testid="no-line"' in response.text


def test_patient_responses_poems_patient_gets_vegf_response(client_for, physician, db):
    """The POEMS test patient: VEGF 690 ng/L 60 days ago; a line started 50 days ago; VEGF 780 ng/L 10 days
    ago → fall < 50 % → NRV (VEGF respons)."""
    spec = clinical_patient("POEMS", lines=[{"line": 1, "regimen": "lenalidomide-dexamethasone",
                                             "drugs": ["lenalidomide", "dexamethasone"], "start": 50}])
    patient = make_patient(spec, today=timezone.localdate())
    response = in_english(client_for(physician)).get(url(patient))
    assert 'data-testid="poems-responses"' in response.text
    assert re.search(r'data-testid="vegf-response">[^<]*<span class="fw-semibold">NRV<', response.text)


@pytest.mark.hazard("HAZ-105")
def test_patient_responses_poems_patient_in_bokmal_with_baseline_minimums(client_for, physician, db):
    """The POEMS test patient in bokmål: serum M 5 g/L before the line (baseline), 6 g/L 10 days ago → baseline
    ≥ 5 but < 10 g/L and no 90 % fall: «PRH … hvis baseline M-protein var mindst 10 g/L» → not evaluable; VEGF
    690 → 780 ng/L → NRV. The page states the baseline minimums and that PET is not computed here."""
    spec = clinical_patient("POEMS", lines=[{"line": 1, "regimen": "lenalidomide-dexamethasone",
                                             "drugs": ["lenalidomide", "dexamethasone"], "start": 50}])
    patient = make_patient(spec, today=timezone.localdate())
    page = client_for(physician).get(url(patient)).text
    assert "VGPRH kan bare vurderes når M-proteinet ved utgangspunktet var minst 5 g/L" in page
    haem = re.search(r'data-testid="haem-response">(.*?)</li>', page).group(1)
    assert "NOT_EVALUABLE" in haem and "utgangsverdi &lt; 10 g/L, PRH kan ikke vurderes" in haem
    vegf = re.search(r'data-testid="vegf-response">(.*?)</li>', page).group(1)
    assert "NRV" in vegf and 'data-code="NO_RESPONSE"' in vegf and "verken CRV eller PRV" in vegf
    assert "SUVmax registreres ikke i MyeloPath" in page
