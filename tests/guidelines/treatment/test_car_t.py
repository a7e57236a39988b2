"""«Behandling med kimær antigen-reseptor T-celle (CAR-T) behandling» (guidelines/treatment/car_t.py):
«Seleksjon av pasienter når begrenset kapasitet» and «Komorbiditet og organfunksjon», criterion by criterion.

Expected values are the guideline's own words (row quoted in each id / comment), never copied from the code.
"""

import datetime
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidelines.facts import CarTFindings, Imaging, Labs, PatientFacts, Plasmacytoma
from guidelines.treatment import CarTVerdict
from tests.guidelines.shipped import car_t_priority
from tests.guidelines.strategies import patient_facts
from tests.guidelines.treatment.helpers import LINE1_R, advise, line, notes, relapse

RELAPSE = datetime.date(2026, 3, 1)
FISH = datetime.date(2026, 3, 10)  # after the last relapse
FIT_FOR_CAR_T = CarTFindings(lvef_pct=55, spo2_room_air_pct=97, liver_cirrhosis=False, serious_comorbidity=False,
                             al_amyloidosis=False, fish_tp53_date=FISH)


def cart_facts(*, car_t=None, history=None, **kw):
    """A patient the guideline prioritises: myeloma after a line with progression on 2026-03-01, FISH/TP53 after it,
    no extramedullary disease, blood smear 0 %, organ function within every limit."""
    base = dict(age=60, labs=Labs(circulating_plasma_cells_pct=0),
                imaging=Imaging(plasmacytoma=Plasmacytoma.NONE, extramedullary_disease=False),
                treatment_history=history or (line(1, "Dara-VRd", refractory=("lenalidomide",),
                                                   progression_date=RELAPSE),),
                car_t=FIT_FOR_CAR_T if car_t is None else car_t)
    base.update(kw)
    return PatientFacts(**base)


def cart(facts=None, **kw):
    args = dict(high_risk=False, egfr_ml_min=60)
    args.update(kw)
    return car_t_priority(facts or cart_facts(), **args)


def organ(**kw):
    return replace(FIT_FOR_CAR_T, **kw)


def status(result, code):
    return next(c.status for c in result.criteria if c.code == code)


@pytest.mark.hazard("HAZ-100")
def test_cart_prioritised_every_criterion_met_with_its_reason():
    # «Konklusjon: Pasienter som prioriteres til CAR-T vil være de som ikke har kjent ekstramedullær sykdom, ikke
    # har prøvd BCMA-rettet behandling, og ikke har cytogenetisk høyrisikosykdom.»
    result = cart()
    assert result.verdict == CarTVerdict.PRIORITISED and result.exclusions == () and result.missing == ()
    assert [c.code for c in result.criteria] == [
        "extramedullary", "earlier_bcma", "high_risk", "indication", "blood_smear", "egfr", "lvef", "spo2",
        "cirrhosis", "comorbidity", "non_bcma_t_cell_engager"]
    assert {str(c.status) for c in result.criteria} == {"met"}
    assert len(result.reasons) == len(result.criteria)
    assert any("not reimbursed" in n for n in result.notes)


@pytest.mark.hazard("HAZ-100")
@pytest.mark.parametrize(
    ("facts", "kw", "code", "words"),
    [
        # «Følgende pasienter vil ikke prioriteres for CAR-T behandling hvis begrensninger i tilgang:»
        pytest.param(cart_facts(imaging=Imaging(extramedullary_disease=True)), {}, "extramedullary",
                     "Known extramedullary disease", id="ikke-prioritert-kjent-ekstramedullær-sykdom"),
        pytest.param(cart_facts(imaging=Imaging(plasmacytoma=Plasmacytoma.EXTRAMEDULLARY)), {}, "extramedullary",
                     "Extramedullary plasmacytoma", id="ikke-prioritert-ekstramedullært-plasmacytom"),
        pytest.param(cart_facts(history=(line(1, "BVd", progression_date=RELAPSE),)), {}, "earlier_bcma", "BCMA",
                     id="ikke-prioritert-tidligere-BCMA-belantamab"),
        pytest.param(cart_facts(history=(line(1, "Dara-VRd"), line(2, "teclistamab", progression_date=RELAPSE))),
                     {}, "earlier_bcma", "BCMA", id="ikke-prioritert-tidligere-BCMA-teklistamab"),
        pytest.param(cart_facts(history=(line(1, "cilta-cel", progression_date=RELAPSE),)), {}, "earlier_bcma",
                     "BCMA", id="ikke-prioritert-tidligere-CAR-T"),
        pytest.param(None, {"high_risk": True}, "high_risk", "IMS/IMWG", id="ikke-prioritert-høyrisiko-IMS-IMWG"),
        # «primær eller sekundær plasmacelleleukemi, AL-amyloidose, ulmende myelomatose, MGUS eller solitære
        # plasmacytomer ikke vil prioriteres»
        pytest.param(None, {"diagnosis_code": "PLASMA_CELL_LEUKEMIA"}, "indication", "Not per indication",
                     id="indikasjon-plasmacelleleukemi"),
        pytest.param(cart_facts(car_t=organ(al_amyloidosis=True)), {}, "indication", "AL amyloidosis",
                     id="indikasjon-AL-amyloidose"),
        pytest.param(None, {"diagnosis_code": "SMOLDERING_MYELOMA"}, "indication", "Not per indication",
                     id="indikasjon-ulmende-myelomatose"),
        pytest.param(None, {"diagnosis_code": "MGUS"}, "indication", "Not per indication", id="indikasjon-MGUS"),
        pytest.param(None, {"diagnosis_code": "SOLITARY_PLASMACYTOMA"}, "indication", "Not per indication",
                     id="indikasjon-solitært-plasmacytom"),
        pytest.param(cart_facts(treatment_history=()), {}, "indication", "No earlier treatment line",
                     id="indikasjon-ingen-tidligere-linje"),
        # «Det vil kreves et aktuelt blodutstryk som er vurdert til å ha <5 % plasmaceller i blod»
        pytest.param(cart_facts(labs=Labs(circulating_plasma_cells_pct=5)), {}, "blood_smear", "Blood smear 5",
                     id="blodutstryk-5-prosent"),
        pytest.param(cart_facts(car_t=organ(blood_plasma_cells_pct=5)), {}, "blood_smear", "Blood smear 5",
                     id="blodutstryk-5-prosent-car_t-feltet"),
        # «Nyrefunksjon: Estimert GFR ≥ 30 ml/min.»
        pytest.param(None, {"egfr_ml_min": 29.9}, "egfr", "eGFR", id="nyrefunksjon-eGFR-29,9"),
        # «Hjertefunksjon: LVEF ≥ 40%»
        pytest.param(cart_facts(car_t=organ(lvef_pct=39)), {}, "lvef", "LVEF", id="hjertefunksjon-LVEF-39"),
        # «Lungefunksjon: Saturasjon ≥ 92% på romluft.»
        pytest.param(cart_facts(car_t=organ(spo2_room_air_pct=91)), {}, "spo2", "Saturation",
                     id="lungefunksjon-saturasjon-91"),
        # «Leverfunksjon: Kan ikke ha levercirrhose.»
        pytest.param(cart_facts(car_t=organ(liver_cirrhosis=True)), {}, "cirrhosis", "cirrhosis",
                     id="leverfunksjon-levercirrhose"),
    ],
)
def test_cart_not_prioritised(facts, kw, code, words):
    result = cart(facts, **kw)
    assert result.verdict == CarTVerdict.NOT_PRIORITISED
    assert str(status(result, code)) == "not_met"
    assert any(words in e for e in result.exclusions)


@pytest.mark.hazard("HAZ-100")
@pytest.mark.parametrize(
    ("facts", "kw"),
    [
        pytest.param(cart_facts(labs=Labs(circulating_plasma_cells_pct=4.9)), {}, id="blodutstryk-4,9-prosent"),
        pytest.param(cart_facts(labs=Labs(circulating_plasma_cells_pct=9), car_t=organ(blood_plasma_cells_pct=4.9)),
                     {}, id="blodutstryk-car_t-feltet-vinner"),
        pytest.param(None, {"egfr_ml_min": 30}, id="nyrefunksjon-eGFR-30"),
        pytest.param(cart_facts(car_t=organ(lvef_pct=40)), {}, id="hjertefunksjon-LVEF-40"),
        pytest.param(cart_facts(car_t=organ(spo2_room_air_pct=92)), {}, id="lungefunksjon-saturasjon-92"),
    ],
)
def test_cart_thresholds_met(facts, kw):
    # "Estimert GFR ≥ 30", "LVEF ≥ 40%", "Saturasjon ≥ 92%", "<5 % plasmaceller i blod": the limit itself meets it
    assert cart(facts, **kw).verdict == CarTVerdict.PRIORITISED


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        # «Tidligere bruk av T-celle-engasjerende ikke-BCMA rettet behandling (f.eks. talkvetamab)»
        pytest.param(cart_facts(history=(line(1, "Dara-VRd"), line(2, "talquetamab", progression_date=RELAPSE))),
                     "non_bcma_t_cell_engager", id="individuell-vurdering-talkvetamab"),
        # «Annen alvorlig komorbiditet vil være ekskluderende for CAR-T behandling, men vurderes individuelt.»
        pytest.param(cart_facts(car_t=organ(serious_comorbidity=True)), "comorbidity",
                     id="individuell-vurdering-alvorlig-komorbiditet"),
    ],
)
def test_cart_individual_assessment(facts, code):
    result = cart(facts)
    assert result.verdict == CarTVerdict.INDIVIDUAL_ASSESSMENT
    assert str(status(result, code)) == "individual"


@pytest.mark.hazard("HAZ-100")
@pytest.mark.parametrize(
    ("fish", "verdict", "missing"),
    [
        # «Det må tas en ny FISH/TP53 mutasjonsanalyse av pasienter som skal vurderes for CAR-T etter siste
        # tilbakefall.»
        pytest.param(datetime.date(2026, 2, 28), CarTVerdict.UNDETERMINED, ("cytogenetics",),
                     id="ny-FISH-etter-siste-tilbakefall-dagen-før-teller-ikke"),
        pytest.param(RELAPSE, CarTVerdict.PRIORITISED, (), id="ny-FISH-etter-siste-tilbakefall-samme-dag"),
        pytest.param(None, CarTVerdict.UNDETERMINED, ("car_t.fish_tp53_date",), id="ny-FISH-dato-ukjent"),
    ],
)
def test_high_risk_needs_a_fish_after_the_last_relapse(fish, verdict, missing):
    result = cart(cart_facts(car_t=organ(fish_tp53_date=fish)))
    assert result.verdict == verdict
    assert result.missing == missing


def test_high_risk_the_relapse_date_unknown_asks_for_it():
    facts = cart_facts(history=(line(1, "Dara-VRd", refractory=("lenalidomide",)),))
    result = cart(facts)
    assert result.verdict == CarTVerdict.UNDETERMINED
    assert result.missing == ("treatment_history[0].progression_date",)


@pytest.mark.hazard("HAZ-100")
def test_cart_undetermined_lists_every_missing_fact_by_its_path():
    result = car_t_priority(PatientFacts(age=60, treatment_history=(line(1, "DRd"),)), high_risk=None)
    assert result.verdict == CarTVerdict.UNDETERMINED
    assert set(result.missing) == {
        "imaging.extramedullary_disease", "cytogenetics", "car_t.al_amyloidosis", "car_t.blood_plasma_cells_pct",
        "labs.egfr_ml_min", "car_t.lvef_pct", "car_t.spo2_room_air_pct", "car_t.liver_cirrhosis",
        "car_t.serious_comorbidity"}


def test_a_criterion_not_met_decides_even_with_facts_missing():
    facts = cart_facts(car_t=CarTFindings(lvef_pct=30))
    assert cart(facts).verdict == CarTVerdict.NOT_PRIORITISED


def test_high_risk_relapse_mentions_cart_deprioritised():
    advice = advise(relapse(LINE1_R), high_risk=True)
    assert "not prioritised for CAR-T" in notes(advice)


@settings(max_examples=100)
@given(facts=patient_facts, high_risk=st.none() | st.booleans(), egfr=st.none() | st.floats(min_value=0, max_value=200))
def test_car_t_never_raises(facts, high_risk, egfr):
    assert car_t_priority(facts, high_risk=high_risk, egfr_ml_min=egfr).verdict in CarTVerdict


@pytest.mark.hazard("HAZ-123")
def test_explicit_no_extramedullary_disease_does_not_override_an_extramedullary_plasmacytoma():
    """«Kjent ekstramedullær sykdom — Med ekstramedullær sykdom menes sann ekstramedullær sykdom (plasmacytomer ikke
    i relasjon til skjelett)»: a plasmacytoma recorded as extramedullary (not in bone) is that; an explicit «no»
    beside it disagrees — the criterion is not decided, listed with an Ambiguity, never «no known EMD»."""
    facts = cart_facts(imaging=Imaging(plasmacytoma=Plasmacytoma.EXTRAMEDULLARY, extramedullary_disease=False))
    result = cart(facts)
    assert result.verdict == CarTVerdict.UNDETERMINED
    assert str(status(result, "extramedullary")) == "unknown"
    assert result.missing == ("imaging.extramedullary_disease",)
    assert any("plasmacytomer ikke i relasjon til skjelett" in a.source_text for a in result.ambiguities)
    assert any("extramedullary plasmacytoma" in r for r in result.reasons)


@pytest.mark.hazard("HAZ-123")
def test_a_bone_plasmacytoma_with_no_extramedullary_disease_is_met():
    """«plasmacytomer ikke i relasjon til skjelett»: a plasmacytoma of bone is not extramedullary disease."""
    facts = cart_facts(imaging=Imaging(plasmacytoma=Plasmacytoma.BONE, extramedullary_disease=False))
    assert cart(facts).verdict == CarTVerdict.PRIORITISED


@pytest.mark.hazard("HAZ-124")
@pytest.mark.parametrize("regimen", [
    pytest.param("ukjent kur fra Sverige", id="fritekst-ukjent-kur"),
    pytest.param(None, id="linje-uten-kur-og-medikamenter"),
])
def test_a_line_whose_drugs_cannot_be_read_leaves_bcma_and_t_cell_engager_undecided(regimen):
    """«Tidligere bruk av BCMA-rettet behandling, inklusive, men ikke begrenset til, tidligere CAR-T, belantamab
    mafodotin, teklistamab og elranatamab» (not prioritised) and «Tidligere bruk av T-celle-engasjerende ikke-BCMA
    rettet behandling (f.eks. talkvetamab)» (individual): a line whose drugs are unknown may have been either, so
    neither is «no»."""
    facts = cart_facts(history=(line(1, "Dara-VRd"), line(2, regimen, progression_date=RELAPSE)))
    result = cart(facts)
    assert result.verdict == CarTVerdict.UNDETERMINED
    assert str(status(result, "earlier_bcma")) == "unknown"
    assert str(status(result, "non_bcma_t_cell_engager")) == "unknown"
    assert result.missing == ("treatment_history[1].drugs",)


@pytest.mark.hazard("HAZ-124")
def test_a_line_with_its_drugs_recorded_is_read():
    """A free-text regimen with its drugs recorded is read by its drugs: no BCMA-directed therapy → met."""
    facts = cart_facts(history=(line(1, "ukjent kur", drugs=("daratumumab", "lenalidomide", "dexamethasone"),
                                     progression_date=RELAPSE),))
    result = cart(facts)
    assert str(status(result, "earlier_bcma")) == "met"
    assert result.verdict == CarTVerdict.PRIORITISED


def test_no_blood_smear_asks_for_the_car_t_blood_smear_field():
    """«Det vil kreves et aktuelt blodutstryk som er vurdert til å ha <5 % plasmaceller i blod før henvisning»:
    the missing fact is the contract v1.1 CAR-T field for that smear, car_t.blood_plasma_cells_pct."""
    result = cart(cart_facts(labs=Labs()))
    assert str(status(result, "blood_smear")) == "unknown"
    assert result.missing == ("car_t.blood_plasma_cells_pct",)


@pytest.mark.parametrize("serious", [
    pytest.param(True, id="alvorlig-komorbiditet-ja"),
    pytest.param(False, id="alvorlig-komorbiditet-nei"),
])
def test_serious_comorbidity_shows_its_interpretation_as_an_ambiguity(serious):
    """«Komorbiditet: Annen alvorlig komorbiditet vil være ekskluderende for CAR-T behandling, men vurderes
    individuelt.»: «alvorlig» is not defined — the reading used is shown with the source text."""
    result = cart(cart_facts(car_t=organ(serious_comorbidity=serious)))
    (ambiguity,) = [a for a in result.ambiguities if "Annen alvorlig komorbiditet" in a.source_text]
    assert ambiguity.citation.detail == "Komorbiditet og organfunksjon"
    assert "vurderes individuelt" in ambiguity.interpretation


def test_arrhythmia_is_listed_as_not_assessed_and_lvef_does_not_claim_it():
    """«Hjertefunksjon: LVEF ≥ 40% og fravær av eller velbehandlet arytmi»: there is no arrhythmia input, so the
    met LVEF criterion must not read as if arrhythmia were checked, and a note says it is not assessed."""
    result = cart()
    lvef = next(c for c in result.criteria if c.code == "lvef")
    assert "arrhythmia" not in lvef.reason
    assert any(n.startswith("Not assessed") and "arytmi" in n for n in result.notes)
