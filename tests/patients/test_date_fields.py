"""Every date field of the record's, the plan's and the course's forms is a text field read day first
(core/forms.py ``LocalizedDateField``; hazard HAZ-135): a plan started «05.01.2026» starts on 5 January
2026 in either language, never on 1 May, and «31.02.2026» is refused naming the field, never 3 March."""

import datetime as dt
import inspect
import re

import pytest
from django import forms as django_forms
from django.urls import reverse
from django.utils import translation

from core.forms import LocalizedDateField
from patients import course_forms, findings_forms, forms, labforms
from patients.models import HeightWeight, TreatmentPlan

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_every_date_field_of_the_forms_is_a_text_field_read_day_first():
    """A new form that declares a plain DateField, or a model form without ObservationForm.Meta, fails here."""
    found = {}
    for module in (forms, labforms, course_forms, findings_forms):
        for name, form_class in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form_class, django_forms.BaseForm) or form_class.__module__ != module.__name__:
                continue
            for field_name, field in form_class.base_fields.items():
                if isinstance(field, django_forms.DateField):
                    found[f"{name}.{field_name}"] = isinstance(field, LocalizedDateField)
    assert found and all(found.values()), found
    assert {"PlanForm.start_date", "PlanReviseForm.start_date", "AssessmentDateForm.as_of", "HeightWeightForm.date",
            "TreatmentLineForm.start_date", "TreatmentLineForm.progression_date", "LabPanelForm.date",
            "EndCourseForm.end_date", "LabResultCorrectionForm.date", "SkeletalFindingsForm.date"} <= set(found)


@pytest.mark.hazard("HAZ-135")
@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("typed", ["05.01.2026", "5.1.2026", "2026-01-05"])
def test_a_plan_start_date_typed_day_first_is_cycle_1_day_1_on_5_january(client_for, physician, vrd_patient,
                                                                         language, typed):
    """The dosing preview dates cycle 1 day 1 on the start date: 05.01.2026 (a Monday)."""
    url = reverse("patients:plan_new", args=[vrd_patient.pk])
    with translation.override(language):
        response = client_for(physician).get(url, {"regimen": "VRd-induction", "start_date": typed, "cycles": "1",
                                                   "bsa_formula": "mosteller"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="grid-dose"' in html
    field = re.search(r'<input type="text" name="start_date"[^>]*>', html).group(0)
    assert 'value="05.01.2026"' in field and "is-invalid" not in field
    assert "05.01.2026" in html.split('id="plan-editor"', 1)[1]  # the sheet's day 1
    assert "01.05.2026" not in html


@pytest.mark.hazard("HAZ-135")
def test_a_plan_with_an_impossible_start_date_is_refused_and_not_saved(client_for, physician, vrd_patient):
    url = reverse("patients:plan_new", args=[vrd_patient.pk])
    with translation.override("nb"):
        response = client_for(physician).post(url, {"regimen": "VRd-induction", "start_date": "31.02.2026",
                                                    "cycles": "1", "bsa_formula": "mosteller"})
    html = response.content.decode()
    assert response.status_code == 200
    assert ("Startdato (syklus 1 dag 1): «31.02.2026» er ikke en dato i kalenderen" in html
            or "Start date (cycle 1 day 1): «31.02.2026» is not a date in the calendar" in html), html
    assert not TreatmentPlan.objects.exists()


@pytest.mark.hazard("HAZ-135")
@pytest.mark.parametrize("typed", ["05.01.2026", "2026-01-05"])
def test_a_record_date_typed_day_first_or_iso_is_stored_as_5_january(client_for, nurse, patient, typed):
    url = reverse("patients:record", args=[patient.pk, "height-weight"])
    response = client_for(nurse).post(url, {"date": typed, "weight_kg": "72,5"})
    assert response.status_code in (200, 302)
    assert HeightWeight.objects.get(patient=patient).date == dt.date(2026, 1, 5)


@pytest.mark.hazard("HAZ-135")
def test_a_record_date_month_first_is_refused_naming_the_field(client_for, nurse, patient):
    url = reverse("patients:record", args=[patient.pk, "height-weight"])
    with translation.override("nb"):
        response = client_for(nurse).post(url, {"date": "01/05/2026", "weight_kg": "72,5"})
    html = response.content.decode()
    assert "skriv datoen som dd.mm.åååå" in html or "write the date as dd.mm.yyyy" in html, html
    assert not HeightWeight.objects.filter(patient=patient).exists()
