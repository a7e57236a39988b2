"""The dosing sheet's «Doser og utregning» table says on which days of which cycles each dose is given, also
when the days change between cycles (hazard HAZ-137). Expected days from the protocol table (Handlingsprogram
for myelomatose, «Andrelinjebehandling», table «Isatuximab, karfilzomib, deksametason (Isa-Kd)»):
isatuximab 10 mg/kg «Syklus 1: Dag 1, 8, 15, 22 / Syklus 2 og videre: Dag 1, 15»; karfilzomib «Syklus 1: Dag 1:
20 mg/m2, dag 8, 15: 70 mg/m2 / Syklus 2 og videre: 70 mg/m2 dag 1, 8, 15»; deksametason dag 1, 8, 15, 22."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.patients.plan_helpers import START, draft, non_round_bsa_patient

CYCLES = 3


@pytest.fixture
def where(client_for, physician):
    """(drug, the lines of the dose's «where» cell) of every row of the working table of a three-cycle Isa-Kd
    draft, read from the plan page."""
    plan = draft(physician, non_round_bsa_patient(physician), "Isa-Kd", cycles=CYCLES, start_date=START)
    with translation.override("nb"):
        html = client_for(physician).get(reverse("patients:plan_detail", args=[plan.patient_id, plan.pk]))
    found = re.findall(r'data-testid="working" data-drug="([^"]+)".*?data-testid="where">(.*?)</td>',
                       html.content.decode(), flags=re.S)
    return [(drug, [" ".join(line.split()) for line in cell.split("<br>")]) for drug, cell in found]


@pytest.mark.hazard("HAZ-137")
def test_isa_kd_isatuximab_weekly_in_cycle_1_then_days_1_and_15(where):
    assert [lines for drug, lines in where if drug == "isatuximab"] == [
        ["syklus 1, dag 1, 8, 15, 22", "syklus 2–3, dag 1, 15"]]


@pytest.mark.hazard("HAZ-137")
def test_isa_kd_carfilzomib_20_mg_m2_on_cycle_1_day_1_and_70_mg_m2_on_the_other_days(where):
    assert [lines for drug, lines in where if drug == "carfilzomib"] == [
        ["syklus 1, dag 1"], ["syklus 1, dag 8, 15", "syklus 2–3, dag 1, 8, 15"]]


@pytest.mark.hazard("HAZ-137")
def test_isa_kd_dexamethasone_days_1_8_15_22_every_cycle(where):
    assert [lines for drug, lines in where if drug == "dexamethasone"] == [["syklus 1–3, dag 1, 8, 15, 22"]]


def test_the_sheet_names_the_regimen_once_when_its_name_holds_its_code(client_for, physician):
    plan = draft(physician, non_round_bsa_patient(physician), "Isa-Kd", cycles=1, start_date=START)
    with translation.override("nb"):
        html = client_for(physician).get(reverse("patients:plan_detail", args=[plan.patient_id, plan.pk])).text
    assert "Isatuximab, karfilzomib, deksametason (Isa-Kd)</dd>" in html and "(Isa-Kd) (Isa-Kd)" not in html
