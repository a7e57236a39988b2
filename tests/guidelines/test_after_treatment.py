"""A treated patient is classified by «Behandling av tilbakefall», not by the diagnostic table alone.

Handlingsprogram for myelomatose, «Behandling av tilbakefall»: «Det finnes to typer indikasjoner for
behandling av tilbakefall: • Klinisk tilbakefall: nye eller økte osteolytiske eller bløtvevslesjoner,
forverring av hyperkalsemi, anemi eller nyresvikt. Hyperviskositet. • Progressiv sykdom (se over og i
tabell 8.2) … Klinisk tilbakefall skal alltid behandles.» «Andrelinjebehandling»: «Med refraktær menes at
pasienten har hatt progresjon under behandling med eller innen 60 dager etter seponering av et
medikament eller regime.» «Vurdering av behandlingsrespons og kontroll»: response assessment «i
forbindelse med hver syklusstart». The table of «Diagnostiske kriterier» (MGUS, ulmende myelomatose)
describes untreated disease: a treated patient with a residual M-component is not MGUS, and a patient
who progressed on the latest line gets the next line's options.

Ids name the situation; the expected codes and regimens are read from the guideline text.
"""

import datetime
from dataclasses import replace

import pytest

from guidelines.diagnosis import Code
from guidelines.facts import Imaging, Isotype, Plasmacytoma, TreatmentLine
from guidelines.followup import followup
from guidelines.history import radiotherapy_only

from .factories import BASE, make
from .shipped import classify, evaluate, part_of_a_line, recommend

pytestmark = pytest.mark.hazard("HAZ-019")

VRD = ("bortezomib", "lenalidomide", "dexamethasone")
VRD_HMAS = TreatmentLine(line=1, regimen="VRd-induction", drugs=VRD, autologous_transplant=True)
LEN_REFRACTORY = replace(VRD_HMAS, refractory_to=("lenalidomide",))
ISA_KD = ("isatuximab", "carfilzomib", "dexamethasone")
# The contract example (an IgG MGUS by the table: M-component 12 g/L, 5 % plasma cells, no event).
MGUS_LABS = BASE
# Smouldering by the table: 20 % clonal plasma cells, no event.
SMOULDERING_LABS = make(marrow={"clonal_plasma_cells_pct": 20})
# Not enough facts: imaging not reported at relapse (events B and M unknown).
NO_IMAGING = replace(SMOULDERING_LABS, imaging=Imaging())
SECTIONS = lambda result: {(c.document, c.section) for c in result.citations}  # noqa: E731


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
    assert ("myeloma", "Behandling av tilbakefall") in SECTIONS(diagnosis)
    assert any("Progressiv sykdom" in a.source_text and "minimum på 5 g/L" in a.source_text
               and "refraktær" in a.source_text for a in diagnosis.ambiguities)
    assert set(classify(facts).missing) <= set(diagnosis.missing)  # what the table lacked is still listed
    assert any("Assumes that no line after line 1" in n for n in diagnosis.notes)


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
    line = replace(VRD_HMAS, months_from_transplant_to_progression=4)
    diagnosis = classify(make(BASE, treatment_history=(line,)))
    assert diagnosis.code == Code.ACTIVE_MYELOMA
    assert "progression 4 months after the autologous transplant" in diagnosis.reasons[0]


def test_months_to_progression_on_a_line_without_transplant_is_not_counted():
    line = replace(VRD_HMAS, autologous_transplant=False, months_from_transplant_to_progression=6)
    diagnosis = classify(make(BASE, treatment_history=(line,)))
    assert diagnosis.code == Code.MGUS
    assert any("no transplant" in a.interpretation for a in diagnosis.ambiguities)


def test_progression_more_than_60_days_after_stopping_is_recorded_as_a_date():
    # Not refractory by the guideline's definition, but progressive disease all the same.
    line = replace(VRD_HMAS, progression_date=datetime.date(2026, 10, 1))
    diagnosis = classify(make(BASE, treatment_history=(line,)))
    assert diagnosis.code == Code.ACTIVE_MYELOMA
    assert "line 1 (VRd-induction) records progression on 2026-10-01" in diagnosis.reasons[0]
    assert evaluate(make(BASE, treatment_history=(line,))).treatment.setting == "RELAPSE_LINE_2"


def test_refractoriness_carried_over_from_an_earlier_line_is_not_progression_on_the_latest():
    line2 = TreatmentLine(line=2, regimen="Isa-Kd", drugs=ISA_KD, refractory_to=("lenalidomide",))
    diagnosis = classify(make(BASE, treatment_history=(LEN_REFRACTORY, line2)))
    assert diagnosis.code == Code.MGUS
    assert any("carried over" in a.interpretation and "lenalidomide" in a.interpretation
               for a in diagnosis.ambiguities)


def test_the_latest_line_is_the_highest_line_number_not_the_last_in_the_list():
    line2 = TreatmentLine(line=2, regimen="Isa-Kd", drugs=ISA_KD)
    assert classify(make(BASE, treatment_history=(line2, LEN_REFRACTORY))).code == Code.MGUS
    facts = make(BASE, treatment_history=(replace(line2, refractory_to=("carfilzomib",)), VRD_HMAS))
    assert classify(facts).code == Code.ACTIVE_MYELOMA
    advice = evaluate(facts).treatment
    assert advice.setting == "RELAPSE_LINE_3"
    assert advice.options  # Tredjelinjebehandling offers regimens


def test_secondary_plasma_cell_leukaemia_after_treatment_is_treated_as_relapse():
    # > 5 % plasma cells in the blood after a lenalidomide-refractory line; no defining event on record.
    facts = make(SMOULDERING_LABS, labs={"circulating_plasma_cells_pct": 8}, treatment_history=(LEN_REFRACTORY,))
    diagnosis = classify(facts)
    assert diagnosis.code == Code.PLASMA_CELL_LEUKEMIA
    assert evaluate(facts).treatment.setting == "RELAPSE_LINE_2"


@pytest.mark.parametrize("changes, events", [
    pytest.param({"imaging": {"lytic_lesions": 3}}, ("B",), id="lytic-lesions-marrow-below-10"),
    pytest.param({"labs": {"hemoglobin_g_dl": 9}}, ("A",), id="anaemia-marrow-below-10"),
    pytest.param({"labs": {"calcium_mmol_l": 3.0}}, ("C",), id="hypercalcaemia-marrow-below-10"),
    pytest.param({"labs": {"creatinine_umol_l": 250}}, ("R",), id="renal-failure-marrow-below-10"),
])
def test_a_defining_event_after_treatment_is_a_possible_clinical_relapse_to_confirm(changes, events):
    # «Klinisk tilbakefall: nye eller økte … lesjoner, forverring av hyperkalsemi, anemi eller nyresvikt»:
    # new or worsening — a lesion, renal damage or anaemia can persist from before or come from the
    # treatment. Shown as a possible clinical relapse; recording the progression makes it a relapse.
    facts = make(BASE, treatment_history=(VRD_HMAS,), **changes)
    diagnosis = classify(facts)
    assert diagnosis.code != Code.ACTIVE_MYELOMA and diagnosis.myeloma_defining_events == events
    assert any("Possible clinical relapse" in n for n in diagnosis.notes)
    advice = evaluate(facts).treatment
    assert advice.setting == "NONE" and "possible clinical relapse" in advice.reasons[0]
    assert "treatment_history[0].progression_date" in advice.missing
    confirmed = make(facts, treatment_history=(replace(VRD_HMAS, progression_date=datetime.date(2026, 11, 1)),))
    assert classify(confirmed).code == Code.ACTIVE_MYELOMA
    assert evaluate(confirmed).treatment.setting == "RELAPSE_LINE_2"


@pytest.mark.parametrize("changes", [
    pytest.param({"labs": {"flc_kappa_mg_l": 400, "flc_lambda_mg_l": 2}}, id="Li-not-clinical-relapse"),
    pytest.param({"imaging": {"mri_focal_lesions": 3}}, id="M-not-clinical-relapse"),
])
def test_biomarker_events_after_treatment_are_not_called_clinical_relapse(changes):
    # S, Li and M are not in the guideline's list of clinical relapse.
    facts = make(BASE, treatment_history=(VRD_HMAS,), **changes)
    assert evaluate(facts).treatment.setting == "NONE"
    assert not any("possible clinical relapse" in r for r in evaluate(facts).treatment.reasons)


@pytest.mark.parametrize("biopsied", [False, True], ids=["not-biopsied", "biopsy-proven"])
def test_a_new_plasmacytoma_after_treatment_gets_radiotherapy_and_no_new_line(biopsied):
    # «Tilbakefall med plasmacytomer»: «Hvis pasienten får et nytt plasmacytom under behandling der det er god
    # kontroll på den systemiske sykdommen, anbefales stråling og kontinuering av den systemiske behandlingen.»
    facts = make(BASE, treatment_history=(VRD_HMAS,), marrow={"clonal_plasma_cells_pct": 0},
                 imaging={"plasmacytoma": Plasmacytoma.EXTRAMEDULLARY, "plasmacytoma_count": 1,
                          "plasmacytoma_biopsy_proven": biopsied})
    evaluation = evaluate(facts)
    assert evaluation.diagnosis.code == Code.ACTIVE_MYELOMA  # never SOLITARY_PLASMACYTOMA after treatment
    assert not any("risk of" in n and "myeloma within" in n for n in evaluation.diagnosis.notes)
    assert evaluation.treatment.setting == "NONE" and evaluation.treatment.options == ()
    assert "continued" in evaluation.treatment.reasons[0]
    assert [r.indication for r in evaluation.radiotherapy] == ["relapse_plasmacytoma"]
    assert ("myeloma", "Strålebehandling") in SECTIONS(evaluation.treatment)


def test_a_new_plasmacytoma_with_systemic_progression_gets_the_next_line_and_radiotherapy():
    facts = make(BASE, treatment_history=(LEN_REFRACTORY,),
                 imaging={"plasmacytoma": Plasmacytoma.EXTRAMEDULLARY, "plasmacytoma_count": 1})
    evaluation = evaluate(facts)
    assert evaluation.treatment.setting == "RELAPSE_LINE_2"
    assert [r.indication for r in evaluation.radiotherapy] == ["relapse_plasmacytoma"]


def test_radiotherapy_alone_is_not_systemic_treatment():
    # A solitary plasmacytoma treated with radiotherapy, recorded as line 1: the table decides.
    line = TreatmentLine(line=1, regimen="radiotherapy-2Gy-x20")
    facts = make(BASE, treatment_history=(line,), marrow={"clonal_plasma_cells_pct": 0},
                 imaging={"plasmacytoma": Plasmacytoma.BONE, "plasmacytoma_count": 1,
                          "plasmacytoma_biopsy_proven": True})
    assert classify(facts).code == Code.SOLITARY_PLASMACYTOMA


def test_hmas_and_maintenance_recorded_as_lines_count_as_part_of_the_induction_line():
    # «Førstegangsbehandling»: induction, harvest, HMAS and maintenance are one first line; lenalidomide-
    # refractory on maintenance → Andrelinjebehandling, 1. valg BVd.
    lines = (replace(LEN_REFRACTORY, refractory_to=()), TreatmentLine(line=2, regimen="Mel-HMAS", drugs=("melphalan",)),
             TreatmentLine(line=3, regimen="R-maintenance", drugs=("lenalidomide",), refractory_to=("lenalidomide",)))
    advice = evaluate(make(BASE, treatment_history=lines)).treatment
    assert advice.setting == "RELAPSE_LINE_2"
    assert min(advice.options, key=lambda o: o.rank).regimen == "BVd"
    assert any("belong to the line of their induction" in n and "line 2 (Mel-HMAS)" in n for n in advice.notes)


def test_radiotherapy_alone_before_systemic_treatment_is_not_a_line():
    lines = (TreatmentLine(line=1, regimen="radiotherapy-2Gy-x20"),
             TreatmentLine(line=2, regimen="VRd-induction", drugs=VRD, refractory_to=("lenalidomide",)))
    advice = evaluate(make(BASE, treatment_history=lines)).treatment
    assert advice.setting == "RELAPSE_LINE_2"
    assert any("Read as radiotherapy alone" in n and "line 1" in n for n in advice.notes)


def test_radiotherapy_after_a_refractory_line_does_not_hide_the_progression():
    lines = (LEN_REFRACTORY, TreatmentLine(line=2, regimen="radiotherapy-8Gy-x1"))
    evaluation = evaluate(make(BASE, treatment_history=lines))
    assert evaluation.diagnosis.code == Code.ACTIVE_MYELOMA
    assert evaluation.treatment.setting == "RELAPSE_LINE_2"


def test_myeloma_after_radiotherapy_of_a_plasmacytoma_gets_first_line_treatment():
    # A solitary plasmacytoma treated with radiotherapy that has become myeloma: first line (VRd first).
    facts = make(SMOULDERING_LABS, labs={"hemoglobin_g_dl": 9},
                 treatment_history=(TreatmentLine(line=1, regimen="radiotherapy-2Gy-x20"),))
    evaluation = evaluate(facts)
    assert evaluation.diagnosis.code == Code.ACTIVE_MYELOMA
    assert evaluation.treatment.setting == "FIRST_LINE_TRANSPLANT"
    assert evaluation.treatment.options[0].regimen == "VRd-induction"
    assert any("not a systemic line" in n for n in evaluation.treatment.notes)


@pytest.mark.parametrize("plasmacytoma", [Plasmacytoma.NONE, Plasmacytoma.BONE],
                         ids=["lesion-gone", "lesion-on-record"])
def test_after_radiotherapy_alone_the_plasmacytoma_follow_up_applies(plasmacytoma):
    # «Oppfølging av … plasmacytomer»: after treatment every 3 months, yearly imaging for 5 years.
    facts = make(BASE, marrow={"clonal_plasma_cells_pct": 0},
                 imaging={"plasmacytoma": plasmacytoma, "plasmacytoma_count": 1 if plasmacytoma != "none" else 0,
                          "plasmacytoma_biopsy_proven": plasmacytoma != "none"},
                 treatment_history=(TreatmentLine(line=1, regimen="radiotherapy-2Gy-x20"),))
    evaluation = evaluate(facts)
    assert evaluation.followup is not None and evaluation.followup.interval == "every 3 months"
    assert any("yearly for 5 years" in i for i in evaluation.followup.imaging)
    assert not any(o.regimen.startswith("radiotherapy") for o in evaluation.treatment.options)


def test_a_gap_in_the_line_numbers_is_flagged():
    lines = (VRD_HMAS, TreatmentLine(line=3, regimen="Isa-Kd", drugs=ISA_KD, refractory_to=("carfilzomib",)))
    advice = evaluate(make(BASE, treatment_history=lines)).treatment
    assert any("not consecutive" in n for n in advice.notes)


def test_unknown_drugs_of_the_latest_line_are_flagged():
    line2 = TreatmentLine(line=2, regimen="free text", refractory_to=("lenalidomide",))
    diagnosis = classify(make(BASE, treatment_history=(VRD_HMAS, line2)))
    assert diagnosis.code == Code.ACTIVE_MYELOMA
    assert any("drugs of line 2 (free text) are not known" in a.interpretation for a in diagnosis.ambiguities)


def test_secondary_plasma_cell_leukaemia_without_other_evidence_is_relapse():
    facts = make(BASE, labs={"circulating_plasma_cells_pct": 8}, treatment_history=(VRD_HMAS,))
    assert classify(facts).code == Code.PLASMA_CELL_LEUKEMIA
    assert evaluate(facts).treatment.setting == "RELAPSE_LINE_2"


def test_clinical_relapse_with_10_percent_plasma_cells_stays_active_myeloma_by_the_table():
    facts = make(SMOULDERING_LABS, labs={"hemoglobin_g_dl": 9}, treatment_history=(VRD_HMAS,))
    diagnosis = classify(facts)
    assert diagnosis.code == Code.ACTIVE_MYELOMA and diagnosis.myeloma_defining_events == ("A",)
    assert not any("treated before" in r for r in diagnosis.reasons)
    assert any("may persist from before" in n for n in diagnosis.notes)  # no progression recorded
    assert evaluate(facts).treatment.setting == "RELAPSE_LINE_2"


@pytest.mark.parametrize("facts, table_code", [
    pytest.param(MGUS_LABS, Code.MGUS, id="no-progression-recorded-MGUS-by-the-table"),
    pytest.param(SMOULDERING_LABS, Code.SMOLDERING_MYELOMA, id="no-progression-recorded-smouldering-by-the-table"),
    pytest.param(NO_IMAGING, Code.INSUFFICIENT_DATA, id="no-progression-recorded-imaging-not-reported"),
])
def test_without_progression_no_new_line_but_response_monitoring(facts, table_code):
    treated = make(facts, treatment_history=(VRD_HMAS,))
    diagnosis = classify(treated)
    assert diagnosis.code == table_code
    assert any("no progression is recorded" in n for n in diagnosis.notes)
    advice = recommend(treated, diagnosis_code=diagnosis.code.value, high_risk=False, egfr_ml_min=80)
    assert advice.setting == "NONE" and advice.options == ()
    assert "treatment_history[0].progression_date" in advice.missing
    assert {("myeloma", "Behandling av tilbakefall"),
            ("myeloma", "Vurdering av behandlingsrespons og kontroll")} <= SECTIONS(advice)
    # «Vurdering gjøres i forbindelse med hver syklusstart … bortsett fra b2-mikroglobulin»
    assert any("each cycle start" in n and "β2-microglobulin" in n for n in advice.notes)
    assert followup(treated, diagnosis.code.value) is None  # not followed up as untreated MGUS / smouldering


@pytest.mark.parametrize("facts, condition", [
    pytest.param(MGUS_LABS, "MGUS", id="untreated-MGUS-follow-up"),
    pytest.param(SMOULDERING_LABS, "smouldering myeloma", id="untreated-smouldering-follow-up"),
])
def test_untreated_patients_keep_their_follow_up(facts, condition):
    assert followup(facts, classify(facts).code.value).condition == condition
    assert evaluate(facts).treatment.setting == "OBSERVE"


def test_intolerance_only_is_not_progression():
    line = replace(VRD_HMAS, intolerant_to=("bortezomib",))
    assert classify(make(BASE, treatment_history=(line,))).code == Code.MGUS


@pytest.mark.parametrize("line", [
    pytest.param(VRD_HMAS, id="no-clonal-marker-no-progression"),
    pytest.param(LEN_REFRACTORY, id="no-clonal-marker-progression-recorded"),
])
def test_no_clonal_marker_after_treatment_is_not_turned_into_relapse(line):
    facts = make(labs={"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 15, "flc_lambda_mg_l": 15,
                       "m_protein_isotype": Isotype.IGG},
                 marrow={"clonal_plasma_cells_pct": 0}, treatment_history=(line,))
    assert classify(facts).code == Code.NO_PLASMA_CELL_DISORDER
    advice = evaluate(facts).treatment
    assert advice.setting == "NONE"
    assert "non-secretory" in advice.reasons[0]
    assert ("Progression is recorded" in " ".join(advice.reasons)) == bool(line.refractory_to)


def test_a_treated_poems_patient_is_told_the_choice_is_for_first_treatment():
    from .factories import POEMS_PATIENT

    treated = make(POEMS_PATIENT, treatment_history=(TreatmentLine(line=1, regimen="lenalidomide-dexamethasone",
                                                                   drugs=("lenalidomide", "dexamethasone")),))
    evaluation = evaluate(treated)
    assert evaluation.diagnosis.code == Code.POEMS
    # POEMS guideline, «Relaps behandling»: «Ved symptomatisk eller radiologisk relaps bør behandling initieres
    # umiddelbart, mens der ved asymptomatisk relaps kan observeres»
    assert any("written for first treatment" in n for n in evaluation.treatment.notes)
    assert ("poems", "Relaps behandling") in SECTIONS(evaluation.treatment)
    assert not any("written for first treatment" in n for n in evaluate(POEMS_PATIENT).treatment.notes)


@pytest.mark.parametrize("biopsied", [False, True], ids=["not-biopsied", "biopsy-proven"])
def test_a_new_plasmacytoma_with_old_lesions_still_gets_radiotherapy_not_a_new_line(biopsied):
    # Lytic lesions rarely heal: without recorded progression they are named, not read as systemic progression.
    facts = make(BASE, treatment_history=(VRD_HMAS,), marrow={"clonal_plasma_cells_pct": 2},
                 imaging={"plasmacytoma": Plasmacytoma.EXTRAMEDULLARY, "plasmacytoma_count": 1,
                          "plasmacytoma_biopsy_proven": biopsied, "lytic_lesions": 4})
    evaluation = evaluate(facts)
    assert evaluation.diagnosis.code == Code.ACTIVE_MYELOMA
    assert evaluation.treatment.setting == "NONE"
    assert [r.indication for r in evaluation.radiotherapy] == ["relapse_plasmacytoma"]
    assert any("B — a clinical relapse if new or worsening" in r for r in evaluation.treatment.reasons)
    assert any("Hvis pasienten får et nytt plasmacytom" in a.source_text for a in evaluation.diagnosis.ambiguities)


def test_free_text_hmas_and_maintenance_lines_fold_into_the_induction_line():
    # Dara-VRd, then HMAS, then maintenance, refractory to daratumumab and lenalidomide: a first relapse.
    # Andrelinjebehandling: «Hvis refraktær mot lenalidomid og CD38-antistoff: 1. valg: … (BVd)»
    lines = (TreatmentLine(line=1, regimen="Dara-VRd-induction",
                           drugs=("daratumumab", "bortezomib", "lenalidomide", "dexamethasone")),
             TreatmentLine(line=2, regimen="HMAS", drugs=("melphalan",), autologous_transplant=True),
             TreatmentLine(line=3, regimen="Dara-R vedlikehold", drugs=("daratumumab", "lenalidomide"),
                           refractory_to=("daratumumab", "lenalidomide")))
    advice = evaluate(make(BASE, treatment_history=lines)).treatment
    assert advice.setting == "RELAPSE_LINE_2"
    assert min(advice.options, key=lambda o: o.rank).regimen == "BVd"
    assert any("counted as part of the line before them" in n for n in advice.notes)


@pytest.mark.parametrize("regimen", ["RT 40 Gy", "Radiation therapy", "Strålebehandling 2 Gy x 20"])
def test_free_text_radiotherapy_alone_is_not_a_line(regimen):
    facts = make(SMOULDERING_LABS, labs={"hemoglobin_g_dl": 9},
                 treatment_history=(TreatmentLine(line=1, regimen=regimen),))
    assert evaluate(facts).treatment.setting == "FIRST_LINE_TRANSPLANT"


def test_the_progression_date_is_asked_on_the_latest_systemic_line_and_counts_there():
    lines = (VRD_HMAS, TreatmentLine(line=2, regimen="radiotherapy-8Gy-x1"))
    advice = evaluate(make(BASE, treatment_history=lines)).treatment
    assert "treatment_history[0].progression_date" in advice.missing
    dated = (replace(VRD_HMAS, progression_date=datetime.date(2026, 11, 1)), lines[1])
    assert evaluate(make(BASE, treatment_history=dated)).treatment.setting == "RELAPSE_LINE_2"


def test_progression_recorded_on_the_hmas_line_counts_when_maintenance_is_the_latest():
    lines = (VRD_HMAS, TreatmentLine(line=2, regimen="Mel-HMAS", drugs=("melphalan",), autologous_transplant=True,
                                     months_from_transplant_to_progression=14),
             TreatmentLine(line=3, regimen="R-maintenance", drugs=("lenalidomide",)))
    evaluation = evaluate(make(BASE, treatment_history=lines))
    assert evaluation.diagnosis.code == Code.ACTIVE_MYELOMA
    assert evaluation.treatment.setting == "RELAPSE_LINE_2"


def test_relapse_options_without_recorded_progression_say_so_and_ask_for_the_date():
    # ≥ 10 % plasma cells with anaemia after treatment: the table says active myeloma, but the events may
    # persist; the options are shown with that caveat and the progression date asked for.
    facts = make(SMOULDERING_LABS, labs={"hemoglobin_g_dl": 9}, treatment_history=(VRD_HMAS,))
    advice = evaluate(facts).treatment
    assert advice.setting == "RELAPSE_LINE_2"
    assert any("No progression is recorded" in n and "continue the current treatment" in n for n in advice.notes)
    assert "treatment_history[0].progression_date" in advice.missing
    recorded = evaluate(make(facts, treatment_history=(LEN_REFRACTORY,))).treatment
    assert not any("No progression is recorded" in n for n in recorded.notes)


@pytest.mark.parametrize("regimen, expected", [
    pytest.param("radiotherapy-2Gy-x20", True, id="rt-code"),
    pytest.param("RT 40 Gy mot Th8", True, id="rt-free-text-with-site"),
    pytest.param("Strålebehandling 2 Gy x 20", True, id="straalebehandling"),
    pytest.param("Radiation therapy", True, id="radiation-therapy"),
    pytest.param("Kd + RT 30 Gy", False, id="kd-plus-rt"),
    pytest.param("Kd og RT mot Th8", False, id="kd-og-rt"),
    pytest.param("Pd, strålebehandling L3", False, id="pd-and-radiotherapy"),
    pytest.param("VRd", False, id="vrd"),
])
def test_radiotherapy_alone_is_read_only_from_radiotherapy_words(regimen, expected):
    assert radiotherapy_only(TreatmentLine(line=2, regimen=regimen)) is expected


@pytest.mark.parametrize("regimen, drugs, expected", [
    pytest.param("Mel-HMAS", (), True, id="hmas-code"),
    pytest.param("HMAS", (), True, id="hmas-free-text"),
    pytest.param("Dara-R vedlikehold", (), True, id="dara-r-vedlikehold"),
    pytest.param("lenalidomide maintenance", (), True, id="len-maintenance"),
    pytest.param("Høydose melfalan med stamcellestøtte", (), True, id="hoeydose-melfalan"),
    pytest.param("KRd, HMAS", (), False, id="krd-comma-hmas"),
    pytest.param("KRd -> HMAS -> R-vedlikehold", (), False, id="krd-arrow-hmas"),
    pytest.param("DRd (ikke HMAS-kandidat)", (), False, id="negated-hmas"),
    pytest.param("Kd uten vedlikehold", (), False, id="without-maintenance"),
    pytest.param("cilta-cel (autologous CAR-T)", (), False, id="car-t"),
    pytest.param("Allogen stamcelletransplantasjon", (), False, id="allo"),
    pytest.param("Isa-Kd, deretter autolog HMAS", (), False, id="relapse-then-hmas"),
    pytest.param("VRd-induksjon, HMAS, R-vedlikehold", (), False, id="whole-first-line"),
    pytest.param("HMAS", ("carfilzomib", "dexamethasone"), False, id="drugs-not-of-hmas"),
    pytest.param("Daratumumab", (), False, id="dara-alone-no-part-word"),
])
def test_hmas_and_maintenance_are_read_only_from_their_own_words(regimen, drugs, expected):
    assert part_of_a_line(TreatmentLine(line=2, regimen=regimen, drugs=drugs)) is expected


def test_a_relapse_line_after_a_whole_first_line_in_free_text_counts():
    # «VRd x4, HMAS, R-vedlikehold» (lenalidomide-refractory), then Isa-Kd refractory: third line
    # (Tredjelinjebehandling), not second.
    lines = (TreatmentLine(line=1, regimen="VRd x4, HMAS, R-vedlikehold", drugs=VRD + ("melphalan",),
                           refractory_to=("lenalidomide",)),
             TreatmentLine(line=2, regimen="Isa-Kd", drugs=ISA_KD, refractory_to=("isatuximab", "carfilzomib")))
    assert evaluate(make(BASE, treatment_history=lines)).treatment.setting == "RELAPSE_LINE_3"


def test_the_monitoring_plan_carries_the_guideline_numbers():
    # Vurdering av behandlingsrespons og kontroll: «hver syklusstart … Kan forlenges til 2 sykluser ved
    # vedlikeholdsbehandling i førstelinje»; «I førstelinje følges pasienten hver 6. måned … Fra første tilbakefall
    # … hver 3. måned»; «lavdose CT ved hver behandlingsstart … ikke hyppigere enn hver 6. måned»; «Denne grensen
    # er 10 g/L for serum M-komponent, 200 mg/døgn for urin M-komponent i døgnurin, og 100 mg/L for involvert
    # lettkjede.»
    advice = evaluate(make(BASE, treatment_history=(VRD_HMAS,))).treatment
    plan = next(n for n in advice.notes if n.startswith("Response monitoring"))
    for text in ("each cycle start", "every 2 cycles on first-line maintenance", "every 6 months in first line",
                 "every 3 months from the first relapse", "low-dose CT at each treatment start",
                 "not more often than every 6 months", "serum M-component 10 g/L", "urine M-component 200 mg/24 h",
                 "involved light chain 100 mg/L"):
        assert text in plan, text
