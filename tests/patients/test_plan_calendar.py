"""The patient calendar of a 6-cycle VRd plan (issue 14, item 3), printed through the app and read back
from the PDF's text (pypdf): a month grid in plain Norwegian with the guideline's support medicines, the
check-up at each cycle start and the ward to call. Doses by hand (VRd before HMAS, Handlingsprogram for
myelomatose, "Induksjonsbehandlingen"): 168 cm / 72.5 kg -> Mosteller sqrt(168 x 72.5 / 3600) = 1.8394 m2;
bortezomib 1.3 mg/m2 x 1.8394 m2 = 2.3912 mg, given as 2.39 mg (three significant figures, ADR 0014);
lenalidomide 25 mg days 1-21; dexamethasone 40 mg days 1, 8, 15, 22. «Støttebehandling» of the VRd table:
«Husk profylakse mot herpes zoster (valaciklovir 250 mg x 2) og tromboseprofylakse med acetylsalisylsyre
75 mg x 1»."""

import datetime
import io
import os
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from patients import actions, plans
from regimens.models import Protocol
from tests.patients.factories import ANNE_ID
from tests.patients.plan_helpers import measure, verified
from tests.personas import in_english

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
ENGLISH_NAMES = ("dexamethasone", "lenalidomide", "Dexamethasone", "Lenalidomide")
INTERNAL_CODES = ("VRd-induction", "L01XG01", "L04AX04", "H02AB02", "first_line_transplant", "mg/m2", " po ",
                  " sc ", "Mosteller", "step-up")


@pytest.fixture
def vrd6(physician, pharmacist):
    patient = actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID,
                                       ward="Hematologisk post")
    measure(patient, physician, height=168, weight=72.5)
    return verified(physician, pharmacist, patient, cycles=6, start_date=datetime.date(2026, 1, 5))


def calendar_pdf(client, plan):
    response = client.get(reverse("patients:plan_calendar_pdf", args=[plan.patient_id, plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    shots = os.environ.get("CALENDAR_SHOTS")  # a directory: keep the PDF to render and look at its pages
    if shots:
        with open(os.path.join(shots, "calendar-vrd6.pdf"), "wb") as out:
            out.write(response.content)
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages]


@pytest.mark.hazard("HAZ-090", "HAZ-091")
def test_the_vrd_calendar_is_a_month_grid_in_norwegian_with_support_medicines_and_the_ward(
        client_for, nurse, vrd6, settings):
    settings.WARD_NAME, settings.WARD_PHONE = "Hematologisk sengepost", "55 97 50 00"
    pages = calendar_pdf(client_for(nurse), vrd6)
    text = " ".join(pages)
    # 6 x 28 days from Monday 5 January 2026: to Sunday 21 June 2026, six months and the medicines page
    assert len(pages) == 7
    months = ("Januar", "Februar", "Mars", "April", "Mai", "Juni")
    for number, (page, month) in enumerate(zip(pages[:-1], months, strict=True), 1):
        assert f"{month} 2026" in page, f"page {number}"
        assert all(day in page for day in WEEKDAYS), f"page {number} lacks the weekday headers"
        assert "Hematologisk sengepost, telefon 55 97 50 00" in page, f"page {number} lacks the ward"
        assert "Anne Testesen" in page and ANNE_ID in page
    for name in ("Bortezomib 2,39 mg", "Lenalidomid 25 mg", "Deksametason 40 mg", "Valaciklovir",
                 "Acetylsalisylsyre", "sprøyte under huden"):
        assert name in text, name
    assert "Valaciklovir 250 mg, 2 ganger daglig" in text and "Acetylsalisylsyre 75 mg, 1 gang daglig" in text
    for word in (*ENGLISH_NAMES, *INTERNAL_CODES):
        assert word not in text, word
    assert not re.search(r"\d,\d{3,}", text)  # no working, no long decimals
    assert text.count("Kontroll med blodprøver") == 6  # one check-up per cycle start
    assert "Syklus 6 starter" in pages[4]  # 5 January + 5 x 28 days = 25 May
    medicines = pages[-1]
    assert "Medisinene dine" in medicines and "Forebygger helvetesild" in medicines
    assert "Syklus 1–6: dag 1–21" in medicines and "Syklus 1–6: dag 1, 8, 15 og 22" in medicines


@pytest.mark.hazard("HAZ-091")
def test_an_unset_ward_is_said_plainly_on_every_page(client_for, nurse, vrd6, settings):
    settings.WARD_NAME, settings.WARD_PHONE = "", ""
    for page in calendar_pdf(client_for(nurse), vrd6):
        assert "Avdelingens navn og telefonnummer er ikke lagt inn" in page


@pytest.mark.hazard("HAZ-094")
def test_the_calendar_is_in_bokmal_with_decimal_commas_whatever_the_printing_users_language(
        client_for, nurse, vrd6):
    # a nurse on the English interface prints for a Norwegian patient: «2.39 mg» could be read as 239 mg
    text = " ".join(calendar_pdf(in_english(client_for(nurse)), vrd6))
    assert "Bortezomib 2,39 mg" in text and "2.39" not in text
    assert "Din behandlingskalender" in text and "Your treatment calendar" not in text


@pytest.mark.hazard("HAZ-090")
def test_a_dara_vrd_month_with_two_hospital_drugs_a_week_stays_on_its_page(client_for, nurse, physician,
                                                                          pharmacist):
    """Dara-VRd (Handlingsprogram for myelomatose, «Behandling av pasienter som ikke er aktuelle for HMAS»):
    daratumumab 1800 mg s.c. weekly in cycles 1–2 beside bortezomib days 1, 8, 15. Six 28-day cycles from Monday
    7 December 2026 run to 23 May 2027: December to May, six month pages and the medicines page, each month's
    name on one page only (December has five weeks, three of them with both drugs at the hospital)."""
    patient = actions.register_patient(by=physician, name="Ingrid Testesen", national_id=ANNE_ID,
                                       ward="Hematologisk post")
    measure(patient, physician, height=158, weight=61)
    start = datetime.date(2026, 12, 7)
    flags = plans.compute(patient, Protocol.objects.current("Dara-VRd"), start_date=start, cycles=6).flags
    plan = verified(physician, pharmacist, patient, regimen="Dara-VRd", cycles=6, start_date=start,
                    acknowledge=[flag["key"] for flag in flags])
    pages = calendar_pdf(client_for(nurse), plan)
    months = ("Desember 2026", "Januar 2027", "Februar 2027", "Mars 2027", "April 2027", "Mai 2027")
    assert len(pages) == len(months) + 1
    for page, month in zip(pages, months, strict=False):
        assert month in page
    assert "Daratumumab 1800 mg" in pages[0] and "28" in pages[0] and "31" in pages[0]


def test_a_drug_at_two_doses_names_the_dose_of_each_line_of_days(client_for, nurse, physician, pharmacist):
    """Isa-Kd (Handlingsprogram for myelomatose, «Andrelinjebehandling»): carfilzomib 20 mg/m² on day 1 of
    cycle 1, then 70 mg/m² on days 8 and 15 of cycle 1 and days 1, 8 and 15 from cycle 2. 180 cm / 80 kg:
    Mosteller √(180 × 80 / 3600) = 2,00 m², 20 × 2,00 = 40 mg and 70 × 2,00 = 140 mg. The medicines page
    says which dose falls on which days (a walk through the app, stop 23: «Karfilzomib 39,3 mg / 138 mg —
    Syklus 1–2: dag 1, 8 og 15» left the patient to guess)."""
    patient = actions.register_patient(by=physician, name="Ingrid Testesen", national_id=ANNE_ID,
                                       ward="Hematologisk post")
    measure(patient, physician)
    start = datetime.date(2026, 12, 7)
    flags = plans.compute(patient, Protocol.objects.current("Isa-Kd"), start_date=start, cycles=2).flags
    plan = verified(physician, pharmacist, patient, regimen="Isa-Kd", cycles=2, start_date=start,
                    acknowledge=[flag["key"] for flag in flags])
    medicines = calendar_pdf(client_for(nurse), plan)[-1]
    assert "40 mg: syklus 1: dag 1 " in medicines
    assert "140 mg: syklus 1: dag 8 og 15" in medicines and "140 mg: syklus 2: dag 1, 8 og 15" in medicines
