"""IMWG response by Handlingsprogram tabell 8.2 («Vurdering av behandlingsrespons og kontroll»)
and the POEMS response categories («Responsevaluering», Danish guideline)."""

import pytest

from guidelines.facts import Response
from guidelines.poems_response import poems_haematological_response, poems_pet_response, poems_vegf_response
from guidelines.response import Measurement, imwg_response, measurable_disease

M = Measurement


@pytest.mark.parametrize(
    ("baseline", "measurable"),
    [
        pytest.param(M(serum_m_protein_g_l=10), ("serum",), id="serum-10-measurable"),
        pytest.param(M(serum_m_protein_g_l=9.9, flc_kappa_mg_l=5, flc_lambda_mg_l=5), (), id="serum-9.9-not"),
        pytest.param(M(urine_m_protein_mg_24h=200), ("urine",), id="urine-200-measurable"),
        pytest.param(M(urine_m_protein_mg_24h=199), (), id="urine-199-not"),
        pytest.param(M(serum_m_protein_g_l=5, flc_kappa_mg_l=100, flc_lambda_mg_l=10), ("flc",), id="flc-100"),
        pytest.param(M(serum_m_protein_g_l=5, flc_kappa_mg_l=99, flc_lambda_mg_l=10), (), id="flc-99-not"),
        pytest.param(M(serum_m_protein_g_l=10, flc_kappa_mg_l=500, flc_lambda_mg_l=10), ("serum",),
                     id="flc-only-if-serum-urine-not-measurable"),
    ],
)
def test_measurable_disease(baseline, measurable):
    assert measurable_disease(baseline)[0] == measurable


def test_contract_example_is_pr():
    # serum 30 → 14: fall 53 % ≥ 50; urine 400 → 90 < 200; nadir 10 → 14 is +4 g/L (< 5: not PD)
    r = imwg_response(
        M(serum_m_protein_g_l=30, urine_m_protein_mg_24h=400, flc_kappa_mg_l=15, flc_lambda_mg_l=12,
          marrow_plasma_cells_pct=40),
        M(serum_m_protein_g_l=10),
        M(serum_m_protein_g_l=14, urine_m_protein_mg_24h=90, serum_ife_negative=False, urine_ife_negative=False,
          new_crab=False),
    )
    assert r.response == Response.PR and r.measurable_by == ("serum", "urine")


SERUM = M(serum_m_protein_g_l=40, urine_m_protein_mg_24h=0)


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        pytest.param(M(serum_m_protein_g_l=4, urine_m_protein_mg_24h=0), Response.VGPR, id="VGPR-90pct"),
        pytest.param(M(serum_m_protein_g_l=4.1, urine_m_protein_mg_24h=0), Response.PR, id="PR-89.75pct"),
        pytest.param(M(serum_m_protein_g_l=20, urine_m_protein_mg_24h=0), Response.PR, id="PR-50pct"),
        pytest.param(M(serum_m_protein_g_l=20.1, urine_m_protein_mg_24h=0), Response.MR, id="MR-49.75pct"),
        pytest.param(M(serum_m_protein_g_l=30, urine_m_protein_mg_24h=0), Response.MR, id="MR-25pct"),
        pytest.param(M(serum_m_protein_g_l=30.1, urine_m_protein_mg_24h=0), Response.SD, id="SD-24.75pct"),
        pytest.param(M(serum_m_protein_g_l=0, urine_m_protein_mg_24h=0, serum_ife_negative=False),
                     Response.VGPR, id="VGPR-electrophoresis-negative-IFE-positive"),
        pytest.param(M(serum_m_protein_g_l=0, urine_m_protein_mg_24h=0, serum_ife_negative=True,
                       urine_ife_negative=True, marrow_plasma_cells_pct=5), Response.CR, id="CR-marrow-5pct"),
        pytest.param(M(serum_m_protein_g_l=0, urine_m_protein_mg_24h=0, serum_ife_negative=True,
                       urine_ife_negative=True, marrow_plasma_cells_pct=6), Response.VGPR, id="not-CR-marrow-6pct"),
        pytest.param(M(serum_m_protein_g_l=0, urine_m_protein_mg_24h=0, serum_ife_negative=True,
                       urine_ife_negative=True, marrow_plasma_cells_pct=2, flc_ratio_normal=True,
                       marrow_clonal_cells_absent=True), Response.SCR, id="sCR"),
        pytest.param(M(serum_m_protein_g_l=0, urine_m_protein_mg_24h=0, serum_ife_negative=True,
                       urine_ife_negative=True, marrow_plasma_cells_pct=2, mrd_negative=True),
                     Response.MRD_NEGATIVE_CR, id="MRD-negative-CR"),
        pytest.param(M(serum_m_protein_g_l=20, new_crab=True), Response.PD, id="PD-new-CRAB"),
    ],
)
def test_serum_rows(current, expected):
    assert imwg_response(SERUM, None, current).response == expected


@pytest.mark.parametrize(
    ("nadir", "current", "expected"),
    [
        # lowest 20: +5 g/L = 25 % → PD
        pytest.param(M(serum_m_protein_g_l=20), M(serum_m_protein_g_l=25, urine_m_protein_mg_24h=0), Response.PD,
                     id="PD-25pct-and-5g"),
        # lowest 10: +4 g/L is 40 % but < 5 g/L
        pytest.param(M(serum_m_protein_g_l=10), M(serum_m_protein_g_l=14, urine_m_protein_mg_24h=0), Response.PR,
                     id="not-PD-below-5g-minimum"),
        # lowest 30: +5 g/L is 16.7 % < 25 %
        pytest.param(M(serum_m_protein_g_l=30), M(serum_m_protein_g_l=35, urine_m_protein_mg_24h=0), Response.SD,
                     id="not-PD-below-25pct"),
        pytest.param(M(urine_m_protein_mg_24h=0), M(serum_m_protein_g_l=20, urine_m_protein_mg_24h=200), Response.PD,
                     id="PD-urine-plus-200"),
        pytest.param(M(urine_m_protein_mg_24h=0), M(serum_m_protein_g_l=20, urine_m_protein_mg_24h=199), Response.PR,
                     id="not-PD-urine-plus-199"),
    ],
)
def test_progression_from_nadir(nadir, current, expected):
    r = imwg_response(SERUM, nadir, current)
    assert r.response == expected
    assert any("fra baseline" in a.source_text for a in r.ambiguities)


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        pytest.param(M(marrow_plasma_cells_pct=50), Response.PD, id="PD-marrow-40-to-50"),
        pytest.param(M(marrow_plasma_cells_pct=49), Response.SD, id="not-PD-marrow-plus-9"),
    ],
)
def test_marrow_progression_needs_10_points(current, expected):
    # serum not measurable; lowest marrow 40 %: 50 % is +10 points (25 %), 49 % only +9
    base = M(serum_m_protein_g_l=5, marrow_plasma_cells_pct=40)
    assert imwg_response(base, M(marrow_plasma_cells_pct=40), current).response == expected


FLC = M(serum_m_protein_g_l=2, urine_m_protein_mg_24h=0, flc_kappa_mg_l=410, flc_lambda_mg_l=10)  # dFLC 400


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        pytest.param(M(flc_kappa_mg_l=49, flc_lambda_mg_l=10), Response.VGPR, id="dFLC-fall-90.25pct"),
        pytest.param(M(flc_kappa_mg_l=50, flc_lambda_mg_l=10), Response.PR, id="dFLC-fall-90pct-not-above"),
        pytest.param(M(flc_kappa_mg_l=209, flc_lambda_mg_l=10), Response.PR, id="dFLC-fall-50.25pct"),
        pytest.param(M(flc_kappa_mg_l=210, flc_lambda_mg_l=10), Response.MR, id="dFLC-fall-50pct-not-above"),
        pytest.param(M(flc_kappa_mg_l=310, flc_lambda_mg_l=10), Response.SD, id="dFLC-fall-25pct-not-above"),
        pytest.param(M(flc_kappa_mg_l=0, flc_lambda_mg_l=0, serum_ife_negative=True, urine_ife_negative=True,
                       marrow_plasma_cells_pct=1, flc_ratio_normal=True), Response.CR, id="CR-flc-path-normal-ratio"),
        # lowest dFLC 400; 400 → 510 is +110 (27.5 %) > 100
        pytest.param(M(flc_kappa_mg_l=520, flc_lambda_mg_l=10), Response.PD, id="PD-dFLC-plus-110"),
        # 400 → 500 is +100: not > 100
        pytest.param(M(flc_kappa_mg_l=510, flc_lambda_mg_l=10), Response.SD, id="not-PD-dFLC-plus-100"),
    ],
)
def test_flc_path(current, expected):
    assert imwg_response(FLC, None, current).response == expected


def test_urine_only_rows():
    base = M(serum_m_protein_g_l=0, urine_m_protein_mg_24h=1000)
    assert imwg_response(base, None, M(urine_m_protein_mg_24h=99)).response == Response.VGPR
    assert imwg_response(base, None, M(urine_m_protein_mg_24h=100)).response == Response.PR  # fall 90 %
    assert imwg_response(base, None, M(urine_m_protein_mg_24h=499)).response == Response.MR  # fall 50.1 %
    assert imwg_response(base, None, M(urine_m_protein_mg_24h=500)).response == Response.SD  # fall 50 %, not > 50


def test_marrow_path_pr():
    base = M(serum_m_protein_g_l=0, marrow_plasma_cells_pct=40, flc_kappa_mg_l=10, flc_lambda_mg_l=10)
    assert imwg_response(base, None, M(marrow_plasma_cells_pct=20)).response == Response.PR
    assert imwg_response(base, None, M(marrow_plasma_cells_pct=21)).response == Response.SD
    r = imwg_response(base, None, M())
    assert r.response == Response.NOT_EVALUABLE and "current.marrow_plasma_cells_pct" in r.missing


def test_not_evaluable_without_measurable_disease():
    r = imwg_response(M(serum_m_protein_g_l=5), None, M(serum_m_protein_g_l=5))
    assert r.response == Response.NOT_EVALUABLE and r.measurable_by == ()


def test_missing_current_measurable_value():
    r = imwg_response(SERUM, None, M(urine_m_protein_mg_24h=0))
    assert r.response == Response.NOT_EVALUABLE and "current.serum_m_protein_g_l" in r.missing
    r = imwg_response(FLC, None, M())
    assert "current.flc_kappa_mg_l" in r.missing


def test_urine_not_done_is_listed_and_flagged():
    # 40 → 10 g/L: fall 75 % ≥ 50 % → PR (urine condition not applied)
    r = imwg_response(M(serum_m_protein_g_l=40), None, M(serum_m_protein_g_l=10))
    assert r.response == Response.PR
    assert "current.urine_m_protein_mg_24h" in r.missing
    assert any("døgnurin" in a.source_text for a in r.ambiguities)


def test_cr_not_confirmed_without_ife():
    r = imwg_response(SERUM, None, M(serum_m_protein_g_l=0, urine_m_protein_mg_24h=0, marrow_plasma_cells_pct=2))
    assert r.response == Response.VGPR and "current.serum_ife_negative" in r.missing


@pytest.mark.parametrize(
    ("reduction", "expected"),
    [
        pytest.param(100, Response.CR, id="full-regression-CR"),
        pytest.param(90, Response.VGPR, id="90pct-VGPR"),
        pytest.param(50, Response.PR, id="50pct-PR"),
        pytest.param(49, Response.SD, id="49pct-SD"),
    ],
)
def test_extramedullary_plasmacytoma(reduction, expected):
    base = M(serum_m_protein_g_l=40, urine_m_protein_mg_24h=0, extramedullary_plasmacytoma=True)
    cur = M(serum_m_protein_g_l=0, urine_m_protein_mg_24h=0, serum_ife_negative=True, urine_ife_negative=True,
            marrow_plasma_cells_pct=1, plasmacytoma_reduction_pct=reduction)
    assert imwg_response(base, None, cur).response == expected


EMD_BASE = M(serum_m_protein_g_l=40, urine_m_protein_mg_24h=0, extramedullary_plasmacytoma=True)


@pytest.mark.hazard("HAZ-121")
@pytest.mark.parametrize(("current", "expected"), [
    pytest.param(M(serum_m_protein_g_l=0, urine_m_protein_mg_24h=0, serum_ife_negative=True, urine_ife_negative=True,
                   marrow_plasma_cells_pct=1), Response.NOT_EVALUABLE, id="CR by M-component, plasmacytoma unknown"),
    pytest.param(M(serum_m_protein_g_l=4, urine_m_protein_mg_24h=0), Response.NOT_EVALUABLE,
                 id="VGPR by M-component (90 %), plasmacytoma unknown"),
    pytest.param(M(serum_m_protein_g_l=20, urine_m_protein_mg_24h=0), Response.NOT_EVALUABLE,
                 id="PR by M-component (50 %), plasmacytoma unknown"),
    pytest.param(M(serum_m_protein_g_l=30, urine_m_protein_mg_24h=0), Response.NOT_EVALUABLE,
                 id="MR by M-component (25 %), plasmacytoma unknown"),
    pytest.param(M(serum_m_protein_g_l=30.1, urine_m_protein_mg_24h=0), Response.SD,
                 id="M-component below MR (24.75 %): SD whatever the plasmacytoma"),
])
def test_extramedullary_plasmacytoma_size_unknown(current, expected):
    """Tabell 8.2: VGPR «Ekstramedullære plasmacytomer skal reduseres med ≥90 %», PR and MR «Ekstramedullære
    plasmacytomer skal reduseres ≥50 % i størrelse», CR «full regress av bløtdelsplasmacytomer»; SD
    «Tilfredsstiller ikke kriterier for sCR, CR, VGPR, PR eller PD». With the M-component meeting a category
    and the plasmacytoma's reduction unknown, whether the criteria are met is not known: not SD but
    NOT_EVALUABLE, the size named as missing. Below MR on the M-component no plasmacytoma can lift it: SD."""
    r = imwg_response(EMD_BASE, None, current)
    assert r.response == expected
    if expected == Response.NOT_EVALUABLE:
        assert "current.plasmacytoma_reduction_pct" in r.missing


@pytest.mark.hazard("HAZ-121")
def test_extramedullary_plasmacytoma_size_unknown_on_the_marrow_path():
    """Tabell 8.2 PR: «kreves det ≥50 % reduksjon av antall plasmaceller i benmargen, forutsatt at baseline
    plasmacelleandel var ≥30 %» and «Ekstramedullære plasmacytomer skal reduseres ≥50 % i størrelse»."""
    base = M(marrow_plasma_cells_pct=40, extramedullary_plasmacytoma=True)
    r = imwg_response(base, None, M(marrow_plasma_cells_pct=20))
    assert r.response == Response.NOT_EVALUABLE and "current.plasmacytoma_reduction_pct" in r.missing
    known = imwg_response(base, None, M(marrow_plasma_cells_pct=20, plasmacytoma_reduction_pct=50))
    assert known.response == Response.PR


# POEMS (Responsevaluering)

@pytest.mark.parametrize(
    ("kwargs", "category"),
    [
        pytest.param(dict(baseline_m_g_l=4, current_m_g_l=0, serum_ife_negative=True, urine_ife_negative=True,
                          marrow_negative=True, baseline_marrow_negative=False), "CRH", id="CRH"),
        pytest.param(dict(baseline_m_g_l=4, current_m_g_l=0, serum_ife_negative=True, urine_ife_negative=True,
                          marrow_negative=None, baseline_marrow_negative=True), "CRH",
                     id="CRH-no-new-marrow-if-baseline-negative"),
        pytest.param(dict(baseline_m_g_l=5, current_m_g_l=0.5, serum_ife_negative=False, urine_ife_negative=False,
                          marrow_negative=None, baseline_marrow_negative=False), "VGPRH", id="VGPRH-baseline-5"),
        pytest.param(dict(baseline_m_g_l=4.9, current_m_g_l=0.4, serum_ife_negative=False, urine_ife_negative=False,
                          marrow_negative=None, baseline_marrow_negative=False), "NOT_EVALUABLE",
                     id="VGPRH-not-evaluable-below-5"),
        pytest.param(dict(baseline_m_g_l=10, current_m_g_l=5, serum_ife_negative=False, urine_ife_negative=False,
                          marrow_negative=None, baseline_marrow_negative=False), "PRH", id="PRH-baseline-10"),
        pytest.param(dict(baseline_m_g_l=10, current_m_g_l=5.1, serum_ife_negative=False, urine_ife_negative=False,
                          marrow_negative=None, baseline_marrow_negative=False), "NO_RESPONSE", id="no-response"),
        pytest.param(dict(baseline_m_g_l=None, current_m_g_l=5, serum_ife_negative=False, urine_ife_negative=False,
                          marrow_negative=None, baseline_marrow_negative=False), "NOT_EVALUABLE",
                     id="baseline-unknown"),
    ],
)
def test_poems_haematological(kwargs, category):
    assert poems_haematological_response(**kwargs).category == category


@pytest.mark.parametrize(
    ("baseline", "current", "category"),
    [
        pytest.param(800, 99, "CRV", id="CRV-normalised-below-100"),
        pytest.param(800, 400, "PRV", id="PRV-fall-50pct"),
        pytest.param(800, 401, "NRV", id="NRV-fall-below-50pct"),
        pytest.param(200, 100, "NRV", id="NRV-baseline-not-elevated"),
    ],
)
def test_poems_vegf(baseline, current, category):
    r = poems_vegf_response(baseline_vegf_ng_l=baseline, current_vegf_ng_l=current)
    assert r.category == category and r.ambiguities


@pytest.mark.parametrize(
    ("kwargs", "category"),
    [
        pytest.param(dict(baseline_positive_lesions=2, current_positive_lesions=0), "CRR", id="CRR"),
        pytest.param(dict(baseline_positive_lesions=2, current_positive_lesions=1, baseline_suvmax=8,
                          current_suvmax=4), "PRR", id="PRR-50pct"),
        pytest.param(dict(baseline_positive_lesions=2, current_positive_lesions=1, baseline_suvmax=8,
                          current_suvmax=4.1), "NO_RADIOLOGIC_RESPONSE", id="no-response"),
        pytest.param(dict(baseline_positive_lesions=2, current_positive_lesions=1), "NOT_EVALUABLE",
                     id="suv-missing"),
        pytest.param(dict(baseline_positive_lesions=0, current_positive_lesions=0), "NOT_EVALUABLE",
                     id="baseline-negative"),
    ],
)
def test_poems_pet(kwargs, category):
    assert poems_pet_response(**kwargs).category == category


def test_lambda_flc_path():
    # dFLC lambda 410 − 10 = 400 → 50 − 10 = 40: fall 90 %, not > 90 → PR
    base = M(serum_m_protein_g_l=2, urine_m_protein_mg_24h=0, flc_kappa_mg_l=10, flc_lambda_mg_l=410)
    assert imwg_response(base, None, M(flc_kappa_mg_l=10, flc_lambda_mg_l=50)).response == Response.PR


# --- Second reader's findings (haematologist review) ---


@pytest.mark.parametrize(
    ("baseline", "current", "expected"),
    [
        # Tabell 8.2 PD: «Hos pasienter uten målbar M komponent i serum eller urin: … ≥25 % økning av
        # prosentandel plasmaceller i benmarg (men skal være minst 10 %)»; marrow 40 → 50 % (+10 points, +25 %)
        pytest.param(M(serum_m_protein_g_l=5, marrow_plasma_cells_pct=40),
                     M(serum_m_protein_g_l=5, marrow_plasma_cells_pct=50), Response.PD,
                     id="PD-benmarg-uten-maalbar-M-komponent"),
        # serum M 30 g/L measurable (≥ 10 g/L): the marrow rise is not progression; serum 30 → 28 is stable
        pytest.param(M(serum_m_protein_g_l=30, marrow_plasma_cells_pct=40),
                     M(serum_m_protein_g_l=28, marrow_plasma_cells_pct=50), Response.SD,
                     id="PD-benmarg-ikke-ved-maalbar-serum-M-komponent"),
        # involved FLC 300 mg/L measurable (≥ 100 mg/L): no marrow progression either; dFLC 290 → 290 stable
        pytest.param(M(serum_m_protein_g_l=0, flc_kappa_mg_l=300, flc_lambda_mg_l=10, marrow_plasma_cells_pct=40),
                     M(serum_m_protein_g_l=0, flc_kappa_mg_l=300, flc_lambda_mg_l=10, marrow_plasma_cells_pct=50),
                     Response.SD, id="PD-benmarg-ikke-ved-maalbar-FLC"),
    ],
)
def test_marrow_progression_only_without_measurable_disease(baseline, current, expected):
    r = imwg_response(baseline, None, current)
    assert r.response == expected
    assert any("uten målbar M komponent" in a.source_text for a in r.ambiguities)
