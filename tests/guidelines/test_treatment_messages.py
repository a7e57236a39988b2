"""Every text the treatment, supportive-care and follow-up rules return is a message (a code, an English
template, its parameters), so the pages can write it in Norwegian (issue 12: clinical text as messages).

The patients span the chapters the rules cover: observation, the first line (transplant, non-transplant,
frail, over 80, PCL), relapse from line 2 to line 6, treated without progression, a plasmacytoma at
relapse, radiotherapy alone, solitary plasmacytoma, renal failure, hypercalcaemia, anaemia, HMAS with a
reinfusion date, bispecific antibodies and CAR-T. POEMS is left out: its treatment is the POEMS module's.
"""

from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation

from guidelines import terms
from guidelines.facts import CarTFindings, Cytogenetics, Frailty, Plasmacytoma, Response, TreatmentLine
from guidelines.messages import Message, Term
from guidelines.supportive import supportive_care
from guidelines.treatment import RadiotherapyIndication, radiotherapy_advice
from guidelines.treatment.common import beside
from tests.guidelines.factories import make
from tests.guidelines.shipped import LIBRARY, car_t_priority, evaluate, recommend

ACTIVE = make(symptoms=True, frailty=Frailty.FIT, transplant_contraindication=False,
              labs={"hemoglobin_g_dl": 9.0, "serum_m_protein_g_l": 32},
              marrow={"clonal_plasma_cells_pct": 40}, imaging={"lytic_lesions": 3})


def line(n, regimen, drugs=(), refractory=(), **kw):
    return TreatmentLine(line=n, regimen=regimen, drugs=drugs, refractory_to=refractory, **kw)


VRD = ("bortezomib", "lenalidomide", "dexamethasone")
LINE1 = line(1, "VRd-induction", VRD, ("lenalidomide",), autologous_transplant=True, best_response=Response.VGPR,
             transplant_date=date(2025, 1, 31), months_from_transplant_to_progression=5)
LINE2_ISA_KD = line(2, "Isa-Kd", ("isatuximab", "carfilzomib", "dexamethasone"), ("isatuximab", "carfilzomib"))
LINE3_PD = line(3, "Isa-Pd", ("isatuximab", "pomalidomide", "dexamethasone"), ("pomalidomide",))
LINE4_TEC = line(4, "teclistamab", ("teclistamab",), ("teclistamab",))
LINE5_BENDA = line(5, "free text", ("bendamustine",), ("bendamustine",))

PATIENTS = {
    "MGUS": make(),
    "smouldering": make(marrow={"clonal_plasma_cells_pct": 20}, imaging={"mri_focal_lesions": 1}),
    "smouldering-mri-unknown": make(marrow={"clonal_plasma_cells_pct": 20}, imaging={"mri_focal_lesions": None}),
    "first-line-transplant-young": replace(ACTIVE, age=60),
    "first-line-transplant-unknowns": replace(ACTIVE, age=66, transplant_contraindication=None,
                                              cytogenetics=Cytogenetics()),
    "first-line-transplant-high-risk": make(ACTIVE, cytogenetics={"del17p": True}),
    "first-line-70": replace(ACTIVE, age=70),
    "first-line-80": replace(ACTIVE, age=80),
    "first-line-over-80-unrecorded": replace(ACTIVE, age=84, frailty=None),
    "first-line-over-80-fit": replace(ACTIVE, age=84),
    "first-line-frail": replace(ACTIVE, age=76, frailty=Frailty.FRAIL),
    "first-line-contraindicated": replace(ACTIVE, age=62, transplant_contraindication=True),
    "renal-failure": make(ACTIVE, labs={"creatinine_umol_l": 260}),
    "renal-derived-egfr": make(ACTIVE, age=75, labs={"creatinine_umol_l": 160}),
    "hypercalcaemia-severe": make(ACTIVE, labs={"calcium_mmol_l": 3.2, "creatinine_umol_l": None}),
    "hypercalcaemia-above-limit": make(ACTIVE, labs={"calcium_mmol_l": 2.7, "creatinine_umol_l": 450}),
    "pcl": make(ACTIVE, labs={"circulating_plasma_cells_pct": 30}, age=72),
    "solitary-plasmacytoma-extramedullary": make(
        marrow={"clonal_plasma_cells_pct": 0}, labs={"serum_m_protein_g_l": 2},
        imaging={"plasmacytoma": Plasmacytoma.EXTRAMEDULLARY, "plasmacytoma_biopsy_proven": True,
                 "plasmacytoma_count": 1}),
    "radiotherapy-alone": make(
        marrow={"clonal_plasma_cells_pct": 0}, labs={"serum_m_protein_g_l": 2},
        imaging={"plasmacytoma": Plasmacytoma.BONE, "plasmacytoma_biopsy_proven": True, "plasmacytoma_count": 1},
        treatment_history=(line(1, "radiotherapy"),)),
    "relapse-line-2": replace(ACTIVE, treatment_history=(LINE1,)),
    "relapse-line-2-pcl": make(ACTIVE, labs={"circulating_plasma_cells_pct": 30}, treatment_history=(LINE1,)),
    "relapse-line-2-gap": replace(ACTIVE, treatment_history=(
        line(1, "DRd", ("daratumumab", "lenalidomide", "dexamethasone"), ("daratumumab",)),)),
    "relapse-line-3": replace(ACTIVE, treatment_history=(LINE1, LINE2_ISA_KD)),
    "relapse-line-3-no-progression": replace(ACTIVE, treatment_history=(
        LINE1, line(2, "BVd", ("belantamab mafodotin", "bortezomib", "dexamethasone")))),
    "relapse-line-4": make(ACTIVE, cytogenetics={"t11_14": True},
                           treatment_history=(LINE1, LINE2_ISA_KD, LINE3_PD)),
    "relapse-line-5": make(ACTIVE, cytogenetics={"t11_14": None},
                           treatment_history=(LINE1, LINE2_ISA_KD, LINE3_PD, LINE4_TEC)),
    "relapse-line-6": replace(ACTIVE, treatment_history=(LINE1, LINE2_ISA_KD, LINE3_PD, LINE4_TEC, LINE5_BENDA)),
    "relapse-misnumbered-and-parts": replace(ACTIVE, treatment_history=(
        LINE1, line(1, "Mel-HMAS", ("melphalan",)), line(3, "radiotherapy"),
        line(4, "DRd", ("daratumumab", "lenalidomide", "dexamethasone"), ("daratumumab",),
             intolerant_to=("lenalidomide",)))),
    "relapse-car-t-and-plasmacytoma": make(ACTIVE, imaging={"plasmacytoma": Plasmacytoma.BONE},
                                           labs={"igg_g_l": 3.0},
                                           treatment_history=(LINE1, line(2, "cilta-cel"))),
    "treated-without-progression": replace(ACTIVE, treatment_history=(
        line(1, "VRd-induction", VRD, best_response=Response.CR),)),
    "treated-no-clonal-marker": make(
        labs={"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 15, "flc_lambda_mg_l": 15},
        marrow={"clonal_plasma_cells_pct": None},
        treatment_history=(line(1, "VRd-induction", VRD, progression_date=date(2025, 6, 1)),)),
    "plasmacytoma-at-relapse": make(ACTIVE, imaging={"plasmacytoma": Plasmacytoma.EXTRAMEDULLARY},
                                    treatment_history=(line(1, "VRd-induction", VRD),)),
    "insufficient-data": make(labs={"serum_m_protein_g_l": None, "flc_kappa_mg_l": None, "flc_lambda_mg_l": None},
                              marrow={"clonal_plasma_cells_pct": None}),
    "no-plasma-cell-disorder": make(labs={"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 15, "flc_lambda_mg_l": 15},
                                    marrow={"clonal_plasma_cells_pct": 1}),
}


def texts(evaluation):
    """(where, text) of every text of the treatment advice, CAR-T, radiotherapy, supportive care and follow-up."""
    t = evaluation.treatment
    found = [("treatment.reasons", x) for x in t.reasons] + [("treatment.notes", x) for x in t.notes]
    found += [(f"treatment.options[{o.regimen}].note", o.note) for o in t.options]
    found += [("treatment.ambiguities.interpretation", a.interpretation) for a in t.ambiguities
              if not _protocols_own_words(a.interpretation)]
    for item in evaluation.supportive_care:
        found += [(f"supportive_care[{item.topic}].text", item.text)]
        found += [(f"supportive_care[{item.topic}].reasons", r) for r in item.reasons]
    if evaluation.followup is not None:
        f = evaluation.followup
        found += [(f"followup.{name}", getattr(f, name)) for name in ("condition", "place", "interval")]
        for name in ("tests", "imaging", "triggers", "notes"):
            found += [(f"followup.{name}", x) for x in getattr(f, name)]
        found += [("followup.ambiguities.interpretation", a.interpretation) for a in f.ambiguities]
    if evaluation.car_t is not None:
        c = evaluation.car_t
        found += [("car_t.exclusions", x) for x in c.exclusions] + [("car_t.reasons", x) for x in c.reasons]
        found += [("car_t.notes", x) for x in c.notes]
    for advice in evaluation.radiotherapy:
        found += [("radiotherapy.notes", x) for x in advice.notes]
        found += [(f"radiotherapy.options[{o.regimen}].note", o.note) for o in advice.options]
        found += [("radiotherapy.surgery", advice.surgery)] if advice.surgery is not None else []
    return found


def _protocols_own_words(text):
    """A protocol's boundary interpretation (regimen library data, written by its pharmacist) is the protocol's
    text, shown as the protocol gives it — not a sentence of the engine."""
    return any(text == rule.boundary_interpretation for regimen in LIBRARY.values() for drug_line in regimen.lines
               for rule in drug_line.rules)


def terms_in(value):
    """Every Term among a message's parameters, nested messages and lists included."""
    if isinstance(value, Term):
        yield value
    elif isinstance(value, Message):
        for param in value.params.values():
            yield from terms_in(param)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from terms_in(item)


@pytest.mark.parametrize("name", sorted(PATIENTS))
def test_every_treatment_supportive_and_followup_text_is_a_message(name):
    evaluation = evaluate(PATIENTS[name])
    found = texts(evaluation)
    assert found  # every patient gets at least a reason
    assert [(where, text) for where, text in found if not isinstance(text, Message)] == []


def test_the_spread_reaches_the_chapters():
    """The patients above are the spread the message test needs: each setting the rules give, CAR-T, the
    radiotherapy advice at relapse, a follow-up plan, and supportive care of every topic."""
    evaluations = [evaluate(facts) for facts in PATIENTS.values()]
    assert {e.treatment.setting for e in evaluations} >= {
        "OBSERVE", "FIRST_LINE_TRANSPLANT", "FIRST_LINE_NON_TRANSPLANT", "PLASMA_CELL_LEUKEMIA", "RELAPSE_LINE_2",
        "RELAPSE_LINE_3", "RELAPSE_LINE_4", "RELAPSE_LINE_5_PLUS", "SOLITARY_PLASMACYTOMA_RADIOTHERAPY", "NONE"}
    assert any(e.car_t is not None for e in evaluations) and any(e.radiotherapy for e in evaluations)
    assert any(e.followup is not None for e in evaluations)
    assert {i.topic for e in evaluations for i in e.supportive_care} == {
        "thrombosis", "bone", "vaccine", "infection", "hypercalcaemia", "anaemia"}


@pytest.mark.parametrize("indication", list(RadiotherapyIndication))
@pytest.mark.parametrize("on_treatment", [None, True, False])
def test_every_radiotherapy_text_is_a_message(indication, on_treatment):
    advice = radiotherapy_advice(indication, on_systemic_treatment=on_treatment)
    assert all(isinstance(n, Message) for n in advice.notes)
    assert all(isinstance(o.note, Message) for o in advice.options)


def test_every_car_t_text_is_a_message_when_facts_are_missing():
    facts = replace(ACTIVE, treatment_history=(LINE1,), car_t=CarTFindings(lvef_pct=35))
    result = car_t_priority(facts, high_risk=None, egfr_ml_min=25)
    assert result.exclusions and result.reasons
    assert all(isinstance(x, Message) for x in (*result.exclusions, *result.reasons, *result.notes))


def test_every_term_the_rules_name_is_in_the_catalogue():
    """A drug, diagnosis or response named inside a sentence is translated only if makemessages finds it:
    guidelines.terms lists them inside gettext_noop (the spread records drugs by their contract names)."""
    named = {t.word for facts in PATIENTS.values() for _where, text in texts(evaluate(facts))
             for t in terms_in(text)}
    assert named  # the spread names drugs
    assert named - terms.WORDS == set()


def test_every_term_of_the_catalogue_has_a_norwegian_translation():
    catalogue = translation.trans_real.translation("nb")._catalog
    assert sorted(w for w in terms.WORDS if w not in catalogue) == []


def test_drug_names_read_norwegian_in_a_norwegian_sentence():
    from core.messages import render

    advice = evaluate(PATIENTS["relapse-line-2"]).treatment
    reason = next(r for r in advice.reasons if r.code == "relapse.refractory_to")
    assert reason == "Refractory (progression on or within 60 days of stopping) to: lenalidomide."
    with translation.override("nb"):
        assert "lenalidomid." in render(reason) and "lenalidomide" not in render(reason)


# --- A derived value beside its threshold ---------------------------------------------------------------------

@pytest.mark.hazard("HAZ-070")
@pytest.mark.parametrize(
    ("egfr", "threshold", "shown"),
    [
        pytest.param(29.6, 30, "29.6", id="eGFR-29.6-is-not-shown-as-30-below-30"),
        pytest.param(29.96, 30, "29.96", id="eGFR-29.96-needs-two-decimals"),
        pytest.param(30.4, 30, "30.4", id="eGFR-30.4-is-not-shown-as-30-above-30"),
        pytest.param(30, 30, "30", id="eGFR-exactly-30"),
        pytest.param(71.75434280825972, 30, "72", id="eGFR-far-from-the-threshold-integer"),
        pytest.param(28.7, 30, "29", id="eGFR-28.7-rounds-and-stays-below"),
    ],
)
def test_a_rounded_egfr_never_crosses_the_threshold_it_is_compared_with(egfr, threshold, shown):
    """eGFR is written as an integer (as laboratories report it), but beside a threshold the text must say what
    the rule compared: 29.6 < 30 gives the reduced dose, and «eGFR 30 < 30» would contradict it."""
    assert str(beside(egfr, threshold)) == shown


@pytest.mark.hazard("HAZ-070")
def test_an_egfr_just_below_30_reads_below_30_in_the_advice_and_the_supportive_care():
    # «Lenalidomid gis i en dose på 15 mg daglig hvis eGFR <30»; «Bisfosfonater anbefales ikke hvis GFR<30 ml/min»
    advice = recommend(replace(ACTIVE, age=60), diagnosis_code="ACTIVE_MYELOMA", high_risk=False, egfr_ml_min=29.6)
    notes = " ".join(advice.notes)
    assert "Lenalidomide: eGFR 29.6 < 30 mL/min → lenalidomide 15 mg daily" in notes
    assert "Mel-HMAS: eGFR 29.6 < 30 → melphalan 140 mg/m² day −1" in notes
    bone = supportive_care(ACTIVE, diagnosis_code="ACTIVE_MYELOMA", setting="FIRST_LINE_TRANSPLANT", egfr_ml_min=29.6)
    assert "eGFR 29.6 < 30 mL/min." in [r for i in bone if i.topic == "bone" for r in i.reasons]
