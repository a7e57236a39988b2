"""The whole engine, real treatment and supportive-care rules included: never raises on
valid input, and the clinical walk from diagnosis to recommendation holds together."""

import json

from hypothesis import HealthCheck, given, settings

from guidelines import facts as f
from guidelines.evaluate import evaluate
from tests.guidelines.test_evaluate import facts_st

SETTINGS = {
    "OBSERVE", "FIRST_LINE_TRANSPLANT", "FIRST_LINE_NON_TRANSPLANT", "PLASMA_CELL_LEUKEMIA", "RELAPSE_LINE_2",
    "RELAPSE_LINE_3", "RELAPSE_LINE_4", "RELAPSE_LINE_5_PLUS", "SOLITARY_PLASMACYTOMA_RADIOTHERAPY",
    "POEMS_RADIOTHERAPY", "POEMS_SYSTEMIC", "NONE",
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts_st)
def test_real_engine_never_raises_and_answers_in_contract_codes(facts):
    out = evaluate(facts).to_dict()
    json.dumps(out)
    assert out["treatment"]["setting"] in SETTINGS
    ranks = [o["rank"] for o in out["treatment"]["options"]]
    assert ranks == sorted(ranks)


def _active(age, **kw):
    return f.PatientFacts(
        age=age, sex=f.Sex.MALE, frailty=kw.pop("frailty", f.Frailty.FIT), transplant_contraindication=False,
        symptoms=True,
        labs=f.Labs(hemoglobin_g_dl=9.0, hemoglobin_lower_limit_g_dl=13.4, calcium_mmol_l=2.4,
                    calcium_upper_limit_mmol_l=2.6, creatinine_umol_l=90, albumin_g_l=40, beta2m_mg_l=3.0,
                    ldh_u_l=180, ldh_upper_limit_u_l=205, serum_m_protein_g_l=32, m_protein_isotype=f.Isotype.IGG,
                    urine_m_protein_mg_24h=0, flc_kappa_mg_l=20, flc_lambda_mg_l=15, circulating_plasma_cells_pct=0),
        marrow=f.Marrow(40), imaging=f.Imaging(lytic_lesions=3, mri_focal_lesions=0, plasmacytoma=f.Plasmacytoma.NONE),
        **kw,
    )


def test_newly_diagnosed_64_year_old_gets_vrd_before_hmas():
    # "Pasienter <70 år tilbys ... HMAS"; "Anbefalt induksjonsregime i Norge er ... (VRd)"
    out = evaluate(_active(64)).to_dict()
    assert out["diagnosis"]["code"] == "ACTIVE_MYELOMA"
    assert set(out["diagnosis"]["myeloma_defining_events"]) == {"A", "B"}  # Hb 9.0 < 10; 3 lytic lesions
    assert out["treatment"]["setting"] == "FIRST_LINE_TRANSPLANT"
    assert out["treatment"]["options"][0]["regimen"] == "VRd-induction"


def test_newly_diagnosed_76_year_old_gets_anti_cd38_vrd():
    # "Pasienter mellom 70 og 80 år behandles med daratumumab/isatuximab, bortezomib, lenalidomid og deksametason."
    out = evaluate(_active(76)).to_dict()
    assert out["treatment"]["setting"] == "FIRST_LINE_NON_TRANSPLANT"
    assert {o["regimen"] for o in out["treatment"]["options"] if o["rank"] == 1} == {"Dara-VRd", "Isa-VRd"}


def test_second_line_lenalidomide_refractory_gets_bvd_first():
    # Andrelinjebehandling: "Hvis refraktær mot lenalidomid ... men ikke refraktær mot CD38-antistoff: 1. valg BVd"
    history = (f.TreatmentLine(line=1, regimen="VRd-induction", drugs=("bortezomib", "lenalidomide", "dexamethasone"),
                               refractory_to=("lenalidomide",), autologous_transplant=True,
                               best_response=f.Response.VGPR),)
    out = evaluate(_active(64, treatment_history=history)).to_dict()
    assert out["treatment"]["setting"] == "RELAPSE_LINE_2"
    assert out["treatment"]["options"][0]["regimen"] == "BVd"
