"""The dated schedule of a protocol for a patient: ``calculate_schedule``."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

from guidelines.messages import Quote, Term, gettext_noop, msg
from regimens import schema
from regimens.dosing import modify
from regimens.dosing.dose import _Dose, _line_dose, _Patient
from regimens.dosing.errors import InvalidInput, MissingInput, ProtocolNotDosable
from regimens.dosing.rounding import DEFAULT_MAX_DEVIATION_PCT, check_limit
from regimens.dosing.rules import _apply_rules
from regimens.dosing.types import Administration, DosingPatient, Event, Flag, Schedule


def _label(block_label: str, times_per_day: int) -> str:
    if times_per_day <= 1:
        return msg("dosing.label.block", gettext_noop("%(label)s"), label=Term(block_label)) if block_label else ""
    if block_label:
        return msg("dosing.label.block_times_daily", gettext_noop("%(label)s x %(times)s daily"),
                   label=Term(block_label), times=times_per_day)
    return msg("dosing.label.times_daily", gettext_noop("x %(times)s daily"), times=times_per_day)


def _check_dosable(protocol: schema.Protocol) -> None:
    if protocol.status == schema.Status.DRAFT:
        raise ProtocolNotDosable("status", msg("dosing.error.draft", gettext_noop(
            "%(regimen)s version %(version)s is a draft: a pharmacist must complete and activate it in the admin "
            "before it can be dosed"), regimen=protocol.code, version=protocol.version))
    lines = [(f"drugs[{i}]", line) for i, line in enumerate(protocol.drugs)]
    for p_i, phase in enumerate(protocol.phases):
        lines += [(f"phases[{p_i}].drugs[{i}]", line) for i, line in enumerate(phase.drugs)]
    for where, line in lines:
        if line.dose is None or line.basis is None:  # the schema allows this only in drafts
            raise ProtocolNotDosable(f"{where}.dose", msg("dosing.error.no_dose", gettext_noop(
                "%(drug)s has no dose and basis"), drug=Term(line.drug)))
        if not line.schedule:
            raise ProtocolNotDosable(f"{where}.schedule", msg("dosing.error.no_days", gettext_noop(
                "%(drug)s has no days of administration"), drug=Term(line.drug)))


def _cycles_to_give(protocol: schema.Protocol, cycles: int | None) -> int:
    if not protocol.drugs:
        if cycles:
            raise InvalidInput("cycles", msg("dosing.error.no_cycles", gettext_noop(
                "%(regimen)s has no cycles, only its phase(s)"), regimen=protocol.code))
        return 0
    if cycles is None:
        if protocol.cycles is None:
            raise MissingInput("cycles", msg("dosing.error.cycles_needed", gettext_noop(
                "%(regimen)s is given until progression: say how many cycles to schedule"), regimen=protocol.code))
        return protocol.cycles
    if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles < 1:
        raise InvalidInput("cycles", msg("dosing.error.cycles_whole", gettext_noop(
            "must be a whole number >= 1, got %(value)s"), value=repr(cycles)))
    if protocol.cycles is not None and not protocol.until_progression and cycles > protocol.cycles:
        raise InvalidInput("cycles", msg("dosing.error.cycles_more", gettext_noop(
            "%(regimen)s plans %(planned)s cycles; %(cycles)s is more than planned"),
            regimen=protocol.code, planned=protocol.cycles, cycles=cycles))
    return cycles


def _cycle_1_offset(protocol: schema.Protocol) -> int:
    """Days from the start date to cycle 1 day 1."""
    anchors = {(p.start_day, p.cycle_1_day_1) for p in protocol.phases if p.cycle_1_day_1 is not None}
    if not protocol.phases:
        return 0
    if len(anchors) != 1:
        raise ProtocolNotDosable("phases.cycle_1_day_1", msg("dosing.error.cycle_1_anchor", gettext_noop(
            "%(regimen)s: exactly one phase must say on which phase day cycle 1 day 1 falls (found %(found)s)"),
            regimen=protocol.code, found=len(anchors)))
    (start_day, c1d1), = anchors
    return c1d1 - start_day


def calculate_schedule(
    protocol: schema.Protocol,
    patient: DosingPatient,
    *,
    start_date: dt.date,
    cycles: int | None = None,
    bsa_formula: str = "mosteller",
    max_deviation_pct=DEFAULT_MAX_DEVIATION_PCT,
    modifications: tuple[modify.Modification, ...] = (),
) -> Schedule:
    """The dated schedule of ``protocol`` for ``patient`` starting on ``start_date``.

    ``start_date`` is cycle 1 day 1, or, for a protocol with an event-anchored
    phase (step-up dosing, high-dose melphalan), the phase's ``start_day``.
    ``max_deviation_pct`` is the hospital's limit on how far rounding may move a dose
    (settings ``DOSE_ROUNDING_MAX_DEVIATION_PERCENT``; regimens/dosing/rounding.py).
    ``modifications`` are the physician's (regimens/dosing/modify.py): reductions by one dose level,
    stopped drugs, held doses and delayed cycles, each shown in the working and in ``modifications``.
    """
    if not isinstance(start_date, dt.date):
        raise InvalidInput("start_date", msg("dosing.error.start_date", gettext_noop("must be a date, got %(value)s"),
                                             value=repr(start_date)))
    limit = check_limit(max_deviation_pct)
    _check_dosable(protocol)
    n_cycles = _cycles_to_give(protocol, cycles)
    pt = _Patient(patient, bsa_formula)
    unknown = sorted(patient.reduced_tolerance - {line.drug for line in _all_lines(protocol)})
    if unknown:
        raise InvalidInput("reduced_tolerance", msg("dosing.error.tolerance_drugs", gettext_noop(
            "not drugs of %(regimen)s: %(drugs)s"), regimen=protocol.code, drugs=unknown))
    # «Redusert toleranse» works through the protocol's reduced doses (docs/adr/0024): a drug's tolerance
    # rule («Hvis dårlig toleranse under induksjon: 10 mg»), else one dose level below its dose from
    # cycle 1; a drug with neither is refused rather than marked for nothing.
    tolerance_levels = set()
    for drug in sorted(patient.reduced_tolerance):
        has_rule = any(r.kind == schema.RuleKind.TOLERANCE for line in _all_lines(protocol) if line.drug == drug
                       for r in line.rules)
        if has_rule:
            continue
        if protocol.levels_of(drug) is None:
            raise InvalidInput("reduced_tolerance", msg("dosing.error.tolerance_none", gettext_noop(
                "%(drug)s has no reduced-tolerance dose and no dose levels in %(regimen)s: marking it would change "
                "nothing, so it is refused"), drug=Term(drug), regimen=protocol.code))
        tolerance_levels.add(drug)

    items: list[Administration] = []
    flags: dict[str, Flag] = {}
    warnings: list = []
    doses: dict[tuple[int, float], _Dose] = {}

    def dose_for(line_key: int, line: schema.DrugLine, standard: float) -> _Dose:
        key = (line_key, standard)
        if key not in doses:
            result = _line_dose(line, standard, pt, limit)
            doses[key] = result
            for flag in result.flags:
                flags.setdefault(flag.key, flag)
            if result.omit:
                warnings.append(msg("dosing.warning.left_out", gettext_noop("%(drug)s is left out: %(reasons)s"),
                                    drug=Term(line.drug), reasons=list(result.omit_reason)))
            warnings.extend(msg("dosing.warning.note", gettext_noop("%(drug)s: %(note)s"), drug=Term(line.drug),
                                note=note) for note in result.working.notes)
        return doses[key]

    reduced: dict[tuple, _Dose] = {}
    steps: dict[tuple[str, int], modify.Step] = {}

    def reduced_dose(line_key, line, standard, reductions, d: _Dose) -> _Dose:
        """The dose after the physician's reductions: one level down per reduction from the dose the drug
        is at after its rules (``d``); the level replaces the rules' dose, as a rule's dose replaces the
        protocol's. The rounding and the working are the engine's as for any dose."""
        at = _apply_rules(line, standard, pt.p).dose
        key = (line_key, at, tuple(reductions))
        if key not in reduced:
            after, texts, made = modify.step_down(protocol, line, at, reductions)
            for step in made:
                steps.setdefault((step.drug, step.cycle), step)
            plain = line.model_copy(update={"rules": (), "dose": after})
            result = _line_dose(plain, after, pt, limit)
            texts = (*d.adjustments, *texts)  # the rules that set the dose reduced from, then each step
            working = replace(result.working, adjustments=(*texts, *result.working.adjustments))
            reduced[key] = replace(result, adjustments=(*texts, *result.adjustments), working=working)
        return reduced[key]

    def add(line_key, line, block, cycle, day, date, phase="", reductions=()):
        d = dose_for(line_key, line, block.dose or line.dose)
        if d.omit:
            return
        if reductions:
            d = reduced_dose(line_key, line, block.dose or line.dose, reductions, d)
        items.append(
            Administration(
                cycle=cycle, day=day, date=date, drug=line.drug, dose=d.dose, calculated_dose=d.calculated,
                unit=d.unit, route=str(line.route), basis=d.basis, label=_label(block.label, line.times_per_day),
                adjustments=d.adjustments, working=d.working, phase=phase, times_per_day=line.times_per_day,
                deviation_pct=d.deviation_pct, rounding_step=d.rounding_step, per_unit_basis=d.per_unit_basis,
                per_unit_achieved=d.per_unit_achieved, per_unit_protocol=d.per_unit_protocol,
            )
        )

    events: list[Event] = []
    interval_flags: list[Flag] = []
    line_key = 0
    for phase in protocol.phases:
        for line in phase.drugs:
            line_key += 1
            seen: set[int] = set()
            for block in line.schedule:
                for day in block.days:
                    _no_double(line.drug, phase.name, day, seen)
                    date = _day_from(start_date, day - phase.start_day)
                    add(line_key, line, block, 0, day, date, phase.name)
            triggered = {id(r): r for block in line.schedule
                         for r in dose_for(line_key, line, block.dose or line.dose).triggered}
            for rule in triggered.values():
                if rule.min_hours_to_next_event:
                    interval_flags.extend(_event_interval_flags(protocol.code, phase, line, rule, start_date))
        for event in phase.events:
            date = _day_from(start_date, event.day - phase.start_day)
            events.append(Event(phase.name, event.day, date, event.text))
    for flag in interval_flags:
        warnings.append(flag.message)
        flags.setdefault(flag.key, flag)

    modify.check(protocol, tuple(modifications), n_cycles)
    changes: list = []
    if n_cycles:
        cycle_1 = _day_from(start_date, _cycle_1_offset(protocol))
        length = protocol.cycle_length_days
        shift = 0
        by_kind = {kind: [m for m in modifications if m.kind == kind] for kind in modify.KINDS}
        for cycle in range(1, n_cycles + 1):
            for m in by_kind[modify.DELAY]:
                if m.cycle == cycle:
                    before = _day_from(cycle_1, (cycle - 1) * length + shift)
                    shift += m.days
                    changes.append(modify.summary(protocol, m, dates=(before, _day_from(before, m.days))))
            cycle_start = _day_from(cycle_1, (cycle - 1) * length + shift)
            for index, line in enumerate(protocol.drugs):
                if any(m.drug == line.drug and m.cycle <= cycle for m in by_kind[modify.STOP]):
                    continue
                reductions = sorted((m for m in by_kind[modify.REDUCE] if m.drug == line.drug and m.cycle <= cycle),
                                    key=lambda m: m.cycle)
                if line.drug in tolerance_levels:  # the reduced-tolerance start: one level down from cycle 1
                    reductions.insert(0, modify.Modification(modify.REDUCE, 1, line.drug))
                seen = set()
                for block in line.schedule:
                    if cycle < block.first_cycle or (block.last_cycle is not None and cycle > block.last_cycle):
                        continue
                    for day in block.days:
                        _no_double(line.drug, f"cycle {cycle}", day, seen)
                        if any(m.drug == line.drug and m.cycle == cycle and m.day == day for m in by_kind[modify.HOLD]):
                            continue
                        add(line_key + 1 + index, line, block, cycle, day, _day_from(cycle_start, day - 1),
                            reductions=reductions)
        changes.extend(modify.summary(protocol, m, step=steps.get((m.drug, m.cycle)))
                       for m in modifications if m.kind != modify.DELAY)

    items.sort(key=lambda a: (a.date, _order(protocol, a)))
    warnings.extend(_interval_warnings(protocol, items))
    for index, ambiguity in enumerate(protocol.ambiguities):
        flag = _ambiguity_flag(protocol.code, index, ambiguity)
        flags.setdefault(flag.key, flag)
    return Schedule(
        regimen=protocol.code, version=protocol.version, status=str(protocol.status), bsa_m2=pt.bsa,
        bsa_formula=bsa_formula, cycle_length_days=protocol.cycle_length_days, cycles=n_cycles,
        administrations=tuple(items), events=tuple(sorted(events, key=lambda e: e.date)),
        premedication=protocol.premedication, supportive_care=protocol.supportive_care,
        warnings=tuple(warnings), flags=tuple(flags.values()), inputs=pt.inputs(),
        ambiguities=protocol.ambiguities, modifications=tuple(changes), reduction_steps=tuple(steps.values()),
    )


def _day_from(start: dt.date, days: int) -> dt.date:
    """``start`` + ``days``; a schedule that would run off the calendar (before year 1 or after
    9999) is refused naming the start date, never an OverflowError."""
    try:
        return start + dt.timedelta(days=days)
    except OverflowError:
        raise InvalidInput("start_date", msg("dosing.error.off_calendar", gettext_noop(
            "the schedule would run off the calendar (%(first)s … %(last)s): check the start date"),
            first=dt.date.min, last=dt.date.max)) from None


def _signed(day: int) -> str:
    return f"+{day}" if day > 0 else str(day)


def _event_interval_flags(code: str, phase: schema.Phase, line: schema.DrugLine, rule: schema.DoseRule,
                          start_date: dt.date) -> list[Flag]:
    """A rule that applied asks for ``rule.min_hours_to_next_event`` hours between the end of ``line``'s last
    administration in the phase and the start of the phase's next event; whole scheduled days that cannot
    give that many hours are a flag. The date is never moved: the physician moves it."""
    hours = rule.min_hours_to_next_event
    last_day = max(day for block in line.schedule for day in block.days)
    # The schema guarantees an event after the drug's last day.
    event = min((e for e in phase.events if e.day > last_day), key=lambda e: e.day)
    gap_days = event.day - last_day
    if gap_days * 24 >= hours:
        return []

    def date_of(day):
        return _day_from(start_date, day - phase.start_day)

    earliest = last_day + math.ceil(hours / 24)
    words = {"event_day": _signed(event.day), "event_date": date_of(event.day), "earliest": _signed(earliest),
             "earliest_date": date_of(earliest), "hours": hours, "drug": Term(line.drug)}
    interpretation = msg("dosing.event_interval.interpretation", gettext_noop(
        "The schedule keeps the event on day %(event_day)s (%(event_date)s) and does not move it; the physician must "
        "move it to day %(earliest)s (%(earliest_date)s) or later, at least %(hours)s h after the end of %(drug)s"),
        **words)
    message = msg("dosing.event_interval.warning", gettext_noop(
        "%(regimen)s: %(drug)s on day %(last_day)s (%(last_date)s) with a rule that applies (“%(source)s”) needs at "
        "least %(hours)s h from the end of %(drug)s to “%(event)s”; day %(event_day)s (%(event_date)s) is at most "
        "%(gap)s h later and cannot meet this: move it to day %(earliest)s (%(earliest_date)s) or later. The "
        "schedule does not move the date."),
        regimen=code, last_day=_signed(last_day), last_date=date_of(last_day), source=Quote(rule.source_text),
        event=Quote(event.text), gap=gap_days * 24, **words)
    return [Flag(
        drug=line.drug, kind="event_interval", value=float(gap_days * 24), threshold=float(hours),
        source_text=rule.source_text, interpretation=interpretation, message=message,
        key=f"event_interval:{line.drug}:{event.day}",
    )]


def _ambiguity_flag(code: str, index: int, ambiguity: schema.ProtocolAmbiguity) -> Flag:
    """A protocol-level ambiguity (the guideline silent or ambiguous) as a flag of the schedule."""
    return Flag(
        drug="", kind="ambiguity", value=None, threshold=None, source_text=ambiguity.source_text,
        interpretation=ambiguity.interpretation,
        message=msg("dosing.ambiguity", gettext_noop(
            "%(regimen)s: the guideline is ambiguous or silent here: “%(source)s”; interpretation used: "
            "%(interpretation)s"), regimen=code, source=Quote(ambiguity.source_text),
            interpretation=Quote(ambiguity.interpretation)),
        key=f"ambiguity:{index}",
    )


def _all_lines(protocol: schema.Protocol) -> list[schema.DrugLine]:
    return [*(d for p in protocol.phases for d in p.drugs), *protocol.drugs]


def _order(protocol: schema.Protocol, item: Administration) -> int:
    return [line.drug for line in _all_lines(protocol)].index(item.drug)


def _no_double(drug: str, where: str, day: int, seen: set[int]) -> None:
    if day in seen:
        raise ProtocolNotDosable("schedule", msg("dosing.error.day_twice", gettext_noop(
            "%(drug)s: day %(day)s of %(where)s is listed twice in the schedule"), drug=Term(drug), day=day,
            where=where))
    seen.add(day)


def _interval_warnings(protocol: schema.Protocol, items: list[Administration]) -> list[str]:
    """min_interval_hours between consecutive administrations of one drug (and within a day when given
    several times a day); a shorter interval is a warning for the clinician, not silently moved."""
    minimum = {line.drug: line.min_interval_hours for line in _all_lines(protocol) if line.min_interval_hours}
    out: list = []
    last: dict[str, Administration] = {}
    for item in items:
        hours = minimum.get(item.drug)
        if hours is None:
            continue
        if item.times_per_day > 1 and 24 / item.times_per_day < hours:
            out.append(msg("dosing.warning.times_a_day", gettext_noop(
                "%(drug)s %(date)s: %(times)s times a day leaves %(gap)s h between doses; the protocol asks for at "
                "least %(hours)s h"), drug=Term(item.drug), date=item.date, times=item.times_per_day,
                gap=round(24 / item.times_per_day), hours=hours))
        previous = last.get(item.drug)
        if previous is not None:
            gap = (item.date - previous.date).days * 24
            if gap < hours:
                out.append(msg("dosing.warning.interval", gettext_noop(
                    "%(drug)s: %(first)s to %(second)s is %(gap)s h; the protocol asks for at least %(hours)s h "
                    "between doses"), drug=Term(item.drug), first=previous.date, second=item.date, gap=gap,
                    hours=hours))
        last[item.drug] = item
    return out
