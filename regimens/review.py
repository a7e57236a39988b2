"""What the second pharmacist checks before activating a draft (hazard HAZ-021, HAZ-022): its
differences against the version it replaces, labelled per drug and field (regimens/diff.py), and
its schedule for a sample patient, computed as it would be activated. The activation page, the
history page and the schedule preview of the admin show them."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext

from core.formatting import format_quantity
from core.messages import drug_name
from regimens import dosing, schema
from regimens.diff import protocol_changes
from regimens.formatting import format_number
from regimens.models import DRAFT, DoseRule, DrugLine, Phase, Protocol, ProtocolInvalid
from regimens.presenters import SAMPLE_PATIENT, next_monday, schedule_rows, schedule_summary
from regimens.refusals import dose_refusal, hospital_limit, rounding_refusals

SECTION_MODELS = {"protocol": Protocol, "phase": Phase, "drug": DrugLine, "rule": DoseRule}


def _display(value):
    if value is None or value == "" or value == ():
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, float):
        return format_number(value, places=4)  # every digit the protocol holds, in the reader's separator
    return str(value)


def change_rows(changes):
    """The differences for a template: where (drug, phase or the protocol), field label, old, new."""
    rows = []
    for change in changes:
        if change.field in ("added", "removed"):
            label = gettext("added") if change.field == "added" else gettext("removed")
        else:
            label = str(SECTION_MODELS[change.section]._meta.get_field(change.field).verbose_name)
        if change.rule is not None:
            label = gettext("rule %(n)s: %(field)s") % {"n": change.rule, "field": label}
        where = change.where or gettext("protocol")
        if change.section in ("drug", "rule"):  # «bortezomib (phase) #2»: the drug by its name in the reader's words
            code, _space, rest = change.where.partition(" ")
            where = f"{drug_name(code)} {rest}".strip()
        elif change.section == "phase":
            where = gettext("phase %(name)s") % {"name": change.where}
        rows.append({"where": where, "field": label, "old": _display(change.old), "new": _display(change.new),
                     "section": change.section})
    return rows


def version_changes(protocol):
    """``protocol`` against its predecessor (Protocol.predecessor): (predecessor, rows, error)."""
    previous = protocol.predecessor()
    try:
        rows = change_rows(protocol_changes(previous.parsed_data() if previous else None, protocol.parsed_data()))
    except ProtocolInvalid as exc:
        return previous, [], str(exc)
    return previous, rows, ""


def _cycles_to_show(proto):
    """For a protocol given until progression: enough cycles that every block of its days is shown (Isa-Kd's
    isatuximab weekly in cycle 1 and on days 1 and 15 from cycle 2: two cycles), so the checking pharmacist sees
    each pattern the ward will be given."""
    starts = [max(block.first_cycle, (block.last_cycle or 0) + 1) for line in proto.drugs for block in line.schedule]
    return max([1, *starts])


def schedule_preview(protocol):
    """The schedule of ``protocol`` for the sample patient, a draft computed as it would be activated
    (every dose, basis and day required; the engine otherwise refuses drafts, rightly, for patients),
    and ``rounding_refusals``: each drug whose rounding step activation would refuse (the check over
    the realistic range of patients, regimens/dosing/rounding.py), in words."""
    start = next_monday(dt.date.today())
    context = {"patient": SAMPLE_PATIENT, "start_date": start}
    try:
        proto = protocol.parsed(as_status=schema.Status.ACTIVE)
        cycles = proto.cycles or (_cycles_to_show(proto) if proto.drugs else None)
        context["rounding_refusals"] = rounding_refusals(proto)
        result = dosing.calculate_schedule(proto, SAMPLE_PATIENT, start_date=start, cycles=cycles,
                                           max_deviation_pct=hospital_limit())
        rows = schedule_rows(result)
        context.update(schedule=result, rows=rows, summary=schedule_summary(rows),
                       bsa=format_quantity(result.bsa_m2, "bsa", unit=False))
    except dosing.DosingError as exc:
        context["error"] = dose_refusal(exc) if exc.code else f"{exc.field}: {exc.message}"
    except ProtocolInvalid as exc:
        context["error"] = (gettext("Not complete yet: %(problems)s") % {"problems": exc.problems}
                            if exc.incomplete else str(exc))
    return context


def who(record):
    if record is None:
        return {"who": gettext("unknown"), "when": None}
    user = record.history_user
    return {"who": (user.get_full_name() or user.get_username()) if user else gettext("the system"),
            "when": timezone.localtime(record.history_date)}


def library_attribution(protocol, *, short=False):
    """«the protocol library (VRd.yaml), reviewed in the repository» for a version the loader activated from
    the shipped files (no person checked or activated it in the app: docs/adr/0007-protocol-four-eyes.md), so
    that no page shows a bare dash for who checked it; empty for any other version."""
    if protocol is None or not protocol.seed_hash or protocol.activated_by_id or protocol.status == DRAFT:
        return ""
    if short:  # a column of the admin's list
        return gettext("protocol library")
    return gettext("the protocol library (%(file)s), reviewed in the repository") % {"file": f"{protocol.code}.yaml"}
