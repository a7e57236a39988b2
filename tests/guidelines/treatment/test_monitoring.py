"""«Vurdering av behandlingsrespons og kontroll» (guidelines/treatment/monitoring.py): a treated patient without
recorded progression gets no new line but the response monitoring plan.

Expected values are the guideline's own words: oligo- and non-secretory disease «følges med benmarg og PET».
"""

from guidelines.facts import Labs, Marrow, PatientFacts
from tests.guidelines.treatment.helpers import advise, line


def test_no_clonal_marker_after_progression_asks_for_the_marrow():
    facts = PatientFacts(age=60, labs=Labs(serum_m_protein_g_l=0), marrow=Marrow(None),
                         treatment_history=(line(1, "VRd-induction", refractory=("lenalidomide",)),))
    advice = advise(facts, "NO_PLASMA_CELL_DISORDER")
    assert advice.setting == "NONE" and advice.options == ()
    assert any("judged by bone marrow and PET" in r for r in advice.reasons)
    assert "marrow.clonal_plasma_cells_pct" in advice.missing
