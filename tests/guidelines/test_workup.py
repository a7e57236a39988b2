"""Workup tiers of Handlingsprogram, «Nivåer og rekkefølge på utredning»."""

import pytest

from guidelines.facts import Isotype, Plasmacytoma
from guidelines.workup import CT, FISH, MARROW, MRI_IF_MARROW, MRI_ORDERED, NO_MARROW_NO_IMAGING, VIROLOGY, workup
from tests.guidelines.factories import make


@pytest.mark.parametrize(
    ("labs", "top", "imaging", "tier"),
    [
        pytest.param({}, {}, {}, "LOW_RISK", id="low-IgG-12-ratio-1.3-no-symptoms"),
        pytest.param({"flc_kappa_mg_l": 79, "flc_lambda_mg_l": 10}, {}, {}, "LOW_RISK", id="ratio-7.9"),
        pytest.param({"flc_kappa_mg_l": 80, "flc_lambda_mg_l": 10}, {}, {}, "HIGH_RISK", id="ratio-8-boundary"),
        pytest.param({"flc_kappa_mg_l": 10, "flc_lambda_mg_l": 81}, {}, {}, "HIGH_RISK", id="lambda-ratio-8.1"),
        pytest.param({"flc_kappa_mg_l": 0, "flc_lambda_mg_l": 30}, {}, {}, "HIGH_RISK", id="ratio-unbounded"),
        pytest.param({"serum_m_protein_g_l": 14.9}, {}, {}, "LOW_RISK", id="IgG-14.9"),
        pytest.param({"serum_m_protein_g_l": 15}, {}, {}, "HIGH_RISK", id="IgG-15-boundary"),
        pytest.param({"serum_m_protein_g_l": 4.9, "m_protein_isotype": Isotype.IGA}, {}, {}, "LOW_RISK",
                     id="IgA-4.9"),
        pytest.param({"serum_m_protein_g_l": 5, "m_protein_isotype": Isotype.IGA}, {}, {}, "HIGH_RISK",
                     id="IgA-5-boundary"),
        pytest.param({"serum_m_protein_g_l": 3, "m_protein_isotype": Isotype.IGM}, {}, {}, "HIGH_RISK",
                     id="IgM-not-named"),
        pytest.param({"serum_m_protein_g_l": 16, "m_protein_isotype": None}, {}, {}, "HIGH_RISK",
                     id="isotype-unknown-above-15"),
        pytest.param({"serum_m_protein_g_l": 4, "m_protein_isotype": None}, {}, {}, "LOW_RISK",
                     id="isotype-unknown-below-5"),
        pytest.param({"serum_m_protein_g_l": 0, "m_protein_isotype": Isotype.LIGHT_CHAIN,
                      "flc_kappa_mg_l": 30, "flc_lambda_mg_l": 10}, {}, {}, "LOW_RISK", id="light-chain-ratio-3"),
        pytest.param({}, {"symptoms": True}, {}, "HIGH_RISK", id="suspected-symptoms"),
        pytest.param({}, {"marrow": {"clonal_plasma_cells_pct": 0}}, {"plasmacytoma": Plasmacytoma.EXTRAMEDULLARY},
                     "HIGH_RISK", id="plasmacytoma-without-clonal-marrow"),
    ],
)
def test_screening_tiers(labs, top, imaging, tier):
    w = workup(make(labs=labs, imaging=imaging, **top), "MGUS")
    assert w.tier == tier


def test_boundary_ambiguity_is_shown():
    w = workup(make(), "MGUS")
    assert any("< 8" in a.source_text and "høyrisikoutredning" in a.interpretation for a in w.ambiguities)


def test_low_risk_orders_no_marrow_or_imaging():
    inv = workup(make(), "MGUS").investigations
    assert NO_MARROW_NO_IMAGING in inv and CT not in inv and MARROW not in inv


def test_high_risk_orders_ct_marrow_and_conditional_mri():
    inv = workup(make(symptoms=True), "INSUFFICIENT_DATA").investigations
    assert CT in inv and MARROW in inv and MRI_IF_MARROW in inv and VIROLOGY not in inv


def test_mri_ordered_for_10pct_without_active_myeloma():
    w = workup(make(symptoms=True, marrow={"clonal_plasma_cells_pct": 10}), "INSUFFICIENT_DATA")
    assert MRI_ORDERED in w.investigations and any("Exactly 10 %" in a.interpretation for a in w.ambiguities)


@pytest.mark.parametrize(
    ("code", "marrow", "imaging"),
    [
        pytest.param("ACTIVE_MYELOMA", 30, {}, id="active-myeloma"),
        pytest.param("SMOLDERING_MYELOMA", 30, {}, id="smouldering"),
        pytest.param("PLASMA_CELL_LEUKEMIA", 30, {}, id="pcl-interpreted-as-active"),
        pytest.param("SOLITARY_PLASMACYTOMA", 5, {"plasmacytoma": Plasmacytoma.BONE},
                     id="plasmacytoma-with-clonal-marrow"),
    ],
)
def test_full_workup(code, marrow, imaging):
    w = workup(make(marrow={"clonal_plasma_cells_pct": marrow}, imaging=imaging), code)
    assert w.tier == "FULL"
    assert VIROLOGY in w.investigations and FISH in w.investigations


def test_full_workup_for_active_myeloma_has_no_mri_rule():
    w = workup(make(marrow={"clonal_plasma_cells_pct": 30}), "ACTIVE_MYELOMA")
    assert MRI_ORDERED not in w.investigations and MRI_IF_MARROW not in w.investigations


def test_plasmacytoma_without_clonal_marrow_is_high_risk():
    w = workup(make(marrow={"clonal_plasma_cells_pct": 0}, imaging={"plasmacytoma": Plasmacytoma.BONE}),
               "SOLITARY_PLASMACYTOMA")
    assert w.tier == "HIGH_RISK"


def test_no_plasma_cell_disorder_has_no_tier():
    assert workup(make(), "NO_PLASMA_CELL_DISORDER").tier is None


@pytest.mark.parametrize(
    ("labs", "top", "path"),
    [
        pytest.param({}, {"symptoms": None}, "symptoms", id="symptoms-unknown"),
        pytest.param({"flc_kappa_mg_l": None}, {}, "labs.flc_kappa_mg_l", id="flc-unknown"),
        pytest.param({"serum_m_protein_g_l": None}, {}, "labs.serum_m_protein_g_l", id="serum-M-unknown"),
        pytest.param({"serum_m_protein_g_l": 10, "m_protein_isotype": None}, {}, "labs.m_protein_isotype",
                     id="isotype-decides"),
    ],
)
def test_undecided_tier_lists_missing(labs, top, path):
    w = workup(make(labs=labs, **top), "MGUS")
    assert w.tier is None and path in w.missing
