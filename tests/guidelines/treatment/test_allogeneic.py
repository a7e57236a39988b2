"""«Allogen stamcelletransplantasjon» (guidelines/treatment/allogeneic.py).

Expected values are the guideline's own words (row quoted in each id / comment), never copied from the code.
"""

import pytest

from guidelines.facts import PatientFacts, Response
from tests.guidelines.shipped import allo_criteria, progression_before_hmas
from tests.guidelines.treatment.helpers import advise, line, notes, relapse

# --- Allogeneic transplant -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("age", "months", "response", "expected"),
    [
        pytest.param(54, 4, Response.VGPR, "criteria met", id="allogen-alle-kriterier-oppfylt"),
        pytest.param(55, 4, Response.VGPR, None, id="allogen-alder-55-ikke-under-55"),
        pytest.param(54, 6, Response.CR, "criteria met", id="allogen-progresjon-6-mnd-etter-HMAS"),
        pytest.param(54, 7, Response.VGPR, None, id="allogen-progresjon-7-mnd-ikke-aggressiv"),
        pytest.param(54, 4, Response.PR, "may come into question", id="allogen-kun-PR-ikke-VGPR"),
    ],
)
def test_allo_criteria(age, months, response, expected):
    # "Alder <55 år"; "progresjon ... innen 6 måneder etter HMAS"; "Minst VGPR på første- eller andrelinje"
    facts = relapse(line(1, "VRd-induction", refractory=("lenalidomide",), autologous_transplant=True,
                         months_from_transplant_to_progression=months, best_response=response), age=age)
    text = notes(advise(facts))
    if expected:
        assert "Allogeneic stem cell transplantation " + expected in text
    else:
        assert "Allogeneic" not in text


def test_allo_progression_months_missing():
    facts = relapse(line(1, "VRd-induction", refractory=("lenalidomide",), autologous_transplant=True), age=50)
    assert "treatment_history[0].months_from_transplant_to_progression" in advise(facts).missing


def test_allo_criteria_values():
    facts = relapse(line(1, "VRd-induction", best_response=Response.SD, autologous_transplant=True,
                         months_from_transplant_to_progression=12), age=50)
    assert [ok for _, ok in allo_criteria(facts, pcl=False)] == [True, False, False]


@pytest.mark.parametrize(
    ("line1", "met", "missing"),
    [
        # Allogen: «Aggressiv sykdom definert som progresjon før HMAS»
        pytest.param(line(1, "VRd-induction", best_response=Response.PD, autologous_transplant=True), True, None,
                     id="allogen-progresjon-foer-HMAS-best-response-PD"),
        pytest.param(line(1, "VRd-induction", refractory=("lenalidomide",), autologous_transplant=False), True, None,
                     id="allogen-progresjon-foer-HMAS-refractory-no-HMAS"),
        pytest.param(line(1, "VRd-induction", autologous_transplant=False, best_response=Response.PR), False, None,
                     id="allogen-ingen-progresjon-uten-HMAS"),
        pytest.param(line(1, "VRd-induction", refractory=("lenalidomide",), autologous_transplant=True,
                          best_response=Response.VGPR), False, None, id="allogen-HMAS-gitt-VGPR-ikke-foer-HMAS"),
        pytest.param(line(1, "VRd-induction", refractory=("lenalidomide",)), None,
                     "treatment_history[0].autologous_transplant", id="allogen-HMAS-ukjent"),
        pytest.param(line(1, "VRd-induction", autologous_transplant=True), None,
                     "treatment_history[0].best_response", id="allogen-HMAS-gitt-respons-ukjent"),
        pytest.param(line(2, "BVd"), None, "treatment_history", id="allogen-linje-1-mangler"),
    ],
)
def test_progression_before_hmas_from_line_1(line1, met, missing):
    found = progression_before_hmas(relapse(line1, age=50))
    assert found.met is met
    assert (missing in found.missing) if missing else found.missing == ()


def test_progression_before_hmas_without_history():
    assert progression_before_hmas(PatientFacts(age=50)).met is None


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        pytest.param(54, "may come into question", id="allogen-progresjon-foer-HMAS-alder-54"),
        pytest.param(55, None, id="allogen-progresjon-foer-HMAS-alder-55-ikke"),
    ],
)
def test_allo_progression_before_hmas_is_aggressive(age, expected):
    # line 1 without HMAS, refractory to the induction (progression during induction): «progresjon før HMAS»
    facts = relapse(line(1, "VRd-induction", refractory=("lenalidomide",), autologous_transplant=False,
                         best_response=Response.PR), age=age)
    text = notes(advise(facts))
    assert ("Allogeneic stem cell transplantation " + expected in text) if expected else "Allogeneic" not in text


def test_allo_aggressive_undecided_lists_line_1_fact():
    facts = relapse(line(1, "VRd-induction", autologous_transplant=True, months_from_transplant_to_progression=12),
                    age=50)
    advice = advise(facts)
    assert "treatment_history[0].best_response" in advice.missing
    assert any("aggressive disease undecided" in r for r in advice.reasons)
    assert [ok for _, ok in allo_criteria(facts, pcl=False)][1] is None
