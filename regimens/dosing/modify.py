"""A physician's modifications of a plan's cycles (issue 15 item 3): reduce a drug by one dose level
from a cycle, stop a drug from a cycle, hold one dose, delay a cycle by N days (the following cycles
move with it). docs/adr/0024-dose-levels-and-plan-modifications.md.

The levels are the protocol's (``schema.Protocol.dose_levels``): a reduction steps from the dose the
drug is at (its protocol dose for the cycle after the patient's dose rules, or the level an earlier
reduction reached) to the next level down; a dose that is no level, the last level, or a drug without
levels is refused, never guessed. The level the physician saw (``Modification.dose``) must be the one
the engine reaches, so a protocol whose levels changed since cannot silently give another dose."""

from __future__ import annotations

from dataclasses import dataclass

from guidelines.messages import Quantity, Quote, Term, gettext_noop, msg
from regimens import schema
from regimens.course_schema import NotALevel
from regimens.dosing.errors import InvalidInput

REDUCE, STOP, HOLD, DELAY = "reduce", "stop", "hold", "delay"
KINDS = (REDUCE, STOP, HOLD, DELAY)
MAX_DELAY_DAYS = 365  # an input bound (a typing error), not a clinical limit: the guideline gives none
FIELD = "modifications"


@dataclass(frozen=True)
class Modification:
    """One modification. ``cycle``: the cycle it applies from (reduce, stop), the cycle of the held
    dose (hold, with ``day``) or the cycle that starts ``days`` later (delay). ``dose``: for a
    reduction, the level (in the drug line's basis) the physician was shown; ``reason`` their words."""

    kind: str
    cycle: int
    drug: str = ""
    day: int | None = None
    days: int | None = None
    dose: float | None = None
    before: float | None = None  # reduce: the dose the drug was at, as the physician was shown it
    reason: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> Modification:
        return cls(kind=data.get("kind", ""), cycle=data.get("cycle"), drug=data.get("drug", ""),
                   day=data.get("day"), days=data.get("days"), dose=data.get("dose"),
                   before=data.get("before"), reason=data.get("reason", ""))


def _refuse(text) -> InvalidInput:
    return InvalidInput(FIELD, text)


def check(protocol: schema.Protocol, modifications: tuple[Modification, ...], n_cycles: int) -> None:
    """Refuse a modification the schedule cannot apply, naming it (``modifications``)."""
    drugs = {line.drug: line for line in protocol.drugs}
    for m in modifications:
        if m.kind not in KINDS:
            raise _refuse(msg("dosing.modify.kind", gettext_noop("unknown modification %(kind)s"), kind=repr(m.kind)))
        if isinstance(m.cycle, bool) or not isinstance(m.cycle, int) or not 1 <= m.cycle <= n_cycles:
            raise _refuse(msg("dosing.modify.cycle", gettext_noop(
                "cycle %(cycle)s is not a cycle of this plan (1 to %(cycles)s)"), cycle=m.cycle, cycles=n_cycles))
        if m.kind == DELAY:
            if isinstance(m.days, bool) or not isinstance(m.days, int) or not 1 <= m.days <= MAX_DELAY_DAYS:
                raise _refuse(msg("dosing.modify.days", gettext_noop(
                    "a delay is a whole number of days from 1 to %(max)s, got %(days)s"),
                    max=MAX_DELAY_DAYS, days=m.days))
            continue
        if m.drug not in drugs:
            raise _refuse(msg("dosing.modify.drug", gettext_noop(
                "%(drug)s is not a drug of the cycles of %(regimen)s"), drug=Term(m.drug), regimen=protocol.code))
        if m.kind == REDUCE and protocol.levels_of(m.drug) is None:
            raise _refuse(no_levels(m.drug, protocol.code))
        if m.kind == HOLD:
            days = {d for block in drugs[m.drug].schedule if _in_block(block, m.cycle) for d in block.days}
            if m.day not in days:
                raise _refuse(msg("dosing.modify.hold_day", gettext_noop(
                    "%(drug)s has no dose on day %(day)s of cycle %(cycle)s"), drug=Term(m.drug), day=m.day,
                    cycle=m.cycle))


def _in_block(block: schema.DayBlock, cycle: int) -> bool:
    return block.first_cycle <= cycle and (block.last_cycle is None or cycle <= block.last_cycle)


def no_levels(drug: str, regimen: str):
    return msg("dosing.modify.no_levels", gettext_noop(
        "%(drug)s has no dose levels in %(regimen)s: the guideline gives none and no pharmacist has added any, so "
        "no reduction is offered"), drug=Term(drug), regimen=regimen)


def level_name(levels, index: int, basis: str):
    """«dose level 2 of 25 mg, 15 mg, 10 mg» (1 is the first level, the highest)."""
    return msg("dosing.modify.level_name", gettext_noop("dose level %(n)s of %(levels)s"),
               n=index + 1, levels=[Quantity(d, basis) for d in levels.doses])


def source_words(levels):
    document = {"myeloma": "Handlingsprogram for myelomatose", "poems": "DMSG POEMS",
                "local": "local source"}[levels.source_document]
    return msg("dosing.modify.source", gettext_noop("%(document)s, %(section)s: %(text)s"),
               document=Term(document), section=Quote(levels.source_section), text=Quote(levels.source_text))


def step_down(protocol: schema.Protocol, line: schema.DrugLine, dose: float, reductions: list[Modification]):
    """The dose of ``line`` after ``reductions`` (each one level down, in cycle order) from ``dose``, the
    adjustment text of each step and the steps; refused when a step has no level to go to."""
    levels = protocol.levels_of(line.drug)
    basis = str(line.basis)
    texts, steps = [], []
    for m in reductions:
        try:
            below = levels.below(dose)
        except NotALevel:
            raise _refuse(msg("dosing.modify.not_a_level", gettext_noop(
                "%(drug)s is at %(dose)s %(basis)s in cycle %(cycle)s, which is not one of its dose levels "
                "(%(levels)s): no level below it is guessed"), drug=Term(line.drug), dose=Quantity(dose), basis=basis,
                cycle=m.cycle, levels=[Quantity(d, basis) for d in levels.doses])) from None
        if below is None:
            raise _refuse(msg("dosing.modify.lowest", gettext_noop(
                "%(drug)s is at its lowest dose level (%(dose)s %(basis)s) in cycle %(cycle)s: there is no level below "
                "it; the guideline: “%(rule)s”"), drug=Term(line.drug), dose=Quantity(dose), basis=basis,
                cycle=m.cycle, rule=Quote("Når man er på laveste dose og medikamentet fortsatt ikke tolereres, "
                                          "må dette seponeres.")))
        index, after = below
        if m.dose is not None and abs(m.dose - after) > 1e-9 * max(1.0, after):
            raise _refuse(msg("dosing.modify.level_changed", gettext_noop(
                "%(drug)s: the reduction from cycle %(cycle)s was to %(seen)s %(basis)s, but one level below %(dose)s "
                "%(basis)s is now %(after)s %(basis)s (the protocol's levels changed): reduce again"),
                drug=Term(line.drug), cycle=m.cycle, seen=Quantity(m.dose), basis=basis, dose=Quantity(dose),
                after=Quantity(after)))
        texts.append(msg("dosing.modify.reduced", gettext_noop(
            "reduced by the physician from cycle %(cycle)s: %(before)s → %(after)s %(basis)s (%(level)s)"),
            cycle=m.cycle, before=Quantity(dose), after=Quantity(after), basis=basis,
            level=level_name(levels, index, basis)))
        steps.append(Step(drug=line.drug, cycle=m.cycle, before=dose, after=after, level=index + 1,
                          levels=levels.doses, basis=basis))
        dose = after
    return dose, tuple(texts), tuple(steps)


@dataclass(frozen=True)
class Step:
    """One reduction as the engine made it: ``drug`` from ``cycle``, ``before`` → ``after`` (level number
    ``level`` of ``levels``, 1 the highest), in ``basis``."""

    drug: str
    cycle: int
    before: float
    after: float
    level: int
    levels: tuple[float, ...]
    basis: str


def summary(protocol: schema.Protocol, m: Modification, *, dates=None, step: Step | None = None):
    """The modification in words, for the plan page and the dosing sheet (with the physician's reason)."""
    reason = Quote(m.reason or "—")
    if m.kind == REDUCE:
        levels = protocol.levels_of(m.drug)
        line = next(line for line in protocol.drugs if line.drug == m.drug)
        before = step.before if step is not None else m.before
        after = step.after if step is not None else m.dose
        index = levels.position(after) if after is not None else None
        return msg("dosing.modify.summary.reduce", gettext_noop(
            "%(drug)s reduced by one dose level from cycle %(cycle)s: %(before)s → %(dose)s %(basis)s (%(level)s; "
            "source: %(source)s). Reason: %(reason)s"), drug=Term(m.drug), cycle=m.cycle,
            before=Quantity(before) if before is not None else "—", dose=Quantity(after) if after is not None else "—",
            basis=str(line.basis), level=level_name(levels, index, str(line.basis)) if index is not None else "—",
            source=source_words(levels), reason=reason)
    if m.kind == STOP:
        return msg("dosing.modify.summary.stop", gettext_noop(
            "%(drug)s stopped from cycle %(cycle)s. Reason: %(reason)s"), drug=Term(m.drug), cycle=m.cycle,
            reason=reason)
    if m.kind == HOLD:
        return msg("dosing.modify.summary.hold", gettext_noop(
            "%(drug)s held (not given) on day %(day)s of cycle %(cycle)s. Reason: %(reason)s"),
            drug=Term(m.drug), day=m.day, cycle=m.cycle, reason=reason)
    before, after = dates or (None, None)
    return msg("dosing.modify.summary.delay", gettext_noop(
        "cycle %(cycle)s delayed by %(days)s days: day 1 moves from %(before)s to %(after)s, and every following "
        "date moves with it. Reason: %(reason)s"), cycle=m.cycle, days=m.days, before=before, after=after,
        reason=reason)
