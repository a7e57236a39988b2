"""Hypothesis on every form of patients/forms.py.

- Arbitrary POST data (junk text, decimal commas, NUL, huge exponents, impossible
  dates, unknown choices, several values for one field) never makes cleaning raise:
  ``is_valid()`` answers True or False, and an invalid form names its errors.
- Nothing is saved by cleaning, and an invalid form cannot be saved.
- Valid input built from the accepted ranges (the lab catalogue's physiological
  ranges, patients/labcatalogue.py; the models' plausible height and weight;
  percentages 0–100; the guideline's drug and response codes) is accepted.
"""

import datetime
import os
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidelines.facts import DRUGS, ENDOCRINOPATHIES
from patients import forms, identity, labcatalogue, models
from tests.junk import JUNK

# FUZZ_EXAMPLES=2000 FUZZ_RANDOM=1 digs deeper locally; CI runs a fixed, reproducible sample.
pytestmark = pytest.mark.fuzz

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
                derandomize=not os.environ.get("FUZZ_RANDOM"), database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TODAY = timezone.localdate()


def post(data):
    """A form POST as Django builds it: every field a list of strings."""
    query = QueryDict(mutable=True)
    for name, values in data.items():
        query.setlist(name, values)
    return query


def junk_for(field_names):
    return st.fixed_dictionaries({}, optional={name: st.lists(JUNK, min_size=1, max_size=3) for name in field_names})


PATIENT_FORMS = [
    forms.HeightWeightForm, forms.LabResultForm, forms.MarrowForm, forms.ImagingForm, forms.CytogeneticsForm,
    forms.PoemsForm, forms.TreatmentLineForm, forms.TreatmentLineUpdateForm, forms.ClinicalStatusForm,
]
ALL_MODELS = [models.Patient, models.HeightWeight, models.LabResult, models.MarrowFinding, models.ImagingFinding,
              models.CytogeneticsResult, models.PoemsFindings, models.TreatmentLine, models.ClinicalStatus]


def counts():
    return [m.objects.count() for m in ALL_MODELS]


def check_arbitrary(form):
    before = counts()
    valid = form.is_valid()  # any exception here is a 500 for the user
    assert counts() == before, "cleaning saved something"
    if not valid:
        assert form.errors
        if hasattr(form, "save"):
            with pytest.raises(ValueError):
                form.save()
    assert counts() == before


@pytest.mark.hazard("HAZ-002", "HAZ-016")
@pytest.mark.parametrize("form_class", PATIENT_FORMS, ids=lambda c: c.__name__)
def test_patient_observation_forms_never_raise_on_arbitrary_input(patient, form_class):
    @FUZZ
    @given(data=junk_for(list(form_class(patient=patient).fields)))
    def run(data):
        check_arbitrary(form_class(post(data), patient=patient))

    run()


@pytest.mark.hazard("HAZ-016")
@pytest.mark.parametrize("form_class", [forms.PatientForm, forms.SearchForm], ids=lambda c: c.__name__)
def test_patient_and_search_forms_never_raise_on_arbitrary_input(db, patient, form_class):
    @FUZZ
    @given(data=junk_for(list(form_class().fields)))
    def run(data):
        check_arbitrary(form_class(post(data)))

    run()


# ---------------------------------------------------------------- valid input is accepted


def dates_since(start):
    return st.dates(min_value=start, max_value=TODAY)


def decimals(low, high, places):
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=places)


def assert_accepted(form):
    before = counts()
    assert form.is_valid(), form.errors.as_json()
    assert counts() == before


@st.composite
def national_ids(draw):
    born = draw(st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(1999, 12, 31)))
    individual = draw(st.integers(0, 499))  # 000–499: born 1900–1999
    try:
        return identity.make(born, individual, synthetic=draw(st.booleans()))
    except identity.InvalidNationalId:
        return identity.make(datetime.date(1961, 3, 14), 412, synthetic=True)


@pytest.mark.hazard("HAZ-001")
def test_patient_form_accepts_valid_national_ids(db):
    @FUZZ
    @given(nid=national_ids(), spaced=st.booleans())
    def run(nid, spaced):
        typed = f"{nid[:6]} {nid[6:]}" if spaced else nid
        form = forms.PatientForm(post({"name": ["Test Testesen"], "national_id": [typed]}))
        assert_accepted(form)
        assert form.cleaned_data["national_id"] == nid

    run()


@pytest.mark.hazard("HAZ-003")
def test_height_weight_form_accepts_plausible_adult_values(patient):
    @FUZZ
    @given(day=dates_since(patient.birth_date), height=decimals(100, 230, 1), weight=decimals(20, 350, 1))
    def run(day, height, weight):
        form = forms.HeightWeightForm(post({"date": [day.isoformat()], "height_cm": [str(height)],
                                            "weight_kg": [str(weight)]}), patient=patient)
        assert_accepted(form)
        assert (form.cleaned_data["height_cm"], form.cleaned_data["weight_kg"]) == (height, weight)

    run()


def typed(value):
    """``value`` as a person types it who reads the form's rule (core/forms.py): no trailing zeros
    of the decimals, and a zero added where exactly three decimals after one to three digits could be
    read as a thousands separator («1.234» is typed «1.2340»)."""
    text = format(value.normalize(), "f") if value else "0"
    whole, _dot, fraction = text.partition(".")
    return text + "0" if len(fraction) == 3 and 1 <= len(whole) <= 3 and whole[0] != "0" else text


@st.composite
def lab_results(draw, birth_date):
    code = draw(st.sampled_from(sorted(labcatalogue.ANALYTES)))
    low, high = labcatalogue.ANALYTES[code].plausible
    value = draw(st.decimals(min_value=low, max_value=high, places=3))
    data = {"date": [draw(dates_since(birth_date)).isoformat()], "analyte": [code], "value": [typed(value)]}
    if code == "m_protein":
        data["isotype"] = [draw(st.sampled_from(["", *models.IsotypeChoice.values]))]
    if draw(st.booleans()):
        lower = draw(decimals(0, 1000, 3))
        data["lower_limit"] = [typed(lower)]
        data["upper_limit"] = [typed(lower + draw(decimals(0, 1000, 3)))]
    return data, value


@pytest.mark.hazard("HAZ-002")
def test_lab_result_form_accepts_values_in_the_catalogue_range(patient):
    @FUZZ
    @given(case=lab_results(patient.birth_date))
    def run(case):
        data, value = case
        form = forms.LabResultForm(post(data), patient=patient)
        assert_accepted(form)
        assert form.cleaned_data["value"] == value  # never rounded, scaled or clamped

    run()


def test_marrow_form_accepts_percentages(patient):
    @FUZZ
    @given(day=dates_since(patient.birth_date), pct=decimals(0, 100, 1))
    def run(day, pct):
        assert_accepted(forms.MarrowForm(post({"date": [day.isoformat()], "clonal_plasma_cells_pct": [str(pct)]}),
                                         patient=patient))

    run()


NULL_BOOLEAN = st.sampled_from(["true", "false", "unknown"])


@st.composite
def imaging(draw, birth_date):
    kind = draw(st.sampled_from(["", "none", "bone", "extramedullary"]))
    count = {"": draw(st.sampled_from(["", "0", "3"])), "none": draw(st.sampled_from(["", "0"])),
             "bone": draw(st.sampled_from(["", "1", "4"])), "extramedullary": "1"}[kind]
    return {"date": [draw(dates_since(birth_date)).isoformat()], "lytic_lesions": [str(draw(st.integers(0, 200)))],
            "mri_focal_lesions": [draw(st.sampled_from(["", "0", "12"]))], "plasmacytoma": [kind],
            "plasmacytoma_count": [count], "plasmacytoma_biopsy_proven": [draw(NULL_BOOLEAN)],
            "sclerotic_bone_lesions": [draw(NULL_BOOLEAN)]}


def test_imaging_form_accepts_consistent_findings(patient):
    @FUZZ
    @given(data=imaging(patient.birth_date))
    def run(data):
        assert_accepted(forms.ImagingForm(post(data), patient=patient))

    run()


def test_cytogenetics_form_accepts_results(patient):
    fields = models.CytogeneticsResult.BOOLEAN_FIELDS

    @FUZZ
    @given(day=dates_since(patient.birth_date), values=st.lists(st.sampled_from(["true", "false"]),
                                                                 min_size=len(fields), max_size=len(fields)),
           del1p32=st.sampled_from(["", *models.Del1p32Choice.values]))
    def run(day, values, del1p32):
        data = {"date": [day.isoformat()], "del1p32": [del1p32],
                **{f: [v] for f, v in zip(fields, values, strict=True)}}
        assert_accepted(forms.CytogeneticsForm(post(data), patient=patient))

    run()


def test_poems_form_accepts_findings(patient):
    fields = models.PoemsFindings.BOOLEAN_FIELDS

    @FUZZ
    @given(day=dates_since(patient.birth_date), values=st.lists(NULL_BOOLEAN, min_size=len(fields),
                                                                 max_size=len(fields)),
           endo=st.lists(st.sampled_from(ENDOCRINOPATHIES), unique=True))
    def run(day, values, endo):
        data = {"date": [day.isoformat()], "endocrinopathy": endo, "endocrine_assessed": ["on"],
                **{f: [v] for f, v in zip(fields, values, strict=True)}}
        form = forms.PoemsForm(post(data), patient=patient)
        assert_accepted(form)
        assert form.action_kwargs()["endocrinopathy"] == endo

    run()


@st.composite
def treatment_lines(draw, birth_date):
    drugs = draw(st.lists(st.sampled_from(DRUGS), min_size=1, max_size=4, unique=True))
    start = draw(dates_since(max(birth_date, datetime.date(2000, 1, 1))))
    data = {"line": [str(draw(st.integers(1, 20)))], "regimen": [draw(st.sampled_from(["VRd-induction", "DRd",
                                                                                          "free text"]))],
            "drugs": drugs, "start_date": [start.isoformat()],
            "refractory_to": draw(st.lists(st.sampled_from(drugs), unique=True)),
            "intolerant_to": draw(st.lists(st.sampled_from(drugs), unique=True)),
            "best_response": [draw(st.sampled_from(["", *models.ResponseChoice.values]))]}
    if draw(st.booleans()):
        data["autologous_transplant"] = ["true"]
        data["transplant_date"] = [draw(dates_since(start)).isoformat()]
        data["months_from_transplant_to_progression"] = [str(draw(decimals(0, 600, 1)))]
    return data


def test_treatment_line_form_accepts_lines(patient):
    @FUZZ
    @given(data=treatment_lines(patient.birth_date))
    def run(data):
        assert_accepted(forms.TreatmentLineForm(post(data), patient=patient))

    run()


def test_clinical_status_form_accepts_assessments(patient):
    @FUZZ
    @given(day=dates_since(patient.birth_date), frailty=st.sampled_from(["", *models.FrailtyChoice.values]),
           contra=NULL_BOOLEAN, symptoms=NULL_BOOLEAN, note=st.text(max_size=50).filter(lambda s: "\x00" not in s))
    def run(day, frailty, contra, symptoms, note):
        data = {"date": [day.isoformat()], "frailty": [frailty], "transplant_contraindication": [contra],
                "symptoms": [symptoms], "note": [note]}
        assert_accepted(forms.ClinicalStatusForm(post(data), patient=patient))

    run()


@pytest.mark.hazard("HAZ-002")
@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize(("form_class", "field", "typed", "meant"), [
    (forms.HeightWeightForm, "weight_kg", "70,5", Decimal("70.5")),
    (forms.HeightWeightForm, "height_cm", "172,5", Decimal("172.5")),
    (forms.LabResultForm, "value", "1,5", Decimal("1.5")),
    (forms.MarrowForm, "clonal_plasma_cells_pct", "12,5", Decimal("12.5")),
], ids=["weight", "height", "lab-value", "marrow-pct"])
def test_decimal_comma_is_refused_or_read_exactly(patient, language, form_class, field, typed, meant):
    """A decimal comma (Norwegian keyboards) is never read as a tenfold or hundredfold number."""
    from django.utils.translation import override

    data = {"date": [TODAY.isoformat()], field: [typed]}
    if form_class is forms.LabResultForm:
        data.update(analyte=["calcium"])
    with override(language):
        form = form_class(post(data), patient=patient)
        form.is_valid()
    assert field in form.errors or form.cleaned_data[field] == meant
