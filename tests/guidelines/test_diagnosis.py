"""Diagnosis from the table of Handlingsprogram, «Diagnostiske kriterier»; both sides of each threshold."""

import pytest

from guidelines.diagnosis import Code, classify, flc_ratio_abnormal
from guidelines.facts import Isotype, PatientFacts, Plasmacytoma
from tests.guidelines.factories import BASE, POEMS_PATIENT, make

SMM = {"clonal_plasma_cells_pct": 20}  # 10–59 %: active if an event is present, else smouldering


@pytest.mark.parametrize(
    ("labs", "imaging", "marrow", "event", "code"),
    [
        pytest.param({"calcium_mmol_l": 2.76, "calcium_upper_limit_mmol_l": 2.60}, {}, SMM, "C", Code.ACTIVE_MYELOMA,
                     id="C-calcium-2.76-above-2.75"),
        pytest.param({"calcium_mmol_l": 2.75, "calcium_upper_limit_mmol_l": 2.60}, {}, SMM, None,
                     Code.SMOLDERING_MYELOMA, id="C-calcium-2.75-not-above"),
        # upper limit 2.40 + 0.25 = 2.65
        pytest.param({"calcium_mmol_l": 2.66, "calcium_upper_limit_mmol_l": 2.40}, {}, SMM, "C", Code.ACTIVE_MYELOMA,
                     id="C-0.26-above-upper-limit"),
        pytest.param({"calcium_mmol_l": 2.65, "calcium_upper_limit_mmol_l": 2.40}, {}, SMM, None,
                     Code.SMOLDERING_MYELOMA, id="C-exactly-0.25-above-upper-limit"),
        pytest.param({"creatinine_umol_l": 178, "egfr_ml_min": 45}, {}, SMM, "R", Code.ACTIVE_MYELOMA,
                     id="R-creatinine-178"),
        pytest.param({"creatinine_umol_l": 177, "egfr_ml_min": 45}, {}, SMM, None, Code.SMOLDERING_MYELOMA,
                     id="R-creatinine-177"),
        pytest.param({"egfr_ml_min": 39.9}, {}, SMM, "R", Code.ACTIVE_MYELOMA, id="R-egfr-39.9"),
        pytest.param({"egfr_ml_min": 40}, {}, SMM, None, Code.SMOLDERING_MYELOMA, id="R-egfr-40"),
        pytest.param({"hemoglobin_g_dl": 9.9}, {}, SMM, "A", Code.ACTIVE_MYELOMA, id="A-hb-9.9"),
        pytest.param({"hemoglobin_g_dl": 10.0, "hemoglobin_lower_limit_g_dl": 11.9}, {}, SMM, None,
                     Code.SMOLDERING_MYELOMA, id="A-hb-10-limit-11.9"),
        # 12.0 − 2 = 10.0: «2 g/dL under» the lower limit
        pytest.param({"hemoglobin_g_dl": 10.0, "hemoglobin_lower_limit_g_dl": 12.0}, {}, SMM, "A",
                     Code.ACTIVE_MYELOMA, id="A-hb-2-below-lower-limit"),
        pytest.param({}, {"lytic_lesions": 1}, SMM, "B", Code.ACTIVE_MYELOMA, id="B-one-lytic-lesion"),
        pytest.param({}, {"lytic_lesions": 0}, SMM, None, Code.SMOLDERING_MYELOMA, id="B-no-lytic-lesion"),
        pytest.param({}, {}, {"clonal_plasma_cells_pct": 60}, "S", Code.ACTIVE_MYELOMA, id="S-marrow-60"),
        pytest.param({}, {}, {"clonal_plasma_cells_pct": 59}, None, Code.SMOLDERING_MYELOMA, id="S-marrow-59"),
        # ratio 1000/10 = 100, involved 1000 > 100
        pytest.param({"flc_kappa_mg_l": 1000, "flc_lambda_mg_l": 10}, {}, SMM, "Li", Code.ACTIVE_MYELOMA,
                     id="Li-ratio-100-involved-1000"),
        # 1000/10.1 = 99.0
        pytest.param({"flc_kappa_mg_l": 1000, "flc_lambda_mg_l": 10.1}, {}, SMM, None, Code.SMOLDERING_MYELOMA,
                     id="Li-ratio-99"),
        pytest.param({"flc_kappa_mg_l": 100, "flc_lambda_mg_l": 1}, {}, SMM, None, Code.SMOLDERING_MYELOMA,
                     id="Li-involved-100-not-above"),
        pytest.param({"flc_kappa_mg_l": 2, "flc_lambda_mg_l": 300}, {}, SMM, "Li", Code.ACTIVE_MYELOMA,
                     id="Li-lambda-over-kappa-150"),
        pytest.param({"flc_kappa_mg_l": 0, "flc_lambda_mg_l": 300}, {}, SMM, "Li", Code.ACTIVE_MYELOMA,
                     id="Li-uninvolved-zero"),
        pytest.param({}, {"mri_focal_lesions": 2}, SMM, "M", Code.ACTIVE_MYELOMA, id="M-two-mri-lesions"),
        pytest.param({}, {"mri_focal_lesions": 1}, SMM, None, Code.SMOLDERING_MYELOMA, id="M-one-mri-lesion"),
    ],
)
def test_myeloma_defining_events(labs, imaging, marrow, event, code):
    d = classify(make(labs=labs, imaging=imaging, marrow=marrow))
    assert d.code == code
    assert d.myeloma_defining_events == ((event,) if event else ())


def test_active_myeloma_on_biopsy_proven_plasmacytoma_and_anaemia():
    facts = make(labs={"hemoglobin_g_dl": 9}, imaging={"plasmacytoma": Plasmacytoma.BONE,
                                                       "plasmacytoma_biopsy_proven": True, "plasmacytoma_count": 1})
    d = classify(facts)
    assert (d.code, d.myeloma_defining_events) == (Code.ACTIVE_MYELOMA, ("A",))
    assert any("biopsy-proven plasmacytoma" in r for r in d.reasons)


def test_active_myeloma_lists_missing_blood_smear_and_repeat_note_for_bone():
    d = classify(make(labs={"circulating_plasma_cells_pct": None}, imaging={"lytic_lesions": 3}, marrow=SMM))
    assert d.code == Code.ACTIVE_MYELOMA
    assert "labs.circulating_plasma_cells_pct" in d.missing
    assert any("3–6 months" in n for n in d.notes)


@pytest.mark.parametrize(
    ("labs", "marrow", "code"),
    [
        pytest.param({"serum_m_protein_g_l": 30}, 5, Code.SMOLDERING_MYELOMA, id="SMM-serum-M-30"),
        pytest.param({"serum_m_protein_g_l": 29.9}, 5, Code.MGUS, id="MGUS-serum-M-29.9"),
        pytest.param({"urine_m_protein_mg_24h": 500}, 5, Code.SMOLDERING_MYELOMA, id="SMM-urine-M-500"),
        pytest.param({"urine_m_protein_mg_24h": 499}, 5, Code.MGUS, id="MGUS-urine-M-499"),
        pytest.param({}, 10, Code.SMOLDERING_MYELOMA, id="SMM-marrow-10"),
        pytest.param({}, 9.9, Code.MGUS, id="MGUS-marrow-9.9"),
        # light-chain MGUS: FLC ratio <0,26 eller >1,65
        pytest.param({"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 16.6, "flc_lambda_mg_l": 10}, 5, Code.MGUS,
                     id="LC-MGUS-ratio-1.66"),
        pytest.param({"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 2.5, "flc_lambda_mg_l": 10}, 0, Code.MGUS,
                     id="LC-MGUS-ratio-0.25"),
        pytest.param({"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 16.5, "flc_lambda_mg_l": 10}, 0,
                     Code.NO_PLASMA_CELL_DISORDER, id="no-marker-ratio-1.65"),
        pytest.param({"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 2.6, "flc_lambda_mg_l": 10}, 0,
                     Code.NO_PLASMA_CELL_DISORDER, id="no-marker-ratio-0.26"),
    ],
)
def test_smouldering_mgus_and_no_disorder_rows(labs, marrow, code):
    assert classify(make(labs=labs, marrow={"clonal_plasma_cells_pct": marrow})).code == code


def test_urine_only_marker_is_mgus():
    d = classify(make(labs={"serum_m_protein_g_l": 0, "urine_m_protein_mg_24h": 150}))
    assert d.code == Code.MGUS and any("urine M-component 150" in r for r in d.reasons)


def test_mgus_note_al_amyloidosis():
    assert any("NT-proBNP, ALP, INR" in n for n in classify(BASE).notes)


@pytest.mark.parametrize(
    ("kind", "marrow", "risk"),
    [
        pytest.param(Plasmacytoma.BONE, 0, "10 %", id="no-clonal-marrow-10pct-3y"),
        pytest.param(Plasmacytoma.BONE, 5, "60 %", id="bone-minimal-marrow-60pct-3y"),
        pytest.param(Plasmacytoma.EXTRAMEDULLARY, 5, "20 %", id="soft-tissue-minimal-marrow-20pct-3y"),
    ],
)
def test_solitary_plasmacytoma_and_progression_risk(kind, marrow, risk):
    d = classify(make(imaging={"plasmacytoma": kind, "plasmacytoma_biopsy_proven": True, "plasmacytoma_count": 1},
                      marrow={"clonal_plasma_cells_pct": marrow}))
    assert d.code == Code.SOLITARY_PLASMACYTOMA
    assert risk in d.notes[0]


def test_solitary_plasmacytoma_needs_ct_and_mri():
    d = classify(make(imaging={"plasmacytoma": Plasmacytoma.BONE, "plasmacytoma_biopsy_proven": True,
                               "mri_focal_lesions": None}))
    assert d.code == Code.INSUFFICIENT_DATA and "imaging.mri_focal_lesions" in d.missing


def test_two_plasmacytomas_without_events_fit_no_row():
    d = classify(make(imaging={"plasmacytoma": Plasmacytoma.BONE, "plasmacytoma_biopsy_proven": True,
                               "plasmacytoma_count": 2}))
    assert d.code == Code.INSUFFICIENT_DATA and d.ambiguities


@pytest.mark.parametrize(
    ("pct", "code"),
    [
        pytest.param(5.1, Code.PLASMA_CELL_LEUKEMIA, id="PCL-above-5pct"),
        pytest.param(5, Code.ACTIVE_MYELOMA, id="not-PCL-at-5pct"),
    ],
)
def test_plasma_cell_leukaemia(pct, code):
    facts = make(labs={"circulating_plasma_cells_pct": pct, "hemoglobin_g_dl": 9}, marrow=SMM)
    assert classify(facts).code == code


def test_poems():
    d = classify(POEMS_PATIENT)
    assert d.code == Code.POEMS and d.citations[0].document == "poems"


def test_poems_with_myeloma_events_notes_both():
    d = classify(make(POEMS_PATIENT, labs={"hemoglobin_g_dl": 9}))
    assert d.code == Code.POEMS and d.myeloma_defining_events == ("A",) and "assess both" in d.notes[0]


def test_no_marker_with_anaemia_is_no_plasma_cell_disorder():
    facts = make(labs={"serum_m_protein_g_l": 0, "hemoglobin_g_dl": 8, "urine_m_protein_mg_24h": None},
                 marrow={"clonal_plasma_cells_pct": None})
    d = classify(facts)
    assert d.code == Code.NO_PLASMA_CELL_DISORDER
    assert "labs.urine_m_protein_mg_24h" in d.missing and any("other causes" in r for r in d.reasons)


def test_nothing_known_is_insufficient_data():
    d = classify(PatientFacts(age=60))
    assert d.code == Code.INSUFFICIENT_DATA
    assert {"labs.serum_m_protein_g_l", "marrow.clonal_plasma_cells_pct", "labs.calcium_mmol_l"} <= set(d.missing)


def test_event_without_marrow_result_is_insufficient():
    d = classify(make(labs={"hemoglobin_g_dl": 9}, marrow={"clonal_plasma_cells_pct": None}))
    assert d.code == Code.INSUFFICIENT_DATA and "marrow.clonal_plasma_cells_pct" in d.missing


def test_unknown_plasmacytoma_status_is_listed():
    d = classify(make(labs={"hemoglobin_g_dl": 9}, imaging={"plasmacytoma": None},
                      marrow={"clonal_plasma_cells_pct": 5}))
    assert d.code == Code.INSUFFICIENT_DATA and "imaging.plasmacytoma" in d.missing


def test_unproven_plasmacytoma_asks_for_biopsy():
    d = classify(make(labs={"hemoglobin_g_dl": 9}, imaging={"plasmacytoma": Plasmacytoma.BONE,
                                                            "plasmacytoma_biopsy_proven": None}))
    assert d.code == Code.INSUFFICIENT_DATA and "imaging.plasmacytoma_biopsy_proven" in d.missing


def test_anaemia_with_under_10pct_marrow_fits_no_row():
    d = classify(make(labs={"hemoglobin_g_dl": 9}))
    assert d.code == Code.INSUFFICIENT_DATA and any("other causes" in r for r in d.reasons)


def test_smouldering_needs_mri():
    d = classify(make(marrow=SMM, imaging={"mri_focal_lesions": None}))
    assert d.code == Code.INSUFFICIENT_DATA and "imaging.mri_focal_lesions" in d.missing


def test_mgus_in_low_risk_workup_without_marrow_or_imaging():
    facts = make(marrow={"clonal_plasma_cells_pct": None},
                 imaging={"lytic_lesions": None, "mri_focal_lesions": None})
    d = classify(facts)
    assert d.code == Code.MGUS
    assert {"marrow.clonal_plasma_cells_pct", "imaging.lytic_lesions", "imaging.mri_focal_lesions"} <= set(d.missing)
    assert any("workup tier does not order" in a.interpretation for a in d.ambiguities)


def test_mgus_high_risk_tier_without_marrow_is_insufficient():
    facts = make(labs={"serum_m_protein_g_l": 20}, marrow={"clonal_plasma_cells_pct": None})
    d = classify(facts)
    assert d.code == Code.INSUFFICIENT_DATA and "marrow.clonal_plasma_cells_pct" in d.missing


def test_mgus_without_urine_lists_it():
    d = classify(make(labs={"urine_m_protein_mg_24h": None}))
    assert d.code == Code.MGUS and "labs.urine_m_protein_mg_24h" in d.missing


def test_no_marker_with_unknown_flc_is_insufficient():
    d = classify(make(labs={"serum_m_protein_g_l": 0, "flc_kappa_mg_l": None}, marrow={"clonal_plasma_cells_pct": 5}))
    assert d.code == Code.INSUFFICIENT_DATA and "labs.flc_kappa_mg_l" in d.missing


def test_calcium_upper_limit_needed_below_2_75():
    d = classify(make(labs={"calcium_upper_limit_mmol_l": None}))
    assert d.code == Code.INSUFFICIENT_DATA and "labs.calcium_upper_limit_mmol_l" in d.missing


def test_hb_lower_limit_needed_at_or_above_10():
    d = classify(make(labs={"hemoglobin_lower_limit_g_dl": None}))
    assert "labs.hemoglobin_lower_limit_g_dl" in d.missing


def test_egfr_needs_sex_when_not_given():
    d = classify(make(sex=None))
    assert "sex" in d.missing


def test_waldenstrom_note_for_igm():
    d = classify(make(labs={"m_protein_isotype": Isotype.IGM}))
    assert any("MYD88 L265P" in n for n in d.notes)


@pytest.mark.parametrize(
    ("kappa", "lam", "expected"),
    [
        pytest.param(None, 10, None, id="unknown"),
        pytest.param(10, 0, True, id="lambda-zero"),
        pytest.param(0, 0, False, id="both-zero"),
    ],
)
def test_flc_ratio_abnormal_edges(kappa, lam, expected):
    assert flc_ratio_abnormal(make(labs={"flc_kappa_mg_l": kappa, "flc_lambda_mg_l": lam})) is expected


# --- second reader's findings (haematologist review) ---


@pytest.mark.parametrize(
    ("marrow", "code"),
    [
        # Ulmende myelomatose «klonale plasmaceller i benmarg 10–59 %»; S «≥60 %»; MGUS «<10 %»
        pytest.param(59.9, Code.SMOLDERING_MYELOMA, id="ulmende-myelomatose-10-59pct-row-59.9"),
        pytest.param(59.5, Code.SMOLDERING_MYELOMA, id="ulmende-myelomatose-10-59pct-row-59.5"),
        pytest.param(60, Code.ACTIVE_MYELOMA, id="S-row-60pct"),
        pytest.param(10, Code.SMOLDERING_MYELOMA, id="ulmende-myelomatose-10-59pct-row-10"),
        pytest.param(9.9, Code.MGUS, id="MGUS-row-under-10pct-9.9"),
    ],
)
def test_marrow_between_59_and_60_is_smouldering_not_mgus(marrow, code):
    assert classify(make(marrow={"clonal_plasma_cells_pct": marrow})).code == code


PCL_ROW = {"circulating_plasma_cells_pct": 5.1}


@pytest.mark.parametrize(
    ("labs", "marrow", "imaging", "code", "missing"),
    [
        # Plasmacelleleukemi: «>5 % i blod hos en pasient som oppfyller kriteriene for myelomatose»
        pytest.param({**PCL_ROW, "hemoglobin_g_dl": 9}, SMM, {}, Code.PLASMA_CELL_LEUKEMIA, None,
                     id="plasmacelleleukemi-myeloma-criteria-met"),
        pytest.param(PCL_ROW, SMM, {}, Code.INSUFFICIENT_DATA, None,
                     id="plasmacelleleukemi-no-defining-event"),
        pytest.param({**PCL_ROW, "hemoglobin_g_dl": 9}, {"clonal_plasma_cells_pct": 5}, {}, Code.INSUFFICIENT_DATA,
                     None, id="plasmacelleleukemi-marrow-under-10pct-no-plasmacytoma"),
        pytest.param({**PCL_ROW, "hemoglobin_g_dl": 9}, {"clonal_plasma_cells_pct": 5},
                     {"plasmacytoma": Plasmacytoma.EXTRAMEDULLARY, "plasmacytoma_biopsy_proven": True,
                      "plasmacytoma_count": 1},
                     Code.PLASMA_CELL_LEUKEMIA, None, id="plasmacelleleukemi-biopsy-proven-plasmacytoma-basis"),
        pytest.param({**PCL_ROW, "hemoglobin_g_dl": 9}, {"clonal_plasma_cells_pct": None}, {}, Code.INSUFFICIENT_DATA,
                     "marrow.clonal_plasma_cells_pct", id="plasmacelleleukemi-marrow-unknown"),
        pytest.param({**PCL_ROW, "calcium_mmol_l": None}, SMM, {}, Code.INSUFFICIENT_DATA, "labs.calcium_mmol_l",
                     id="plasmacelleleukemi-event-unknown"),
    ],
)
def test_plasma_cell_leukaemia_needs_myeloma_criteria(labs, marrow, imaging, code, missing):
    d = classify(make(labs=labs, marrow=marrow, imaging=imaging))
    assert d.code == code
    if code == Code.INSUFFICIENT_DATA:
        assert any("Circulating plasma cells > 5 %" in n for n in d.notes)
    if missing:
        assert missing in d.missing
    assert any("oppfyller kriteriene for myelomatose" in a.source_text for a in d.ambiguities)


SOLITARY = {"plasmacytoma": Plasmacytoma.BONE, "plasmacytoma_biopsy_proven": True, "plasmacytoma_count": 1}


@pytest.mark.parametrize(
    ("imaging", "code"),
    [
        # Solitært plasmacytom: «CT skjelett og MR helkropp viser ingen ytterligere lesjoner»
        pytest.param({**SOLITARY, "mri_focal_lesions": 0, "lytic_lesions": 0}, Code.SOLITARY_PLASMACYTOMA,
                     id="solitaert-plasmacytom-ingen-ytterligere-lesjoner"),
        pytest.param({**SOLITARY, "mri_focal_lesions": 1, "lytic_lesions": 0}, Code.INSUFFICIENT_DATA,
                     id="solitaert-plasmacytom-one-further-MRI-lesion"),
        pytest.param({**SOLITARY, "mri_focal_lesions": None}, Code.INSUFFICIENT_DATA,
                     id="solitaert-plasmacytom-MRI-unknown"),
        pytest.param({**SOLITARY, "lytic_lesions": None}, Code.INSUFFICIENT_DATA,
                     id="solitaert-plasmacytom-CT-unknown"),
        pytest.param({**SOLITARY, "lytic_lesions": 1}, Code.ACTIVE_MYELOMA, id="solitaert-plasmacytom-lytic-lesion-B"),
    ],
)
def test_solitary_plasmacytoma_needs_no_further_lesions(imaging, code):
    d = classify(make(imaging=imaging))
    assert d.code == code
    if imaging.get("mri_focal_lesions") == 1:
        assert any("ingen ytterligere lesjoner" in r for r in d.reasons)
    if imaging.get("mri_focal_lesions", 0) is None:
        assert "imaging.mri_focal_lesions" in d.missing
    if imaging.get("lytic_lesions", 0) is None:
        assert "imaging.lytic_lesions" in d.missing


def test_poems_with_active_myeloma_keeps_the_myeloma_verdict():
    # POEMS criteria met + ≥ 10 % clonal marrow plasma cells + anaemia (A): both conditions
    d = classify(make(POEMS_PATIENT, labs={"hemoglobin_g_dl": 9}, marrow={"clonal_plasma_cells_pct": 20}))
    assert d.code == Code.POEMS and d.concurrent_myeloma == Code.ACTIVE_MYELOMA
    assert any("treatment-requiring myeloma are also met" in n for n in d.notes)


def test_poems_without_active_myeloma_has_no_concurrent_verdict():
    assert classify(POEMS_PATIENT).concurrent_myeloma is None
