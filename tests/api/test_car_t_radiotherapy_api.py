"""POST /api/v1/evaluate, contract v1.1: ``treatment.car_t`` and ``treatment.radiotherapy`` from the ``car_t``,
``emergency`` and ``current_treatment`` blocks (Handlingsprogram: the CAR-T section, «Strålebehandling»)."""

import copy

import pytest

from tests.api.examples import EXAMPLE, post

ORGAN = {"lvef_pct": 55, "spo2_room_air_pct": 96, "liver_cirrhosis": False, "serious_comorbidity": False,
         "blood_plasma_cells_pct": 0, "al_amyloidosis": False, "fish_tp53_date": "2026-03-10"}


def relapse(**changes):
    """The contract's example (relapse after VRd + HMAS, refractory to lenalidomide), progression dated 2026-03-01,
    no extramedullary disease, organ function within every limit of «Komorbiditet og organfunksjon»."""
    body = copy.deepcopy(EXAMPLE)
    body["treatment_history"][0]["progression_date"] = "2026-03-01"
    body["imaging"]["extramedullary_disease"] = False
    body["car_t"] = dict(ORGAN)
    for group, values in changes.items():
        if isinstance(values, dict) and isinstance(body.get(group), dict):
            body[group].update(values)
        else:
            body[group] = values
    return body


def evaluate(client, body):
    response = post(client, "/api/v1/evaluate", body)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.hazard("HAZ-100")
@pytest.mark.parametrize(
    ("changes", "verdict", "criterion"),
    [
        pytest.param({}, "PRIORITISED", None, id="CAR-T-prioritert"),
        pytest.param({"imaging": {"extramedullary_disease": True}}, "NOT_PRIORITISED", "extramedullary",
                     id="CAR-T-kjent-ekstramedullær-sykdom"),
        pytest.param({"car_t": {"lvef_pct": 39}}, "NOT_PRIORITISED", "lvef", id="CAR-T-LVEF-39"),
        pytest.param({"car_t": {"lvef_pct": 40}}, "PRIORITISED", None, id="CAR-T-LVEF-40"),
        pytest.param({"car_t": {"spo2_room_air_pct": 91.9}}, "NOT_PRIORITISED", "spo2", id="CAR-T-SpO2-91,9"),
        pytest.param({"car_t": {"spo2_room_air_pct": 92}}, "PRIORITISED", None, id="CAR-T-SpO2-92"),
        pytest.param({"labs": {"egfr_ml_min": 29}}, "NOT_PRIORITISED", "egfr", id="CAR-T-eGFR-29"),
        pytest.param({"labs": {"egfr_ml_min": 30}}, "PRIORITISED", None, id="CAR-T-eGFR-30"),
        pytest.param({"car_t": {"blood_plasma_cells_pct": 5}}, "NOT_PRIORITISED", "blood_smear",
                     id="CAR-T-blodutstryk-5-prosent"),
        pytest.param({"car_t": {"liver_cirrhosis": True}}, "NOT_PRIORITISED", "cirrhosis", id="CAR-T-levercirrhose"),
        pytest.param({"car_t": {"al_amyloidosis": True}}, "NOT_PRIORITISED", "indication", id="CAR-T-AL-amyloidose"),
        pytest.param({"car_t": {"serious_comorbidity": True}}, "INDIVIDUAL_ASSESSMENT", "comorbidity",
                     id="CAR-T-alvorlig-komorbiditet-individuell-vurdering"),
        pytest.param({"cytogenetics": {"del17p": True}}, "NOT_PRIORITISED", "high_risk", id="CAR-T-høyrisiko-del17p"),
        pytest.param({"car_t": {"fish_tp53_date": "2026-02-28"}}, "UNDETERMINED", "high_risk",
                     id="CAR-T-FISH-før-siste-tilbakefall"),
    ],
)
def test_car_t_verdict_through_the_api(client_for, physician, changes, verdict, criterion):
    car_t = evaluate(client_for(physician), relapse(**changes))["treatment"]["car_t"]
    assert car_t["verdict"] == verdict
    assert isinstance(car_t["reasons"], list) and isinstance(car_t["missing"], list)
    statuses = {c["code"]: c["status"] for c in car_t["criteria"]}
    if criterion is None:
        assert set(statuses.values()) == {"met"} and car_t["missing"] == []
    else:
        assert statuses[criterion] != "met"


def test_car_t_missing_facts_are_json_paths(client_for, physician):
    body = relapse()
    del body["car_t"]
    del body["imaging"]["extramedullary_disease"]
    car_t = evaluate(client_for(physician), body)["treatment"]["car_t"]
    assert car_t["verdict"] == "UNDETERMINED"
    assert {"car_t.lvef_pct", "car_t.spo2_room_air_pct", "car_t.liver_cirrhosis", "car_t.serious_comorbidity",
            "car_t.al_amyloidosis", "car_t.fish_tp53_date", "imaging.extramedullary_disease"} <= set(car_t["missing"])


@pytest.mark.hazard("HAZ-101")
def test_spinal_cord_compression_is_an_emergency_in_any_setting(client_for, physician):
    # «Kompresjon av medulla spinalis … er en medisinsk akuttsituasjon»; «Strålebehandling 3 Gy x10 startes innen
    # 24 timer» — also at first line (no treatment history)
    body = relapse(treatment_history=[], emergency={"spinal_cord_compression": True, "painful_lesion": True})
    treatment = evaluate(client_for(physician), body)["treatment"]
    first, second = treatment["radiotherapy"]
    assert (first["indication"], first["dose"], first["urgency"]) == ("spinal_cord_compression", "3 Gy × 10",
                                                                      "emergency")
    assert (second["indication"], second["dose"], second["urgency"]) == ("painful_lesion", "8 Gy × 1", "routine")
    assert first["citation"]["detail"] == "Truende tverrsnittslesjon"


@pytest.mark.parametrize(
    ("emergency", "expected"),
    [
        pytest.param({"fracture": True, "postoperative": True}, [("postoperative", "3 Gy × 10")],
                     id="postoperativ-strålebehandling-3Gy-x10"),
        pytest.param({"fracture": True, "postoperative": False}, [("fracture", None)], id="fraktur-ikke-operert"),
        pytest.param({"impending_fracture": True}, [("impending_fracture", None)], id="truende-fraktur"),
        pytest.param({"space_occupying": True}, [("space_occupying", "3 Gy × 10")], id="andre-romoppfyllende"),
        pytest.param({"spinal_cord_compression": False}, [], id="ingen-tverrsnittslesjon"),
    ],
)
def test_radiotherapy_and_surgery_indications_through_the_api(client_for, physician, emergency, expected):
    treatment = evaluate(client_for(physician), relapse(treatment_history=[], emergency=emergency))["treatment"]
    assert [(r["indication"], r["dose"]) for r in treatment["radiotherapy"]] == expected


@pytest.mark.hazard("HAZ-103")
@pytest.mark.parametrize(
    ("phase", "words"),
    [
        pytest.param("maintenance", "radiotherapy and continue", id="nytt-plasmacytom-under-behandling"),
        pytest.param("off_treatment", "restart systemic treatment", id="nytt-plasmacytom-i-behandlingspause"),
    ],
)
def test_relapse_with_plasmacytoma_on_treatment_or_in_a_pause(client_for, physician, phase, words):
    # the line without progression: a new plasmacytoma, no systemic progression (Tilbakefall med plasmacytomer)
    body = relapse(imaging={"plasmacytoma": "extramedullary", "plasmacytoma_count": 1},
                   current_treatment={"regimen": "R-maintenance", "phase": phase})
    line = body["treatment_history"][0]
    for key in ("refractory_to", "months_from_transplant_to_progression", "progression_date"):
        line.pop(key)
    treatment = evaluate(client_for(physician), body)["treatment"]
    (advice,) = treatment["radiotherapy"]
    assert advice["indication"] == "relapse_plasmacytoma"
    assert any(words in n for n in advice["notes"])


@pytest.mark.parametrize(
    ("group", "field", "value"),
    [
        pytest.param("car_t", "lvef_pct", 101, id="LVEF-over-100"),
        pytest.param("car_t", "spo2_room_air_pct", "96", id="SpO2-som-tekst"),
        pytest.param("car_t", "liver_cirrhosis", 1, id="cirrhose-som-tall"),
        pytest.param("emergency", "spinal_cord_compression", "yes", id="tverrsnittslesjon-som-tekst"),
        pytest.param("current_treatment", "phase", "pause", id="ukjent-fase"),
        pytest.param("imaging", "plasmacytoma_size_cm", 0, id="plasmacytom-0-cm"),
        pytest.param("car_t", "fish_tp53_date", "1899-12-31", id="FISH-dato-før-1900"),
    ],
)
def test_bad_v11_input_answers_422_naming_the_field(client_for, physician, group, field, value):
    body = relapse()
    body.setdefault(group, {})[field] = value
    response = post(client_for(physician), "/api/v1/evaluate", body)
    assert response.status_code == 422
    assert any(field in e["field"] and group in e["field"] for e in response.json()["errors"])


@pytest.mark.hazard("HAZ-123")
def test_explicit_no_emd_beside_an_extramedullary_plasmacytoma_is_undetermined_through_the_api(client_for, physician):
    """«Med ekstramedullær sykdom menes sann ekstramedullær sykdom (plasmacytomer ikke i relasjon til skjelett)»:
    the explicit «false» does not silence the extramedullary plasmacytoma on record; shown as an ambiguity."""
    answer = evaluate(client_for(physician), relapse(imaging={"plasmacytoma": "extramedullary",
                                                              "extramedullary_disease": False}))
    car_t = answer["treatment"]["car_t"]
    assert car_t["verdict"] == "UNDETERMINED"
    assert car_t["missing"] == ["imaging.extramedullary_disease"]
    assert any("plasmacytomer ikke i relasjon til skjelett" in a["source_text"] for a in answer["ambiguities"])


@pytest.mark.hazard("HAZ-124")
def test_a_history_line_with_unreadable_drugs_is_not_no_bcma_through_the_api(client_for, physician):
    """«Tidligere bruk av BCMA-rettet behandling … tidligere CAR-T, belantamab mafodotin, teklistamab og
    elranatamab»: a line recorded only as unknown free text may have been one of them — undetermined, its drugs
    asked for."""
    body = relapse()
    body["treatment_history"].append({"line": 2, "regimen": "studiebehandling i utlandet",
                                      "progression_date": "2026-03-01"})
    car_t = evaluate(client_for(physician), body)["treatment"]["car_t"]
    statuses = {c["code"]: c["status"] for c in car_t["criteria"]}
    assert car_t["verdict"] == "UNDETERMINED"
    assert statuses["earlier_bcma"] == "unknown" and statuses["non_bcma_t_cell_engager"] == "unknown"
    assert "treatment_history[1].drugs" in car_t["missing"]
