"""ISS / R-ISS tables and the six IMS/IMWG high-risk bullets of Handlingsprogram,
«Stadieinndeling og prognose»; R2-ISS from D'Agostino 2022 (not in the guideline)."""

import pytest

from guidelines.facts import Del1p32, PatientFacts
from guidelines.staging import iss, r2_iss, r_iss, staging
from tests.guidelines.factories import make


@pytest.mark.parametrize(
    ("b2m", "albumin", "stage"),
    [
        pytest.param(3.4, 35, "I", id="I-b2m-3.4-alb-35"),
        pytest.param(3.4, 34.9, "II", id="II-alb-34.9"),
        pytest.param(3.5, 40, "II", id="II-b2m-3.5"),
        pytest.param(5.4, 40, "II", id="II-b2m-5.4"),
        pytest.param(5.5, 40, "III", id="III-b2m-5.5"),
        pytest.param(5.5, None, "III", id="III-albumin-irrelevant"),
        pytest.param(3.0, None, None, id="albumin-needed"),
        pytest.param(None, 40, None, id="b2m-unknown"),
    ],
)
def test_iss(b2m, albumin, stage):
    assert iss(make(labs={"beta2m_mg_l": b2m, "albumin_g_l": albumin})).stage == stage


def test_iss_ambiguity_neither_i_nor_iii():
    assert any("Verken I eller II" in a.source_text and "stage III" in a.interpretation
               for a in staging(make()).ambiguities)


@pytest.mark.parametrize(
    ("b2m", "ldh", "cyto", "stage"),
    [
        pytest.param(3.0, 205, {}, "I", id="R-ISS-I-LDH-at-upper-limit"),
        pytest.param(3.0, 206, {}, "II", id="ISS-I-high-LDH"),
        pytest.param(3.0, 180, {"t4_14": True}, "II", id="ISS-I-t4-14"),
        pytest.param(4.0, 300, {"del17p": True}, "II", id="ISS-II-always-II"),
        pytest.param(6.0, 206, {}, "III", id="ISS-III-high-LDH"),
        pytest.param(6.0, 180, {"t14_16": True}, "III", id="ISS-III-t14-16"),
        pytest.param(6.0, 180, {}, "II", id="ISS-III-normal-LDH-standard-FISH"),
        pytest.param(3.0, 180, {"del17p": None}, None, id="FISH-unknown"),
        pytest.param(6.0, None, {}, None, id="LDH-unknown"),
        pytest.param(None, 180, {}, None, id="ISS-unknown"),
    ],
)
def test_r_iss(b2m, ldh, cyto, stage):
    facts = make(labs={"beta2m_mg_l": b2m, "ldh_u_l": ldh}, cytogenetics=cyto)
    assert r_iss(facts, iss(facts)).stage == stage


@pytest.mark.parametrize(
    ("b2m", "ldh", "cyto", "stage"),
    [
        pytest.param(3.0, 180, {}, "I", id="0-points"),
        pytest.param(3.0, 180, {"gain1q": True}, "II", id="1q-0.5"),
        pytest.param(4.0, 180, {}, "II", id="ISS-II-1"),
        pytest.param(6.0, 180, {}, "III", id="ISS-III-1.5"),
        pytest.param(4.0, 180, {"gain1q": True, "t4_14": True}, "III", id="2.5-points"),
        pytest.param(6.0, 206, {"del17p": True}, "IV", id="3.5-points"),
        # ISS III 1.5 + del17p 1 + LDH 1 = 3.5 already; unknown 1q+ cannot change group IV
        pytest.param(6.0, 206, {"del17p": True, "gain1q": None}, "IV", id="unknown-cannot-change-group"),
        pytest.param(3.0, 180, {"gain1q": None}, None, id="unknown-could-change-group"),
        pytest.param(None, 206, {"del17p": True, "t4_14": True}, "IV", id="ISS-unknown-already-3"),
    ],
)
def test_r2_iss(b2m, ldh, cyto, stage):
    facts = make(labs={"beta2m_mg_l": b2m, "ldh_u_l": ldh}, cytogenetics=cyto)
    result = r2_iss(facts, iss(facts))
    assert result.stage == stage


def test_r2_iss_is_cited_as_outside_the_guideline():
    s = staging(make())
    assert any("NOT in the guideline" in c.detail for c in s.citations)


@pytest.mark.parametrize(
    ("labs", "cyto", "expected"),
    [
        pytest.param({}, {}, False, id="none-of-six"),
        pytest.param({}, {"del17p": True}, True, id="1-del17p"),
        pytest.param({}, {"tp53_mutation": True}, True, id="2-TP53"),
        pytest.param({}, {"t14_20": True, "gain1q": True}, True, id="3-t14-20-with-gain1q"),
        pytest.param({}, {"t4_14": True, "del1p32": Del1p32.MONOALLELIC}, True, id="3-t4-14-with-del1p32"),
        pytest.param({}, {"t4_14": True}, False, id="3-t4-14-alone-not"),
        pytest.param({}, {"gain1q": True, "del1p32": Del1p32.MONOALLELIC}, True, id="4-del1p32-and-gain1q"),
        pytest.param({}, {"gain1q": True}, False, id="gain1q-alone-not"),
        pytest.param({}, {"del1p32": Del1p32.BIALLELIC}, True, id="5-biallelic-del1p32"),
        pytest.param({}, {"del1p32": Del1p32.MONOALLELIC}, False, id="monoallelic-alone-not"),
        pytest.param({"beta2m_mg_l": 5.6, "creatinine_umol_l": 105}, {}, True, id="6-b2m-5.6-creatinine-105"),
        pytest.param({"beta2m_mg_l": 5.5, "creatinine_umol_l": 90}, {}, False, id="6-b2m-5.5-not-above"),
        pytest.param({"beta2m_mg_l": 6.0, "creatinine_umol_l": 106}, {}, False, id="6-creatinine-106-not-normal"),
    ],
)
def test_high_risk_bullets(labs, cyto, expected):
    s = staging(make(labs=labs, cytogenetics=cyto))
    assert s.high_risk is expected


def test_high_risk_unknown_lists_missing():
    s = staging(PatientFacts(age=70))
    assert s.high_risk is None
    assert {"cytogenetics.del17p", "labs.beta2m_mg_l", "labs.creatinine_umol_l"} <= set(s.missing)


def test_high_risk_true_despite_unknowns():
    s = staging(make(cytogenetics={"del17p": True, "tp53_mutation": None}))
    assert s.high_risk is True and s.high_risk_reasons == ("del(17p) / monosomy 17",)
