"""The acts on a patient's record: registration and correction, and one act per record kind."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.locking import lock_current
from patients import labcatalogue, models
from patients.actions.common import check_reason, loaded_counter, save


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


def _lab_result(*, patient, date, analyte, value, sampling_time=None, isotype="", lower_limit=None,
                upper_limit=None):
    """An unsaved lab result. Reference limits not given by the laboratory are taken from the
    catalogue's defaults for the patient's sex and age, and marked as such (``limits_from_catalogue``)."""
    result = models.LabResult(
        patient=patient, date=date, sampling_time=sampling_time, analyte=analyte, value=value,
        isotype=isotype or "", lower_limit=lower_limit, upper_limit=upper_limit,
    )
    _default_limits(result)
    return result


def _default_limits(result):
    result.limits_from_catalogue = False
    if result.analyte in labcatalogue.ANALYTES and result.lower_limit is None and result.upper_limit is None:
        age = result.patient.age_on(result.date) if result.date else None
        low, high = labcatalogue.reference_limits(result.analyte, sex=result.patient.sex, age=age)
        if low is not None or high is not None:
            result.lower_limit, result.upper_limit = low, high
            result.limits_from_catalogue = True


@transaction.atomic
def record_lab_result(
    *, by, patient, date, analyte, value, sampling_time=None, isotype="", lower_limit=None, upper_limit=None,
    reason="Recorded",
):
    """Record one lab result (reference limits: ``_lab_result``)."""
    return save(_lab_result(patient=patient, date=date, analyte=analyte, value=value, sampling_time=sampling_time,
                            isotype=isotype, lower_limit=lower_limit, upper_limit=upper_limit), by=by, reason=reason)


PANEL_ROW_FIELDS = ("value", "isotype", "lower_limit", "upper_limit")


class LabPanelRefused(ValidationError):
    """A lab panel of which at least one result is refused: nothing of it was saved. ``rows`` maps
    each refused analyte to its errors by field ({"creatinine": {"value": [...]}}); ``shared`` holds the
    errors of the date and sampling time, which every result shares (said once, not per result).
    The message list names the analyte of every error."""

    def __init__(self, rows, shared):
        self.rows, self.shared = rows, shared
        messages = {field: list(errors) for field, errors in shared.items()}
        for analyte, fields in rows.items():
            label = labcatalogue.ANALYTES[analyte].label if analyte in labcatalogue.ANALYTES else analyte
            # The catalogue's own messages already begin with the analyte's name.
            messages[analyte] = [error if str(error).startswith(f"{label}:")
                                 else _("%(analyte)s: %(error)s") % {"analyte": label, "error": error}
                                 for errors in fields.values() for error in errors]
        super().__init__(messages)


SHARED_FIELDS = ("date", "sampling_time", "patient")


def _recorded_before(result, recorded):
    """Why ``result`` is not saved: the same value of the same analyte and isotype is already recorded for its
    date and sampling time (``recorded``: those results' (analyte, value, isotype)), as when a panel is sent
    twice (the back button, a second click); "" otherwise."""
    if (result.analyte, result.value, result.isotype) not in recorded:
        return ""
    return _("This result is already recorded (same value, date and sampling time): it is not saved twice. Leave "
             "the row blank, or correct the recorded result if it is wrong.")


@transaction.atomic
def record_lab_panel(*, by, patient, date, results, sampling_time=None, reason="Recorded (lab panel)"):
    """Record several results sampled together (one date, one sampling time) in one transaction: all
    or nothing. ``results`` is a list of dicts with ``analyte``, ``value`` and optionally ``isotype``,
    ``lower_limit`` and ``upper_limit``. Every result is validated on its own first (``full_clean``:
    the catalogue's range and unit checks); if any is refused, none is saved and ``LabPanelRefused``
    names each refused analyte with its errors. An empty panel is refused, and so is a result already
    recorded with the same value, date and sampling time (``_recorded_before``)."""
    if not results:
        raise ValidationError({"__all__": [_("Enter at least one result.")]})
    seen, rows, shared, instances = set(), {}, {}, []
    recorded = set(models.LabResult.objects.filter(patient=patient, date=date, sampling_time=sampling_time)
                   .values_list("analyte", "value", "isotype")) if date else set()
    for entry in results:
        unknown = set(entry) - {"analyte", *PANEL_ROW_FIELDS}
        if unknown:
            raise TypeError(f"unknown lab panel fields: {sorted(unknown)}")
        analyte = entry["analyte"]
        if analyte in seen:
            rows.setdefault(analyte, {}).setdefault("analyte", []).append(
                _("This analyte is entered twice in one panel."))
            continue
        seen.add(analyte)
        result = _lab_result(patient=patient, date=date, sampling_time=sampling_time, **entry)
        try:
            result.full_clean()
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = shared if field in SHARED_FIELDS else rows.setdefault(analyte, {})
                for error in errors:
                    if error not in target.setdefault(field, []):
                        target[field].append(error)
        else:
            twice = _recorded_before(result, recorded)
            if twice:
                rows.setdefault(analyte, {}).setdefault("value", []).append(twice)
        instances.append(result)
    if rows or shared:
        raise LabPanelRefused(rows, shared)
    return [save(result, by=by, reason=reason, validate=False) for result in instances]


LAB_CORRECTION_FIELDS = ("date", "sampling_time", *PANEL_ROW_FIELDS)


def _required_reason(reason, field="reason"):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give a reason for the change.")})
    check_reason(reason, field)
    return reason


@transaction.atomic
def correct_lab_result(*, by, result, reason, loaded_version=None, **changes):
    """Correct a mistaken lab result (value, date, sampling time, isotype, reference limits; the
    analyte stays: a result of the wrong analyte is deleted and entered again). A reason is required;
    the value before stays in the result's history with who changed it, when and why. Reference limits
    left as they were keep their source (catalogue defaults are worked out again for a new date);
    changed ones are the laboratory's. Refused (``StaleEdit``) if the result changed since the editor
    loaded ``loaded_version``."""
    reason = _required_reason(reason)
    unknown = set(changes) - set(LAB_CORRECTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown lab result fields: {sorted(unknown)}")
    current = lock_current(models.LabResult, result.pk, loaded_version=loaded_counter(result, loaded_version))
    limits_before = (current.lower_limit, current.upper_limit)
    from_catalogue = current.limits_from_catalogue
    for name, value in changes.items():
        setattr(current, name, "" if name == "isotype" and value is None else value)
    limits_after = (current.lower_limit, current.upper_limit)
    if from_catalogue and limits_after == limits_before:
        current.lower_limit = current.upper_limit = None
        _default_limits(current)
    elif limits_after != limits_before:
        current.limits_from_catalogue = False
    return save(current, by=by, reason=reason)


@transaction.atomic
def delete_lab_result(*, by, result, reason, loaded_version=None):
    """Delete a mistaken lab result (a wrong patient, analyte or sample). A reason is required; the
    result's history keeps every version of it and a deletion entry with who deleted it, when and why
    (the patient's change log shows them); from then on no assessment and no dose uses it. Refused
    (``StaleEdit``) if the result changed since the editor loaded ``loaded_version``."""
    reason = _required_reason(reason)
    current = lock_current(models.LabResult, result.pk, loaded_version=loaded_counter(result, loaded_version))
    current._history_user = by
    current._change_reason = reason
    current.delete()
    return current


@transaction.atomic
def record_marrow(*, by, patient, date, clonal_plasma_cells_pct, reason="Recorded"):
    return save(
        models.MarrowFinding(patient=patient, date=date, clonal_plasma_cells_pct=clonal_plasma_cells_pct),
        by=by, reason=reason,
    )


@transaction.atomic
def record_imaging(
    *, by, patient, date, lytic_lesions=None, mri_focal_lesions=None, plasmacytoma="",
    plasmacytoma_biopsy_proven=None, plasmacytoma_count=None, sclerotic_bone_lesions=None,
    extramedullary_disease=None, plasmacytoma_size_cm=None, sclerotic_bone_lesion_count=None, reason="Recorded",
):
    finding = models.ImagingFinding(
        patient=patient, date=date, lytic_lesions=lytic_lesions, mri_focal_lesions=mri_focal_lesions,
        plasmacytoma=plasmacytoma or "", plasmacytoma_biopsy_proven=plasmacytoma_biopsy_proven,
        plasmacytoma_count=plasmacytoma_count, sclerotic_bone_lesions=sclerotic_bone_lesions,
        extramedullary_disease=extramedullary_disease, plasmacytoma_size_cm=plasmacytoma_size_cm,
        sclerotic_bone_lesion_count=sclerotic_bone_lesion_count,
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
    "progression_in_induction", "tandem_transplant_date", "radiotherapy_gy", "mrd_negative_months",
)


@transaction.atomic
def record_treatment_line(
    *, by, patient, line, regimen, drugs, start_date, end_date=None, best_response="", refractory_to=(),
    intolerant_to=(), autologous_transplant=None, transplant_date=None,
    months_from_transplant_to_progression=None, progression_date=None, progression_in_induction="",
    tandem_transplant_date=None, radiotherapy_gy=None, mrd_negative_months=None, reason="Recorded",
):
    treatment = models.TreatmentLine(
        patient=patient, line=line, regimen=(regimen or "").strip(), drugs=list(drugs), start_date=start_date,
        end_date=end_date, best_response=best_response or "", refractory_to=list(refractory_to),
        intolerant_to=list(intolerant_to), autologous_transplant=autologous_transplant,
        transplant_date=transplant_date, months_from_transplant_to_progression=months_from_transplant_to_progression,
        progression_date=progression_date, progression_in_induction=progression_in_induction or "",
        tandem_transplant_date=tandem_transplant_date, radiotherapy_gy=radiotherapy_gy,
        mrd_negative_months=mrd_negative_months,
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
