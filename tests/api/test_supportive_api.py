"""POST /api/v1/evaluate: ``supportive_care`` follows the treatment, each item with its ``category`` and, where
the guideline dates it from an event, its ``due_date`` (contract v1.1; Handlingsprogram, «Støttebehandling»).
Dates are counted by hand from the event: reinfusion 2026-02-20 (day 0), bispecific start 2026-03-10."""

import copy

import pytest

from tests.api.examples import EXAMPLE, post

CATEGORIES = {"thrombosis", "bone", "vaccine", "infection", "hypercalcaemia", "anaemia"}


def remission_after_hmas():
    """VRd + HMAS (reinfusion 2026-02-20), CR, on lenalidomide maintenance; today's labs show no M-component."""
    body = copy.deepcopy(EXAMPLE)
    body["labs"].update({"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 15, "flc_lambda_mg_l": 14})
    body["marrow"] = {"clonal_plasma_cells_pct": 0}
    body["treatment_history"] = [{"line": 1, "regimen": "VRd-induction",
                                  "drugs": ["bortezomib", "lenalidomide", "dexamethasone"],
                                  "autologous_transplant": True, "transplant_date": "2026-02-20",
                                  "best_response": "CR"}]
    body["current_treatment"] = {"regimen": "R-maintenance", "phase": "maintenance", "start_date": "2026-05-01"}
    return body


def on_teclistamab():
    body = copy.deepcopy(EXAMPLE)
    body["marrow"] = {"clonal_plasma_cells_pct": 30}
    body["treatment_history"] = [
        {"line": 1, "regimen": "VRd-induction", "drugs": ["bortezomib", "lenalidomide", "dexamethasone"],
         "refractory_to": ["lenalidomide"]},
        {"line": 2, "regimen": "DPd", "drugs": ["daratumumab", "pomalidomide", "dexamethasone"],
         "refractory_to": ["daratumumab", "pomalidomide"]},
        {"line": 3, "regimen": "Kd", "drugs": ["carfilzomib", "dexamethasone"], "refractory_to": ["carfilzomib"]},
        {"line": 4, "regimen": "teclistamab", "drugs": ["teclistamab"]},
    ]
    body["current_treatment"] = {"regimen": "teclistamab", "phase": "induction", "start_date": "2026-03-10"}
    return body


def due(items, fragment):
    return [i["due_date"] for i in items if fragment in i["text"]]


@pytest.mark.hazard("HAZ-115")
@pytest.mark.hazard("HAZ-116")
def test_api_remission_after_hmas_supportive_care_with_category_and_due_dates(client_for, physician):
    response = post(client_for(physician), "/api/v1/evaluate", remission_after_hmas())
    assert response.status_code == 200
    body = response.json()
    assert body["diagnosis"]["code"] == "NO_PLASMA_CELL_DISORDER"
    items = body["supportive_care"]
    assert all(i["category"] in CATEGORIES and i["category"] == i["topic"] for i in items)
    assert all("due_date" in i for i in items)
    assert {"bone", "vaccine", "infection", "thrombosis"} <= {i["category"] for i in items}
    # «3 doser PKV20 … 3, 4 og 5 måneder etter reinfusjon, deretter PPV23 … 12 måneder etter reinfusjon»
    assert due(items, "PCV20 (Apexxnar/Prevenar20) —") == ["2026-05-20", "2026-06-20", "2026-07-20"]
    assert due(items, "PPV23 (Pneumovax) —") == ["2027-02-20"]
    assert due(items, "Tetravac —") == ["2026-08-20", "2026-09-20", "2027-02-20"]
    # «HMAS: Til 3 måneder etter reinfusjon»
    assert due(items, "HMAS: valaciclovir") == ["2026-05-20"]
    # undated measures carry null
    assert due(items, "Calcium with vitamin D") == [None]


@pytest.mark.hazard("HAZ-116")
def test_api_bispecific_start_dates_valaciclovir_and_pneumocystis(client_for, physician):
    response = post(client_for(physician), "/api/v1/evaluate", on_teclistamab())
    assert response.status_code == 200
    items = response.json()["supportive_care"]
    assert all(i["category"] in CATEGORIES for i in items)
    # «250-500 mg x 2 fra oppstart og i minst ett år»; Pneumocystis «Fra behandlingsstart og under behandling»
    assert due(items, "valaciclovir 250–500 mg × 2 from start") == ["2027-03-10"]
    assert due(items, "Pneumocystis prophylaxis from start") == ["2026-03-10"]


def test_api_due_dates_in_norwegian_text_stay_iso_in_due_date(client_for, physician):
    response = post(client_for(physician), "/api/v1/evaluate", remission_after_hmas(),
                    HTTP_ACCEPT_LANGUAGE="nb")
    items = response.json()["supportive_care"]
    assert "2026-05-20" in [i["due_date"] for i in items if i["category"] == "vaccine"]
