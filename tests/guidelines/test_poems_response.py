"""POEMS response (Klinisk retningslinje POEMS syndrom, «Responsevaluering»), both sides of every threshold.

The rows quoted, as the seed writes them:

- CRH «Negativ knoglemarv og negativ immunofixation af serum og urin. Hvis baseline KM var negativ er der ikke
  behov for ny KM.»
- VGPRH «90 procent reduktion i M-protein eller immunofixation positiv, kun evaluerbar hvis M-protein var mindst
  5 g/L ved baseline.»
- PRH «50 procent reduktion i M-protein eller immunofixation positiv hvis baseline M-protein var mindst 10 g/L.»
- «No response – opfylder ikke kriterier for PRH.»
- CRV «Normalisering af VEGF» (Udredning: «Forventet normal niveau: <100 ng/L»); PRV «Fald ≥50 procent fra
  baseline, hvis initialt forhøjet» (Udredning: «Værdier > 200 ng/L betragtes som forhøjede»); NRV «Ikke CRv
  eller PRv».
- CRR «Initialt FDG positive læsion(er) på baseline PET scan forsvundet»; PRR «Initial standardized uptake values
  (SUV)max reduceret 50 procent»; «No radiologic response – Ikke CRR or PRR»; PET only «(hvis gjort baseline)».
"""

import pytest

from guidelines.poems_response import (
    PoemsMeasurement,
    poems_haematological_response,
    poems_pet_response,
    poems_response,
    poems_vegf_response,
)

pytestmark = pytest.mark.hazard("HAZ-105")


def haem(baseline, current, *, serum_ife=False, urine_ife=False, marrow_negative=None, baseline_marrow_negative=None):
    return poems_haematological_response(
        baseline_m_g_l=baseline, current_m_g_l=current, serum_ife_negative=serum_ife, urine_ife_negative=urine_ife,
        marrow_negative=marrow_negative, baseline_marrow_negative=baseline_marrow_negative)


@pytest.mark.parametrize(("baseline", "current", "category", "code"), [
    # VGPRH: «90 procent reduktion», baseline «mindst 5 g/L»
    pytest.param(5, 0.5, "VGPRH", "VGPR", id="VGPRH 90 % fall, baseline 5 g/L (mindst 5)"),
    pytest.param(4.9, 0.49, "NOT_EVALUABLE", "NOT_EVALUABLE", id="VGPRH 90 % fall, baseline 4.9 g/L: kun evaluerbar"),
    pytest.param(20, 2, "VGPRH", "VGPR", id="VGPRH fall 90 %"),
    pytest.param(20, 2.1, "PRH", "PR", id="VGPRH fall 89.5 % is PRH"),
    pytest.param(6, 0, "VGPRH", "VGPR", id="VGPRH immunofixation positiv (M 0 on electrophoresis), baseline 6"),
    pytest.param(4, 0, "NOT_EVALUABLE", "NOT_EVALUABLE", id="VGPRH immunofixation positiv, baseline 4 < 5"),
    # PRH: «50 procent reduktion … hvis baseline M-protein var mindst 10 g/L»
    pytest.param(10, 5, "PRH", "PR", id="PRH 50 % fall, baseline 10 g/L (mindst 10)"),
    pytest.param(9.9, 4.95, "NOT_EVALUABLE", "NOT_EVALUABLE", id="PRH 50 % fall, baseline 9.9 g/L < 10"),
    pytest.param(12, 6, "PRH", "PR", id="PRH fall 50 %"),
    pytest.param(12, 6.1, "NO_RESPONSE", "NO_RESPONSE", id="No response: fall 49.2 %, opfylder ikke PRH"),
    pytest.param(12, 15, "NO_RESPONSE", "NO_RESPONSE", id="No response: M-protein rising"),
])
def test_haematological_thresholds(baseline, current, category, code):
    r = haem(baseline, current)
    assert (r.category, r.code) == (category, code)
    assert r.reasons


def test_crh_needs_negative_marrow_and_both_immunofixations():
    """CRH «Negativ knoglemarv og negativ immunofixation af serum og urin»."""
    assert haem(8, 0, serum_ife=True, urine_ife=True, marrow_negative=True).category == "CRH"
    # urine immunofixation still positive: not CRH; M 0 on electrophoresis, baseline 8 ≥ 5 → VGPRH
    assert haem(8, 0, serum_ife=True, urine_ife=False, marrow_negative=True).category == "VGPRH"


def test_crh_without_new_marrow_when_baseline_marrow_was_negative():
    """«Hvis baseline KM var negativ er der ikke behov for ny KM.»"""
    r = haem(3, 0, serum_ife=True, urine_ife=True, marrow_negative=None, baseline_marrow_negative=True)
    assert r.code == "CR" and not r.missing


def test_immunofixation_negative_without_marrow_is_vgprh_and_asks_for_the_marrow():
    r = haem(8, None, serum_ife=True, urine_ife=True)
    assert r.category == "VGPRH" and "current.marrow_involved" in r.missing
    # below the VGPRH minimum the same facts leave only CRH, which waits for the marrow
    low = haem(3, None, serum_ife=True, urine_ife=True)
    assert low.code == "NOT_EVALUABLE" and "current.marrow_involved" in low.missing


def test_immunofixation_negative_with_an_m_protein_is_a_contradiction_not_a_response():
    for marrow_negative in (True, False, None):
        r = haem(8, 2, serum_ife=True, urine_ife=True, marrow_negative=marrow_negative)
        assert r.code == "NOT_EVALUABLE" and "contradict" in r.reasons[0]


def test_haematological_missing_values_are_named_by_their_path():
    assert haem(None, 2).missing == ("baseline.serum_m_protein_g_l",)
    assert haem(12, None).missing == ("current.serum_m_protein_g_l",)


@pytest.mark.parametrize(("baseline", "current", "limit", "category", "code"), [
    pytest.param(800, 99, None, "CRV", "CR", id="CRV normalised: 99 < 100 ng/L (Forventet normal <100)"),
    pytest.param(800, 100, None, "PRV", "PR", id="CRV not at 100 ng/L: fall 87.5 % is PRV"),
    pytest.param(800, 119, 120, "CRV", "CR", id="CRV below the laboratory's upper limit 120"),
    pytest.param(800, 120, 120, "PRV", "PR", id="CRV not at the laboratory's upper limit 120"),
    pytest.param(800, 400, None, "PRV", "PR", id="PRV fall 50 % (Fald ≥50 procent)"),
    pytest.param(800, 401, None, "NRV", "NO_RESPONSE", id="NRV fall 49.9 %"),
    pytest.param(201, 100, None, "PRV", "PR", id="PRV initially elevated 201 > 200"),
    pytest.param(200, 100, None, "NRV", "NO_RESPONSE", id="NRV baseline 200 not elevated (> 200 ng/L)"),
    pytest.param(150, 99, None, "CRV", "CR", id="CRV from a baseline above normal but not elevated"),
    pytest.param(90, 50, None, "NOT_EVALUABLE", "NOT_EVALUABLE", id="baseline already normal: nothing to normalise"),
])
def test_vegf_thresholds(baseline, current, limit, category, code):
    r = poems_vegf_response(baseline_vegf_ng_l=baseline, current_vegf_ng_l=current, upper_limit_ng_l=limit)
    assert (r.category, r.code) == (category, code)
    assert r.ambiguities and r.reasons


def test_vegf_missing():
    r = poems_vegf_response(baseline_vegf_ng_l=None, current_vegf_ng_l=300)
    assert r.code == "NOT_EVALUABLE" and r.missing == ("baseline.vegf_ng_l",)


@pytest.mark.parametrize(("kwargs", "category", "code"), [
    pytest.param(dict(baseline_suvmax=6.0, current_suvmax=2.0, lesions_resolved=True), "CRR", "CR",
                 id="CRR lesions forsvundet"),
    pytest.param(dict(baseline_suvmax=6.0, current_suvmax=3.0, lesions_resolved=False), "PRR", "PR",
                 id="PRR SUVmax reduceret 50 procent (6 to 3)"),
    pytest.param(dict(baseline_suvmax=6.0, current_suvmax=3.1, lesions_resolved=False), "NO_RADIOLOGIC_RESPONSE",
                 "NO_RESPONSE", id="no radiologic response: SUVmax fall 48.3 %"),
    pytest.param(dict(baseline_suvmax=None, current_suvmax=3.0, lesions_resolved=False), "NOT_EVALUABLE",
                 "NOT_EVALUABLE", id="no baseline PET (hvis gjort baseline)"),
    pytest.param(dict(baseline_suvmax=0, current_suvmax=3.0, lesions_resolved=False), "NOT_EVALUABLE",
                 "NOT_EVALUABLE", id="baseline SUVmax 0: no FDG-positive lesion"),
    pytest.param(dict(baseline_suvmax=6.0, current_suvmax=None, lesions_resolved=None), "NOT_EVALUABLE",
                 "NOT_EVALUABLE", id="no current PET"),
])
def test_pet_thresholds(kwargs, category, code):
    r = poems_pet_response(**kwargs)
    assert (r.category, r.code) == (category, code)


def test_pet_partial_without_knowing_whether_lesions_resolved_lists_it():
    r = poems_pet_response(baseline_suvmax=6.0, current_suvmax=2.0)
    assert r.category == "PRR" and r.missing == ("current.pet_lesions_resolved",)


def test_poems_response_gives_each_response_on_its_own_with_named_reasons():
    """The contract's example: M 8 → 0.5 g/L (93.8 %, baseline ≥ 5: VGPRH), VEGF 600 → 90 ng/L (< 100 ULN:
    CRV), SUVmax 6.0 → 2.5 (58 %: PRR)."""
    r = poems_response(
        PoemsMeasurement(serum_m_protein_g_l=8, vegf_ng_l=600, pet_suv_max=6.0, marrow_involved=True),
        PoemsMeasurement(serum_m_protein_g_l=0.5, serum_ife_negative=False, urine_ife_negative=False,
                         vegf_ng_l=90, vegf_upper_limit_ng_l=100, pet_suv_max=2.5, pet_lesions_resolved=False))
    assert (r.haematological.code, r.vegf.code, r.pet.code) == ("VGPR", "CR", "PR")
    assert [reason.split(":")[0] for reason in r.reasons] == [
        "Haematological response", "VEGF response", "FDG-PET response"]
    assert r.missing == () and r.notes and r.ambiguities


def test_a_fall_just_below_a_threshold_never_reads_as_reaching_it():
    # 800 → 400.04 ng/L is a 49.995 % fall: below «Fald ≥50 procent», shown cut to 49.99, not rounded to 50
    r = poems_vegf_response(baseline_vegf_ng_l=800, current_vegf_ng_l=400.04)
    assert r.category == "NRV" and "fall 49.99 % < 50 %" in r.reasons[0]


@pytest.mark.hazard("HAZ-120")
def test_crh_not_given_when_the_new_marrow_is_positive_though_the_baseline_marrow_was_negative():
    """CRH «Negativ knoglemarv og negativ immunofixation af serum og urin. Hvis baseline KM var negativ er der
    ikke behov for ny KM.» — no new marrow is *needed*, but a new marrow that is positive is not «negativ
    knoglemarv»: not CRH."""
    r = haem(8, 0, serum_ife=True, urine_ife=True, marrow_negative=False, baseline_marrow_negative=True)
    assert r.category != "CRH" and r.code != "CR"
    # M 0 on electrophoresis with baseline 8 ≥ 5 g/L: «VGPRH – 90 procent reduktion … kun evaluerbar hvis
    # M-protein var mindst 5 g/L ved baseline»
    assert r.category == "VGPRH"
    # a negative new marrow is still CRH
    assert haem(8, 0, serum_ife=True, urine_ife=True, marrow_negative=True,
                baseline_marrow_negative=True).category == "CRH"


@pytest.mark.hazard("HAZ-120")
@pytest.mark.parametrize(("serum_ife", "urine_ife", "marrow_negative", "expected"), [
    pytest.param(None, None, None, {"current.serum_ife_negative", "current.urine_ife_negative",
                                    "current.marrow_involved"}, id="nothing known"),
    pytest.param(True, None, True, {"current.urine_ife_negative"}, id="urine immunofixation unknown"),
    pytest.param(None, True, True, {"current.serum_ife_negative"}, id="serum immunofixation unknown"),
])
def test_facts_crh_needs_are_listed_when_unknown(serum_ife, urine_ife, marrow_negative, expected):
    """CRH «Negativ knoglemarv og negativ immunofixation af serum og urin»: with M 0 on electrophoresis CRH is
    possible, so an unknown immunofixation (or marrow) is a missing fact, named — never read as positive."""
    r = haem(8, 0, serum_ife=serum_ife, urine_ife=urine_ife, marrow_negative=marrow_negative)
    assert r.category == "VGPRH" and expected <= set(r.missing)


@pytest.mark.hazard("HAZ-120")
def test_crh_facts_not_asked_for_when_crh_is_ruled_out():
    """CRH needs «negativ immunofixation af serum og urin»: a positive immunofixation or an M-protein still seen
    on electrophoresis rules it out, so the other immunofixation is not asked for."""
    assert "current.urine_ife_negative" not in haem(8, 0, serum_ife=False, urine_ife=None).missing
    assert not haem(12, 6, serum_ife=None, urine_ife=None).missing
