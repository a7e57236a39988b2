"""The patient's words for the library (regimens/patient_words.py): a Norwegian name for every drug of every
protocol file, and the support medicines exactly where a regimen's «Støttebehandling» names them
(Handlingsprogram for myelomatose 1.2, the regimen tables' «Støttebehandling» and «Spesielle anbefalinger
mot øyebivirkningene»)."""

import pytest

from regimens.patient_words import DRUG_NAMES, SUPPORT_MEDICINES, drug_name, label_words, support_medicines
from tests.regimens.protocol_library import protocols

LIBRARY_DRUGS = sorted({line.drug for p in protocols().values()
                        for line in (*p.drugs, *(d for phase in p.phases for d in phase.drugs))})


@pytest.mark.hazard("HAZ-090")
@pytest.mark.parametrize("drug", LIBRARY_DRUGS)
def test_every_drug_in_the_library_has_a_norwegian_patient_name(drug):
    assert drug in DRUG_NAMES, f"{drug}: no Norwegian name for the patient calendar (regimens/patient_words.py)"


@pytest.mark.parametrize(("code", "name"), [
    ("lenalidomide", "Lenalidomid"), ("dexamethasone", "Deksametason"), ("pomalidomide", "Pomalidomid"),
    ("carfilzomib", "Karfilzomib"), ("isatuximab", "Isatuksimab"), ("cyclophosphamide", "Cyklofosfamid"),
    ("melphalan", "Melfalan"), ("talquetamab", "Talkvetamab"), ("teclistamab", "Teklistamab"),
])
def test_norwegian_names(code, name):
    assert drug_name(code) == name


def test_step_up_labels_read_as_the_guidelines_opptrapping():
    assert label_words("step-up 2") == "opptrappingsdose 2"
    assert label_words("x 4 daily") == "4 ganger daglig"  # the engine's label for mesna «x 4»
    assert label_words("") == ""


# (protocol code, the support medicines its «Støttebehandling» text names), read from the guideline's tables
SUPPORT = [
    ("VRd-induction", ["valaciclovir", "aspirin"]),  # «valaciklovir 250 mg x 2 … acetylsalisylsyre 75 mg x 1»
    ("R-maintenance", ["aspirin"]),  # «Husk tromboseprofylakse med acetylsalisylsyre 75 mg x 1»
    ("Isa-Kd", ["valaciclovir"]),  # no IMiD: no thromboprophylaxis in its table
    ("BVd", ["valaciclovir", "eye_drops"]),  # «kunstig tårevæske uten konserveringsmiddel … minst 4 ganger»
    ("BPd", ["valaciclovir", "aspirin", "eye_drops"]),
    ("teclistamab", ["valaciclovir", "co_trimoxazole"]),  # «bactrim 2 tabletter 3 ganger ukentlig»
    ("Mel-HMAS", ["valaciclovir"]),
    ("Ven-Dex", []),
]


@pytest.mark.hazard("HAZ-092")
@pytest.mark.parametrize(("code", "expected"), SUPPORT, ids=[row[0] for row in SUPPORT])
def test_support_medicines_are_those_the_regimens_text_names(code, expected):
    assert [m.key for m in support_medicines(protocols()[code].supportive_care)] == expected


@pytest.mark.hazard("HAZ-092")
def test_every_support_medicine_is_named_by_some_regimen_of_the_library():
    named = {m.key for p in protocols().values() for m in support_medicines(p.supportive_care)}
    assert named == {m.key for m in SUPPORT_MEDICINES}


def test_a_duration_the_guideline_gives_is_kept():
    (valaciclovir,) = support_medicines(protocols()["Mel-HMAS"].supportive_care)
    assert valaciclovir.notes == ("Tas til 3 måneder etter høydosebehandlingen (HMAS).",)
