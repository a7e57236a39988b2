"""«Behandling ved nyresvikt» (guidelines/treatment/renal.py): the lenalidomide dose by eGFR, from the
protocol of the regimen offered.

Expected values are the guideline's own words (row quoted in each id / comment), never copied from the code.
"""

import pytest

from guidelines.facts import PatientFacts
from guidelines.treatment import lenalidomide_renal_dose
from tests.guidelines.shipped import LIBRARY
from tests.guidelines.treatment.helpers import advise, notes

# --- Renal (Behandling ved nyresvikt) -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("egfr", "dose", "ambiguous"),
    [
        pytest.param(29, 15, False, id="nyresvikt-lenalidomid-eGFR-29-15mg"),
        pytest.param(30, 25, True, id="nyresvikt-lenalidomid-eGFR-30-udefinert"),
        pytest.param(31, 25, False, id="nyresvikt-lenalidomid-eGFR-31-25mg"),
    ],
)
def test_lenalidomide_renal_dose(egfr, dose, ambiguous):
    # "15 mg daglig hvis eGFR <30, og i 25 mg daglig hvis >30"
    result = lenalidomide_renal_dose(egfr, LIBRARY["VRd-induction"])
    assert result.dose_mg == dose
    assert (result.ambiguity is not None) is ambiguous


def test_lenalidomide_renal_dose_unknown():
    result = lenalidomide_renal_dose(None, LIBRARY["VRd-induction"])
    assert result.dose_mg is None and result.missing == ("labs.egfr_ml_min",)


@pytest.mark.parametrize(
    ("egfr", "no_reduction_note"),
    [pytest.param(29, True, id="nyresvikt-uten-dosereduksjon-eGFR-29"),
     pytest.param(30, False, id="ingen-nyresvikt-note-eGFR-30")],
)
def test_renal_no_reduction_note(egfr, no_reduction_note):
    advice = advise(PatientFacts(age=60, transplant_contraindication=False), egfr=egfr)
    assert ("without dose reduction" in notes(advice)) is no_reduction_note
    assert "Lenalidomide:" in notes(advice)


def test_renal_ambiguity_at_30_reaches_advice():
    advice = advise(PatientFacts(age=60, transplant_contraindication=False), egfr=30)
    assert any("eGFR exactly 30" in a.interpretation for a in advice.ambiguities)
