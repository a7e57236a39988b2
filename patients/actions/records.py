"""The acts on a patient's record: registration and correction, and one act per record kind."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.locking import lock_current
from patients import labcatalogue, models
from patients.actions.common import loaded_counter, save


@transaction.atomic
def register_patient(*, by, name, national_id, ward="", reason="Registered"):
    """Register a patient; birth date and sex come from the national identity number."""
    patient = models.Patient(name=(name or "").strip(), national_id="".join((national_id or "").split()), ward=ward)
    return save(patient, by=by, reason=reason)


PATIENT_FIELDS = ("name", "national_id", "ward")


@transaction.atomic
def update_patient(*, by, patient, reason, loaded_version=None, **changes):
    """Correct a patient's name, national identity number (birth date and sex follow it) or ward.
    A reason is required; refused if someone changed the patient since ``loaded_version``."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason for the change.")})
    unknown = set(changes) - set(PATIENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown patient fields: {sorted(unknown)}")
    current = lock_current(models.Patient, patient.pk, loaded_version=loaded_counter(patient, loaded_version))
    for name, value in changes.items():
        if name == "national_id":
            value = "".join((value or "").split())
        elif name == "name":
            value = (value or "").strip()
        setattr(current, name, value or "")
    return save(current, by=by, reason=reason.strip())


@transaction.atomic
def record_height_weight(*, by, patient, date, height_cm=None, weight_kg=None, reason="Recorded"):
    return save(
        models.HeightWeight(patient=patient, date=date, height_cm=height_cm, weight_kg=weight_kg), by=by, reason=reason
    )


@transaction.atomic
def record_lab_result(
    *, by, patient, date, analyte, value, isotype="", lower_limit=None, upper_limit=None, reason="Recorded"
):
    """Record one lab result. Reference limits not given by the laboratory are
    taken from the catalogue's defaults for the patient's sex and age, and
    marked as such (``limits_from_catalogue``)."""
    result = models.LabResult(
        patient=patient, date=date, analyte=analyte, value=value, isotype=isotype or "",
        lower_limit=lower_limit, upper_limit=upper_limit,
    )
    if analyte in labcatalogue.ANALYTES and lower_limit is None and upper_limit is None:
        age = patient.age_on(date) if date else None
        low, high = labcatalogue.reference_limits(analyte, sex=patient.sex, age=age)
        if low is not None or high is not None:
            result.lower_limit, result.upper_limit = low, high
            result.limits_from_catalogue = True
    return save(result, by=by, reason=reason)


@transaction.atomic
def record_marrow(*, by, patient, date, clonal_plasma_cells_pct, reason="Recorded"):
    return save(
        models.MarrowFinding(patient=patient, date=date, clonal_plasma_cells_pct=clonal_plasma_cells_pct),
        by=by, reason=reason,
    )


@transaction.atomic
def record_imaging(
    *, by, patient, date, lytic_lesions=None, mri_focal_lesions=None, plasmacytoma="",
    plasmacytoma_biopsy_proven=None, plasmacytoma_count=None, sclerotic_bone_lesions=None, reason="Recorded",
):
    finding = models.ImagingFinding(
        patient=patient, date=date, lytic_lesions=lytic_lesions, mri_focal_lesions=mri_focal_lesions,
        plasmacytoma=plasmacytoma or "", plasmacytoma_biopsy_proven=plasmacytoma_biopsy_proven,
        plasmacytoma_count=plasmacytoma_count, sclerotic_bone_lesions=sclerotic_bone_lesions,
    )
    return save(finding, by=by, reason=reason)


@transaction.atomic
def record_cytogenetics(*, by, patient, date, reason="Recorded", del1p32="", **results):
    unknown = set(results) - set(models.CytogeneticsResult.BOOLEAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown cytogenetics fields: {sorted(unknown)}")
    return save(
        models.CytogeneticsResult(patient=patient, date=date, del1p32=del1p32 or "", **results), by=by, reason=reason
    )


@transaction.atomic
def record_poems_findings(*, by, patient, date, endocrinopathy=None, reason="Recorded", **findings):
    unknown = set(findings) - set(models.PoemsFindings.BOOLEAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown POEMS fields: {sorted(unknown)}")
    if endocrinopathy is not None:
        endocrinopathy = list(endocrinopathy)
    return save(
        models.PoemsFindings(patient=patient, date=date, endocrinopathy=endocrinopathy, **findings),
        by=by, reason=reason,
    )


TREATMENT_FIELDS = (
    "line", "regimen", "drugs", "start_date", "end_date", "best_response", "refractory_to", "intolerant_to",
    "autologous_transplant", "transplant_date", "months_from_transplant_to_progression", "progression_date",
)


@transaction.atomic
def record_treatment_line(
    *, by, patient, line, regimen, drugs, start_date, end_date=None, best_response="", refractory_to=(),
    intolerant_to=(), autologous_transplant=None, transplant_date=None,
    months_from_transplant_to_progression=None, progression_date=None, reason="Recorded",
):
    treatment = models.TreatmentLine(
        patient=patient, line=line, regimen=(regimen or "").strip(), drugs=list(drugs), start_date=start_date,
        end_date=end_date, best_response=best_response or "", refractory_to=list(refractory_to),
        intolerant_to=list(intolerant_to), autologous_transplant=autologous_transplant,
        transplant_date=transplant_date, months_from_transplant_to_progression=months_from_transplant_to_progression,
        progression_date=progression_date,
    )
    _check_refractory_drugs(treatment)
    return save(treatment, by=by, reason=reason)


@transaction.atomic
def update_treatment_line(*, by, treatment_line, reason, loaded_version=None, **changes):
    """Correct or complete a treatment line (end date, best response,
    refractoriness...). A reason is required: it is part of the audit trail.
    Refused (``StaleEdit``) if the line changed since the editor loaded ``loaded_version``."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason for the change.")})
    unknown = set(changes) - set(TREATMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown treatment line fields: {sorted(unknown)}")
    treatment = lock_current(models.TreatmentLine, treatment_line.pk,
                             loaded_version=loaded_counter(treatment_line, loaded_version))
    for name, value in changes.items():
        if name in ("drugs", "refractory_to", "intolerant_to"):
            value = list(value)
        elif name in ("best_response", "regimen") and value is None:
            value = ""
        setattr(treatment, name, value)
    _check_refractory_drugs(treatment)
    return save(treatment, by=by, reason=reason.strip())


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
    status = models.ClinicalStatus(
        patient=patient, date=date, frailty=frailty or "", transplant_contraindication=transplant_contraindication,
        symptoms=symptoms, note=note,
    )
    return save(status, by=by, reason=reason)
