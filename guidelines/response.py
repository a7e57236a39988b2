"""Treatment response: IMWG categories for myeloma at one assessment.

Sources: Handlingsprogram for myelomatose, "Vurdering av behandlingsrespons og kontroll"
(Responskriterier, Tabell 8.2 Definisjon av responskategorier) and "Behandling av
tilbakefall" (absolute minimums of progression). A dated series of assessments:
guidelines/response_series.py; the POEMS response categories: guidelines/poems_response.py.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from guidelines.facts import Response
from guidelines.messages import Quantity, Term, gettext_noop, msg
from guidelines.rules import dec, dedupe
from guidelines.sources import Ambiguity, Citation, ambiguity, myeloma
from guidelines.terms import code as code_term

SECTION = "Vurdering av behandlingsrespons og kontroll"
CITE_TABLE = myeloma(SECTION, "Tabell 8.2 Definisjon av responskategorier")
CITE_MEASURABLE = myeloma(SECTION, "Responskriterier")
CITE_RELAPSE = myeloma("Behandling av tilbakefall")

PD_REFERENCE_AMBIGUITY = ambiguity("response.ambiguity_pd_reference")
PD_MARROW_AMBIGUITY = ambiguity("response.ambiguity_pd_marrow")
PD_MARROW_SCOPE_AMBIGUITY = ambiguity("response.ambiguity_pd_marrow_scope")
URINE_NOT_DONE_AMBIGUITY = ambiguity("response.ambiguity_urine_not_done")

SERUM_MEASURABLE_G_L = 10
URINE_MEASURABLE_MG = 200
FLC_MEASURABLE_MG_L = 100


@dataclass(frozen=True)
class Measurement:
    """Disease measurements at one time point (the contract's POST /api/v1/response bodies).
    ``extramedullary_plasmacytoma`` (baseline) and ``plasmacytoma_reduction_pct`` (current,
    size reduction vs baseline) are optional extras for the plasmacytoma rows of table 8.2."""

    serum_m_protein_g_l: float | None = None
    urine_m_protein_mg_24h: float | None = None
    flc_kappa_mg_l: float | None = None
    flc_lambda_mg_l: float | None = None
    marrow_plasma_cells_pct: float | None = None
    serum_ife_negative: bool | None = None
    urine_ife_negative: bool | None = None
    flc_ratio_normal: bool | None = None
    marrow_clonal_cells_absent: bool | None = None
    mrd_negative: bool | None = None
    new_crab: bool | None = None
    extramedullary_plasmacytoma: bool | None = None
    plasmacytoma_reduction_pct: float | None = None


@dataclass(frozen=True)
class ResponseResult:
    """The IMWG category of one assessment, the parameters it was measured by, and the working."""

    response: Response
    measurable_by: tuple[str, ...]
    reasons: tuple[str, ...]
    missing: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = (CITE_MEASURABLE, CITE_TABLE)
    ambiguities: tuple[Ambiguity, ...] = (PD_REFERENCE_AMBIGUITY, PD_MARROW_AMBIGUITY, PD_MARROW_SCOPE_AMBIGUITY)


def _reduction(before: float, after: float) -> Decimal:
    """Percentage fall from ``before`` (> 0) to ``after``."""
    return (dec(before) - dec(after)) / dec(before) * 100


def shown_percent(percent: Decimal) -> Decimal:
    """A computed percentage as the reasons show it: two decimals, cut toward zero, so that a fall shown
    beside a threshold never reads as reaching it when it does not (49.996 % reads 49.99, not 50), and the
    page shows no 26-digit fraction. The rules compare the exact value."""
    return percent.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def _lowest(*values):
    known = [v for v in values if v is not None]
    return min(known) if known else None


def _dflc(m: Measurement, chain: str) -> float | None:
    if m.flc_kappa_mg_l is None or m.flc_lambda_mg_l is None:
        return None
    if chain == "kappa":
        return float(dec(m.flc_kappa_mg_l) - dec(m.flc_lambda_mg_l))
    return float(dec(m.flc_lambda_mg_l) - dec(m.flc_kappa_mg_l))


def measurable_disease(baseline: Measurement) -> tuple[tuple[str, ...], str | None]:
    """Which parameters are measurable at baseline (Responskriterier): serum M ≥ 10 g/L, urine M
    ≥ 200 mg/24 h, involved FLC ≥ 100 mg/L — «Lettkjedemåling skal bare brukes hvis det ikke er
    målbar sykdom for serum-M-komponent eller urin-M-komponent». Returns (measurable, involved chain)."""
    found = []
    if baseline.serum_m_protein_g_l is not None and baseline.serum_m_protein_g_l >= SERUM_MEASURABLE_G_L:
        found.append("serum")
    if baseline.urine_m_protein_mg_24h is not None and baseline.urine_m_protein_mg_24h >= URINE_MEASURABLE_MG:
        found.append("urine")
    chain = None
    k, lam = baseline.flc_kappa_mg_l, baseline.flc_lambda_mg_l
    if k is not None and lam is not None:
        chain = "kappa" if k >= lam else "lambda"
        if not found and max(k, lam) >= FLC_MEASURABLE_MG_L and k != lam:
            found.append("flc")
    return tuple(found), chain


def _progression(b: Measurement, n: Measurement, c: Measurement, measurable, chain) -> list[str]:
    """PD rows of table 8.2, from the lowest earlier value, with the absolute minimums of
    «Behandling av tilbakefall»."""
    found = []
    checks = [
        (msg("response.name_serum_m", gettext_noop("serum M-component")), "g/L", b.serum_m_protein_g_l,
         n.serum_m_protein_g_l, c.serum_m_protein_g_l, 5, False),
        (msg("response.name_urine_m", gettext_noop("urine M-component")), "mg/24 h", b.urine_m_protein_mg_24h,
         n.urine_m_protein_mg_24h, c.urine_m_protein_mg_24h, 200, False),
    ]
    if not measurable:
        # «Hos pasienter uten målbar M komponent i serum eller urin: … ≥25 % økning av prosentandel plasmaceller i
        # benmarg» — marrow progression only without measurable serum, urine or FLC (PD_MARROW_SCOPE_AMBIGUITY).
        checks.append((msg("response.name_marrow", gettext_noop("bone marrow plasma cells")),
                       Term("percentage points"), b.marrow_plasma_cells_pct,
                       n.marrow_plasma_cells_pct, c.marrow_plasma_cells_pct, 10, False))
    if "serum" not in measurable and "urine" not in measurable and chain is not None:
        checks.append(("dFLC", "mg/L", _dflc(b, chain), _dflc(n, chain), _dflc(c, chain), 100, True))
    for name, unit, base, nadir, now, minimum, strict in checks:
        ref = _lowest(base, nadir)
        if ref is None or now is None:
            continue
        rise = dec(now) - dec(ref)
        relative_ok = rise > 0 and (ref <= 0 or rise >= dec(ref) * Decimal("0.25"))
        absolute_ok = rise > minimum if strict else rise >= minimum
        if relative_ok and absolute_ok:
            sign = ">" if strict else "≥"
            found.append(msg("response.pd_rise", gettext_noop(
                "PD: %(parameter)s %(lowest)s (lowest) → %(now)s: rise %(rise)s %(unit)s ≥ 25 %% and %(sign)s "
                "%(minimum)s"), parameter=name, lowest=Quantity(ref), now=Quantity(now), rise=Quantity(rise),
                unit=unit, sign=sign, minimum=minimum))
    if c.new_crab:
        found.append(msg("response.pd_new_crab", gettext_noop("PD: new CRAB criteria")))
    return found


def imwg_response(baseline: Measurement, nadir: Measurement | None, current: Measurement) -> ResponseResult:
    """IMWG response by table 8.2 (Handlingsprogram, Vurdering av behandlingsrespons og kontroll).

    The best category whose criteria are confirmed by the facts given; a category that cannot be
    confirmed because a fact is missing is skipped and the fact listed in ``missing``."""
    b, n, c = baseline, nadir or Measurement(), current
    measurable, chain = measurable_disease(b)
    reasons = [msg("response.measurable", gettext_noop(
        "measurable disease: %(parameters)s (serum ≥ 10 g/L, urine ≥ 200 mg/24 h, involved FLC ≥ 100 mg/L only if "
        "serum and urine are not measurable)"), parameters=[Term(m) for m in measurable] or Term("none"))]
    missing: list[str] = []
    ambiguities = [PD_REFERENCE_AMBIGUITY, PD_MARROW_AMBIGUITY, PD_MARROW_SCOPE_AMBIGUITY]
    cites = [CITE_MEASURABLE, CITE_TABLE]

    def result(code, extra=()):
        return ResponseResult(code, measurable, tuple(reasons + list(extra)), dedupe(missing),
                              dedupe(cites), dedupe(ambiguities))

    pd = _progression(b, n, c, measurable, chain)
    if pd:
        cites.append(CITE_RELAPSE)
        return result(Response.PD, pd)

    marrow_path = (not measurable and b.marrow_plasma_cells_pct is not None and b.marrow_plasma_cells_pct >= 30)
    if not measurable and not marrow_path:
        return result(Response.NOT_EVALUABLE, [msg("response.not_measurable", gettext_noop(
            "no measurable disease at baseline and baseline marrow plasma cells not ≥ 30 %%: response cannot be "
            "evaluated (no progression found)"))])
    for name, now, path in (("serum", c.serum_m_protein_g_l, "current.serum_m_protein_g_l"),
                            ("urine", c.urine_m_protein_mg_24h, "current.urine_m_protein_mg_24h")):
        if name in measurable and now is None:
            missing.append(path)
    if "flc" in measurable and _dflc(c, chain) is None:
        missing += ["current.flc_kappa_mg_l", "current.flc_lambda_mg_l"]
    if marrow_path and c.marrow_plasma_cells_pct is None:
        missing.append("current.marrow_plasma_cells_pct")
    if missing:
        return result(Response.NOT_EVALUABLE, [msg("response.current_value_missing", gettext_noop(
            "the current value of a measurable parameter is missing"))])

    def reduction(name):
        if name == "serum":
            return _reduction(b.serum_m_protein_g_l, c.serum_m_protein_g_l)
        if name == "urine":
            return _reduction(b.urine_m_protein_mg_24h, c.urine_m_protein_mg_24h)
        return _reduction(_dflc(b, chain), _dflc(c, chain))

    urine_known = c.urine_m_protein_mg_24h is not None
    if not urine_known and "serum" in measurable:
        missing.append("current.urine_m_protein_mg_24h")
        ambiguities.append(URINE_NOT_DONE_AMBIGUITY)

    def emd(threshold) -> bool | None:
        if not b.extramedullary_plasmacytoma:
            return True
        if c.plasmacytoma_reduction_pct is None:
            missing.append("current.plasmacytoma_reduction_pct")
            return None
        return c.plasmacytoma_reduction_pct >= threshold

    def emd_unknown(category):
        # «Ekstramedullære plasmacytomer skal reduseres …» is part of every category above SD: with the
        # M-component reaching one and the plasmacytoma not measured, SD («Tilfredsstiller ikke kriterier»)
        # would claim what is not known.
        return result(Response.NOT_EVALUABLE, [msg("response.plasmacytoma_unknown", gettext_noop(
            "the M-component criteria of %(category)s are met, but the size reduction of the extramedullary "
            "plasmacytoma is not known: response not evaluable"), category=code_term(category))])

    def tri_and(*values):
        if any(v is False for v in values):
            return False
        return True if all(v is True for v in values) else None

    def flag(value, path):
        if value is None:
            missing.append(path)
        return value

    # CR and above
    marrow_le_5 = None if c.marrow_plasma_cells_pct is None else c.marrow_plasma_cells_pct <= 5
    # CR needs an M-component no longer seen; a still-measured M-component rules it out without asking for IFE.
    cr_possible = all(v in (None, 0) for v in (c.serum_m_protein_g_l, c.urine_m_protein_mg_24h))
    cr = cr_possible and tri_and(flag(c.serum_ife_negative, "current.serum_ife_negative"),
                 flag(c.urine_ife_negative, "current.urine_ife_negative"),
                 flag(marrow_le_5, "current.marrow_plasma_cells_pct"), emd(100),
                 flag(c.flc_ratio_normal, "current.flc_ratio_normal") if measurable == ("flc",) else True)
    if cr:
        cr_reason = msg("response.cr_flc", gettext_noop(
            "CR: negative immunofixation of serum and urine, ≤ 5 %% marrow plasma cells, normal FLC ratio")) if (
            measurable == ("flc",)) else msg("response.cr", gettext_noop(
                "CR: negative immunofixation of serum and urine, ≤ 5 %% marrow plasma cells"))
        if c.mrd_negative:
            return result(Response.MRD_NEGATIVE_CR, [cr_reason, msg("response.mrd_negative", gettext_noop(
                "MRD negative (flow or NGS)"))])
        if c.flc_ratio_normal and c.marrow_clonal_cells_absent:
            return result(Response.SCR, [cr_reason, msg("response.scr", gettext_noop(
                "normal serum FLC ratio and no clonal plasma cells in the marrow"))])
        return result(Response.CR, [cr_reason])

    # VGPR / PR / MR on the measurable parameters
    if marrow_path:
        fall = _reduction(b.marrow_plasma_cells_pct, c.marrow_plasma_cells_pct)
        if fall >= 50 and emd(50) is None:
            return emd_unknown("PR")
        if fall >= 50 and emd(50) is True:
            return result(Response.PR, [msg("response.pr_marrow", gettext_noop(
                "PR: marrow plasma cells %(before)s → %(now)s %%: fall %(fall)s %% ≥ 50 %% (baseline ≥ 30 %%)"),
                before=Quantity(b.marrow_plasma_cells_pct), now=Quantity(c.marrow_plasma_cells_pct),
                fall=Quantity(shown_percent(fall)))])
        return result(Response.SD, [msg("response.sd_marrow", gettext_noop(
            "SD: marrow plasma cells fall %(fall)s %% < 50 %%"), fall=Quantity(shown_percent(fall)))])

    falls = {name: reduction(name) for name in measurable}
    working = [msg("response.fall", gettext_noop("%(parameter)s fall %(fall)s %%"), parameter=Term(name),
                   fall=Quantity(shown_percent(falls[name]))) for name in measurable]
    urine_now = c.urine_m_protein_mg_24h

    def level(serum_min, urine_rule, flc_min) -> bool:
        ok = True
        if "serum" in falls:
            ok &= falls["serum"] >= serum_min
        if "urine" in falls or ("serum" in falls and urine_known):
            ok &= urine_rule()
        if "flc" in falls:
            ok &= falls["flc"] > flc_min
        return ok

    undetectable = (c.serum_m_protein_g_l == 0 and (urine_now == 0 or (not urine_known and "urine" not in measurable))
                    and "flc" not in measurable)
    vgpr = level(90, lambda: urine_now < 100, 90) or undetectable
    if vgpr and emd(90) is None:
        return emd_unknown("VGPR")
    if vgpr and emd(90) is True:
        why = (msg("response.vgpr_undetectable", gettext_noop(
            "VGPR: serum and urine M-component not detectable by electrophoresis (immunofixation positive)"))
               if undetectable else msg("response.vgpr", gettext_noop(
                   "VGPR: ≥ 90 %% fall of serum M, urine M < 100 mg/24 h, dFLC fall > 90 %% as applicable")))
        return result(Response.VGPR, [why, *working])
    urine_fall = falls.get("urine")
    pr_level = level(50, lambda: urine_now < 200 or (urine_fall is not None and urine_fall >= 90), 50)
    if pr_level and emd(50) is None:
        return emd_unknown("PR")
    if pr_level and emd(50) is True:
        return result(Response.PR, [msg("response.pr", gettext_noop(
            "PR: ≥ 50 %% fall of serum M, urine M fall ≥ 90 %% or < 200 mg/24 h, dFLC fall > 50 %% as applicable")),
            *working])
    mr_level = level(25, lambda: "urine" not in falls or falls["urine"] > 50, 25)
    if mr_level and emd(50) is None:
        return emd_unknown("MR")
    if mr_level and emd(50) is True:
        return result(Response.MR, [msg("response.mr", gettext_noop(
            "MR: ≥ 25 %% fall of serum M, urine M fall > 50 %%, dFLC fall > 25 %% as applicable")), *working])
    return result(Response.SD, [msg("response.sd", gettext_noop(
        "SD: criteria for sCR, CR, VGPR, PR, MR and PD not met")),
                                *working])
