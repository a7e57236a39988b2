"""One patient at one point in time → the whole assessment (POST /api/v1/evaluate).

Composes the rules: derived labs (guidelines.labs), the one reading of the treatment history
(guidelines.history), diagnosis, workup tier, follow-up, staging and risk, POEMS, treatment
(guidelines.treatment) and supportive care (guidelines.supportive), and collects reasons, missing
facts, citations and ambiguities. The protocol library (guidelines.library) comes in as data.
Field names and codes follow shared/contract/api-v1.md; ``to_dict`` gives JSON-ready output.
"""

from dataclasses import asdict, dataclass, replace

from guidelines import limits
from guidelines.advice import Option, SupportiveItem, TreatmentAdvice
from guidelines.diagnosis import Code, Diagnosis, classify, plasmacytoma_relapse
from guidelines.facts import PatientFacts, Plasmacytoma
from guidelines.followup import FollowUp, followup
from guidelines.history import HistoryReading, read_history
from guidelines.labs import CKD_EPI_2021, EGFR_UNIT, bsa_mosteller, egfr, free_light_chains
from guidelines.library import Library, drugs_of
from guidelines.messages import Quantity, Term, gettext_noop, msg
from guidelines.poems import PoemsAssessment
from guidelines.poems import assess as assess_poems
from guidelines.poems_treatment import OPTION_DRUGS as POEMS_OPTION_DRUGS
from guidelines.rules import dec, dedupe, joined
from guidelines.sources import VERSIONS, Ambiguity, Citation, ambiguity
from guidelines.sources import poems as poems_citation
from guidelines.staging import Staging, staging
from guidelines.supportive import supportive_care, treatment_events
from guidelines.terms import code as code_term
from guidelines.treatment import (
    RELAPSE_SETTINGS,
    CarTAssessment,
    RadiotherapyAdvice,
    car_t_priority,
    recommend,
)
from guidelines.treatment.radiotherapy import indications as radiotherapy_indications
from guidelines.workup import FISH, Workup, workup


@dataclass(frozen=True)
class Derived:
    egfr_ml_min: float | None
    bsa_m2: float | None
    flc_ratio: float | None
    involved_flc_mg_l: float | None
    dflc_mg_l: float | None
    working: tuple[str, ...]
    missing: tuple[str, ...]
    # (input field, why): a derived value outside its accepted range (guidelines/limits.py), not used.
    refused: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Evaluation:
    guideline_versions: dict[str, str]
    derived: Derived
    diagnosis: Diagnosis
    workup: Workup
    staging: Staging
    followup: FollowUp | None
    treatment: TreatmentAdvice
    poems: PoemsAssessment
    supportive_care: tuple[SupportiveItem, ...]
    citations: tuple[Citation, ...]
    ambiguities: tuple[Ambiguity, ...]
    missing: tuple[str, ...]
    reasons: tuple[str, ...]
    car_t: CarTAssessment | None = None  # relapse settings only
    # every indication for radiotherapy or surgery (contract v1.1 treatment.radiotherapy), emergency first
    radiotherapy: tuple[RadiotherapyAdvice, ...] = ()
    # False when the diagnosis is one staging does not apply to (``staging_applies``): the staging is
    # still computed and shown, its missing facts are not listed in ``missing``.
    staging_applies: bool = True

    def to_dict(self) -> dict[str, object]:
        """The contract's response body plus the extra fields, JSON-ready."""
        d, w, s, p = self.diagnosis, self.workup, self.staging, self.poems
        return {
            "guideline_versions": dict(self.guideline_versions),
            "derived": {
                "egfr_ml_min": self.derived.egfr_ml_min, "bsa_m2": self.derived.bsa_m2,
                "flc_ratio": self.derived.flc_ratio, "involved_flc_mg_l": self.derived.involved_flc_mg_l,
                "dflc_mg_l": self.derived.dflc_mg_l, "working": list(self.derived.working),
            },
            "diagnosis": {
                "code": str(d.code), "myeloma_defining_events": list(d.myeloma_defining_events),
                "reasons": list(d.reasons), "missing": list(d.missing), "notes": list(d.notes),
                "concurrent_myeloma": None if d.concurrent_myeloma is None else str(d.concurrent_myeloma),
            },
            "workup": {"tier": w.tier, "investigations": list(w.investigations), "reasons": list(w.reasons),
                       "missing": list(w.missing)},
            "staging": {
                "iss": s.iss.stage, "r_iss": s.r_iss.stage, "r2_iss": s.r2_iss.stage,
                "high_risk": s.high_risk, "high_risk_reasons": list(s.high_risk_reasons),
                "reasons": list(s.iss.reasons + s.r_iss.reasons + s.r2_iss.reasons), "missing": list(s.missing),
            },
            "treatment": _treatment(self),
            "poems": {
                "screen_positive": p.screen_positive, "criteria_met": p.criteria_met,
                "mandatory": list(p.mandatory), "major": list(p.major), "minor": list(p.minor),
                "reasons": list(p.reasons), "missing": list(p.missing), "workup": list(p.workup),
                "rehabilitation": list(p.rehabilitation), "treatment": _advice(p.treatment),
            },
            "followup": None if self.followup is None else {
                k: (list(v) if isinstance(v, tuple) and k not in ("citations", "ambiguities") else v)
                for k, v in asdict(self.followup).items() if k not in ("citations", "ambiguities")
            },
            "supportive_care": [{"topic": i.topic, "category": i.category, "text": i.text, "reasons": list(i.reasons),
                                 "due_date": None if i.due_date is None else i.due_date.isoformat(),
                                 "citation": _citation(i.citation)} for i in self.supportive_care],
            "citations": [_citation(c) for c in self.citations],
            "ambiguities": [{"source_text": a.source_text, "interpretation": a.interpretation,
                             "citation": _citation(a.citation)} for a in self.ambiguities],
            "missing": list(self.missing),
            "reasons": list(self.reasons),
            "car_t": _car_t(self.car_t),
            "radiotherapy": [_radiotherapy(r) for r in self.radiotherapy],
        }


def _citation(c: Citation) -> dict[str, str]:
    return {"document": c.document, "section": c.section, "detail": c.detail}


def _option(o: Option) -> dict[str, object]:
    return {"regimen": o.regimen, "rank": o.rank, "note": o.note, "awaiting_reimbursement": o.awaiting_reimbursement,
            "citation": _citation(o.citation)}


def _car_t(c: CarTAssessment | None) -> dict[str, object] | None:
    """Contract v1.1 ``treatment.car_t`` (verdict, reasons, missing) with each criterion, notes and citation."""
    if c is None:
        return None
    return {"verdict": str(c.verdict), "reasons": list(c.reasons), "missing": list(c.missing),
            "exclusions": list(c.exclusions), "notes": list(c.notes), "citation": _citation(c.citation),
            "criteria": [{"code": k.code, "status": str(k.status), "reason": k.reason, "missing": list(k.missing)}
                         for k in c.criteria]}


def _radiotherapy(r: RadiotherapyAdvice) -> dict[str, object]:
    """Contract v1.1 ``treatment.radiotherapy[]`` (indication, dose, urgency) with its options, notes, surgery,
    missing facts and citation."""
    return {"indication": str(r.indication), "dose": r.dose, "urgency": r.urgency, "emergency": r.emergency,
            "surgery": r.surgery, "options": [_option(o) for o in r.options], "notes": list(r.notes),
            "missing": list(r.missing), "citation": _citation(r.citation)}


def _treatment(e: "Evaluation") -> dict[str, object] | None:
    advice = _advice(e.treatment)
    if advice is not None:
        advice["car_t"] = _car_t(e.car_t)
        advice["radiotherapy"] = [_radiotherapy(r) for r in e.radiotherapy]
    return advice


def _advice(advice: TreatmentAdvice | None) -> dict[str, object] | None:
    if advice is None:
        return None
    return {"setting": advice.setting, "options": [_option(o) for o in advice.options], "notes": list(advice.notes),
            "reasons": list(advice.reasons), "missing": list(advice.missing)}


def _outside(value, accepted: limits.Range) -> bool:
    return value is not None and value not in accepted


def derive(facts: PatientFacts) -> Derived:
    """eGFR (as given or CKD-EPI 2021), BSA (Mosteller), FLC ratio, involved FLC and dFLC, each
    with its working. Each must lie within its accepted range (guidelines/limits.py); one that
    does not is not used (None) and is listed in ``refused`` with the input field it comes from
    (the API refuses the request; with in-range inputs it cannot happen)."""
    working, missing, refused = [], [], []
    e = egfr(facts)
    if e.source == "given":
        working.append(msg("derived.egfr_given", gettext_noop("eGFR %(egfr)s as given"),
                           egfr=Quantity(e.value, EGFR_UNIT)))
    elif e.value is not None:
        working.append(msg("derived.egfr_calculated", gettext_noop(
            "eGFR %(egfr)s by %(formula)s, from creatinine %(creatinine)s, age %(age)s, sex %(sex)s"),
            egfr=Quantity(e.value, EGFR_UNIT, "egfr"), formula=CKD_EPI_2021,
            creatinine=Quantity(facts.labs.creatinine_umol_l, "µmol/L"), age=facts.age, sex=Term(str(facts.sex))))
    else:
        missing += e.missing
    refused += e.refused
    bsa = None
    if facts.weight_kg is not None and facts.height_cm is not None:
        bsa = bsa_mosteller(facts.weight_kg, facts.height_cm)
        if _outside(bsa, limits.BSA_M2):
            why = msg("derived.bsa_out_of_range", gettext_noop(
                "height %(height)s and weight %(weight)s give a BSA of %(bsa)s, outside the accepted range "
                "%(range)s"), height=Quantity(facts.height_cm, "cm"), weight=Quantity(facts.weight_kg, "kg"),
                bsa=Quantity(bsa, "m²", "bsa"), range=limits.BSA_M2.message)
            refused += [("height_cm", why), ("weight_kg", why)]
            bsa = None
        else:
            working.append(msg("derived.bsa_mosteller", gettext_noop(
                "BSA %(bsa)s by Mosteller: sqrt(%(height)s × %(weight)s / 3600)"), bsa=Quantity(bsa, "m²", "bsa"),
                height=Quantity(facts.height_cm, "cm"), weight=Quantity(facts.weight_kg, "kg")))
    else:
        missing += [p for p, v in (("weight_kg", facts.weight_kg), ("height_cm", facts.height_cm)) if v is None]
    kappa, lambda_ = facts.labs.flc_kappa_mg_l, facts.labs.flc_lambda_mg_l
    flc = free_light_chains(kappa, lambda_)
    out_of_range = [(name, value, accepted) for name, value, accepted in (
        (msg("derived.name_flc_ratio", gettext_noop("FLC ratio")), flc.ratio, limits.FLC_RATIO),
        (msg("derived.name_involved_flc", gettext_noop("involved FLC")), flc.involved_mg_l, limits.INVOLVED_FLC_MG_L),
        ("dFLC", flc.dflc_mg_l, limits.DFLC_MG_L)) if _outside(value, accepted)]
    if out_of_range:
        why = joined(msg("derived.flc_out_of_range", gettext_noop(
            "kappa %(kappa)s and lambda %(lam)s give %(name)s %(value)s, outside the accepted range %(range)s"),
            kappa=Quantity(kappa, "mg/L"), lam=Quantity(lambda_, "mg/L"), name=name,
            value=Quantity(value, "", "ratio") if isinstance(value, int | float) else value, range=accepted.message)
            for name, value, accepted in out_of_range)
        refused += [("labs.flc_kappa_mg_l", why), ("labs.flc_lambda_mg_l", why)]
        flc = free_light_chains(None, None)
    elif flc.involved_mg_l is not None:
        ratio = (msg("derived.flc_ratio_undefined", gettext_noop("undefined (lambda 0)")) if flc.ratio is None
                 else Quantity(flc.ratio, "", "ratio"))
        working.append(msg("derived.flc", gettext_noop(
            "FLC ratio kappa/lambda %(kappa)s/%(lam)s = %(ratio)s; involved %(chain)s %(involved)s; dFLC "
            "%(involved_value)s − %(uninvolved_value)s = %(dflc)s"),
            kappa=Quantity(kappa), lam=Quantity(lambda_), ratio=ratio, chain=Term(flc.involved_chain),
            involved=Quantity(flc.involved_mg_l, "mg/L"), involved_value=Quantity(flc.involved_mg_l),
            uninvolved_value=Quantity(flc.uninvolved_mg_l),
            dflc=Quantity(dec(flc.involved_mg_l) - dec(flc.uninvolved_mg_l), "mg/L")))
    return Derived(e.value, bsa, flc.ratio, flc.involved_mg_l, flc.dflc_mg_l, tuple(working), dedupe(missing),
                   tuple(refused))


POEMS_RELAPSE_NOTE = msg("evaluate.note_poems_relapse", gettext_noop(
    "Treated before: the treatment choice above is written for first treatment. The POEMS guideline's «Relaps "
    "behandling»: relapse can be clinical, radiological or VEGF-based; an isolated haematological relapse may be "
    "observed but followed with PET-CT; symptomatic or radiological relapse is treated at once, asymptomatic "
    "relapse may be observed; relapse treatment can follow the myeloma algorithms for systemic treatment, "
    "including a new HDT."))
POEMS_AND_MYELOMA = ambiguity("evaluate.ambiguity_poems_and_myeloma")


def evaluate(facts: PatientFacts, *, library: Library) -> Evaluation:
    """The whole assessment of one patient. ``library`` is the protocol library as data
    (guidelines.library; regimens/library.py builds it). The treatment history is read once
    (guidelines.history.read_history) and that reading goes to every rule. For POEMS the treatment
    comes from guidelines.poems (Danish guideline, Behandling), unless the criteria for active
    myeloma are met as well (POEMS_AND_MYELOMA): then the myeloma treatment is shown and the POEMS
    advice stays in the POEMS assessment.

    Supportive care receives the drugs of the rank-1 option(s) (several of equal rank: all their
    drugs), of the latest treatment line and of the current treatment, polyclonal IgG (labs.igg_g_l)
    and what the treatment says (guidelines.supportive.treatment_events: treated for myeloma, the
    latest HMAS reinfusion date from treatment_history[].transplant_date, CAR-T, the start of a current
    bispecific): it follows the treatment, not only the diagnosis drawn from today's labs (ADR 0022).
    Relapse settings add the CAR-T prioritisation (``car_t``); ``radiotherapy`` lists every
    indication for radiotherapy or surgery (guidelines.treatment.radiotherapy.indications): the emergency
    findings, a solitary plasmacytoma, a new plasmacytoma at relapse («Tilbakefall med plasmacytomer»)."""
    derived = derive(facts)
    history = read_history(facts, library)
    diagnosis = classify(facts, history)
    code = str(diagnosis.code)
    concurrent = None if diagnosis.concurrent_myeloma is None else str(diagnosis.concurrent_myeloma)
    treatment_code = concurrent or code
    work = workup(facts, code, concurrent_myeloma=concurrent)
    stage = staging(facts)
    poems = assess_poems(facts)
    follow = followup(facts, code, history=history)
    extra_ambiguities: list[Ambiguity] = []
    myeloma_rules = not (diagnosis.code == Code.POEMS and concurrent is None)
    if not myeloma_rules:
        treatment = poems.treatment  # the POEMS criteria are met: guidelines.poems always gives its advice
        if history.lines:
            treatment = replace(treatment, notes=(*treatment.notes, POEMS_RELAPSE_NOTE),
                                citations=dedupe((*treatment.citations, poems_citation("Relaps behandling"))))
    else:
        treatment = recommend(facts, history=history, library=library, diagnosis_code=treatment_code,
                              high_risk=stage.high_risk, egfr_ml_min=derived.egfr_ml_min)
        if concurrent:
            treatment = replace(treatment, notes=(
                *treatment.notes,
                msg("evaluate.note_poems_as_well", gettext_noop(
                    "POEMS criteria are met as well: see the POEMS assessment for its treatment advice; caution "
                    "with neurotoxic regimens (%(drugs)s) — POEMS guideline item 6."),
                    drugs=[Term("bortezomib"), Term("thalidomide")]),
            ))
            extra_ambiguities.append(POEMS_AND_MYELOMA)
    car_t = None
    relapse_setting = myeloma_rules and treatment.setting in RELAPSE_SETTINGS
    if relapse_setting:
        car_t = car_t_priority(facts, history=history, high_risk=stage.high_risk, diagnosis_code=treatment_code,
                               egfr_ml_min=derived.egfr_ml_min)
    # a new plasmacytoma after systemic treatment (Tilbakefall med plasmacytomer): without systemic progression
    # (setting NONE), or beside it (a relapse setting)
    new_plasmacytoma = myeloma_rules and (
        (treatment.setting == "NONE" and plasmacytoma_relapse(facts, history))
        or (relapse_setting and facts.imaging.plasmacytoma in (Plasmacytoma.BONE, Plasmacytoma.EXTRAMEDULLARY)))
    radiotherapy = radiotherapy_indications(
        facts, history, plasmacytoma_relapse=new_plasmacytoma, systemic_progression=relapse_setting,
        solitary=myeloma_rules and treatment.setting == "SOLITARY_PLASMACYTOMA_RADIOTHERAPY")
    current_drugs = _drugs_of(facts.current_treatment.regimen, library)
    events = treatment_events(facts, history, current_drugs)
    supportive = supportive_care(facts, diagnosis_code=treatment_code,
                                 setting=treatment.setting, egfr_ml_min=derived.egfr_ml_min,
                                 regimen_drugs=tuple(dict.fromkeys((*_regimen_drugs(treatment, history, library),
                                                                    *current_drugs))),
                                 reinfusion_date=events.reinfusion_date, igg_g_l=facts.labs.igg_g_l,
                                 car_t=events.car_t, events=events)
    citations = list(diagnosis.citations) + list(work.citations) + list(stage.citations) + list(poems.citations)
    ambiguities = list(diagnosis.ambiguities) + list(work.ambiguities) + list(stage.ambiguities) + extra_ambiguities
    applies = staging_applies(treatment_code)
    missing = (list(diagnosis.missing) + list(work.missing) + list(staging_missing(stage, applies=applies, workup=work))
               + list(derived.missing))
    if poems.screen_positive or poems.criteria_met:
        missing += poems.missing
    if concurrent and poems.treatment is not None:
        missing += poems.treatment.missing
        ambiguities += poems.treatment.ambiguities
    citations += treatment.citations
    ambiguities += treatment.ambiguities
    missing += treatment.missing
    if follow is not None:
        citations += follow.citations
        ambiguities += follow.ambiguities
        missing += follow.missing
    if car_t is not None:
        citations.append(car_t.citation)
        ambiguities += car_t.ambiguities
    for advice in radiotherapy:
        citations.append(advice.citation)
        missing += advice.missing
    citations += [i.citation for i in supportive]
    reasons = [msg("evaluate.diagnosis", gettext_noop("diagnosis %(diagnosis)s"), diagnosis=code_term(code)),
               msg("evaluate.workup_tier", gettext_noop("workup tier %(tier)s"), tier=_or_unknown(work.tier)),
               msg("evaluate.staging", gettext_noop(
                   "ISS %(iss)s, R-ISS %(r_iss)s, R2-ISS %(r2_iss)s, high risk %(high_risk)s"),
                   iss=_or_unknown(stage.iss.stage), r_iss=_or_unknown(stage.r_iss.stage),
                   r2_iss=_or_unknown(stage.r2_iss.stage), high_risk=_or_unknown(stage.high_risk))]
    if concurrent:
        reasons.append(msg("evaluate.concurrent_myeloma", gettext_noop(
            "criteria for %(diagnosis)s met as well: myeloma treatment shown"), diagnosis=code_term(concurrent)))
    reasons.append(msg("evaluate.treatment_setting", gettext_noop("treatment setting %(setting)s"),
                       setting=treatment.setting))
    return Evaluation(
        guideline_versions=dict(VERSIONS), derived=derived, diagnosis=diagnosis, workup=work, staging=stage,
        treatment=treatment, poems=poems, followup=follow, supportive_care=supportive,
        citations=_unique_sections(citations),
        ambiguities=dedupe(ambiguities), missing=dedupe(missing), reasons=tuple(reasons),
        car_t=car_t, radiotherapy=radiotherapy, staging_applies=applies,
    )


def _or_unknown(value):
    """A stage, tier or yes/no for a reason text; «unknown» (translated) when not decided."""
    return Term("unknown") if value is None else value


# The diagnoses staged by ISS, R-ISS and the IMS/IMWG high-risk characteristics. Handlingsprogram,
# "Stadieinndeling og prognose", stages myeloma («ISS og FISH skal tas hos alle pasienter» of the
# myeloma chapter; the treatment reads the high-risk verdict); plasma cell leukaemia is treated as
# myeloma (its workup is fullutredning, guidelines.workup). While the diagnosis is undecided it may
# be myeloma, so the staging facts stay asked for.
STAGED_DIAGNOSES = frozenset({"ACTIVE_MYELOMA", "PLASMA_CELL_LEUKEMIA", "INSUFFICIENT_DATA"})


def staging_applies(diagnosis_code: str) -> bool:
    """Whether staging applies to this diagnosis (the treatment's: active myeloma beside POEMS counts)."""
    return diagnosis_code in STAGED_DIAGNOSES


def staging_missing(stage: Staging, *, applies: bool, workup: Workup) -> tuple[str, ...]:
    """The facts the staging lacks that are missing for this patient: all of them where staging applies;
    otherwise only the FISH results, and only where the workup orders FISH. «Nivåer og rekkefølge på
    utredning»: lavrisikoutredning «Ikke benmarg eller radiologisk undersøkelse» and høyrisikoutredning
    (blood and urine, CT, bone marrow) order no FISH; fullutredning, which smouldering myeloma gets, orders
    «FISH av benmarg, og TP53-mutasjonsanalyse». So an MGUS lacks neither ISS nor FISH facts, a smouldering
    myeloma lacks the FISH results but not β2-microglobulin, albumin or LD."""
    if applies:
        return stage.missing
    if FISH in workup.investigations:
        return tuple(p for p in stage.missing if p.startswith("cytogenetics."))
    return ()


def _drugs_of(code: str | None, library: Library) -> tuple[str, ...]:
    """A regimen code's drugs: the library's, else a POEMS guideline descriptive code's (guidelines.poems)."""
    return drugs_of(library, code) or POEMS_OPTION_DRUGS.get(code or "", ())


def _regimen_drugs(treatment: TreatmentAdvice, history: HistoryReading, library: Library) -> tuple[str, ...]:
    """The drugs supportive care weighs: those of the rank-1 option(s) and of the latest recorded line (a line
    recorded by a POEMS descriptive code counts that code's drugs here)."""
    drugs: list[str] = []
    if treatment.options:
        best = min(o.rank for o in treatment.options)
        for option in treatment.options:
            if option.rank == best:
                drugs += _drugs_of(option.regimen, library)
    last = history.last_recorded
    if last is not None:
        drugs += last.drugs or _drugs_of(last.line.regimen, library)
    return tuple(dict.fromkeys(drugs))


def _unique_sections(citations) -> tuple[Citation, ...]:
    """One citation per document + section (details dropped), in first-seen order."""
    seen = dedupe((c.document, c.section) for c in citations)
    return tuple(Citation(doc, section) for doc, section in seen)
