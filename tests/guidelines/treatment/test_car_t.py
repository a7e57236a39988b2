"""«Behandling med kimær antigen-reseptor T-celle (CAR-T) behandling» (guidelines/treatment/car_t.py).

Expected values are the guideline's own words (row quoted in each id / comment), never copied from the code.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidelines.facts import Imaging, Labs, PatientFacts, Plasmacytoma
from guidelines.treatment import CarTVerdict
from tests.guidelines.shipped import car_t_priority
from tests.guidelines.strategies import patient_facts
from tests.guidelines.treatment.helpers import LINE1_R, advise, line, notes, relapse

# --- CAR-T ----------------------------------------------------------------------------------------------------

def cart_facts(**kw):
    base = dict(age=60, labs=Labs(circulating_plasma_cells_pct=0), imaging=Imaging(plasmacytoma=Plasmacytoma.NONE),
                treatment_history=(line(1, "Dara-VRd", refractory=("lenalidomide",)),))
    base.update(kw)
    return PatientFacts(**base)


def cart(facts=None, **kw):
    args = dict(high_risk=False, egfr_ml_min=60, lvef_pct=55, saturation_pct=97, cirrhosis=False)
    args.update(kw)
    return car_t_priority(facts or cart_facts(), **args)


def test_cart_prioritised():
    result = cart()
    assert result.verdict == CarTVerdict.PRIORITISED and result.exclusions == ()
    assert any("not reimbursed" in n for n in result.notes)


@pytest.mark.parametrize(
    ("facts", "kw", "exclusion"),
    [
        pytest.param(cart_facts(imaging=Imaging(plasmacytoma=Plasmacytoma.EXTRAMEDULLARY)), {}, "extramedullary",
                     id="CAR-T-kjent-ekstramedullær-sykdom"),
        pytest.param(None, {"extramedullary": True}, "extramedullary", id="CAR-T-ekstramedullær-oppgitt"),
        pytest.param(cart_facts(treatment_history=(line(1, "BVd"),)), {}, "BCMA", id="CAR-T-tidligere-BCMA-belantamab"),
        pytest.param(cart_facts(treatment_history=(line(1, "cilta-cel"),)), {}, "BCMA", id="CAR-T-tidligere-CAR-T"),
        pytest.param(None, {"high_risk": True}, "IMS/IMWG", id="CAR-T-høyrisiko-IMS-IMWG"),
        pytest.param(None, {"diagnosis_code": "PLASMA_CELL_LEUKEMIA"}, "Not per indication", id="CAR-T-PCL"),
        pytest.param(None, {"diagnosis_code": "SMOLDERING_MYELOMA"}, "Not per indication", id="CAR-T-ulmende"),
        pytest.param(None, {"diagnosis_code": "MGUS"}, "Not per indication", id="CAR-T-MGUS"),
        pytest.param(None, {"diagnosis_code": "SOLITARY_PLASMACYTOMA"}, "Not per indication",
                     id="CAR-T-solitært-plasmacytom"),
        pytest.param(cart_facts(treatment_history=()), {}, "No earlier treatment line",
                     id="CAR-T-ingen-tidligere-linje"),
        pytest.param(cart_facts(labs=Labs(circulating_plasma_cells_pct=5)), {}, "Blood smear 5",
                     id="CAR-T-blodutstryk-5-prosent"),
        pytest.param(None, {"egfr_ml_min": 29}, "eGFR", id="CAR-T-eGFR-29"),
        pytest.param(None, {"lvef_pct": 39}, "LVEF", id="CAR-T-LVEF-39"),
        pytest.param(None, {"saturation_pct": 91}, "Saturation", id="CAR-T-saturasjon-91"),
        pytest.param(None, {"cirrhosis": True}, "cirrhosis", id="CAR-T-levercirrhose"),
    ],
)
def test_cart_not_prioritised(facts, kw, exclusion):
    result = cart(facts, **kw)
    assert result.verdict == CarTVerdict.NOT_PRIORITISED
    assert any(exclusion in e for e in result.exclusions)


@pytest.mark.parametrize(
    ("facts", "kw"),
    [
        pytest.param(cart_facts(labs=Labs(circulating_plasma_cells_pct=4.9)), {}, id="CAR-T-blodutstryk-4.9-prosent"),
        pytest.param(None, {"egfr_ml_min": 30}, id="CAR-T-eGFR-30"),
        pytest.param(None, {"lvef_pct": 40}, id="CAR-T-LVEF-40"),
        pytest.param(None, {"saturation_pct": 92}, id="CAR-T-saturasjon-92"),
    ],
)
def test_cart_thresholds_met(facts, kw):
    # "Estimert GFR ≥ 30", "LVEF ≥ 40%", "Saturasjon ≥ 92%", "<5 % plasmaceller i blod"
    assert cart(facts, **kw).verdict == CarTVerdict.PRIORITISED


def test_cart_talquetamab_individual_assessment():
    facts = cart_facts(treatment_history=(line(1, "Dara-VRd"), line(2, "talquetamab")))
    assert cart(facts).verdict == CarTVerdict.INDIVIDUAL_ASSESSMENT


def test_cart_undetermined_lists_missing():
    result = car_t_priority(PatientFacts(age=60, treatment_history=(line(1, "DRd"),)), high_risk=None)
    assert result.verdict == CarTVerdict.UNDETERMINED
    assert set(result.missing) == {"imaging.plasmacytoma", "cytogenetics", "labs.circulating_plasma_cells_pct",
                                   "labs.egfr_ml_min", "lvef_pct", "saturation_pct", "cirrhosis"}


def test_high_risk_relapse_mentions_cart_deprioritised():
    advice = advise(relapse(LINE1_R), high_risk=True)
    assert "not prioritised for CAR-T" in notes(advice)


@settings(max_examples=100)
@given(facts=patient_facts, high_risk=st.none() | st.booleans(), egfr=st.none() | st.floats(min_value=0, max_value=200))
def test_car_t_never_raises(facts, high_risk, egfr):
    assert car_t_priority(facts, high_risk=high_risk, egfr_ml_min=egfr).verdict in CarTVerdict
