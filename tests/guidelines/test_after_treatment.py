"""A treated patient is classified by «Behandling av tilbakefall», not by the diagnostic table alone.

Handlingsprogram for myelomatose, «Behandling av tilbakefall»: «Det finnes to typer indikasjoner for
behandling av tilbakefall: Klinisk tilbakefall … Progressiv sykdom (se over og i tabell 8.2)»;
«Andrelinjebehandling»: «Med refraktær menes at pasienten har hatt progresjon under behandling med eller
innen 60 dager etter seponering av et medikament eller regime.» The table of «Diagnostiske kriterier»
(MGUS, ulmende myelomatose) describes untreated disease: a treated patient with residual M-component is
not MGUS, and a patient who progressed on the latest line gets the next line's options.

Ids name the situation; the expected values are read from the guideline text above.
"""

from dataclasses import replace

import pytest

from guidelines.diagnosis import Code, classify
from guidelines.evaluate import evaluate
from guidelines.facts import Imaging, Isotype, TreatmentLine
from guidelines.followup import followup
from guidelines.treatment import recommend

from .factories import BASE, make

pytestmark = pytest.mark.hazard("HAZ-019")

VRD_HMAS = TreatmentLine(line=1, regimen="VRd-induction", drugs=("bortezomib", "lenalidomide", "dexamethasone"),
                         autologous_transplant=True)
LEN_REFRACTORY = TreatmentLine(line=1, regimen="VRd-induction",
                               drugs=("bortezomib", "lenalidomide", "dexamethasone"),
                               refractory_to=("lenalidomide",), autologous_transplant=True)
# The contract example (an IgG MGUS by the table: M-component 12 g/L, 5 % plasma cells, no event).
MGUS_LABS = BASE
# Smouldering by the table: 20 % clonal plasma cells, no event.
SMOULDERING_LABS = make(marrow={"clonal_plasma_cells_pct": 20})
# Not enough facts: imaging not reported at relapse (events B and M unknown).
NO_IMAGING = replace(SMOULDERING_LABS, imaging=Imaging())


@pytest.mark.parametrize("facts, table_code", [
    pytest.param(MGUS_LABS, Code.MGUS, id="refractory-latest-line-MGUS-by-the-table"),
    pytest.param(SMOULDERING_LABS, Code.SMOLDERING_MYELOMA, id="refractory-latest-line-smouldering-by-the-table"),
    pytest.param(NO_IMAGING, Code.INSUFFICIENT_DATA, id="refractory-latest-line-imaging-not-reported"),
])
def test_progression_on_the_latest_line_is_myeloma_requiring_treatment(facts, table_code):
    assert classify(facts).code == table_code  # untreated: the table's row
    treated = make(facts, treatment_history=(LEN_REFRACTORY,))
    diagnosis = classify(treated)
    assert diagnosis.code == Code.ACTIVE_MYELOMA
    assert diagnosis.myeloma_defining_events == ()  # no defining event was found: the indication is progression
    assert "refractoriness to lenalidomide" in diagnosis.reasons[0]
    assert table_code.value in diagnosis.reasons[1]
    assert ("myeloma", "Behandling av tilbakefall") in {(c.document, c.section) for c in diagnosis.citations}
    assert any("Klinisk tilbakefall" in a.source_text and "refraktær" in a.source_text
               for a in diagnosis.ambiguities)
    assert set(classify(facts).missing) <= set(diagnosis.missing)  # what the table lacked is still listed


def test_lenalidomide_refractory_after_line_1_gets_the_second_line_options():
    evaluation = evaluate(make(BASE, treatment_history=(LEN_REFRACTORY,)))
    assert evaluation.diagnosis.code == Code.ACTIVE_MYELOMA
    assert evaluation.treatment.setting == "RELAPSE_LINE_2"
    # Andrelinjebehandling, «Hvis refraktær mot lenalidomid … men ikke refraktær mot CD38-antistoff:
    # 1. valg: Belantamab mafodotin-bortezomib-deksametason (BVd)»
    assert min(evaluation.treatment.options, key=lambda o: o.rank).regimen == "BVd"
    assert evaluation.followup is None


def test_progression_after_the_transplant_of_the_latest_line_is_progressive_disease():
    # The contract's example: «months_from_transplant_to_progression»: 4 on line 1 (VRd + HMAS).
    line = TreatmentLine(line=1, regimen="VRd-induction", drugs=("bortezomib", "lenalidomide", "dexamethasone"),
                         autologous_transplant=True, months_from_transplant_to_progression=4)
    diagnosis = classify(make(BASE, treatment_history=(line,)))
    assert diagnosis.code == Code.ACTIVE_MYELOMA
    assert "progression 4 months after the autologous transplant" in diagnosis.reasons[0]


def test_the_latest_line_is_the_highest_line_number_not_the_last_in_the_list():
    line2 = TreatmentLine(line=2, regimen="Isa-Kd", drugs=("isatuximab", "carfilzomib", "dexamethasone"))
    facts = make(BASE, treatment_history=(line2, LEN_REFRACTORY))  # line 2 records no progression
    assert classify(facts).code == Code.MGUS
    facts = make(BASE, treatment_history=(
        TreatmentLine(line=2, regimen="Isa-Kd", drugs=("isatuximab", "carfilzomib", "dexamethasone"),
                      refractory_to=("carfilzomib",)),
        VRD_HMAS,
    ))
    assert classify(facts).code == Code.ACTIVE_MYELOMA
    assert evaluate(facts).treatment.setting == "RELAPSE_LINE_3"


@pytest.mark.parametrize("facts, table_code", [
    pytest.param(MGUS_LABS, Code.MGUS, id="no-progression-recorded-MGUS-by-the-table"),
    pytest.param(SMOULDERING_LABS, Code.SMOLDERING_MYELOMA, id="no-progression-recorded-smouldering-by-the-table"),
    pytest.param(NO_IMAGING, Code.INSUFFICIENT_DATA, id="no-progression-recorded-imaging-not-reported"),
])
def test_without_recorded_progression_no_new_line_and_no_mgus_follow_up(facts, table_code):
    treated = make(facts, treatment_history=(VRD_HMAS,))
    diagnosis = classify(treated)
    assert diagnosis.code == table_code
    assert any("no progression is recorded" in n for n in diagnosis.notes)
    advice = recommend(treated, diagnosis_code=diagnosis.code.value, high_risk=False, egfr_ml_min=80)
    assert advice.setting == "NONE" and advice.options == ()
    assert "treatment_history[0].refractory_to" in advice.missing
    assert ("myeloma", "Behandling av tilbakefall") in {(c.document, c.section) for c in advice.citations}
    assert followup(treated, diagnosis.code.value) is None  # not followed up as untreated MGUS / smouldering
    assert followup(facts, diagnosis.code.value) is not None or table_code == Code.INSUFFICIENT_DATA


def test_clinical_relapse_stays_active_myeloma_with_its_events():
    # Klinisk tilbakefall: a defining event (A: Hb 9 g/dL < 10) with ≥ 10 % clonal plasma cells.
    facts = make(SMOULDERING_LABS, labs={"hemoglobin_g_dl": 9}, treatment_history=(VRD_HMAS,))
    diagnosis = classify(facts)
    assert diagnosis.code == Code.ACTIVE_MYELOMA and diagnosis.myeloma_defining_events == ("A",)
    assert not any("refractoriness" in r for r in diagnosis.reasons)
    assert evaluate(facts).treatment.setting == "RELAPSE_LINE_2"


def test_no_clonal_marker_after_treatment_is_not_turned_into_relapse():
    facts = make(labs={"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 15, "flc_lambda_mg_l": 15,
                       "m_protein_isotype": Isotype.IGG},
                 marrow={"clonal_plasma_cells_pct": 0}, treatment_history=(LEN_REFRACTORY,))
    assert classify(facts).code == Code.NO_PLASMA_CELL_DISORDER
    assert evaluate(facts).treatment.setting == "NONE"


def test_untreated_mgus_is_still_observed():
    assert classify(BASE).code == Code.MGUS
    assert evaluate(BASE).treatment.setting == "OBSERVE"
    assert evaluate(BASE).followup.condition == "MGUS"
