"""Forms refuse bad input with a message on the offending field."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import override

from patients import forms
from tests.patients.factories import ANNE_ID

TODAY = timezone.localdate().isoformat()
TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def errors(form):
    assert not form.is_valid()
    return form.errors


@pytest.mark.parametrize("national_id, words", [
    ("14836141212", "check digits"),
    ("1483614121", "11 digits"),
    ("abcdefghijk", "11 digits"),
], ids=["bad check digit", "10 digits", "letters"])
def test_patient_form_invalid_national_id(db, national_id, words):
    with override("en"):
        assert words in errors(forms.PatientForm({"name": "X", "national_id": national_id}))["national_id"][0]


@pytest.mark.hazard("HAZ-001")
def test_patient_form_duplicate_national_id(patient):
    with override("en"):
        message = errors(forms.PatientForm({"name": "X", "national_id": ANNE_ID}))["national_id"][0]
    assert "already registered" in message


def test_patient_form_valid(db):
    form = forms.PatientForm({"name": "X", "national_id": "148361 41211"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["national_id"] == ANNE_ID


@pytest.mark.hazard("HAZ-003")
@pytest.mark.parametrize("data, field", [
    ({"weight_kg": "19"}, "weight_kg"),
    ({"weight_kg": "351"}, "weight_kg"),
    ({"height_cm": "99"}, "height_cm"),
    ({"height_cm": "231"}, "height_cm"),
    ({"height_cm": "1.75"}, "height_cm"),
    ({"date": TOMORROW, "weight_kg": "70"}, "date"),
    ({"weight_kg": "abc"}, "weight_kg"),
], ids=["weight 19 kg", "weight 351 kg", "height 99 cm", "height 231 cm", "height in metres", "future date",
        "not a number"])
def test_height_weight_form_refuses(patient, data, field):
    form = forms.HeightWeightForm({"date": TODAY, **data}, patient=patient)
    assert field in errors(form)


@pytest.mark.hazard("HAZ-002")
@pytest.mark.parametrize("analyte, value, expected", [
    ("creatinine", "1.1", "µmol/L"),
    ("hemoglobin", "125", "g/dL"),
    ("calcium", "10.2", "mmol/L"),
    ("albumin", "4.0", "g/L"),
    ("creatinine", "3000", "physiological range"),
    ("hemoglobin", "2.0", "physiological range"),
    ("m_protein", "200", "physiological range"),
    ("platelets", "-5", "negative"),
    ("flc_kappa", "0", "physiological range"),
], ids=["creatinine looks like mg/dL", "Hb looks like g/L", "calcium looks like mg/dL", "albumin looks like g/dL",
        "creatinine too high", "Hb too low", "M-protein too high", "negative platelets", "kappa zero"])
def test_lab_form_refuses_unit_and_range(patient, analyte, value, expected):
    with override("en"):
        form = forms.LabResultForm({"date": TODAY, "analyte": analyte, "value": value}, patient=patient)
        message = errors(form)["value"][0]
    assert expected in message


def test_lab_form_shows_units_in_analyte_choices(patient):
    labels = [str(label) for _code, label in forms.LabResultForm(patient=patient).fields["analyte"].choices]
    assert any("µmol/L" in label for label in labels) and any("g/dL" in label for label in labels)


def test_lab_form_refuses_future_date(patient):
    form = forms.LabResultForm({"date": TOMORROW, "analyte": "creatinine", "value": "90"}, patient=patient)
    assert "date" in errors(form)


def test_lab_form_refuses_limits_upside_down(patient):
    form = forms.LabResultForm({"date": TODAY, "analyte": "calcium", "value": "2.4", "lower_limit": "2.6",
                                "upper_limit": "2.2"}, patient=patient)
    assert "upper_limit" in errors(form)


def test_lab_form_valid(patient):
    form = forms.LabResultForm({"date": TODAY, "analyte": "creatinine", "value": "97"}, patient=patient)
    assert form.is_valid(), form.errors


def test_marrow_form_refuses_over_100(patient):
    assert "clonal_plasma_cells_pct" in errors(forms.MarrowForm({"date": TODAY, "clonal_plasma_cells_pct": "120"},
                                                                patient=patient))


def test_imaging_form_refuses_empty(patient):
    assert "__all__" in errors(forms.ImagingForm({"date": TODAY}, patient=patient))


@pytest.mark.hazard("HAZ-010")
def test_cytogenetics_form_tristate_unknown_stays_none(patient):
    form = forms.CytogeneticsForm({"date": TODAY, "t11_14": "true", "del17p": "unknown"}, patient=patient)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["t11_14"] is True and form.cleaned_data["del17p"] is None


def test_poems_form_endocrinopathy_not_assessed_is_none(patient):
    form = forms.PoemsForm({"date": TODAY, "polyneuropathy": "true"}, patient=patient)
    assert form.is_valid(), form.errors
    assert form.action_kwargs()["endocrinopathy"] is None


def test_treatment_line_form_refractory_drug_not_in_line(patient):
    form = forms.TreatmentLineForm({"line": "1", "regimen": "VRd-induction", "drugs": ["bortezomib"],
                                    "refractory_to": ["pomalidomide"], "start_date": TODAY}, patient=patient)
    assert "refractory_to" in errors(form)


def test_treatment_line_form_future_start(patient):
    form = forms.TreatmentLineForm({"line": "1", "regimen": "DRd", "drugs": ["daratumumab"],
                                    "start_date": TOMORROW}, patient=patient)
    assert "start_date" in errors(form)


@pytest.mark.parametrize("progression, field", [
    pytest.param(TOMORROW, "progression_date", id="progression-in-the-future"),
    pytest.param("2020-01-01", "progression_date", id="progression-before-the-line-started"),
])
def test_treatment_line_form_progression_date_errors(patient, progression, field):
    form = forms.TreatmentLineForm({"line": "1", "regimen": "DRd", "drugs": ["daratumumab"], "start_date": TODAY,
                                    "progression_date": progression}, patient=patient)
    assert field in errors(form)


def test_treatment_line_form_accepts_a_progression_date(patient):
    form = forms.TreatmentLineForm({"line": "1", "regimen": "DRd", "drugs": ["daratumumab"], "start_date": TODAY,
                                    "progression_date": TODAY}, patient=patient)
    assert form.is_valid(), form.errors


def test_clinical_status_form_refuses_empty(patient):
    assert "__all__" in errors(forms.ClinicalStatusForm({"date": TODAY}, patient=patient))



# --- numbers typed with either separator; unit mistakes answered in Norwegian (issue 12 item 4) ---


@pytest.mark.hazard("HAZ-058")
@pytest.mark.parametrize("analyte, value, words", [
    ("creatinine", "1,1", "Kreatinin: 1,1 ser ut som en verdi i mg/dL, ikke i µmol/L. Oppgi verdien i µmol/L"),
    ("creatinine", "0.9", "Kreatinin: 0,9 ser ut som en verdi i mg/dL, ikke i µmol/L."),
    ("hemoglobin", "124", "Hemoglobin: 124 ser ut som en verdi i g/L, ikke i g/dL. Oppgi verdien i g/dL"),
    ("calcium", "10,2", "10,2 ser ut som en verdi i mg/dL, ikke i mmol/L"),
    ("creatinine", "3000", "Kreatinin: 3000 µmol/L er utenfor det fysiologiske området 20–2500 µmol/L."),
    ("flc_kappa", "0", "er utenfor det fysiologiske området 0,1–100000 mg/L"),
    ("platelets", "-5", "Trombocytter: verdien kan ikke være negativ (enhet 10⁹/L)."),
], ids=["creatinine in mg/dL, comma", "creatinine in mg/dL, point", "Hb in g/L", "calcium in mg/dL",
        "creatinine too high", "kappa zero", "negative platelets"])
def test_lab_form_names_the_field_and_the_unit_mistake_in_norwegian(patient, analyte, value, words):
    with override("nb"):
        form = forms.LabResultForm({"date": TODAY, "analyte": analyte, "value": value}, patient=patient)
        message = errors(form)["value"][0]
    assert words in message, message


@pytest.mark.hazard("HAZ-058")
def test_height_in_metres_is_answered_in_norwegian_with_a_decimal_comma(patient):
    with override("nb"):
        form = forms.HeightWeightForm({"date": TODAY, "height_cm": "1,8"}, patient=patient)
        message = errors(form)["height_cm"][0]
        too_precise = errors(forms.HeightWeightForm({"date": TODAY, "height_cm": "1,75"}, patient=patient))
    assert message == ("1,8 cm er ikke en plausibel høyde for en voksen (100–230 cm). Oppgi høyden i "
                       "centimeter."), message
    assert too_precise["height_cm"] == ["Høyde (cm): for mange desimaler; feltet tar høyst 1."]


@pytest.mark.hazard("HAZ-056")
@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("separator", [",", "."], ids=["comma", "point"])
@pytest.mark.parametrize(("form_class", "data", "field", "meant"), [
    (forms.HeightWeightForm, {"weight_kg": "72{}5"}, "weight_kg", "72.5"),
    (forms.HeightWeightForm, {"height_cm": "172{}5"}, "height_cm", "172.5"),
    (forms.LabResultForm, {"analyte": "calcium", "value": "2{}41", "lower_limit": "2{}15", "upper_limit": "2{}51"},
     "value", "2.41"),
    (forms.LabResultForm, {"analyte": "hemoglobin", "value": "11{}5"}, "value", "11.5"),
    (forms.MarrowForm, {"clonal_plasma_cells_pct": "12{}5"}, "clonal_plasma_cells_pct", "12.5"),
], ids=["weight", "height", "calcium with limits", "haemoglobin", "marrow"])
def test_every_decimal_field_reads_both_separators(patient, language, separator, form_class, data, field, meant):
    from decimal import Decimal

    typed = {name: text.format(separator) for name, text in data.items()}
    with override(language):
        form = form_class({"date": TODAY, **typed}, patient=patient)
        assert form.is_valid(), form.errors
    assert form.cleaned_data[field] == Decimal(meant)
    if "lower_limit" in data:
        assert (form.cleaned_data["lower_limit"], form.cleaned_data["upper_limit"]) == (Decimal("2.15"),
                                                                                        Decimal("2.51"))


@pytest.mark.hazard("HAZ-056")
def test_treatment_line_months_read_both_separators(patient):
    from decimal import Decimal

    for typed in ("14,5", "14.5"):
        form = forms.TreatmentLineForm({"line": "1", "regimen": "VRd", "drugs": ["bortezomib"],
                                        "start_date": "2020-01-01", "autologous_transplant": "true",
                                        "transplant_date": "2020-06-01",
                                        "months_from_transplant_to_progression": typed}, patient=patient)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["months_from_transplant_to_progression"] == Decimal("14.5")


@pytest.mark.hazard("HAZ-057")
def test_an_ambiguous_weight_is_refused_in_norwegian_naming_the_field(patient):
    with override("nb"):
        form = forms.HeightWeightForm({"date": TODAY, "weight_kg": "1.234,5"}, patient=patient)
        message = errors(form)["weight_kg"][0]
    assert message.startswith("Vekt (kg): «1.234,5» har mer enn ett skilletegn."), message


@pytest.mark.hazard("HAZ-056")
def test_no_form_of_the_record_or_the_plans_has_a_number_input(patient):
    """Every numeric field of patients/forms.py is a text input read by core/forms.py (a new form
    that declares a plain FloatField or a model form without ObservationForm.Meta fails here)."""
    import inspect

    from core.forms import LocalizedDecimalField, LocalizedFloatField, LocalizedIntegerField

    found = {}
    for name, form_class in inspect.getmembers(forms, inspect.isclass):
        if not issubclass(form_class, forms.forms.BaseForm) or form_class.__module__ != forms.__name__:
            continue
        fields = form_class.base_fields
        for field_name, field in fields.items():
            if field.widget.is_hidden or not isinstance(field, (forms.forms.DecimalField, forms.forms.FloatField,
                                                                forms.forms.IntegerField)):
                continue
            found[f"{name}.{field_name}"] = isinstance(
                field, LocalizedDecimalField | LocalizedFloatField | LocalizedIntegerField
            ) and field.widget.input_type == "text"
    assert found and all(found.values()), found
    assert {"HeightWeightForm.weight_kg", "LabResultForm.value", "PlanForm.cycles",
            "MarrowForm.clonal_plasma_cells_pct", "TreatmentLineForm.months_from_transplant_to_progression",
            "ImagingForm.lytic_lesions"} <= set(found)


def test_a_refused_height_or_weight_is_not_reported_as_missing(patient):
    """«1.234,5» in the weight is that field's error, not «Enter a height, a weight or both»."""
    with override("en"):
        form = forms.HeightWeightForm({"date": TODAY, "weight_kg": "1.234,5"}, patient=patient)
        found = errors(form)
    assert set(found) == {"weight_kg"}, found
    with override("en"):
        missing = [str(m) for m in errors(forms.HeightWeightForm({"date": TODAY}, patient=patient))["__all__"]]
    assert missing == ["Enter a height, a weight or both."]
