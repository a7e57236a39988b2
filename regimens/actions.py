"""Writes to the regimen library: one function per act (create, new version, activate)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import update_change_reason

from regimens import schema
from regimens.models import DoseRule, DrugLine, Phase, Protocol
from regimens.notation import format_schedule


def _create_line(protocol, line: schema.DrugLine, ordering: int, phase=None) -> None:
    stored = DrugLine.objects.create(
        protocol=protocol, phase=phase, ordering=ordering, drug=line.drug, atc=line.atc, route=str(line.route),
        dose=line.dose, basis=str(line.basis) if line.basis else "", schedule=format_schedule(line.schedule),
        rounding_step=line.rounding.step if line.rounding else None,
        rounding_max_deviation_pct=line.rounding.max_deviation_pct if line.rounding else None,
        max_single_dose_mg=line.max_single_dose_mg, min_interval_hours=line.min_interval_hours,
        times_per_day=line.times_per_day, note=line.note,
    )
    for index, rule in enumerate(line.rules):
        DoseRule.objects.create(
            protocol=protocol, drug_line=stored, ordering=index, kind=str(rule.kind),
            comparison=str(rule.comparison) if rule.comparison else "", threshold=rule.threshold, dose=rule.dose,
            omit=rule.omit, source_text=rule.source_text, boundary_undefined=rule.boundary_undefined,
            boundary_interpretation=rule.boundary_interpretation, at_boundary=str(rule.at_boundary),
            min_hours_to_next_event=rule.min_hours_to_next_event,
        )


@transaction.atomic
def create_protocol(*, proto: schema.Protocol, seed_hash: str = "", edited: bool = False,
                    reason: str = "") -> Protocol:
    """Store a validated protocol with its phases, drug lines and rules."""
    protocol = Protocol.objects.create(
        code=proto.code, name=proto.name, setting=str(proto.setting), line=proto.line,
        cycle_length_days=proto.cycle_length_days, cycles=proto.cycles, until_progression=proto.until_progression,
        reimbursement=proto.reimbursement, source_document=proto.source.document,
        source_section=proto.source.section, source_table=proto.source.table, version=proto.version,
        status=str(proto.status), authored_by=proto.authored_by, checked_by=proto.checked_by,
        review_date=proto.review_date, premedication="\n".join(proto.premedication),
        supportive_care="\n".join(proto.supportive_care),
        ambiguities=[a.model_dump() for a in proto.ambiguities], seed_hash=seed_hash, edited=edited,
    )
    if reason:
        update_change_reason(protocol, reason)
    ordering = 0
    for p_index, phase in enumerate(proto.phases):
        stored_phase = Phase.objects.create(
            protocol=protocol, ordering=p_index, name=phase.name, start_day=phase.start_day,
            cycle_1_day_1=phase.cycle_1_day_1, note=phase.note,
            events="\n".join(f"{e.day}: {e.text}" for e in phase.events),
        )
        for line in phase.drugs:
            _create_line(protocol, line, ordering, stored_phase)
            ordering += 1
    for line in proto.drugs:
        _create_line(protocol, line, ordering)
        ordering += 1
    return protocol


def next_version(code: str) -> int:
    return (Protocol.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def create_draft_version(*, data: dict, reason: str) -> Protocol:
    """A new DRAFT version of ``data['code']`` (an edit of an active protocol), leaving the active one
    unchanged. ``data`` is in the YAML format; it is validated as a draft."""
    data = {**data, "version": next_version(data["code"]), "status": schema.Status.DRAFT,
            "checked_by": ""}
    proto = schema.Protocol.model_validate(data)
    return create_protocol(proto=proto, edited=True, reason=reason or "edit of the active version")


@transaction.atomic
def activate_protocol(*, protocol: Protocol, user) -> Protocol:
    """Make ``protocol`` the active version of its code, recording who and when; the previously active
    version is retired. The protocol must validate as active (doses, bases, days)."""
    schema.Protocol.model_validate({**protocol.to_schema_data(), "status": schema.Status.ACTIVE})
    for previous in Protocol.objects.select_for_update().filter(code=protocol.code, status=Protocol.Status.ACTIVE):
        if previous.pk != protocol.pk:
            previous.status = Protocol.Status.RETIRED
            previous._change_reason = f"retired: version {protocol.version} activated by {user}"
            previous.save()
    protocol.status = Protocol.Status.ACTIVE
    protocol.activated_by = user
    protocol.activated_at = timezone.now()
    protocol._change_reason = f"activated by {user}"
    protocol.save()
    return protocol


@transaction.atomic
def retire_protocol(*, protocol: Protocol, reason: str) -> Protocol:
    protocol.status = Protocol.Status.RETIRED
    protocol._change_reason = reason
    protocol.save()
    return protocol
