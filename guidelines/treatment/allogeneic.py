"""«Allogen stamcelletransplantasjon»: who may come into question for an allogeneic stem cell transplant.

Source: Handlingsprogram for myelomatose 1.2, "Allogen stamcelletransplantasjon", «Anbefaling»: age < 55,
aggressive disease (progression before HMAS or within 6 months after HMAS, or plasma cell leukaemia) and at
least VGPR on first- or second-line treatment. Read from the one reading of the history (guidelines.history).
"""

from dataclasses import dataclass

from guidelines.facts import PatientFacts, Response
from guidelines.history import HistoryReading
from guidelines.messages import Message, gettext_noop, msg
from guidelines.sources import myeloma
from guidelines.terms import code, drugs
from guidelines.treatment.common import S_ALLO, Builder

GOOD_RESPONSES = frozenset({Response.MRD_NEGATIVE_CR, Response.SCR, Response.CR, Response.VGPR})


@dataclass(frozen=True)
class ProgressionBeforeHmas:
    """Whether line 1 shows progression before any HMAS (Allogen stamcelletransplantasjon, «progresjon før
    HMAS»), read from the facts of line 1: met (True / False / None), the working and the facts lacking."""

    met: bool | None
    reason: Message
    missing: tuple[str, ...] = ()


def progression_before_hmas(history: HistoryReading) -> ProgressionBeforeHmas:
    """Inferred from treatment line 1 (the induction), as far as the facts allow:

    - best response PD on line 1: never responded, so progression during induction, before HMAS;
    - line 1 without HMAS (autologous_transplant false) and refractory to a line-1 drug: progression during
      induction, before any HMAS;
    - line 1 with HMAS and a best response other than PD: no sign of progression before HMAS (a line-1
      refractoriness may come from maintenance after HMAS, so it does not count);
    - line 1 without HMAS and not refractory: no progression on line 1;
    - otherwise unknown, naming the line-1 fact that would decide it.
    """
    first = next((line for line in history.lines if line.number == 1), None)
    if first is None:
        if history.lines:
            return ProgressionBeforeHmas(None, msg("allogeneic.line_1_not_in_history", gettext_noop(
                "treatment line 1 is not in the history")), ("treatment_history",))
        return ProgressionBeforeHmas(None, msg("allogeneic.no_history", gettext_noop("no treatment history")))
    line, transplant = first.line, first.transplant
    if line.best_response == Response.PD:
        return ProgressionBeforeHmas(True, msg("allogeneic.line_1_pd", gettext_noop(
            "line 1 best response PD: progression during induction, before HMAS")))
    if transplant is False and line.refractory_to:
        return ProgressionBeforeHmas(True, msg("allogeneic.line_1_refractory_without_hmas", gettext_noop(
            "line 1 without HMAS, refractory to %(drugs)s: progression during induction, before any HMAS"),
            drugs=drugs(line.refractory_to)))
    if transplant is False:
        return ProgressionBeforeHmas(False, msg("allogeneic.line_1_without_hmas_not_refractory", gettext_noop(
            "line 1 without HMAS and without refractoriness: no progression before HMAS recorded")))
    if transplant is None:
        return ProgressionBeforeHmas(None, msg("allogeneic.line_1_hmas_unknown", gettext_noop(
            "whether line 1 included HMAS is not known")), (first.path("autologous_transplant"),))
    if line.best_response is None:
        return ProgressionBeforeHmas(None, msg("allogeneic.line_1_response_unknown", gettext_noop(
            "line 1 with HMAS: the best response on line 1 (PD = progression before HMAS) is not known")),
            (first.path("best_response"),))
    return ProgressionBeforeHmas(False, msg("allogeneic.line_1_with_hmas_no_progression", gettext_noop(
        "line 1 with HMAS, best response %(response)s: no progression before HMAS recorded"),
        response=code(line.best_response)))


def allo_criteria(facts: PatientFacts, history: HistoryReading, *,
                  pcl: bool) -> tuple[tuple[Message, bool | None], ...]:
    """Allogen stamcelletransplantasjon, "Anbefaling": age < 55; aggressive disease (progression before HMAS
    or within 6 months after HMAS, or plasma cell leukaemia); at least VGPR on 1st- or 2nd-line treatment.
    Returns (criterion, met?) with None where the facts do not say. Progression before HMAS is inferred from
    line 1 (``progression_before_hmas``)."""
    age_ok = facts.age < 55
    months = [line.line.months_from_transplant_to_progression for line in history.lines
              if line.line.months_from_transplant_to_progression is not None]
    before = progression_before_hmas(history).met
    after_unknown = any(line.line.months_from_transplant_to_progression is None for line in history.transplants)
    aggressive: bool | None
    if pcl or any(m <= 6 for m in months) or before:
        aggressive = True
    elif before is False and not after_unknown:
        aggressive = False
    else:
        aggressive = None
    responses = [line.line.best_response for line in history.lines if line.number in (1, 2)]
    if any(r in GOOD_RESPONSES for r in responses):
        vgpr: bool | None = True
    elif responses and all(r is not None for r in responses):
        vgpr = False
    else:
        vgpr = None
    return (
        (msg("allogeneic.age_below_55", gettext_noop("age %(age)s < 55"), age=facts.age), age_ok),
        (msg("allogeneic.aggressive_disease", gettext_noop(
            "aggressive disease (progression before or within 6 months after HMAS, or plasma cell leukaemia)")),
         aggressive),
        (msg("allogeneic.at_least_vgpr", gettext_noop("at least VGPR on 1st- or 2nd-line treatment")), vgpr),
    )


def allo_notes(b: Builder, facts: PatientFacts, history: HistoryReading, *, pcl: bool) -> None:
    """Allogen stamcelletransplantasjon, «Anbefaling», as notes: only when age and aggressive disease are met
    (the response criterion may still be open); an undecided aggressive disease lists the facts that decide."""
    (age_name, age_ok), (aggr_name, aggressive), (vgpr_name, vgpr) = allo_criteria(facts, history, pcl=pcl)
    if not age_ok:
        return
    if aggressive is None:
        for line in history.transplants:
            if line.line.months_from_transplant_to_progression is None:
                b.lack(line.path("months_from_transplant_to_progression"))
        before = progression_before_hmas(history)
        for path in before.missing:
            b.lack(path)
        if history.lines:
            b.reasons.append(msg("allogeneic.aggressive_undecided", gettext_noop(
                "Allogeneic transplant: aggressive disease undecided (%(reason)s)."), reason=before.reason))
        return
    if not aggressive:
        return
    if vgpr:
        b.notes.append(msg("allogeneic.criteria_met", gettext_noop(
            "Allogeneic stem cell transplantation criteria met (%(age)s; %(aggressive)s; %(response)s): discuss with "
            "the national transplant group."), age=age_name, aggressive=aggr_name, response=vgpr_name))
    else:
        b.notes.append(msg("allogeneic.may_come_into_question", gettext_noop(
            "Allogeneic stem cell transplantation may come into question (%(age)s; %(aggressive)s): requires "
            "%(response)s when going to allogeneic transplantation."), age=age_name, aggressive=aggr_name,
            response=vgpr_name))
    b.cite(myeloma(S_ALLO, "Anbefaling"))
