"""POST /api/v1/poems-response and POST /api/v1/response-series (shared/contract/api-v1.md, v1.1 sections):
shapes, validation (422 naming each field) and texts in the language of Accept-Language."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import ApiToken
from tests.api.examples import post, texts

# The contract's example: M 8 → 0.5 g/L is a 93.75 % fall with a baseline ≥ 5 g/L (VGPRH); VEGF 600 → 90 ng/L is
# below the upper limit 100 (CRV); SUVmax 6.0 → 2.5 is a 58 % fall (PRR).
POEMS_EXAMPLE = {
    "baseline": {"serum_m_protein_g_l": 8, "vegf_ng_l": 600, "pet_suv_max": 6.0, "marrow_involved": True},
    "current": {"serum_m_protein_g_l": 0.5, "serum_ife_negative": False, "urine_ife_negative": False,
                "marrow_involved": None, "vegf_ng_l": 90, "vegf_upper_limit_ng_l": 100,
                "pet_suv_max": 2.5, "pet_lesions_resolved": False},
}

# Serum M 32 g/L before the start; 14 (56 % fall: PR), 3 (90.6 %: VGPR), 3 (VGPR, confirms), then 8 and 9
# (+5 and +6 g/L from the nadir 3, ≥ 25 % and ≥ 5 g/L: PD, confirmed).
SERIES_EXAMPLE = {
    "treatment_start": "2026-01-05",
    "measurements": [
        {"date": "2026-01-03", "serum_m_protein_g_l": 32, "flc_kappa_mg_l": 15, "flc_lambda_mg_l": 12,
         "urine_m_protein_mg_24h": None, "serum_ife_negative": None, "marrow_plasma_cells_pct": 40,
         "new_crab": False},
        {"date": "2026-02-02", "serum_m_protein_g_l": 14},
        {"date": "2026-03-02", "serum_m_protein_g_l": 3},
        {"date": "2026-03-30", "serum_m_protein_g_l": 3},
        {"date": "2026-04-27", "serum_m_protein_g_l": 8},
        {"date": "2026-05-25", "serum_m_protein_g_l": 9},
    ],
}


@pytest.fixture
def api(client_for, physician):
    return client_for(physician)


@pytest.mark.parametrize("url", ["/api/v1/poems-response", "/api/v1/response-series"])
def test_anonymous_is_401(client, db, url):
    response = post(client, url, POEMS_EXAMPLE if "poems" in url else SERIES_EXAMPLE)
    assert response.status_code == 401 and "assessments" not in response.json()


@pytest.mark.hazard("HAZ-105")
def test_poems_response_contract_example(api):
    response = post(api, "/api/v1/poems-response", POEMS_EXAMPLE)
    assert response.status_code == 200
    body = response.json()
    assert (body["haematological"], body["vegf"], body["pet"]) == ("VGPR", "CR", "PR")
    assert body["details"]["haematological"]["category"] == "VGPRH"
    assert body["reasons"] and len(body["reasons_messages"]) == len(body["reasons"])
    assert body["missing"] == [] and body["citations"][0]["section"] == "Responsevaluering"


@pytest.mark.hazard("HAZ-105")
def test_poems_response_names_what_it_lacks(api):
    body = post(api, "/api/v1/poems-response", {"baseline": {}, "current": {"vegf_ng_l": 300}}).json()
    assert (body["haematological"], body["vegf"], body["pet"]) == ("NOT_EVALUABLE",) * 3
    assert {"baseline.serum_m_protein_g_l", "current.serum_m_protein_g_l", "baseline.vegf_ng_l",
            "baseline.pet_suv_max"} <= set(body["missing"])


@pytest.mark.parametrize(("body", "fields"), [
    pytest.param({"current": {}}, {"baseline"}, id="baseline-required"),
    pytest.param({"baseline": {"serum_m_protein_g_l": -1}, "current": {"vegf_ng_l": "90"}},
                 {"baseline.serum_m_protein_g_l", "current.vegf_ng_l"}, id="negative and string"),
    pytest.param({"baseline": {}, "current": {"pet_lesions_resolved": 1}}, {"current.pet_lesions_resolved"},
                 id="number for a boolean"),
    pytest.param({"baseline": {}, "current": {"vegf_upper_limit_ng_l": 0}}, {"current.vegf_upper_limit_ng_l"},
                 id="upper limit 0"),
    pytest.param({"baseline": {"vegf": 3}, "current": {}}, {"baseline.vegf"}, id="unknown field"),
])
def test_poems_response_invalid_input_is_422_naming_each_field(api, body, fields):
    response = post(api, "/api/v1/poems-response", body)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == fields


@pytest.mark.hazard("HAZ-106")
def test_response_series_contract_shape_and_progression(api):
    response = post(api, "/api/v1/response-series", SERIES_EXAMPLE)
    assert response.status_code == 200
    body = response.json()
    assert [(a["date"], a["response"]) for a in body["assessments"]] == [
        ("2026-02-02", "PR"), ("2026-03-02", "VGPR"), ("2026-03-30", "VGPR"), ("2026-04-27", "PD"),
        ("2026-05-25", "PD")]
    assert body["best_response"] == "VGPR"
    assert body["progression_date"] == "2026-04-27" and body["progression"]["confirmed_on"] == "2026-05-25"
    assert body["baseline"]["serum_m_protein_g_l"] == {"value": 32, "date": "2026-01-03"}
    assert body["measurable_by"] == ["serum"]
    assert body["nadir"]["serum_m_protein_g_l"] == 3 and body["nadir_dates"]["serum_m_protein_g_l"] == "2026-03-02"
    assert all(a["reasons"] and len(a["reasons_messages"]) == len(a["reasons"]) for a in body["assessments"])


def test_response_series_with_bearer_token_and_a_new_crab_event(client, physician):
    _token, key = ApiToken.issue(user=physician, name="ehr")
    body = {"treatment_start": "2026-01-05", "measurements": [
        {"date": "2026-01-03", "serum_m_protein_g_l": 30}, {"date": "2026-02-02", "serum_m_protein_g_l": 14},
        {"date": "2026-03-02", "new_crab": True}]}
    answer = post(client, "/api/v1/response-series", body, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert answer["progression_date"] == "2026-03-02" and answer["progression"]["confirmed_on"] is None


@pytest.mark.parametrize(("body", "fields"), [
    pytest.param({"measurements": []}, {"treatment_start"}, id="start-required"),
    pytest.param({"treatment_start": "05.01.2026", "measurements": []}, {"treatment_start"}, id="not ISO"),
    pytest.param({"treatment_start": "2026-01-05", "measurements": [{"serum_m_protein_g_l": 3}]},
                 {"measurements.0.date"}, id="date-required"),
    pytest.param({"treatment_start": "2026-01-05",
                  "measurements": [{"date": "2026-02-30", "serum_m_protein_g_l": 3}]},
                 {"measurements.0.date"}, id="impossible date"),
    pytest.param({"treatment_start": "2026-01-05",
                  "measurements": [{"date": "2026-02-02", "serum_m_protein_g_l": 300, "new_crab": "yes"}]},
                 {"measurements.0.serum_m_protein_g_l", "measurements.0.new_crab"}, id="out of range and string"),
    pytest.param({"treatment_start": "2026-01-05",
                  "measurements": [{"date": "2026-02-02", "igg_g_l": 3}]},
                 {"measurements.0.igg_g_l"}, id="unknown field"),
])
def test_response_series_invalid_input_is_422_naming_each_field(api, body, fields):
    response = post(api, "/api/v1/response-series", body)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == fields


def test_response_series_date_outside_the_window_is_422(api):
    late = (timezone.localdate() + datetime.timedelta(days=3 * 366)).isoformat()
    response = post(api, "/api/v1/response-series", {"treatment_start": late, "measurements": []})
    assert response.status_code == 422 and response.json()["errors"][0]["type"] == "date_range"


@pytest.mark.parametrize(("url", "body"), [
    pytest.param("/api/v1/poems-response", POEMS_EXAMPLE, id="poems-response"),
    pytest.param("/api/v1/response-series", SERIES_EXAMPLE, id="response-series"),
])
def test_texts_in_norwegian_and_english_differ_in_text_only(api, url, body):
    nb = post(api, url, body, HTTP_ACCEPT_LANGUAGE="nb").json()
    en = post(api, url, body, HTTP_ACCEPT_LANGUAGE="en").json()
    nb_texts, en_texts = texts(nb), texts(en)
    assert [(p, m) for p, _t, m in nb_texts] == [(p, m) for p, _t, m in en_texts]
    differing = [p for (p, nb_t, _m), (_p, en_t, _n) in zip(nb_texts, en_texts, strict=True) if nb_t != en_t]
    assert differing


def test_poems_response_reasons_in_bokmal(api):
    nb = post(api, "/api/v1/poems-response", POEMS_EXAMPLE, HTTP_ACCEPT_LANGUAGE="nb").json()
    assert nb["reasons"][0].startswith("Hematologisk respons: M-protein 8 → 0,5 g/L (reduksjon 93,75 %)")
    assert nb["reasons_messages"][0]["code"] == "poems_response.haematological_reason"
    assert any(r.startswith("VEGF-respons: VEGF 600 → 90 ng/L: normalisert (< 100 ng/L)") for r in nb["reasons"])


def test_response_series_reasons_in_bokmal(api):
    nb = post(api, "/api/v1/response-series", SERIES_EXAMPLE, HTTP_ACCEPT_LANGUAGE="nb").json()
    assert nb["reasons"][0] == "utgangsverdi på eller før 05.01.2026; målbar sykdom: serum"
    assert "bekreftet ved vurderingen 02.03.2026 (VGPR): PR" in nb["assessments"][0]["reasons"]


def test_openapi_lists_the_response_endpoints(api):
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/poems-response", "/api/v1/response-series"} <= set(paths)


@pytest.mark.hazard("HAZ-120")
def test_poems_response_positive_new_marrow_is_not_crh_and_unknown_ife_is_listed(api):
    """CRH «Negativ knoglemarv og negativ immunofixation af serum og urin. Hvis baseline KM var negativ er der
    ikke behov for ny KM.» — a positive new marrow is not CRH even after a negative baseline marrow; an unknown
    immunofixation is listed in ``missing``."""
    positive = post(api, "/api/v1/poems-response", {
        "baseline": {"serum_m_protein_g_l": 8, "marrow_involved": False},
        "current": {"serum_m_protein_g_l": 0, "serum_ife_negative": True, "urine_ife_negative": True,
                    "marrow_involved": True}}).json()
    assert positive["haematological"] == "VGPR" and positive["details"]["haematological"]["category"] == "VGPRH"
    unknown = post(api, "/api/v1/poems-response", {
        "baseline": {"serum_m_protein_g_l": 8, "marrow_involved": False},
        "current": {"serum_m_protein_g_l": 0, "serum_ife_negative": True}}).json()
    assert unknown["haematological"] == "VGPR" and "current.urine_ife_negative" in unknown["missing"]
