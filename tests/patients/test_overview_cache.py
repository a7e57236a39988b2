"""The overview's clinical summary is cached per state of the patient's record (patients/views/records.py,
patients/freshness.py, docs/adr/0005-overview-summary-cache.md). Hazard HAZ-018: a cached summary
must never show a state older than the database's. Each way of changing what the summary shows
is made after the summary was cached, and the next overview must show the change."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from patients import actions, freshness, identity
from patients.models import (
    ClinicalStatus,
    CytogeneticsResult,
    HeightWeight,
    ImagingFinding,
    LabResult,
    MarrowFinding,
    OrganFunction,
    Patient,
    PoemsFindings,
    SkeletalFindings,
    TreatmentLine,
    TreatmentPlan,
)
from tests.personas import in_english
from treatment_course.models import Administration, AdministrationConfirmation, CycleRelease, ProgressionProposal

pytestmark = [pytest.mark.django_db, pytest.mark.hazard("HAZ-018")]

DAY = datetime.date(2026, 10, 1)
PATIENT_MODELS = {HeightWeight, LabResult, MarrowFinding, ImagingFinding, CytogeneticsResult, PoemsFindings,
                  TreatmentLine, ClinicalStatus, TreatmentPlan, SkeletalFindings, OrganFunction, CycleRelease,
                  Administration, AdministrationConfirmation, ProgressionProposal}


@pytest.fixture
def patient(physician):
    return actions.register_patient(by=physician, name="Cache Testesen",
                                    national_id=identity.make(datetime.date(1950, 3, 4), 121, synthetic=True))


@pytest.fixture
def page(client_for, physician, patient):
    client = client_for(physician)

    def get():
        """The summary part of the page (the rest holds a per-request CSRF token)."""
        response = client.get(reverse("patients:overview", args=[patient.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        return html[html.index('<div class="row g-3 mb-3">'):html.index('id="lab-section"')]

    return get


def _token(patient):
    return Patient.objects.values_list("data_token", flat=True).get(pk=patient.pk)


def test_every_model_that_refers_to_a_patient_renews_the_token():
    assert {model for model, _field in freshness.patient_models()} == PATIENT_MODELS


@pytest.mark.parametrize(
    "change, shown",
    [
        (lambda by, p: actions.record_height_weight(by=by, patient=p, date=DAY, height_cm=181, weight_kg=77),
         "77,0 kg"),
        (lambda by, p: actions.record_marrow(by=by, patient=p, date=DAY, clonal_plasma_cells_pct=Decimal(37)), "37"),
        (lambda by, p: actions.record_imaging(by=by, patient=p, date=DAY, lytic_lesions=9), "9"),
        (lambda by, p: actions.record_cytogenetics(by=by, patient=p, date=DAY, del17p=True), "del(17p)"),
        (lambda by, p: actions.record_poems_findings(by=by, patient=p, date=DAY, polyneuropathy=True),
         "polynevropati: ja"),
        (lambda by, p: actions.record_clinical_status(by=by, patient=p, date=DAY, frailty="frail"), "01.10.2026"),
        (lambda by, p: actions.record_treatment_line(by=by, patient=p, line=1, regimen="VRd-induction",
                                                     drugs=["bortezomib"], start_date=DAY), "VRd-induction"),
        (lambda by, p: actions.update_patient(by=by, patient=p, reason="Ward moved", ward="Post 7B"), "Post 7B"),
        (lambda by, p: actions.record_skeletal_findings(by=by, patient=p, date=DAY, spinal_cord_compression=True),
         "truende tverrsnittslesjon: ja"),
        (lambda by, p: actions.record_organ_function(by=by, patient=p, date=DAY, liver_cirrhosis=True),
         "levercirrhose: ja"),
    ],
    ids=["height-weight", "marrow", "imaging", "cytogenetics", "poems", "clinical-status", "treatment-line",
         "patient-ward", "skeletal", "organ-function"],
)
def test_a_change_after_the_summary_was_cached_is_shown(page, physician, patient, change, shown):
    before = page()
    assert page() == before  # served from the cache
    change(physician, Patient.objects.get(pk=patient.pk))
    after = page()
    assert after != before
    assert shown in after


def test_a_corrected_treatment_line_is_shown(page, physician, patient):
    line = actions.record_treatment_line(by=physician, patient=patient, line=1, regimen="VRd-induction",
                                         drugs=["bortezomib", "lenalidomide"], start_date=DAY)
    assert "Refractory to" not in page() and "Refraktær" not in page()
    actions.update_treatment_line(by=physician, treatment_line=line, reason="Progression on lenalidomide",
                                  refractory_to=["lenalidomide"])
    assert re.search(r"(Refractory to|Refraktær for)[^<]*lenalidomid", page(), re.IGNORECASE)


def test_deleting_a_record_renews_the_token(physician, patient):
    result = actions.record_lab_result(by=physician, patient=patient, date=DAY, analyte="creatinine", value=80)
    token = _token(patient)
    result.delete()
    assert _token(patient) != token


def test_moving_a_record_to_another_patient_renews_both(physician, patient):
    other = actions.register_patient(by=physician, name="Annen Pasient",
                                     national_id=identity.make(datetime.date(1961, 7, 8), 457, synthetic=True))
    marrow = actions.record_marrow(by=physician, patient=patient, date=DAY, clonal_plasma_cells_pct=Decimal(12))
    tokens = _token(patient), _token(other)
    marrow.patient = other
    marrow.save()
    assert _token(patient) != tokens[0] and _token(other) != tokens[1]


def test_a_change_that_rolls_back_leaves_the_token(physician, patient):
    token = _token(patient)
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.record_marrow(by=physician, patient=patient, date=DAY, clonal_plasma_cells_pct=Decimal(50))
        assert _token(patient) != token
        raise RuntimeError("roll back")
    assert _token(patient) == token


def test_the_token_never_comes_back(physician, patient):
    seen = {_token(patient)}
    for weight in range(60, 70):
        actions.record_height_weight(by=physician, patient=patient, date=DAY, weight_kg=weight)
        seen.add(_token(patient))
    assert len(seen) == 11


def test_each_role_gets_its_own_links(client_for, physician, nurse, patient):
    url = reverse("patients:overview", args=[patient.pk])
    treatment_link = reverse("patients:record", args=[patient.pk, "treatment-line"])
    assert treatment_link in client_for(physician).get(url).content.decode()
    assert treatment_link not in client_for(nurse).get(url).content.decode()  # nurses do not record lines
    assert treatment_link in client_for(physician).get(url).content.decode()


def test_each_language_gets_its_own_summary(client_for, physician, patient):
    client = client_for(physician)
    url = reverse("patients:overview", args=[patient.pk])
    assert "Siste funn" in client.get(url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    client.cookies["django_language"] = "en"
    assert "Latest findings" in in_english(client).get(url).content.decode()


def test_the_age_follows_the_date(rf, physician, patient, monkeypatch):
    from django.utils import timezone

    from patients.views.records import overview_summary_key

    request = rf.get("/")
    request.user = physician
    today = overview_summary_key(request, patient)
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2099, 1, 1))
    assert overview_summary_key(request, patient) != today


def test_an_emptied_cache_renders_again(page, physician, patient):
    actions.record_height_weight(by=physician, patient=patient, date=DAY, weight_kg=81)
    cached = page()
    cache.clear()
    assert page() == cached


def test_every_model_that_refers_to_a_patient_saves_in_a_transaction_and_bulk_writes_renew():
    for model, _field in freshness.patient_models():
        assert issubclass(model, freshness.PatientRecord), model
        assert isinstance(model._default_manager.all(), freshness.RenewingQuerySet), model


def test_queryset_update_renews_the_token(physician, patient):
    actions.record_marrow(by=physician, patient=patient, date=DAY, clonal_plasma_cells_pct=Decimal(12))
    token = _token(patient)
    MarrowFinding.objects.filter(patient=patient).update(clonal_plasma_cells_pct=Decimal(13))
    assert _token(patient) != token


def test_related_manager_update_renews_the_token(physician, patient):
    actions.record_treatment_line(by=physician, patient=patient, line=1, regimen="VRd-induction",
                                  drugs=["bortezomib"], start_date=DAY)
    token = _token(patient)
    patient.treatmentline_set.update(best_response="CR")
    assert _token(patient) != token


def test_bulk_create_and_bulk_update_renew_the_token(patient):
    token = _token(patient)
    created = HeightWeight.objects.bulk_create([HeightWeight(patient=patient, date=DAY, weight_kg=70)])
    assert _token(patient) != token
    token = _token(patient)
    created[0].weight_kg = 71
    HeightWeight.objects.bulk_update(created, ["weight_kg"])
    assert _token(patient) != token


def test_a_record_saved_outside_the_actions_commits_with_its_token(patient, monkeypatch):
    """A save without a caller's transaction: if renewing the token fails, the save rolls back."""
    def broken(*ids):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(freshness, "renew", broken)
    with pytest.raises(RuntimeError):
        HeightWeight(patient=patient, date=DAY, weight_kg=70).save()
    assert not HeightWeight.objects.filter(patient=patient).exists()


def test_renew_all_gives_every_patient_a_new_token(physician, patient):
    other = actions.register_patient(by=physician, name="Annen Pasient",
                                     national_id=identity.make(datetime.date(1961, 7, 8), 457, synthetic=True))
    before = {_token(patient), _token(other)}
    assert freshness.renew_all() == 2
    assert before.isdisjoint({_token(patient), _token(other)})


def test_a_summary_read_while_a_change_commits_is_not_stored(client_for, physician, patient, monkeypatch):
    """The token is read first, the findings after: a change committed in between would put
    newer data under the older token. Such a summary is shown but not stored."""
    from patients import queries

    real = queries.latest_body
    calls = []

    def change_while_reading(p):
        if not calls:
            calls.append(p)
            actions.record_height_weight(by=physician, patient=p, date=DAY, weight_kg=88)  # commits meanwhile
        return real(p)

    monkeypatch.setattr(queries, "latest_body", change_while_reading)
    client = client_for(physician)
    url = reverse("patients:overview", args=[patient.pk])
    assert "88,0 kg" in client.get(url).text
    cache_keys = [key for key in cache._cache if f":{patient.pk}:{patient.data_token}:" in key]
    assert cache_keys == []
    assert "88,0 kg" in client.get(url).text and len(calls) == 1
