"""The parts of a protocol version: phases, drug lines and dose rules, changed only while the
version is a draft."""


from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regimens import schema
from regimens.models.protocol import Protocol, _choices, _lines, _require_drafts, unix_newlines


class ProtocolPartQuerySet(models.QuerySet):
    """Bulk writes on a protocol's phases, drug lines and dose rules: only within drafts."""

    def _targets(self, kwargs):
        target = kwargs.get("protocol", kwargs.get("protocol_id"))
        return [getattr(target, "pk", target)] if ("protocol" in kwargs or "protocol_id" in kwargs) else []

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            _require_drafts([*self.values_list("protocol_id", flat=True), *self._targets(kwargs)])
            return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db):
            _require_drafts(self.values_list("protocol_id", flat=True))
            return super().delete()

    delete.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            _require_drafts(obj.protocol_id for obj in objs)
            return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            stored = self.model._base_manager.filter(pk__in=[obj.pk for obj in objs]).values_list(
                "protocol_id", flat=True)
            _require_drafts([*stored, *(obj.protocol_id for obj in objs)])
            return super().bulk_update(objs, fields, *args, **kwargs)


class ProtocolPart(models.Model):
    """A phase, drug line or dose rule: part of one protocol version, changed only while that
    version is a draft (the stored row's protocol and the new one are both checked, so a part
    cannot be moved out of, or into, an active or retired version either)."""

    objects = ProtocolPartQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)  # each part's own change log

    class Meta:
        abstract = True
        ordering = ("ordering", "pk")

    def save(self, *args, **kwargs):
        unix_newlines(self)
        with transaction.atomic(using=kwargs.get("using")):
            _require_drafts(self._protocols_touched())
            return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            _require_drafts(self._protocols_touched())
            return super().delete(*args, **kwargs)

    def _protocols_touched(self):
        ids = [self.protocol_id]
        if self.pk is not None:
            ids += type(self)._base_manager.filter(pk=self.pk).values_list("protocol_id", flat=True)
        return ids


class Phase(ProtocolPart):
    """An event-anchored phase before the cycles (schema.Phase). Events: one per line, ``day: text``."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="phases",
                                 verbose_name=_("protocol"))
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    start_day = models.SmallIntegerField(_("start day"), default=1)
    cycle_1_day_1 = models.SmallIntegerField(_("phase day of cycle 1 day 1"), null=True, blank=True)
    events = models.TextField(_("events"), blank=True, help_text=_("One per line: “0: Stem cell reinfusion”."))
    note = models.TextField(_("note"), blank=True)

    class Meta(ProtocolPart.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self):
        return self.name

    def event_list(self) -> list[dict]:
        out = []
        for row in _lines(self.events):
            day, sep, text = row.partition(":")
            try:
                out.append({"day": int(day.strip()), "text": text.strip()})
            except ValueError:
                raise ValueError(f"phase {self.name}: event “{row}” must be written “day: text”") from None
            if not sep or not text.strip():
                raise ValueError(f"phase {self.name}: event “{row}” must be written “day: text”")
        return out


class DrugLine(ProtocolPart):
    """One drug of a protocol (schema.DrugLine); ``schedule`` in the notation of regimens/notation.py."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="drug_lines",
                                 verbose_name=_("protocol"))
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.CASCADE, related_name="drug_lines",
                              verbose_name=_("phase"))
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    drug = models.CharField(_("drug"), max_length=100)
    atc = models.CharField("ATC", max_length=10, blank=True)
    route = models.CharField(_("route"), max_length=4, choices=_choices(schema.Route))
    dose = models.FloatField(_("dose"), null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=10, choices=_choices(schema.Basis), blank=True)
    schedule = models.CharField(
        _("schedule"), max_length=500, blank=True,
        help_text=_("e.g. “C1-2: D1,8,15,22; C3-6: D1,15; C7+: D1”, “D1-21”, “C1: D1 @20”, “D1 @0.06 [step-up 1]”"),
    )
    rounding_step = models.DecimalField(
        _("rounding step (in the dose's unit)"), max_digits=12, decimal_places=4, null=True, blank=True,
        help_text=_("The dose to give is the calculated dose rounded to a multiple of this step, in the unit of "
                    "the dose (mg for mg, mg/m2 and mg/kg; microgram; g for g/m2): e.g. 0.1 mg, a vial or a tablet "
                    "size. Empty: three significant figures, at most two decimals. A step that can move a dose "
                    "by more than the hospital's maximum deviation is refused at activation."),
    )
    rounding_max_deviation_pct = models.FloatField(
        _("rounding: stricter maximum deviation for this drug (%)"), null=True, blank=True,
        help_text=_("Optional. Empty: the hospital's maximum deviation applies; a larger value has no effect."),
    )
    max_single_dose_mg = models.FloatField(_("maximum single dose (mg)"), null=True, blank=True)
    min_interval_hours = models.PositiveIntegerField(_("minimum interval (hours)"), null=True, blank=True)
    times_per_day = models.PositiveSmallIntegerField(_("times per day"), default=1)
    note = models.TextField(_("note"), blank=True)

    class Meta(ProtocolPart.Meta):
        verbose_name = _("drug line")
        verbose_name_plural = _("drug lines")

    def __str__(self):
        where = f" ({self.phase.name})" if self.phase_id else ""
        return f"{self.drug}{where}"


class DoseRule(ProtocolPart):
    """A rule replacing a drug line's dose (schema.DoseRule), with the guideline's words."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="dose_rules",
                                 verbose_name=_("protocol"))
    drug_line = models.ForeignKey(DrugLine, on_delete=models.CASCADE, related_name="rules",
                                  verbose_name=_("drug line"))
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=_choices(schema.RuleKind))
    comparison = models.CharField(_("comparison"), max_length=10, choices=_choices(schema.Comparison), blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    dose = models.FloatField(_("dose"), null=True, blank=True)
    omit = models.BooleanField(_("omit the drug"), default=False)
    source_text = models.TextField(_("source text"))
    boundary_undefined = models.BooleanField(_("boundary undefined in the guideline"), default=False)
    boundary_interpretation = models.TextField(_("boundary interpretation"), blank=True)
    at_boundary = models.CharField(
        _("at the exact boundary"), max_length=10, choices=_choices(schema.AtBoundary),
        default=schema.AtBoundary.STANDARD.value,
        help_text=_("Only for a boundary the guideline leaves undefined: whether a value exactly at the threshold "
                    "gets the standard dose or this rule's dose. Either way it is flagged for the physician."),
    )
    min_hours_to_next_event = models.PositiveIntegerField(
        _("minimum hours to the next event"), null=True, blank=True,
        help_text=_("Phase drugs only: when this rule applies, the phase's next event must start at least this "
                    "many hours after this drug (e.g. melphalan with eGFR <30: 48 h to stem cell reinfusion)."),
    )

    class Meta(ProtocolPart.Meta):
        verbose_name = _("dose rule")
        verbose_name_plural = _("dose rules")

    def __str__(self):
        return f"{self.drug_line.drug}: {self.kind}"

    def to_schema_data(self) -> dict:
        return {
            "kind": self.kind, "comparison": self.comparison or None, "threshold": self.threshold,
            "dose": self.dose, "omit": self.omit, "source_text": self.source_text,
            "boundary_undefined": self.boundary_undefined, "boundary_interpretation": self.boundary_interpretation,
            "at_boundary": self.at_boundary or schema.AtBoundary.STANDARD.value,
            "min_hours_to_next_event": self.min_hours_to_next_event,
        }
