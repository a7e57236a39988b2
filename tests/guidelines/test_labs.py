"""Derived lab values. Reference values computed by hand from the published equations."""

import pytest

from guidelines.facts import Labs, PatientFacts, Sex
from guidelines.labs import bsa_dubois, bsa_mosteller, egfr, egfr_ckd_epi_2021, free_light_chains


@pytest.mark.parametrize(
    ("creatinine", "age", "sex", "expected"),
    [
        # 142 × (1.0181/0.9)^-1.2 × 0.9938^64 = 142 × 0.8625 × 0.6713 ≈ 82.2
        pytest.param(90, 64, Sex.MALE, 82.2, id="male-64-cr90"),
        # Scr 0.7919 mg/dL; 0.7919/0.7 = 1.1312 > 1 → 142 × 1.1312^-1.2 (0.8625) × 0.9938^50 (0.7328) × 1.012
        pytest.param(70, 50, Sex.FEMALE, 90.8, id="female-50-cr70"),
        # below κ: 50 µmol/L = 0.5656 mg/dL; 0.5656/0.9 = 0.6285^-0.302 = 1.150; × 0.9938^40 = 0.7798
        pytest.param(50, 40, Sex.MALE, 127.3, id="male-40-cr50-below-kappa"),
    ],
)
def test_ckd_epi_2021(creatinine, age, sex, expected):
    assert egfr_ckd_epi_2021(creatinine_umol_l=creatinine, age=age, sex=sex) == pytest.approx(expected, abs=0.3)


def test_egfr_given_wins_over_creatinine():
    facts = PatientFacts(age=60, sex=Sex.MALE, labs=Labs(egfr_ml_min=25, creatinine_umol_l=90))
    assert egfr(facts).value == 25 and egfr(facts).source == "given"


@pytest.mark.hazard("HAZ-006", "HAZ-010")
def test_egfr_missing_lists_what_it_needs():
    result = egfr(PatientFacts(age=60))
    assert result.value is None
    assert set(result.missing) == {"labs.egfr_ml_min", "labs.creatinine_umol_l", "sex"}


def test_flc_contract_example():
    flc = free_light_chains(20, 15)
    assert flc.ratio == pytest.approx(1.333, abs=0.001)
    assert (flc.involved_chain, flc.involved_mg_l, flc.dflc_mg_l) == ("kappa", 20, 5)


def test_flc_lambda_involved():
    flc = free_light_chains(5, 250)
    assert flc.involved_chain == "lambda" and flc.dflc_mg_l == 245 and flc.ratio == pytest.approx(0.02)


def test_flc_unknown():
    assert free_light_chains(None, 10).ratio is None


@pytest.mark.hazard("HAZ-003")
def test_bsa_mosteller_contract_example():
    # sqrt(180 × 80 / 3600) = sqrt(4) = 2.00 m²
    assert bsa_mosteller(80, 180) == pytest.approx(2.0)


@pytest.mark.hazard("HAZ-003")
def test_bsa_dubois():
    # 0.007184 × 80^0.425 × 180^0.725 = 0.007184 × 6.4437 × 43.18 ≈ 1.999
    assert bsa_dubois(80, 180) == pytest.approx(1.999, abs=0.005)
