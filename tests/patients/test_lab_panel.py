"""The lab panel: several results of one sample in one submit, each validated on its own, all or nothing,
back to the page that asked (``?next=``, only within the site).

What the workup selects comes from the guideline text (Handlingsprogram for myelomatose, «Laboratorieprøver»:
«Serumelektroforese … Frie lette kjeder i serum. Hb, hvite med diff. telling, trombocytter, kreatinin, estimert
GFR, Calcium eller ionisert Calcium, albumin, β2mikroglobulin, LD, IgG, IgA, IgM. NT-Pro-BNP, Troponin T, ALP og
Urin-albumin. Blodutstryk.»; POEMS guideline, «Udredning»)."""

import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from guidelines import poems as poems_rules
from guidelines import workup as wk
from patients import actions, assessment, labpanel
from patients.models import LabResult
from tests.patients.factories import clinical_patient, make_patient

HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def panel_url(patient, **query):
    url = reverse("patients:lab_panel", args=[patient.pk])
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query, doseq=True)
    return url


def overview_labs(patient):
    return reverse("patients:overview", args=[patient.pk]) + "?labs=1#lab-section"


def panel_data(date=YESTERDAY, time="08:15", **rows):
    """POST data: the shared date and time, and ``analyte=value`` or ``analyte={field: value}`` rows."""
    data = {"date": date.isoformat(), "sampling_time": time}
    for analyte, row in rows.items():
        row = row if isinstance(row, dict) else {"value": row}
        data.update({f"{analyte}-{field}": value for field, value in row.items()})
    return data


@pytest.fixture
def english_pages(client, english, settings):
    """Pages in English (the user's choice of language, remembered in its cookie), messages too."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def mgus(db):
    return make_patient(clinical_patient("MGUS"), today=TODAY)


# --- what the panel offers -----------------------------------------------------------------------

def test_the_laboratorieprover_of_the_workup_are_selected():
    selected = labpanel.workup_analytes([wk.BLOOD_AND_URINE, wk.URINE_ELECTROPHORESIS])
    assert set(selected) == {
        "m_protein", "flc_kappa", "flc_lambda", "hemoglobin", "leukocytes", "neutrophils", "platelets",
        "creatinine", "calcium", "albumin", "beta2m", "ldh", "igg", "iga", "igm", "nt_probnp", "troponin_t", "alp",
        "urine_albumin", "circulating_plasma_cells", "urine_m_protein",
    }


def test_the_poems_workup_selects_its_blood_tests_and_vegf():
    """«Udredning»: «calcium ion», «ALAT, basisk phosphatase, bilirubin», «Plasma VEGF-A»."""
    selected = labpanel.workup_analytes(poems_rules.WORKUP)
    assert {"ionised_calcium", "alt", "alp", "bilirubin", "vegf", "iga", "igm", "urine_m_protein"} <= set(selected)


def test_every_tier_orders_the_same_laboratorieprover():
    from guidelines.facts import PatientFacts

    facts = PatientFacts(age=60)
    for tier in (wk.LOW_RISK, wk.HIGH_RISK, wk.FULL):
        investigations = wk._investigations(tier, facts, None)
        assert "nt_probnp" in labpanel.workup_analytes(investigations), tier


def test_lab_panel_anonymous_redirects_to_login(client, patient):
    response = client.get(panel_url(patient))
    assert response.status_code == 302 and "login" in response["Location"]


def test_lab_panel_pharmacist_may_not_record(client_for, pharmacist, patient):
    assert client_for(pharmacist).get(panel_url(patient)).status_code == 403
    assert client_for(pharmacist).post(panel_url(patient), panel_data(creatinine="90")).status_code == 403
    assert not LabResult.objects.exists()


def test_lab_panel_unknown_patient_is_404(client_for, nurse, db):
    assert client_for(nurse).get(reverse("patients:lab_panel", args=[999999])).status_code == 404


def test_lab_panel_selects_the_workup_of_the_patient(client_for, nurse, mgus, english_pages):
    """The demo MGUS (IgG M-komponent > 15 g/L) is in høyrisikoutredning: the panel selects its
    «Laboratorieprøver» and the 24-hour urine; the POEMS-only analytes are among the others."""
    response = client_for(nurse).get(panel_url(mgus))
    assert response.status_code == 200
    assert response.context["tier"] == "HIGH_RISK"
    selected = [row.analyte for row in response.context["selected"]]
    others = [row.analyte for row in response.context["others"]]
    assert {"nt_probnp", "troponin_t", "alp", "urine_albumin", "iga", "igm", "leukocytes", "neutrophils",
            "urine_m_protein"} <= set(selected)
    assert {"vegf", "alt", "bilirubin", "ionised_calcium"} <= set(others)
    assert not set(selected) & set(others)
    assert "High-risk workup" in response.text
    assert response.context["header"]["date"].value() == TODAY


def test_lab_panel_selects_the_analyte_the_link_asked_for(client_for, nurse, patient):
    """No tier yet (nothing recorded): only what the link asked for is selected; every analyte is offered."""
    response = client_for(nurse).get(panel_url(patient, analyte="beta2m"))
    assert [row.analyte for row in response.context["selected"]] == ["beta2m"]
    assert len(response.context["others"]) == len(labpanel.ORDER) - 1


# --- saving --------------------------------------------------------------------------------------

@pytest.mark.hazard("HAZ-060")
def test_lab_panel_saves_several_results_of_one_sample_in_one_submit(client_for, nurse, patient):
    data = panel_data(creatinine="97", hemoglobin="11,8", m_protein={"value": "12.5", "isotype": "IgG"},
                      iga={"value": "0.4", "lower_limit": "0.7", "upper_limit": "4.0"})
    response = client_for(nurse).post(panel_url(patient), data)
    assert response.status_code == 302 and response["Location"] == overview_labs(patient)
    saved = {r.analyte: r for r in LabResult.objects.filter(patient=patient)}
    assert set(saved) == {"creatinine", "hemoglobin", "m_protein", "iga"}
    assert {(r.date, r.sampling_time) for r in saved.values()} == {(YESTERDAY, datetime.time(8, 15))}
    assert saved["hemoglobin"].value == Decimal("11.8")  # decimal comma, read exactly
    assert saved["m_protein"].isotype == "IgG"
    assert (saved["iga"].lower_limit, saved["iga"].upper_limit, saved["iga"].limits_from_catalogue) == (
        Decimal("0.7"), Decimal("4.0"), False)
    assert saved["creatinine"].limits_from_catalogue  # the catalogue's default for a woman, marked as such
    assert all(r.history.get().history_user == nurse for r in saved.values())


def test_lab_panel_blank_rows_are_ignored(client_for, nurse, patient):
    data = panel_data(creatinine="97", albumin="", ldh={"value": "", "lower_limit": "", "upper_limit": ""})
    client_for(nurse).post(panel_url(patient), data)
    assert list(LabResult.objects.values_list("analyte", flat=True)) == ["creatinine"]


@pytest.mark.hazard("HAZ-060")
def test_lab_panel_one_bad_row_saves_nothing_and_names_the_analyte(client_for, nurse, patient, english_pages):
    """Creatinine 1.1 is mg/dL (97 µmol/L); Hb 125 is g/L: both rows are refused, each naming its analyte,
    and the good rows are not saved either."""
    data = panel_data(albumin="40", creatinine="1.1", hemoglobin="125", platelets="250")
    response = client_for(nurse).post(panel_url(patient), data)
    assert response.status_code == 200
    assert not LabResult.objects.exists()
    summary = [f"{e['analyte']}: {e['message']}" for e in response.context["errors"]]
    assert len(summary) == 2
    assert summary[0].startswith("Haemoglobin: 125 looks like a value in g/L") or summary[1].startswith(
        "Haemoglobin: 125 looks like a value in g/L")
    assert any(s.startswith("Creatinine: 1.1 looks like a value in mg/dL") for s in summary)
    assert "Nothing was saved" in response.text
    rows = {row.analyte: row for row in response.context["selected"] + response.context["others"]}
    assert "mg/dL" in rows["creatinine"].errors["value"][0] and not rows["albumin"].errors
    assert 'value="40"' in response.text  # the good rows keep what was typed


def test_lab_panel_error_names_the_analyte_in_norwegian(client_for, nurse, patient):
    response = client_for(nurse).post(panel_url(patient), panel_data(creatinine="3000"), HTTP_ACCEPT_LANGUAGE="nb")
    assert not LabResult.objects.exists()
    assert [e["analyte"] for e in response.context["errors"]] == ["Kreatinin"]
    assert "Kreatinin: " in response.text and 'data-testid="row-error"' in response.text


def test_lab_panel_a_row_with_limits_but_no_value_is_refused(client_for, nurse, patient, english_pages):
    response = client_for(nurse).post(panel_url(patient), panel_data(creatinine="97", ldh={"upper_limit": "205"}))
    assert not LabResult.objects.exists()
    assert response.context["errors"][0]["analyte"] == "Lactate dehydrogenase (LD)"
    assert "Enter the value" in response.context["errors"][0]["message"]


def test_lab_panel_without_any_result_is_refused(client_for, nurse, patient, english_pages):
    response = client_for(nurse).post(panel_url(patient), panel_data())
    assert response.status_code == 200 and "Enter at least one result." in response.text
    assert not LabResult.objects.exists()


def test_lab_panel_future_date_is_refused_once_for_the_whole_panel(client_for, nurse, patient, english_pages):
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client_for(nurse).post(panel_url(patient), panel_data(date=tomorrow, creatinine="97", albumin="40"))
    assert not LabResult.objects.exists()
    assert response.context["header"].errors["date"] == ["The date cannot be in the future."]
    assert response.context["errors"] == []


@pytest.mark.hazard("HAZ-060")
def test_record_lab_panel_rolls_back_when_a_write_fails_midway(physician, patient, monkeypatch):
    """A failure while storing the second result (database error, crash) leaves the first unsaved too."""
    from patients.actions import records

    real_save, calls = records.save, []

    def failing(instance, **kwargs):
        calls.append(instance.analyte)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_save(instance, **kwargs)

    monkeypatch.setattr(records, "save", failing)
    with pytest.raises(RuntimeError):
        actions.record_lab_panel(by=physician, patient=patient, date=YESTERDAY, results=[
            {"analyte": "creatinine", "value": Decimal("97")}, {"analyte": "albumin", "value": Decimal("40")}])
    assert calls == ["creatinine", "albumin"]
    assert not LabResult.objects.exists() and not LabResult.history.exists()


def test_record_lab_panel_names_each_refused_analyte(physician, patient, english):
    with pytest.raises(actions.LabPanelRefused) as refused:
        actions.record_lab_panel(by=physician, patient=patient, date=YESTERDAY, results=[
            {"analyte": "creatinine", "value": Decimal("97")}, {"analyte": "bilirubin", "value": Decimal("5000")}])
    assert list(refused.value.rows) == ["bilirubin"]
    assert refused.value.message_dict["bilirubin"] == [
        "Bilirubin, total: 5000 µmol/L is outside the physiological range 0–1500 µmol/L."]
    assert not LabResult.objects.exists()


# --- a panel sent twice (HAZ-143) ---------------------------------------------------------------------

@pytest.mark.hazard("HAZ-143")
def test_a_panel_sent_twice_is_saved_once_and_says_so(client_for, nurse, patient, english_pages):
    """The back button or a second click sends the same sample again: nothing more is saved, and every
    row says the result is already recorded."""
    data = panel_data(creatinine="97", hemoglobin="11.8")
    client = client_for(nurse)
    assert client.post(panel_url(patient), data).status_code == 302
    again = client.post(panel_url(patient), data)
    assert LabResult.objects.filter(patient=patient).count() == 2
    assert sorted(e["analyte"] for e in again.context["errors"]) == ["Creatinine", "Haemoglobin"]
    assert {e["message"] for e in again.context["errors"]} == {
        "This result is already recorded (same value, date and sampling time): it is not saved twice. Leave the row "
        "blank, or correct the recorded result if it is wrong."}


@pytest.mark.hazard("HAZ-143")
def test_a_new_row_beside_a_result_sent_again_saves_nothing_until_the_old_row_is_blank(physician, patient):
    actions.record_lab_panel(by=physician, patient=patient, date=YESTERDAY, sampling_time=datetime.time(8, 15),
                             results=[{"analyte": "creatinine", "value": Decimal("97")}])
    with pytest.raises(actions.LabPanelRefused) as refused:
        actions.record_lab_panel(by=physician, patient=patient, date=YESTERDAY, sampling_time=datetime.time(8, 15),
                                 results=[{"analyte": "creatinine", "value": Decimal("97")},
                                          {"analyte": "albumin", "value": Decimal("40")}])
    assert list(refused.value.rows) == ["creatinine"]
    assert LabResult.objects.filter(patient=patient).count() == 1  # all or nothing: albumin is not saved
    actions.record_lab_panel(by=physician, patient=patient, date=YESTERDAY, sampling_time=datetime.time(8, 15),
                             results=[{"analyte": "albumin", "value": Decimal("40")}])
    assert LabResult.objects.filter(patient=patient).count() == 2


@pytest.mark.hazard("HAZ-143")
@pytest.mark.parametrize(("value", "day", "time"), [
    (Decimal("98"), YESTERDAY, datetime.time(8, 15)),  # another value: a new result
    (Decimal("97"), YESTERDAY, datetime.time(14, 0)),  # another sample the same day
    (Decimal("97"), YESTERDAY - datetime.timedelta(days=1), datetime.time(8, 15)),  # another day (never ahead)
    (Decimal("97"), YESTERDAY, None),  # no sampling time: not the same sample
], ids=["another-value", "another-sampling-time", "another-day", "no-sampling-time"])
def test_a_result_that_differs_in_value_date_or_time_is_saved(physician, patient, value, day, time):
    actions.record_lab_panel(by=physician, patient=patient, date=YESTERDAY, sampling_time=datetime.time(8, 15),
                             results=[{"analyte": "creatinine", "value": Decimal("97")}])
    actions.record_lab_panel(by=physician, patient=patient, date=day, sampling_time=time,
                             results=[{"analyte": "creatinine", "value": value}])
    assert LabResult.objects.filter(patient=patient, analyte="creatinine").count() == 2


# --- where the user goes after saving --------------------------------------------------------------

@pytest.mark.hazard("HAZ-062")
def test_lab_panel_returns_to_the_assessment_that_asked(client_for, nurse, patient):
    back = reverse("patients:assessment", args=[patient.pk])
    response = client_for(nurse).post(panel_url(patient, analyte="beta2m", next=back), panel_data(beta2m="2.9"))
    assert response.status_code == 302 and response["Location"] == back
    assert LabResult.objects.get().analyte == "beta2m"


def test_lab_panel_htmx_success_redirects_the_page(client_for, nurse, patient):
    back = reverse("patients:assessment", args=[patient.pk])
    response = client_for(nurse).post(panel_url(patient, next=back), panel_data(beta2m="2.9"), **HTMX)
    assert response["HX-Redirect"] == back


def test_lab_panel_htmx_refusal_returns_the_form_fragment(client_for, nurse, patient):
    response = client_for(nurse).post(panel_url(patient), panel_data(creatinine="1.1"), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="lab-panel"' in response.text and "panel-errors" in response.text


@pytest.mark.hazard("HAZ-062")
@pytest.mark.parametrize("unsafe", ["https://evil.example/login", "//evil.example/x", "javascript:alert(1)",
                                    "http://testserver.evil.example/"])
def test_lab_panel_refuses_a_next_outside_the_site(client_for, nurse, patient, unsafe):
    response = client_for(nurse).post(panel_url(patient, next=unsafe), panel_data(creatinine="97"))
    assert response.status_code == 302 and response["Location"] == overview_labs(patient)
    page = client_for(nurse).get(panel_url(patient, next=unsafe))
    assert unsafe not in page.text


def test_a_missing_lab_of_the_assessment_opens_the_panel_and_comes_back(patient):
    form = assessment.form_for_path("labs.beta2m_mg_l", patient_pk=patient.pk)
    url = urlsplit(form["url"])
    assert url.path == reverse("patients:lab_panel", args=[patient.pk])
    assert parse_qs(url.query) == {"analyte": ["beta2m"], "next": [reverse("patients:assessment", args=[patient.pk])]}


def test_the_assessment_links_missing_labs_to_the_panel(client_for, physician, mgus):
    text = client_for(physician).get(reverse("patients:assessment", args=[mgus.pk])).text
    assert f"/patients/{mgus.pk}/labs/panel/?analyte=beta2m&amp;next=%2Fpatients%2F{mgus.pk}%2Fassessment%2F" in text


def test_the_overview_links_to_the_panel(client_for, nurse, patient):
    text = client_for(nurse).get(reverse("patients:overview", args=[patient.pk])).text
    assert f'href="/patients/{patient.pk}/labs/panel/"' in text
