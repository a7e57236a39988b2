"""One patient at one point in time → the whole assessment (POST /api/v1/evaluate).

Composes the rules: derived labs (guidelines.labs), diagnosis, workup tier, follow-up,
staging and risk, POEMS, treatment (guidelines.treatment) and supportive care
(guidelines.supportive), and collects reasons, missing facts, citations and ambiguities.
Field names and codes follow shared/contract/api-v1.md; ``to_dict`` gives JSON-ready output.
"""

import importlib
from dataclasses import asdict, dataclass, replace
from typing import Any

from guidelines import limits
from guidelines.advice import SupportiveItem, TreatmentAdvice
from guidelines.diagnosis import Code, Diagnosis, classify, plasmacytoma_relapse
from guidelines.facts import PatientFacts, Plasmacytoma
from guidelines.followup import FollowUp, followup
from guidelines.labs import CKD_EPI_2021, bsa_mosteller, egfr, free_light_chains
from guidelines.poems import PoemsAssessment
from guidelines.poems import assess as assess_poems
from guidelines.regimen_drugs import CAR_T_WORDS, drugs_of
from guidelines.rules import dedupe, fmt
from guidelines.sources import VERSIONS, Ambiguity, Citation
from guidelines.sources import poems as poems_citation
from guidelines.staging import Staging, staging
from guidelines.workup import Workup, workup


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
    treatment: TreatmentAdvice | None
    poems: PoemsAssessment
    followup: FollowUp | None
    supportive_care: tuple[SupportiveItem, ...]
    citations: tuple[Citation, ...]
    ambiguities: tuple[Ambiguity, ...]
    missing: tuple[str, ...]
    reasons: tuple[str, ...]
    car_t: Any = None  # guidelines.treatment.CarTAssessment for relapse settings, else None
    radiotherapy: Any = None  # guidelines.treatment.RadiotherapyAdvice for a plasmacytoma at relapse, else None

    def to_dict(self) -> dict[str, Any]:
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
            "treatment": _advice(self.treatment),
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
            "supportive_care": [{"topic": i.topic, "text": i.text, "reasons": list(i.reasons),
                                 "citation": _citation(i.citation)} for i in self.supportive_care],
            "citations": [_citation(c) for c in self.citations],
            "ambiguities": [{"source_text": a.source_text, "interpretation": a.interpretation,
                             "citation": _citation(a.citation)} for a in self.ambiguities],
            "missing": list(self.missing),
            "reasons": list(self.reasons),
            "car_t": None if self.car_t is None else {
                "verdict": str(self.car_t.verdict), "exclusions": list(self.car_t.exclusions),
                "reasons": list(self.car_t.reasons), "missing": list(self.car_t.missing),
                "notes": list(self.car_t.notes), "citation": _citation(self.car_t.citation),
            },
            "radiotherapy": None if self.radiotherapy is None else {
                "indication": str(self.radiotherapy.indication), "emergency": self.radiotherapy.emergency,
                "options": [_option(o) for o in self.radiotherapy.options], "notes": list(self.radiotherapy.notes),
                "citation": _citation(self.radiotherapy.citation),
            },
        }


def _citation(c: Citation) -> dict[str, str]:
    return {"document": c.document, "section": c.section, "detail": c.detail}


def _option(o) -> dict[str, Any]:
    return {"regimen": o.regimen, "rank": o.rank, "note": o.note, "awaiting_reimbursement": o.awaiting_reimbursement,
            "citation": _citation(o.citation)}


def _advice(advice: TreatmentAdvice | None) -> dict[str, Any] | None:
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
        working.append(f"eGFR {fmt(e.value)} mL/min/1.73 m² as given")
    elif e.value is not None:
        working.append(f"eGFR {e.value} mL/min/1.73 m² by {CKD_EPI_2021}, from creatinine "
                       f"{fmt(facts.labs.creatinine_umol_l)} µmol/L, age {facts.age}, sex {facts.sex}")
    else:
        missing += e.missing
    refused += e.refused
    bsa = None
    if facts.weight_kg is not None and facts.height_cm is not None:
        bsa = bsa_mosteller(facts.weight_kg, facts.height_cm)
        if _outside(bsa, limits.BSA_M2):
            why = (f"height {fmt(facts.height_cm)} cm and weight {fmt(facts.weight_kg)} kg give a BSA of {bsa} m², "
                   f"outside the accepted range {limits.BSA_M2.text}")
            refused += [("height_cm", why), ("weight_kg", why)]
            bsa = None
        else:
            working.append(f"BSA {bsa} m² by Mosteller: sqrt({fmt(facts.height_cm)} cm × {fmt(facts.weight_kg)} kg "
                           "/ 3600)")
    else:
        missing += [p for p, v in (("weight_kg", facts.weight_kg), ("height_cm", facts.height_cm)) if v is None]
    kappa, lambda_ = facts.labs.flc_kappa_mg_l, facts.labs.flc_lambda_mg_l
    flc = free_light_chains(kappa, lambda_)
    out_of_range = [(name, value, accepted) for name, value, accepted in (
        ("FLC ratio", flc.ratio, limits.FLC_RATIO), ("involved FLC", flc.involved_mg_l, limits.INVOLVED_FLC_MG_L),
        ("dFLC", flc.dflc_mg_l, limits.DFLC_MG_L)) if _outside(value, accepted)]
    if out_of_range:
        why = "; ".join(f"kappa {fmt(kappa)} mg/L and lambda {fmt(lambda_)} mg/L give {name} {value}, outside the "
                        f"accepted range {accepted.text}" for name, value, accepted in out_of_range)
        refused += [("labs.flc_kappa_mg_l", why), ("labs.flc_lambda_mg_l", why)]
        flc = free_light_chains(None, None)
    elif flc.involved_mg_l is not None:
        ratio = "undefined (lambda 0)" if flc.ratio is None else str(flc.ratio)
        working.append(f"FLC ratio kappa/lambda {fmt(kappa)}/{fmt(lambda_)} = "
                       f"{ratio}; involved {flc.involved_chain} {fmt(flc.involved_mg_l)} mg/L; dFLC "
                       f"{fmt(flc.involved_mg_l)} − {fmt(flc.uninvolved_mg_l)} = {flc.dflc_mg_l} mg/L")
    return Derived(e.value, bsa, flc.ratio, flc.involved_mg_l, flc.dflc_mg_l, tuple(working), dedupe(missing),
                   tuple(refused))


def _default_treatment():
    from guidelines.treatment import recommend

    return recommend


def _default_supportive():
    from guidelines.supportive import supportive_care

    return supportive_care


def _unavailable(module: str, exc: ModuleNotFoundError) -> bool:
    """True when ``module`` itself is absent (a build without those rules), not one of its imports."""
    return exc.name == module


RELAPSE_SETTINGS = frozenset({"RELAPSE_LINE_2", "RELAPSE_LINE_3", "RELAPSE_LINE_4", "RELAPSE_LINE_5_PLUS"})
POEMS_RELAPSE_NOTE = (
    "Treated before: the treatment choice above is written for first treatment. The POEMS guideline's «Relaps "
    "behandling»: relapse can be clinical, radiological or VEGF-based; an isolated haematological relapse may be "
    "observed but followed with PET-CT; symptomatic or radiological relapse is treated at once, asymptomatic "
    "relapse may be observed; relapse treatment can follow the myeloma algorithms for systemic treatment, "
    "including a new HDT."
)
POEMS_AND_MYELOMA = Ambiguity(
    citation=poems_citation("Anbefalinger (Quick guide)", "Behandling, items 4–7"),
    source_text="Handlingsprogram: behandlingskrevende myelomatose «≥10 % klonale plasmaceller … og minst ett "
                "myelomatosedefinerende kriterium»; POEMS guideline: «Systemisk cytoreduktiv behandling ved "
                "dissemineret sygdom»",
    interpretation="Neither guideline says how POEMS and active myeloma combine. The app keeps the diagnosis POEMS "
                   "(with a note), shows the myeloma treatment of the Handlingsprogram as the treatment, and the "
                   "POEMS advice (radiotherapy versus systemic, neurotoxicity caution) in the POEMS assessment.",
)


def evaluate(facts: PatientFacts, *, treatment_fn=None, supportive_fn=None) -> Evaluation:
    """The whole assessment of one patient. ``treatment_fn`` / ``supportive_fn`` default to
    guidelines.treatment.recommend and guidelines.supportive.supportive_care (imported lazily);
    for POEMS the treatment comes from guidelines.poems (Danish guideline, Behandling), unless the
    criteria for active myeloma are met as well (POEMS_AND_MYELOMA): then the myeloma treatment is
    shown and the POEMS advice stays in the POEMS assessment.

    Supportive care receives the drugs of the rank-1 option(s) (guidelines.regimen_drugs; several
    of equal rank: all their drugs) and of the latest treatment line, the latest HMAS reinfusion
    date (treatment_history[].transplant_date), polyclonal IgG (labs.igg_g_l) and whether CAR-T is
    in the history. Relapse settings add the CAR-T prioritisation (``car_t``); a plasmacytoma at
    relapse adds the radiotherapy advice «Tilbakefall med plasmacytomer» (``radiotherapy``)."""
    derived = derive(facts)
    diagnosis = classify(facts)
    code = str(diagnosis.code)
    concurrent = None if diagnosis.concurrent_myeloma is None else str(diagnosis.concurrent_myeloma)
    treatment_code = concurrent or code
    work = workup(facts, code, concurrent_myeloma=concurrent)
    stage = staging(facts)
    poems = assess_poems(facts)
    follow = followup(facts, code)
    unavailable: list[str] = []
    extra_ambiguities: list[Ambiguity] = []
    treatment_module = None
    if diagnosis.code == Code.POEMS and concurrent is None:
        treatment = poems.treatment
        if treatment is not None and facts.treatment_history:
            treatment = replace(treatment, notes=(*treatment.notes, POEMS_RELAPSE_NOTE),
                                citations=dedupe((*treatment.citations, poems_citation("Relaps behandling"))))
    else:
        try:
            treatment_fn = treatment_fn or _default_treatment()
        except ModuleNotFoundError as exc:
            if not _unavailable("guidelines.treatment", exc):
                raise
            treatment = None
            unavailable.append("treatment rules (guidelines.treatment) are not installed: no treatment advice")
        else:
            treatment = treatment_fn(facts, diagnosis_code=treatment_code, high_risk=stage.high_risk,
                                     egfr_ml_min=derived.egfr_ml_min)
            treatment_module = _treatment_module()
            if concurrent:
                treatment = replace(treatment, notes=(
                    *treatment.notes,
                    "POEMS criteria are met as well: see the POEMS assessment for its treatment advice; caution with "
                    "neurotoxic regimens (bortezomib, thalidomide) — POEMS guideline item 6.",
                ))
                extra_ambiguities.append(POEMS_AND_MYELOMA)
    car_t = radiotherapy = None
    if (treatment is not None and treatment.setting == "NONE" and treatment_module is not None
            and plasmacytoma_relapse(facts)):
        # a new plasmacytoma after systemic treatment without systemic progression (Tilbakefall med plasmacytomer)
        radiotherapy = treatment_module.radiotherapy_advice(
            treatment_module.RadiotherapyIndication.RELAPSE_PLASMACYTOMA)
    if treatment is not None and treatment.setting in RELAPSE_SETTINGS and treatment_module is not None:
        car_t = treatment_module.car_t_priority(facts, high_risk=stage.high_risk, diagnosis_code=treatment_code,
                                                egfr_ml_min=derived.egfr_ml_min)
        if facts.imaging.plasmacytoma in (Plasmacytoma.BONE, Plasmacytoma.EXTRAMEDULLARY):
            radiotherapy = treatment_module.radiotherapy_advice(
                treatment_module.RadiotherapyIndication.RELAPSE_PLASMACYTOMA)
    try:
        supportive_fn = supportive_fn or _default_supportive()
    except ModuleNotFoundError as exc:
        if not _unavailable("guidelines.supportive", exc):
            raise
        supportive = ()
        unavailable.append("supportive-care rules (guidelines.supportive) are not installed: no supportive care")
    else:
        supportive = tuple(supportive_fn(facts, diagnosis_code=treatment_code,
                                         setting=treatment.setting if treatment else "NONE",
                                         egfr_ml_min=derived.egfr_ml_min, **_supportive_inputs(facts, treatment)))
    citations = list(diagnosis.citations) + list(work.citations) + list(stage.citations) + list(poems.citations)
    ambiguities = list(diagnosis.ambiguities) + list(work.ambiguities) + list(stage.ambiguities) + extra_ambiguities
    missing = list(diagnosis.missing) + list(work.missing) + list(stage.missing) + list(derived.missing)
    if poems.screen_positive or poems.criteria_met:
        missing += poems.missing
    if concurrent and poems.treatment is not None:
        missing += poems.treatment.missing
        ambiguities += poems.treatment.ambiguities
    if treatment is not None:
        citations += treatment.citations
        ambiguities += treatment.ambiguities
        missing += treatment.missing
    if follow is not None:
        citations += follow.citations
        ambiguities += follow.ambiguities
        missing += follow.missing
    if car_t is not None:
        citations.append(car_t.citation)
    if radiotherapy is not None:
        citations.append(radiotherapy.citation)
    citations += [i.citation for i in supportive]
    reasons = [f"diagnosis {code}", f"workup tier {work.tier}", f"ISS {stage.iss.stage}, R-ISS {stage.r_iss.stage}, "
               f"R2-ISS {stage.r2_iss.stage}, high risk {stage.high_risk}"]
    if concurrent:
        reasons.append(f"criteria for {concurrent} met as well: myeloma treatment shown")
    if treatment is not None:
        reasons.append(f"treatment setting {treatment.setting}")
    reasons += unavailable
    return Evaluation(
        guideline_versions=dict(VERSIONS), derived=derived, diagnosis=diagnosis, workup=work, staging=stage,
        treatment=treatment, poems=poems, followup=follow, supportive_care=supportive,
        citations=_unique_sections(citations),
        ambiguities=dedupe(ambiguities), missing=dedupe(missing), reasons=tuple(reasons),
        car_t=car_t, radiotherapy=radiotherapy,
    )


def _treatment_module():
    """guidelines.treatment when it is installed and has the CAR-T and radiotherapy rules, else None. (In the
    default path a broken import has already been raised by ``_default_treatment``.)"""
    try:
        module = importlib.import_module("guidelines.treatment")
    except ModuleNotFoundError:
        return None
    return module if hasattr(module, "car_t_priority") else None


def _supportive_inputs(facts: PatientFacts, treatment: TreatmentAdvice | None) -> dict[str, Any]:
    """What supportive care needs beyond the diagnosis and setting: the drugs of the rank-1 option(s) and
    of the latest treatment line, the latest HMAS reinfusion date, polyclonal IgG and CAR-T in the history."""
    drugs: list[str] = []
    if treatment is not None and treatment.options:
        best = min(o.rank for o in treatment.options)
        for option in treatment.options:
            if option.rank == best:
                drugs += drugs_of(option.regimen)
    lines = sorted(facts.treatment_history, key=lambda line: line.line)
    if lines:
        drugs += list(lines[-1].drugs or drugs_of(lines[-1].regimen))
    dates = [line.transplant_date for line in lines if line.transplant_date is not None]
    car_t = any(word in (line.regimen or "").lower() for line in lines for word in CAR_T_WORDS)
    return {"regimen_drugs": tuple(dict.fromkeys(drugs)), "reinfusion_date": max(dates) if dates else None,
            "igg_g_l": facts.labs.igg_g_l, "car_t": car_t}


def _unique_sections(citations) -> tuple[Citation, ...]:
    """One citation per document + section (details dropped), in first-seen order."""
    seen = dedupe((c.document, c.section) for c in citations)
    return tuple(Citation(doc, section) for doc, section in seen)
