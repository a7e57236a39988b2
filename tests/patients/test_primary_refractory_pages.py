"""Issue 13 item 2 on the patient pages: the treatment-history form records «Primært refraktær sykdom»'s
progression in induction, patients/facts.py hands it to the engine, and the assessment page shows the row."""

import pytest
from django.urls import reverse

from guidelines.facts import ProgressionInInduction
from patients import assessment, forms
from patients.facts import facts_for
from tests.patients.assessment_helpers import NEW_BONE_LESION, seed
from tests.personas import in_english


def _induction_without_hmas(where):
    patient = seed("RELAPSE_LINE_2 lenalidomide-refractory", imaging=NEW_BONE_LESION)
    # test setup: the seeded line 1 as an induction without HMAS (records change through versions in the app)
    patient.treatmentline_set.update(regimen="VRd-induction", autologous_transplant=False, transplant_date=None,
                                     months_from_transplant_to_progression=None, progression_in_induction=where)
    return patient


@pytest.mark.django_db
def test_the_form_offers_the_three_rows_and_unknown():
    patient = seed("RELAPSE_LINE_2 lenalidomide-refractory")
    choices = dict(forms.TreatmentLineForm(patient=patient).fields["progression_in_induction"].choices)
    assert set(choices) == {"", "early", "late", "none"}


@pytest.mark.django_db
def test_facts_read_progression_in_induction():
    patient = _induction_without_hmas("early")
    (line,) = facts_for(patient)[0].treatment_history
    assert line.progression_in_induction is ProgressionInInduction.EARLY


@pytest.mark.hazard("HAZ-114")
@pytest.mark.django_db
def test_assessment_page_shows_go_quickly_to_hmas(client_for, physician):
    # «For pasienter som har progresjon sent i induksjonsbehandling => Gå raskt til HMAS»
    patient = _induction_without_hmas("late")
    assert assessment.assess(patient)["treatment"]["first"] == ["Mel-HMAS"]
    page = in_english(client_for(physician)).get(reverse("patients:assessment", args=[patient.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "go quickly to HMAS" in text and "Primært refraktær sykdom" in text
