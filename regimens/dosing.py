"""The dose engine: one protocol (regimens.schema.Protocol) + one patient -> a dated schedule.

Pure maths, no Django. Every computed dose carries its working (formula, inputs
with the dates they were measured, BSA method, the rules that changed it, the
rounding), so a pharmacist can check it by hand. Nothing is capped, clamped or
rounded silently:

- mg/m2 and g/m2 on body surface area (Mosteller by default, DuBois on request;
  guidelines/labs.py), mg/kg on actual body weight, mg and microgram flat.
- No BSA or weight cap: an obese patient gets the full calculated dose and the
  working says so (BSA > 2.2 m2, weight > 120 kg).
- A dose rule (renal, age, weight, tolerance) replaces the standard dose with
  the guideline's own words; "below"/"above" are strict. A value exactly at a
  threshold the guideline leaves undefined ("<75 år / >75 år", "< 60 kg /
  > 60 kg", "eGFR <30 … >30") takes the side the protocol's rule states
  (``at_boundary``: the standard dose, or the rule's dose), says so in the
  working, and is ALWAYS flagged with the source text and the interpretation
  used (docs/adr/0003-undefined-boundaries.md).
- Where a rule that applied asks for time before the phase's next event (Mel-HMAS
  with eGFR <30: 48 h from melphalan to reinfusion) and the scheduled day cannot
  give it, the engine warns and flags; it never moves a date.
- Every ambiguity the protocol records (the guideline silent or ambiguous) is a
  flag of the schedule, for the physician to acknowledge.
- Rounding keeps the exact dose beside the rounded one and refuses a rounding
  that moves the dose more than the protocol allows; a dose above the
  protocol's maximum single dose is refused, never capped.
- A missing input the protocol needs (height for mg/m2, weight for mg/kg, age
  for an age rule, eGFR for a renal rule) is an error naming the field.

Source of the doses: the protocol (YAML / admin), which cites the guideline's
dosing table (Handlingsprogram for myelomatose, "Behandling av myelomatose").
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from guidelines.labs import bsa_dubois, bsa_mosteller
from regimens import schema
from regimens.formatting import ENGINE, format_number

BSA_FORMULAS = {
    "mosteller": ("Mosteller: sqrt(height_cm x weight_kg / 3600)", bsa_mosteller),
    "dubois": ("DuBois: 0.007184 x weight_kg^0.425 x height_cm^0.725", bsa_dubois),
}
# Above these the working says that no cap was applied (the guideline sets no cap).
LARGE_BSA_M2 = 2.2
LARGE_WEIGHT_KG = 120.0

UNITS = {
    schema.Basis.MG: "mg",
    schema.Basis.MG_PER_M2: "mg",
    schema.Basis.MG_PER_KG: "mg",
    schema.Basis.MICROGRAM: "microgram",
    schema.Basis.G_PER_M2: "g",
}
MG_PER_UNIT = {"mg": 1.0, "microgram": 0.001, "g": 1000.0}


# --------------------------------------------------------------------------- errors


class DosingError(Exception):
    """Why no schedule could be calculated; ``field`` names the offending input or protocol field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidInput(DosingError):
    """A patient value or argument that is impossible (negative, zero, not a number, unknown)."""


class MissingInput(DosingError):
    """A value the protocol needs for this patient is not known; the engine never guesses it."""


class ProtocolNotDosable(DosingError):
    """A draft protocol, a line without dose or basis, or a schedule the engine cannot read unambiguously."""


class DoseRefused(DosingError):
    """A calculated dose the protocol does not allow: above the maximum single dose, or rounding too far."""


# --------------------------------------------------------------------------- inputs and outputs


@dataclass(frozen=True)
class DosingPatient:
    """What the engine needs to know about the patient, with the date each value was measured."""

    weight_kg: float | None = None
    height_cm: float | None = None
    age: float | None = None
    egfr_ml_min: float | None = None
    sex: str | None = None
    weight_measured_on: dt.date | None = None
    height_measured_on: dt.date | None = None
    egfr_measured_on: dt.date | None = None
    reduced_tolerance: frozenset[str] = frozenset()  # drugs the clinician marked for the tolerance rule


@dataclass(frozen=True)
class Working:
    """How one dose was reached, in words a pharmacist can check by hand."""

    formula: str
    inputs: tuple[str, ...]
    bsa_method: str
    adjustments: tuple[str, ...]
    rounding: str
    notes: tuple[str, ...] = ()
    boundary: tuple[str, ...] = ()  # a value exactly at an undefined threshold: which side was taken, and why


@dataclass(frozen=True)
class Administration:
    """One drug on one day. Cycle 0 is an event-anchored phase before the cycles (``phase`` names it);
    ``day`` is then the phase day (may be -1 or 0)."""

    cycle: int
    day: int
    date: dt.date
    drug: str
    dose: float
    calculated_dose: float
    unit: str
    route: str
    basis: str
    label: str
    adjustments: tuple[str, ...]
    working: Working
    phase: str = ""
    times_per_day: int = 1


@dataclass(frozen=True)
class Flag:
    """Something the physician must acknowledge before the plan is issued.

    ``kind`` is the rule kind (``age``, ``renal``, ``weight``) for a value exactly at
    a threshold the guideline leaves undefined; ``event_interval`` when a rule that
    applied needs more time before the phase's next event than the schedule gives;
    ``ambiguity`` for a protocol-level ambiguity (no drug, value or threshold).
    ``key`` identifies the flag within one schedule."""

    drug: str
    kind: str
    value: float | None
    threshold: float | None
    source_text: str
    interpretation: str
    message: str
    key: str = ""


@dataclass(frozen=True)
class Event:
    """A non-drug event of a phase (e.g. stem cell reinfusion on day 0), dated."""

    phase: str
    day: int
    date: dt.date
    text: str


@dataclass(frozen=True)
class Schedule:
    regimen: str
    version: int
    status: str
    bsa_m2: float | None
    bsa_formula: str
    cycle_length_days: int | None
    cycles: int
    administrations: tuple[Administration, ...]
    events: tuple[Event, ...] = ()
    premedication: tuple[str, ...] = ()
    supportive_care: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()
    inputs: tuple[str, ...] = ()
    ambiguities: tuple[schema.ProtocolAmbiguity, ...] = field(default=())


# --------------------------------------------------------------------------- maths


def _check_positive(name: str, value: float | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise InvalidInput(name, f"must be a positive number, got {value!r}")


def bsa(weight_kg: float, height_cm: float, formula: str = "mosteller") -> float:
    """Body surface area in m2 by Mosteller (default) or DuBois & DuBois (guidelines/labs.py)."""
    if formula not in BSA_FORMULAS:
        raise InvalidInput("bsa_formula", f"unknown formula {formula!r}; use mosteller or dubois")
    for name, value in (("weight_kg", weight_kg), ("height_cm", height_cm)):
        if value is None:
            raise MissingInput(name, "is needed to calculate body surface area")
        _check_positive(name, value)
    return BSA_FORMULAS[formula][1](weight_kg, height_cm)


def round_dose(calculated: float, rounding: schema.Rounding) -> float:
    """``calculated`` to the nearest multiple of ``rounding.step`` (half up), refused beyond the bound."""
    step = Decimal(str(rounding.step))
    rounded = float((Decimal(repr(calculated)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)
    deviation = abs(rounded - calculated) / calculated * 100
    if rounded <= 0 or deviation > rounding.max_deviation_pct:
        raise DoseRefused(
            "rounding",
            f"rounding {_fmt(calculated)} to a step of {_fmt(rounding.step)} gives {_fmt(rounded)}, "
            f"{deviation:.1f}% away (the protocol allows {_fmt(rounding.max_deviation_pct)}%)",
        )
    return rounded


def _fmt(value: float) -> str:
    return format_number(value, **ENGINE)


def _dated(text: str, on: dt.date | None) -> str:
    return f"{text} (measured {on.isoformat()})" if on else f"{text} (date of measurement not given)"


# --------------------------------------------------------------------------- rules


_RULE_FIELD = {
    schema.RuleKind.RENAL: ("egfr_ml_min", "eGFR", "mL/min"),
    schema.RuleKind.AGE: ("age", "age", "years"),
    schema.RuleKind.WEIGHT: ("weight_kg", "weight", "kg"),
}


@dataclass(frozen=True)
class _RuleOutcome:
    dose: float  # in the line's basis
    omit: bool
    adjustments: tuple[str, ...]
    flags: tuple[Flag, ...]
    boundary: tuple[str, ...] = ()
    triggered: tuple[schema.DoseRule, ...] = ()


def _boundary_flag(line: schema.DrugLine, rule: schema.DoseRule, value: float, standard: float) -> tuple[Flag, str]:
    """The flag and the working line for a value exactly at a threshold the guideline leaves undefined."""
    attr, label, unit = _RULE_FIELD[rule.kind]
    if rule.at_boundary == schema.AtBoundary.RULE:
        side = "the rule's dose" if not rule.omit else "the rule (drug omitted)"
        used = "drug omitted" if rule.omit else f"{_fmt(rule.dose)} {line.basis}"
    else:
        side, used = "the standard dose", f"{_fmt(standard)} {line.basis}"
    working = (
        f"{label} {_fmt(value)} {unit} is exactly at the threshold {_fmt(rule.threshold)} of "
        f"\u201c{rule.source_text}\u201d, which leaves this value undefined: the protocol gives {side}, "
        f"{used} (interpretation: {rule.boundary_interpretation})"
    )
    flag = Flag(
        drug=line.drug, kind=str(rule.kind), value=value, threshold=rule.threshold,
        source_text=rule.source_text, interpretation=rule.boundary_interpretation,
        message=(
            f"{line.drug}: {label} {_fmt(value)} {unit} is exactly at the guideline's threshold "
            f"\u201c{rule.source_text}\u201d, which leaves this value undefined; {side} is used ({used}); "
            f"interpretation used: {rule.boundary_interpretation}"
        ),
        key=f"boundary:{line.drug}:{rule.kind}:{_fmt(rule.threshold)}",
    )
    return flag, working


def _apply_rules(line: schema.DrugLine, standard: float, patient: DosingPatient) -> _RuleOutcome:
    """Every rule of the line that applies replaces the standard dose; more than one: the lowest, said so."""
    triggered: list[schema.DoseRule] = []
    flags: list[Flag] = []
    boundary: list[str] = []
    at_threshold: set[int] = set()
    for rule in line.rules:
        if rule.kind == schema.RuleKind.TOLERANCE:
            if line.drug in patient.reduced_tolerance:
                triggered.append(rule)
            continue
        attr, label, unit = _RULE_FIELD[rule.kind]
        value = getattr(patient, attr)
        if value is None:
            raise MissingInput(attr, f"{line.drug} has a {label} rule (\u201c{rule.source_text}\u201d); give {attr}")
        if value == rule.threshold:
            if rule.boundary_undefined:
                flag, working = _boundary_flag(line, rule, value, standard)
                flags.append(flag)
                boundary.append(working)
                if rule.at_boundary == schema.AtBoundary.RULE:
                    triggered.append(rule)
                    at_threshold.add(id(rule))
            continue
        below = rule.comparison == schema.Comparison.BELOW
        if (value < rule.threshold) if below else (value > rule.threshold):
            triggered.append(rule)
    adjustments = []
    for rule in triggered:
        if rule.kind == schema.RuleKind.TOLERANCE:
            why = "marked by the clinician for reduced tolerance"
        else:
            attr, label, unit = _RULE_FIELD[rule.kind]
            sign = "<" if rule.comparison == schema.Comparison.BELOW else ">"
            if id(rule) in at_threshold:
                why = (
                    f"{label} {_fmt(getattr(patient, attr))} {unit} is exactly {_fmt(rule.threshold)}, "
                    "which the guideline leaves undefined; the protocol applies the rule at the boundary"
                )
            else:
                why = f"{label} {_fmt(getattr(patient, attr))} {unit} {sign} {_fmt(rule.threshold)}"
        effect = "drug omitted" if rule.omit else f"{_fmt(rule.dose)} {line.basis} instead of {_fmt(standard)}"
        adjustments.append(f"{rule.kind} rule: {why}: {effect} (guideline: \u201c{rule.source_text}\u201d)")
    omit = any(r.omit for r in triggered)
    doses = [r.dose for r in triggered if not r.omit]
    dose = min(doses) if doses else standard
    if len(set(doses)) > 1:
        adjustments.append(f"more than one rule applies: the lowest dose, {_fmt(dose)} {line.basis}, is used")
    return _RuleOutcome(dose, omit, tuple(adjustments), tuple(flags), tuple(boundary), tuple(triggered))


# --------------------------------------------------------------------------- one dose


@dataclass(frozen=True)
class _Dose:
    dose: float
    calculated: float
    unit: str
    basis: str
    adjustments: tuple[str, ...]
    working: Working
    flags: tuple[Flag, ...]
    omit: bool
    omit_reason: str = ""
    triggered: tuple[schema.DoseRule, ...] = ()


class _Patient:
    """The patient plus the BSA, computed once, and the inputs that were used."""

    def __init__(self, patient: DosingPatient, formula: str):
        for name in ("weight_kg", "height_cm", "age", "egfr_ml_min"):
            value = getattr(patient, name)
            if name == "age" and value == 0:
                continue
            _check_positive(name, value)
        if formula not in BSA_FORMULAS:
            raise InvalidInput("bsa_formula", f"unknown formula {formula!r}; use mosteller or dubois")
        self.p = patient
        self.formula = formula
        self.bsa = None
        if patient.weight_kg is not None and patient.height_cm is not None:
            self.bsa = bsa(patient.weight_kg, patient.height_cm, formula)

    def need_bsa(self, drug: str) -> float:
        for name in ("height_cm", "weight_kg"):
            if getattr(self.p, name) is None:
                raise MissingInput(name, f"{drug} is dosed per m2 of body surface area; give {name}")
        return self.bsa

    def need_weight(self, drug: str) -> float:
        if self.p.weight_kg is None:
            raise MissingInput("weight_kg", f"{drug} is dosed per kg of body weight; give weight_kg")
        return self.p.weight_kg

    def inputs(self) -> tuple[str, ...]:
        p = self.p
        out = []
        if p.weight_kg is not None:
            out.append(_dated(f"weight {_fmt(p.weight_kg)} kg", p.weight_measured_on))
        if p.height_cm is not None:
            out.append(_dated(f"height {_fmt(p.height_cm)} cm", p.height_measured_on))
        if p.age is not None:
            out.append(f"age {_fmt(p.age)} years")
        if p.egfr_ml_min is not None:
            out.append(_dated(f"eGFR {_fmt(p.egfr_ml_min)} mL/min", p.egfr_measured_on))
        if p.reduced_tolerance:
            out.append("reduced tolerance marked for: " + ", ".join(sorted(p.reduced_tolerance)))
        return tuple(out)


def _line_dose(line: schema.DrugLine, standard: float, pt: _Patient) -> _Dose:
    outcome = _apply_rules(line, standard, pt.p)
    per_basis = outcome.dose
    basis = line.basis
    unit = UNITS[basis]
    notes: list[str] = []
    bsa_method = ""
    inputs = pt.inputs()
    if basis in (schema.Basis.MG_PER_M2, schema.Basis.G_PER_M2):
        area = pt.need_bsa(line.drug)
        calculated = per_basis * area
        basis_text = f"{_fmt(per_basis)} {basis} x {area:.2f} m2"
        formula = f"{_fmt(per_basis)} {basis} x BSA {area:.4f} m2 = {_fmt(calculated)} {unit}"
        bsa_method = f"{BSA_FORMULAS[pt.formula][0]} = {area:.4f} m2"
        if area > LARGE_BSA_M2:
            notes.append(f"BSA {area:.2f} m2 > {LARGE_BSA_M2} m2: no BSA cap applied, full dose on actual BSA")
    elif basis == schema.Basis.MG_PER_KG:
        weight = pt.need_weight(line.drug)
        calculated = per_basis * weight
        basis_text = f"{_fmt(per_basis)} mg/kg x {_fmt(weight)} kg"
        formula = f"{_fmt(per_basis)} mg/kg x actual body weight {_fmt(weight)} kg = {_fmt(calculated)} mg"
        if weight > LARGE_WEIGHT_KG:
            notes.append(
                f"weight {_fmt(weight)} kg > {_fmt(LARGE_WEIGHT_KG)} kg: no weight cap applied, "
                "full dose on actual body weight"
            )
    else:
        calculated = per_basis
        basis_text = f"{_fmt(per_basis)} {unit} flat dose"
        formula = f"flat dose {_fmt(per_basis)} {unit}"
    if not math.isfinite(calculated) or calculated <= 0:
        raise DoseRefused(line.drug, f"calculated dose {calculated!r} is not a positive finite number")
    max_mg = line.max_single_dose_mg
    if max_mg is not None and calculated * MG_PER_UNIT[unit] > max_mg:
        raise DoseRefused(
            "max_single_dose_mg",
            f"{line.drug}: calculated dose {_fmt(calculated)} {unit} is above the protocol's maximum single dose "
            f"{_fmt(max_mg)} mg; the engine does not cap it: check the patient's data and the protocol",
        )
    if line.rounding is not None:
        dose = round_dose(calculated, line.rounding)
        rounding_text = (
            f"rounded to a step of {_fmt(line.rounding.step)} {unit}: {_fmt(calculated)} -> {_fmt(dose)} {unit} "
            f"({abs(dose - calculated) / calculated * 100:.1f}% deviation, at most "
            f"{_fmt(line.rounding.max_deviation_pct)}% allowed)"
        )
        if max_mg is not None and dose * MG_PER_UNIT[unit] > max_mg:
            raise DoseRefused(
                "max_single_dose_mg",
                f"{line.drug}: rounded dose {_fmt(dose)} {unit} is above the protocol's maximum single dose "
                f"{_fmt(max_mg)} mg",
            )
    else:
        dose = calculated
        rounding_text = "not rounded (the protocol gives no rounding step)"
    working = Working(
        formula=formula, inputs=inputs, bsa_method=bsa_method, adjustments=outcome.adjustments,
        rounding=rounding_text, notes=tuple(notes), boundary=outcome.boundary,
    )
    omit_reason = "; ".join(a for a in outcome.adjustments if "drug omitted" in a)
    return _Dose(
        dose=dose, calculated=calculated, unit=unit, basis=basis_text, adjustments=outcome.adjustments,
        working=working, flags=outcome.flags, omit=outcome.omit, omit_reason=omit_reason,
        triggered=outcome.triggered,
    )


# --------------------------------------------------------------------------- schedule


def _label(block_label: str, times_per_day: int) -> str:
    parts = [block_label] if block_label else []
    if times_per_day > 1:
        parts.append(f"x {times_per_day} daily")
    return " ".join(parts)


def _check_dosable(protocol: schema.Protocol) -> None:
    if protocol.status == schema.Status.DRAFT:
        raise ProtocolNotDosable(
            "status",
            f"{protocol.code} version {protocol.version} is a draft: a pharmacist must complete and activate "
            "it in the admin before it can be dosed",
        )
    lines = [(f"drugs[{i}]", line) for i, line in enumerate(protocol.drugs)]
    for p_i, phase in enumerate(protocol.phases):
        lines += [(f"phases[{p_i}].drugs[{i}]", line) for i, line in enumerate(phase.drugs)]
    for where, line in lines:
        if line.dose is None or line.basis is None:  # the schema allows this only in drafts
            raise ProtocolNotDosable(f"{where}.dose", f"{line.drug} has no dose and basis")
        if not line.schedule:
            raise ProtocolNotDosable(f"{where}.schedule", f"{line.drug} has no days of administration")


def _cycles_to_give(protocol: schema.Protocol, cycles: int | None) -> int:
    if not protocol.drugs:
        if cycles:
            raise InvalidInput("cycles", f"{protocol.code} has no cycles, only its phase(s)")
        return 0
    if cycles is None:
        if protocol.cycles is None:
            raise MissingInput(
                "cycles", f"{protocol.code} is given until progression: say how many cycles to schedule"
            )
        return protocol.cycles
    if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles < 1:
        raise InvalidInput("cycles", f"must be a whole number >= 1, got {cycles!r}")
    if protocol.cycles is not None and not protocol.until_progression and cycles > protocol.cycles:
        raise InvalidInput("cycles", f"{protocol.code} plans {protocol.cycles} cycles; {cycles} is more than planned")
    return cycles


def _cycle_1_offset(protocol: schema.Protocol) -> int:
    """Days from the start date to cycle 1 day 1."""
    anchors = {(p.start_day, p.cycle_1_day_1) for p in protocol.phases if p.cycle_1_day_1 is not None}
    if not protocol.phases:
        return 0
    if len(anchors) != 1:
        raise ProtocolNotDosable(
            "phases.cycle_1_day_1",
            f"{protocol.code}: exactly one phase must say on which phase day cycle 1 day 1 falls "
            f"(found {len(anchors)})",
        )
    (start_day, c1d1), = anchors
    return c1d1 - start_day


def calculate_schedule(
    protocol: schema.Protocol,
    patient: DosingPatient,
    *,
    start_date: dt.date,
    cycles: int | None = None,
    bsa_formula: str = "mosteller",
) -> Schedule:
    """The dated schedule of ``protocol`` for ``patient`` starting on ``start_date``.

    ``start_date`` is cycle 1 day 1, or, for a protocol with an event-anchored
    phase (step-up dosing, high-dose melphalan), the phase's ``start_day``.
    """
    if not isinstance(start_date, dt.date):
        raise InvalidInput("start_date", f"must be a date, got {start_date!r}")
    _check_dosable(protocol)
    n_cycles = _cycles_to_give(protocol, cycles)
    pt = _Patient(patient, bsa_formula)
    unknown = sorted(patient.reduced_tolerance - {line.drug for line in _all_lines(protocol)})
    if unknown:
        raise InvalidInput("reduced_tolerance", f"not drugs of {protocol.code}: {', '.join(unknown)}")

    items: list[Administration] = []
    flags: dict[str, Flag] = {}
    warnings: list[str] = []
    doses: dict[tuple[int, float], _Dose] = {}

    def dose_for(line_key: int, line: schema.DrugLine, standard: float) -> _Dose:
        key = (line_key, standard)
        if key not in doses:
            result = _line_dose(line, standard, pt)
            doses[key] = result
            for flag in result.flags:
                flags.setdefault(flag.key, flag)
            if result.omit:
                warnings.append(f"{line.drug} is left out: {result.omit_reason}")
            warnings.extend(f"{line.drug}: {note}" for note in result.working.notes)
        return doses[key]

    def add(line_key, line, block, cycle, day, date, phase=""):
        d = dose_for(line_key, line, block.dose or line.dose)
        if d.omit:
            return
        items.append(
            Administration(
                cycle=cycle, day=day, date=date, drug=line.drug, dose=d.dose, calculated_dose=d.calculated,
                unit=d.unit, route=str(line.route), basis=d.basis, label=_label(block.label, line.times_per_day),
                adjustments=d.adjustments, working=d.working, phase=phase, times_per_day=line.times_per_day,
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

    if n_cycles:
        cycle_1 = _day_from(start_date, _cycle_1_offset(protocol))
        length = protocol.cycle_length_days
        for cycle in range(1, n_cycles + 1):
            cycle_start = _day_from(cycle_1, (cycle - 1) * length)
            for index, line in enumerate(protocol.drugs):
                seen = set()
                for block in line.schedule:
                    if cycle < block.first_cycle or (block.last_cycle is not None and cycle > block.last_cycle):
                        continue
                    for day in block.days:
                        _no_double(line.drug, f"cycle {cycle}", day, seen)
                        add(line_key + 1 + index, line, block, cycle, day, _day_from(cycle_start, day - 1))

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
        ambiguities=protocol.ambiguities,
    )


def _day_from(start: dt.date, days: int) -> dt.date:
    """``start`` + ``days``; a schedule that would run off the calendar (before year 1 or after
    9999) is refused naming the start date, never an OverflowError."""
    try:
        return start + dt.timedelta(days=days)
    except OverflowError:
        raise InvalidInput(
            "start_date", f"the schedule would run off the calendar ({dt.date.min.isoformat()} … "
            f"{dt.date.max.isoformat()}): check the start date",
        ) from None


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
        return _day_from(start_date, day - phase.start_day).isoformat()

    earliest = last_day + math.ceil(hours / 24)
    interpretation = (
        f"The schedule keeps the event on day {_signed(event.day)} ({date_of(event.day)}) and does not move it; "
        f"the physician must move it to day {_signed(earliest)} ({date_of(earliest)}) or later, at least "
        f"{hours} h after the end of {line.drug}"
    )
    message = (
        f"{code}: {line.drug} on day {_signed(last_day)} ({date_of(last_day)}) with a rule that applies "
        f"(\u201c{rule.source_text}\u201d) needs at least {hours} h from the end of {line.drug} to "
        f"\u201c{event.text}\u201d; day {_signed(event.day)} ({date_of(event.day)}) is at most "
        f"{gap_days * 24} h later and cannot meet this: move it to day {_signed(earliest)} "
        f"({date_of(earliest)}) or later. The schedule does not move the date."
    )
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
        message=(
            f"{code}: the guideline is ambiguous or silent here: \u201c{ambiguity.source_text}\u201d; "
            f"interpretation used: {ambiguity.interpretation}"
        ),
        key=f"ambiguity:{index}",
    )


def _all_lines(protocol: schema.Protocol) -> list[schema.DrugLine]:
    return [*(d for p in protocol.phases for d in p.drugs), *protocol.drugs]


def _order(protocol: schema.Protocol, item: Administration) -> int:
    return [line.drug for line in _all_lines(protocol)].index(item.drug)


def _no_double(drug: str, where: str, day: int, seen: set[int]) -> None:
    if day in seen:
        raise ProtocolNotDosable("schedule", f"{drug}: day {day} of {where} is listed twice in the schedule")
    seen.add(day)


def _interval_warnings(protocol: schema.Protocol, items: list[Administration]) -> list[str]:
    """min_interval_hours between consecutive administrations of one drug (and within a day when given
    several times a day); a shorter interval is a warning for the clinician, not silently moved."""
    minimum = {line.drug: line.min_interval_hours for line in _all_lines(protocol) if line.min_interval_hours}
    out: list[str] = []
    last: dict[str, Administration] = {}
    for item in items:
        hours = minimum.get(item.drug)
        if hours is None:
            continue
        if item.times_per_day > 1 and 24 / item.times_per_day < hours:
            out.append(
                f"{item.drug} {item.date.isoformat()}: {item.times_per_day} times a day leaves "
                f"{24 / item.times_per_day:.0f} h between doses; the protocol asks for at least {hours} h"
            )
        previous = last.get(item.drug)
        if previous is not None:
            gap = (item.date - previous.date).days * 24
            if gap < hours:
                out.append(
                    f"{item.drug}: {previous.date.isoformat()} to {item.date.isoformat()} is {gap} h; "
                    f"the protocol asks for at least {hours} h between doses"
                )
        last[item.drug] = item
    return out
