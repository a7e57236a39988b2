"""POEMS: Danish guideline, Quick guide items 1–11, «Diagnostiske kriterier», «Udredning»,
«Strålebehandling», «Systemisk behandling»."""

import pytest

from guidelines.facts import Frailty, Isotype
from guidelines.poems import assess, m_component, screening, treatment
from tests.guidelines.factories import BASE, POEMS_PATIENT, make


def test_poems_patient_meets_criteria():
    a = assess(POEMS_PATIENT)
    assert a.criteria_met is True and a.screen_positive is True
    assert a.mandatory == ("polyneuropathy", "monoclonal_plasma_cell_disorder")
    assert a.major == ("sclerotic_bone_lesions", "vegf_elevated")
    assert a.minor == ("organomegaly", "endocrinopathy")
    assert a.workup and a.rehabilitation[0].startswith("8.")


@pytest.mark.parametrize(
    ("vegf", "major"),
    [
        pytest.param(201, ("vegf_elevated",), id="VEGF-201-elevated"),
        pytest.param(200, (), id="VEGF-200-not-elevated"),
    ],
)
def test_vegf_threshold(vegf, major):
    facts = make(POEMS_PATIENT, labs={"vegf_ng_l": vegf}, imaging={"sclerotic_bone_lesions": False})
    assert assess(facts).major == major


@pytest.mark.parametrize(
    ("endo", "met"),
    [
        pytest.param(("diabetes",), False, id="diabetes-alone-not-enough"),
        pytest.param(("hypothyroidism",), False, id="hypothyroidism-alone-not-enough"),
        pytest.param(("diabetes", "adrenal"), True, id="adrenal-counts"),
        pytest.param((), False, id="none"),
    ],
)
def test_endocrinopathy_minor(endo, met):
    facts = make(POEMS_PATIENT, poems={"organomegaly": False, "endocrinopathy": endo})
    assert assess(facts).criteria_met is met


def test_both_mandatory_required():
    assert assess(make(POEMS_PATIENT, poems={"polyneuropathy": False})).criteria_met is False


def test_monoclonal_by_marrow_only():
    facts = make(POEMS_PATIENT, labs={"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 10, "flc_lambda_mg_l": 10},
                 marrow={"clonal_plasma_cells_pct": 3})
    assert "monoclonal_plasma_cell_disorder" in assess(facts).mandatory


def test_undecided_lists_missing():
    facts = make(POEMS_PATIENT, labs={"vegf_ng_l": None}, imaging={"sclerotic_bone_lesions": None},
                 poems={"castleman": None})
    a = assess(facts)
    assert a.criteria_met is None and {"labs.vegf_ng_l", "poems.castleman"} <= set(a.missing)


def test_no_monoclonal_marker_marrow_unknown():
    facts = make(POEMS_PATIENT, labs={"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 10, "flc_lambda_mg_l": 10},
                 marrow={"clonal_plasma_cells_pct": None})
    assert "marrow.clonal_plasma_cells_pct" in assess(facts).missing


@pytest.mark.parametrize(
    ("poems", "labs", "positive"),
    [
        pytest.param({"polyneuropathy_severe_rapidly_progressive": True}, {}, True, id="1-with-M-component"),
        pytest.param({"polyneuropathy_severe_rapidly_progressive": True, "papilledema": True},
                     {"serum_m_protein_g_l": 0, "urine_m_protein_mg_24h": 0}, True, id="1-with-papilloedema"),
        pytest.param({"polyneuropathy_severe_rapidly_progressive": True},
                     {"serum_m_protein_g_l": 0, "urine_m_protein_mg_24h": 0}, False, id="1-without-companion"),
        pytest.param({"demyelinating_neuropathy_suspected_cidp": True}, {}, True, id="2-CIDP"),
        pytest.param({"refractory_ascites": True}, {}, True, id="3-refractory-ascites"),
        pytest.param({"gynecomastia": True}, {}, True, id="3-gynaecomastia"),
        pytest.param({}, {}, False, id="no-trigger"),
    ],
)
def test_screening_items(poems, labs, positive):
    assert screening(make(labs=labs, poems=poems))[0] is positive


def test_screening_unknown():
    facts = make(poems={"polyneuropathy_severe_rapidly_progressive": None, "refractory_ascites": None})
    positive, _, missing = screening(facts)
    assert positive is None and "poems.refractory_ascites" in missing


def test_m_component_light_chain_and_unknown():
    # «S- eller urin-M-komponent»: an abnormal FLC ratio (5/50 = 0.1) alone is not an M-component
    assert m_component(make(labs={"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 5, "flc_lambda_mg_l": 50})).met is False
    assert m_component(make(labs={"serum_m_protein_g_l": None, "flc_kappa_mg_l": 10,
                                  "flc_lambda_mg_l": 10})).met is None
    assert m_component(make(labs={"serum_m_protein_g_l": 0, "urine_m_protein_mg_24h": 30})).met


@pytest.mark.parametrize(
    ("foci", "marrow", "setting", "ranked"),
    [
        # 4. «Strålebehandling 40-50 Gy til lokaliseret sygdom (≤ 2 (3) foci)»; Strålebehandling «2 (-3)
        # lokaliserede knoglefoci udfra CT og uden systemisk involvering bedømt ved knoglemarvsbiopsi»
        pytest.param(1, 0, "POEMS_RADIOTHERAPY", [("radiotherapy-40-50Gy", 1)], id="item-4-1-focus-no-marrow"),
        pytest.param(2, 0, "POEMS_RADIOTHERAPY", [("radiotherapy-40-50Gy", 1)], id="item-4-2-foci-no-marrow"),
        pytest.param(3, 0, "POEMS_RADIOTHERAPY", [("radiotherapy-40-50Gy", 1), ("Mel-HMAS", 1)],
                     id="item-4-3-foci-ambiguous"),
        pytest.param(4, 0, "POEMS_SYSTEMIC", [("Mel-HMAS", 1), ("lenalidomide-dexamethasone", 2)],
                     id="item-5-4-foci-disseminated-systemic"),
        # no bone focus: nothing localised to irradiate
        pytest.param(0, 0, "POEMS_SYSTEMIC", [("Mel-HMAS", 1), ("lenalidomide-dexamethasone", 2)],
                     id="item-4-no-bone-focus-no-radiotherapy"),
        pytest.param(0, None, "POEMS_SYSTEMIC", [("Mel-HMAS", 1), ("lenalidomide-dexamethasone", 2)],
                     id="item-4-no-bone-focus-marrow-unknown"),
        # «Ved dominans af et enkelt eller 2 knoglelæsioner og minimal knoglemarvsinvolvering kan
        # strålebehandling initieres»
        pytest.param(1, 5, "POEMS_SYSTEMIC", [("Mel-HMAS", 1), ("radiotherapy-40-50Gy", 1),
                                              ("lenalidomide-dexamethasone", 2)],
                     id="straalebehandling-enkelt-laesion-minimal-marv"),
        pytest.param(2, 5, "POEMS_SYSTEMIC", [("Mel-HMAS", 1), ("radiotherapy-40-50Gy", 1),
                                              ("lenalidomide-dexamethasone", 2)],
                     id="straalebehandling-2-laesioner-minimal-marv"),
        pytest.param(3, 5, "POEMS_SYSTEMIC", [("Mel-HMAS", 1), ("lenalidomide-dexamethasone", 2)],
                     id="straalebehandling-3-laesioner-marv-systemic-only"),
        pytest.param(None, 0, "NONE", [], id="foci-unknown-undecided"),
        pytest.param(None, 5, "POEMS_SYSTEMIC", [("Mel-HMAS", 1), ("lenalidomide-dexamethasone", 2)],
                     id="foci-unknown-marrow-involved-systemic"),
        pytest.param(2, None, "NONE", [], id="marrow-unknown-undecided"),
    ],
)
def test_treatment_choice(foci, marrow, setting, ranked):
    facts = make(POEMS_PATIENT, age=55, frailty=Frailty.FIT, imaging={"sclerotic_bone_lesion_count": foci},
                 marrow={"clonal_plasma_cells_pct": marrow})
    advice = treatment(facts)
    assert advice.setting == setting
    assert [(o.regimen, o.rank) for o in advice.options] == ranked
    assert any("≤ 2 (3) foci" in a.source_text for a in advice.ambiguities)
    if foci is None:
        assert "imaging.sclerotic_bone_lesion_count" in advice.missing
    if marrow is None and foci:
        assert "marrow.clonal_plasma_cells_pct" in advice.missing
    if marrow and foci and foci <= 2:
        assert any("minimal" in a.interpretation for a in advice.ambiguities)


def test_plasmacytoma_count_is_not_read_as_poems_foci():
    facts = make(POEMS_PATIENT, imaging={"sclerotic_bone_lesion_count": None, "plasmacytoma_count": 1})
    advice = treatment(facts)
    assert advice.setting == "NONE" and "imaging.sclerotic_bone_lesion_count" in advice.missing


@pytest.mark.parametrize(
    ("labs", "marrow", "mandatory_met"),
    [
        # Mandatorisk kriterium 2: «S- eller urin-M-komponent … eller monoklonal plasmacelleinfiltration i
        # knoglemarven»; FLC ratio 10/40 = 0.25 < 0.26 is not listed
        pytest.param({"serum_m_protein_g_l": 0, "urine_m_protein_mg_24h": 0}, 0, False,
                     id="mandatory-2-FLC-ratio-alone-not-enough"),
        pytest.param({"serum_m_protein_g_l": 0, "urine_m_protein_mg_24h": 0}, 2, True,
                     id="mandatory-2-monoclonal-marrow-infiltration"),
        pytest.param({"serum_m_protein_g_l": 4}, 0, True, id="mandatory-2-serum-M-component"),
    ],
)
def test_flc_ratio_alone_does_not_meet_the_monoclonal_criterion(labs, marrow, mandatory_met):
    a = assess(make(POEMS_PATIENT, labs=labs, marrow={"clonal_plasma_cells_pct": marrow}))
    assert ("monoclonal_plasma_cell_disorder" in a.mandatory) is mandatory_met
    assert a.criteria_met is mandatory_met
    assert any("free light chain ratio alone" in x.interpretation for x in a.ambiguities) is (not mandatory_met)


def test_flc_ratio_still_counts_for_screening_item_1():
    facts = make(labs={"serum_m_protein_g_l": 0, "urine_m_protein_mg_24h": 0, "flc_kappa_mg_l": 10,
                       "flc_lambda_mg_l": 40}, poems={"polyneuropathy_severe_rapidly_progressive": True})
    positive, reasons, _ = screening(facts)
    assert positive is True and any("abnormal FLC ratio" in r for r in reasons)


def test_three_foci_options_share_rank():
    facts = make(POEMS_PATIENT, age=55, frailty=Frailty.FIT, imaging={"sclerotic_bone_lesion_count": 3})
    assert [o.rank for o in treatment(facts).options] == [1, 1]


@pytest.mark.parametrize(
    ("age", "frailty", "first"),
    [
        pytest.param(69, Frailty.FIT, "Mel-HMAS", id="fit-69-ASCT"),
        pytest.param(70, Frailty.FIT, "lenalidomide-dexamethasone", id="fit-70-no-ASCT"),
        pytest.param(60, Frailty.UNFIT, "lenalidomide-dexamethasone", id="unfit"),
        pytest.param(60, None, "lenalidomide-dexamethasone", id="frailty-unknown"),
    ],
)
def test_systemic_by_age_and_fitness(age, frailty, first):
    facts = make(POEMS_PATIENT, age=age, frailty=frailty, imaging={"sclerotic_bone_lesion_count": 5})
    assert treatment(facts).options[0].regimen == first


def test_notes_neurotoxicity_and_thrombosis():
    notes = " ".join(treatment(make(POEMS_PATIENT, imaging={"sclerotic_bone_lesion_count": 5})).notes)
    assert "not contraindicated" in notes and "LMWH/DOAC" in notes and "VEGF normalisation" in notes


def test_not_poems_for_plain_mgus():
    a = assess(BASE)
    assert a.criteria_met is False and a.screen_positive is False and a.treatment is None


def test_lambda_m_component_isotype_irrelevant():
    assert assess(make(POEMS_PATIENT, labs={"m_protein_isotype": Isotype.IGG})).criteria_met is True
