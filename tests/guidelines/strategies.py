"""Hypothesis strategies for valid PatientFacts (the evaluate request's domain)."""

from hypothesis import strategies as st

from guidelines import facts as f
from guidelines.facts import (
    DRUGS,
    Cytogenetics,
    Del1p32,
    Frailty,
    Imaging,
    Labs,
    PatientFacts,
    Plasmacytoma,
    Response,
    Sex,
    TreatmentLine,
)


def _opt(strategy):
    return st.none() | strategy


drug_tuples = st.lists(st.sampled_from(DRUGS), max_size=4, unique=True).map(tuple)
regimens = st.sampled_from(
    ["VRd-induction", "Dara-VRd-induction", "DRd", "Isa-Kd", "BPd", "BVd", "PCd", "Pd", "teclistamab",
     "Elo-Pd", "Mel-HMAS", "R-maintenance", "free text", "cilta-cel"]
)

treatment_lines = st.builds(
    TreatmentLine,
    line=st.integers(min_value=1, max_value=8),
    regimen=_opt(regimens),
    drugs=drug_tuples,
    refractory_to=drug_tuples,
    intolerant_to=drug_tuples,
    autologous_transplant=_opt(st.booleans()),
    months_from_transplant_to_progression=_opt(st.floats(min_value=0, max_value=120)),
    best_response=_opt(st.sampled_from(Response)),
)

patient_facts = st.builds(
    PatientFacts,
    age=st.integers(min_value=18, max_value=105),
    sex=_opt(st.sampled_from(Sex)),
    frailty=_opt(st.sampled_from(Frailty)),
    transplant_contraindication=_opt(st.booleans()),
    labs=st.builds(
        Labs,
        hemoglobin_g_dl=_opt(st.floats(min_value=3, max_value=20)),
        hemoglobin_lower_limit_g_dl=_opt(st.floats(min_value=10, max_value=14)),
        calcium_mmol_l=_opt(st.floats(min_value=1.5, max_value=4.5)),
        creatinine_umol_l=_opt(st.floats(min_value=20, max_value=1500)),
        circulating_plasma_cells_pct=_opt(st.floats(min_value=0, max_value=90)),
    ),
    imaging=st.builds(
        Imaging,
        lytic_lesions=_opt(st.integers(min_value=0, max_value=50)),
        plasmacytoma=_opt(st.sampled_from(Plasmacytoma)),
    ),
    cytogenetics=st.builds(Cytogenetics, t11_14=_opt(st.booleans()), del1p32=_opt(st.sampled_from(Del1p32))),
    treatment_history=st.lists(treatment_lines, max_size=5).map(tuple),
)


# Every field of the evaluate request over its whole accepted range (robustness: evaluate never raises).
def _num(lo, hi):
    return _opt(st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False))


labs_st = st.builds(
    f.Labs,
    hemoglobin_g_dl=_num(1, 25), hemoglobin_lower_limit_g_dl=_num(5, 20), calcium_mmol_l=_num(0.5, 6),
    calcium_upper_limit_mmol_l=_num(1.5, 4), creatinine_umol_l=_num(1, 3000), egfr_ml_min=_num(0, 250),
    albumin_g_l=_num(5, 70), beta2m_mg_l=_num(0, 200), ldh_u_l=_num(0, 20000), ldh_upper_limit_u_l=_num(1, 2000),
    serum_m_protein_g_l=_num(0, 200), m_protein_isotype=_opt(st.sampled_from(f.Isotype)),
    urine_m_protein_mg_24h=_num(0, 100000), flc_kappa_mg_l=_num(0, 100000), flc_lambda_mg_l=_num(0, 100000),
    circulating_plasma_cells_pct=_num(0, 100), vegf_ng_l=_num(0, 100000), platelets_10e9_l=_num(0, 5000),
)
counts = _opt(st.integers(min_value=0, max_value=20))
bools = _opt(st.booleans())
facts_st = st.builds(
    f.PatientFacts,
    age=st.integers(min_value=18, max_value=120), sex=_opt(st.sampled_from(f.Sex)),
    weight_kg=_num(20, 350), height_cm=_num(100, 250), frailty=_opt(st.sampled_from(f.Frailty)),
    transplant_contraindication=bools, symptoms=bools, labs=labs_st,
    marrow=st.builds(f.Marrow, clonal_plasma_cells_pct=_num(0, 100)),
    imaging=st.builds(f.Imaging, lytic_lesions=counts, mri_focal_lesions=counts,
                      plasmacytoma=_opt(st.sampled_from(f.Plasmacytoma)), plasmacytoma_biopsy_proven=bools,
                      plasmacytoma_count=counts, sclerotic_bone_lesions=bools),
    cytogenetics=st.builds(f.Cytogenetics, del17p=bools, tp53_mutation=bools, t4_14=bools, t14_16=bools,
                           t14_20=bools, t11_14=bools, gain1q=bools, del1p32=_opt(st.sampled_from(f.Del1p32))),
    poems=st.builds(f.PoemsFindings, polyneuropathy=bools, polyneuropathy_severe_rapidly_progressive=bools,
                    demyelinating_neuropathy_suspected_cidp=bools, castleman=bools, organomegaly=bools,
                    extravascular_volume_overload=bools,
                    endocrinopathy=_opt(st.lists(st.sampled_from(f.ENDOCRINOPATHIES), max_size=3).map(tuple)),
                    skin_changes=bools, papilledema=bools, thrombocytosis_or_polycythemia=bools,
                    refractory_ascites=bools, gynecomastia=bools),
)
