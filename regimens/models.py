"""Regimen protocols in the database: the library as edited in the admin.

The structure mirrors regimens/schema.py (the YAML format); ``to_schema()``
turns a stored protocol into a ``schema.Protocol`` so the admin, the loader,
the API and the dose engine share one validation. Every model keeps its full
change history (django-simple-history).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from patients.locking import VersionedModel
from regimens import schema
from regimens.notation import parse_schedule


def _choices(enum):
    return [(member.value, member.value) for member in enum]


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class Protocol(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        RETIRED = "retired", _("retired")

    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    setting = models.CharField(_("setting"), max_length=40, choices=_choices(schema.Setting))
    line = models.PositiveSmallIntegerField(_("line of treatment"), null=True, blank=True)
    cycle_length_days = models.PositiveSmallIntegerField(_("cycle length (days)"), null=True, blank=True)
    cycles = models.PositiveSmallIntegerField(_("planned cycles"), null=True, blank=True)
    until_progression = models.BooleanField(_("until progression"), default=False)
    reimbursement = models.TextField(_("reimbursement"), blank=True)
    source_document = models.CharField(_("source document"), max_length=20, choices=[("myeloma", "myeloma"),
                                                                                       ("poems", "poems")])
    source_section = models.CharField(_("source section"), max_length=300)
    source_table = models.CharField(_("source table"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    authored_by = models.CharField(_("authored by"), max_length=200)
    checked_by = models.CharField(_("checked by"), max_length=200, blank=True)
    review_date = models.DateField(_("review date"))
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("activated by"),
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    premedication = models.TextField(_("premedication"), blank=True, help_text=_("One item per line."))
    supportive_care = models.TextField(_("supportive care"), blank=True, help_text=_("One item per line."))
    ambiguities = models.JSONField(
        _("ambiguities"), default=list, blank=True,
        help_text=_('A list of {"source_text": ..., "interpretation": ...}: where the guideline is ambiguous.'),
    )
    seed_hash = models.CharField(_("YAML hash"), max_length=64, blank=True, editable=False)
    edited = models.BooleanField(_("edited in the admin"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ("code", "-version")
        verbose_name = _("protocol")
        constraints = [
            models.UniqueConstraint(fields=("code", "version"), name="regimens_protocol_code_version"),
            models.UniqueConstraint(
                fields=("code",), condition=Q(status="active"), name="regimens_protocol_one_active_per_code"
            ),
        ]

    def __str__(self):
        return f"{self.code} v{self.version} ({self.status})"

    # ------------------------------------------------------------ schema round trip

    def _drug_line_data(self, line: "DrugLine") -> dict:
        data = {
            "drug": line.drug, "atc": line.atc, "route": line.route, "dose": line.dose,
            "basis": line.basis or None, "schedule": parse_schedule(line.schedule),
            "rules": [rule.to_schema_data() for rule in line.rules.all()],
            "max_single_dose_mg": line.max_single_dose_mg, "min_interval_hours": line.min_interval_hours,
            "times_per_day": line.times_per_day, "note": line.note,
        }
        if line.rounding_step is not None:
            data["rounding"] = {"step": line.rounding_step}
            if line.rounding_max_deviation_pct is not None:
                data["rounding"]["max_deviation_pct"] = line.rounding_max_deviation_pct
        return data

    def to_schema_data(self) -> dict:
        """The protocol as a plain dict in the YAML format (validated by ``to_schema``)."""
        lines = list(self.drug_lines.all())
        return {
            "code": self.code, "name": self.name, "setting": self.setting, "line": self.line,
            "cycle_length_days": self.cycle_length_days, "cycles": self.cycles,
            "until_progression": self.until_progression,
            "phases": [
                {
                    "name": phase.name, "start_day": phase.start_day, "cycle_1_day_1": phase.cycle_1_day_1,
                    "note": phase.note, "events": phase.event_list(),
                    "drugs": [self._drug_line_data(line) for line in lines if line.phase_id == phase.pk],
                }
                for phase in self.phases.all()
            ],
            "drugs": [self._drug_line_data(line) for line in lines if line.phase_id is None],
            "premedication": _lines(self.premedication), "supportive_care": _lines(self.supportive_care),
            "reimbursement": self.reimbursement,
            "source": {"document": self.source_document, "section": self.source_section, "table": self.source_table},
            "version": self.version, "status": self.status, "authored_by": self.authored_by,
            "checked_by": self.checked_by, "review_date": self.review_date, "ambiguities": self.ambiguities or [],
        }

    def to_schema(self) -> schema.Protocol:
        """Validated by the same schema as the YAML files (raises pydantic.ValidationError or
        notation.ScheduleSyntaxError)."""
        return schema.Protocol.model_validate(self.to_schema_data())

    @classmethod
    def from_schema(cls, proto: schema.Protocol, *, seed_hash: str = "", edited: bool = False) -> "Protocol":
        """Create a stored protocol from a validated one (see regimens/actions.py)."""
        from regimens.actions import create_protocol

        return create_protocol(proto=proto, seed_hash=seed_hash, edited=edited)


class Phase(models.Model):
    """An event-anchored phase before the cycles (schema.Phase). Events: one per line, ``day: text``."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="phases")
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    start_day = models.SmallIntegerField(_("start day"), default=1)
    cycle_1_day_1 = models.SmallIntegerField(_("phase day of cycle 1 day 1"), null=True, blank=True)
    events = models.TextField(_("events"), blank=True, help_text=_("One per line: “0: Stem cell reinfusion”."))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("ordering", "pk")
        verbose_name = _("phase")

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


class DrugLine(models.Model):
    """One drug of a protocol (schema.DrugLine); ``schedule`` in the notation of regimens/notation.py."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="drug_lines")
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.CASCADE, related_name="drug_lines")
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
    rounding_step = models.FloatField(_("rounding step"), null=True, blank=True)
    rounding_max_deviation_pct = models.FloatField(_("rounding: maximum deviation (%)"), null=True, blank=True)
    max_single_dose_mg = models.FloatField(_("maximum single dose (mg)"), null=True, blank=True)
    min_interval_hours = models.PositiveIntegerField(_("minimum interval (hours)"), null=True, blank=True)
    times_per_day = models.PositiveSmallIntegerField(_("times per day"), default=1)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("ordering", "pk")
        verbose_name = _("drug line")

    def __str__(self):
        where = f" ({self.phase.name})" if self.phase_id else ""
        return f"{self.drug}{where}"


class DoseRule(models.Model):
    """A rule replacing a drug line's dose (schema.DoseRule), with the guideline's words."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="dose_rules")
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
    history = HistoricalRecords()

    class Meta:
        ordering = ("ordering", "pk")
        verbose_name = _("dose rule")

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

