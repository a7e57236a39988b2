"""«Strålebehandling» (guidelines/treatment/radiotherapy.py).

Expected values are the guideline's own words (row quoted in each id / comment), never copied from the code.
"""

import pytest

from guidelines.facts import CurrentTreatment, Emergency, Imaging, PatientFacts, Phase, Plasmacytoma, TreatmentLine
from guidelines.history import read_history
from guidelines.messages import Quote
from guidelines.treatment import RadiotherapyIndication, radiotherapy_advice
from guidelines.treatment.radiotherapy import indications
from tests.guidelines.treatment.helpers import advise, notes, ranked

# --- Solitary plasmacytoma (Strålebehandling) ------------------------------------------------------------------

def test_solitary_plasmacytoma_curative_doses():
    # "anbefalt dose er 2 Gy x 20 og ved plasmacytomer >5 cm vurderes gitt 2 Gy x 25"
    advice = advise(PatientFacts(age=60), "SOLITARY_PLASMACYTOMA")
    assert ranked(advice) == [("radiotherapy-2Gy-x20", 1), ("radiotherapy-2Gy-x25", 2)]
    assert "> 5 cm" in advice.options[1].note
    assert all(o.citation.section == "Strålebehandling" for o in advice.options)


@pytest.mark.parametrize(
    ("plasmacytoma", "extramedullary_note"),
    [
        pytest.param(Plasmacytoma.EXTRAMEDULLARY, True, id="ekstramedullært-plasmacytom-kurativ-ved-tvil"),
        pytest.param(Plasmacytoma.BONE, False, id="solitært-plasmacytom-i-ben"),
    ],
)
def test_extramedullary_plasmacytoma_note(plasmacytoma, extramedullary_note):
    facts = PatientFacts(age=60, imaging=Imaging(plasmacytoma=plasmacytoma))
    assert ("in doubt, give curative doses" in notes(advise(facts, "SOLITARY_PLASMACYTOMA"))) is extramedullary_note


# --- Radiotherapy and surgery («Situasjoner hvor strålebehandling, kirurgisk behandling og kjemoterapi vurderes») -

@pytest.mark.parametrize(
    ("indication", "regimens", "dose", "urgency", "text"),
    [
        # «Strålebehandling 3 Gy x10 startes innen 24 timer.» — «en medisinsk akuttsituasjon»
        pytest.param("spinal_cord_compression", ["radiotherapy-3Gy-x10"], "3 Gy × 10", "emergency", "within 24 hours",
                     id="truende-tverrsnittslesjon-3Gy-x10-innen-24t"),
        # «man kommer som regel til målet med enkel fraksjonering 8 Gy x 1»; «tradisjonelt gitt 20–30 Gy»
        pytest.param("painful_lesion", ["radiotherapy-8Gy-x1", "radiotherapy-20-30Gy"], "8 Gy × 1", "routine", "pain",
                     id="smertefulle-lesjoner-8Gy-x1-eller-20-30Gy"),
        # «Det er derfor vanlig å gi 3 Gy x 10 i denne situasjonen.»
        pytest.param("postoperative", ["radiotherapy-3Gy-x10"], "3 Gy × 10", "routine", "same time",
                     id="postoperativ-strålebehandling-3Gy-x10"),
        # «Strålebehandling med 3 Gy x 10 vil oftest være førstevalg, men stenting kan være aktuelt»
        pytest.param("space_occupying", ["radiotherapy-3Gy-x10"], "3 Gy × 10", "routine", "Stenting",
                     id="romoppfyllende-prosesser-3Gy-x10"),
        pytest.param("solitary_plasmacytoma", ["radiotherapy-2Gy-x20", "radiotherapy-2Gy-x25"], "2 Gy × 20",
                     "routine", "same time", id="solitært-plasmacytom-2Gy-x20-over-5cm-2Gy-x25"),
        # «rimelig å strålebehandle frakturer som ikke opereres» — no dose in the guideline
        pytest.param("unoperated_fracture", [], None, "routine", "no dose", id="fraktur-som-ikke-opereres"),
        # «Fraktur bør behandles kirurgisk hvis ortopedisk indikasjon.»
        pytest.param("fracture", [], None, "routine", "no dose", id="fraktur-kirurgi-ved-ortopedisk-indikasjon"),
        # «Kirurgi/strålebehandling er aktuelt» … «Det finnes ikke studier som viser at strålebehandling
        # forebygger fraktur.»
        pytest.param("impending_fracture", [], None, "routine", "prevents fracture", id="truende-fraktur"),
    ],
)
def test_radiotherapy(indication, regimens, dose, urgency, text):
    result = radiotherapy_advice(indication)
    assert [o.regimen for o in result.options] == regimens
    assert result.dose == dose and result.urgency == urgency
    assert text in " ".join(result.notes)


@pytest.mark.hazard("HAZ-101")
def test_spinal_cord_compression_mri_emergency_steroids_quoted():
    # «Pasienten bør startes raskt på steroider … Steroiddose dexametason 40 mg daglig i opptil 4 dager.»
    result = radiotherapy_advice(RadiotherapyIndication.SPINAL_CORD_COMPRESSION)
    text = " ".join(result.notes)
    assert "MRI of the spine as an emergency" in text and "within 24 hours" in text
    assert result.emergency and result.citation.detail == "Truende tverrsnittslesjon"
    assert "laminectomy" in result.surgery


@pytest.mark.hazard("HAZ-102")
def test_the_dexamethasone_dose_is_the_guidelines_own_words_not_engine_data():
    # a dose lives in the protocol library only: the engine quotes the guideline and writes no dose of its own
    steroids = radiotherapy_advice("spinal_cord_compression").notes[0]
    quotes = [v for v in steroids.params.values() if isinstance(v, Quote)]
    assert quotes == ["«Dexametason 40 mg x1 startes umiddelbart»",
                      "«Steroiddose dexametason 40 mg daglig i opptil 4 dager»"]
    assert "40 mg" not in steroids.template  # the number is in the quotes only


@pytest.mark.parametrize(
    ("indication", "words"),
    [
        pytest.param("impending_fracture", "orthopaedic surgeon and an oncologist",
                     id="truende-fraktur-diskuteres-med-ortoped-og-onkolog"),
        pytest.param("fracture", "surgery if orthopaedic indication", id="fraktur-ortopedisk-indikasjon"),
    ],
)
def test_fracture_surgery(indication, words):
    assert words in radiotherapy_advice(indication).surgery


@pytest.mark.parametrize(
    ("emergency", "expected"),
    [
        pytest.param(Emergency(spinal_cord_compression=True), ["spinal_cord_compression"],
                     id="truende-tverrsnittslesjon"),
        pytest.param(Emergency(painful_lesion=True), ["painful_lesion"], id="smertefulle-lesjoner"),
        pytest.param(Emergency(fracture=True, postoperative=True), ["postoperative"],
                     id="fraktur-operert-postoperativ-3Gy-x10"),
        pytest.param(Emergency(fracture=True, postoperative=False), ["fracture"], id="fraktur-ikke-operert"),
        pytest.param(Emergency(impending_fracture=True), ["impending_fracture"], id="truende-fraktur"),
        pytest.param(Emergency(space_occupying=True), ["space_occupying"], id="andre-romoppfyllende-prosesser"),
        pytest.param(Emergency(painful_lesion=True, spinal_cord_compression=True),
                     ["spinal_cord_compression", "painful_lesion"], id="akutt-først"),
        pytest.param(Emergency(spinal_cord_compression=False, painful_lesion=False), [], id="ingen-funn"),
        pytest.param(Emergency(), [], id="ukjent-er-ikke-ja"),
    ],
)
def test_indications_from_the_emergency_findings(emergency, expected):
    facts = PatientFacts(age=60, emergency=emergency)
    assert [str(a.indication) for a in indications(facts, read_history(facts))] == expected


def test_a_fracture_not_known_operated_asks_for_it():
    facts = PatientFacts(age=60, emergency=Emergency(fracture=True))
    (advice,) = indications(facts, read_history(facts))
    assert advice.missing == ("emergency.postoperative",)


@pytest.mark.parametrize(
    ("history", "reirradiation"),
    [
        # «Rebestråling … Hvis effekten tidligere har vært god og varig (>6–12 måneder), vil det som regel være
        # trygt og sannsynligvis nyttig å gi ny bestråling.»
        pytest.param((TreatmentLine(line=1, regimen="radiotherapy-8Gy-x1"),), True,
                     id="rebestråling-tidligere-stråling"),
        pytest.param((TreatmentLine(line=1, regimen="VRd-induction"),), False,
                     id="rebestråling-ingen-tidligere-stråling"),
    ],
)
def test_reirradiation_note(history, reirradiation):
    facts = PatientFacts(age=60, emergency=Emergency(painful_lesion=True), treatment_history=history)
    (advice,) = indications(facts, read_history(facts))
    assert any("re-irradiation" in n for n in advice.notes) is reirradiation


@pytest.mark.hazard("HAZ-103")
@pytest.mark.parametrize(
    ("phase", "text", "missing"),
    [
        # «Hvis pasienten får et nytt plasmacytom under behandling der det er god kontroll på den systemiske
        # sykdommen, anbefales stråling og kontinuering av den systemiske behandlingen.»
        pytest.param(Phase.MAINTENANCE, "radiotherapy and continue", (), id="nytt-plasmacytom-under-behandling"),
        pytest.param(Phase.INDUCTION, "radiotherapy and continue", (), id="nytt-plasmacytom-under-induksjon"),
        # «Hvis pasienten får et nytt plasmacytom i behandlingspause, anbefales restart av systemisk behandling»
        pytest.param(Phase.OFF_TREATMENT, "restart systemic treatment", (), id="nytt-plasmacytom-i-behandlingspause"),
        pytest.param(None, "not known", ("current_treatment.phase",), id="nytt-plasmacytom-ukjent"),
    ],
)
def test_relapse_plasmacytoma_during_treatment_or_in_a_pause(phase, text, missing):
    facts = PatientFacts(age=60, current_treatment=CurrentTreatment(phase=phase))
    (advice,) = indications(facts, read_history(facts), plasmacytoma_relapse=True)
    assert text in " ".join(advice.notes)
    assert advice.missing == missing


def test_relapse_plasmacytoma_with_systemic_progression_is_not_good_control():
    facts = PatientFacts(age=60, current_treatment=CurrentTreatment(phase=Phase.MAINTENANCE))
    (advice,) = indications(facts, read_history(facts), plasmacytoma_relapse=True, systemic_progression=True)
    assert "next line of treatment" in " ".join(advice.notes)


@pytest.mark.parametrize(
    ("size", "options"),
    [
        # «ved plasmacytomer >5 cm vurderes gitt 2 Gy x 25»
        pytest.param(5.0, [("radiotherapy-2Gy-x20", 1)], id="solitært-plasmacytom-5cm-2Gy-x20"),
        pytest.param(5.1, [("radiotherapy-2Gy-x20", 1), ("radiotherapy-2Gy-x25", 2)],
                     id="solitært-plasmacytom-over-5cm-vurder-2Gy-x25"),
        pytest.param(None, [("radiotherapy-2Gy-x20", 1), ("radiotherapy-2Gy-x25", 2)],
                     id="solitært-plasmacytom-størrelse-ukjent"),
    ],
)
def test_solitary_plasmacytoma_size(size, options):
    facts = PatientFacts(age=60, imaging=Imaging(plasmacytoma=Plasmacytoma.BONE, plasmacytoma_size_cm=size))
    advice = advise(facts, "SOLITARY_PLASMACYTOMA")
    assert ranked(advice) == options
    assert ("imaging.plasmacytoma_size_cm" in advice.missing) is (size is None)


@pytest.mark.parametrize(
    ("indication", "drugs_first"),
    [
        # «Generelt anbefales å prioritere medikamentell behandling for å spare benmargsreserver.»
        pytest.param("painful_lesion", True, id="rekkefølge-smertefulle-lesjoner-medikamenter-først"),
        pytest.param("impending_fracture", True, id="rekkefølge-truende-fraktur-medikamenter-først"),
        # the emergency is not delayed for it: «strålebehandling innen 1 døgn»
        pytest.param("spinal_cord_compression", False, id="rekkefølge-ikke-ved-tverrsnittslesjon"),
    ],
)
def test_drug_treatment_first_where_there_is_a_choice(indication, drugs_first):
    assert any("drug treatment comes first" in n for n in radiotherapy_advice(indication).notes) is drugs_first
