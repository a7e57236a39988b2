"""The acts on treatment plans.

draft -> issued (physician) -> verified (pharmacist, not the issuer), or returned to the physician
(pharmacist, with a reason); a revision supersedes the plan when it is issued; a plan may be
cancelled. Which act a plan's status allows is the model's rule (patients.models.PLAN_ACTS)."""

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from accounts.confirmation import check_code, check_password
from core.locking import lock_current
from patients import plans
from patients.actions.common import check_reason, loaded_counter, save
from patients.actions.course import line_for_issue
from patients.models import (
    ISSUE_MEANING,
    VERIFY_MEANING,
    PlanStatus,
    TreatmentPlan,
)


def _step(plan, act, *, by, reason):
    """Move ``plan`` by ``act`` (TreatmentPlan.step, PLAN_ACTS) and save it."""
    plan.step(act)
    return save(plan, by=by, reason=reason, validate=False)


# --- Treatment plans ---------------------------------------------------------
#
# draft -> issued (physician, password, every flag acknowledged, fresh height and
# weight) -> verified (pharmacist, password, not the issuer); an issued plan is
# changed by a revision (a new draft version with a reason) that supersedes it
# when issued, or cancelled. Issue and verify lock the plan row, so two people
# signing at once cannot both succeed.

PLAN_CHANGE_FIELDS = ("start_date", "cycles", "bsa_formula", "reduced_tolerance", "modifications")


def _require(user, permission):
    if not user.has_perm(permission):
        raise PermissionDenied(_("Your role may not do this."))


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
    held = set(roles.role_names(user))
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


def _locked_for(act, plan, loaded_version, refusal):
    """The plan's row, locked as by ``_locked``, refused with ``refusal`` (which names its
    ``%(status)s``) unless its status allows ``act`` (PLAN_ACTS)."""
    plan = _locked(plan, loaded_counter(plan, loaded_version))
    if not plan.allows(act):
        raise ValidationError(refusal % {"status": plan.get_status_display()})
    return plan


def _check_parameters(plan):
    """Refuse plan parameters the engine refuses (cycles, reduced tolerance); patient data that is
    missing (e.g. no height yet) does not stop a draft: the draft page lists it."""
    try:
        plans.compute(plan.patient, plan.protocol, start_date=plan.start_date, cycles=plan.cycles,
                      bsa_formula=plan.bsa_formula, reduced_tolerance=plan.reduced_tolerance,
                      modifications=plan.modifications)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and set(exc.error_dict) & set(plans.PLAN_FIELDS):
            raise


def _plan_reason(text):
    return (text or "").strip()


def _written_reason(text, field, missing):
    """The stripped reason an act that must say why (return, cancel) was given; refused on ``field``
    with ``missing`` if empty, or if longer than the change log takes."""
    reason = _plan_reason(text)
    if not reason:
        raise ValidationError({field: missing})
    check_reason(reason, field)
    return reason


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
    return save(plan, by=by, reason=reason, check=_check_parameters)


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
            check_password(by, password, refused=_(
                "The password is not correct: sign again with your own password."))
            check_code(by, otp_token, no_device=_(
                "Signing needs two-factor authentication: set up your authenticator app first (Two-factor page)."))
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
    plan = _locked_for("issue", plan, loaded_version, _("This plan is %(status)s: only a draft can be issued."))
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
    plan.treatment_line = line_for_issue(plan, by=by)  # the course: the line it starts or continues
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
    plan = _locked_for("verify", plan, loaded_version,
                       _("This plan is %(status)s: only an issued plan can be verified."))
    if plan.issued_by_id == by.pk:
        raise ValidationError(_("You issued this plan: another person must verify it."))
    if not expected_fingerprint or expected_fingerprint != plans.issued_fingerprint(plan):
        raise _doses_changed()
    plan.verified_signature = _signature(by, VERIFY_MEANING, role)
    plan.verified_by, plan.verified_at, plan.verified_meaning = by, timezone.now(), VERIFY_MEANING
    return _step(plan, "verify", by=by, reason="Verified")


@transaction.atomic
def return_plan(*, plan, by, reason, loaded_version=None):
    """A pharmacist who did not issue the plan does not verify it and returns it to the physician with
    the reason (what is wrong): it cannot be verified or printed; the physician revises it (the
    revision supersedes it when issued) or cancels it. No signature: nothing is prescribed or checked."""
    _require(by, roles.VERIFY_PLAN)
    reason = _written_reason(reason, "return_reason", _("Say why the plan is returned."))
    plan = _locked_for("return", plan, loaded_version,
                       _("This plan is %(status)s: only an issued plan can be returned."))
    if plan.issued_by_id == by.pk:
        raise ValidationError(_("You issued this plan: revise or cancel it instead."))
    plan.returned_by, plan.returned_at, plan.return_reason = by, timezone.now(), reason
    return _step(plan, "return", by=by, reason=f"Returned to the physician: {reason}")


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
    plan = _locked_for("revise", plan, loaded_version,
                       _("This plan is %(status)s: only an issued or verified plan can be revised."))
    pending = plan.revisions.filter(status=PlanStatus.DRAFT).first()
    if pending is not None:
        raise ValidationError(_("A draft revision (version %(version)s) of this plan already exists.") % {
            "version": pending.version})
    values = {name: getattr(plan, name) for name in PLAN_CHANGE_FIELDS}
    values.update(changes)
    new = TreatmentPlan(
        patient=plan.patient, protocol=plans.require_active_protocol(plan.protocol.code),
        start_date=values["start_date"], cycles=values["cycles"], bsa_formula=values["bsa_formula"],
        reduced_tolerance=sorted(values["reduced_tolerance"] or ()),
        modifications=list(values["modifications"] or ()), version=plan.version + 1, previous=plan,
        change_reason=reason, created_by=by,
    )
    return save(new, by=by, reason=reason, check=_check_parameters)


@transaction.atomic
def cancel_plan(*, plan, by, reason, loaded_version=None):
    """Cancel a draft, issued or verified plan (it stays on record, marked cancelled)."""
    _require(by, roles.ISSUE_PLAN)
    reason = _written_reason(reason, "cancel_reason", _("Give a reason for cancelling."))
    plan = _locked_for("cancel", plan, loaded_version, _("This plan is %(status)s and cannot be cancelled."))
    plan.cancelled_by, plan.cancelled_at, plan.cancel_reason = by, timezone.now(), reason
    return _step(plan, "cancel", by=by, reason=f"Cancelled: {reason}")
