"""The nurse's pages name each drug as the dosing sheet and the plan page do (hazard HAZ-136): in bokmål
the Norwegian name of the guideline's tables («Bortezomib, lenalidomid, deksametason (VRd)»,
Handlingsprogram for myelomatose, «Induksjonsbehandlingen»), in English the INN; the links and the data keep
the code (core/messages.py ``drug_name``, the catalogue's translation of the drug ``Term``)."""

import re

import pytest
from django.urls import reverse

from tests.patients.plan_helpers import today, verified
from tests.personas import in_english, in_norwegian
from treatment_course import administer


def _item(plan, drug):
    return next(i for i, a in enumerate(administer.items(plan)) if a["date"] == today().isoformat()
                and a["drug"] == drug)


def _cells(html, testid):
    return [" ".join(re.sub(r"<[^>]+>", "", t).split()) for t in
            re.findall(rf'data-testid="{testid}"[^>]*>(.*?)</(?:td|h1)>', html, flags=re.S)]


@pytest.mark.hazard("HAZ-136")
def test_todays_treatments_name_the_drugs_in_norwegian_in_bokmal(client_for, nurse, released):
    html = in_norwegian(client_for(nurse)).get(reverse("course:today")).content.decode()
    assert sorted(_cells(html, "due-drug")) == ["bortezomib", "deksametason", "lenalidomid"]


@pytest.mark.hazard("HAZ-136")
def test_todays_treatments_name_the_drugs_by_their_inn_in_english(client_for, nurse, released):
    html = in_english(client_for(nurse)).get(reverse("course:today")).content.decode()
    assert sorted(_cells(html, "due-drug")) == ["bortezomib", "dexamethasone", "lenalidomide"]


@pytest.mark.hazard("HAZ-136")
@pytest.mark.parametrize(("drug", "norwegian"), [("lenalidomide", "lenalidomid"), ("dexamethasone", "deksametason")])
def test_the_administration_page_names_its_drug_as_the_sheet_does(client_for, nurse, released, drug, norwegian):
    url = reverse("course:administration", args=[released.patient_id, released.pk, _item(released, drug)])
    html = in_norwegian(client_for(nurse)).get(url).content.decode()
    (heading,) = _cells(html, "administration-drug")
    assert heading.startswith(f"{norwegian} ") and drug not in heading
    assert f"<title>{norwegian} ·" in html
    english = in_english(client_for(nurse)).get(url).content.decode()
    assert _cells(english, "administration-drug")[0].startswith(f"{drug} ")


@pytest.mark.hazard("HAZ-136")
def test_the_modify_page_names_the_drugs_in_norwegian_and_posts_the_code(client_for, physician, pharmacist,
                                                                         course_patient):
    plan = verified(physician, pharmacist, course_patient, start_date=today(), cycles=2)
    url = reverse("course:modify_plan", args=[plan.patient_id, plan.pk])
    html = in_norwegian(client_for(physician)).get(url).content.decode()
    levels = [" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in
              re.findall(r'data-testid="levels-[\w-]+"><td>(.*?)</td>', html, flags=re.S)]
    assert sorted(levels) == ["bortezomib", "deksametason", "lenalidomid"], levels
    options = dict(re.findall(r'<option value="([a-z ]+)"[^>]*>\s*(.*?)\s*</option>', html))
    assert options["lenalidomide"] == "lenalidomid" and options["dexamethasone"] == "deksametason", options
