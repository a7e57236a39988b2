"""Shared helpers of the treatment tests: the advice for one patient (the engine with the shipped library,
tests/guidelines/shipped.py), and history lines and relapse patients written briefly."""

from guidelines.facts import Cytogenetics, Frailty, PatientFacts, TreatmentLine
from tests.guidelines.shipped import recommend

FIT = Frailty.FIT


def advise(facts, diagnosis="ACTIVE_MYELOMA", high_risk=False, egfr=80):
    return recommend(facts, diagnosis_code=diagnosis, high_risk=high_risk, egfr_ml_min=egfr)


def ranked(advice):
    return [(o.regimen, o.rank) for o in advice.options]


def notes(advice):
    return " ".join(advice.notes)


def line(n, regimen=None, drugs=(), refractory=(), intolerant=(), **kw):
    return TreatmentLine(line=n, regimen=regimen, drugs=drugs, refractory_to=refractory, intolerant_to=intolerant,
                         **kw)


def relapse(*lines, age=60, frailty=FIT, t11_14=False, **kw):
    return PatientFacts(age=age, frailty=frailty, cytogenetics=Cytogenetics(t11_14=t11_14),
                        treatment_history=tuple(lines), **kw)


LINE1_R = line(1, "VRd-induction", refractory=("lenalidomide",))
