"""Issue 13 items 4 and 7 (rest) through POST /api/v1/evaluate: ``treatment_history[].radiotherapy_gy``,
``end_date``, ``tandem_transplant_date`` and ``current_treatment.mrd_negative_months``
(shared/contract/api-v1.md, v1.1 additions; docs/adr/0023-radiotherapy-failure-and-maintenance.md)."""

import copy

import pytest

from tests.api.examples import EXAMPLE, post

POEMS = copy.deepcopy(EXAMPLE)
POEMS.update(
    labs={**EXAMPLE["labs"], "serum_m_protein_g_l": 4, "m_protein_isotype": "IgA", "flc_kappa_mg_l": 10,
          "flc_lambda_mg_l": 40, "vegf_ng_l": 850},
    marrow={"clonal_plasma_cells_pct": 0},
    imaging={**EXAMPLE["imaging"], "sclerotic_bone_lesions": True, "sclerotic_bone_lesion_count": 1},
    poems={**EXAMPLE["poems"], "polyneuropathy": True, "polyneuropathy_severe_rapidly_progressive": True,
           "organomegaly": True, "endocrinopathy": ["gonadal"]},
)
RADIOTHERAPY = {"line": 1, "regimen": "strålebehandling", "radiotherapy_gy": 45, "start_date": "2026-01-05",
                "end_date": "2026-02-13"}


def poems_with(**line):
    body = copy.deepcopy(POEMS)
    body["treatment_history"] = [{**RADIOTHERAPY, **line}]
    return body


def options(body):
    return [o["regimen"] for o in body["treatment"]["options"]]


@pytest.mark.hazard("HAZ-117")
def test_poems_progression_after_radiotherapy_is_systemic_through_the_api(client_for, physician):
    # 5. «samt patienter med tegn på progression 3-6 mdr efter afsluttet strålebehandling (D)»
    response = post(client_for(physician), "/api/v1/evaluate", poems_with(progression_date="2026-06-01"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["treatment"]["setting"] == "POEMS_SYSTEMIC"
    assert "radiotherapy-40-50Gy" not in options(body) and options(body)
    assert any("3–6 months after the end of radiotherapy" in r for r in body["treatment"]["reasons"])


def test_poems_without_radiotherapy_is_unchanged(client_for, physician):
    body = post(client_for(physician), "/api/v1/evaluate", {**POEMS, "treatment_history": []}).json()
    assert body["treatment"]["setting"] == "POEMS_RADIOTHERAPY"


@pytest.mark.hazard("HAZ-117")
@pytest.mark.parametrize("bad", [0, -5, 101, "45", True, [45]])
def test_radiotherapy_gy_bad_value_is_422_naming_the_field(client_for, physician, bad):
    response = post(client_for(physician), "/api/v1/evaluate", poems_with(radiotherapy_gy=bad))
    assert response.status_code == 422
    assert any(e["field"] == "treatment_history.0.radiotherapy_gy" for e in response.json()["errors"])


@pytest.mark.parametrize(("field", "value"), [("end_date", "2025-12-31"), ("end_date", "13.02.2026"),
                                              ("start_date", 20260105)])
def test_line_dates_bad_value_is_422_naming_the_field(client_for, physician, field, value):
    response = post(client_for(physician), "/api/v1/evaluate", poems_with(**{field: value}))
    assert response.status_code == 422
    assert any(e["field"] == f"treatment_history.0.{field}" for e in response.json()["errors"])


HMAS = {"line": 1, "regimen": "VRd-induction", "drugs": ["bortezomib", "lenalidomide", "dexamethasone"],
        "autologous_transplant": True, "transplant_date": "2026-02-20"}
IN_CR = {"labs": {**EXAMPLE["labs"], "serum_m_protein_g_l": 0, "flc_kappa_mg_l": 10, "flc_lambda_mg_l": 10},
         "marrow": {"clonal_plasma_cells_pct": 0}}


def after_hmas(history, **current):
    body = copy.deepcopy(EXAMPLE)
    body.update(IN_CR, treatment_history=history)
    if current:
        body["current_treatment"] = current
    return body


@pytest.mark.hazard("HAZ-119")
def test_maintenance_window_as_dates_through_the_api(client_for, physician):
    # «Det anbefales oppstart av vedlikeholdsbehandling med lenalidomid 8-14 uker etter HMAS»: 2026-02-20 + 8 weeks
    # = 2026-04-17, + 14 weeks = 2026-05-29
    body = post(client_for(physician), "/api/v1/evaluate", after_hmas([HMAS])).json()
    assert any("between 2026-04-17 and 2026-05-29" in n for n in body["treatment"]["notes"])


@pytest.mark.hazard("HAZ-119")
def test_tandem_date_dates_the_window_from_the_second_hmas(client_for, physician):
    # tandem reinfusion 2026-05-01 + 8 weeks = 2026-06-26, + 14 weeks = 2026-08-07
    line = {**HMAS, "tandem_transplant_date": "2026-05-01"}
    body = post(client_for(physician), "/api/v1/evaluate", after_hmas([line])).json()
    assert any("between 2026-06-26 and 2026-08-07" in n for n in body["treatment"]["notes"])


@pytest.mark.parametrize("tandem", ["2026-02-19", "2026-13-01", 5])
def test_tandem_transplant_date_bad_value_is_422_naming_the_field(client_for, physician, tandem):
    line = {**HMAS, "tandem_transplant_date": tandem}
    response = post(client_for(physician), "/api/v1/evaluate", after_hmas([line]))
    assert response.status_code == 422
    assert any(e["field"] == "treatment_history.0.tandem_transplant_date" for e in response.json()["errors"])


def test_tandem_without_the_first_transplant_date_is_422(client_for, physician):
    line = {**HMAS, "transplant_date": None, "tandem_transplant_date": "2026-05-01"}
    response = post(client_for(physician), "/api/v1/evaluate", after_hmas([line]))
    assert response.status_code == 422
    assert any(e["field"] == "treatment_history.0.tandem_transplant_date" for e in response.json()["errors"])


MAINTENANCE = {"line": 2, "regimen": "Dara-R-maintenance", "start_date": "2026-05-01"}


@pytest.mark.hazard("HAZ-118")
@pytest.mark.parametrize(("months", "words"), [
    pytest.param(14, "daratumumab can be stopped", id="more-than-12-months-stop"),
    pytest.param(12, "daratumumab continues", id="12-months-continue"),
])
def test_cd38_stop_rule_through_the_api(client_for, physician, months, words):
    # «Hvis pasienten har vært i MRD negativ CR > 12 måneder kan daratumumab avsluttes. Lenalidomid kontinueres.»
    body = post(client_for(physician), "/api/v1/evaluate", after_hmas(
        [HMAS, MAINTENANCE], regimen="Dara-R-maintenance", phase="maintenance", start_date="2026-05-01",
        mrd_negative_months=months)).json()
    assert any(words in n for n in body["treatment"]["notes"]), body["treatment"]["notes"]


@pytest.mark.hazard("HAZ-118")
@pytest.mark.parametrize("bad", [-1, 601, "14", True])
def test_mrd_negative_months_bad_value_is_422_naming_the_field(client_for, physician, bad):
    response = post(client_for(physician), "/api/v1/evaluate", after_hmas(
        [HMAS, MAINTENANCE], regimen="Dara-R-maintenance", phase="maintenance", mrd_negative_months=bad))
    assert response.status_code == 422
    assert any(e["field"] == "current_treatment.mrd_negative_months" for e in response.json()["errors"])
