"""One name per drug on every page and paper (hazard HAZ-136): the dosing sheet, the plan page, the nurse's
pages and the assessment page all name a drug through core/messages.py ``drug_name`` (the catalogue's
translation of the drug ``Term``: lenalidomid, deksametason …), never the English INN in bokmål, and that
name is the one the patient calendar prints (regimens/patient_words.py, from the guideline's own words:
Handlingsprogram for myelomatose writes «Bortezomib, lenalidomid, deksametason (VRd)»)."""

import pytest
from django.utils import translation

from core.messages import drug_name, render_param
from guidelines.messages import Term
from regimens import sheet_pages
from regimens.patient_words import DRUG_NAMES
from tests.regimens.protocol_library import protocols

LIBRARY_DRUGS = sorted({line.drug for p in protocols().values()
                        for line in (*p.drugs, *(d for phase in p.phases for d in phase.drugs))})

# Cyclophosphamide is «cyklofosfamid» in the catalogue as in the guideline (13 times) and the patient calendar.


@pytest.mark.hazard("HAZ-136")
@pytest.mark.parametrize("drug", LIBRARY_DRUGS)
def test_every_library_drug_has_a_norwegian_name_in_bokmal_and_its_inn_in_english(drug):
    with translation.override("en"):
        assert drug_name(drug) == drug  # the INN, as the API and the snapshots keep it
    with translation.override("nb"):
        assert drug_name(drug) == render_param(Term(drug))  # the assessment page's name of the drug
        assert sheet_pages.drug_name is drug_name  # the sheet's grid and working use the same function


@pytest.mark.hazard("HAZ-136")
@pytest.mark.parametrize("drug", LIBRARY_DRUGS)
def test_the_sheet_and_the_patient_calendar_name_a_drug_alike(drug):
    """The calendar's name may carry a brand or an abbreviation in brackets («Mesna (Uromitexan)»,
    «Filgrastim (G-CSF)»); the drug's name itself is the same word."""
    calendar = DRUG_NAMES[drug].split(" (")[0].lower()
    with translation.override("nb"):
        assert drug_name(drug).lower() == calendar


@pytest.mark.parametrize(("drug", "norwegian"), [
    ("lenalidomide", "lenalidomid"), ("dexamethasone", "deksametason"), ("bortezomib", "bortezomib"),
    ("pomalidomide", "pomalidomid"), ("carfilzomib", "karfilzomib"), ("isatuximab", "isatuksimab"),
    ("melphalan", "melfalan"), ("talquetamab", "talkvetamab"), ("teclistamab", "teklistamab"),
    ("venetoclax", "venetoklaks"),
])
def test_norwegian_drug_names_as_the_guideline_writes_them(drug, norwegian):
    with translation.override("nb"):
        assert drug_name(drug) == norwegian


def test_a_drug_the_catalogue_does_not_hold_prints_as_written():
    with translation.override("nb"):
        assert drug_name("ny-testsubstans") == "ny-testsubstans" and drug_name("") == ""


@pytest.mark.hazard("HAZ-136")
def test_the_record_forms_show_the_drug_name_and_post_the_code():
    from patients.forms import DRUG_CHOICES

    with translation.override("nb"):
        labels = {code: str(label) for code, label in DRUG_CHOICES}
    assert labels["lenalidomide"] == "lenalidomid" and labels["dexamethasone"] == "deksametason"


@pytest.mark.hazard("HAZ-136")
def test_the_protocol_page_names_its_drugs_in_norwegian_in_bokmal(client_for, physician, vrd):
    import re

    from django.urls import reverse

    from tests.personas import in_norwegian

    html = in_norwegian(client_for(physician)).get(reverse("regimens:detail", args=["T-VRd"])).content.decode()
    cells = [re.sub(r"<[^>]+>", "", c).split()[0] for c in re.findall(r'data-testid="protocol-drug">(.*?)</td>', html)]
    assert sorted(set(cells)) == ["bortezomib", "deksametason", "lenalidomid"], cells
