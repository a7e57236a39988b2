"""The dosing sheet and calendar PDFs: real WeasyPrint output, text extracted and checked."""

import datetime as dt
import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from regimens.calendar import calendar_context
from regimens.formatting import format_number
from regimens.pdf import render_pdf
from regimens.sheets import dosing_sheet_context


def _snapshot(days=1):
    administrations = []
    for i in range(days):
        date = (dt.date(2026, 1, 5) + dt.timedelta(days=i)).isoformat()
        administrations += [
            {"cycle": 1, "day": 1 + i, "date": date, "drug": "bortezomib", "dose": 2.6, "calculated_dose": 2.6,
             "unit": "mg", "route": "sc", "basis": "1.3 mg/m2 x 2.00 m2", "label": "", "adjustments": [],
             "working": "1.3 mg/m² × 2.00 m² (Mosteller) = 2.6 mg"},
            {"cycle": 1, "day": 1 + i, "date": date, "drug": "lenalidomide", "dose": 15, "calculated_dose": 15,
             "unit": "mg", "route": "po", "basis": "15 mg", "label": "",
             "adjustments": ["eGFR 25 < 30 mL/min: 15 mg instead of 25 mg"]},
        ]
    return {
        "patient": {"name": "Kari Nordmann", "national_id": "01017012345", "birth_date": "1970-01-01", "ward": "Hem"},
        "measurements": {"height_cm": 180, "height_date": "2026-01-02", "weight_kg": 80, "weight_date": "2026-01-02",
                         "bsa_m2": 2.0, "bsa_formula": "Mosteller", "egfr_ml_min": 25, "egfr_date": "2026-01-02"},
        "protocol": {"code": "VRd-induction", "name": "VRd", "version": 1, "source": "Handlingsprogram — VRd"},
        "schedule": {"administrations": administrations, "premedication": [], "supportive_care": ["Valaciklovir"],
                     "warnings": [], "flags": [{"source_text": "<75 år: 40 mg / >75 år: 20 mg",
                                                "interpretation": "75 år: 40 mg"}]},
        "plan": {"id": 7, "version": 2},
        "signatures": [{"meaning": "Utstedt", "name": "Kari Hansen", "role": "lege", "time": "2026-01-04 10:00"}],
    }


def _text(pdf):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.hazard("HAZ-005", "HAZ-014")
@pytest.mark.parametrize(
    ("value", "nb", "en"),
    [(2.6, "2,6", "2.6"), (1800, "1800", "1800"), (0.06, "0,06", "0.06"), (1.25, "1,25", "1.25"), (20.0, "20", "20")],
)
def test_format_number_keeps_every_digit(value, nb, en):
    with translation.override("nb"):
        assert format_number(value) == nb
    with translation.override("en"):
        assert format_number(value) == en


@pytest.mark.hazard("HAZ-001", "HAZ-014")
def test_dosing_sheet_pdf_has_doses_working_flags_signature_and_page_numbers():
    with translation.override("nb"):
        pdf = render_pdf("regimens/dosing_sheet_pdf.html", dosing_sheet_context(_snapshot(days=30)))
    text = _text(pdf)
    assert pdf.startswith(b"%PDF")
    assert "Kari Nordmann" in text and "01017012345" in text
    assert "2,6 mg" in text and "15 mg" in text
    assert "1.3 mg/m2 x 2.00 m2" in text
    assert "eGFR 25 < 30 mL/min" in text
    assert "<75 år: 40 mg / >75 år: 20 mg" in text
    assert "Kari Hansen" in text
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 2
    assert f"Side 1 av {pages}" in reader.pages[0].extract_text()
    assert f"Side {pages} av {pages}" in reader.pages[-1].extract_text()
    # A4 portrait: 595 × 842 pt
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_the_page_numbers_are_in_the_documents_language():
    """An English dosing sheet says «Page 1 of 2», not the Norwegian «Side 1 av 2» (a walk through the app,
    stop 23); the patient calendar is in bokmål whatever the printing user's language, its page numbers too."""
    with translation.override("en"):
        sheet = PdfReader(io.BytesIO(render_pdf("regimens/dosing_sheet_pdf.html",
                                                dosing_sheet_context(_snapshot(days=30)))))
        calendar = PdfReader(io.BytesIO(render_pdf("regimens/calendar_pdf.html", calendar_context(_snapshot(days=2)))))
    pages = len(sheet.pages)
    first = sheet.pages[0].extract_text()
    assert f"Page 1 of {pages}" in first and "Side 1 av" not in first
    assert "Verified by" in first and "Checked by" not in first  # the header's word is the signature's
    assert f"Side 1 av {len(calendar.pages)}" in calendar.pages[0].extract_text()


@pytest.mark.hazard("HAZ-014")
def test_calendar_pdf_in_plain_norwegian():
    with translation.override("nb"):
        pdf = render_pdf("regimens/calendar_pdf.html", calendar_context(_snapshot(days=2)))
    text = _text(pdf)
    # issue 14 item 3: a month grid with Norwegian drug names (no longer a day list with the codes' names)
    assert "Januar 2026" in text and "mandag" in text and "søndag" in text
    assert "Bortezomib 2,6 mg" in text and "sprøyte under huden" in text
    assert "Lenalidomid 15 mg" in text and "tablett/kapsel hjemme" in text
    assert "lenalidomide" not in text and "bortezomib:" not in text


SIGNED = [
    {"meaning": "Forordnet / issued", "name": "Kari Hansen", "role": "Lege", "role_code": "physician",
     "time": "2026-01-04 10:00"},
    {"meaning": "Kontrollert / verified", "name": "Tor Admin", "role": "Administrator", "role_code": "admin",
     "time": "2026-01-04 11:30"},
]


@pytest.mark.hazard("HAZ-026")
@pytest.mark.parametrize(("template", "context", "days", "reference"), [
    pytest.param("regimens/dosing_sheet_pdf.html", dosing_sheet_context, 30, ("VRd-induction", "plan 7"),
                 id="dosing-sheet"),
    # the patient's calendar names the plan, not the protocol's code (issue 14 item 3: no internal codes)
    pytest.param("regimens/calendar_pdf.html", calendar_context, 60, ("Behandlingsplan 7, versjon 2",),
                 id="calendar"),
])
def test_every_page_carries_each_signatures_meaning_name_role_and_time(template, context, days, reference):
    # A page torn off the sheet still says who prescribed and who checked, in which role, when.
    with translation.override("nb"):
        pdf = render_pdf(template, context({**_snapshot(days=days), "signatures": SIGNED}))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        text = " ".join(page.extract_text().split())
        for line in ("Forordnet: Kari Hansen (Lege), 04.01.2026 10:00",
                     "Kontrollert: Tor Admin (Administrator), 04.01.2026 11:30"):
            assert line in text, f"page {number} of {len(pages)} lacks {line!r}"
        assert all(words in text for words in reference), f"page {number} lacks {reference}"


def test_an_unsigned_sheet_says_so_on_every_page():
    with translation.override("en"):
        pdf = render_pdf("regimens/dosing_sheet_pdf.html", dosing_sheet_context({**_snapshot(days=30),
                                                                                 "signatures": []}))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    assert all("Not signed." in page.extract_text() for page in pages)
