"""A protocol version: its draft rule, its status steps, its queries (``active``, ``current``) and
its reading as a schema.Protocol (``parsed``, ``ProtocolInvalid``)."""

from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as SchemaError
from simple_history.models import HistoricalRecords

from core.locking import VersionedModel
from regimens import schema
from regimens.notation import parse_schedule


def _choices(enum):
    """Choices of a schema enum, each labelled by CHOICE_LABELS (the code itself where it is a unit)."""
    return [(member.value, CHOICE_LABELS.get(member.value, member.value)) for member in enum]


# The admin's words for the schema's codes (regimens/schema.py); a code not here (a unit: mg,
# mg/m2, mg/kg, g/m2) is its own label.
CHOICE_LABELS = {
    # schema.Setting
    "first_line_transplant": _("first line, transplant candidate"),
    "stem_cell_mobilisation": _("stem cell mobilisation"),
    "high_dose": _("high-dose therapy"),
    "maintenance": _("maintenance"),
    "first_line_non_transplant": _("first line, not a transplant candidate"),
    "relapse": _("relapse"),
    "plasma_cell_leukemia": _("plasma cell leukaemia"),
    # schema.Route
    "po": _("oral (po)"),
    "sc": _("subcutaneous (sc)"),
    "iv": _("intravenous (iv)"),
    # schema.Basis
    "microgram": _("microgram"),
    # schema.RuleKind
    "renal": _("kidney function (eGFR)"),
    "age": _("age"),
    "weight": _("weight"),
    "tolerance": _("reduced tolerance"),
    # schema.Comparison
    "below": _("below the threshold"),
    "above": _("above the threshold"),
    # schema.AtBoundary
    "standard": _("the standard dose"),
    "rule": _("this rule's dose"),
}
SOURCE_DOCUMENTS = [("myeloma", _("Norwegian myeloma guideline")), ("poems", _("Danish POEMS guideline"))]


def _json_list(verbose_name, help_text):
    """A list the pharmacist edits as JSON in the admin; its entries are checked against regimens/schema.py."""
    return models.JSONField(verbose_name, default=list, blank=True, help_text=help_text)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class ProtocolLocked(ValidationError):
    """A change to an active or retired protocol version (only drafts can be changed), or a
    status step the version's life does not allow (code ``locked``)."""

    def __init__(self, message):
        super().__init__(message, code="locked")


class ProtocolInvalid(ValueError):
    """A stored protocol version that does not read as a protocol: the schema (regimens/schema.py)
    refuses it, or its schedule notation or phase events do not parse. The one error every reader
    of a stored version catches (``Protocol.parsed``); ``str()`` is the problem as the schema or the
    notation states it, ``problems`` the schema's errors one per field, ``incomplete`` True when
    the schema refused it (e.g. a draft without every dose, validated as active)."""

    def __init__(self, protocol, cause):
        super().__init__(str(cause))
        self.protocol = protocol
        self.cause = cause
        self.incomplete = isinstance(cause, SchemaError)

    @property
    def problems(self) -> str:
        if not self.incomplete:
            return str(self.cause)
        out = []
        for err in self.cause.errors():
            field = ".".join(str(p) for p in err.get("loc", ()))
            message = err["msg"].removeprefix("Value error, ")
            out.append(f"{field}: {message}" if field else message)
        return "; ".join(out)

    @classmethod
    @contextmanager
    def raised_for(cls, protocol):
        """Within the block, reading ``protocol`` fails with ProtocolInvalid only. The schema's
        and the notation's errors are ValueErrors (pydantic's ValidationError, ScheduleSyntaxError),
        as is a phase event that is not ``day: text``."""
        try:
            yield
        except ValueError as exc:
            if isinstance(exc, cls):
                raise
            raise cls(protocol, exc) from exc


DRAFT, ACTIVE, RETIRED = "draft", "active", "retired"
# The status steps a stored version may take (each also to itself: a save that changes nothing).
STATUS_STEPS = {DRAFT: {DRAFT, ACTIVE, RETIRED}, ACTIVE: {ACTIVE, RETIRED}, RETIRED: {RETIRED}}


def _locked_message(code, version, status):
    return gettext(
        "Only a draft can be changed: %(code)s version %(version)s is %(status)s. "
        "Start a new draft from it to change it."
    ) % {"code": code, "version": version, "status": gettext(status)}


def _require_drafts(protocol_ids):
    """Lock the protocol rows ``protocol_ids`` and refuse unless every one is a draft."""
    ids = {pk for pk in protocol_ids if pk is not None}
    if not ids:
        return
    rows = (Protocol._base_manager.select_for_update().filter(pk__in=ids)
            .order_by("code", "version").values_list("code", "version", "status"))
    for code, version, status in rows:
        if status != DRAFT:
            raise ProtocolLocked(_locked_message(code, version, status))


class ProtocolQuerySet(models.QuerySet):
    """The one place of the library's queries (``active``, ``current``). Bulk writes on protocols
    obey the draft rule too: no ``update`` or ``delete`` of a non-draft row (a status step goes
    through ``save``, where the allowed steps are checked)."""

    def active(self):
        """The active versions (at most one per code: a database constraint)."""
        return self.filter(status=ACTIVE)

    def current(self, code):
        """The version of ``code`` the library shows: the active one, else the latest (draft or
        retired), else None."""
        versions = self.filter(code=code).order_by("-version")
        return versions.active().first() or versions.first()

    def _require_drafts(self):
        _require_drafts(self.values_list("pk", flat=True))

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            self._require_drafts()
            if "status" in kwargs:
                raise ProtocolLocked(gettext("A protocol's status changes one version at a time (save), "
                                             "never by a bulk update."))
            return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db):
            self._require_drafts()
            return super().delete()

    delete.alters_data = True


def unix_newlines(instance):
    """Every text field of ``instance`` with «\\n» line ends: a browser sends a textarea's lines ended by
    «\\r\\n», and the library's YAML by «\\n», so an untouched note or supportive-care list would read as
    changed in the history and the activation diff (a change nobody made)."""
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(field, models.TextField) and isinstance(value, str) and "\r" in value:
            setattr(instance, field.attname, value.replace("\r\n", "\n").replace("\r", "\n"))


class Protocol(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = DRAFT, _("draft")
        ACTIVE = ACTIVE, _("active")
        RETIRED = RETIRED, _("retired")

    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    setting = models.CharField(_("setting"), max_length=40, choices=_choices(schema.Setting))
    line = models.PositiveSmallIntegerField(_("line of treatment"), null=True, blank=True)
    cycle_length_days = models.PositiveSmallIntegerField(_("cycle length (days)"), null=True, blank=True)
    cycles = models.PositiveSmallIntegerField(_("planned cycles"), null=True, blank=True)
    until_progression = models.BooleanField(_("until progression"), default=False)
    reimbursement = models.TextField(_("reimbursement"), blank=True)
    source_document = models.CharField(_("source document"), max_length=20, choices=SOURCE_DOCUMENTS)
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
    ambiguities = _json_list(_("ambiguities"), _(
        'A list of {"source_text": ..., "interpretation": ...}: where the guideline is ambiguous.'))
    precycle_criteria = _json_list(_("pre-cycle criteria"), _(
        'A list of criteria, each with the keys <code>analyte, comparison (below/above/present), threshold, action '
        '(proceed/reduce/hold), applies_to (every_cycle/first_cycle), source_document (myeloma/poems/local), '
        'source_section, source_text</code>: checked when a cycle is released.'))
    dose_levels = _json_list(_("dose levels"), _(
        'A list of drugs, each with the keys <code>drug, doses (highest first), source_document (myeloma/poems/local), '
        'source_section, source_text</code>: the levels a physician reduces a drug by, one at a time. A drug without '
        'levels has no reduction. The source is required.'))
    seed_hash = models.CharField(_("YAML hash"), max_length=64, blank=True, editable=False)
    edited = models.BooleanField(_("edited in the admin"), default=False, editable=False)
    history = HistoricalRecords()

    objects = ProtocolQuerySet.as_manager()

    class Meta:
        ordering = ("code", "-version")
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        constraints = [
            models.UniqueConstraint(fields=("code", "version"), name="regimens_protocol_code_version"),
            models.UniqueConstraint(
                fields=("code",), condition=Q(status="active"), name="regimens_protocol_one_active_per_code"
            ),
        ]

    def __str__(self):
        return f"{self.code} v{self.version} ({self.get_status_display()})"

    # ------------------------------------------------------------ only a draft changes

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def _check_change(self):
        """Refuse what the draft rule forbids (see the module docstring); the stored row is locked."""
        if self._state.adding or self.pk is None:
            if self.status != DRAFT:
                raise ProtocolLocked(gettext(
                    "A protocol version is created as a draft; it becomes active only when activated."))
            return
        stored = type(self)._base_manager.select_for_update().filter(pk=self.pk).first()
        if stored is None:
            return
        if self.status not in STATUS_STEPS[stored.status]:
            raise ProtocolLocked(gettext(
                "%(code)s version %(version)s is %(old)s and cannot become %(new)s: a version goes only "
                "draft → active → retired. To use it again, start a new draft from it."
            ) % {"code": stored.code, "version": stored.version, "old": gettext(stored.status),
                 "new": gettext(self.status)})
        if stored.status == DRAFT:
            return
        changed = [str(field.verbose_name) for field in self._meta.concrete_fields
                   if field.attname not in ("lock_version", "status")
                   and getattr(stored, field.attname) != getattr(self, field.attname)]
        if changed:
            raise ProtocolLocked(_locked_message(stored.code, stored.version, stored.status)
                                 + " " + gettext("(changed: %(fields)s)") % {"fields": ", ".join(changed)})

    def save(self, *args, **kwargs):
        unix_newlines(self)
        with transaction.atomic(using=kwargs.get("using")):
            self._check_change()
            return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            if self.pk is not None:
                _require_drafts([self.pk])
            return super().delete(*args, **kwargs)

    # ------------------------------------------------------------ schema round trip

    def _drug_line_data(self, line) -> dict:
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
            "precycle_criteria": self.precycle_criteria or [],
            "dose_levels": self.dose_levels or [],
        }

    def to_schema(self, *, as_status: str | None = None) -> schema.Protocol:
        """Validated by the same schema as the YAML files (raises pydantic.ValidationError or
        notation.ScheduleSyntaxError). ``as_status="active"`` validates a draft as it would be
        activated (every dose, basis and day required): the schedule preview and activation."""
        data = self.to_schema_data()
        if as_status is not None:
            data["status"] = as_status
        return schema.Protocol.model_validate(data)

    def parsed(self, *, as_status: str | None = None) -> schema.Protocol:
        """The version as a ``schema.Protocol`` (``to_schema``), or ``ProtocolInvalid`` saying why
        not: what every page, the API and the plans read a stored protocol with."""
        with ProtocolInvalid.raised_for(self):
            return self.to_schema(as_status=as_status)

    def parsed_data(self) -> dict:
        """``to_schema_data``, or ``ProtocolInvalid`` when a schedule or an event does not parse."""
        with ProtocolInvalid.raised_for(self):
            return self.to_schema_data()

    def content_digest(self) -> str:
        """Fingerprint of the version's content (regimens/diff.py), for "activate what was checked"."""
        from regimens.diff import content_digest

        return content_digest(self.to_schema_data())

    # ------------------------------------------------------------ versions and changes

    def predecessor(self) -> "Protocol | None":
        """The version this one is compared with. For a draft: the version activating it would
        replace (the active one of its code), or, with none active, the newest version below it.
        For an active or retired version: the newest active-or-retired version below it."""
        others = Protocol.objects.filter(code=self.code).exclude(pk=self.pk)
        if self.is_draft:
            active = others.active().first()
            if active is not None:
                return active
            return others.filter(version__lt=self.version).order_by("-version").first()
        return others.filter(version__lt=self.version).exclude(status=DRAFT).order_by("-version").first()

    def last_change(self):
        """The latest historical record of this version or of any of its phases, drug lines and dose
        rules (a deleted line's record included): ``history_user`` made the last change (None: the
        system, e.g. the loader or a shell), at ``history_date``. None without any history."""
        records = [self.history.order_by("-history_date", "-history_id").select_related("history_user").first()]
        from regimens.models.parts import DoseRule, DrugLine, Phase

        for model in (Phase, DrugLine, DoseRule):
            records.append(model.history.filter(protocol_id=self.pk).order_by("-history_date", "-history_id")
                           .select_related("history_user").first())
        records = [record for record in records if record is not None]
        return max(records, key=lambda record: record.history_date, default=None)

    @classmethod
    def from_schema(cls, proto: schema.Protocol, *, seed_hash: str = "", edited: bool = False) -> "Protocol":
        """Create a stored protocol from a validated one (see regimens/actions.py)."""
        from regimens.actions import create_protocol

        return create_protocol(proto=proto, seed_hash=seed_hash, edited=edited)
