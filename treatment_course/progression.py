"""Response at every cycle and the progression the labs show (issue 15 item 5, ADR 0026).

One computation: ``guidelines.response_series.response_series`` (the same as POST /api/v1/response-series)
over the patient's lab series since the line started. Each cycle start of the line (CycleRelease dates) is an
assessment date: the cycle shows the latest assessment after the previous cycle start and on or before its own.
A progression found in the series is proposed (ProgressionProposal); the physician confirms it (it becomes the
line's progression date, which the relapse rules read) or rejects it with a reason.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.messages import to_data
from guidelines.messages import Message
from guidelines.response_series import ANALYTES, Observation, response_series
from patients import actions
from patients.models import LabResult, MarrowFinding, TreatmentLine
from treatment_course.models import CycleRelease, ProgressionDecision, ProgressionProposal, ProposalStatus

LAB_ANALYTES = ("m_protein", "urine_m_protein", "flc_kappa", "flc_lambda")


def observations(patient):
    """The record's response analytes as Observations in each analyte's own unit (response_series.ANALYTES)."""
    out = [Observation(r.date, r.analyte, float(r.value), ANALYTES[r.analyte][1])
           for r in LabResult.objects.filter(patient=patient, analyte__in=LAB_ANALYTES).order_by("date", "id")]
    out += [Observation(f.date, "marrow_plasma_cells", float(f.clonal_plasma_cells_pct), "%")
            for f in MarrowFinding.objects.filter(patient=patient).order_by("date", "id")]
    return out


def series_for(line):
    """response_series over the patient's labs from the line's start (baseline on or before it)."""
    return response_series(treatment_start=line.start_date, measurements=observations(line.patient))


def cycle_starts(line):
    """(cycle, first day) of each released cycle of the line, in order."""
    starts = {}
    for r in CycleRelease.objects.filter(treatment_line=line, outcome="released").order_by("cycle", "released_at"):
        first = r.seen.get("first_date")
        if first:
            starts[(r.regimen, r.cycle)] = datetime.date.fromisoformat(first)
    return sorted(((key[1], day) for key, day in starts.items()), key=lambda c: c[1])


def per_cycle(line, result=None):
    """[{cycle, date, assessment or None}]: the latest assessment after the previous cycle start and on or
    before this one (the response judged at that cycle start)."""
    result = result or series_for(line)
    rows, previous = [], line.start_date
    for cycle, day in cycle_starts(line):
        found = [a for a in result.assessments if previous < a.date <= day]
        rows.append({"cycle": cycle, "date": day, "assessment": found[-1] if found else None})
        previous = max(previous, day)
    return rows


def response_at_cycle_start(line, day):
    """What the release page shows: the latest assessment of the line's series on or before ``day`` (the
    cycle's first day; «i forbindelse med hver syklusstart»), and the line's progression proposals no
    physician has answered yet (a progression the series shows is proposed here too)."""
    if line is None or line.start_date is None:
        return None
    result = series_for(line)
    propose(line, result)
    found = [a for a in result.assessments if line.start_date < a.date <= day]
    pending = list(ProgressionProposal.objects.filter(treatment_line=line, decision__isnull=True))
    return {"assessment": found[-1] if found else None, "best": result.best_response, "pending": pending}


def propose(line, result=None):
    """Record the series' progression as a proposal (once per line and date). Returns the proposal or None.
    Not proposed when the line already has its progression date."""
    result = result or series_for(line)
    progression = result.progression
    if progression is None or line.progression_date is not None:
        return None
    existing = ProgressionProposal.objects.filter(treatment_line=line, progression_date=progression.date).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return ProgressionProposal.objects.create(
                patient=line.patient, treatment_line=line, progression_date=progression.date,
                confirmed_on=progression.confirmed_on, reasons=[to_data(r) if isinstance(r, Message) else str(r)
                                                  for r in progression.reasons])
    except IntegrityError:  # a parallel request proposed it
        return ProgressionProposal.objects.get(treatment_line=line, progression_date=progression.date)


def propose_for_patient(patient_id):
    """After a lab result or marrow finding is recorded: the progression the series of the patient's latest
    started line now shows is proposed, so the physician's worklist has it without anyone opening the
    response tracker first."""
    line = (TreatmentLine.objects.filter(patient_id=patient_id, start_date__isnull=False)
            .order_by("-line", "-start_date").first())
    if line is not None:
        propose(line)


def pending_progression_proposals(user=None):
    """Proposals no physician has answered yet (all patients; ``user`` is accepted for the worklist and does
    not narrow: any physician may answer)."""
    return ProgressionProposal.objects.filter(decision__isnull=True).select_related("patient", "treatment_line")


@transaction.atomic
def confirm(*, proposal, by, reason=""):
    """The physician confirms: the proposed date becomes the line's progression date (a new line version)."""
    proposal = ProgressionProposal.objects.select_for_update().get(pk=proposal.pk)
    if hasattr(proposal, "decision"):
        raise ValidationError({"proposal": _("This proposal has already been decided.")})
    line = TreatmentLine.objects.get(pk=proposal.treatment_line_id)
    actions.update_treatment_line(
        by=by, treatment_line=line, progression_date=proposal.progression_date,
        reason=f"Progression confirmed from the lab series (proposal {proposal.pk})"  # core/change_reasons.py
        + (f": {reason.strip()}" if reason.strip() else ""))
    return ProgressionDecision.objects.create(proposal=proposal, status=ProposalStatus.CONFIRMED,
                                              reason=reason.strip(), decided_by=by)


@transaction.atomic
def reject(*, proposal, by, reason):
    """The physician rejects with a reason; the line is unchanged."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason for rejecting the proposed progression.")})
    proposal = ProgressionProposal.objects.select_for_update().get(pk=proposal.pk)
    if hasattr(proposal, "decision"):
        raise ValidationError({"proposal": _("This proposal has already been decided.")})
    return ProgressionDecision.objects.create(proposal=proposal, status=ProposalStatus.REJECTED,
                                              reason=reason.strip(), decided_by=by)


def line_response_context(line):
    """The response tracker's course part for one line (patients/responses.py ``LINE_CONTEXT_PROVIDERS``): the
    series computation (guidelines/response_series.py, the API's), per assessment its confirmation, per cycle
    start the response, the best confirmed response, and the line's progression proposals (a progression found
    in the labs is proposed here once as well)."""
    result = series_for(line)
    propose(line, result)
    proposals = list(ProgressionProposal.objects.filter(treatment_line=line).select_related("decision__decided_by"))
    return {"series": result, "confirmation": {a.date: a for a in result.assessments},
            "cycles": per_cycle(line, result), "proposals": proposals}
