"""POST /api/v1/dosing, GET /api/v1/regimens(/code) as shared/contract/api-v1.md fixes them."""

import datetime as dt

import pytest

from regimens.models import DrugLine, Phase, Protocol
from tests.regimens.factories import behind_the_draft_rule, stored
from tests.regimens.protocols import protocol

URL = "/api/v1/dosing"
CONTRACT_EXAMPLE = {"regimen": "T-VRd", "weight_kg": 80, "height_cm": 180, "age": 64, "egfr_ml_min": 88,
                    "start_date": "2026-01-05", "cycles": 2, "bsa_formula": "mosteller"}


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_dosing_anonymous_gets_401(client, vrd):
    response = post(client, CONTRACT_EXAMPLE)
    assert response.status_code == 401 and b"bortezomib" not in response.content


def test_dosing_contract_example(client_for, physician, vrd):
    response = post(client_for(physician), CONTRACT_EXAMPLE)
    assert response.status_code == 200
    body = response.json()
    assert (body["regimen"], body["version"], body["bsa_m2"], body["cycle_length_days"]) == ("T-VRd", "1", 2.0, 28)
    first = body["administrations"][0]
    # 1.3 mg/m2 x 2.00 m2 = 2.6 mg
    assert {k: first[k] for k in ("cycle", "day", "date", "drug", "unit", "route", "basis", "label", "adjustments")} \
        == {"cycle": 1, "day": 1, "date": "2026-01-05", "drug": "bortezomib", "unit": "mg", "route": "sc",
            "basis": "1.3 mg/m2 x 2.00 m2", "label": "", "adjustments": []}
    assert first["dose"] == pytest.approx(2.6) and first["calculated_dose"] == pytest.approx(2.6)
    assert len(body["administrations"]) == 2 * (3 + 21 + 4)
    assert body["supportive_care"] and isinstance(body["premedication"], list) and body["warnings"] == []


def test_dosing_bearer_token(client, physician, vrd):
    from accounts.models import ApiToken

    _, key = ApiToken.issue(user=physician, name="test")
    response = client.post(URL, CONTRACT_EXAMPLE, content_type="application/json",
                           headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


@pytest.mark.hazard("HAZ-006", "HAZ-009")
def test_dosing_renal_adjustment_and_boundary_flag(client_for, physician, vrd):
    body = post(client_for(physician), CONTRACT_EXAMPLE | {"egfr_ml_min": 25}).json()
    lenalidomide = [a for a in body["administrations"] if a["drug"] == "lenalidomide"]
    assert lenalidomide[0]["dose"] == 15 and "renal rule" in lenalidomide[0]["adjustments"][0]
    body = post(client_for(physician), CONTRACT_EXAMPLE | {"egfr_ml_min": 30}).json()
    assert body["flags"][0]["source_text"] == "Ved eGFR <30: 15 mg"
    assert any("exactly at the guideline's threshold" in w for w in body["warnings"])


def test_dosing_reduced_tolerance_unknown_drug_422(client_for, physician, vrd):
    response = post(client_for(physician), CONTRACT_EXAMPLE | {"reduced_tolerance": ["pomalidomide"]})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reduced_tolerance"


@pytest.mark.hazard("HAZ-011")
def test_dosing_draft_409(client_for, physician, draft):
    response = post(client_for(physician), CONTRACT_EXAMPLE | {"regimen": "T-Isa-Pd"})
    assert response.status_code == 409
    assert "pharmacist must complete and activate it in the admin" in response.json()["detail"]


@pytest.mark.hazard("HAZ-007")
def test_dosing_uses_the_active_version_not_a_newer_draft(client_for, physician, vrd):
    from tests.regimens.factories import stored

    stored(code="T-VRd", version=2, status="draft", name="newer draft")
    assert post(client_for(physician), CONTRACT_EXAMPLE).json()["version"] == "1"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"regimen": "NO-SUCH"}, "regimen", id="unknown-regimen"),
        pytest.param({"weight_kg": -80}, "weight_kg", id="negative-weight"),
        pytest.param({"weight_kg": "eighty"}, "weight_kg", id="weight-not-a-number"),
        pytest.param({"height_cm": 1800}, "height_cm", id="height-in-mm"),
        pytest.param({"age": 200}, "age", id="impossible-age"),
        pytest.param({"egfr_ml_min": 0}, "egfr_ml_min", id="egfr-zero"),
        pytest.param({"start_date": "05.01.2026"}, "start_date", id="date-format"),
        pytest.param({"cycles": 0}, "cycles", id="zero-cycles"),
        pytest.param({"cycles": 7}, "cycles", id="more-than-planned"),
        pytest.param({"bsa_formula": "boyd"}, "bsa_formula", id="unknown-formula"),
        pytest.param({"height_cm": None}, "height_cm", id="missing-height-for-mg/m2"),
        pytest.param({"egfr_ml_min": None}, "egfr_ml_min", id="missing-egfr-for-renal-rule"),
    ],
)
def test_dosing_422_names_the_field(client_for, physician, vrd, change, field):
    response = post(client_for(physician), CONTRACT_EXAMPLE | change)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_dosing_missing_start_date_422(client_for, physician, vrd):
    body = {k: v for k, v in CONTRACT_EXAMPLE.items() if k != "start_date"}
    response = post(client_for(physician), body)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "start_date"


def test_dosing_refused_dose_is_422(client_for, physician, db):
    drugs = [line.model_dump() for line in protocol().drugs]
    drugs[0]["max_single_dose_mg"] = 2  # bortezomib 2.6 mg for the example patient: above it
    stored(code="T-VRd", drugs=drugs)
    response = post(client_for(physician), CONTRACT_EXAMPLE)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "max_single_dose_mg"


def test_dosing_broken_stored_protocol_is_409_not_500(client_for, physician, vrd):
    behind_the_draft_rule(DrugLine).filter(protocol=vrd, drug="bortezomib").update(schedule="Day one")
    response = post(client_for(physician), CONTRACT_EXAMPLE)
    assert response.status_code == 409
    assert client_for(physician).get("/api/v1/regimens/T-VRd").json()["invalid"]


def test_dosing_unanchored_phase_is_409(client_for, physician, vrd):
    behind_the_draft_rule(Phase).bulk_create([Phase(protocol=vrd, name="step-up")])
    response = post(client_for(physician), CONTRACT_EXAMPLE)
    assert response.status_code == 409 and response.json()["errors"][0]["field"] == "phases.cycle_1_day_1"


def test_regimens_list_and_detail(client_for, nurse, vrd, draft):
    client = client_for(nurse)
    listing = client.get("/api/v1/regimens").json()
    by_code = {entry["code"]: entry for entry in listing}
    assert by_code["T-VRd"]["status"] == "active" and by_code["T-Isa-Pd"]["status"] == "draft"
    detail = client.get("/api/v1/regimens/T-VRd").json()
    bortezomib = detail["drugs"][0]
    assert (bortezomib["drug"], bortezomib["dose"], bortezomib["basis"], bortezomib["route"]) == (
        "bortezomib", 1.3, "mg/m2", "sc")
    assert detail["cycles"] == 6 and detail["cycle_length_days"] == 28
    assert detail["drugs"][1]["rules"][0]["source_text"] == "Ved eGFR <30: 15 mg"
    assert detail["citation"]["document"] == "myeloma"


def test_regimens_detail_unknown_404(client_for, nurse, db):
    assert client_for(nurse).get("/api/v1/regimens/NO-SUCH").status_code == 404


def test_regimens_anonymous_401(client, vrd):
    assert client.get("/api/v1/regimens").status_code == 401
    assert client.get("/api/v1/regimens/T-VRd").status_code == 401


def test_regimens_until_progression_is_said(client_for, nurse, db):
    from tests.regimens.factories import stored

    stored(code="T-PCd", cycles=None, until_progression=True)
    assert client_for(nurse).get("/api/v1/regimens/T-PCd").json()["cycles"] == "until progression"
    assert Protocol.objects.filter(code="T-PCd").exists()


# --- strictness: the same as /evaluate, the same limits as the record's forms --------------------------------

@pytest.mark.hazard("HAZ-027")
@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"weight_kg": True}, "weight_kg", id="true-for-weight"),
        pytest.param({"weight_kg": "80"}, "weight_kg", id="string-weight"),
        pytest.param({"height_cm": "180"}, "height_cm", id="string-height"),
        pytest.param({"age": True}, "age", id="true-for-age"),
        pytest.param({"age": "64"}, "age", id="string-age"),
        pytest.param({"egfr_ml_min": False}, "egfr_ml_min", id="false-for-egfr"),
        pytest.param({"egfr_ml_min": "88"}, "egfr_ml_min", id="string-egfr"),
        pytest.param({"cycles": "2"}, "cycles", id="string-cycles"),
        pytest.param({"cycles": True}, "cycles", id="true-for-cycles"),
        pytest.param({"regimen": 5}, "regimen", id="number-for-regimen"),
        pytest.param({"start_date": 20260105}, "start_date", id="number-for-date"),
        pytest.param({"start_date": "2026-1-5"}, "start_date", id="date-not-iso"),
        pytest.param({"start_date": "2026-02-30"}, "start_date", id="no-such-day"),
        pytest.param({"weight": 80}, "weight", id="unknown-field"),
    ],
)
def test_dosing_does_not_coerce(client_for, physician, vrd, change, field):
    response = post(client_for(physician), CONTRACT_EXAMPLE | change)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def _form_accepts(field, value):
    from patients.forms import HeightWeightForm
    from patients.models import Patient

    data = {"date": "2026-01-05", "height_cm": "", "weight_kg": "", field: str(value)}
    form = HeightWeightForm(data, patient=Patient(national_id="01017012345", birth_date=dt.date(1970, 1, 1)))
    return form.is_valid() or field not in form.errors


@pytest.mark.hazard("HAZ-027")
@pytest.mark.parametrize(("field", "value"), [
    pytest.param("height_cm", 99.9, id="height-below-the-form"), pytest.param("height_cm", 100, id="height-low-end"),
    pytest.param("height_cm", 230, id="height-high-end"), pytest.param("height_cm", 230.1, id="height-above-the-form"),
    pytest.param("height_cm", 50, id="height-50-was-accepted"), pytest.param("height_cm", 260, id="height-260"),
    pytest.param("weight_kg", 19.9, id="weight-below-the-form"), pytest.param("weight_kg", 20, id="weight-low-end"),
    pytest.param("weight_kg", 350, id="weight-high-end"), pytest.param("weight_kg", 350.1, id="weight-above-the-form"),
    pytest.param("weight_kg", 400, id="weight-400-was-accepted"), pytest.param("weight_kg", 0.5, id="weight-0.5"),
])
def test_dosing_refuses_exactly_what_the_height_and_weight_form_refuses(client_for, physician, vrd, field, value):
    response = post(client_for(physician), CONTRACT_EXAMPLE | {field: value})
    refused = response.status_code == 422 and field in [e["field"] for e in response.json()["errors"]]
    assert refused is not _form_accepts(field, value)
    if not refused:
        assert response.status_code == 200


@pytest.mark.hazard("HAZ-027")
@pytest.mark.parametrize(("change", "field"), [
    pytest.param({"age": 17}, "age", id="age-below-the-adult-range"),
    pytest.param({"age": 121}, "age", id="age-above"),
    pytest.param({"egfr_ml_min": 250.1}, "egfr_ml_min", id="egfr-above"),
])
def test_dosing_uses_the_same_age_and_egfr_limits_as_evaluate(client_for, physician, vrd, change, field):
    dosing = post(client_for(physician), CONTRACT_EXAMPLE | change)
    assert dosing.status_code == 422 and field in [e["field"] for e in dosing.json()["errors"]]
    labs_field = "labs.egfr_ml_min" if field == "egfr_ml_min" else field
    body = {"age": 64, "labs": {"egfr_ml_min": change[field]}} if field == "egfr_ml_min" else change
    evaluate = client_for(physician).post("/api/v1/evaluate", body, content_type="application/json")
    assert evaluate.status_code == 422 and labs_field in [e["field"] for e in evaluate.json()["errors"]]


def _last_day_of_the_window():
    """Today + 2 years (29 February: 28 February)."""
    from django.utils import timezone

    today = timezone.localdate()
    try:
        return today.replace(year=today.year + 2)
    except ValueError:
        return today.replace(year=today.year + 2, day=28)


@pytest.mark.hazard("HAZ-027")
@pytest.mark.parametrize("start", ["1899-12-31", "0001-01-01", "9999-12-31", "after-window"],
                         ids=["before-1900", "year-1", "year-9999", "today-plus-2-years-and-a-day"])
def test_dosing_refuses_a_start_date_outside_the_window(client_for, physician, vrd, start):
    if start == "after-window":
        start = (_last_day_of_the_window() + dt.timedelta(days=1)).isoformat()
    response = post(client_for(physician), CONTRACT_EXAMPLE | {"start_date": start})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["start_date"] and errors[0]["type"] == "date_range"
    assert "1900-01-01" in errors[0]["message"]


@pytest.mark.hazard("HAZ-027")
def test_dosing_accepts_the_ends_of_the_window(client_for, physician, vrd):
    for start in ("1900-01-01", _last_day_of_the_window().isoformat()):
        response = post(client_for(physician), CONTRACT_EXAMPLE | {"start_date": start})
        assert response.status_code == 200, (start, response.content)
        assert response.json()["administrations"][0]["date"] == start


@pytest.mark.hazard("HAZ-041")
def test_dosing_gives_the_dose_to_give_beside_the_exact_dose(client_for, physician, vrd):
    # 168 cm, 72.5 kg: BSA sqrt(168 x 72.5 / 3600) = 1.839384 m2; 1.3 x 1.839384 = 2.391199 mg -> 2.39 mg
    body = post(client_for(physician), CONTRACT_EXAMPLE | {"weight_kg": 72.5, "height_cm": 168}).json()
    first = body["administrations"][0]
    assert (first["drug"], first["dose"], first["rounding_step"]) == ("bortezomib", 2.39, None)
    assert first["calculated_dose"] == pytest.approx(2.391199, abs=1e-6)
    assert first["deviation_pct"] == pytest.approx(-0.0501, abs=0.0001)
    assert first["per_unit"] == {"basis": "mg/m2", "achieved": pytest.approx(1.29935, abs=1e-5), "protocol": 1.3}
    assert "2.3912 mg \u2192 2.39 mg (-0.05%)" in first["working"]["rounding"]
    assert "achieved 1.2993 mg/m2" in first["working"]["per_unit"]


def test_dosing_refuses_a_rounding_too_coarse_naming_the_field(client_for, physician):
    drugs = protocol().model_dump()["drugs"]
    drugs[0]["rounding"] = {"step": 1}
    stored(code="T-VRd", drugs=drugs)
    response = post(client_for(physician), CONTRACT_EXAMPLE | {"weight_kg": 72.5, "height_cm": 168})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "rounding" and "bortezomib" in response.json()["detail"]
