"""Issue 13 items 1 and 2 through POST /api/v1/evaluate (docs/adr/0018-refractory-and-class-switching-per-line.md)."""

import copy

import pytest

from tests.api.examples import EXAMPLE, post


def body_with(history):
    body = copy.deepcopy(EXAMPLE)
    body["treatment_history"] = history
    return body


ISSUE_HISTORY = [
    {"line": 1, "regimen": "VRd-induction", "refractory_to": ["lenalidomide"], "autologous_transplant": False},
    {"line": 2, "regimen": "BVd", "refractory_to": [], "intolerant_to": [], "autologous_transplant": False},
    {"line": 3, "regimen": "PCd", "refractory_to": ["pomalidomide"], "autologous_transplant": False,
     "progression_date": "2026-11-01"},
]


@pytest.mark.hazard("HAZ-113")
def test_issue_case_line4_through_the_api(client_for, physician):
    # «Et viktig prinsipp er å bytte til eller legge til et medikament med ny virkningsmekanisme»: after
    # pomalidomide-refractory PCd no PCd or Pd in line 4; the tables give no option and the answer says so
    response = post(client_for(physician), "/api/v1/evaluate", body_with(ISSUE_HISTORY))
    assert response.status_code == 200, response.content
    treatment = response.json()["treatment"]
    assert treatment["setting"] == "RELAPSE_LINE_4"
    assert [o["regimen"] for o in treatment["options"]] == []
    assert any("tables give no option" in n for n in treatment["notes"])


PRIMARY = [{"line": 1, "regimen": "VRd-induction", "refractory_to": ["lenalidomide"], "autologous_transplant": False,
            "progression_date": "2026-11-01", "progression_in_induction": "late"}]


@pytest.mark.hazard("HAZ-114")
def test_primary_refractory_late_through_the_api(client_for, physician):
    # «For pasienter som har progresjon sent i induksjonsbehandling => Gå raskt til HMAS»
    response = post(client_for(physician), "/api/v1/evaluate", body_with(PRIMARY))
    assert response.status_code == 200, response.content
    treatment = response.json()["treatment"]
    assert [o["regimen"] for o in treatment["options"]] == ["Mel-HMAS"]


@pytest.mark.hazard("HAZ-114")
@pytest.mark.parametrize("bad", ["sometime", "EARLY", 1, True])
def test_progression_in_induction_bad_value_is_422_naming_the_field(client_for, physician, bad):
    history = [{**PRIMARY[0], "progression_in_induction": bad}]
    response = post(client_for(physician), "/api/v1/evaluate", body_with(history))
    assert response.status_code == 422
    assert "progression_in_induction" in response.content.decode()
