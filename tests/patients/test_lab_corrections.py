"""Correcting or deleting a mistaken lab result: a reason is required, the old value stays in the
history (django-simple-history, shown in the change log), a deleted result no longer reaches the
engine, and an edit from a stale page is refused."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.locking import StaleEdit
from patients import actions
from patients.facts import facts_for
from patients.models import LabResult, Patient

TODAY = timezone.localdate()
WEEK_AGO = TODAY - datetime.timedelta(days=7)
YESTERDAY = TODAY - datetime.timedelta(days=1)


@pytest.fixture
def creatinine(physician, patient):
    """Creatinine 900 µmol/L yesterday (a typing error for 90), after a true 95 a week ago."""
    actions.record_lab_result(by=physician, patient=patient, date=WEEK_AGO, analyte="creatinine", value=Decimal(95))
    return actions.record_lab_result(by=physician, patient=patient, date=YESTERDAY, analyte="creatinine",
                                     value=Decimal(900))


def edit_url(result):
    return reverse("patients:lab_edit", args=[result.patient_id, result.pk])


def delete_url(result):
    return reverse("patients:lab_delete", args=[result.patient_id, result.pk])


def correction(result, **changes):
    data = {"date": result.date.isoformat(), "sampling_time": "", "value": str(result.value),
            "lower_limit": str(result.lower_limit or ""), "upper_limit": str(result.upper_limit or ""),
            "reason": "", "lock_version": result.lock_version}
    data.update(changes)
    return data


# --- the actions ---------------------------------------------------------------------------------

@pytest.mark.hazard("HAZ-061")
def test_correct_lab_result_keeps_the_old_value_and_the_reason_in_the_history(nurse, patient, creatinine):
    actions.correct_lab_result(by=nurse, result=creatinine, reason="Typed 900 for 90", value=Decimal(90))
    stored = LabResult.objects.get(pk=creatinine.pk)
    assert stored.value == 90
    versions = list(stored.history.order_by("history_date", "history_id"))
    assert [(v.history_type, v.value) for v in versions] == [("+", 900), ("~", 90)]
    assert versions[-1].history_change_reason == "Typed 900 for 90" and versions[-1].history_user == nurse
    assert facts_for(patient)[0].labs.creatinine_umol_l == 90.0


@pytest.mark.hazard("HAZ-061")
@pytest.mark.parametrize("reason", ["", "   "])
def test_correct_lab_result_without_a_reason_is_refused(nurse, creatinine, reason):
    with pytest.raises(ValidationError) as refused:
        actions.correct_lab_result(by=nurse, result=creatinine, reason=reason, value=Decimal(90))
    assert "reason" in refused.value.message_dict
    assert LabResult.objects.get(pk=creatinine.pk).value == 900 and creatinine.history.count() == 1


def test_correct_lab_result_refuses_an_impossible_value(nurse, creatinine):
    with pytest.raises(ValidationError) as refused:
        actions.correct_lab_result(by=nurse, result=creatinine, reason="unit", value=Decimal("1.0"))
    assert "value" in refused.value.message_dict
    assert LabResult.objects.get(pk=creatinine.pk).value == 900


@pytest.mark.hazard("HAZ-061")
def test_correct_lab_result_from_a_stale_page_is_refused(nurse, physician, creatinine):
    loaded = creatinine.lock_version
    actions.correct_lab_result(by=physician, result=creatinine, reason="Typed 900 for 90", value=Decimal(90))
    with pytest.raises(StaleEdit):
        actions.correct_lab_result(by=nurse, result=creatinine, reason="Typed 900 for 99", value=Decimal(99),
                                   loaded_version=loaded)
    assert LabResult.objects.get(pk=creatinine.pk).value == 90


def test_correct_lab_result_keeps_catalogue_limits_and_takes_changed_ones_as_the_laboratorys(nurse, creatinine):
    assert creatinine.limits_from_catalogue  # a woman: 45–90 µmol/L (NORIP)
    kept = actions.correct_lab_result(by=nurse, result=creatinine, reason="value", value=Decimal(90))
    assert (kept.lower_limit, kept.upper_limit, kept.limits_from_catalogue) == (Decimal(45), Decimal(90), True)
    changed = actions.correct_lab_result(by=nurse, result=kept, reason="lab's limits", upper_limit=Decimal(100))
    assert (changed.upper_limit, changed.limits_from_catalogue) == (Decimal(100), False)


@pytest.mark.hazard("HAZ-061")
def test_delete_lab_result_removes_it_from_the_facts_and_keeps_it_in_the_history(nurse, patient, creatinine):
    token = Patient.objects.get(pk=patient.pk).data_token
    assert facts_for(patient)[0].labs.creatinine_umol_l == 900.0
    actions.delete_lab_result(by=nurse, result=creatinine, reason="Wrong patient's sample")
    assert not LabResult.objects.filter(pk=creatinine.pk).exists()
    facts, sources = facts_for(patient)
    assert facts.labs.creatinine_umol_l == 95.0  # the result before is the latest again
    assert sources["labs.creatinine_umol_l"].date == WEEK_AGO
    deleted = LabResult.history.filter(id=creatinine.pk).latest("history_date")
    assert (deleted.history_type, deleted.value, deleted.history_change_reason, deleted.history_user) == (
        "-", 900, "Wrong patient's sample", nurse)
    assert Patient.objects.get(pk=patient.pk).data_token != token  # the overview's cached summary is stale


@pytest.mark.hazard("HAZ-061")
def test_delete_lab_result_without_a_reason_is_refused(nurse, creatinine):
    with pytest.raises(ValidationError):
        actions.delete_lab_result(by=nurse, result=creatinine, reason=" ")
    assert LabResult.objects.filter(pk=creatinine.pk).exists()


def test_delete_lab_result_from_a_stale_page_is_refused(nurse, physician, creatinine):
    loaded = creatinine.lock_version
    actions.correct_lab_result(by=physician, result=creatinine, reason="Typed 900 for 90", value=Decimal(90))
    with pytest.raises(StaleEdit):
        actions.delete_lab_result(by=nurse, result=creatinine, reason="wrong", loaded_version=loaded)
    assert LabResult.objects.filter(pk=creatinine.pk).exists()


# --- the pages -----------------------------------------------------------------------------------

def test_lab_edit_anonymous_redirects_to_login(client, creatinine):
    response = client.get(edit_url(creatinine))
    assert response.status_code == 302 and "login" in response["Location"]


def test_lab_edit_pharmacist_may_not_correct_or_delete(client_for, pharmacist, creatinine):
    client = client_for(pharmacist)
    assert client.get(edit_url(creatinine)).status_code == 403
    assert client.post(delete_url(creatinine), {"delete-reason": "x", "delete-lock_version": 1}).status_code == 403
    assert LabResult.objects.filter(pk=creatinine.pk).exists()


def test_lab_edit_of_another_patients_result_is_404(client_for, nurse, creatinine, other_patient):
    url = reverse("patients:lab_edit", args=[other_patient.pk, creatinine.pk])
    assert client_for(nurse).get(url).status_code == 404
    url = reverse("patients:lab_delete", args=[other_patient.pk, creatinine.pk])
    assert client_for(nurse).post(url, {"delete-reason": "x", "delete-lock_version": 1}).status_code == 404


def test_lab_edit_shows_the_result_and_both_forms(client_for, nurse, creatinine):
    response = client_for(nurse).get(edit_url(creatinine))
    assert response.status_code == 200
    assert 'data-testid="correct-form"' in response.text and 'data-testid="delete-form"' in response.text
    assert str(response.context["correction"]["value"].value()) == "900"  # not "900.000": 900 000 to some readers


@pytest.mark.hazard("HAZ-061")
def test_lab_edit_correction_with_reason_is_saved_and_logged(client_for, nurse, patient, creatinine):
    response = client_for(nurse).post(edit_url(creatinine), correction(creatinine, value="90",
                                                                       reason="Typed 900 for 90"))
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:overview", args=[patient.pk]) + "?labs=1#lab-section"
    assert LabResult.objects.get(pk=creatinine.pk).value == 90
    log = client_for(nurse).get(reverse("patients:history", args=[patient.pk])).text
    assert "Typed 900 for 90" in log and re.search(r"900(,0+|\.0+)? → 90(,0+|\.0+)?<", log)


def test_lab_edit_correction_without_reason_shows_the_error(client_for, nurse, creatinine):
    response = client_for(nurse).post(edit_url(creatinine), correction(creatinine, value="90"))
    assert response.status_code == 200 and response.context["correction"].errors["reason"]
    assert LabResult.objects.get(pk=creatinine.pk).value == 900


def test_lab_edit_correction_reads_a_decimal_comma(client_for, nurse, physician, patient):
    result = actions.record_lab_result(by=physician, patient=patient, date=YESTERDAY, analyte="albumin",
                                       value=Decimal("35"))
    client_for(nurse).post(edit_url(result), correction(result, value="38,5", reason="Typed 35 for 38.5"),
                           HTTP_ACCEPT_LANGUAGE="nb")
    assert LabResult.objects.get(pk=result.pk).value == Decimal("38.5")


def test_lab_edit_correction_from_a_stale_page_names_who_changed_it(client_for, nurse, physician, creatinine):
    stale = correction(creatinine, value="99", reason="Typed 900 for 99")
    actions.correct_lab_result(by=physician, result=creatinine, reason="Typed 900 for 90", value=Decimal(90))
    response = client_for(nurse).post(edit_url(creatinine), stale)
    assert response.status_code == 200
    assert physician.get_full_name() in " ".join(response.context["correction"].non_field_errors())
    assert LabResult.objects.get(pk=creatinine.pk).value == 90


@pytest.mark.hazard("HAZ-061")
def test_lab_delete_with_reason_removes_the_result_from_the_assessment(client_for, nurse, patient, creatinine):
    response = client_for(nurse).post(delete_url(creatinine), {"delete-reason": "Wrong patient's sample",
                                                               "delete-lock_version": creatinine.lock_version})
    assert response.status_code == 302
    assert not LabResult.objects.filter(pk=creatinine.pk).exists()
    page = client_for(nurse).get(reverse("patients:assessment", args=[patient.pk]))
    used = {row["path"]: row for row in page.context["a"]["facts_used"]}
    assert used["labs.creatinine_umol_l"]["value"] == "95" and used["labs.creatinine_umol_l"]["date"] == WEEK_AGO
    log = client_for(nurse).get(reverse("patients:history", args=[patient.pk])).text
    assert "Wrong patient&#x27;s sample" in log


def test_lab_delete_without_reason_keeps_the_result(client_for, nurse, creatinine):
    response = client_for(nurse).post(delete_url(creatinine), {"delete-reason": "",
                                                               "delete-lock_version": creatinine.lock_version})
    assert response.status_code == 200 and response.context["deletion"].errors["reason"]
    assert LabResult.objects.filter(pk=creatinine.pk).exists()


def test_lab_delete_returns_to_a_safe_next_only(client_for, nurse, patient, creatinine):
    data = {"delete-reason": "duplicate", "delete-lock_version": creatinine.lock_version}
    response = client_for(nurse).post(delete_url(creatinine) + "?next=https://evil.example/", data)
    assert response["Location"] == reverse("patients:overview", args=[patient.pk]) + "?labs=1#lab-section"


def test_overview_lab_table_links_each_result_to_its_correction(client_for, nurse, patient, creatinine):
    text = client_for(nurse).get(reverse("patients:overview", args=[patient.pk]), {"labs": "1"}).text
    assert f'href="{edit_url(creatinine)}"' in text


def test_overview_lab_table_has_no_correction_link_for_a_pharmacist(client_for, pharmacist, patient, creatinine):
    text = client_for(pharmacist).get(reverse("patients:overview", args=[patient.pk]), {"labs": "1"}).text
    assert edit_url(creatinine) not in text


def test_overlong_reason_is_refused_by_the_actions_and_the_forms(nurse, creatinine):
    from patients.labforms import LabResultDeleteForm
    from patients.models import REASON_MAX_LENGTH

    reason = "x" * (REASON_MAX_LENGTH + 1)
    for act in (lambda: actions.correct_lab_result(by=nurse, result=creatinine, reason=reason, value=Decimal(90)),
                lambda: actions.delete_lab_result(by=nurse, result=creatinine, reason=reason)):
        with pytest.raises(ValidationError) as refused:
            act()
        assert "reason" in refused.value.message_dict
    form = LabResultDeleteForm({"delete-reason": reason, "delete-lock_version": 1}, result=creatinine)
    assert "reason" in form.errors and form.fields["reason"].widget.attrs["maxlength"] == str(REASON_MAX_LENGTH)
    assert LabResult.objects.get(pk=creatinine.pk).value == 900
