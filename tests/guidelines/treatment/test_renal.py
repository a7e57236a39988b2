"""«Behandling ved nyresvikt» (guidelines/treatment/renal.py): the lenalidomide dose by eGFR, from the
protocol of the regimen offered.

Expected values are the guideline's own words (row quoted in each id / comment), never copied from the code.
"""

import pytest

from guidelines.facts import PatientFacts
from guidelines.history import read_history
from guidelines.library import DrugLineInfo, RegimenInfo, RuleInfo
from guidelines.treatment import lenalidomide_renal_dose, recommend
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
    # the interpretation is the protocol library's own, written in bokmål (regimens/protocols/*.yaml)
    advice = advise(PatientFacts(age=60, transplant_contraindication=False), egfr=30)
    assert any("eGFR nøyaktig 30" in a.interpretation for a in advice.ambiguities)


# --- The doses are the protocols' (guidelines.library): the advice states none of its own ------------------------

def lenalidomide_regimen(code, dose=25, rules=()):
    return RegimenInfo(code, "active", (DrugLineInfo("bortezomib", 1.3, "mg/m2"), DrugLineInfo("lenalidomide", dose,
                                                                                              "mg", tuple(rules))))


def renal(threshold=30, dose=15, **kw):
    return RuleInfo(kind="renal", comparison="below", threshold=threshold, dose=dose,
                    source_text="Ved eGFR <30: 15 mg", **kw)


TRANSPLANT = PatientFacts(age=60, transplant_contraindication=False)
INDUCTIONS = ("VRd-induction", "Dara-VRd-induction", "Isa-VRd-induction")


def advise_with(library, facts=TRANSPLANT, egfr=80, diagnosis="ACTIVE_MYELOMA"):
    return recommend(facts, history=read_history(facts, library), library=library, diagnosis_code=diagnosis,
                     high_risk=False, egfr_ml_min=egfr)


def test_the_lenalidomide_note_follows_the_protocols_renal_rule():
    # a pharmacist's edited protocol (20 mg, 10 mg below eGFR 40) is what the advice says
    edited = {**LIBRARY, **{code: lenalidomide_regimen(code, 20, [renal(40, 10)]) for code in INDUCTIONS}}
    text = notes(advise_with(edited, egfr=35))
    assert "Lenalidomide: eGFR 35 < 40 mL/min → lenalidomide 10 mg daily" in text
    assert "25 mg" not in text and "15 mg" not in text


def test_protocols_that_disagree_get_one_note_each():
    edited = {**LIBRARY, "VRd-induction": lenalidomide_regimen("VRd-induction", 20, [renal(40, 10)])}
    text = notes(advise_with(edited, egfr=35))
    assert "Lenalidomide (VRd-induction): eGFR 35 < 40 mL/min → lenalidomide 10 mg daily" in text
    assert "Lenalidomide (Dara-VRd-induction, Isa-VRd-induction): eGFR 35 > 30 mL/min → lenalidomide 25 mg" in text


@pytest.mark.parametrize(
    ("rule", "dose", "flagged"),
    [
        pytest.param(renal(boundary_undefined=True, boundary_interpretation="30: 15 mg", at_boundary="rule"), 15, True,
                     id="grense-udefinert-regelens-dose"),
        pytest.param(renal(boundary_undefined=True, boundary_interpretation="30: 25 mg"), 25, True,
                     id="grense-udefinert-standarddose"),
        pytest.param(renal(), 25, False, id="grense-definert-sammenlignes-som-skrevet"),
    ],
)
def test_at_the_threshold_the_protocol_decides_the_side(rule, dose, flagged):
    result = lenalidomide_renal_dose(30, lenalidomide_regimen("T", 25, [rule]))
    assert result.dose_mg == dose
    assert (result.ambiguity is not None) is flagged
    if flagged:  # the protocol's own words, not the engine's
        assert (result.ambiguity.source_text, result.ambiguity.interpretation) == ("Ved eGFR <30: 15 mg",
                                                                                   rule.boundary_interpretation)


def test_the_shipped_boundary_quotes_the_protocol():
    advice = advise(TRANSPLANT, egfr=30)
    (ambiguity,) = [a for a in advice.ambiguities if a.citation.section == "Behandling ved nyresvikt"]
    rule = LIBRARY["VRd-induction"].line_of("lenalidomide").rules[0]
    assert ambiguity.source_text == rule.source_text and "Lenalidomid gis i en dose på 15 mg" in ambiguity.source_text


def test_a_protocol_without_a_renal_rule_says_so():
    result = lenalidomide_renal_dose(20, lenalidomide_regimen("T", 25))
    assert result.dose_mg == 25 and "no renal rule" in result.working


def test_a_draft_gives_no_lenalidomide_dose():
    # Plasmacelleleukemi: anti-CD38 + KRd has no dosing table in the guideline; its protocol is a draft
    advice = advise(PatientFacts(age=60, transplant_contraindication=False), "PLASMA_CELL_LEUKEMIA", egfr=None)
    assert "Anti-CD38-KRd-PCL protocol gives no checked lenalidomide dose yet (draft)" in notes(advice)
    assert "labs.egfr_ml_min" in advice.missing


def test_the_melphalan_dose_is_the_hmas_protocols():
    edited = {**LIBRARY, "Mel-HMAS": RegimenInfo("Mel-HMAS", "active", (
        DrugLineInfo("melphalan", 180, "mg/m2", (renal(40, 120),)),))}
    text = notes(advise_with(edited, egfr=35))
    assert "Mel-HMAS: eGFR 35 < 40 → melphalan 120 mg/m² day −1; stem cells day 0" in text
    assert "48 hours" not in text  # the edited rule asks for no interval before reinfusion
    assert "melphalan 180 mg/m² day −1 (120 mg/m² if eGFR < 40 — eGFR unknown)" in notes(advise_with(edited, egfr=None))


def test_without_the_hmas_protocol_no_melphalan_dose_is_given():
    without = {code: regimen for code, regimen in LIBRARY.items() if code != "Mel-HMAS"}
    text = notes(advise_with(without))
    assert "the dose and its renal rule are the Mel-HMAS protocol's" in text and "mg/m² day −1" not in text
