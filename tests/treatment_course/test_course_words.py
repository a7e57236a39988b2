"""The course's records as the ward reads them (a walk through the app, stop 23): the change log names a
release by its cycle and an administration by its drug, cycle and day, not by a row number («frigivelse av
syklus #2» read as cycle 2); a plan is named with its status in the reader's language; a response category
is a word on the English page too («not evaluable», not NOT_EVALUABLE); a flagged blood test says whether it
is missing or old."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.messages import response_name
from patients.models import PlanStatus
from tests.patients.plan_helpers import today, verified
from treatment_course import actions, administer
from treatment_course.models import AdministrationOutcome


def _history(client, patient):
    return client.get(reverse("patients:history", args=[patient.pk])).text


def test_the_change_log_names_a_release_by_its_cycle(client_for, physician, pharmacist, course_patient):
    plan = verified(physician, pharmacist, course_patient, start_date=today(), cycles=2)
    actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)
    log = _history(client_for(physician), course_patient)
    assert "frigivelse av syklus 1 (VRd-induction)" in log
    assert "frigivelse av syklus #" not in log
    assert "VRd-induction v1 (verified)" not in log and "VRd-induction v1 (kontrollert)" in log


def test_the_change_log_names_an_administration_by_its_drug_cycle_and_day(client_for, physician, pharmacist, nurse,
                                                                           course_patient):
    plan = verified(physician, pharmacist, course_patient, start_date=today(), cycles=2)
    actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)
    index = next(i for i, a in enumerate(administer.items(plan))
                 if a["date"] == today().isoformat() and a["drug"] == "lenalidomide")
    midnight = timezone.make_aware(datetime.datetime.combine(today(), datetime.time.min))
    administer.record_administration(plan=plan, item=index, by=nurse, outcome=AdministrationOutcome.GIVEN,
                                     given_at=max(timezone.now() - datetime.timedelta(minutes=5), midnight))
    assert "administrasjon av lenalidomid, syklus 1 dag 1" in _history(client_for(physician), course_patient)


def test_a_plan_is_named_with_its_status_in_the_readers_language(physician, pharmacist, course_patient):
    plan = verified(physician, pharmacist, course_patient, start_date=today(), cycles=2)
    assert plan.status == PlanStatus.VERIFIED
    with translation.override("nb"):
        assert str(plan) == "VRd-induction v1 (kontrollert)"
    with translation.override("en"):
        assert str(plan) == "VRd-induction v1 (verified)"


@pytest.mark.parametrize(("code", "nb", "en"), [
    ("NOT_EVALUABLE", "ikke evaluerbar", "not evaluable"),
    ("MRD_NEGATIVE_CR", "MRD-negativ CR", "MRD-negative CR"),
    ("SCR", "sCR", "sCR"),
    ("VGPR", "VGPR", "VGPR"),
    ("PD", "PD", "PD"),
], ids=["not-evaluable", "mrd-negative-cr", "scr", "vgpr", "pd"])
def test_a_response_category_reads_as_a_word_in_both_languages(code, nb, en):
    with translation.override("nb"):
        assert response_name(code) == nb
    with translation.override("en"):
        assert response_name(code) == en


@pytest.mark.hazard("HAZ-142")
def test_a_flagged_blood_test_says_whether_it_is_missing_or_old(client_for, physician, pharmacist,
                                                                patient_without_bloods, settings):
    settings.CYCLE_LAB_MAX_AGE_DAYS = 7
    from patients import actions as records

    for analyte, value in (("neutrophils", 3.0), ("platelets", 220), ("leukocytes", 6.0)):
        records.record_lab_result(by=physician, patient=patient_without_bloods,
                                  date=today() - datetime.timedelta(days=10), analyte=analyte, value=value)
    plan = verified(physician, pharmacist, patient_without_bloods, start_date=today(), cycles=2)
    page = client_for(physician).get(reverse("course:cycle_release", args=[patient_without_bloods.pk, plan.pk, 1]))
    flags = [lab["flag"] for lab in page.context["labs"]]
    # no Hb; neutrophils, platelets, leukocytes 10 days old; creatinine today (plan_helpers.measure)
    assert flags == ["mangler", *["eldre enn 7 dager ved syklusstart"] * 3, ""]


def test_the_release_page_writes_a_cycles_dates_to_its_last_day_as_the_plans_course_does(
        client_for, physician, pharmacist, course_patient):
    """VRd-induction: 28-day cycles, the last dose on day 22 (dexamethasone «Dag 1, 8, 15, 22»): cycle 1 runs
    from day 1 to day 28 on the release page, the plan's course and the sheet alike."""
    start = today()
    plan = verified(physician, pharmacist, course_patient, start_date=start, cycles=2)
    client = client_for(physician)
    release_page = client.get(reverse("course:cycle_release", args=[course_patient.pk, plan.pk, 1])).text
    course = client.get(reverse("course:plan_course", args=[course_patient.pk, plan.pk])).text
    dates = f"{start:%d.%m.%Y}–{start + datetime.timedelta(days=27):%d.%m.%Y}"
    assert dates in release_page
    assert f"{start + datetime.timedelta(days=21):%d.%m.%Y}" not in release_page.split("syklusdatoer")[1][:40]
    assert f"{start + datetime.timedelta(days=27):%d.%m.%Y}" in course


def test_an_alkylator_option_is_named_in_norwegian_on_the_assessment(client_for, physician):
    """6th line («når alt over er prøvd»: alkylators): the fifth-line patient after a fifth line of venetoclax and
    dexamethasone. The options read bendamustin, cyklofosfamid, melfalan — the names the sheet and the plan use."""
    from tests.patients.factories import clinical_patient, make_patient

    fifth = {"regimen": "Ven-Dex", "drugs": ["venetoclax", "dexamethasone"], "line": 5, "start": 45, "end": 10,
             "best_response": "PD", "refractory_to": ["venetoclax"]}
    patient = make_patient(clinical_patient("RELAPSE_LINE_5_PLUS t(11;14)", lines=[fifth]), today=today())
    page = client_for(physician).get(reverse("patients:assessment", args=[patient.pk])).text
    for code, norwegian in (("bendamustine", "bendamustin"), ("cyclophosphamide", "cyklofosfamid"),
                            ("melphalan", "melfalan")):
        assert f'data-regimen="{code}"' in page
        assert f">{norwegian}<" in page and f">{code}<" not in page
