"""A cycle's release: the physician's decision before each cycle, with what was seen (append-only)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patients.freshness import PatientRecord
from patients.models import REASON_MAX_LENGTH, Patient, TreatmentLine, TreatmentPlan, bounded_text, change_log


class ReleaseOutcome(models.TextChoices):
    RELEASED = "released", _("released")
    HELD = "held", _("held: a pre-cycle criterion is met")
    REVERIFY = "reverify", _("weight changed: doses recomputed, to be verified again")


class CycleRelease(PatientRecord):
    """One release decision for one cycle of a plan's course. Never changed or deleted: a new decision
    (after a hold, or on the re-verified plan) is a new row. ``seen``: the weight, height, BSA, dose
    basis, weight change, labs with their dates and the criteria with the answers, as shown."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+", verbose_name=_("patient"))
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="cycle_releases",
                             verbose_name=_("treatment plan"))
    treatment_line = models.ForeignKey(TreatmentLine, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("treatment line"))
    regimen = models.CharField(_("regimen"), max_length=50)
    cycle = models.PositiveSmallIntegerField(_("cycle"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReleaseOutcome.choices)
    seen = models.JSONField(_("what was seen"), default=dict, editable=False)
    note = bounded_text(_("note"), REASON_MAX_LENGTH, blank=True)
    revision = models.ForeignKey(TreatmentPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("new plan version"))
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("decided by"))
    released_at = models.DateTimeField(_("decided at"), default=timezone.now, editable=False)
    history = change_log()

    class Meta:
        ordering = ["cycle", "released_at", "id"]
        verbose_name = _("cycle release")
        verbose_name_plural = _("cycle releases")
        constraints = [models.UniqueConstraint(
            fields=["treatment_line", "regimen", "cycle"], condition=models.Q(outcome="released"),
            name="one_release_per_cycle")]

    def __str__(self):
        return f"{self.regimen} C{self.cycle}: {self.outcome}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A cycle release is never changed: record a new decision.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A cycle release is never deleted.")


class ProposalStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class ProgressionProposal(PatientRecord):
    """Progression found in the lab series (guidelines/response_series.py, tabell 8.2) and proposed to the
    physician. Never changed or deleted: the physician's answer is a ProgressionDecision."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+", verbose_name=_("patient"))
    treatment_line = models.ForeignKey(TreatmentLine, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("treatment line"))
    progression_date = models.DateField(_("proposed progression date"))
    confirmed_on = models.DateField(_("confirmed by the assessment of"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, editable=False)
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("progression proposal")
        verbose_name_plural = _("progression proposals")
        constraints = [models.UniqueConstraint(fields=["treatment_line", "progression_date"],
                                               name="one_proposal_per_line_and_date")]

    def __str__(self):
        return f"{self.treatment_line}: PD {self.progression_date}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A progression proposal is never changed: record a decision.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A progression proposal is never deleted.")


class ProgressionDecision(models.Model):
    """The physician's answer to a proposal: confirmed (the line's progression date) or rejected with a
    reason. One per proposal, append-only; who and when are recorded."""

    proposal = models.OneToOneField(ProgressionProposal, on_delete=models.PROTECT, related_name="decision",
                                    verbose_name=_("progression proposal"))
    status = models.CharField(_("decision"), max_length=10, choices=ProposalStatus.choices)
    reason = bounded_text(_("reason"), REASON_MAX_LENGTH, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("progression decision")
        verbose_name_plural = _("progression decisions")

    def __str__(self):
        return f"{self.proposal}: {self.status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A progression decision is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A progression decision is never deleted.")
