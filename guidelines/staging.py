"""Staging and risk: ISS, R-ISS, R2-ISS and the IMS/IMWG 2024 high-risk definition.

Source: Handlingsprogram for myelomatose, "Stadieinndeling og prognose" (ISS and R-ISS
tables, the six high-risk bullets). R2-ISS is not in the guideline: D'Agostino et al.,
J Clin Oncol 2022 (see ``r2_iss``).
"""

from dataclasses import dataclass
from decimal import Decimal

from guidelines.facts import Del1p32, PatientFacts
from guidelines.messages import Quantity, gettext_noop, msg
from guidelines.rules import Finding, dec, dedupe, joined
from guidelines.sources import Ambiguity, Citation, ambiguity, myeloma

SECTION = "Stadieinndeling og prognose"
CITE_ISS = myeloma(SECTION, "Internasjonalt prognostisk stadium (ISS)")
CITE_RISS = myeloma(SECTION, "Revidert-Internasjonalt prognostisk stadium (R-ISS)")
CITE_HIGH_RISK = myeloma(SECTION, "Følgende sykdomskarakteristika regnes som høyrisiko")
CITE_R2ISS = myeloma(SECTION, gettext_noop(
    "R2-ISS is NOT in the guideline: D'Agostino et al., J Clin Oncol 2022;40:3406-18"))

ISS_AMBIGUITY = ambiguity("iss.ambiguity_stage_ii")
CREATININE_UNIT_AMBIGUITY = ambiguity("high_risk.ambiguity_creatinine_unit")
R2ISS_AMBIGUITY = ambiguity("r2_iss.ambiguity_source")


@dataclass(frozen=True)
class Stage:
    """A stage (None when the facts do not decide it) with its working."""

    stage: str | None
    reasons: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Staging:
    iss: Stage
    r_iss: Stage
    r2_iss: Stage
    high_risk: bool | None
    high_risk_reasons: tuple[str, ...]
    missing: tuple[str, ...]
    citations: tuple[Citation, ...] = (CITE_ISS, CITE_RISS, CITE_HIGH_RISK, CITE_R2ISS)
    ambiguities: tuple[Ambiguity, ...] = (ISS_AMBIGUITY, CREATININE_UNIT_AMBIGUITY, R2ISS_AMBIGUITY)


def iss(facts: PatientFacts) -> Stage:
    """ISS (Handlingsprogram, Stadieinndeling og prognose): «Stadium I S-β2 mikroglobulin
    <3,5 mg/L og S-albumin ≥35 g/L», «Stadium III S-β2 mikroglobulin ≥5,5», «Stadium II
    Verken I eller II» (= neither I nor III, see ISS_AMBIGUITY)."""
    b2m, alb = facts.labs.beta2m_mg_l, facts.labs.albumin_g_l
    if b2m is None:
        return Stage(None, (msg("iss.b2m_unknown", gettext_noop("ISS: β2-microglobulin unknown")),),
                     ("labs.beta2m_mg_l",))
    b2m_q = Quantity(b2m, "mg/L")
    if dec(b2m) >= dec(5.5):
        return Stage("III", (msg("iss.stage_iii", gettext_noop("ISS III: β2-microglobulin %(b2m)s ≥ 5.5"),
                                 b2m=b2m_q),))
    if dec(b2m) >= dec(3.5):
        return Stage("II", (msg("iss.stage_ii_b2m", gettext_noop(
            "ISS II: β2-microglobulin %(b2m)s ≥ 3.5 and < 5.5 (neither I nor III)"), b2m=b2m_q),))
    if alb is None:
        return Stage(None, (msg("iss.albumin_needed", gettext_noop(
            "ISS: β2-microglobulin %(b2m)s < 3.5; albumin needed for I vs II"), b2m=b2m_q),),
                     ("labs.albumin_g_l",))
    alb_q = Quantity(alb, "g/L")
    if alb >= 35:
        return Stage("I", (msg("iss.stage_i", gettext_noop(
            "ISS I: β2-microglobulin %(b2m)s < 3.5 and albumin %(albumin)s ≥ 35"), b2m=b2m_q, albumin=alb_q),))
    return Stage("II", (msg("iss.stage_ii_albumin", gettext_noop(
        "ISS II: β2-microglobulin %(b2m)s < 3.5 but albumin %(albumin)s < 35 (neither I nor III)"),
        b2m=b2m_q, albumin=alb_q),))


def ldh_high(facts: PatientFacts) -> Finding:
    """LD above the laboratory's upper limit; normal LD = at or below the upper limit."""
    ldh, uln = facts.labs.ldh_u_l, facts.labs.ldh_upper_limit_u_l
    if ldh is None or uln is None:
        return Finding(None, msg("ldh.unknown", gettext_noop("LD or its upper limit unknown")),
                       tuple(p for p, v in (("labs.ldh_u_l", ldh), ("labs.ldh_upper_limit_u_l", uln)) if v is None))
    if dec(ldh) > dec(uln):
        return Finding(True, msg("ldh.high", gettext_noop("LD %(ldh)s > upper limit %(uln)s"),
                                 ldh=Quantity(ldh, "U/L"), uln=Quantity(uln)))
    return Finding(False, msg("ldh.normal", gettext_noop("LD %(ldh)s ≤ upper limit %(uln)s (normal)"),
                              ldh=Quantity(ldh, "U/L"), uln=Quantity(uln)))


# The FISH findings as the guideline writes them (the fields of guidelines.facts.Cytogenetics).
FISH_NAMES = {"del17p": "del(17p)", "t4_14": "t(4;14)", "t14_16": "t(14;16)", "t14_20": "t(14;20)"}


def _any_true(facts: PatientFacts, fields: tuple[str, ...]) -> Finding:
    cg = facts.cytogenetics
    values = {f: getattr(cg, f) for f in fields}
    found = [FISH_NAMES[f] for f, v in values.items() if v]
    if found:
        return Finding(True, msg("fish.high_risk_found", gettext_noop("high-risk FISH: %(findings)s"), findings=found))
    unknown = [f"cytogenetics.{f}" for f, v in values.items() if v is None]
    if unknown:
        return Finding(None, msg("fish.incomplete", gettext_noop("FISH incomplete")), tuple(unknown))
    return Finding(False, msg(
        "fish.none_of", gettext_noop("no %(findings)s"), findings=[FISH_NAMES[f] for f in fields]))


RISS_FISH = ("del17p", "t4_14", "t14_16")


def r_iss(facts: PatientFacts, iss_stage: Stage) -> Stage:
    """R-ISS (Handlingsprogram, Stadieinndeling og prognose): «R-ISS stadium I ISS stadium I og
    normal LD og ikke høyrisiko FISH (del17p, t(4;14), t(14;16)»; «R-ISS stadium III ISS III
    og samtidig høy LD eller pos del17p, t(4;14) eller t(14;16)»; «R-ISS stadium II Verken
    R-ISS I eller R-ISS III»."""
    if iss_stage.stage is None:
        return Stage(None, (msg("r_iss.iss_unknown", gettext_noop("R-ISS: ISS unknown")),), iss_stage.missing)
    if iss_stage.stage == "II":
        return Stage("II", (msg("r_iss.stage_ii_from_iss_ii", gettext_noop(
            "R-ISS II: ISS II is neither R-ISS I nor R-ISS III")),))
    ldh, fish = ldh_high(facts), _any_true(facts, RISS_FISH)
    adverse = ldh.met or fish.met
    if iss_stage.stage == "I":
        if adverse:
            return Stage("II", (msg("r_iss.stage_ii_from_iss_i", gettext_noop("R-ISS II: ISS I but %(findings)s"),
                                    findings=joined(f.reason for f in (ldh, fish) if f.met)),))
        if ldh.met is False and fish.met is False:
            return Stage("I", (msg("r_iss.stage_i", gettext_noop("R-ISS I: ISS I, %(ldh)s, %(fish)s"),
                                   ldh=ldh.reason, fish=fish.reason),))
    else:
        if adverse:
            return Stage("III", (msg("r_iss.stage_iii", gettext_noop("R-ISS III: ISS III and %(findings)s"),
                                     findings=joined(f.reason for f in (ldh, fish) if f.met)),))
        if ldh.met is False and fish.met is False:
            return Stage("II", (msg("r_iss.stage_ii_from_iss_iii", gettext_noop(
                "R-ISS II: ISS III with %(ldh)s, %(fish)s"), ldh=ldh.reason, fish=fish.reason),))
    return Stage(None, (msg("r_iss.undecided", gettext_noop("R-ISS undecided: %(findings)s"),
                            findings=joined(f.reason for f in (ldh, fish) if f.met is None)),),
                 ldh.missing + fish.missing)


R2_POINTS = {"ISS II": Decimal("1"), "ISS III": Decimal("1.5"), "del(17p)": Decimal("1"),
             "LDH above the upper limit": Decimal("1"), "t(4;14)": Decimal("1"), "1q+": Decimal("0.5")}
# The items as the working names them (the LDH item in the reader's language).
R2_ITEM_NAMES = {"LDH above the upper limit": msg("r2_iss.item_ldh", gettext_noop("LDH above the upper limit"))}


def _r2_group(points: Decimal) -> str:
    if points == 0:
        return "I"
    if points <= 1:
        return "II"
    if points <= Decimal("2.5"):
        return "III"
    return "IV"


def r2_iss(facts: PatientFacts, iss_stage: Stage) -> Stage:
    """R2-ISS — not in the guideline (D'Agostino et al., J Clin Oncol 2022): points ISS II 1,
    ISS III 1.5, del(17p) 1, LDH above the upper limit 1, t(4;14) 1, 1q+ 0.5; groups I 0,
    II 0.5–1, III 1.5–2.5, IV 3–5. When some items are unknown the group is still given if
    every possible value of the unknown items leads to the same group."""
    cg = facts.cytogenetics
    items = {
        "del(17p)": (cg.del17p, "cytogenetics.del17p"),
        "LDH above the upper limit": (ldh_high(facts).met, None),
        "t(4;14)": (cg.t4_14, "cytogenetics.t4_14"),
        "1q+": (cg.gain1q, "cytogenetics.gain1q"),
    }
    low = high = Decimal(0)
    working, missing = [], []
    if iss_stage.stage is None:
        high += R2_POINTS["ISS III"]
        missing += iss_stage.missing
    elif iss_stage.stage != "I":
        key = f"ISS {iss_stage.stage}"
        low += R2_POINTS[key]
        high += R2_POINTS[key]
        working.append(msg("r2_iss.points", gettext_noop("%(item)s %(points)s"), item=key,
                           points=Quantity(R2_POINTS[key])))
    for name, (value, path) in items.items():
        if value:
            low += R2_POINTS[name]
            high += R2_POINTS[name]
            working.append(msg("r2_iss.points", gettext_noop("%(item)s %(points)s"),
                               item=R2_ITEM_NAMES.get(name, name), points=Quantity(R2_POINTS[name])))
        elif value is None:
            high += R2_POINTS[name]
            missing += [path] if path else list(ldh_high(facts).missing)
    total = joined(working, " + ") if working else "0"
    if _r2_group(low) != _r2_group(high):
        return Stage(None, (msg("r2_iss.undecided", gettext_noop(
            "R2-ISS undecided: known points %(total)s = %(low)s; unknown items could add up to %(more)s"),
            total=total, low=Quantity(low), more=Quantity(high - low)),), dedupe(missing))
    group = _r2_group(low)
    if low == high:
        reason = msg("r2_iss.group", gettext_noop("R2-ISS %(group)s: %(total)s = %(low)s points"),
                     group=group, total=total, low=Quantity(low))
    else:
        reason = msg("r2_iss.group_with_unknowns", gettext_noop(
            "R2-ISS %(group)s: %(total)s = %(low)s points (unknown items cannot change the group: at most "
            "%(high)s points)"), group=group, total=total, low=Quantity(low), high=Quantity(high))
    return Stage(group, (reason,), dedupe(missing))


def high_risk(facts: PatientFacts) -> tuple[bool | None, tuple[str, ...], tuple[str, ...]]:
    """IMS/IMWG 2024 high risk, exactly the guideline's six bullets (Handlingsprogram,
    Stadieinndeling og prognose): «Delesjon 17p / monosomi 17»; «TP53-mutasjon»; «t(4;14),
    t(14;16) eller t(14;20) sammen med gain1q og/eller del(1p32)»; «del(1p32) og gain1q»;
    «biallelisk del(1p32)»; «Høy β2-microglobulin (>5,5mg/l) med normal kreatinin (<106)».
    Returns (high_risk, reasons, missing)."""
    cg, labs = facts.cytogenetics, facts.labs
    del1p = None if cg.del1p32 is None else cg.del1p32 != Del1p32.NONE
    translocation = _any_true(facts, ("t4_14", "t14_16", "t14_20"))

    def both(a: bool | None, b: bool | None) -> bool | None:
        if a is False or b is False:
            return False
        return True if a and b else None

    def either(a: bool | None, b: bool | None) -> bool | None:
        if a or b:
            return True
        return False if a is False and b is False else None

    if labs.beta2m_mg_l is None:
        b2m_high = None
    else:
        b2m_high = dec(labs.beta2m_mg_l) > dec(5.5)
    creat_normal = None if labs.creatinine_umol_l is None else dec(labs.creatinine_umol_l) < 106
    unknown_value = "?"
    bullets = [
        (msg("high_risk.del17p", gettext_noop("del(17p) / monosomy 17")), cg.del17p, ("cytogenetics.del17p",)),
        (msg("high_risk.tp53", gettext_noop("TP53 mutation")), cg.tp53_mutation, ("cytogenetics.tp53_mutation",)),
        (msg("high_risk.translocation_with_1q_or_1p", gettext_noop(
            "t(4;14), t(14;16) or t(14;20) with gain1q and/or del(1p32)")),
         both(translocation.met, either(cg.gain1q, del1p)),
         translocation.missing + ("cytogenetics.gain1q", "cytogenetics.del1p32")),
        (msg("high_risk.del1p32_and_gain1q", gettext_noop("del(1p32) and gain1q")), both(del1p, cg.gain1q),
         ("cytogenetics.del1p32", "cytogenetics.gain1q")),
        (msg("high_risk.biallelic_del1p32", gettext_noop("biallelic del(1p32)")),
         None if cg.del1p32 is None else cg.del1p32 == Del1p32.BIALLELIC, ("cytogenetics.del1p32",)),
        (msg("high_risk.b2m_with_normal_creatinine", gettext_noop(
            "β2-microglobulin %(b2m)s mg/L > 5.5 with normal creatinine %(creatinine)s < 106 µmol/L"),
            b2m=unknown_value if labs.beta2m_mg_l is None else Quantity(labs.beta2m_mg_l),
            creatinine=unknown_value if labs.creatinine_umol_l is None else Quantity(labs.creatinine_umol_l)),
         both(b2m_high, creat_normal), ("labs.beta2m_mg_l", "labs.creatinine_umol_l")),
    ]
    met = tuple(name for name, value, _ in bullets if value)
    if met:
        return True, met, ()
    undecided = [(name, paths) for name, value, paths in bullets if value is None]
    if not undecided:
        return False, (msg("high_risk.none", gettext_noop("none of the six IMS/IMWG high-risk characteristics")),), ()
    missing = []
    for _name, paths in undecided:
        missing += [p for p in paths if _unknown(facts, p)]
    return None, tuple(msg("high_risk.undecided", gettext_noop("undecided: %(characteristic)s"), characteristic=name)
                       for name, _ in undecided), dedupe(missing)


def _unknown(facts: PatientFacts, path: str) -> bool:
    group, name = path.split(".")
    return getattr(getattr(facts, group), name) is None


def staging(facts: PatientFacts) -> Staging:
    """ISS, R-ISS, R2-ISS and high risk together (Handlingsprogram, Stadieinndeling og prognose)."""
    i = iss(facts)
    r = r_iss(facts, i)
    r2 = r2_iss(facts, i)
    hr, hr_reasons, hr_missing = high_risk(facts)
    return Staging(
        iss=i, r_iss=r, r2_iss=r2, high_risk=hr, high_risk_reasons=hr_reasons,
        missing=dedupe(i.missing + r.missing + r2.missing + hr_missing),
    )
