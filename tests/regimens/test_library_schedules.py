"""The shipped regimen library (regimens/protocols/*.yaml) through the dose engine: for every active
protocol, the dated schedule of a reference patient checked against the guideline's dosing tables
(Handlingsprogram for myelomatose 1.2, "Behandling av myelomatose").

Reference patient: 80 kg, 180 cm -> Mosteller BSA sqrt(180 x 80 / 3600) = sqrt(4) = 2.00 m2; 64 years;
eGFR 88 mL/min; start Monday 2026-01-05. Variants change one value: 76 years, exactly 75 years,
eGFR 25, eGFR exactly 30, 55 kg, exactly 60 kg (BSA changes with weight; only weight-based lines are
checked in the weight variants).

Every dose is computed by hand in a comment; dates are the start date plus whole cycles
(28 d: C2 2026-02-02, C3 03-02, C6 05-25, C7 06-22, C8 07-20, C9 08-17, C17 2027-03-29, C18 04-26;
56 d: C2 2026-03-02). One case per table row (and cycle range), id "<code>-<drug as the guideline
writes it>-<cycles>-<variant>". Expected values come from the guideline text, never from the engine.
"""

import dataclasses
import datetime as dt
from functools import cache
from typing import NamedTuple

import pytest

from regimens.dosing import DosingPatient, InvalidInput, calculate_schedule
from regimens.schema import Status

from .protocol_library import protocols

MONDAY = dt.date(2026, 1, 5)
REF = DosingPatient(weight_kg=80, height_cm=180, age=64, egfr_ml_min=88)
VARIANTS = {
    "ref": REF,
    "76y": dataclasses.replace(REF, age=76),
    "75y": dataclasses.replace(REF, age=75),
    "eGFR25": dataclasses.replace(REF, egfr_ml_min=25),
    "eGFR30": dataclasses.replace(REF, egfr_ml_min=30),
    "55kg": dataclasses.replace(REF, weight_kg=55),
    "60kg": dataclasses.replace(REF, weight_kg=60),
}
D1_21 = tuple(range(1, 22))  # "Dag 1-21": 21 administrations
WEEKLY = (1, 8, 15, 22)  # "Dag 1, 8, 15, 22"
DEX_56 = (1, 8, 15, 22, 29, 36, 43, 50)  # "Dag 1, 8, 15, 22, 29, 36, 43, 50"
POM_56 = (*range(1, 22), *range(29, 50))  # "Dag 1-21 og dag 29-49": 21 + 21 = 42 administrations

# Flags other than protocol ambiguities that the exact-boundary variants raise
DEX_75 = ("boundary:dexamethasone:age:75",)
LEN_30 = ("boundary:lenalidomide:renal:30",)
GCSF_60 = ("boundary:filgrastim:weight:60",)
MEL_48H = ("event_interval:melphalan:0",)


def at(days, dose):
    return dict.fromkeys(days, dose)


class Row(NamedTuple):
    id: str
    code: str
    variant: str
    drug: str
    cycle: int  # 0: the event-anchored phase (phase days)
    doses: dict  # {day: dose}; empty: the drug is not given in this cycle
    unit: str
    first_date: dt.date | None
    flags: tuple = ()
    labels: tuple = ()
    times_per_day: int = 1


def d(month, day, year=2026):
    return dt.date(year, month, day)


ROWS = [
    # ---------------------------------------------------------------- Induksjonsbehandlingen: VRd, 28 d x 6
    Row("VRd-induction-bortezomib-C1", "VRd-induction", "ref", "bortezomib", 1,
        at((1, 8, 15), 2.6), "mg", d(1, 5)),  # 1.3 mg/m2 x 2.00 m2 = 2.6 mg
    Row("VRd-induction-bortezomib-C6", "VRd-induction", "ref", "bortezomib", 6,
        at((1, 8, 15), 2.6), "mg", d(5, 25)),  # the 6th and last cycle: 2026-01-05 + 5 x 28 d
    Row("VRd-induction-lenalidomid-C1", "VRd-induction", "ref", "lenalidomide", 1, at(D1_21, 25), "mg", d(1, 5)),
    Row("VRd-induction-deksametason-C1", "VRd-induction", "ref", "dexamethasone", 1, at(WEEKLY, 40), "mg", d(1, 5)),
    Row("VRd-induction-lenalidomid-eGFR<30-15mg", "VRd-induction", "eGFR25", "lenalidomide", 1,
        at(D1_21, 15), "mg", d(1, 5)),
    Row("VRd-induction-lenalidomid-eGFR30-25mg-flagged", "VRd-induction", "eGFR30", "lenalidomide", 1,
        at(D1_21, 25), "mg", d(1, 5), LEN_30),
    # the induction tables give no age rule for dexamethasone: 40 mg at 76
    Row("VRd-induction-deksametason-76y-no-age-rule", "VRd-induction", "76y", "dexamethasone", 1,
        at(WEEKLY, 40), "mg", d(1, 5)),
    # ---------------------------------------------------------------- Dara-VRd før HMAS
    Row("Dara-VRd-induction-daratumumab-syklus1-2-C1", "Dara-VRd-induction", "ref", "daratumumab", 1,
        at(WEEKLY, 1800), "mg", d(1, 5)),  # 1800 mg flat
    Row("Dara-VRd-induction-daratumumab-syklus1-2-C2", "Dara-VRd-induction", "ref", "daratumumab", 2,
        at(WEEKLY, 1800), "mg", d(2, 2)),
    Row("Dara-VRd-induction-daratumumab-syklus3-6-C3", "Dara-VRd-induction", "ref", "daratumumab", 3,
        at((1, 15), 1800), "mg", d(3, 2)),
    Row("Dara-VRd-induction-daratumumab-syklus3-6-C6", "Dara-VRd-induction", "ref", "daratumumab", 6,
        at((1, 15), 1800), "mg", d(5, 25)),
    Row("Dara-VRd-induction-bortezomib-C1", "Dara-VRd-induction", "ref", "bortezomib", 1,
        at((1, 8, 15), 2.6), "mg", d(1, 5)),  # 1.3 x 2.00 = 2.6 mg
    Row("Dara-VRd-induction-lenalidomid-C1", "Dara-VRd-induction", "ref", "lenalidomide", 1,
        at(D1_21, 25), "mg", d(1, 5)),
    Row("Dara-VRd-induction-deksametason-C1", "Dara-VRd-induction", "ref", "dexamethasone", 1,
        at(WEEKLY, 40), "mg", d(1, 5)),
    Row("Dara-VRd-induction-lenalidomid-eGFR<30-15mg", "Dara-VRd-induction", "eGFR25", "lenalidomide", 1,
        at(D1_21, 15), "mg", d(1, 5)),
    # ---------------------------------------------------------------- Isa-VRd før HMAS
    Row("Isa-VRd-induction-isatuximab-syklus1", "Isa-VRd-induction", "ref", "isatuximab", 1,
        at(WEEKLY, 800), "mg", d(1, 5)),  # 10 mg/kg x 80 kg = 800 mg
    # cycle 2: the guideline is silent; the protocol's interpretation (day 1, 15), flagged as an ambiguity
    Row("Isa-VRd-induction-isatuximab-syklus2-tolkning", "Isa-VRd-induction", "ref", "isatuximab", 2,
        at((1, 15), 800), "mg", d(2, 2)),
    Row("Isa-VRd-induction-isatuximab-syklus3-og-videre", "Isa-VRd-induction", "ref", "isatuximab", 3,
        at((1, 15), 800), "mg", d(3, 2)),
    Row("Isa-VRd-induction-bortezomib-C1", "Isa-VRd-induction", "ref", "bortezomib", 1,
        at((1, 8, 15), 2.6), "mg", d(1, 5)),
    Row("Isa-VRd-induction-lenalidomid-C1", "Isa-VRd-induction", "ref", "lenalidomide", 1,
        at(D1_21, 25), "mg", d(1, 5)),
    Row("Isa-VRd-induction-deksametason-C1", "Isa-VRd-induction", "ref", "dexamethasone", 1,
        at(WEEKLY, 40), "mg", d(1, 5)),
    Row("Isa-VRd-induction-lenalidomid-eGFR30-25mg-flagged", "Isa-VRd-induction", "eGFR30", "lenalidomide", 1,
        at(D1_21, 25), "mg", d(1, 5), LEN_30),
    Row("Isa-VRd-induction-isatuximab-55kg", "Isa-VRd-induction", "55kg", "isatuximab", 1,
        at(WEEKLY, 550), "mg", d(1, 5)),  # 10 mg/kg x 55 kg = 550 mg
    # ---------------------------------------------------------------- Høstekur med cyklofosfamid (one phase)
    Row("Cy-mobilisation-cyklofosfamid-dag1", "Cy-mobilisation", "ref", "cyclophosphamide", 0,
        at((1,), 4), "g", d(1, 5)),  # 2 g/m2 x 2.00 m2 = 4 g
    Row("Cy-mobilisation-uromitexan-dag1-x4", "Cy-mobilisation", "ref", "mesna", 0,
        at((1,), 1600), "mg", d(1, 5), times_per_day=4),  # 800 mg/m2 x 2.00 m2 = 1600 mg, 4 times that day
    Row("Cy-mobilisation-G-CSF-vekt>60kg-480ug-dag7", "Cy-mobilisation", "ref", "filgrastim", 0,
        at((7,), 480), "microgram", d(1, 11)),  # "Starter dag 7": 2026-01-05 + 6 d
    Row("Cy-mobilisation-G-CSF-vekt<60kg-300ug", "Cy-mobilisation", "55kg", "filgrastim", 0,
        at((7,), 300), "microgram", d(1, 11)),
    Row("Cy-mobilisation-G-CSF-60kg-480ug-flagged", "Cy-mobilisation", "60kg", "filgrastim", 0,
        at((7,), 480), "microgram", d(1, 11), GCSF_60),
    # ---------------------------------------------------------------- Høydose melfalan (phase day -1 = start date)
    Row("Mel-HMAS-melfalan-200mg/m2-dag-1", "Mel-HMAS", "ref", "melphalan", 0,
        at((-1,), 400), "mg", d(1, 5)),  # 200 mg/m2 x 2.00 m2 = 400 mg
    Row("Mel-HMAS-melfalan-eGFR<30-140mg/m2", "Mel-HMAS", "eGFR25", "melphalan", 0,
        at((-1,), 280), "mg", d(1, 5), MEL_48H),  # 140 mg/m2 x 2.00 m2 = 280 mg; 48 h to reinfusion flagged
    # "Ved eGFR <30": 30 is not below 30, and the guideline defines no other side: 400 mg, no flag
    Row("Mel-HMAS-melfalan-eGFR30-200mg/m2", "Mel-HMAS", "eGFR30", "melphalan", 0,
        at((-1,), 400), "mg", d(1, 5)),
    # ---------------------------------------------------------------- Vedlikeholdsbehandling etter HMAS
    Row("R-maintenance-lenalidomid-C1", "R-maintenance", "ref", "lenalidomide", 1, at(D1_21, 15), "mg", d(1, 5)),
    Row("R-maintenance-lenalidomid-C3", "R-maintenance", "ref", "lenalidomide", 3, at(D1_21, 15), "mg", d(3, 2)),
    Row("R-maintenance-lenalidomid-eGFR25-15mg", "R-maintenance", "eGFR25", "lenalidomide", 1,
        at(D1_21, 15), "mg", d(1, 5)),  # the maintenance dose is already 15 mg ("15 mg daglig hvis eGFR <30")
    Row("VR-maintenance-bortezomib-dag1-og-15", "VR-maintenance", "ref", "bortezomib", 1,
        at((1, 15), 2.6), "mg", d(1, 5)),  # 1.3 x 2.00 = 2.6 mg
    Row("VR-maintenance-lenalidomid", "VR-maintenance", "ref", "lenalidomide", 1, at(D1_21, 15), "mg", d(1, 5)),
    Row("Dara-R-maintenance-daratumumab-dag1-C1", "Dara-R-maintenance", "ref", "daratumumab", 1,
        at((1,), 1800), "mg", d(1, 5)),
    Row("Dara-R-maintenance-daratumumab-dag1-C2", "Dara-R-maintenance", "ref", "daratumumab", 2,
        at((1,), 1800), "mg", d(2, 2)),
    Row("Dara-R-maintenance-lenalidomid", "Dara-R-maintenance", "ref", "lenalidomide", 1,
        at(D1_21, 15), "mg", d(1, 5)),
    Row("Isa-R-maintenance-isatuximab-dag1", "Isa-R-maintenance", "ref", "isatuximab", 1,
        at((1,), 800), "mg", d(1, 5)),  # 10 x 80 = 800 mg
    Row("Isa-R-maintenance-lenalidomid", "Isa-R-maintenance", "ref", "lenalidomide", 1,
        at(D1_21, 15), "mg", d(1, 5)),
    # ---------------------------------------------------------------- Dara-VRd (ikke HMAS), til progresjon
    Row("Dara-VRd-daratumumab-syklus1-2", "Dara-VRd", "ref", "daratumumab", 1, at(WEEKLY, 1800), "mg", d(1, 5)),
    Row("Dara-VRd-daratumumab-syklus3-6", "Dara-VRd", "ref", "daratumumab", 3, at((1, 15), 1800), "mg", d(3, 2)),
    Row("Dara-VRd-daratumumab-syklus7-og-videre", "Dara-VRd", "ref", "daratumumab", 7,
        at((1,), 1800), "mg", d(6, 22)),
    Row("Dara-VRd-bortezomib-syklus1-8-C1", "Dara-VRd", "ref", "bortezomib", 1, at((1, 8, 15), 2.6), "mg", d(1, 5)),
    Row("Dara-VRd-bortezomib-syklus1-8-C8", "Dara-VRd", "ref", "bortezomib", 8,
        at((1, 8, 15), 2.6), "mg", d(7, 20)),
    Row("Dara-VRd-bortezomib-ikke-etter-syklus8", "Dara-VRd", "ref", "bortezomib", 9, {}, "mg", None),
    Row("Dara-VRd-lenalidomid", "Dara-VRd", "ref", "lenalidomide", 1, at(D1_21, 25), "mg", d(1, 5)),
    Row("Dara-VRd-deksametason-<75-ar-40mg", "Dara-VRd", "ref", "dexamethasone", 1, at(WEEKLY, 40), "mg", d(1, 5)),
    Row("Dara-VRd-deksametason->75-ar-20mg", "Dara-VRd", "76y", "dexamethasone", 1, at(WEEKLY, 20), "mg", d(1, 5)),
    Row("Dara-VRd-deksametason-75-ar-20mg-flagged", "Dara-VRd", "75y", "dexamethasone", 1,
        at(WEEKLY, 20), "mg", d(1, 5), DEX_75),
    Row("Dara-VRd-lenalidomid-eGFR<30-15mg", "Dara-VRd", "eGFR25", "lenalidomide", 1, at(D1_21, 15), "mg", d(1, 5)),
    Row("Dara-VRd-lenalidomid-eGFR30-25mg-flagged", "Dara-VRd", "eGFR30", "lenalidomide", 1,
        at(D1_21, 25), "mg", d(1, 5), LEN_30),
    # ---------------------------------------------------------------- Isa-VRd (ikke HMAS)
    Row("Isa-VRd-isatuximab-syklus1", "Isa-VRd", "ref", "isatuximab", 1, at(WEEKLY, 800), "mg", d(1, 5)),
    Row("Isa-VRd-isatuximab-syklus2-17-C2", "Isa-VRd", "ref", "isatuximab", 2, at((1, 15), 800), "mg", d(2, 2)),
    Row("Isa-VRd-isatuximab-syklus2-17-C17", "Isa-VRd", "ref", "isatuximab", 17,
        at((1, 15), 800), "mg", d(3, 29, 2027)),
    Row("Isa-VRd-isatuximab-syklus18-og-videre", "Isa-VRd", "ref", "isatuximab", 18,
        at((1,), 800), "mg", d(4, 26, 2027)),
    Row("Isa-VRd-bortezomib-syklus1-8-C1", "Isa-VRd", "ref", "bortezomib", 1, at((1, 8, 15), 2.6), "mg", d(1, 5)),
    Row("Isa-VRd-bortezomib-syklus1-8-C8", "Isa-VRd", "ref", "bortezomib", 8, at((1, 8, 15), 2.6), "mg", d(7, 20)),
    Row("Isa-VRd-bortezomib-ikke-etter-syklus8", "Isa-VRd", "ref", "bortezomib", 9, {}, "mg", None),
    Row("Isa-VRd-lenalidomid", "Isa-VRd", "ref", "lenalidomide", 1, at(D1_21, 25), "mg", d(1, 5)),
    Row("Isa-VRd-deksametason-<75-ar-40mg", "Isa-VRd", "ref", "dexamethasone", 1, at(WEEKLY, 40), "mg", d(1, 5)),
    Row("Isa-VRd-deksametason->75-ar-20mg", "Isa-VRd", "76y", "dexamethasone", 1, at(WEEKLY, 20), "mg", d(1, 5)),
    Row("Isa-VRd-deksametason-75-ar-20mg-flagged", "Isa-VRd", "75y", "dexamethasone", 1,
        at(WEEKLY, 20), "mg", d(1, 5), DEX_75),
    Row("Isa-VRd-lenalidomid-eGFR<30-15mg", "Isa-VRd", "eGFR25", "lenalidomide", 1, at(D1_21, 15), "mg", d(1, 5)),
    # ---------------------------------------------------------------- DRd
    Row("DRd-daratumumab-syklus1-2-C1", "DRd", "ref", "daratumumab", 1, at(WEEKLY, 1800), "mg", d(1, 5)),
    Row("DRd-daratumumab-syklus1-2-C2", "DRd", "ref", "daratumumab", 2, at(WEEKLY, 1800), "mg", d(2, 2)),
    Row("DRd-daratumumab-syklus3-6", "DRd", "ref", "daratumumab", 6, at((1, 15), 1800), "mg", d(5, 25)),
    Row("DRd-daratumumab-syklus7-og-videre", "DRd", "ref", "daratumumab", 7, at((1,), 1800), "mg", d(6, 22)),
    Row("DRd-lenalidomid", "DRd", "ref", "lenalidomide", 1, at(D1_21, 25), "mg", d(1, 5)),
    Row("DRd-deksametason-<75-ar-40mg", "DRd", "ref", "dexamethasone", 1, at(WEEKLY, 40), "mg", d(1, 5)),
    Row("DRd-deksametason->75-ar-20mg", "DRd", "76y", "dexamethasone", 1, at(WEEKLY, 20), "mg", d(1, 5)),
    Row("DRd-deksametason-75-ar-20mg-flagged", "DRd", "75y", "dexamethasone", 1,
        at(WEEKLY, 20), "mg", d(1, 5), DEX_75),
    Row("DRd-lenalidomid-eGFR<30-15mg", "DRd", "eGFR25", "lenalidomide", 1, at(D1_21, 15), "mg", d(1, 5)),
    Row("DRd-lenalidomid-eGFR30-25mg-flagged", "DRd", "eGFR30", "lenalidomide", 1,
        at(D1_21, 25), "mg", d(1, 5), LEN_30),
    # ---------------------------------------------------------------- Isa-Kd
    Row("Isa-Kd-isatuximab-syklus1", "Isa-Kd", "ref", "isatuximab", 1, at(WEEKLY, 800), "mg", d(1, 5)),
    Row("Isa-Kd-isatuximab-syklus2-og-videre", "Isa-Kd", "ref", "isatuximab", 2, at((1, 15), 800), "mg", d(2, 2)),
    # "Syklus 1: Dag 1: 20 mg/m2, dag 8, 15: 70 mg/m2": 20 x 2.00 = 40 mg; 70 x 2.00 = 140 mg
    Row("Isa-Kd-karfilzomib-syklus1", "Isa-Kd", "ref", "carfilzomib", 1,
        {1: 40, 8: 140, 15: 140}, "mg", d(1, 5)),
    # "Syklus 2 og videre: 70 mg/m2 dag 1, 8, 15": 140 mg
    Row("Isa-Kd-karfilzomib-syklus2-og-videre", "Isa-Kd", "ref", "carfilzomib", 2,
        at((1, 8, 15), 140), "mg", d(2, 2)),
    Row("Isa-Kd-deksametason-<75-ar-40mg", "Isa-Kd", "ref", "dexamethasone", 1, at(WEEKLY, 40), "mg", d(1, 5)),
    Row("Isa-Kd-deksametason->75-ar-20mg", "Isa-Kd", "76y", "dexamethasone", 1, at(WEEKLY, 20), "mg", d(1, 5)),
    Row("Isa-Kd-deksametason-75-ar-20mg-flagged", "Isa-Kd", "75y", "dexamethasone", 1,
        at(WEEKLY, 20), "mg", d(1, 5), DEX_75),
    Row("Isa-Kd-isatuximab-55kg", "Isa-Kd", "55kg", "isatuximab", 1, at(WEEKLY, 550), "mg", d(1, 5)),  # 10 x 55
    # ---------------------------------------------------------------- BPd, 56-dagers sykluser
    Row("BPd-belantamab-dag1-syklus1", "BPd", "ref", "belantamab mafodotin", 1,
        at((1,), 200), "mg", d(1, 5)),  # 2.5 mg/kg x 80 kg = 200 mg
    Row("BPd-belantamab-dag1-syklus2-og-videre", "BPd", "ref", "belantamab mafodotin", 2,
        at((1,), 152), "mg", d(3, 2)),  # 1.9 mg/kg x 80 kg = 152 mg; 2026-01-05 + 56 d
    Row("BPd-pomalidomid-dag1-21-og-29-49", "BPd", "ref", "pomalidomide", 1, at(POM_56, 4), "mg", d(1, 5)),
    Row("BPd-pomalidomid-syklus2", "BPd", "ref", "pomalidomide", 2, at(POM_56, 4), "mg", d(3, 2)),
    Row("BPd-deksametason-<75-ar-40mg", "BPd", "ref", "dexamethasone", 1, at(DEX_56, 40), "mg", d(1, 5)),
    Row("BPd-deksametason->75-ar-20mg", "BPd", "76y", "dexamethasone", 1, at(DEX_56, 20), "mg", d(1, 5)),
    Row("BPd-deksametason-75-ar-20mg-flagged", "BPd", "75y", "dexamethasone", 1,
        at(DEX_56, 20), "mg", d(1, 5), DEX_75),
    Row("BPd-belantamab-55kg", "BPd", "55kg", "belantamab mafodotin", 1,
        at((1,), 137.5), "mg", d(1, 5)),  # 2.5 x 55 = 137.5 mg
    # ---------------------------------------------------------------- BVd, 56-dagers sykluser
    Row("BVd-belantamab-dag1-syklus1", "BVd", "ref", "belantamab mafodotin", 1, at((1,), 200), "mg", d(1, 5)),
    Row("BVd-belantamab-dag1-syklus2-og-videre", "BVd", "ref", "belantamab mafodotin", 2,
        at((1,), 152), "mg", d(3, 2)),
    Row("BVd-bortezomib-dag1-8-15-29-36-43", "BVd", "ref", "bortezomib", 1,
        at((1, 8, 15, 29, 36, 43), 2.6), "mg", d(1, 5)),  # 1.3 x 2.00 = 2.6 mg
    Row("BVd-bortezomib-syklus2", "BVd", "ref", "bortezomib", 2,
        at((1, 8, 15, 29, 36, 43), 2.6), "mg", d(3, 2)),
    Row("BVd-deksametason-<75-ar-40mg", "BVd", "ref", "dexamethasone", 1, at(DEX_56, 40), "mg", d(1, 5)),
    Row("BVd-deksametason->75-ar-20mg", "BVd", "76y", "dexamethasone", 1, at(DEX_56, 20), "mg", d(1, 5)),
    Row("BVd-deksametason-75-ar-20mg-flagged", "BVd", "75y", "dexamethasone", 1,
        at(DEX_56, 20), "mg", d(1, 5), DEX_75),
    # ---------------------------------------------------------------- PCd and Pd ("PCd uten C")
    Row("PCd-pomalidomid", "PCd", "ref", "pomalidomide", 1, at(D1_21, 4), "mg", d(1, 5)),
    Row("PCd-cyklofosfamid-400mg", "PCd", "ref", "cyclophosphamide", 1, at((1, 8, 15), 400), "mg", d(1, 5)),
    Row("PCd-deksametason-<75-ar-40mg", "PCd", "ref", "dexamethasone", 1, at(WEEKLY, 40), "mg", d(1, 5)),
    Row("PCd-deksametason->75-ar-20mg", "PCd", "76y", "dexamethasone", 1, at(WEEKLY, 20), "mg", d(1, 5)),
    Row("PCd-deksametason-75-ar-20mg-flagged", "PCd", "75y", "dexamethasone", 1,
        at(WEEKLY, 20), "mg", d(1, 5), DEX_75),
    Row("Pd-pomalidomid", "Pd", "ref", "pomalidomide", 1, at(D1_21, 4), "mg", d(1, 5)),
    Row("Pd-deksametason-<75-ar-40mg", "Pd", "ref", "dexamethasone", 1, at(WEEKLY, 40), "mg", d(1, 5)),
    Row("Pd-deksametason->75-ar-20mg", "Pd", "76y", "dexamethasone", 1, at(WEEKLY, 20), "mg", d(1, 5)),
    Row("Pd-deksametason-75-ar-20mg-flagged", "Pd", "75y", "dexamethasone", 1,
        at(WEEKLY, 20), "mg", d(1, 5), DEX_75),
    # ---------------------------------------------------------------- Teklistamab: step-up day 1 and 3, then
    # C1D1 >= 48 h after step-up 2 (2026-01-07 + 2 d = 2026-01-09)
    Row("teclistamab-opptrapping", "teclistamab", "ref", "teclistamab", 0,
        {1: 4.8, 3: 24}, "mg", d(1, 5), labels=("step-up 1", "step-up 2")),  # 0.06 x 80 = 4.8; 0.3 x 80 = 24
    Row("teclistamab-syklus1-ukentlig", "teclistamab", "ref", "teclistamab", 1,
        at(WEEKLY, 120), "mg", d(1, 9)),  # 1.5 mg/kg x 80 kg = 120 mg
    Row("teclistamab-syklus2-hver-2-uke", "teclistamab", "ref", "teclistamab", 2,
        at((1, 15), 120), "mg", d(2, 6)),
    Row("teclistamab-syklus3+-manedlig", "teclistamab", "ref", "teclistamab", 3, at((1,), 120), "mg", d(3, 6)),
    # ---------------------------------------------------------------- Elranatamab: C1D1 >= 72 h after step-up 2
    Row("elranatamab-opptrapping", "elranatamab", "ref", "elranatamab", 0,
        {1: 12, 3: 32}, "mg", d(1, 5), labels=("step-up 1", "step-up 2")),  # flat 12 mg, 32 mg
    Row("elranatamab-syklus1-ukentlig", "elranatamab", "ref", "elranatamab", 1,
        at(WEEKLY, 76), "mg", d(1, 10)),  # 2026-01-07 + 3 d
    Row("elranatamab-syklus2-hver-2-uke", "elranatamab", "ref", "elranatamab", 2, at((1, 15), 76), "mg", d(2, 7)),
    Row("elranatamab-syklus3+-manedlig", "elranatamab", "ref", "elranatamab", 3, at((1,), 76), "mg", d(3, 7)),
    # ---------------------------------------------------------------- Talkvetamab: step-up day 1, 3, 5; C1D1 >= 48 h
    # after step-up 3 (2026-01-09 + 2 d = 2026-01-11)
    Row("talquetamab-opptrapping", "talquetamab", "ref", "talquetamab", 0,
        {1: 0.8, 3: 4.8, 5: 32}, "mg", d(1, 5),  # 0.01 x 80 = 0.8; 0.06 x 80 = 4.8; 0.4 x 80 = 32
        labels=("step-up 1", "step-up 2", "step-up 3")),
    Row("talquetamab-syklus1-og-2-C1", "talquetamab", "ref", "talquetamab", 1,
        at((1, 15), 64), "mg", d(1, 11)),  # 0.8 mg/kg x 80 kg = 64 mg
    Row("talquetamab-syklus1-og-2-C2", "talquetamab", "ref", "talquetamab", 2, at((1, 15), 64), "mg", d(2, 8)),
    Row("talquetamab-syklus3+-manedlig", "talquetamab", "ref", "talquetamab", 3, at((1,), 64), "mg", d(3, 8)),
    # ---------------------------------------------------------------- Venetoclax-Dex, 28-dagerssykluser
    Row("Ven-Dex-venetoclax-1-28", "Ven-Dex", "ref", "venetoclax", 1, at(range(1, 29), 400), "mg", d(1, 5)),
    Row("Ven-Dex-dexametason-ukentlig-40mg", "Ven-Dex", "ref", "dexamethasone", 1, at(WEEKLY, 40), "mg", d(1, 5)),
    # "Pasienter >75 år halverer dosen dexametason": 40 / 2 = 20 mg
    Row("Ven-Dex-dexametason->75-ar-halveres", "Ven-Dex", "76y", "dexamethasone", 1,
        at(WEEKLY, 20), "mg", d(1, 5)),
    # only ">75" is written, so 75 is defined: 40 mg, no flag
    Row("Ven-Dex-dexametason-75-ar-40mg", "Ven-Dex", "75y", "dexamethasone", 1, at(WEEKLY, 40), "mg", d(1, 5)),
]

# The dose to give where the table's exact dose has more than three significant figures (issue 14,
# docs/adr/0014-dose-rounding-policy.md: three significant figures, at most two decimals, half up).
GIVEN = {
    "BPd-belantamab-55kg": 138,  # 137.5 mg -> 138 mg (+0.36 %)
}

ACTIVE = sorted(code for code, p in protocols().items() if p.status == Status.ACTIVE)
DRAFTS = sorted(code for code, p in protocols().items() if p.status == Status.DRAFT)


def cycles_to_schedule(code):
    """None for a protocol with planned cycles or only a phase; else the last cycle a row checks."""
    proto = protocols()[code]
    if proto.cycles is not None or not proto.drugs:
        return None
    return max(row.cycle for row in ROWS if row.code == code)


@cache
def schedule(code, variant):
    return calculate_schedule(protocols()[code], VARIANTS[variant], start_date=MONDAY,
                              cycles=cycles_to_schedule(code))


def items(result, drug, cycle):
    return [a for a in result.administrations if a.drug == drug and a.cycle == cycle]


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_table_row(row):
    result = schedule(row.code, row.variant)
    given = items(result, row.drug, row.cycle)
    # the days of the table row, each given once: "Dag 1-21" gives 21 administrations
    assert [a.day for a in given] == sorted(row.doses)
    assert len(given) == len(row.doses)
    for item in given:
        assert item.dose == pytest.approx(GIVEN.get(row.id, row.doses[item.day])), f"day {item.day}"
        assert item.calculated_dose == pytest.approx(row.doses[item.day])  # the guideline gives no rounding
        assert item.unit == row.unit
        assert item.times_per_day == row.times_per_day
        assert item.date == row.first_date + dt.timedelta(days=item.day - given[0].day)
    if given:
        assert given[0].date == row.first_date
    if row.labels:
        assert tuple(a.label for a in given) == row.labels
    # boundary and event-interval flags exactly as expected; protocol ambiguities are checked below
    assert {f.key for f in result.flags if f.kind != "ambiguity"} == set(row.flags)


def test_every_active_protocol_has_rows_and_every_row_is_active():
    assert {row.code for row in ROWS} == set(ACTIVE)
    assert {row.variant for row in ROWS} == set(VARIANTS)


FIRST = sorted({(row.code, row.cycle) for row in ROWS if row.variant == "ref" and row.cycle <= 1})


@pytest.mark.parametrize(("code", "cycle"), FIRST, ids=[f"{c}-{'fase' if n == 0 else 'syklus1'}" for c, n in FIRST])
def test_the_first_cycle_holds_exactly_the_table_rows(code, cycle):
    """Cycle 1 (or the phase) of the reference patient: every drug of the table has a row, and the
    schedule holds no administration beyond the rows."""
    rows = [row for row in ROWS if (row.code, row.variant, row.cycle) == (code, "ref", cycle)]
    given = [a for a in schedule(code, "ref").administrations if a.cycle == cycle]
    assert {a.drug for a in given} == {row.drug for row in rows}
    assert len(given) == sum(len(row.doses) for row in rows)


# (code, cycles in the schedule when none are asked for): "Antall sykluser: 6 før HMAS"; single courses none
PLANNED = [("VRd-induction", 6), ("Dara-VRd-induction", 6), ("Isa-VRd-induction", 6),
           ("Cy-mobilisation", 0), ("Mel-HMAS", 0)]


@pytest.mark.parametrize(("code", "count"), PLANNED, ids=[f"{p[0]}-antall-sykluser" for p in PLANNED])
def test_planned_cycle_count(code, count):
    result = calculate_schedule(protocols()[code], REF, start_date=MONDAY)
    assert result.cycles == count
    assert max(a.cycle for a in result.administrations) == count
    if count:
        with pytest.raises(InvalidInput):
            calculate_schedule(protocols()[code], REF, start_date=MONDAY, cycles=count + 1)


UNTIL_PROGRESSION = sorted(code for code in ACTIVE if protocols()[code].until_progression)


@pytest.mark.parametrize("code", UNTIL_PROGRESSION, ids=[f"{c}-til-progresjon" for c in UNTIL_PROGRESSION])
def test_until_progression_schedules_the_cycles_asked_for(code):
    length = protocols()[code].cycle_length_days  # "Sykluslengde: 28 dager" / "56 dagers sykluser"
    result = calculate_schedule(protocols()[code], REF, start_date=MONDAY, cycles=2)
    assert result.cycles == 2 and {a.cycle for a in result.administrations} - {0} == {1, 2}
    c1 = min(a.date for a in result.administrations if (a.cycle, a.day) == (1, 1))
    c2 = min(a.date for a in result.administrations if (a.cycle, a.day) == (2, 1))
    assert (c2 - c1).days == length


def test_mel_hmas_reinfusion_stays_on_day_0_and_is_flagged_with_egfr_below_30():
    """'minst 48 timer mellom avsluttet melfalan til start av reinfusjon' (eGFR <30): melphalan on day -1
    (2026-01-05), reinfusion day 0 (2026-01-06) is at most 24 h later; move to day +1 (2026-01-07) or later."""
    result = schedule("Mel-HMAS", "eGFR25")
    (event,) = result.events
    assert (event.day, event.date) == (0, d(1, 6))
    (flag,) = [f for f in result.flags if f.kind == "event_interval"]
    assert "minst 48 timer mellom avsluttet melfalan til start av reinfusjon" in flag.source_text
    assert "day +1 (2026-01-07) or later" in flag.message
    assert flag.message in result.warnings
    for variant in ("ref", "eGFR30"):
        assert not [w for w in schedule("Mel-HMAS", variant).warnings if "48 h" in w]


@pytest.mark.parametrize("code", ACTIVE)
def test_every_protocol_ambiguity_is_a_schedule_flag(code):
    result = schedule(code, "ref")
    flagged = [(f.source_text, f.interpretation) for f in result.flags if f.kind == "ambiguity"]
    assert flagged == [(a.source_text, a.interpretation) for a in protocols()[code].ambiguities]


def test_isa_vrd_induction_cycle_2_interpretation_is_flagged():
    """'Syklus 1: Dag 1, 8, 15, 22 / Syklus 3 og videre: Dag 1, 15' says nothing of cycle 2."""
    result = schedule("Isa-VRd-induction", "ref")
    (flag,) = [f for f in result.flags if f.kind == "ambiguity" and "Syklus 3 og videre" in f.source_text]
    assert "syklus 2" in flag.interpretation.lower() and flag.message


@pytest.mark.parametrize(("code", "variant"), [("Dara-VRd", "75y"), ("DRd", "eGFR30"), ("Cy-mobilisation", "60kg")],
                         ids=["deksametason-75-ar", "lenalidomid-eGFR30", "G-CSF-60kg"])
def test_boundary_side_is_in_the_working(code, variant):
    result = schedule(code, variant)
    (flag,) = [f for f in result.flags if f.kind != "ambiguity"]
    (item, *_) = [a for a in result.administrations if a.drug == flag.drug]
    assert item.working.boundary and "leaves this value undefined" in item.working.boundary[0]
    assert flag.interpretation in item.working.boundary[0]


# ------------------------------------------------------------------ the API: every active protocol, every draft

API_BODY = {"weight_kg": 80, "height_cm": 180, "age": 64, "egfr_ml_min": 88, "start_date": "2026-01-05"}


@pytest.mark.parametrize("code", ACTIVE)
def test_api_doses_every_active_protocol(client_for, physician, code):
    body = {**API_BODY, "regimen": code}
    if protocols()[code].until_progression:
        body["cycles"] = 1
    response = client_for(physician).post("/api/v1/dosing", body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["regimen"] == code and data["version"] == str(protocols()[code].version)
    assert data["administrations"]
    assert len(data["flags"]) == len(protocols()[code].ambiguities)  # the reference patient is at no boundary


@pytest.mark.parametrize("code", DRAFTS)
def test_api_refuses_every_draft_with_409(client_for, physician, code):
    response = client_for(physician).post("/api/v1/dosing", {**API_BODY, "regimen": code, "cycles": 1},
                                          content_type="application/json")
    assert response.status_code == 409
    assert "pharmacist must complete and activate it in the admin" in response.json()["detail"]
