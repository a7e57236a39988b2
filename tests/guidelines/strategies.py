"""Hypothesis strategies for valid PatientFacts (the evaluate request's domain)."""

from hypothesis import strategies as st

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
