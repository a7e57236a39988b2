"""The analytes of the workup the catalogue records (Handlingsprogram for myelomatose, «Laboratorieprøver»;
POEMS guideline, «Udredning»), their physiological ranges and units, and which of them reach the engine.

The ranges are what a living adult can have, not clinical limits: a value inside is accepted whatever it
means clinically, a value outside (or in a recognisably other unit) is refused naming the unit."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import override

from patients import actions, labcatalogue
from patients.facts import facts_for

TODAY = timezone.localdate()


def test_the_workup_analytes_are_in_the_catalogue_with_their_units():
    # «Hb, hvite med diff. telling, trombocytter, …, IgG, IgA, IgM. NT-Pro-BNP, Troponin T, ALP og Urin-albumin»;
    # POEMS «Udredning»: «calcium ion», «ALAT, basisk phosphatase, bilirubin».
    # Units as Norwegian laboratories report them (SI: cell counts per litre, bilirubin in µmol/L).
    expected = {
        "leukocytes": "10⁹/L", "neutrophils": "10⁹/L", "igg": "g/L", "iga": "g/L", "igm": "g/L",
        "nt_probnp": "ng/L", "troponin_t": "ng/L", "alp": "U/L", "alt": "U/L", "bilirubin": "µmol/L",
        "urine_albumin": "mg/mmol", "ionised_calcium": "mmol/L",
    }
    assert {code: labcatalogue.ANALYTES[code].unit for code in expected} == expected


def test_the_new_analytes_bring_no_default_reference_limits():
    """No invented clinical limits: the laboratory's own are entered with the result."""
    new = ("leukocytes", "neutrophils", "iga", "igm", "nt_probnp", "troponin_t", "alp", "alt", "bilirubin",
           "urine_albumin", "ionised_calcium")
    assert {code: labcatalogue.reference_limits(code, sex="male", age=60) for code in new} == {
        code: (None, None) for code in new}


@pytest.mark.hazard("HAZ-063")
@pytest.mark.parametrize("analyte, value", [
    ("leukocytes", "0"),  # aplasia: reported as < 0.1
    ("leukocytes", "450"),  # hyperleukocytosis of a leukaemia
    ("neutrophils", "0.05"),
    ("iga", "0"),  # selective IgA deficiency: undetectable
    ("iga", "80"),  # an IgA myeloma
    ("igm", "60"),  # Waldenström
    ("nt_probnp", "35000"),
    ("troponin_t", "8000"),
    ("alt", "12000"),  # ischaemic hepatitis
    ("alp", "3000"),
    ("bilirubin", "600"),
    ("urine_albumin", "800"),  # nephrotic AL amyloidosis
    ("ionised_calcium", "2.1"),  # hypercalcaemic crisis
    ("ionised_calcium", "0.6"),
], ids=lambda v: str(v))
def test_values_a_living_adult_can_have_are_accepted(analyte, value):
    from decimal import Decimal

    assert labcatalogue.check_value(analyte, Decimal(value)) is None


@pytest.mark.hazard("HAZ-063")
@pytest.mark.parametrize("analyte, value, expected", [
    ("leukocytes", "5400", "/µL"),  # 5.4 × 10⁹/L typed per microlitre
    ("neutrophils", "3200", "/µL"),
    ("iga", "250", "mg/dL"),  # 2.5 g/L typed in mg/dL
    ("igm", "180", "mg/dL"),
    ("ionised_calcium", "5.0", "mg/dL"),  # 1.25 mmol/L typed in mg/dL
    ("bilirubin", "2000", "physiological range"),
    ("alt", "50000", "physiological range"),
    ("nt_probnp", "-3", "negative"),
], ids=["leukocytes per µL", "neutrophils per µL", "IgA in mg/dL", "IgM in mg/dL", "ionised Ca in mg/dL",
        "bilirubin too high", "ALT too high", "negative NT-proBNP"])
def test_impossible_values_are_refused_naming_the_unit(analyte, value, expected):
    from decimal import Decimal

    with override("en"):
        problem = labcatalogue.check_value(analyte, Decimal(value))
    assert problem is not None and expected in problem
    if expected != "negative":
        assert labcatalogue.ANALYTES[analyte].unit in problem


def test_only_igg_of_the_new_analytes_reaches_the_engine(physician, patient):
    """IgG feeds labs.igg_g_l (contract v1.1, supportive care); guidelines/facts.py has no field for the others:
    they are recorded and shown, and never crash or silently feed the engine."""
    for analyte, value in (("igg", "3.5"), ("iga", "0.4"), ("leukocytes", "4.1"), ("nt_probnp", "900")):
        actions.record_lab_result(by=physician, patient=patient, date=TODAY, analyte=analyte, value=value)
    facts, sources = facts_for(patient)
    assert facts.labs.igg_g_l == 3.5
    assert "labs.igg_g_l" in sources
    assert not any(path.startswith("labs.") and path != "labs.igg_g_l" for path in sources)


def test_the_latest_sampling_time_of_a_day_is_the_fact(physician, patient):
    """Two creatinines on one day: the one sampled later counts, whichever was typed in first."""
    actions.record_lab_result(by=physician, patient=patient, date=TODAY - datetime.timedelta(days=1),
                              analyte="creatinine", value="300", sampling_time=datetime.time(16, 0))
    actions.record_lab_result(by=physician, patient=patient, date=TODAY - datetime.timedelta(days=1),
                              analyte="creatinine", value="90", sampling_time=datetime.time(7, 30))
    facts, _sources = facts_for(patient)
    assert facts.labs.creatinine_umol_l == 300.0


def test_a_sampling_time_later_today_is_refused(physician, patient):
    from django.core.exceptions import ValidationError

    now = timezone.localtime()
    if now.hour == 23 and now.minute >= 58:
        pytest.skip("no later minute today")
    later = (now + datetime.timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    with pytest.raises(ValidationError) as refused:
        actions.record_lab_result(by=physician, patient=patient, date=now.date(), analyte="creatinine",
                                  value="90", sampling_time=later)
    assert "sampling_time" in refused.value.error_dict
