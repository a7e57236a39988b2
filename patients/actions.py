"""Every write to a patient record: one function per clinical act.

Each action takes keyword arguments only, validates the whole record
(``full_clean``: field validators, physiological ranges, units, dates,
uniqueness) before anything is saved, and runs in one transaction, so a
refused record leaves nothing behind. ``by`` is the user who acts and
``reason`` the change reason; both go into the record's history
(django-simple-history).

Edits are optimistically locked (core/locking.py): an action that changes an
existing record takes ``loaded_version``, the record's ``lock_version`` when the
editor loaded it (forms carry it in a hidden field; default: the counter of the
instance passed in). It locks the stored row and refuses with ``StaleEdit``
("changed by X at T since you opened it") when the counter moved meanwhile, so
of two edits from the same loaded version exactly one is stored. New records
(lab results, observations) are plain inserts: none is ever lost.
"""

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from accounts.auth import access
from core.locking import lock_current
from patients import labcatalogue, plans
from patients.models import (
    ISSUE_MEANING,
    REASON_MAX_LENGTH,
    VERIFY_MEANING,
    ClinicalStatus,
    CytogeneticsResult,
    HeightWeight,
    ImagingFinding,
    LabResult,
    MarrowFinding,
    Patient,
    PlanStatus,
    PoemsFindings,
    TreatmentLine,
    TreatmentPlan,
)


def _check_reason(reason, field="reason"):
    """A reason goes into the change log: at most REASON_MAX_LENGTH characters, like the forms'."""
    try:
        MaxLengthValidator(REASON_MAX_LENGTH)(reason)
    except ValidationError as exc:
        raise ValidationError({field: exc.error_list}) from exc


def _save(instance, *, by, reason, validate=True, check=None):
    """The one way an action stores a row, with who acted (``by``) and why (``reason``) in its
    history. ``validate``: first the whole record (``full_clean``), then ``check(instance)`` (the
    act's own rule, if any), then the reason's length. A plan's status step does not validate
    (``_step``): its prescription was validated when it was drafted and is frozen since (the model
    refuses any other change), and its history reason puts a prefix before the user's reason."""
    if validate:
        instance.full_clean()
        if check is not None:
            check(instance)
        _check_reason(reason)
    instance._history_user = by
    instance._change_reason = reason
    instance.save()
    return instance


def _step(plan, act, *, by, reason):
    """Move ``plan`` by ``act`` (TreatmentPlan.step, PLAN_ACTS) and save it."""
    plan.step(act)
    return _save(plan, by=by, reason=reason, validate=False)


@transaction.atomic
def register_patient(*, by, name, national_id, ward="", reason="Registered"):
    """Register a patient; birth date and sex come from the national identity number."""
    patient = Patient(name=(name or "").strip(), national_id="".join((national_id or "").split()), ward=ward)
    return _save(patient, by=by, reason=reason)


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
    current = lock_current(Patient, patient.pk, loaded_version=_loaded(patient, loaded_version))
    for name, value in changes.items():
        if name == "national_id":
            value = "".join((value or "").split())
        elif name == "name":
            value = (value or "").strip()
        setattr(current, name, value or "")
    return _save(current, by=by, reason=reason.strip())


def _loaded(instance, loaded_version):
    """The counter the editor loaded: given by the form, else the one of the instance passed in."""
    return instance.lock_version if loaded_version is None else loaded_version


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
    "autologous_transplant", "transplant_date", "months_from_transplant_to_progression", "progression_date",
)


@transaction.atomic
def record_treatment_line(
    *, by, patient, line, regimen, drugs, start_date, end_date=None, best_response="", refractory_to=(),
    intolerant_to=(), autologous_transplant=None, transplant_date=None,
    months_from_transplant_to_progression=None, progression_date=None, reason="Recorded",
):
    treatment = TreatmentLine(
        patient=patient, line=line, regimen=(regimen or "").strip(), drugs=list(drugs), start_date=start_date,
        end_date=end_date, best_response=best_response or "", refractory_to=list(refractory_to),
        intolerant_to=list(intolerant_to), autologous_transplant=autologous_transplant,
        transplant_date=transplant_date, months_from_transplant_to_progression=months_from_transplant_to_progression,
        progression_date=progression_date,
    )
    _check_refractory_drugs(treatment)
    return _save(treatment, by=by, reason=reason)


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
    treatment = lock_current(TreatmentLine, treatment_line.pk,
                             loaded_version=_loaded(treatment_line, loaded_version))
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



# --- Treatment plans ---------------------------------------------------------
#
# draft -> issued (physician, password, every flag acknowledged, fresh height and
# weight) -> verified (pharmacist, password, not the issuer); an issued plan is
# changed by a revision (a new draft version with a reason) that supersedes it
# when issued, or cancelled. Issue and verify lock the plan row, so two people
# signing at once cannot both succeed.

PLAN_CHANGE_FIELDS = ("start_date", "cycles", "bsa_formula", "reduced_tolerance")


def _require(user, permission):
    if not user.has_perm(permission):
        raise PermissionDenied(_("Your role may not do this."))


def _check_password(user, password):
    if not password or not user.check_password(password):
        raise ValidationError({"password": _("The password is not correct: sign again with your own password.")})


def _check_signing_code(user, otp_token):
    """A signature needs the second factor: a current code of the signer's own TOTP device."""
    from django.conf import settings

    from accounts.second_factor import check_second_factor, has_device

    if not settings.SIGNING_REQUIRES_SECOND_FACTOR:
        return
    if not has_device(user):
        raise ValidationError({"otp_token": _(
            "Signing needs two-factor authentication: set up your authenticator app first (Two-factor page).")})
    if not check_second_factor(user, otp_token):
        raise ValidationError({"otp_token": _(
            "The code is not correct or already used: enter the current code from your authenticator app.")})


# The roles that hold each signing right (accounts/roles.py), the role named for the act first: a
# signer who holds it signs in it (a pharmacist who is also an administrator verifies as pharmacist).
SIGNING_ROLES = {
    roles.ISSUE_PLAN: (roles.PHYSICIAN, roles.ADMIN),
    roles.VERIFY_PLAN: (roles.PHARMACIST, roles.ADMIN),
}


def _signing_role(user, permission):
    """The role ``user`` actually holds that gives ``permission`` (the one named for the act first).
    A superuser in no such role signs as administrator; a right held outside every role cannot sign:
    the signature must say in which role it was given."""
    held = set(access(user)[1])
    for role in SIGNING_ROLES[permission]:
        if role in held:
            return role
    if user.is_superuser:
        return roles.ADMIN
    raise PermissionDenied(_("You hold no role that may sign this: ask an administrator for your role."))


def _signature(user, meaning, role):
    """What is printed with the doses: the meaning, who signed, in which role (its Norwegian label,
    as on the paper, and its code) and when."""
    with translation.override("nb"):
        role_label = str(roles.ROLE_LABELS[role])
    return {
        "meaning": meaning,
        "name": user.get_full_name() or user.get_username(),
        "username": user.get_username(),
        "role": role_label,
        "role_code": role,
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }


def _doses_changed():
    return ValidationError(str(plans.DOSES_CHANGED), code="doses_changed")


def _locked(plan, loaded_version=None):
    """The plan's row, locked; ``StaleEdit`` if it changed since the signer loaded ``loaded_version``
    (e.g. another pharmacist verified it meanwhile)."""
    return lock_current(TreatmentPlan, plan.pk, loaded_version=loaded_version,
                        queryset=TreatmentPlan.objects.select_related("protocol", "patient"))


def _check_parameters(plan):
    """Refuse plan parameters the engine refuses (cycles, reduced tolerance); patient data that is
    missing (e.g. no height yet) does not stop a draft: the draft page lists it."""
    try:
        plans.compute(plan.patient, plan.protocol, start_date=plan.start_date, cycles=plan.cycles,
                      bsa_formula=plan.bsa_formula, reduced_tolerance=plan.reduced_tolerance)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and set(exc.error_dict) & set(plans.PLAN_FIELDS):
            raise


def _plan_reason(text):
    return (text or "").strip()


@transaction.atomic
def create_plan_draft(
    *, by, patient, regimen, start_date, cycles=None, bsa_formula="mosteller", reduced_tolerance=(),
    reason="Draft created",
):
    """A draft plan on the active version of ``regimen``; a regimen with only a draft protocol is refused."""
    _require(by, roles.ISSUE_PLAN)
    protocol = plans.require_active_protocol(regimen)
    plan = TreatmentPlan(
        patient=patient, protocol=protocol, start_date=start_date, cycles=cycles, bsa_formula=bsa_formula,
        reduced_tolerance=sorted(reduced_tolerance or ()), created_by=by,
    )
    return _save(plan, by=by, reason=reason, check=_check_parameters)


def _signing_act(permission):
    """A signature (issue, verify): the right, the role that gives it, the password and the second
    factor (``password``, ``otp_token``) are checked first, outside the transaction, so the slow
    password hash never holds the database's write lock (SQLite takes it at BEGIN IMMEDIATE,
    docs/adr/0009-sqlite-for-a-ward.md); then the act runs in one transaction with ``role``."""

    def decorate(act):
        @functools.wraps(act)
        def signed(*, plan, by, password, otp_token=None, **kwargs):
            _require(by, permission)
            role = _signing_role(by, permission)
            _check_password(by, password)
            _check_signing_code(by, otp_token)
            with transaction.atomic():
                return act(plan=plan, by=by, role=role, **kwargs)

        return signed

    return decorate


@_signing_act(roles.ISSUE_PLAN)
def issue_plan(*, plan, by, role, acknowledged_flags, expected_fingerprint, today=None, loaded_version=None):
    """The physician signs the plan (meaning "Forordnet / issued"): the schedule is computed from the
    patient's current facts and the protocol's active version and frozen with the signature.

    Refused, naming the reason, when: the role may not issue; the password is wrong; the plan is not
    a draft; a flag (undefined boundary value, protocol ambiguity) is not acknowledged; a height or
    weight the doses depend on is older than plans.MEASUREMENT_MAX_AGE_DAYS; the engine refuses the
    doses; the doses differ from the ones the physician saw (``expected_fingerprint``: the
    fingerprint of the preview the page showed; a missing or empty one is refused like a changed
    one, so nobody signs doses they were not shown); the second factor (``otp_token``) is missing or
    wrong. The signature records the role the physician holds that gives the right (``_signing_role``)."""
    plan = _locked(plan, _loaded(plan, loaded_version))
    if not plan.can_issue:
        raise ValidationError(_("This plan is %(status)s: only a draft can be issued.") % {
            "status": plan.get_status_display()})
    previous = None
    if plan.previous_id:
        previous = _locked(plan.previous)
        if not previous.allows("supersede"):
            raise ValidationError(_(
                "The plan this revision replaces (version %(version)s) is %(status)s: make a new plan instead."
            ) % {"version": previous.version, "status": previous.get_status_display()})
    today = today or timezone.localdate()
    preview = plans.compute_for(plan, today=today)
    if preview.stale:
        raise ValidationError(preview.stale)
    acknowledged = set(acknowledged_flags or ())
    missing = [flag for flag in preview.flags if flag["key"] not in acknowledged]
    if missing:
        raise ValidationError({"acknowledged_flags": [
            _("Acknowledge this point before issuing: %(text)s") % {"text": flag["text"]} for flag in missing
        ]})
    if not expected_fingerprint or expected_fingerprint != preview.fingerprint:
        raise _doses_changed()
    snapshot = preview.snapshot
    snapshot["plan"]["status"] = PlanStatus.ISSUED.value
    snapshot["acknowledged_flags"] = [flag["key"] for flag in preview.flags]
    snapshot["signatures"] = [_signature(by, ISSUE_MEANING, role)]
    plan.protocol = plans.require_active_protocol(plan.protocol.code)
    plan.snapshot = snapshot
    plan.acknowledged_flags = snapshot["acknowledged_flags"]
    plan.issued_by, plan.issued_at, plan.issued_meaning = by, timezone.now(), ISSUE_MEANING
    _step(plan, "issue", by=by, reason="Issued")
    if previous is not None:
        _step(previous, "supersede", by=by, reason=f"Superseded by version {plan.version}: {plan.change_reason}")
    return plan


@_signing_act(roles.VERIFY_PLAN)
def verify_plan(*, plan, by, role, expected_fingerprint, loaded_version=None):
    """A pharmacist who did not issue the plan countersigns it ("Kontrollert / verified") with
    password and second factor. The row lock and the version check make two verifications at
    once end in one signature. ``expected_fingerprint`` is the fingerprint of the issued doses
    the pharmacist's page showed: recomputed from the stored snapshot, a mismatch, or a missing
    or empty value, is refused as doses that changed. The signature records the role the signer
    holds that gives the right."""
    plan = _locked(plan, _loaded(plan, loaded_version))
    if not plan.can_verify:
        raise ValidationError(_("This plan is %(status)s: only an issued plan can be verified.") % {
            "status": plan.get_status_display()})
    if plan.issued_by_id == by.pk:
        raise ValidationError(_("You issued this plan: another person must verify it."))
    if not expected_fingerprint or expected_fingerprint != plans.issued_fingerprint(plan):
        raise _doses_changed()
    plan.verified_signature = _signature(by, VERIFY_MEANING, role)
    plan.verified_by, plan.verified_at, plan.verified_meaning = by, timezone.now(), VERIFY_MEANING
    return _step(plan, "verify", by=by, reason="Verified")


@transaction.atomic
def revise_plan(*, plan, by, reason, loaded_version=None, **changes):
    """A new draft version of an issued or verified plan, with the reason; the old plan stays as it
    is and becomes superseded when the new version is issued."""
    _require(by, roles.ISSUE_PLAN)
    reason = _plan_reason(reason)
    if not reason:
        raise ValidationError({"change_reason": _("Give a reason for the change.")})
    unknown = set(changes) - set(PLAN_CHANGE_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    plan = _locked(plan, _loaded(plan, loaded_version))
    if not plan.can_revise:
        raise ValidationError(_("This plan is %(status)s: only an issued or verified plan can be revised.") % {
            "status": plan.get_status_display()})
    pending = plan.revisions.filter(status=PlanStatus.DRAFT).first()
    if pending is not None:
        raise ValidationError(_("A draft revision (version %(version)s) of this plan already exists.") % {
            "version": pending.version})
    values = {name: getattr(plan, name) for name in PLAN_CHANGE_FIELDS}
    values.update(changes)
    new = TreatmentPlan(
        patient=plan.patient, protocol=plans.require_active_protocol(plan.protocol.code),
        start_date=values["start_date"], cycles=values["cycles"], bsa_formula=values["bsa_formula"],
        reduced_tolerance=sorted(values["reduced_tolerance"] or ()), version=plan.version + 1, previous=plan,
        change_reason=reason, created_by=by,
    )
    return _save(new, by=by, reason=reason, check=_check_parameters)


@transaction.atomic
def cancel_plan(*, plan, by, reason, loaded_version=None):
    """Cancel a draft, issued or verified plan (it stays on record, marked cancelled)."""
    _require(by, roles.ISSUE_PLAN)
    reason = _plan_reason(reason)
    if not reason:
        raise ValidationError({"cancel_reason": _("Give a reason for cancelling.")})
    _check_reason(reason, "cancel_reason")
    plan = _locked(plan, _loaded(plan, loaded_version))
    if not plan.can_cancel:
        raise ValidationError(_("This plan is %(status)s and cannot be cancelled.") % {
            "status": plan.get_status_display()})
    plan.cancelled_by, plan.cancelled_at, plan.cancel_reason = by, timezone.now(), reason
    return _step(plan, "cancel", by=by, reason=f"Cancelled: {reason}")
