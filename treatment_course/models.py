"""The course of treatment: cycle releases, administrations and their confirmations, progression
proposals and decisions (all append-only)."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.messages import drug_name
from patients.freshness import PatientRecord, RenewingQuerySet
from patients.models import (
    REASON_MAX_LENGTH,
    Patient,
    TreatmentLine,
    TreatmentPlan,
    bounded_text,
    change_log,
    signed_at,
    signed_by,
)


class ReleaseOutcome(models.TextChoices):
    RELEASED = "released", _("released")
    HELD = "held", _("held: a pre-cycle criterion is met")
    REVERIFY = "reverify", _("weight changed: doses recomputed, to be verified again")


class NeverChanged(models.Model):
    """A row that, once saved, is never changed or deleted by the model: ``instead`` says what to
    record instead of a change."""

    instead = "record a correction"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"This {self._name()} is never changed" + (f": {self.instead}." if self.instead else "."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"This {self._name()} is never deleted.")

    def _name(self):
        with translation.override("en"):  # a programming error: said in the code's language
            return str(self._meta.verbose_name)


class CycleRelease(NeverChanged, PatientRecord):
    """One release decision for one cycle of a plan's course. Never changed or deleted: a new decision
    (after a hold, or on the re-verified plan) is a new row. ``seen``: the weight, height, BSA, dose
    basis, weight change, labs with their dates and the criteria with the answers, as shown."""

    instead = "record a new decision"

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
    released_by = signed_by(_("decided by"))
    released_at = signed_at(_("decided at"))
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

    def log_title(self):
        """The change log's name of this decision (patients.presenters.change_log): its cycle, not a row number
        that reads like one."""
        return _("release of cycle %(cycle)s (%(regimen)s)") % {"cycle": self.cycle, "regimen": self.regimen}



class AdministrationOutcome(models.TextChoices):
    GIVEN = "given", pgettext_lazy("administered", "given")
    REDUCED = "reduced", _("given at a reduced dose")
    NOT_GIVEN = "not_given", _("not given")


# Routes of a parenteral anticancer drug in the protocol data: a second nurse confirms (issue 15 item 4).
PARENTERAL_ROUTES = ("iv", "sc")


class AppendOnlyQuerySet(RenewingQuerySet):
    """No bulk path around the model either: ``update`` and ``delete`` refuse."""

    def update(self, **kwargs):
        raise ValueError("These records are never changed: record a correction.")

    def delete(self):
        raise ValueError("These records are never deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise ValueError("These records are never changed: record a correction.")


class AppendOnly(NeverChanged, PatientRecord):
    """A record that is never changed or deleted: the model and its queryset refuse, and the database
    refuses by the triggers of migration treatment_course 0002 (an UPDATE everywhere; a DELETE on
    PostgreSQL — on SQLite a delete trigger would break the test database's flush, which deletes
    every table in no fixed order). A correction is a new row with its reason."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True



class Administration(AppendOnly):
    """The nurse's record of one scheduled administration of an issued plan (``item``: its index in the
    plan's frozen ``snapshot["schedule"]["administrations"]``; drug, dose, route and date copied as
    scheduled). A correction is a new row naming the row it corrects, with its reason."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+", verbose_name=_("patient"))
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="administration_records",
                             verbose_name=_("treatment plan"))
    item = models.PositiveSmallIntegerField(_("schedule item"))
    cycle = models.PositiveSmallIntegerField(_("cycle"))
    day = models.SmallIntegerField(_("day"))
    scheduled_date = models.DateField(_("scheduled date"))
    drug = models.CharField(_("drug"), max_length=60)
    route = models.CharField(_("route"), max_length=20)
    planned_dose = models.DecimalField(_("planned dose"), max_digits=10, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=20)
    outcome = models.CharField(_("outcome"), max_length=10, choices=AdministrationOutcome.choices)
    given_at = models.DateTimeField(_("given at"), null=True, blank=True)
    given_dose = models.DecimalField(_("dose given"), max_digits=10, decimal_places=3, null=True, blank=True)
    reason = bounded_text(_("reason"), REASON_MAX_LENGTH, blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections",
                                 verbose_name=_("corrects"))
    needs_second_nurse = models.BooleanField(_("a second nurse confirms"), default=False)
    recorded_by = signed_by(_("recorded by"))
    recorded_at = signed_at(_("recorded at"))
    history = change_log()

    class Meta:
        ordering = ["scheduled_date", "item", "recorded_at", "id"]
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")
        permissions = [("record_administration", "Can record and confirm administrations")]

    def __str__(self):
        return f"{self.drug} C{self.cycle}D{self.day}: {self.outcome}"

    def log_title(self):
        """The change log's name of this record: the drug, cycle and day it records."""
        return _("administration of %(drug)s, cycle %(cycle)s day %(day)s") % {
            "drug": drug_name(self.drug), "cycle": self.cycle, "day": self.day}


class AdministrationConfirmation(AppendOnly):
    """The second nurse's confirmation of an administration of a parenteral anticancer drug (another
    user than the one who recorded it, with their password)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+", verbose_name=_("patient"))
    administration = models.OneToOneField(Administration, on_delete=models.PROTECT, related_name="confirmation",
                                          verbose_name=_("administration"))
    confirmed_by = signed_by(_("confirmed by"))
    confirmed_at = signed_at(_("confirmed at"))
    history = change_log()

    class Meta:
        verbose_name = _("administration confirmation")
        verbose_name_plural = _("administration confirmations")

    def __str__(self):
        return f"{self.administration}: confirmed"
class ProposalStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class ProgressionProposal(NeverChanged, PatientRecord):
    """Progression found in the lab series (guidelines/response_series.py, tabell 8.2) and proposed to the
    physician. Never changed or deleted: the physician's answer is a ProgressionDecision."""

    instead = "record a decision"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+", verbose_name=_("patient"))
    treatment_line = models.ForeignKey(TreatmentLine, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("treatment line"))
    progression_date = models.DateField(_("proposed progression date"))
    confirmed_on = models.DateField(_("confirmed by the assessment of"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, editable=False)
    proposed_at = signed_at(_("proposed at"))

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("progression proposal")
        verbose_name_plural = _("progression proposals")
        constraints = [models.UniqueConstraint(fields=["treatment_line", "progression_date"],
                                               name="one_proposal_per_line_and_date")]

    def __str__(self):
        return f"{self.treatment_line}: PD {self.progression_date}"

    @property
    def reason_messages(self):
        """The reasons as the engine gave them (messages, rendered in the reader's language); a reason
        stored as text (before messages were kept) as written."""
        from core.messages import from_data

        return [from_data(r) if isinstance(r, dict) else r for r in self.reasons]



class ProgressionDecision(NeverChanged):
    """The physician's answer to a proposal: confirmed (the line's progression date) or rejected with a
    reason. One per proposal, append-only; who and when are recorded."""

    instead = ""

    proposal = models.OneToOneField(ProgressionProposal, on_delete=models.PROTECT, related_name="decision",
                                    verbose_name=_("progression proposal"))
    status = models.CharField(_("decision"), max_length=10, choices=ProposalStatus.choices)
    reason = bounded_text(_("reason"), REASON_MAX_LENGTH, blank=True)
    decided_by = signed_by(_("decided by"))
    decided_at = signed_at(_("decided at"))

    class Meta:
        verbose_name = _("progression decision")
        verbose_name_plural = _("progression decisions")

    def __str__(self):
        return f"{self.proposal}: {self.status}"

