"""IMWG response over a dated series of measurements (the program finds baseline, nadir,
confirmation and progression).

Source: Handlingsprogram for myelomatose, "Vurdering av behandlingsrespons og kontroll"
(«Vurdering gjøres i forbindelse med hver syklusstart», Responskriterier, Tabell 8.2 Definisjon av
responskategorier) and "Behandling av tilbakefall" (the absolute minimums of progression). Each
assessment date is judged by ``guidelines.response.imwg_response`` (one time point); this module adds
what a series needs: the baseline, the nadir before each date, confirmation by the next assessment,
the best confirmed response and a proposed progression date.

Pure interface (the course of treatment calls it per cycle from a patient's lab series)::

    response_series(treatment_start=date(2026, 1, 5),
                    measurements=[Observation(date(2026, 1, 3), "m_protein", 32, "g/L"), ...],
                    events=[Event(date(2026, 5, 2), "new_crab")])

Analyte codes are the record's (patients/labcatalogue.py) with their units; a unit other than the
analyte's own is refused (ValueError), never converted.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from guidelines.facts import Response
from guidelines.messages import Quantity, Term, gettext_noop, msg
from guidelines.response import CITE_MEASURABLE, CITE_TABLE, Measurement, imwg_response, measurable_disease
from guidelines.rules import dec, dedupe
from guidelines.sources import Ambiguity, Citation, ambiguity, myeloma
from guidelines.terms import code

CITE_SCHEDULE = myeloma("Vurdering av behandlingsrespons og kontroll")

# analyte code → (Measurement field, unit)
ANALYTES = {
    "m_protein": ("serum_m_protein_g_l", "g/L"),
    "urine_m_protein": ("urine_m_protein_mg_24h", "mg/24 h"),
    "flc_kappa": ("flc_kappa_mg_l", "mg/L"),
    "flc_lambda": ("flc_lambda_mg_l", "mg/L"),
    "marrow_plasma_cells": ("marrow_plasma_cells_pct", "%"),
}
# qualitative findings: the code is the Measurement field, the value True / False, no unit
FINDINGS = ("serum_ife_negative", "urine_ife_negative", "flc_ratio_normal", "marrow_clonal_cells_absent",
            "mrd_negative")
EVENTS = ("new_crab",)
LOWEST_FIELDS = ("serum_m_protein_g_l", "urine_m_protein_mg_24h", "marrow_plasma_cells_pct")

# best first; PD and NOT_EVALUABLE are not responses
RESPONSES = (Response.MRD_NEGATIVE_CR, Response.SCR, Response.CR, Response.VGPR, Response.PR, Response.MR)

BASELINE_AMBIGUITY = ambiguity("response_series.ambiguity_baseline")
CONFIRMATION_AMBIGUITY = ambiguity("response_series.ambiguity_confirmation")
CRAB_AMBIGUITY = ambiguity("response_series.ambiguity_crab")
@dataclass(frozen=True)
class Observation:
    """One dated result: an analyte code of ``ANALYTES`` with its unit, or a finding of ``FINDINGS``
    (value True / False, unit "")."""

    date: datetime.date
    analyte: str
    value: float | bool
    unit: str = ""

    def __post_init__(self):
        if self.analyte in ANALYTES:
            unit = ANALYTES[self.analyte][1]
            if self.unit != unit or isinstance(self.value, bool) or not isinstance(self.value, int | float | Decimal):
                raise ValueError(f"{self.analyte}: a number in {unit} (given {self.value!r} {self.unit!r})")
            if self.value < 0:
                raise ValueError(f"{self.analyte}: negative value {self.value!r}")
        elif self.analyte in FINDINGS:
            if self.unit or not isinstance(self.value, bool):
                raise ValueError(f"{self.analyte}: true or false without a unit (given {self.value!r} {self.unit!r})")
        else:
            raise ValueError(f"unknown analyte {self.analyte!r}")

    @property
    def field(self) -> str:
        return ANALYTES[self.analyte][0] if self.analyte in ANALYTES else self.analyte


@dataclass(frozen=True)
class Event:
    """A dated clinical event; ``new_crab``: new CRAB criteria (tabell 8.2, PD)."""

    date: datetime.date
    code: str
    detail: str = ""

    def __post_init__(self):
        if self.code not in EVENTS:
            raise ValueError(f"unknown event {self.code!r}")


@dataclass(frozen=True)
class Day:
    """The values measured on one assessment date (Measurement field → value)."""

    date: datetime.date
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Assessment:
    """One assessment date: the IMWG category of that day, whether the next evaluable assessment
    confirms it (None: no later assessment yet; SD and NOT_EVALUABLE need none), its reasons and
    missing facts (JSON paths ``current.*`` of imwg_response)."""

    date: datetime.date
    response: Response
    confirmed: bool | None
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    values: dict
    nadir: dict


@dataclass(frozen=True)
class Progression:
    """The proposed progression: its date (the first PD assessment), the date that confirmed it
    (None for a new CRAB event) and why."""

    date: datetime.date
    confirmed_on: datetime.date | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SeriesResult:
    treatment_start: datetime.date
    baseline: dict  # field → (value, date)
    measurable_by: tuple[str, ...]
    assessments: tuple[Assessment, ...]
    best_response: Response
    progression: Progression | None
    nadir: dict  # field → (value, date), the lowest after the start
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    citations: tuple[Citation, ...]
    ambiguities: tuple[Ambiguity, ...]


def _dflc(kappa, lam, chain):
    return float(dec(kappa) - dec(lam)) if chain == "kappa" else float(dec(lam) - dec(kappa))


def nadir_of(days, chain) -> Measurement | None:
    """The lowest value of each parameter over ``days`` (objects with a ``values`` dict); for FLC the
    kappa/lambda pair of one day with the lowest dFLC of ``chain``. None without days."""
    days = list(days)
    if not days:
        return None
    values = {}
    for name in LOWEST_FIELDS:
        known = [d.values[name] for d in days if name in d.values]
        if known:
            values[name] = min(known)
    pairs = [(d.values["flc_kappa_mg_l"], d.values["flc_lambda_mg_l"]) for d in days
             if "flc_kappa_mg_l" in d.values and "flc_lambda_mg_l" in d.values]
    if pairs and chain:
        values["flc_kappa_mg_l"], values["flc_lambda_mg_l"] = min(pairs, key=lambda p: _dflc(*p, chain))
    return Measurement(**values)


def _lowest_with_dates(days, chain) -> dict:
    out = {}
    for day in days:
        for name in LOWEST_FIELDS:
            if name in day.values and (name not in out or day.values[name] < out[name][0]):
                out[name] = (day.values[name], day.date)
        if chain and "flc_kappa_mg_l" in day.values and "flc_lambda_mg_l" in day.values:
            d = _dflc(day.values["flc_kappa_mg_l"], day.values["flc_lambda_mg_l"], chain)
            if "dflc_mg_l" not in out or d < out["dflc_mg_l"][0]:
                out["dflc_mg_l"] = (d, day.date)
    return out


def split(treatment_start, measurements, events=()) -> tuple[dict, tuple[Day, ...]]:
    """Baseline (field → (value, date), the last on or before the start; findings do not count) and
    the assessment days after the start, oldest first (a later observation of the same day wins)."""
    baseline, by_date = {}, {}
    for obs in sorted(measurements, key=lambda o: o.date):  # stable: input order within a day
        if obs.date <= treatment_start:
            if obs.analyte in ANALYTES:
                baseline[obs.field] = (float(obs.value), obs.date)
        else:
            value = obs.value if isinstance(obs.value, bool) else float(obs.value)
            by_date.setdefault(obs.date, {})[obs.field] = value
    for event in events:
        if event.date > treatment_start:
            by_date.setdefault(event.date, {})[event.code] = True
    return baseline, tuple(Day(d, v) for d, v in sorted(by_date.items()))


def _flc_sign_without_urine(baseline_m, nadir, day, measurable, chain):
    """«Hvis det ikke gjøres døgnurin … viktig å vurdere økning i lette kjeder som tegn på progresjon»
    (Responskriterier): a dFLC rise ≥ 25 % and > 100 mg/L while only the serum M is measurable."""
    if measurable != ("serum",) or baseline_m.urine_m_protein_mg_24h is not None or chain is None:
        return None
    kappa, lam = day.values.get("flc_kappa_mg_l"), day.values.get("flc_lambda_mg_l")
    refs = [_dflc(m.flc_kappa_mg_l, m.flc_lambda_mg_l, chain) for m in (baseline_m, nadir)
            if m is not None and m.flc_kappa_mg_l is not None and m.flc_lambda_mg_l is not None]
    if kappa is None or lam is None or not refs:
        return None
    ref, now = min(refs), _dflc(kappa, lam, chain)
    rise = dec(now) - dec(ref)
    if rise > 100 and (ref <= 0 or rise >= dec(ref) * Decimal("0.25")):
        return msg("response_series.flc_without_urine", gettext_noop(
            "no 24-hour urine at baseline and dFLC %(lowest)s (lowest) → %(now)s mg/L: rise ≥ 25 %% and > 100 mg/L. "
            "«Hvis det ikke gjøres døgnurin … Det er da viktig å vurdere økning i lette kjeder som tegn på "
            "progresjon»: assess (not PD by tabell 8.2 while the serum M-component is measurable)"),
            lowest=Quantity(ref), now=Quantity(now))
    return None


def _confirmations(raw):
    """For each index, the index of the next evaluable assessment (None if none)."""
    nxt, following = [None] * len(raw), None
    for i in range(len(raw) - 1, -1, -1):
        nxt[i] = following
        if raw[i] != Response.NOT_EVALUABLE:
            following = i
    return nxt


def _rank(response):
    return RESPONSES.index(response) if response in RESPONSES else len(RESPONSES)


def response_series(*, treatment_start: datetime.date, measurements, events=()) -> SeriesResult:
    """IMWG response (tabell 8.2) on every assessment date after ``treatment_start``, the best confirmed
    response and the proposed progression (see CONFIRMATION_AMBIGUITY and CRAB_AMBIGUITY)."""
    baseline, days = split(treatment_start, measurements, events)
    baseline_m = Measurement(**{name: value for name, (value, _d) in baseline.items()})
    measurable, chain = measurable_disease(baseline_m)
    results, notes = [], []
    for index, day in enumerate(days):
        nadir = nadir_of(days[:index], chain)
        current = Measurement(**{k: v for k, v in day.values.items() if k not in EVENTS},
                              new_crab=True if day.values.get("new_crab") else None)
        results.append((imwg_response(baseline_m, nadir, current), nadir))
        notes.append(_flc_sign_without_urine(baseline_m, nadir, day, measurable, chain))
    raw = [r.response for r, _n in results]
    nxt = _confirmations(raw)
    assessments, progression, best, confirmed_pd = [], None, None, False
    for i, (day, (result, nadir)) in enumerate(zip(days, results, strict=True)):
        j = nxt[i]
        reasons = list(result.reasons) + ([notes[i]] if notes[i] else [])
        confirmed = None
        if raw[i] in RESPONSES or raw[i] == Response.PD:
            confirmed = None if j is None else (raw[j] == Response.PD if raw[i] == Response.PD
                                                else raw[j] in RESPONSES)
        if raw[i] in RESPONSES and confirmed:
            level = max(raw[i], raw[j], key=_rank)  # the lower of the two
            reasons.append(msg("response_series.confirmed", gettext_noop(
                "confirmed by the assessment of %(next)s (%(next_response)s): %(level)s"),
                next=days[j].date, next_response=code(raw[j]), level=str(level)))
            if progression is None:
                best = level if best is None or _rank(level) < _rank(best) else best
            else:
                # «registrere beste behandlingsrespons etter behandling og deretter å oppdage tilbakefall»: the
                # best response is the one reached before the progression.
                reasons.append(msg("response_series.after_progression", gettext_noop(
                    "after the progression of %(date)s: not counted as the best response of this line"),
                    date=progression.date))
        elif raw[i] in RESPONSES and confirmed is False:
            reasons.append(msg("response_series.not_confirmed", gettext_noop(
                "not confirmed: the next assessment (%(next)s) is %(next_response)s"),
                next=days[j].date, next_response=code(raw[j])))
        elif confirmed is None and raw[i] in (*RESPONSES, Response.PD):
            reasons.append(msg("response_series.awaiting_confirmation", gettext_noop(
                "awaiting confirmation by the next assessment")))
        crab = bool(day.values.get("new_crab"))
        if raw[i] == Response.PD and (confirmed or crab):
            confirmed_pd = True
            if progression is None:
                why = [msg("response_series.progression_crab", gettext_noop(
                    "new CRAB event on %(date)s: progression («Utvikling av nye CRAB kriterier»)"), date=day.date)
                       ] if crab else [msg("response_series.progression_confirmed", gettext_noop(
                           "PD on %(date)s confirmed by PD on %(next)s"), date=day.date, next=days[j].date)]
                progression = Progression(day.date, None if crab else days[j].date,
                                          tuple(why + [r for r in result.reasons if r.startswith("PD")]))
        elif raw[i] == Response.PD and confirmed is False:
            reasons.append(msg("response_series.pd_not_confirmed", gettext_noop(
                "PD not confirmed: the next assessment (%(next)s) is %(next_response)s"),
                next=days[j].date, next_response=code(raw[j])))
        assessments.append(Assessment(
            day.date, raw[i], confirmed, tuple(reasons), result.missing, dict(day.values),
            {} if nadir is None else {k: v for k, v in vars(nadir).items() if v is not None}))
    return _result(treatment_start, baseline, measurable, assessments, best, confirmed_pd, progression, days,
                   chain, results)


def _best(best, raw, confirmed_pd) -> Response:
    if best is not None:
        return best
    if any(r == Response.SD or r in RESPONSES for r in raw):
        return Response.SD
    return Response.PD if confirmed_pd else Response.NOT_EVALUABLE


def _result(start, baseline, measurable, assessments, best, confirmed_pd, progression, days, chain, results):
    raw = [a.response for a in assessments]
    reasons = [msg("response_series.baseline", gettext_noop(
        "baseline on or before %(start)s; measurable disease: %(parameters)s"), start=start,
        parameters=[Term(m) for m in measurable] or Term("none"))]
    missing = []
    if not baseline:
        missing.append("measurements")
        reasons.append(msg("response_series.no_baseline", gettext_noop(
            "no measurement on or before the start of the line: no baseline to judge a response against")))
    if not days:
        reasons.append(msg("response_series.no_assessment", gettext_noop(
            "no assessment after the start of the line")))
    before = [a for a in assessments if progression is None or a.date < progression.date]
    final = _best(best, [a.response for a in before], confirmed_pd)
    unconfirmed = [a.response for a in before if a.response in RESPONSES and a.confirmed is None]
    if unconfirmed and (final not in RESPONSES or _rank(unconfirmed[-1]) < _rank(final)):
        reasons.append(msg("response_series.best_unconfirmed", gettext_noop(
            "%(response)s on the last assessment awaits confirmation"), response=code(unconfirmed[-1])))
    if raw and raw[-1] == Response.PD and assessments[-1].confirmed is None and progression is None:
        reasons.append(msg("response_series.pd_awaiting", gettext_noop(
            "PD on %(date)s awaits confirmation by the next assessment"), date=assessments[-1].date))
    for a in assessments:
        missing += [p.replace("current.", "measurements[].", 1) for p in a.missing]
    ambiguities = [BASELINE_AMBIGUITY, CONFIRMATION_AMBIGUITY, CRAB_AMBIGUITY]
    cites = [CITE_SCHEDULE, CITE_MEASURABLE, CITE_TABLE]
    for result, _nadir in results:
        ambiguities += result.ambiguities
        cites += result.citations
    return SeriesResult(start, dict(baseline), measurable, tuple(assessments), final, progression,
                        _lowest_with_dates(days, chain), tuple(reasons), dedupe(missing), dedupe(cites),
                        dedupe(ambiguities))
