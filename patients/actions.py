"""Every write to a patient record: one function per clinical act.

Each action takes keyword arguments only, validates the whole record
(``full_clean``: field validators, physiological ranges, units, dates,
uniqueness) before anything is saved, and runs in one transaction, so a
refused record leaves nothing behind. ``by`` is the user who acts and
``reason`` the change reason; both go into the record's history
(django-simple-history).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from patients import labcatalogue
from patients.models import (
    ClinicalStatus,
    CytogeneticsResult,
    HeightWeight,
    ImagingFinding,
    LabResult,
    MarrowFinding,
    Patient,
    PoemsFindings,
    TreatmentLine,
)


def _save(instance, *, by, reason):
    instance.full_clean()
    instance._history_user = by
    instance._change_reason = reason
    instance.save()
    return instance


@transaction.atomic
def register_patient(*, by, name, national_id, ward="", reason="Registered"):
    """Register a patient; birth date and sex come from the national identity number."""
    patient = Patient(name=(name or "").strip(), national_id="".join((national_id or "").split()), ward=ward)
    return _save(patient, by=by, reason=reason)


@transaction.atomic
def record_height_weight(*, by, patient, date, height_cm=None, weight_kg=None, reason="Recorded"):
    return _save(
        HeightWeight(patient=patient, date=date, height_cm=height_cm, weight_kg=weight_kg), by=by, reason=reason
    )


@transaction.atomic
def record_lab_result(
    *, by, patient, date, analyte, value, isotype="", lower_limit=None, upper_limit=None, reason="Recorded"
):
    """Record one lab result. Reference limits not given by the laboratory are
    taken from the catalogue's defaults for the patient's sex and age, and
    marked as such (``limits_from_catalogue``)."""
    result = LabResult(
        patient=patient, date=date, analyte=analyte, value=value, isotype=isotype or "",
        lower_limit=lower_limit, upper_limit=upper_limit,
    )
    if analyte in labcatalogue.ANALYTES and lower_limit is None and upper_limit is None:
        age = patient.age_on(date) if date else None
        low, high = labcatalogue.reference_limits(analyte, sex=patient.sex, age=age)
        if low is not None or high is not None:
            result.lower_limit, result.upper_limit = low, high
            result.limits_from_catalogue = True
    return _save(result, by=by, reason=reason)


@transaction.atomic
def record_marrow(*, by, patient, date, clonal_plasma_cells_pct, reason="Recorded"):
    return _save(
        MarrowFinding(patient=patient, date=date, clonal_plasma_cells_pct=clonal_plasma_cells_pct),
        by=by, reason=reason,
    )


@transaction.atomic
def record_imaging(
    *, by, patient, date, lytic_lesions=None, mri_focal_lesions=None, plasmacytoma="",
    plasmacytoma_biopsy_proven=None, plasmacytoma_count=None, sclerotic_bone_lesions=None, reason="Recorded",
):
    finding = ImagingFinding(
        patient=patient, date=date, lytic_lesions=lytic_lesions, mri_focal_lesions=mri_focal_lesions,
        plasmacytoma=plasmacytoma or "", plasmacytoma_biopsy_proven=plasmacytoma_biopsy_proven,
        plasmacytoma_count=plasmacytoma_count, sclerotic_bone_lesions=sclerotic_bone_lesions,
    )
    return _save(finding, by=by, reason=reason)


@transaction.atomic
def record_cytogenetics(*, by, patient, date, reason="Recorded", del1p32="", **results):
    unknown = set(results) - set(CytogeneticsResult.BOOLEAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown cytogenetics fields: {sorted(unknown)}")
    return _save(
        CytogeneticsResult(patient=patient, date=date, del1p32=del1p32 or "", **results), by=by, reason=reason
    )


@transaction.atomic
def record_poems_findings(*, by, patient, date, endocrinopathy=None, reason="Recorded", **findings):
    unknown = set(findings) - set(PoemsFindings.BOOLEAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown POEMS fields: {sorted(unknown)}")
    if endocrinopathy is not None:
        endocrinopathy = list(endocrinopathy)
    return _save(
        PoemsFindings(patient=patient, date=date, endocrinopathy=endocrinopathy, **findings), by=by, reason=reason
    )


TREATMENT_FIELDS = (
    "line", "regimen", "drugs", "start_date", "end_date", "best_response", "refractory_to", "intolerant_to",
    "autologous_transplant", "transplant_date", "months_from_transplant_to_progression",
)


@transaction.atomic
def record_treatment_line(
    *, by, patient, line, regimen, drugs, start_date, end_date=None, best_response="", refractory_to=(),
    intolerant_to=(), autologous_transplant=None, transplant_date=None,
    months_from_transplant_to_progression=None, reason="Recorded",
):
    treatment = TreatmentLine(
        patient=patient, line=line, regimen=(regimen or "").strip(), drugs=list(drugs), start_date=start_date,
        end_date=end_date, best_response=best_response or "", refractory_to=list(refractory_to),
        intolerant_to=list(intolerant_to), autologous_transplant=autologous_transplant,
        transplant_date=transplant_date, months_from_transplant_to_progression=months_from_transplant_to_progression,
    )
    _check_refractory_drugs(treatment)
    return _save(treatment, by=by, reason=reason)


@transaction.atomic
def update_treatment_line(*, by, treatment_line, reason, **changes):
    """Correct or complete a treatment line (end date, best response,
    refractoriness...). A reason is required: it is part of the audit trail."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason for the change.")})
    unknown = set(changes) - set(TREATMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown treatment line fields: {sorted(unknown)}")
    treatment = TreatmentLine.objects.select_for_update().get(pk=treatment_line.pk)
    for name, value in changes.items():
        if name in ("drugs", "refractory_to", "intolerant_to"):
            value = list(value)
        elif name in ("best_response", "regimen") and value is None:
            value = ""
        setattr(treatment, name, value)
    _check_refractory_drugs(treatment)
    return _save(treatment, by=by, reason=reason.strip())


def _check_refractory_drugs(treatment):
    """Refractoriness and intolerance are to drugs of this line."""
    errors = {}
    for field in ("refractory_to", "intolerant_to"):
        outside = [d for d in getattr(treatment, field) if d not in treatment.drugs]
        if outside:
            errors[field] = _("Not a drug of this line: %(names)s.") % {"names": ", ".join(outside)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_clinical_status(
    *, by, patient, date, frailty="", transplant_contraindication=None, symptoms=None, note="", reason="Recorded"
):
    status = ClinicalStatus(
        patient=patient, date=date, frailty=frailty or "", transplant_contraindication=transplant_contraindication,
        symptoms=symptoms, note=note,
    )
    return _save(status, by=by, reason=reason)

