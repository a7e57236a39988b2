"""Printing a plan: the dosing sheet and the patient calendar as PDFs, from the frozen snapshot,
only for a verified plan and only with the print right. Text is extracted with pypdf.

Doses by hand (VRd before HMAS, Handlingsprogram for myelomatose, "Induksjonsbehandlingen"):
180 cm / 80 kg -> Mosteller sqrt(180 x 80 / 3600) = 2.00 m2; bortezomib 1.3 mg/m2 x 2.00 m2 = 2.6 mg;
lenalidomide 25 mg; dexamethasone 40 mg."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from accounts import roles
from patients import actions, presenters, queries
from regimens.models import DrugLine
from tests.patients.plan_helpers import draft, issued, new_protocol_version, shown, verified
from tests.personas import PASSWORD, in_english, in_norwegian
from tests.regimens.factories import behind_the_draft_rule


def url(name, plan):
    return reverse(f"patients:{name}", args=[plan.patient_id, plan.pk])


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def plan(physician, pharmacist, vrd_patient):
    return verified(physician, pharmacist, vrd_patient, cycles=1)


@pytest.mark.parametrize("name", ["plan_sheet_pdf", "plan_calendar_pdf"], ids=["sheet", "calendar"])
def test_pdf_anonymous_redirects_to_login(client, plan, name):
    assert client.get(url(name, plan)).status_code == 302


@pytest.mark.parametrize("name", ["plan_sheet_pdf", "plan_calendar_pdf"], ids=["sheet", "calendar"])
@pytest.mark.hazard("HAZ-008")
def test_pdf_without_print_right_is_forbidden(client_for, no_rights_user, plan, name):
    assert client_for(no_rights_user).get(url(name, plan)).status_code == 403


@pytest.mark.parametrize("name", ["plan_sheet_pdf", "plan_calendar_pdf"], ids=["sheet", "calendar"])
@pytest.mark.parametrize("state", ["draft", "issued"], ids=["draft", "issued-not-verified"])
@pytest.mark.hazard("HAZ-008")
def test_unverified_plan_cannot_be_printed(client_for, physician, nurse, vrd_patient, name, state):
    plan = draft(physician, vrd_patient) if state == "draft" else issued(physician, vrd_patient)
    response = in_english(client_for(nurse)).get(url(name, plan))
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "only a plan verified by a pharmacist can be printed" in response.content.decode()


def test_dosing_sheet_pdf_has_the_patients_doses_and_signatures(client_for, nurse, plan, vrd_patient):
    text = pdf_text(client_for(nurse).get(url("plan_sheet_pdf", plan)))
    assert "Anne Testesen" in text and vrd_patient.national_id in text
    assert "VRd-induction" in text
    assert "2,6 mg" in text  # bortezomib, Norwegian decimal comma
    assert "1,3 mg/m² × 2,00 m²" in text  # the working line in bokmål (issue 12 item 1)
    assert "25 mg" in text and "40 mg" in text
    assert "180 cm" in text and "80,0 kg" in text and "2,00 m²" in text  # weight one decimal, BSA two
    # each signature's meaning in bokmål: «Forordnet», «Kontrollert» (signed as «Forordnet / issued» …)
    assert "Forordnet: Kari Hansen" in text and "/ issued" not in text
    assert "Kontrollert: Per Lie" in text and "/ verified" not in text


def test_calendar_pdf_in_plain_words(client_for, nurse, plan):
    text = " ".join(pdf_text(client_for(nurse).get(url("plan_calendar_pdf", plan))).split())
    assert "fra 05.01.2026 til 01.02.2026" in text  # dd.mm.åååå on paper too (one 28-day cycle)
    assert "Januar 2026" in text and "mandag" in text  # a month grid, weeks from Monday
    # issue 14 item 3: Norwegian drug names, hospital or home (no longer «bortezomib: 2,6 mg — …»)
    assert "Bortezomib 2,6 mg" in text and "sprøyte under huden" in text
    assert "Lenalidomid 25 mg" in text and "tablett/kapsel hjemme" in text


def test_printed_doses_equal_the_snapshot_after_the_protocol_is_edited(client_for, nurse, pharmacist, plan):
    page_before = presenters.plan_sheet(plan, active_versions=queries.active_versions())
    # the library changes later: a new active version, and a direct edit of the old version's line
    # (in the database itself: the app refuses to change a retired version, regimens/models/)
    new_protocol_version("VRd-induction", pharmacist, bortezomib={"dose": 1.0})
    behind_the_draft_rule(DrugLine).filter(protocol=plan.protocol, drug="bortezomib").update(dose=1.5)
    plan.refresh_from_db()
    page_after = presenters.plan_sheet(plan, active_versions=queries.active_versions())
    assert page_after["rows"] == page_before["rows"]
    assert page_after["protocol_superseded"] is True
    text = pdf_text(in_english(client_for(nurse)).get(url("plan_sheet_pdf", plan)))
    bortezomib = [a for a in plan.snapshot["schedule"]["administrations"] if a["drug"] == "bortezomib"]
    assert {a["dose"] for a in bortezomib} == {2.6}
    assert "2.6 mg" in text and "1.3 mg/m2 x 2.00 m2" in text
    assert " 1 mg/m2 x" not in text and "1.5 mg/m2 x" not in text  # neither edited dose was used
    assert "Issued on a superseded protocol" in text


def test_page_and_pdf_use_the_same_context(client_for, nurse, plan, monkeypatch):
    seen = []
    from patients.views import plans as views

    real = views.render_pdf

    def spy(template, context, **kwargs):
        seen.append(context)
        return real(template, context, **kwargs)

    monkeypatch.setattr(views, "render_pdf", spy)
    client_for(nurse).get(url("plan_sheet_pdf", plan))
    assert seen == [presenters.plan_sheet(plan, active_versions=queries.active_versions())]


def _shown(time):
    """A signature's frozen time (local ``YYYY-MM-DD HH:MM``) as pages and paper write it."""
    import datetime

    return datetime.datetime.strptime(time, "%Y-%m-%d %H:%M").strftime("%d.%m.%Y %H:%M")


@pytest.mark.hazard("HAZ-026")
@pytest.mark.parametrize("name", ["plan_sheet_pdf", "plan_calendar_pdf"], ids=["sheet", "calendar"])
def test_every_printed_page_carries_both_signatures(client_for, physician, admin_user, nurse, vrd_patient, name):
    # Six cycles of VRd: many pages; a page taken alone still says who signed, in which role, when.
    plan = issued(physician, vrd_patient)
    plan = actions.verify_plan(plan=plan, by=admin_user, password=PASSWORD, expected_fingerprint=shown(plan))
    issued_sig, verified_sig = plan.sheet_snapshot()["signatures"]
    with translation.override("nb"):
        physician_label, admin_label = str(roles.ROLE_LABELS[roles.PHYSICIAN]), str(roles.ROLE_LABELS[roles.ADMIN])
    response = client_for(nurse).get(url(name, plan))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Forordnet: Kari Hansen ({physician_label}), {_shown(issued_sig['time'])}" in text, number
        assert f"Kontrollert: Tor Admin ({admin_label}), {_shown(verified_sig['time'])}" in text, number


def test_the_pdfs_are_named_in_the_readers_language(client_for, nurse, physician, pharmacist, vrd_patient):
    plan = verified(physician, pharmacist, vrd_patient)
    client = in_norwegian(client_for(nurse))
    sheet = client.get(reverse("patients:plan_sheet_pdf", args=[plan.patient_id, plan.pk]))
    calendar = client.get(reverse("patients:plan_calendar_pdf", args=[plan.patient_id, plan.pk]))
    name = f"{plan.protocol.code}-plan{plan.pk}-v{plan.version}.pdf"
    assert sheet["Content-Disposition"] == f'inline; filename="doseringsark-{name}"'
    assert calendar["Content-Disposition"] == f'inline; filename="behandlingskalender-{name}"'
