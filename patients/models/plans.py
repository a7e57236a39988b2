"""Treatment plans: a regimen version for one patient, drafted, issued, verified (PLAN_ACTS)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.locking import VersionedModel
from patients.fields import CodeListField
from patients.freshness import PatientRecord
from patients.models.common import REASON_MAX_LENGTH, bounded_text, change_log, signed_at, signed_by
from patients.models.patient import Patient

# --- Treatment plans -------------------------------------------------------
#
# A plan is a regimen (the exact protocol version) for one patient from a start
# date. It is drafted, issued (signed by a physician, who re-enters the password
# and acknowledges every flag), verified (countersigned by a pharmacist) and
# then printed. Issuing freezes everything the dosing sheet shows into
# ``snapshot`` (see regimens/sheets.py for its shape); from then on the plan is
# immutable: a change is a new version (``previous``) with a reason, and the old
# one becomes superseded when the new one is issued. Only the actions in
# patients/actions/ move a plan between statuses.


class BsaFormula(models.TextChoices):
    MOSTELLER = "mosteller", "Mosteller"
    DUBOIS = "dubois", "DuBois"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ISSUED = "issued", _("issued")
    VERIFIED = "verified", _("verified")
    SUPERSEDED = "superseded", _("superseded")
    CANCELLED = "cancelled", _("cancelled")
    RETURNED = "returned", _("returned to the physician")
    ENDED = "ended", _("ended")


# A plan's life, the one place of its status rules: each act, the statuses a plan may undergo it
# in, and the status it leads to (None: no change). The actions refuse by it, the pages offer by it
# (``TreatmentPlan.can_issue`` …) and ``TreatmentPlan.save`` allows only its steps.
PLAN_ACTS = {
    "issue": ({PlanStatus.DRAFT}, PlanStatus.ISSUED),
    "verify": ({PlanStatus.ISSUED}, PlanStatus.VERIFIED),
    # the pharmacist does not verify and sends the plan back with a reason: the physician revises or cancels it
    "return": ({PlanStatus.ISSUED}, PlanStatus.RETURNED),
    "revise": ({PlanStatus.ISSUED, PlanStatus.VERIFIED, PlanStatus.RETURNED}, None),  # a new draft version
    "supersede": ({PlanStatus.ISSUED, PlanStatus.VERIFIED, PlanStatus.RETURNED}, PlanStatus.SUPERSEDED),
    "cancel": ({PlanStatus.DRAFT, PlanStatus.ISSUED, PlanStatus.VERIFIED, PlanStatus.RETURNED}, PlanStatus.CANCELLED),
    # the course is over: the plan's treatment line ends with its reason (patients/actions/course.py)
    "end": ({PlanStatus.ISSUED, PlanStatus.VERIFIED}, PlanStatus.ENDED),
    "print": ({PlanStatus.VERIFIED}, None),  # issued and countersigned
    "delete": ({PlanStatus.DRAFT}, None),  # an issued plan is cancelled, never deleted
}
PLAN_TRANSITIONS = {
    status: {to for statuses, to in PLAN_ACTS.values() if to is not None and status in statuses}
    for status in PlanStatus
}

ISSUE_MEANING = "Forordnet / issued"
VERIFY_MEANING = "Kontrollert / verified"


class PlanLocked(ValidationError):
    """A change the plan's status forbids (an issued plan is an immutable snapshot)."""


class TreatmentPlan(PatientRecord, VersionedModel):
    """One regimen for one patient: draft → issued → verified, or returned by the pharmacist
    (→ superseded by a revision / cancelled)."""

    # Status changes the actions may make (from PLAN_ACTS); anything else is refused by save().
    TRANSITIONS = PLAN_TRANSITIONS
    # Fixed once the plan is issued: what was prescribed, and the issuing signature.
    FROZEN_FIELDS = (
        "patient_id", "protocol_id", "start_date", "cycles", "bsa_formula", "reduced_tolerance", "modifications",
        "version",
        "previous_id", "change_reason", "snapshot", "acknowledged_flags", "created_by_id", "created_at",
        "issued_by_id", "issued_at", "issued_meaning", "treatment_line_id",
    )
    # Fixed once set: the countersignature and the cancellation.
    SET_ONCE_FIELDS = (
        "verified_by_id", "verified_at", "verified_meaning", "verified_signature",
        "cancelled_by_id", "cancelled_at", "cancel_reason", "returned_by_id", "returned_at", "return_reason",
    )

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="plans", verbose_name=_("patient"))
    protocol = models.ForeignKey(
        "regimens.Protocol", on_delete=models.PROTECT, related_name="+", verbose_name=_("protocol version"),
    )
    start_date = models.DateField(_("start date"), help_text=_("Cycle 1 day 1 (or the first day of the first phase)."))
    cycles = models.PositiveSmallIntegerField(
        _("cycles"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Blank: the protocol's planned number of cycles."),
    )
    bsa_formula = models.CharField(
        _("BSA formula"), max_length=10, choices=BsaFormula.choices, default=BsaFormula.MOSTELLER,
    )
    reduced_tolerance = CodeListField(
        _("reduced tolerance"), default=list, blank=True,
        help_text=_("Drugs the physician marks for the protocol's reduced-tolerance dose."),
    )
    modifications = models.JSONField(
        _("dose modifications"), default=list, blank=True, editable=False,
        help_text=_("The physician's reductions by one dose level, stopped drugs, held doses and delayed cycles "
                    "(regimens/dosing/modify.py), each with its reason, who and when; carried into every "
                    "later version."),
    )
    treatment_line = models.ForeignKey(
        "patients.TreatmentLine", null=True, blank=True, on_delete=models.PROTECT, related_name="plans",
        verbose_name=_("treatment line"), editable=False,
        help_text=_("Set when the plan is issued: the line it starts or continues (its revisions keep it)."),
    )
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions",
        verbose_name=_("replaces"),
    )
    change_reason = bounded_text(_("reason for the change"), REASON_MAX_LENGTH, blank=True)
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    acknowledged_flags = models.JSONField(_("acknowledged flags"), default=list, blank=True, editable=False)
    created_by = signed_by(_("created by"))
    created_at = signed_at(_("created at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_meaning = models.CharField(_("meaning of the issuing signature"), max_length=60, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_meaning = models.CharField(_("meaning of the verifying signature"), max_length=60, blank=True)
    verified_signature = models.JSONField(_("verifying signature"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = bounded_text(_("reason for cancelling"), REASON_MAX_LENGTH, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("returned by"),
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = bounded_text(_("reason for returning"), REASON_MAX_LENGTH, blank=True)
    history = change_log()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("treatment plan")
        verbose_name_plural = _("treatment plans")

    def __str__(self):
        return f"{self.protocol.code} v{self.version} ({self.get_status_display()})"

    # ----------------------------------------------------------- immutability

    def save(self, *args, **kwargs):
        """Refuses a change to an issued plan's prescription and signatures, and a status change that
        does not come from an action (``_transition``) or is not in ``TRANSITIONS``."""
        if self.pk is not None:
            names = ("status", *self.FROZEN_FIELDS, *self.SET_ONCE_FIELDS)
            stored = type(self).objects.filter(pk=self.pk).values(*names).first()
            if stored is not None:
                self._check_change(stored)
        super().save(*args, **kwargs)
        self._transition = None

    def delete(self, *args, **kwargs):
        if not self.allows("delete"):
            raise PlanLocked(_("An issued plan cannot be deleted: cancel it."), code="locked")
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.version > 1 and not (self.change_reason or "").strip():
            raise ValidationError({"change_reason": _("Give a reason for the change.")})

    def _check_change(self, stored):
        old, new = stored["status"], self.status
        if old != new:
            allowed = self.TRANSITIONS.get(old, set())
            if getattr(self, "_transition", None) != new or new not in allowed:
                raise PlanLocked(
                    _("A plan cannot go from %(old)s to %(new)s here.") % {"old": old, "new": new}, code="status",
                )
        if old != PlanStatus.DRAFT:
            changed = [f for f in self.FROZEN_FIELDS if getattr(self, f) != stored[f]]
            if changed:
                raise PlanLocked(
                    _("An issued plan cannot be changed (%(fields)s): make a revision.")
                    % {"fields": ", ".join(changed)},
                    code="locked",
                )
        changed = [f for f in self.SET_ONCE_FIELDS if stored[f] not in (None, "") and getattr(self, f) != stored[f]]
        if changed:
            raise PlanLocked(_("A signature cannot be changed (%(fields)s).") % {"fields": ", ".join(changed)},
                             code="locked")

    # ----------------------------------------------------------- status rules (PLAN_ACTS)

    def allows(self, act):
        """May the plan, in its status, undergo ``act`` (a key of PLAN_ACTS)?"""
        return self.status in PLAN_ACTS[act][0]

    # What the pages ask (templates too: ``plan.can_print``).
    can_issue = property(lambda self: self.allows("issue"))
    can_verify = property(lambda self: self.allows("verify"))
    can_revise = property(lambda self: self.allows("revise"))
    can_cancel = property(lambda self: self.allows("cancel"))
    can_return = property(lambda self: self.allows("return"))
    can_print = property(lambda self: self.allows("print"))
    can_end = property(lambda self: self.allows("end"))

    def step(self, act):
        """Move the plan to the status ``act`` leads to (saved by the caller, an action); the
        save refuses a step the status does not allow."""
        self.status = self._transition = PLAN_ACTS[act][1]

    # ----------------------------------------------------------- reading

    @property
    def is_signed(self):
        return self.snapshot is not None

    def on_superseded_protocol_in(self, active_versions):
        """True when the plan was issued on a protocol version that is no longer the active one of its
        code; ``active_versions`` is {code: primary key of its active version} (patients/queries.py)."""
        return self.is_signed and active_versions.get(self.protocol.code) != self.protocol_id

    @property
    def on_superseded_protocol(self):
        """``on_superseded_protocol_in`` with the active version of this plan's code read now."""
        if not self.is_signed:
            return False
        from regimens.models import Protocol

        return self.on_superseded_protocol_in(
            dict(Protocol.objects.active().filter(code=self.protocol.code).values_list("code", "pk")))

    def sheet_snapshot(self):
        """The frozen snapshot with the current status and every signature (the issuing one is frozen
        in the snapshot; the verification is added beside it)."""
        if self.snapshot is None:
            return None
        data = {**self.snapshot}
        data["plan"] = {**data.get("plan", {}), "status": self.status}
        data["signatures"] = [*data.get("signatures", []), *([self.verified_signature]
                                                              if self.verified_signature else [])]
        return data
