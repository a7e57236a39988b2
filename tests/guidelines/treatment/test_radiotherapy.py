"""«Strålebehandling» (guidelines/treatment/radiotherapy.py).

Expected values are the guideline's own words (row quoted in each id / comment), never copied from the code.
"""

import pytest

from guidelines.facts import Imaging, PatientFacts, Plasmacytoma
from guidelines.treatment import RadiotherapyIndication, radiotherapy_advice
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


# --- Radiotherapy ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("indication", "regimens", "emergency", "text"),
    [
        pytest.param("spinal_cord_compression", ["radiotherapy-3Gy-x10"], True,
                     "Dexamethasone 40 mg × 1 started at once",
                     id="truende-tverrsnittslesjon-deksametason-3Gy-x10-innen-24t"),
        pytest.param("painful_lesion", ["radiotherapy-8Gy-x1", "radiotherapy-20-30Gy"], False, "pain",
                     id="smertefulle-lesjoner-8Gy-x1-eller-20-30Gy"),
        pytest.param("postoperative", ["radiotherapy-3Gy-x10"], False, "same time",
                     id="postoperativ-strålebehandling-3Gy-x10"),
        pytest.param("space_occupying", ["radiotherapy-3Gy-x10"], False, "Stenting",
                     id="romoppfyllende-prosesser-3Gy-x10"),
        pytest.param("solitary_plasmacytoma", ["radiotherapy-2Gy-x20", "radiotherapy-2Gy-x25"], False, "same time",
                     id="solitært-plasmacytom-2Gy-x20-over-5cm-2Gy-x25"),
        pytest.param("unoperated_fracture", [], False, "no dose", id="fraktur-som-ikke-opereres"),
    ],
)
def test_radiotherapy(indication, regimens, emergency, text):
    result = radiotherapy_advice(indication)
    assert [o.regimen for o in result.options] == regimens
    assert result.emergency is emergency
    assert text in " ".join(result.notes)


def test_spinal_cord_compression_mri_emergency():
    result = radiotherapy_advice(RadiotherapyIndication.SPINAL_CORD_COMPRESSION)
    text = " ".join(result.notes)
    assert "MRI of the spine as an emergency" in text and "within 24 hours" in text
    assert result.citation.detail == "Truende tverrsnittslesjon"


@pytest.mark.parametrize(
    ("on_treatment", "text"),
    [
        pytest.param(True, "radiotherapy and continue", id="nytt-plasmacytom-under-behandling"),
        pytest.param(False, "restart systemic treatment", id="nytt-plasmacytom-i-behandlingspause"),
        pytest.param(None, "not known", id="nytt-plasmacytom-ukjent"),
    ],
)
def test_relapse_plasmacytoma(on_treatment, text):
    result = radiotherapy_advice("relapse_plasmacytoma", on_systemic_treatment=on_treatment)
    assert text in " ".join(result.notes)
