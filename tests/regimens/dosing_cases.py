"""Shared cases of the dose engine's tests (regimens/dosing/): the standard patient, the protocols' drug lines
and helpers to compute a schedule."""

import datetime as dt

from hypothesis import HealthCheck, settings

from regimens.dosing import DosingPatient, calculate_schedule
from tests.regimens.protocols import AGE_RULE, WEIGHT_RULE, protocol

MONDAY = dt.date(2026, 1, 5)
STANDARD = DosingPatient(weight_kg=80, height_cm=180, age=64, egfr_ml_min=88)
PROPS = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def schedule(proto, patient=STANDARD, **kwargs):
    kwargs.setdefault("start_date", MONDAY)
    return calculate_schedule(proto, patient, **kwargs)


def doses(result, drug):
    return [a.dose for a in result.administrations if a.drug == drug]


DEX = {"drug": "dexamethasone", "route": "po", "dose": 40, "basis": "mg", "schedule": [{"days": [1, 8, 15, 22]}],
       "rules": [AGE_RULE]}
GCSF = {"drug": "filgrastim", "route": "sc", "dose": 480, "basis": "microgram", "schedule": [{"days": [7]}],
        "rules": [WEIGHT_RULE]}
MELPHALAN = {
    "drug": "melphalan", "route": "iv", "dose": 200, "basis": "mg/m2", "schedule": [{"days": [-1]}],
    "rules": [{"kind": "renal", "comparison": "below", "threshold": 30, "dose": 140,
               "source_text": "Ved eGFR <30 ml/min: 140 mg/m2"}],
}


def mel_hmas(**line):
    return protocol(
        code="Mel-HMAS", setting="high_dose", drugs=[], cycles=None, cycle_length_days=None,
        phases=[{"name": "HMAS", "start_day": -1, "drugs": [{**MELPHALAN, **line}],
                 "events": [{"day": 0, "text": "Reinfusjon stamceller"}]}],
    )


# Mel-HMAS with the renal rule that asks for 48 h from melphalan to the reinfusion (eGFR <30).
MEL_48H = {"rules": [{**MELPHALAN["rules"][0], "min_hours_to_next_event": 48}]}
