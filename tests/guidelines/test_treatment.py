"""Treatment rules, case by case from Handlingsprogram for myelomatose, chapter "Behandling".

Expected values are the guideline's own words (row quoted in each id / comment), never copied from the code.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidelines.advice import TreatmentAdvice
from guidelines.facts import Cytogenetics, Frailty, Imaging, Labs, PatientFacts, Plasmacytoma, Response, TreatmentLine
from guidelines.treatment import (
    DIAGNOSIS_CODES,
    SETTINGS,
    CarTVerdict,
    RadiotherapyIndication,
    allo_criteria,
    car_t_priority,
    lenalidomide_renal_dose,
    progression_before_hmas,
    radiotherapy_advice,
    recommend,
)
from tests.guidelines.strategies import patient_facts

FIT = Frailty.FIT


def advise(facts, diagnosis="ACTIVE_MYELOMA", high_risk=False, egfr=80):
    return recommend(facts, diagnosis_code=diagnosis, high_risk=high_risk, egfr_ml_min=egfr)


def ranked(advice):
    return [(o.regimen, o.rank) for o in advice.options]


def notes(advice):
    return " ".join(advice.notes)


def line(n, regimen=None, drugs=(), refractory=(), intolerant=(), **kw):
    return TreatmentLine(line=n, regimen=regimen, drugs=drugs, refractory_to=refractory, intolerant_to=intolerant,
                         **kw)


def relapse(*lines, age=60, frailty=FIT, t11_14=False, **kw):
    return PatientFacts(age=age, frailty=frailty, cytogenetics=Cytogenetics(t11_14=t11_14),
                        treatment_history=tuple(lines), **kw)


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


# --- Solitary plasmacytoma (Strålebehandling) ------------------------------------------------------------------

def test_solitary_plasmacytoma_curative_doses():
    # "anbefalt dose er 2 Gy x 20 og ved plasmacytomer >5 cm vurderes gitt 2 Gy x 25"
    advice = advise(PatientFacts(age=60), "SOLITARY_PLASMACYTOMA")
    assert ranked(advice) == [("radiotherapy-2Gy-x20", 1), ("radiotherapy-2Gy-x25", 2)]
    assert "> 5 cm" in advice.options[1].note
    assert all(o.citation.section == "Strålebehandling" for o in advice.options)


@pytest.mark.parametrize(
    ("plasmacytoma", "extramedullary_note"),
    [
        pytest.param(Plasmacytoma.EXTRAMEDULLARY, True, id="ekstramedullært-plasmacytom-kurativ-ved-tvil"),
        pytest.param(Plasmacytoma.BONE, False, id="solitært-plasmacytom-i-ben"),
    ],
)
def test_extramedullary_plasmacytoma_note(plasmacytoma, extramedullary_note):
    facts = PatientFacts(age=60, imaging=Imaging(plasmacytoma=plasmacytoma))
    assert ("in doubt, give curative doses" in notes(advise(facts, "SOLITARY_PLASMACYTOMA"))) is extramedullary_note


# --- Plasma cell leukaemia ------------------------------------------------------------------------------------

def test_pcl_first_line():
    # "anti-CD-38 monoklonalt antistoff+KRd, tandem HMAS og dobbelt vedlikehold med anti-CD-38 ... og lenalidomid"
    advice = advise(PatientFacts(age=60, transplant_contraindication=False), "PLASMA_CELL_LEUKEMIA")
    assert ranked(advice) == [("Anti-CD38-KRd-PCL", 1)]
    text = notes(advice)
    assert "Tandem HMAS" in text and "anti-CD38" in text and "lenalidomide" in text
    assert "Allogeneic stem cell transplantation for selected patients" in text


@pytest.mark.parametrize(
    ("age", "allo_note"),
    [pytest.param(54, True, id="allogen-alder-54-under-55"), pytest.param(55, False, id="allogen-alder-55-ikke")],
)
def test_pcl_allo_age_threshold(age, allo_note):
    # "Alder <55 år", "Aggressiv sykdom definert som ... eller plasmacelleleukemi"
    advice = advise(PatientFacts(age=age), "PLASMA_CELL_LEUKEMIA")
    assert ("may come into question" in notes(advice)) is allo_note


@pytest.mark.parametrize(
    ("age", "contraindication", "flagged", "missing"),
    [
        pytest.param(69, False, False, False, id="plasmacelleleukemi-HMAS-kandidat"),
        pytest.param(70, False, True, False, id="plasmacelleleukemi-alder-70-ikke-omtalt"),
        pytest.param(60, True, True, False, id="plasmacelleleukemi-kontraindikasjon-ikke-omtalt"),
        pytest.param(60, None, False, True, id="plasmacelleleukemi-kontraindikasjon-ukjent"),
    ],
)
def test_pcl_non_candidate_is_flagged(age, contraindication, flagged, missing):
    advice = advise(PatientFacts(age=age, transplant_contraindication=contraindication), "PLASMA_CELL_LEUKEMIA")
    assert bool(advice.ambiguities) is flagged
    assert ("transplant_contraindication" in advice.missing) is missing


def test_isa_vrd_induction_cycle_2_gap_is_shown():
    advice = advise(PatientFacts(age=60, transplant_contraindication=False))
    text = " ".join(a.interpretation for a in advice.ambiguities if "cycle 2" in a.interpretation)
    # the shipped protocol (regimens/protocols/Isa-VRd-induction.yaml) encodes cycle 2 as days 1 and 15, flagged
    assert "days 1 and 15" in text and "acknowledge" in text and "does not fill it in" not in text


def test_fourth_line_thalidomide_does_not_count_as_the_imid():
    # "en immunmodulator (lenalidomid eller pomalidomid)"
    lines = (line(1, "free text", drugs=("thalidomide", "bortezomib", "dexamethasone"), refractory=("thalidomide",)),
             line(2, "Isa-Kd"), line(3, "free text", drugs=("daratumumab",), refractory=("daratumumab",)))
    advice = advise(relapse(*lines))
    assert "teclistamab" not in [o.regimen for o in advice.options]


def test_secondary_pcl_after_treatment_uses_relapse_rules():
    facts = relapse(line(1, "VRd-induction", refractory=("lenalidomide",)))
    advice = advise(facts, "PLASMA_CELL_LEUKEMIA")
    assert advice.setting == "RELAPSE_LINE_2"
    assert any("primary" in r for r in advice.reasons)


# --- First line: transplant candidate or not ------------------------------------------------------------------

@pytest.mark.hazard("HAZ-009")
@pytest.mark.parametrize(
    ("age", "setting", "age70_ambiguity"),
    [
        pytest.param(69, "FIRST_LINE_TRANSPLANT", False, id="førstelinje-alder-69-under-70-HMAS"),
        pytest.param(70, "FIRST_LINE_NON_TRANSPLANT", True, id="førstelinje-alder-70-grense-tvetydig"),
        pytest.param(71, "FIRST_LINE_NON_TRANSPLANT", False, id="førstelinje-alder-71-over-70-ikke-HMAS"),
    ],
)
def test_transplant_age_threshold(age, setting, age70_ambiguity):
    advice = advise(PatientFacts(age=age, frailty=FIT, transplant_contraindication=False))
    assert advice.setting == setting
    assert any("Age 70" in a.interpretation for a in advice.ambiguities) is age70_ambiguity


@pytest.mark.hazard("HAZ-010")
def test_contraindication_unknown_is_listed_missing():
    # "Pasienter <70 år tilbys ... HMAS med mindre det foreligger kontraindikasjoner"
    advice = advise(PatientFacts(age=60))
    assert advice.setting == "FIRST_LINE_TRANSPLANT"
    assert "transplant_contraindication" in advice.missing


@pytest.mark.hazard("HAZ-009")
def test_contraindication_under_70_uses_non_transplant_rows_with_ambiguity():
    advice = advise(PatientFacts(age=60, frailty=FIT, transplant_contraindication=True))
    assert advice.setting == "FIRST_LINE_NON_TRANSPLANT"
    assert ranked(advice) == [("Dara-VRd", 1), ("Isa-VRd", 1)]
    assert any(">70 år" in a.source_text for a in advice.ambiguities)


def test_transplant_induction_options():
    # "Anbefalt induksjonsregime i Norge er ... VRd i påvente av at ... anti-CD38-VRd ... blir refundert"
    advice = advise(PatientFacts(age=60, transplant_contraindication=False))
    assert ranked(advice) == [("VRd-induction", 1), ("Dara-VRd-induction", 2), ("Isa-VRd-induction", 2)]
    assert [o.awaiting_reimbursement for o in advice.options] == [False, True, True]
    assert all(o.citation.section == "Pasienter som er kandidater for HMAS (<70 år)" for o in advice.options)


def test_transplant_course_notes():
    text = notes(advise(PatientFacts(age=60, transplant_contraindication=False)))
    assert "after induction cycle 3" in text  # "Bør gjøres etter 3. induksjonssyklus"
    assert "at least 4 weeks between the last daratumumab dose and harvest" in text
    assert "8 weeks after HMAS" in text
    assert "8–14 weeks after HMAS" in text
    assert "Dara-R-maintenance / Isa-R-maintenance" in text and "not reimbursed" in text


@pytest.mark.parametrize(
    ("egfr", "melphalan"),
    [
        pytest.param(29, "melphalan 140 mg/m²", id="høydose-melfalan-eGFR-29-140"),
        pytest.param(30, "melphalan 200 mg/m²", id="høydose-melfalan-eGFR-30-200"),
        pytest.param(31, "melphalan 200 mg/m²", id="høydose-melfalan-eGFR-31-200"),
    ],
)
def test_melphalan_renal_threshold(egfr, melphalan):
    # "Ved eGFR <30 ml/min: 140 mg/m2", otherwise 200 mg/m2
    assert melphalan in notes(advise(PatientFacts(age=60, transplant_contraindication=False), egfr=egfr))


def test_melphalan_egfr_unknown_missing():
    advice = advise(PatientFacts(age=60, transplant_contraindication=False), egfr=None)
    assert "labs.egfr_ml_min" in advice.missing


@pytest.mark.parametrize(
    ("high_risk", "vr_note", "missing"),
    [
        pytest.param(True, True, False, id="vedlikehold-genetisk-høyrisiko-VR"),
        pytest.param(False, False, False, id="vedlikehold-standardrisiko-R"),
        pytest.param(None, True, True, id="vedlikehold-risiko-ukjent"),
    ],
)
def test_high_risk_tandem_and_vr_maintenance(high_risk, vr_note, missing):
    # "Tandem HMAS anbefales til alle pasienter med cytogenetisk høyrisk"; "genetisk høyrisikosykdom ... dobbelt
    # vedlikehold med lenalidomid og bortezomib hvis toleransen for bortezomib har vært god"
    advice = advise(PatientFacts(age=60, transplant_contraindication=False), high_risk=high_risk)
    assert ("VR-maintenance" in notes(advice)) is vr_note
    assert ("cytogenetics" in advice.missing) is missing
    if high_risk:
        assert "Tandem HMAS recommended" in notes(advice)


@pytest.mark.parametrize(
    ("age", "note"),
    [pytest.param(64, True, id="under-ca-65-kan-utsette-HMAS"), pytest.param(65, False, id="65-ikke-utsettelse")],
)
def test_postpone_hmas_under_65(age, note):
    # "pasienter under cirka 65 vurdere å utsette HMAS til 2.linje"
    assert ("postponing HMAS to 2nd line" in notes(advise(PatientFacts(age=age, transplant_contraindication=False)))) \
        is note


def test_primary_refractory_rows_in_transplant_course():
    text = notes(advise(PatientFacts(age=60, transplant_contraindication=False)))
    assert "switch induction and involve an expert" in text
    assert "go quickly to HMAS" in text and "complete 6 induction cycles" in text


@pytest.mark.parametrize(
    ("age", "frailty", "expected", "dex_note", "ambiguity"),
    [
        pytest.param(75, FIT, [("Dara-VRd", 1), ("Isa-VRd", 1)], False, None, id="ikke-HMAS-mellom-70-og-80"),
        pytest.param(79, FIT, [("Dara-VRd", 1), ("Isa-VRd", 1)], False, None, id="ikke-HMAS-alder-79"),
        pytest.param(80, FIT, [("Dara-VRd", 1), ("Isa-VRd", 1)], False, "Age 80", id="ikke-HMAS-alder-80-grense"),
        pytest.param(81, FIT, [("Dara-VRd", 1), ("Isa-VRd", 1)], True, None, id="over-80-spreke-redusere-deksametason"),
        pytest.param(81, Frailty.UNFIT, [("Dara-VRd", 1), ("Isa-VRd", 1), ("DRd", 2)], True, "over 80",
                     id="over-80-verken-sprek-eller-skrøpelig"),
        pytest.param(75, Frailty.FRAIL, [("DRd", 1), ("anti-CD38-monotherapy", 2)], False, None,
                     id="skrøpelige-DRd-eller-CD38-monoterapi"),
        pytest.param(85, Frailty.FRAIL, [("DRd", 1), ("anti-CD38-monotherapy", 2)], False, None,
                     id="skrøpelige-over-80-DRd"),
    ],
)
def test_non_transplant_rows(age, frailty, expected, dex_note, ambiguity):
    advice = advise(PatientFacts(age=age, frailty=frailty))
    assert advice.setting == "FIRST_LINE_NON_TRANSPLANT"
    assert ranked(advice) == expected
    assert ("reducing or removing dexamethasone" in " ".join(o.note for o in advice.options)) is dex_note
    if ambiguity:
        assert any(ambiguity in a.interpretation for a in advice.ambiguities)
    else:
        assert not [a for a in advice.ambiguities if "80" in a.interpretation]


def test_frail_row_low_threshold_dex_and_lenalidomide_15():
    advice = advise(PatientFacts(age=75, frailty=Frailty.FRAIL))
    assert "lenalidomide 15 mg" in advice.options[0].note and "remove dexamethasone" in advice.options[0].note


def test_non_transplant_frailty_unknown_missing():
    advice = advise(PatientFacts(age=75))
    assert "frailty" in advice.missing
    assert ranked(advice) == [("Dara-VRd", 1), ("Isa-VRd", 1)]


def test_non_transplant_ca_70_note():
    assert "ca. 70" in notes(advise(PatientFacts(age=72, frailty=FIT)))


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
    result = lenalidomide_renal_dose(egfr)
    assert result.dose_mg == dose
    assert (result.ambiguity is not None) is ambiguous


def test_lenalidomide_renal_dose_unknown():
    result = lenalidomide_renal_dose(None)
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


# --- Relapse: line number ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("highest", "setting"),
    [
        pytest.param(1, "RELAPSE_LINE_2", id="tilbakefall-etter-linje-1-andrelinje"),
        pytest.param(2, "RELAPSE_LINE_3", id="tilbakefall-etter-linje-2-tredjelinje"),
        pytest.param(3, "RELAPSE_LINE_4", id="tilbakefall-etter-linje-3-fjerdelinje"),
        pytest.param(4, "RELAPSE_LINE_5_PLUS", id="tilbakefall-etter-linje-4-femtelinje"),
        pytest.param(7, "RELAPSE_LINE_5_PLUS", id="tilbakefall-etter-linje-7-fra-femte"),
    ],
)
def test_relapse_line(highest, setting):
    facts = relapse(*[line(n, "VRd-induction", refractory=("lenalidomide",)) for n in range(1, highest + 1)])
    assert advise(facts).setting == setting


# --- Line 2 (Andrelinjebehandling) ---------------------------------------------------------------------------

LINE2_CASES = [
    pytest.param(line(1, "VRd-induction", refractory=("lenalidomide",)), [("BVd", 1), ("Isa-Kd", 2)],
                 id="andrelinje-lenalidomid-refraktær-ikke-CD38-refraktær"),
    pytest.param(line(1, "VRd-induction", intolerant=("lenalidomide",)), [("BVd", 1), ("Isa-Kd", 2)],
                 id="andrelinje-lenalidomid-intoleranse-ikke-CD38-refraktær"),
    pytest.param(line(1, "Dara-VRd", refractory=("lenalidomide",), intolerant=("daratumumab",)),
                 [("BVd", 1), ("Isa-Kd", 2)], id="andrelinje-lenalidomid-refraktær-CD38-intolerant-ikke-refraktær"),
    pytest.param(line(1, "VRd-induction", refractory=("bortezomib",)), [("DRd", 1), ("BPd", 1)],
                 id="andrelinje-ikke-refraktær-CD38-eller-lenalidomid"),
    pytest.param(line(1, "Dara-VRd", refractory=("daratumumab", "lenalidomide")), [("BVd", 1)],
                 id="andrelinje-refraktær-CD38-og-lenalidomid"),
]


@pytest.mark.parametrize(("history", "expected"), LINE2_CASES)
def test_second_line_rows(history, expected):
    advice = advise(relapse(history))
    assert advice.setting == "RELAPSE_LINE_2"
    assert ranked(advice) == expected
    assert all(o.citation.section == "Andrelinjebehandling" for o in advice.options)
    assert not advice.ambiguities


@pytest.mark.parametrize("regimen", ["BVd", "BPd"])
def test_belantamab_is_cup_awaiting_reimbursement(regimen):
    # "Belantamab mafodotin er enda ikke refundert (november 2025), men kan fås gjennom ... CUP"
    histories = {"BVd": line(1, "VRd-induction", refractory=("lenalidomide",)),
                 "BPd": line(1, "VRd-induction", refractory=("bortezomib",))}
    option = next(o for o in advise(relapse(histories[regimen])).options if o.regimen == regimen)
    assert option.awaiting_reimbursement is True
    assert "Compassionate Use" in option.note
    assert "CUP condition is not met" in option.note  # "krever at man har brukt et CD38-antistoff tidligere"


def test_belantamab_cup_condition_met_after_cd38():
    option = advise(relapse(line(1, "Dara-VRd", refractory=("daratumumab", "lenalidomide")))).options[0]
    assert option.regimen == "BVd" and "not met" not in option.note


def test_non_belantamab_options_are_reimbursed():
    advice = advise(relapse(line(1, "VRd-induction", refractory=("lenalidomide",))))
    assert {o.regimen: o.awaiting_reimbursement for o in advice.options} == {"BVd": True, "Isa-Kd": False}


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        pytest.param(line(1, "Dara-VRd", refractory=("daratumumab",)), [("BVd", 1), ("BPd", 1)],
                     id="andrelinje-kun-CD38-refraktær-ingen-rad"),
        pytest.param(line(1, "Dara-VRd", refractory=("daratumumab",), intolerant=("lenalidomide",)),
                     [("BVd", 1), ("BPd", 1)], id="andrelinje-CD38-refraktær-lenalidomid-intolerant-ingen-rad"),
        pytest.param(line(1, "Dara-VRd", intolerant=("daratumumab",)), [("BVd", 1), ("BPd", 1)],
                     id="andrelinje-kun-CD38-intolerant-ingen-rad"),
    ],
)
def test_second_line_gap_is_flagged(history, expected):
    advice = advise(relapse(history))
    assert ranked(advice) == expected
    assert advice.ambiguities and "none of the three rows" in advice.ambiguities[0].interpretation


def test_second_line_gap_with_nothing_fitting():
    history = line(1, "Dara-VRd", refractory=("daratumumab", "bortezomib", "pomalidomide"))
    advice = advise(relapse(history))
    assert advice.options == () and "discuss with an expert" in notes(advice)


def test_option_containing_refractory_drug_is_flagged():
    # BVd row: refractory to bortezomib too — principle "bytte til ... ny virkningsmekanisme"
    advice = advise(relapse(line(1, "VRd-induction", refractory=("lenalidomide", "bortezomib"))))
    assert "BVd contains bortezomib" in notes(advice)


def test_early_bispecific_rule_line_2():
    # "aktuell for pasienter som er refraktære for CD38-antistoff, karfilzomib og pomalidomide selv om antall
    # linjer er færre enn 3"
    history = line(1, drugs=("daratumumab", "carfilzomib", "pomalidomide", "dexamethasone"),
                   refractory=("daratumumab", "carfilzomib", "pomalidomide"))
    advice = advise(relapse(history))
    assert advice.setting == "RELAPSE_LINE_2"
    assert ranked(advice) == [("teclistamab", 1), ("elranatamab", 1), ("talquetamab", 2)]
    assert advice.options[2].awaiting_reimbursement is True


def test_early_bispecific_needs_all_three():
    history = line(1, drugs=("daratumumab", "carfilzomib", "dexamethasone"),
                   refractory=("daratumumab", "carfilzomib"))
    assert "teclistamab" not in [o.regimen for o in advise(relapse(history)).options]


# --- Line 3 (Tredjelinjebehandling) --------------------------------------------------------------------------

LINE1_R = line(1, "VRd-induction", refractory=("lenalidomide",))


@pytest.mark.parametrize(
    ("line2", "expected"),
    [
        pytest.param(line(2, "Isa-Kd", refractory=("carfilzomib",)), [("BPd", 1)], id="tredjelinje-etter-Isa-Kd-BPd"),
        pytest.param(line(2, "BVd", refractory=("bortezomib",)), [("Isa-Pd", 1), ("Dara-Pd", 1)],
                     id="tredjelinje-etter-BVd-Isa-eller-Dara-Pd"),
        pytest.param(line(2, "BPd", refractory=("pomalidomide",)), [("BVd", 1), ("Isa-Kd", 2)],
                     id="tredjelinje-beste-andrelinjeregime-ikke-brukt"),
    ],
)
def test_third_line_after_second_line_regimen(line2, expected):
    advice = advise(relapse(LINE1_R, line2))
    assert advice.setting == "RELAPSE_LINE_3"
    assert ranked(advice) == expected


def test_third_line_best_regimen_unused_but_second_choice_used():
    # Isa-Kd already given in 1st line; BVd (1st choice of the lenalidomide-refractory row) not yet used
    advice = advise(relapse(line(1, "Isa-Kd"), line(2, "free text", drugs=("lenalidomide", "dexamethasone"),
                                                    refractory=("lenalidomide",))))
    assert ranked(advice) == [("BVd", 1)]


def test_third_line_cd38_and_belantamab_used():
    # "Hvis man har brukt både CD38-antistoff og belantamab mafodotin ...: 1. valg PCd, 2. valg Pd"
    advice = advise(relapse(line(1, "Dara-VRd", refractory=("lenalidomide",)),
                            line(2, "BPd", refractory=("pomalidomide",))))
    assert ranked(advice) == [("PCd", 1), ("Pd", 2)]
    assert not advice.ambiguities


def test_third_line_after_isa_kd_with_belantamab_already_used():
    advice = advise(relapse(line(1, "BVd", refractory=("bortezomib",)), line(2, "Isa-Kd", refractory=("carfilzomib",))))
    assert ranked(advice) == [("PCd", 1), ("Pd", 2)]


def test_third_line_no_row_matches_is_flagged():
    advice = advise(relapse(line(1, "VRd-induction", refractory=("bortezomib",)),
                            line(2, "DRd", refractory=("dexamethasone",))))
    assert ranked(advice) == [("PCd", 1), ("Pd", 2)]
    assert advice.ambiguities and advice.ambiguities[0].citation.section == "Tredjelinjebehandling"


# --- Line 4 (Fjerdelinjebehandling) --------------------------------------------------------------------------

TRIPLE = (line(1, "Dara-VRd", refractory=("lenalidomide",)), line(2, "BVd"),
          line(3, "Isa-Pd", refractory=("pomalidomide",)))


def test_fourth_line_triple_class_exposed_bispecifics():
    # "en immunmodulator ..., en proteasomhemmer ... og et CD38-antistoff ... bør få bispesifikt antistoff"
    advice = advise(relapse(*TRIPLE))
    assert advice.setting == "RELAPSE_LINE_4"
    assert ranked(advice) == [("teclistamab", 1), ("elranatamab", 1), ("talquetamab", 2)]
    assert [o.awaiting_reimbursement for o in advice.options] == [False, False, True]


def test_fourth_line_not_triple_class_exposed_flagged():
    advice = advise(relapse(line(1, "VRd-induction", refractory=("lenalidomide",)), line(2, "Pd"), line(3, "PCd",
                                                                                                         refractory=("pomalidomide",))))
    assert advice.setting == "RELAPSE_LINE_4"
    assert any("CD38 antibody" in a.interpretation for a in advice.ambiguities)
    assert "teclistamab" not in [o.regimen for o in advice.options]


@pytest.mark.parametrize(
    ("t11_14", "note"),
    [pytest.param(True, True, id="fjerdelinje-t11-14-venetoclax-tidligst"),
     pytest.param(False, False, id="fjerdelinje-uten-t11-14")],
)
def test_fourth_line_venetoclax_note(t11_14, note):
    assert ("venetoclax (off-label)" in notes(advise(relapse(*TRIPLE, t11_14=t11_14)))) is note


# --- Line 5+ (Behandling fra 5.linje) -------------------------------------------------------------------------

def after_bispecific(*, pomalidomide=False, extra=0):
    lines = [line(1, "VRd-induction", refractory=("lenalidomide",)), line(2, "Isa-Kd"),
             line(3, "PCd" if pomalidomide else "BVd"), line(4, "teclistamab", refractory=("teclistamab",))]
    lines += [line(5 + i, "free text", drugs=("bendamustine",), refractory=("bendamustine",)) for i in range(extra)]
    return lines


@pytest.mark.parametrize(
    ("pomalidomide", "t11_14", "extra", "expected"),
    [
        pytest.param(False, False, 0, [("Elo-Pd", 1)], id="femtelinje-Elo-Pd-pomalidomid-ikke-prøvd"),
        pytest.param(False, True, 0, [("Elo-Pd", 1), ("Ven-Dex", 1)], id="femtelinje-venetoclax-ved-t11-14"),
        pytest.param(True, True, 0, [("Ven-Dex", 1)], id="femtelinje-pomalidomid-prøvd-kun-Ven-Dex"),
        pytest.param(True, False, 0, [("bendamustine", 1), ("cyclophosphamide", 1), ("melphalan", 1)],
                     id="femtelinje-ingen-alternativ-alkylatorer"),
        pytest.param(False, False, 1, [("Elo-Pd", 1), ("bendamustine", 2), ("cyclophosphamide", 2), ("melphalan", 2)],
                     id="sjettelinje-alkylatorer"),
    ],
)
def test_fifth_line_and_later(pomalidomide, t11_14, extra, expected):
    advice = advise(relapse(*after_bispecific(pomalidomide=pomalidomide, extra=extra), t11_14=t11_14))
    assert advice.setting == "RELAPSE_LINE_5_PLUS"
    assert ranked(advice) == expected


def test_fifth_line_t11_14_unknown_missing():
    advice = advise(relapse(*after_bispecific(), t11_14=None))
    assert "cytogenetics.t11_14" in advice.missing
    assert "Ven-Dex" not in [o.regimen for o in advice.options]


def test_fifth_line_without_bispecific_offers_it_first():
    lines = [line(1, "VRd-induction", refractory=("lenalidomide",)), line(2, "Isa-Kd"), line(3, "BVd"),
             line(4, "free text", drugs=("melphalan",), refractory=("melphalan",))]
    advice = advise(relapse(*lines))
    assert ranked(advice)[:3] == [("teclistamab", 1), ("elranatamab", 1), ("talquetamab", 2)]
    assert ("Elo-Pd", 3) in ranked(advice)


# --- HMAS at relapse, history gaps ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("transplant", "frailty", "note", "missing"),
    [
        pytest.param(False, FIT, True, None, id="HMAS-ved-tilbakefall-ikke-tidligere-HMAS-sprek"),
        pytest.param(True, FIT, False, None, id="HMAS-ved-tilbakefall-tidligere-HMAS"),
        pytest.param(False, Frailty.FRAIL, False, None, id="HMAS-ved-tilbakefall-tåler-ikke"),
        pytest.param(None, FIT, True, "treatment_history[0].autologous_transplant", id="HMAS-status-ukjent"),
        pytest.param(False, None, True, "frailty", id="HMAS-ved-tilbakefall-skrøpelighet-ukjent"),
    ],
)
def test_hmas_at_relapse(transplant, frailty, note, missing):
    # "HMAS ved tilbakefall anbefales bare for pasienter som ikke tidligere har fått HMAS, og som anses å kunne tåle"
    facts = relapse(line(1, "DRd", refractory=("lenalidomide",), autologous_transplant=transplant), frailty=frailty)
    advice = advise(facts)
    assert ("HMAS at relapse only if" in notes(advice)) is note
    if missing:
        assert missing in advice.missing


def test_mel_hmas_line_counts_as_previous_transplant():
    facts = relapse(line(1, "VRd-induction"), line(1, "Mel-HMAS", refractory=("lenalidomide",)))
    assert "HMAS at relapse only if" not in notes(advise(facts))


def test_history_gaps_listed():
    facts = relapse(line(1, "my own regimen"), line(2, "DRd"))
    advice = advise(facts)
    assert "treatment_history[0].drugs" in advice.missing
    assert "treatment_history[1].refractory_to" in advice.missing


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


# --- Radiotherapy ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("indication", "regimens", "emergency", "text"),
    [
        pytest.param("spinal_cord_compression", ["radiotherapy-3Gy-x10"], True,
                     "Dexamethasone 40 mg × 1 started at once",
                     id="truende-tverrsnittslesjon-deksametason-3Gy-x10-innen-24t"),
        pytest.param("painful_lesion", ["radiotherapy-8Gy-x1", "radiotherapy-20-30Gy"], False, "pain",
                     id="smertefulle-lesjoner-8Gy-x1-eller-20-30Gy"),
        pytest.param("postoperative", ["radiotherapy-3Gy-x10"], False, "same time",
                     id="postoperativ-strålebehandling-3Gy-x10"),
        pytest.param("space_occupying", ["radiotherapy-3Gy-x10"], False, "Stenting",
                     id="romoppfyllende-prosesser-3Gy-x10"),
        pytest.param("solitary_plasmacytoma", ["radiotherapy-2Gy-x20", "radiotherapy-2Gy-x25"], False, "same time",
                     id="solitært-plasmacytom-2Gy-x20-over-5cm-2Gy-x25"),
        pytest.param("unoperated_fracture", [], False, "no dose", id="fraktur-som-ikke-opereres"),
    ],
)
def test_radiotherapy(indication, regimens, emergency, text):
    result = radiotherapy_advice(indication)
    assert [o.regimen for o in result.options] == regimens
    assert result.emergency is emergency
    assert text in " ".join(result.notes)


def test_spinal_cord_compression_mri_emergency():
    result = radiotherapy_advice(RadiotherapyIndication.SPINAL_CORD_COMPRESSION)
    text = " ".join(result.notes)
    assert "MRI of the spine as an emergency" in text and "within 24 hours" in text
    assert result.citation.detail == "Truende tverrsnittslesjon"


@pytest.mark.parametrize(
    ("on_treatment", "text"),
    [
        pytest.param(True, "radiotherapy and continue", id="nytt-plasmacytom-under-behandling"),
        pytest.param(False, "restart systemic treatment", id="nytt-plasmacytom-i-behandlingspause"),
        pytest.param(None, "not known", id="nytt-plasmacytom-ukjent"),
    ],
)
def test_relapse_plasmacytoma(on_treatment, text):
    result = radiotherapy_advice("relapse_plasmacytoma", on_systemic_treatment=on_treatment)
    assert text in " ".join(result.notes)


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


@settings(max_examples=100)
@given(facts=patient_facts, high_risk=st.none() | st.booleans(), egfr=st.none() | st.floats(min_value=0, max_value=200))
def test_car_t_never_raises(facts, high_risk, egfr):
    assert car_t_priority(facts, high_risk=high_risk, egfr_ml_min=egfr).verdict in CarTVerdict


# --- Second reader's findings (haematologist review) -----------------------------------------------------------

@pytest.mark.parametrize(
    ("line1", "expected", "ambiguous"),
    [
        # «Hvis man har gitt … (BVd) i 2. linje, gis … (Isa/D-Pd) i 3. linje» — no CD38 antibody before
        pytest.param(LINE1_R, [("Isa-Pd", 1), ("Dara-Pd", 1)], False, id="tredjelinje-etter-BVd-uten-CD38-Isa-D-Pd"),
        # «Hvis man har brukt både CD38-antistoff og belantamab mafodotin … 1. valg PCd … 2. valg Pd»
        pytest.param(line(1, "Dara-VRd", refractory=("lenalidomide",)), [("PCd", 1), ("Pd", 2)], True,
                     id="tredjelinje-etter-CD38-og-BVd-PCd-Pd"),
        pytest.param(line(1, "Dara-VRd", refractory=("daratumumab", "lenalidomide")), [("PCd", 1), ("Pd", 2)], True,
                     id="tredjelinje-etter-CD38-refraktaer-og-BVd-PCd-Pd"),
    ],
)
def test_third_line_after_cd38_and_bvd_is_pcd_not_cd38_again(line1, expected, ambiguous):
    advice = advise(relapse(line1, line(2, "BVd", refractory=("bortezomib",))))
    assert ranked(advice) == expected
    assert any("brukt både CD38-antistoff" in a.source_text for a in advice.ambiguities) is ambiguous


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
