"""The whole engine, real treatment and supportive-care rules included: never raises on
valid input, and the clinical walk from diagnosis to recommendation holds together."""

import json

from hypothesis import HealthCheck, given, settings

from guidelines import facts as f
from tests.guidelines.shipped import evaluate
from tests.guidelines.strategies import facts_st

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


# --- Second reader's findings (haematologist review): the whole engine -------------------------------------------

from datetime import date  # noqa: E402

import pytest  # noqa: E402

from tests.guidelines.factories import POEMS_PATIENT, make  # noqa: E402


def _care_text(out, topic):
    return " ".join(i["text"] for i in out["supportive_care"] if i["topic"] == topic)


def test_supportive_care_gets_the_rank_1_regimen_drugs():
    # VRd-induction (bortezomib, lenalidomide, dexamethasone): «Tromboseprofylakse ved lenalidomid» ASA 75 mg;
    # valaciclovir 250 mg × 2 with a proteasome inhibitor
    out = evaluate(_active(64)).to_dict()
    assert "acetylsalicylic acid 75 mg" in _care_text(out, "thrombosis")
    assert "valaciclovir 250 mg × 2 po" in _care_text(out, "infection")


def test_supportive_care_second_line_drd_gets_thrombosis_prophylaxis():
    # Andrelinjebehandling, neither CD38 nor lenalidomide refractory: DRd (lenalidomide) → ASA 75 mg
    history = (f.TreatmentLine(line=1, regimen="Mel-HMAS", drugs=("melphalan",), autologous_transplant=True,
                               refractory_to=("melphalan",), best_response=f.Response.VGPR),)
    out = evaluate(_active(64, treatment_history=history)).to_dict()
    assert out["treatment"]["options"][0]["regimen"] == "DRd"  # neither CD38 nor lenalidomide refractory
    assert "acetylsalicylic acid 75 mg" in _care_text(out, "thrombosis")  # DRd contains lenalidomide


def test_no_treatment_options_means_no_regimen_drugs():
    out = evaluate(make(marrow={"clonal_plasma_cells_pct": 5})).to_dict()  # MGUS: OBSERVE, no options
    assert _care_text(out, "thrombosis") == ""


@pytest.mark.parametrize(
    ("transplant_date", "dated"),
    [
        # Særlig anbefaling for HMAS: PCV20 3, 4 and 5 months after reinfusion; 15 Jan 2025 + 3 months = 15 Apr 2025
        pytest.param(date(2025, 1, 15), "2025-04-15: PCV20", id="HMAS-vaksiner-datert-fra-reinfusjon"),
        pytest.param(None, None, id="HMAS-vaksiner-reinfusjonsdato-ukjent"),
    ],
)
def test_hmas_vaccine_schedule_is_dated_from_transplant_date(transplant_date, dated):
    history = (f.TreatmentLine(line=1, regimen="VRd-induction", drugs=("bortezomib", "lenalidomide", "dexamethasone"),
                               refractory_to=("lenalidomide",), autologous_transplant=True,
                               best_response=f.Response.VGPR, transplant_date=transplant_date),)
    out = evaluate(_active(64, treatment_history=history)).to_dict()
    text = _care_text(out, "vaccine")
    if dated:
        assert dated in text
    else:
        assert "Dates follow once the reinfusion date is known" not in text  # relapse setting, no HMAS date


@pytest.mark.parametrize(
    ("igg", "fragment"),
    [
        # BCMA bispecific: «vurdere substitusjon når IgG < 4,0 g/L»
        pytest.param(3.9, "IgG 3.9 < 4.0 g/L", id="bispesifikt-IgG-3.9-under-4"),
        pytest.param(4.0, "IgG 4 ≥ 4.0 g/L", id="bispesifikt-IgG-4.0-ikke-under"),
    ],
)
def test_igg_reaches_supportive_care(igg, fragment):
    lines = (f.TreatmentLine(line=1, regimen="Dara-VRd", refractory_to=("lenalidomide",)),
             f.TreatmentLine(line=2, regimen="Isa-Kd"), f.TreatmentLine(line=3, regimen="PCd",
                                                                         refractory_to=("pomalidomide",)))
    facts = _active(64, treatment_history=lines)
    facts = make(facts, labs={"igg_g_l": igg})
    out = evaluate(facts).to_dict()
    assert out["treatment"]["setting"] == "RELAPSE_LINE_4"
    assert fragment in _care_text(out, "infection")


def test_relapse_shows_car_t_prioritisation_and_first_line_does_not():
    history = (f.TreatmentLine(line=1, regimen="VRd-induction", refractory_to=("lenalidomide",),
                               autologous_transplant=True, best_response=f.Response.VGPR),)
    relapse = evaluate(_active(64, treatment_history=history)).to_dict()
    assert relapse["car_t"]["verdict"] in {"PRIORITISED", "NOT_PRIORITISED", "INDIVIDUAL_ASSESSMENT", "UNDETERMINED"}
    assert relapse["car_t"]["citation"]["section"].startswith("Behandling med kimær antigen-reseptor")
    assert evaluate(_active(64)).to_dict()["car_t"] is None


@pytest.mark.parametrize(
    ("plasmacytoma", "shown"),
    [
        # Strålebehandling, «Tilbakefall med plasmacytomer»
        pytest.param(f.Plasmacytoma.EXTRAMEDULLARY, True, id="tilbakefall-med-plasmacytom"),
        pytest.param(f.Plasmacytoma.NONE, False, id="tilbakefall-uten-plasmacytom"),
    ],
)
def test_relapse_with_plasmacytoma_shows_radiotherapy_advice(plasmacytoma, shown):
    history = (f.TreatmentLine(line=1, regimen="VRd-induction", refractory_to=("lenalidomide",),
                               autologous_transplant=True, best_response=f.Response.VGPR),)
    facts = make(_active(64, treatment_history=history), imaging={"plasmacytoma": plasmacytoma})
    out = evaluate(facts).to_dict()
    # contract v1.1: treatment.radiotherapy is a list of indications (also kept at the top level)
    assert bool(out["radiotherapy"]) is shown and out["treatment"]["radiotherapy"] == out["radiotherapy"]
    if shown:
        assert [r["citation"]["detail"] for r in out["radiotherapy"]] == ["Tilbakefall med plasmacytomer"]


def test_poems_with_active_myeloma_shows_both():
    facts = make(POEMS_PATIENT, age=60, frailty=f.Frailty.FIT, transplant_contraindication=False,
                 labs={"hemoglobin_g_dl": 9}, marrow={"clonal_plasma_cells_pct": 20})
    out = evaluate(facts).to_dict()
    assert out["diagnosis"]["code"] == "POEMS" and out["diagnosis"]["concurrent_myeloma"] == "ACTIVE_MYELOMA"
    assert out["treatment"]["setting"] == "FIRST_LINE_TRANSPLANT"
    assert out["poems"]["treatment"]["setting"] in {"POEMS_RADIOTHERAPY", "POEMS_SYSTEMIC"}
    assert any("POEMS criteria are met as well" in n for n in out["treatment"]["notes"])
    assert any("how POEMS and active myeloma combine" in a["interpretation"] for a in out["ambiguities"])
    assert out["workup"]["tier"] == "FULL"
    assert _care_text(out, "vaccine")  # myeloma supportive care, not the POEMS empty list


def test_poems_alone_keeps_the_poems_treatment():
    out = evaluate(make(POEMS_PATIENT, frailty=f.Frailty.FIT)).to_dict()
    assert out["treatment"]["setting"] == "POEMS_RADIOTHERAPY" and out["diagnosis"]["concurrent_myeloma"] is None
    assert out["poems"]["treatment"]["setting"] == "POEMS_RADIOTHERAPY"


def test_the_regimen_drugs_are_the_librarys():
    # supportive care weighs the drugs the library gives the rank-1 regimen: with a VRd-induction protocol that
    # held no lenalidomide there would be no «Tromboseprofylakse ved lenalidomid»
    from dataclasses import replace as with_

    from guidelines.evaluate import evaluate as evaluate_with
    from guidelines.library import RegimenInfo
    from tests.guidelines.shipped import LIBRARY

    vrd = LIBRARY["VRd-induction"]
    edited = {**LIBRARY, "VRd-induction": with_(vrd, lines=tuple(line for line in vrd.lines
                                                                   if line.drug != "lenalidomide"))}
    assert isinstance(edited["VRd-induction"], RegimenInfo)
    assert _care_text(evaluate(_active(64)).to_dict(), "thrombosis")
    assert _care_text(evaluate_with(_active(64), library=edited).to_dict(), "thrombosis") == ""
