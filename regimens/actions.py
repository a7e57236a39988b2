"""Writes to the regimen library: one function per act (create, new draft, activate, retire).

The four-eyes rule for doses (issue 10, hazards HAZ-020 to HAZ-022): a protocol's doses
change only in a draft (regimens/models/ refuses any change to an active or retired
version), and a draft becomes the active version only when a second pharmacist (or an
admin) — not the person who last changed it — activates it with password and second
factor, having seen its differences against the version it replaces and its schedule
for a sample patient. That person is recorded as ``checked_by`` and ``activated_by``.
Using an older version again is a new draft copied from it (``create_draft_from``), which
goes through the same check; a retired version never becomes active again.

The one activation without a second person is the shipped library: the loader
(regimens/loader.py) stores a seed file with the status the file gives, attributed to the
file (``authored_by``/``checked_by`` as written in it, ``activated_by`` empty: the system,
history reason "loaded from <file>"). The files are reviewed in the repository, not here.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.confirmation import check_code, check_password
from accounts.roles import ACTIVATE_PROTOCOL, EDIT_PROTOCOLS
from core.formatting import format_datetime
from core.locking import lock_current
from regimens import schema
from regimens.formatting import format_number
from regimens.models import DoseRule, DrugLine, Phase, Protocol
from regimens.notation import format_schedule
from regimens.refusals import hospital_limit, rounding_refusals


def _insert(instance, by):
    if by is not None:  # else simple_history takes the request's user, if any
        instance._history_user = by
    instance.save()
    return instance


def _create_line(protocol, line: schema.DrugLine, ordering: int, phase=None, by=None) -> None:
    stored = _insert(DrugLine(
        protocol=protocol, phase=phase, ordering=ordering, drug=line.drug, atc=line.atc, route=str(line.route),
        dose=line.dose, basis=str(line.basis) if line.basis else "", schedule=format_schedule(line.schedule),
        rounding_step=line.rounding.step if line.rounding else None,
        rounding_max_deviation_pct=line.rounding.max_deviation_pct if line.rounding else None,
        max_single_dose_mg=line.max_single_dose_mg, min_interval_hours=line.min_interval_hours,
        times_per_day=line.times_per_day, note=line.note,
    ), by)
    for index, rule in enumerate(line.rules):
        _insert(DoseRule(
            protocol=protocol, drug_line=stored, ordering=index, kind=str(rule.kind),
            comparison=str(rule.comparison) if rule.comparison else "", threshold=rule.threshold, dose=rule.dose,
            omit=rule.omit, source_text=rule.source_text, boundary_undefined=rule.boundary_undefined,
            boundary_interpretation=rule.boundary_interpretation, at_boundary=str(rule.at_boundary),
            min_hours_to_next_event=rule.min_hours_to_next_event,
        ), by)


@transaction.atomic
def create_protocol(*, proto: schema.Protocol, seed_hash: str = "", edited: bool = False,
                    reason: str = "", by=None) -> Protocol:
    """Store a validated protocol with its phases, drug lines and rules, recorded as made by ``by``
    (None: the system). It is stored as a draft and, if ``proto`` says active or retired, then given
    that status: the seed library's path (see the module docstring); everyone else makes drafts."""
    protocol = Protocol(
        code=proto.code, name=proto.name, setting=str(proto.setting), line=proto.line,
        cycle_length_days=proto.cycle_length_days, cycles=proto.cycles, until_progression=proto.until_progression,
        reimbursement=proto.reimbursement, source_document=proto.source.document,
        source_section=proto.source.section, source_table=proto.source.table, version=proto.version,
        status=Protocol.Status.DRAFT, authored_by=proto.authored_by, checked_by=proto.checked_by,
        review_date=proto.review_date, premedication="\n".join(proto.premedication),
        supportive_care="\n".join(proto.supportive_care),
        ambiguities=[a.model_dump() for a in proto.ambiguities], seed_hash=seed_hash, edited=edited,
        precycle_criteria=[c.model_dump(mode="json") for c in proto.precycle_criteria],
        dose_levels=[levels.model_dump(mode="json") for levels in proto.dose_levels],
    )
    protocol._change_reason = reason or None
    _insert(protocol, by)
    ordering = 0
    for p_index, phase in enumerate(proto.phases):
        stored_phase = _insert(Phase(
            protocol=protocol, ordering=p_index, name=phase.name, start_day=phase.start_day,
            cycle_1_day_1=phase.cycle_1_day_1, note=phase.note,
            events="\n".join(f"{e.day}: {e.text}" for e in phase.events),
        ), by)
        for line in phase.drugs:
            _create_line(protocol, line, ordering, stored_phase, by)
            ordering += 1
    for line in proto.drugs:
        _create_line(protocol, line, ordering, by=by)
        ordering += 1
    if str(proto.status) != Protocol.Status.DRAFT:
        protocol.status = str(proto.status)
        if protocol.status == Protocol.Status.ACTIVE:  # the moment the loader put it in use (no person did)
            protocol.activated_at = timezone.now()
        protocol._change_reason = reason or None
        _insert(protocol, by)
    return protocol


def next_version(code: str) -> int:
    return (Protocol.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0) + 1


def _require(user, permission):
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(_("Your role may not do this."))


def person_name(user):
    return user.get_full_name() or user.get_username()


@transaction.atomic
def create_draft_version(*, data: dict, reason: str, by) -> Protocol:
    """A new DRAFT version of ``data['code']`` (the next version number), made by ``by``; every other
    version stays as it is. ``data`` is in the YAML format and is validated as a draft; the copy is
    unchecked (``checked_by`` empty) until a second pharmacist activates it."""
    _require(by, EDIT_PROTOCOLS)
    data = {**data, "version": next_version(data["code"]), "status": schema.Status.DRAFT, "checked_by": ""}
    proto = schema.Protocol.model_validate(data)
    return create_protocol(proto=proto, edited=True, reason=reason or "new draft", by=by)


@transaction.atomic
def create_draft_from(*, protocol: Protocol, by, reason: str) -> Protocol:
    """"New draft from this version": a copy of ``protocol`` (any status) as the next version number,
    the way to change an active version and the only way to use an older version again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the new draft.")})
    return create_draft_version(
        data=protocol.to_schema_data(), by=by,
        reason=f"new draft from version {protocol.version}: {reason}",
    )


def _check_password(user, password):
    check_password(user, password, refused=_("The password is not correct: confirm with your own password."))


def check_second_person(protocol: Protocol, user) -> None:
    """Refuse, naming why, unless ``user`` may be the second pair of eyes on ``protocol``: someone
    other than the person who made its last change (the latest history record of the protocol,
    its phases, drug lines or rules). A draft whose last change has no person recorded (the loader,
    a shell) has no one who can be shown to be a second person: it must be saved in the admin by
    a pharmacist first, and then checked by another."""
    last = protocol.last_change()
    changer = last.history_user if last is not None else None
    when = format_datetime(last.history_date) if last is not None else "?"
    if changer is None:
        raise ValidationError(_(
            "The last change to this draft (%(when)s) was made outside the admin, by no named person: "
            "a pharmacist must open and save it in the admin, and another pharmacist activate it."
        ) % {"when": when})
    if changer.pk == user.pk:
        raise ValidationError(_(
            "You made the last change to this draft (%(when)s): a second pharmacist must check and activate "
            "it (four eyes)."
        ) % {"when": when})


@transaction.atomic
def activate_protocol(*, protocol: Protocol, by, password, reviewed_digest, otp_token=None,
                      loaded_version=None) -> Protocol:
    """Make the draft ``protocol`` the active version of its code: the second pharmacist's check.

    Refused, naming why, when: ``by`` may not activate; the password or second-factor code is wrong;
    the version is not a draft (an active or retired one is never (re)activated: copy it); ``by``
    made the draft's last change (``check_second_person``); a newer version was activated since the
    draft was made (activating it would silently undo that version); the draft changed since the checker
    loaded it (``loaded_version``, the row's edit counter, and ``reviewed_digest``, the fingerprint
    of the content shown on the activation page); it does not validate as active (pydantic
    ValidationError: every dose, basis and day); a drug's rounding could move a dose of a patient in
    the realistic range (BSA 1.4–2.6 m², weight 40–150 kg) further than the hospital's limit
    (``regimens.refusals.rounding_refusals``, naming drug and dose). Then, with the row locked, in one transaction: the
    previously active version is retired, and this one records ``checked_by`` (the checker's name),
    ``activated_by`` and ``activated_at``."""
    _require(by, ACTIVATE_PROTOCOL)
    _check_password(by, password)
    check_code(by, otp_token, no_device=_(
        "Activating a protocol needs two-factor authentication: set up your authenticator app first."))
    current = lock_current(Protocol, protocol.pk, loaded_version=loaded_version)
    if not current.is_draft:
        raise ValidationError(_(
            "%(code)s version %(version)s is %(status)s: only a draft can be activated. To use this version "
            "again, start a new draft from it."
        ) % {"code": current.code, "version": current.version, "status": current.get_status_display()})
    check_second_person(current, by)
    newer = Protocol.objects.active().filter(code=current.code, version__gt=current.version).first()
    if newer is not None:
        raise ValidationError(_(
            "%(code)s version %(version)s is older than the active version %(active)s: it was drafted before "
            "that version was activated, and activating it would undo that version's changes. Start a new "
            "draft from the version you want to build on."
        ) % {"code": current.code, "version": current.version, "active": newer.version})
    if reviewed_digest != current.content_digest():
        raise ValidationError(_(
            "The draft was changed after you opened the activation page: nothing was activated. "
            "Open the page again and check the differences."
        ))
    refusals = rounding_refusals(current.to_schema(as_status=schema.Status.ACTIVE))
    if refusals:
        limit = format_number(hospital_limit(), places=2)
        raise ValidationError([_("Not activated: a rounding step is too coarse for the doses it rounds "
                                 "(the hospital allows %(limit)s %%).") % {"limit": limit}, *refusals],
                              code="rounding")
    for previous in Protocol.objects.active().select_for_update().filter(code=current.code):
        previous.status = Protocol.Status.RETIRED
        previous._history_user = by
        previous._change_reason = f"retired: version {current.version} activated by {by}"
        previous.save()
    current.status = Protocol.Status.ACTIVE
    current.checked_by = person_name(by)
    current.activated_by = by
    current.activated_at = timezone.now()
    current._history_user = by
    current._change_reason = f"activated by {by}"
    current.save()
    return current


@transaction.atomic
def retire_protocol(*, protocol: Protocol, by, password, reason: str, loaded_version=None) -> Protocol:
    """Retire the active version (or give up a draft) without a successor: the regimen can then not
    be prescribed until a new version is activated, and plans on it show the superseded flag."""
    _require(by, ACTIVATE_PROTOCOL)
    _check_password(by, password)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for retiring this version.")})
    current = lock_current(Protocol, protocol.pk, loaded_version=loaded_version)
    if current.status == Protocol.Status.RETIRED:
        raise ValidationError(_("This version is already retired."))
    current.status = Protocol.Status.RETIRED
    current._history_user = by
    current._change_reason = f"retired by {by}: {reason}"
    current.save()
    return current
