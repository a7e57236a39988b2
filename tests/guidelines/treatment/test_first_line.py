"""«Førstegangsbehandling av myelomatose» and «Plasmacelleleukemi» (guidelines/treatment/first_line.py).

Expected values are the guideline's own words (row quoted in each id / comment), never copied from the code.
"""

import pytest

from guidelines.facts import Frailty, PatientFacts
from guidelines.history import read_history
from guidelines.library import DrugLineInfo, RegimenInfo
from guidelines.treatment import recommend
from tests.guidelines.shipped import LIBRARY
from tests.guidelines.treatment.helpers import FIT, advise, notes, ranked

TRANSPLANT = PatientFacts(age=60, transplant_contraindication=False)

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


def test_the_mobilisation_dose_is_the_protocols():
    # «Høstekur med cyklofosfamid»: 2 g/m2 in the shipped protocol; without an active protocol no dose is named
    assert "Cy-mobilisation: cyclophosphamide 2 g/m² + mesna + G-CSF" in notes(advise(TRANSPLANT))
    draft = {**LIBRARY, "Cy-mobilisation": RegimenInfo("Cy-mobilisation", "draft", (DrugLineInfo("cyclophosphamide"),))}
    text = notes(recommend(TRANSPLANT, history=read_history(TRANSPLANT, draft), library=draft,
                           diagnosis_code="ACTIVE_MYELOMA", high_risk=False, egfr_ml_min=80))
    assert "Cy-mobilisation: cyclophosphamide as the protocol gives it + mesna" in text
    assert "cyclophosphamide 2 g/m²" not in text
