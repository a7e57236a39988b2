"""Treatment plan pages: anonymous, wrong role, invalid input, success; htmx fragment vs full page.
Doses by hand: 180 cm / 80 kg -> Mosteller BSA 2.00 m2; bortezomib 1.3 mg/m2 x 2.00 m2 = 2.6 mg."""

import datetime

import pytest
from django.urls import reverse

from patients import actions, plans
from patients.models import PlanStatus, TreatmentPlan
from tests.patients.plan_helpers import draft, issued, new_protocol_version, shown, verified
from tests.personas import PASSWORD, english_client, in_english

HTMX = {"HTTP_HX_REQUEST": "true"}
CHECKS = {name: "on" for name in ("check_identity", "check_measurements", "check_doses", "check_flags",
                                  "check_premedication")}


@pytest.fixture
def client():
    """These tests read English text (new strings are not translated yet)."""
    return english_client()


def url(name, plan=None, patient=None):
    if plan is not None:
        return reverse(f"patients:{name}", args=[plan.patient_id, plan.pk])
    return reverse(f"patients:{name}", args=[patient.pk])


# --- plan_list ------------------------------------------------------------------

def test_plan_list_anonymous_redirects_to_login(client, vrd_patient):
    response = client.get(url("plan_list", patient=vrd_patient))
    assert response.status_code == 302 and "login" in response["Location"]


def test_plan_list_without_role_is_forbidden(client_for, no_rights_user, vrd_patient):
    assert client_for(no_rights_user).get(url("plan_list", patient=vrd_patient)).status_code == 403


def test_plan_list_shows_plans_and_the_superseded_protocol_flag(client_for, physician, pharmacist, nurse,
                                                                vrd_patient):
    issued(physician, vrd_patient)
    new_protocol_version("VRd-induction", pharmacist, bortezomib={"dose": 1.0})
    response = client_for(nurse).get(url("plan_list", patient=vrd_patient))
    assert response.status_code == 200
    assert "VRd-induction" in response.text
    assert 'data-testid="superseded-protocol"' in response.text
    assert "issued on a superseded protocol" in response.text
    assert 'data-testid="new-plan"' not in response.text  # a nurse does not make plans


# --- plan_new -------------------------------------------------------------------

def test_plan_new_anonymous_redirects_to_login(client, vrd_patient):
    assert client.get(url("plan_new", patient=vrd_patient)).status_code == 302


@pytest.mark.parametrize("persona", ["nurse", "pharmacist"], ids=["nurse", "pharmacist"])
def test_plan_new_wrong_role_is_forbidden(request, client_for, persona, vrd_patient):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(url("plan_new", patient=vrd_patient)).status_code == 403


def test_plan_new_lists_the_requested_regimen_first_and_preselected(client_for, physician, vrd_patient):
    response = client_for(physician).get(url("plan_new", patient=vrd_patient) + "?regimen=VRd-induction")
    assert response.status_code == 200
    text = response.text
    recommended = text.index('label="Recommended for this patient"')
    assert recommended < text.index('value="VRd-induction" selected') < text.index('label="All active regimens"')
    # the reduced-tolerance choices: the regimen's drugs with a reduced dose in the protocol (docs/adr/0024):
    # lenalidomide (dose levels 25/15/10 mg), not bortezomib or dexamethasone (no level), not another regimen's
    assert 'value="lenalidomide"' in text and 'value="bortezomib"' not in text and 'value="pomalidomide"' not in text


def test_plan_new_names_a_recommended_regimen_without_an_active_protocol(client_for, physician, vrd_patient):
    response = client_for(physician).get(url("plan_new", patient=vrd_patient) + "?regimen=Isa-Pd")
    assert 'data-testid="unavailable-options"' in response.text and "Isa-Pd" in response.text


def test_plan_new_htmx_preview_shows_doses_with_working(client_for, physician, vrd_patient):
    query = "?regimen=VRd-induction&start_date=2026-01-05&cycles=1&bsa_formula=mosteller"
    response = client_for(physician).get(url("plan_new", patient=vrd_patient) + query, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="plan-editor"' in response.text
    assert "2.6 mg" in response.text
    assert "1.3 mg/m2 x 2.00 m2" in response.text  # the working: protocol dose x BSA (at its two decimals)
    # one cycle of VRd (issue 14 item 2): each dose's working once (bortezomib, lenalidomide,
    # dexamethasone); the cycle's grid has bortezomib days 1, 8, 15 and dexamethasone days 1, 8, 15, 22;
    # lenalidomide days 1-21 is one row, not 21
    assert response.text.count('<td class="dose">') == 3 + 1
    assert response.text.count('data-testid="grid-dose"') == 3 + 4
    assert response.text.count('data-testid="continuous-row"') == 1
    assert "HX-Request" in response["Vary"]


def test_plan_new_preview_lists_the_flags_to_acknowledge(client_for, physician, vrd_patient):
    query = "?regimen=Isa-VRd-induction&start_date=2026-01-05&cycles=2&bsa_formula=mosteller"
    response = client_for(physician).get(url("plan_new", patient=vrd_patient) + query, **HTMX)
    assert 'data-testid="flags-to-acknowledge"' in response.text
    assert "Syklus 3 og videre" in response.text


def test_plan_new_preview_shows_what_the_engine_refuses(client_for, physician, patient):
    query = "?regimen=VRd-induction&start_date=2026-01-05&bsa_formula=mosteller"
    response = client_for(physician).get(url("plan_new", patient=patient) + query, **HTMX)
    assert 'data-testid="preview-error"' in response.text and "height_cm" in response.text


def test_plan_new_invalid_input_shows_errors(client_for, physician, vrd_patient):
    response = client_for(physician).post(url("plan_new", patient=vrd_patient),
                                          {"regimen": "VRd-induction", "start_date": "", "bsa_formula": "mosteller"})
    assert response.status_code == 200
    assert "This field is required" in response.text
    assert not TreatmentPlan.objects.exists()


def test_plan_new_refusal_from_the_action_is_a_form_error(client_for, physician, vrd_patient):
    response = client_for(physician).post(url("plan_new", patient=vrd_patient), {
        "regimen": "VRd-induction", "start_date": "2026-01-05", "cycles": "7", "bsa_formula": "mosteller"})
    assert response.status_code == 200 and "plans 6 cycles" in response.text
    assert not TreatmentPlan.objects.exists()



FAR_DATES = [pytest.param("9999-12-31", id="year-9999"), pytest.param("0001-01-01", id="year-1"),
             pytest.param("1899-12-31", id="1899")]


def _start_date_error(html):
    """The start date field's own error (crispy: the input marked invalid, the message below it)."""
    import re

    field = re.search(r'<input type="text" name="start_date"[^>]*>', html).group(0)
    return "is-invalid" in field and "Enter a start date between" in html


@pytest.mark.hazard("HAZ-027")
@pytest.mark.parametrize("start", FAR_DATES)
def test_plan_new_preview_with_a_far_date_is_a_field_error_not_a_500(client_for, physician, vrd_patient, start):
    query = f"?regimen=VRd-induction&start_date={start}&cycles=1&bsa_formula=mosteller"
    response = client_for(physician).get(url("plan_new", patient=vrd_patient) + query, **HTMX)
    assert response.status_code == 200 and _start_date_error(response.text)
    assert '<td class="dose">' not in response.text


@pytest.mark.hazard("HAZ-027")
@pytest.mark.parametrize("start", FAR_DATES)
def test_plan_new_submit_with_a_far_date_is_a_field_error_and_saves_nothing(client_for, physician, vrd_patient,
                                                                            start):
    response = client_for(physician).post(url("plan_new", patient=vrd_patient), {
        "regimen": "VRd-induction", "start_date": start, "cycles": "1", "bsa_formula": "mosteller"})
    assert response.status_code == 200 and _start_date_error(response.text)
    assert not TreatmentPlan.objects.exists()


@pytest.mark.hazard("HAZ-027")
@pytest.mark.parametrize("start", FAR_DATES)
def test_plan_revise_with_a_far_date_is_a_field_error(client_for, physician, vrd_patient, start):
    plan = issued(physician, vrd_patient)
    response = client_for(physician).post(url("plan_revise", plan), {
        "start_date": start, "cycles": "1", "bsa_formula": "mosteller", "reason": "Start moved",
        "lock_version": plan.lock_version})
    assert response.status_code == 200 and _start_date_error(response.text)
    assert TreatmentPlan.objects.count() == 1

def test_plan_new_creates_a_draft(client_for, physician, vrd_patient):
    response = client_for(physician).post(url("plan_new", patient=vrd_patient), {
        "regimen": "VRd-induction", "start_date": "2026-01-05", "cycles": "2", "bsa_formula": "dubois"})
    plan = TreatmentPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == url("plan_detail", plan)
    assert (plan.status, plan.cycles, plan.bsa_formula, plan.created_by) == ("draft", 2, "dubois", physician)


def test_plan_new_htmx_post_redirects_the_client(client_for, physician, vrd_patient):
    response = client_for(physician).post(url("plan_new", patient=vrd_patient), {
        "regimen": "VRd-induction", "start_date": "2026-01-05", "bsa_formula": "mosteller"}, **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == url("plan_detail", TreatmentPlan.objects.get())


# --- plan_detail ----------------------------------------------------------------

def test_plan_detail_anonymous_redirects_to_login(client, physician, vrd_patient):
    assert client.get(url("plan_detail", draft(physician, vrd_patient))).status_code == 302


def test_plan_detail_of_another_patient_is_not_found(client_for, physician, vrd_patient, other_patient):
    plan = draft(physician, vrd_patient)
    wrong = reverse("patients:plan_detail", args=[other_patient.pk, plan.pk])
    assert client_for(physician).get(wrong).status_code == 404


def test_plan_detail_draft_has_the_issue_form_with_a_box_per_flag(client_for, physician, vrd_patient):
    plan = draft(physician, vrd_patient, regimen="Isa-VRd-induction", cycles=2)
    response = client_for(physician).get(url("plan_detail", plan))
    assert response.status_code == 200
    assert 'data-testid="issue-form"' in response.text
    flags = plans.compute_for(plan).flags
    assert flags  # at least the protocol's cycle-2 ambiguity
    for flag in flags:
        assert f'value="{flag["key"]}"' in response.text
    assert 'type="password"' in response.text
    assert "800 mg" in response.text  # isatuximab 10 mg/kg x 80 kg


def test_plan_detail_shows_no_sign_forms_to_a_nurse(client_for, physician, nurse, vrd_patient):
    plan = issued(physician, vrd_patient)
    response = client_for(nurse).get(url("plan_detail", plan))
    assert response.status_code == 200
    assert 'data-testid="verify-form"' not in response.text and 'data-testid="issue-form"' not in response.text
    assert 'data-testid="print-blocked"' in response.text


def test_plan_detail_issued_shows_the_pharmacists_checklist(client_for, physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient)
    response = client_for(pharmacist).get(url("plan_detail", plan))
    assert 'data-testid="verify-form"' in response.text
    for words in ("Patient identity", "Height, weight and BSA", "Each dose against the protocol",
                  "Every flag", "Premedication and supportive care"):
        assert words in response.text
    assert "<strong>Issued</strong>: Kari Hansen" in response.text  # the meaning in the reader's English


def test_plan_detail_verified_links_the_pdfs(client_for, physician, pharmacist, nurse, vrd_patient):
    plan = verified(physician, pharmacist, vrd_patient)
    response = client_for(nurse).get(url("plan_detail", plan))
    assert url("plan_sheet_pdf", plan) in response.text and url("plan_calendar_pdf", plan) in response.text
    assert "<strong>Verified</strong>: Per Lie" in response.text


def test_plan_detail_flags_a_superseded_protocol(client_for, physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient)
    new_protocol_version("VRd-induction", pharmacist, bortezomib={"dose": 1.0})
    response = client_for(physician).get(url("plan_detail", plan))
    assert 'data-testid="superseded-protocol-alert"' in response.text
    assert 'data-testid="sheet-superseded-protocol"' in response.text
    assert "2.6 mg" in response.text  # the frozen doses


# --- plan_issue -----------------------------------------------------------------

@pytest.mark.parametrize("persona", ["nurse", "pharmacist"], ids=["nurse", "pharmacist"])
def test_plan_issue_wrong_role_is_forbidden(request, client_for, persona, physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    response = client_for(request.getfixturevalue(persona)).post(url("plan_issue", plan), {"password": PASSWORD})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_plan_issue_get_is_not_allowed(client_for, physician, vrd_patient):
    assert client_for(physician).get(url("plan_issue", draft(physician, vrd_patient))).status_code == 405


def test_plan_issue_wrong_password_is_refused(client_for, physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    response = client_for(physician).post(url("plan_issue", plan), {"password": "wrong", "fingerprint": shown(plan),
                                                                     "lock_version": plan.lock_version})
    assert response.status_code == 422 and "The password is not correct" in response.text
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_plan_issue_htmx_refusal_returns_the_form_fragment(client_for, physician, vrd_patient):
    plan = draft(physician, vrd_patient, regimen="Isa-VRd-induction", cycles=2)
    response = client_for(physician).post(url("plan_issue", plan), {
        "password": PASSWORD, "fingerprint": shown(plan), "lock_version": plan.lock_version}, **HTMX)
    assert response.status_code == 422
    assert "<html" not in response.text and 'id="issue-form"' in response.text
    assert "Acknowledge this point before issuing" in response.text and "Syklus 3 og videre" in response.text


def test_plan_issue_success(client_for, physician, vrd_patient):
    plan = draft(physician, vrd_patient, regimen="Isa-VRd-induction", cycles=2)
    preview = plans.compute_for(plan)
    response = client_for(physician).post(url("plan_issue", plan), {
        "password": PASSWORD, "acknowledged_flags": [f["key"] for f in preview.flags],
        "fingerprint": preview.fingerprint, "lock_version": plan.lock_version})
    assert response.status_code == 302 and response["Location"] == url("plan_detail", plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED and plan.issued_by == physician


# --- plan_verify ----------------------------------------------------------------

def test_plan_verify_physician_is_forbidden(client_for, physician, second_physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    response = client_for(second_physician).post(url("plan_verify", plan), {**CHECKS, "password": PASSWORD})
    assert response.status_code == 403


def test_plan_verify_needs_every_check(client_for, physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient)
    response = client_for(pharmacist).post(url("plan_verify", plan),
                                           {"check_identity": "on", "password": PASSWORD}, **HTMX)
    assert response.status_code == 422 and 'id="verify-form"' in response.text and "<html" not in response.text
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED


def test_plan_verify_by_the_issuer_is_refused(client_for, admin_user, vrd_patient):
    plan = issued(admin_user, vrd_patient)
    response = client_for(admin_user).post(url("plan_verify", plan), {**CHECKS, "password": PASSWORD,
                                                                       "fingerprint": shown(plan),
                                                                       "lock_version": plan.lock_version})
    assert response.status_code == 422 and "another person must verify" in response.text


def test_plan_verify_success(client_for, physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient)
    response = client_for(pharmacist).post(url("plan_verify", plan), {**CHECKS, "password": PASSWORD,
                                                                       "fingerprint": shown(plan),
                                                                       "lock_version": plan.lock_version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.VERIFIED and plan.verified_by == pharmacist



def _hidden_value(html, name):
    import re

    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name}"
    return match.group(1)


@pytest.mark.hazard("HAZ-025")
def test_plan_verify_page_carries_the_fingerprint_of_the_issued_doses(client_for, physician, pharmacist,
                                                                      vrd_patient):
    plan = issued(physician, vrd_patient)
    page = client_for(pharmacist).get(url("plan_detail", plan)).text
    verify_form = page[page.index('id="verify-form"'):]
    assert _hidden_value(verify_form, "fingerprint") == plans.fingerprint(plan.snapshot)


@pytest.mark.hazard("HAZ-025")
@pytest.mark.parametrize("fingerprint", [None, "", "0" * 64], ids=["missing", "empty", "other"])
def test_plan_verify_without_the_shown_fingerprint_is_refused_as_changed_doses(client_for, physician, pharmacist,
                                                                               vrd_patient, fingerprint):
    plan = issued(physician, vrd_patient)
    data = {**CHECKS, "password": PASSWORD, "lock_version": plan.lock_version}
    if fingerprint is not None:
        data["fingerprint"] = fingerprint
    response = client_for(pharmacist).post(url("plan_verify", plan), data)
    assert response.status_code == 422
    assert "The doses have changed since the page was shown" in response.text
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED and plan.verified_by is None


@pytest.mark.hazard("HAZ-025")
@pytest.mark.parametrize("fingerprint", [None, ""], ids=["missing", "empty"])
def test_plan_issue_without_the_shown_fingerprint_is_refused_as_changed_doses(client_for, physician, vrd_patient,
                                                                              fingerprint):
    plan = draft(physician, vrd_patient)
    data = {"password": PASSWORD, "lock_version": plan.lock_version}
    if fingerprint is not None:
        data["fingerprint"] = fingerprint
    response = client_for(physician).post(url("plan_issue", plan), data)
    assert response.status_code == 422
    assert "The doses have changed since the page was shown" in response.text
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def _shown(time):
    """A signature's frozen time (local ``YYYY-MM-DD HH:MM``) as pages and paper write it."""
    import datetime

    return datetime.datetime.strptime(time, "%Y-%m-%d %H:%M").strftime("%d.%m.%Y %H:%M")


@pytest.mark.hazard("HAZ-026")
def test_plan_page_shows_each_signatures_meaning_name_role_and_time(client_for, physician, admin_user, nurse,
                                                                    vrd_patient):
    plan = issued(physician, vrd_patient)
    plan = actions.verify_plan(plan=plan, by=admin_user, password=PASSWORD, expected_fingerprint=shown(plan))
    page = in_english(client_for(nurse)).get(url("plan_detail", plan)).text
    block = page[page.index('data-testid="plan-signatures"'):]
    block = block[:block.index("</section>")]
    text = " ".join(block.split()).replace("<strong>", "").replace("</strong>", "")
    issued_sig, verified_sig = plan.sheet_snapshot()["signatures"]
    # the meaning and the role in the reader's language (the snapshot keeps «Forordnet / issued», «Lege»)
    assert f"Issued: Kari Hansen (Physician), {_shown(issued_sig['time'])}" in text
    assert f"Verified: Tor Admin (Administrator), {_shown(verified_sig['time'])}" in text
    assert "Pharmacist" not in text  # the administrator verified: not printed as pharmacist

# --- plan_revise and plan_cancel ------------------------------------------------

def test_plan_revise_wrong_role_is_forbidden(client_for, physician, nurse, vrd_patient):
    assert client_for(nurse).get(url("plan_revise", issued(physician, vrd_patient))).status_code == 403


def test_plan_revise_requires_a_reason(client_for, physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    response = client_for(physician).post(url("plan_revise", plan), {
        "start_date": "2026-01-12", "bsa_formula": "mosteller", "reason": ""}, **HTMX)
    assert response.status_code == 200 and 'id="revise-form"' in response.text
    assert "This field is required" in response.text
    assert TreatmentPlan.objects.count() == 1


def test_plan_revise_success_makes_version_2(client_for, physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    response = client_for(physician).post(url("plan_revise", plan), {
        "start_date": "2026-01-12", "cycles": "2", "bsa_formula": "mosteller", "reason": "Start postponed",
        "lock_version": plan.lock_version})
    new = TreatmentPlan.objects.get(version=2)
    assert response.status_code == 302 and response["Location"] == url("plan_detail", new)
    assert (new.previous, new.change_reason, new.start_date) == (plan, "Start postponed", datetime.date(2026, 1, 12))


def test_plan_cancel(client_for, physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    response = client_for(physician).post(url("plan_cancel", plan), {"reason": "Patient declined",
                                                                      "lock_version": plan.lock_version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CANCELLED and plan.cancel_reason == "Patient declined"


def test_plan_cancel_without_reason_changes_nothing(client_for, physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    client_for(physician).post(url("plan_cancel", plan), {"reason": ""})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED


def test_patient_nav_links_the_plans(client_for, physician, vrd_patient):
    response = client_for(physician).get(reverse("patients:overview", args=[vrd_patient.pk]))
    assert url("plan_list", patient=vrd_patient) in response.text


def test_issue_via_action_after_view_still_works(physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    assert actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                              expected_fingerprint=shown(plan)).status == "issued"


def test_the_issuer_is_told_another_person_verifies_and_gets_no_verify_form(client_for, admin_user, vrd_patient):
    """Four eyes: a user who may both issue and verify (the IT administrator) issued this plan; the page does not
    ask them to tick the checks and sign only to refuse it (the act refuses it too: test_plan_return.py)."""
    plan = issued(admin_user, vrd_patient)
    response = client_for(admin_user).get(url("plan_detail", plan))
    assert 'data-testid="verify-form"' not in response.text
    assert 'data-testid="verify-own-plan"' in response.text
    assert "You issued this plan: another person must verify it." in response.text


def test_plan_new_says_a_refusal_once(client_for, physician, vrd_patient):
    """Ven-Dex is given until progression (no planned number of cycles): without a number the plan is refused,
    once, beside the cycles field, not again as a banner above the preview."""
    response = client_for(physician).post(url("plan_new", patient=vrd_patient), {
        "regimen": "Ven-Dex", "start_date": "2026-01-05", "bsa_formula": "mosteller", "cycles": ""})
    assert response.status_code == 200
    assert response.text.count("is given until progression: say how many cycles to schedule") == 1
