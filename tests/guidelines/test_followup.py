"""Follow-up plans of Handlingsprogram, «Oppfølging av MGUS, ulmende myelomatose og plasmacytomer»."""

import pytest

from guidelines.facts import Plasmacytoma
from guidelines.followup import followup, rise_triggers
from tests.guidelines.factories import make


def test_mgus_at_gp_after_6_months_then_yearly():
    plan = followup(make(), "MGUS")
    assert plan.place.startswith("general practitioner")
    assert plan.interval == "after 6 months, then yearly"
    assert "NT-proBNP" in plan.tests and "urine albumin/creatinine ratio" in plan.tests
    assert any("5 g/L" in t for t in plan.triggers) and any("> 100 mg/L" in t for t in plan.triggers)


@pytest.mark.parametrize(
    ("lesions", "imaging"),
    [
        pytest.param(1, "alternating whole-body MRI and CT skeleton every 6 months", id="SMM-one-MRI-lesion"),
        pytest.param(0, "whole-body MRI yearly; may stop after 5 years if stable, then follow as MGUS",
                     id="SMM-no-MRI-lesions"),
    ],
)
def test_smouldering(lesions, imaging):
    plan = followup(make(imaging={"mri_focal_lesions": lesions}), "SMOLDERING_MYELOMA")
    assert plan.interval == "every 3 months" and plan.imaging == (imaging,)


def test_smouldering_without_mri_result_lists_it():
    plan = followup(make(imaging={"mri_focal_lesions": None}), "SMOLDERING_MYELOMA")
    assert "imaging.mri_focal_lesions" in plan.missing


def test_smouldering_with_two_lesions_is_not_smouldering():
    assert followup(make(imaging={"mri_focal_lesions": 2}), "SMOLDERING_MYELOMA") is None


@pytest.mark.parametrize(
    ("kind", "imaging"),
    [
        pytest.param(Plasmacytoma.EXTRAMEDULLARY, "FDG-PET/CT yearly for 5 years", id="extramedullary"),
        pytest.param(Plasmacytoma.BONE, "whole-body MRI yearly for 5 years", id="bone"),
    ],
)
def test_plasmacytoma_after_treatment(kind, imaging):
    plan = followup(make(imaging={"plasmacytoma": kind}), "SOLITARY_PLASMACYTOMA")
    assert plan.interval == "every 3 months" and plan.imaging == (imaging,)


def test_other_diagnoses_have_no_plan():
    assert followup(make(), "ACTIVE_MYELOMA") is None


@pytest.mark.parametrize(
    ("m", "flc", "count"),
    [
        pytest.param((10, 15), (None, None), 1, id="M-rise-5"),
        pytest.param((10, 14.9), (None, None), 0, id="M-rise-4.9"),
        pytest.param((None, None), (20, 121), 1, id="FLC-rise-101"),
        pytest.param((None, None), (20, 120), 0, id="FLC-rise-100-not-above"),
    ],
)
def test_rise_triggers(m, flc, count):
    found = rise_triggers(start_m_g_l=m[0], current_m_g_l=m[1], start_involved_flc_mg_l=flc[0],
                          current_involved_flc_mg_l=flc[1])
    assert len(found) == count
