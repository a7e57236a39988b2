"""Workup tiers of Handlingsprogram, «Nivåer og rekkefølge på utredning»."""

import pytest

from guidelines.facts import Isotype, Plasmacytoma
from guidelines.poems import WORKUP as POEMS_WORKUP
from guidelines.workup import (
    CT,
    FISH,
    MARROW,
    MRI_IF_MARROW,
    MRI_ORDERED,
    MRI_PLASMACYTOMA,
    NO_MARROW_NO_IMAGING,
    PET_CT_EXTRAMEDULLARY,
    VIROLOGY,
    workup,
)
from tests.guidelines.factories import POEMS_PATIENT, make


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


# --- second reader's findings (haematologist review) ---


@pytest.mark.parametrize(
    ("marrow", "tier", "mri"),
    [
        # «MR helkropp gjøres hos pasienter med >10 % plasmaceller i biopsi» (Høyrisikoutredning)
        pytest.param(10, "HIGH_RISK", True, id="hoyrisikoutredning-marrow-10pct-orders-MRI"),
        pytest.param(9.9, "LOW_RISK", False, id="lavrisikoutredning-marrow-9.9pct"),
    ],
)
def test_known_marrow_of_10pct_is_at_least_high_risk(marrow, tier, mri):
    # otherwise low-risk criteria (IgG 12 g/L, ratio 1.3, no symptoms), diagnosis undecided
    w = workup(make(marrow={"clonal_plasma_cells_pct": marrow}), "INSUFFICIENT_DATA")
    assert w.tier == tier
    assert (MRI_ORDERED in w.investigations) is mri


def test_marrow_10pct_decides_an_otherwise_undecided_tier():
    w = workup(make(symptoms=None, marrow={"clonal_plasma_cells_pct": 30}), "INSUFFICIENT_DATA")
    assert w.tier == "HIGH_RISK" and w.missing == () and MRI_ORDERED in w.investigations


def test_marrow_10pct_with_high_risk_screen_adds_the_reason():
    w = workup(make(symptoms=True, marrow={"clonal_plasma_cells_pct": 30}), "INSUFFICIENT_DATA")
    assert w.tier == "HIGH_RISK" and any("already shows 30 %" in r for r in w.reasons)


@pytest.mark.parametrize(
    ("code", "kind", "marrow", "mri", "pet"),
    [
        # Anbefalinger plasmacytomer: «vanlig myelomatoseutredning pluss MR helkropp … PET-CT ved
        # ekstramedullært plasmacytom»; Bildediagnostikk: FDG-PET-CT «Obligat ved utredning … av
        # ekstramedullært solitært plasmacytom»
        pytest.param("SOLITARY_PLASMACYTOMA", Plasmacytoma.BONE, 0, True, False, id="plasmacytom-i-ben-MR"),
        pytest.param("SOLITARY_PLASMACYTOMA", Plasmacytoma.EXTRAMEDULLARY, 0, True, True,
                     id="ekstramedullaert-plasmacytom-MR-og-PET-CT"),
        pytest.param("SOLITARY_PLASMACYTOMA", Plasmacytoma.BONE, 5, True, False,
                     id="plasmacytom-med-klonal-marg-fullutredning-MR"),
        pytest.param("INSUFFICIENT_DATA", Plasmacytoma.EXTRAMEDULLARY, 30, True, True,
                     id="plasmacytom-marrow-30-MR-og-PET-CT"),
        # «MR trengs ikke hvis pasienten har behandlingstrengende myelomatose ved andre kriterier»;
        # PET-CT «Obligat ved responsvurdering av pasienter med ekstra- eller paramedullær sykdom»
        pytest.param("ACTIVE_MYELOMA", Plasmacytoma.EXTRAMEDULLARY, 30, False, True,
                     id="behandlingskrevende-myelomatose-ekstramedullaer-PET-CT"),
        pytest.param("SOLITARY_PLASMACYTOMA", Plasmacytoma.NONE, 0, False, False, id="ingen-plasmacytom"),
    ],
)
def test_plasmacytoma_orders_mri_and_pet_ct(code, kind, marrow, mri, pet):
    w = workup(make(marrow={"clonal_plasma_cells_pct": marrow}, imaging={"plasmacytoma": kind}), code)
    assert (MRI_PLASMACYTOMA in w.investigations) is mri
    assert (PET_CT_EXTRAMEDULLARY in w.investigations) is pet
    assert (w.tier != "LOW_RISK") is (kind != Plasmacytoma.NONE)


@pytest.mark.parametrize(
    ("concurrent", "myeloma_items"),
    [
        pytest.param(None, False, id="POEMS-udredning"),
        pytest.param("ACTIVE_MYELOMA", True, id="POEMS-udredning-plus-fullutredning-active-myeloma"),
    ],
)
def test_poems_gets_its_own_workup(concurrent, myeloma_items):
    w = workup(POEMS_PATIENT, "POEMS", concurrent_myeloma=concurrent)
    assert w.tier == "FULL"
    assert set(POEMS_WORKUP) <= set(w.investigations)
    assert (VIROLOGY in w.investigations) is myeloma_items
    assert NO_MARROW_NO_IMAGING not in w.investigations


@pytest.mark.parametrize(
    ("severe", "tier"),
    [
        # POEMS Quick guide item 1: severe, rapidly progressive polyneuropathy + M-component → screen positive
        pytest.param(True, "HIGH_RISK", id="POEMS-screening-item-1-positive-not-low-risk"),
        pytest.param(False, "LOW_RISK", id="POEMS-screening-negative-low-risk"),
    ],
)
def test_poems_screen_positive_is_never_low_risk(severe, tier):
    w = workup(make(poems={"polyneuropathy_severe_rapidly_progressive": severe}), "MGUS")
    assert w.tier == tier
    assert (set(POEMS_WORKUP) <= set(w.investigations)) is severe


def test_poems_screen_positive_with_high_risk_screen_keeps_high_risk():
    w = workup(make(symptoms=True, poems={"polyneuropathy_severe_rapidly_progressive": True}), "MGUS")
    assert w.tier == "HIGH_RISK" and any("POEMS screening positive" in r for r in w.reasons)
