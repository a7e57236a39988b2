"""Recording the skeletal and emergency findings and the organ function for CAR-T (patients/models/findings.py)."""

from django.db import transaction

from patients import models
from patients.actions.common import save


def _record(model, *, by, patient, date, reason, values):
    unknown = set(values) - set(model.FINDINGS)
    if unknown:
        raise TypeError(f"unknown {model.__name__} fields: {sorted(unknown)}")
    return save(model(patient=patient, date=date, **values), by=by, reason=reason)


@transaction.atomic
def record_skeletal_findings(*, by, patient, date, reason="Recorded", **findings):
    return _record(models.SkeletalFindings, by=by, patient=patient, date=date, reason=reason, values=findings)


@transaction.atomic
def record_organ_function(*, by, patient, date, reason="Recorded", **findings):
    return _record(models.OrganFunction, by=by, patient=patient, date=date, reason=reason, values=findings)
