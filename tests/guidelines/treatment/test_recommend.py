"""The setting by diagnosis (guidelines.treatment.recommend), Handlingsprogram for myelomatose, chapter
"Behandling", and the properties every advice keeps.

Expected values are the guideline's own words (row quoted in each id / comment), never copied from the code.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidelines.advice import TreatmentAdvice
from guidelines.facts import PatientFacts
from guidelines.treatment import DIAGNOSIS_CODES, SETTINGS
from tests.guidelines.shipped import recommend
from tests.guidelines.strategies import patient_facts
from tests.guidelines.treatment.helpers import advise

# --- Diagnosis → setting -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("diagnosis", "setting"),
    [
        pytest.param("MGUS", "OBSERVE", id="oppfølging-MGUS-observeres"),
        pytest.param("SMOLDERING_MYELOMA", "OBSERVE", id="oppfølging-ulmende-myelomatose-observeres"),
        pytest.param("NO_PLASMA_CELL_DISORDER", "NONE", id="ingen-plasmacellesykdom-ingen-behandling"),
        pytest.param("INSUFFICIENT_DATA", "NONE", id="utilstrekkelige-data-ingen-behandling"),
        pytest.param("POEMS", "NONE", id="POEMS-til-POEMS-modulen"),
        pytest.param("SOLITARY_PLASMACYTOMA", "SOLITARY_PLASMACYTOMA_RADIOTHERAPY", id="solitært-plasmacytom-stråling"),
        pytest.param("PLASMA_CELL_LEUKEMIA", "PLASMA_CELL_LEUKEMIA", id="plasmacelleleukemi-førstelinje"),
        pytest.param("ACTIVE_MYELOMA", "FIRST_LINE_TRANSPLANT", id="myelomatose-under-70-HMAS"),
    ],
)
def test_setting_by_diagnosis(diagnosis, setting):
    facts = PatientFacts(age=60, transplant_contraindication=False)
    advice = advise(facts, diagnosis)
    assert advice.setting == setting
    assert advice.reasons or advice.notes


def test_poems_is_left_to_the_poems_module():
    advice = advise(PatientFacts(age=60), "POEMS")
    assert advice.options == () and "POEMS" in " ".join(advice.reasons)


def test_observe_cites_follow_up_section():
    advice = advise(PatientFacts(age=60), "MGUS")
    assert advice.citations[0].section == "Oppfølging av MGUS, ulmende myelomatose og plasmacytomer"


# --- Properties -----------------------------------------------------------------------------------------------

@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    facts=patient_facts,
    diagnosis=st.sampled_from(DIAGNOSIS_CODES),
    high_risk=st.none() | st.booleans(),
    egfr=st.none() | st.floats(min_value=0, max_value=200),
)
def test_recommend_never_raises_and_returns_known_setting(facts, diagnosis, high_risk, egfr):
    advice = recommend(facts, diagnosis_code=diagnosis, high_risk=high_risk, egfr_ml_min=egfr)
    assert isinstance(advice, TreatmentAdvice)
    assert advice.setting in SETTINGS
    assert [o.rank for o in advice.options] == sorted(o.rank for o in advice.options)
    assert all(o.citation.document == "myeloma" for o in advice.options)
