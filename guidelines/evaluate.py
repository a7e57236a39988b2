"""One patient at one point in time → the whole assessment (POST /api/v1/evaluate).

Composes the rules: derived labs (guidelines.labs), diagnosis, workup tier, follow-up,
staging and risk, POEMS, treatment (guidelines.treatment) and supportive care
(guidelines.supportive), and collects reasons, missing facts, citations and ambiguities.
Field names and codes follow shared/contract/api-v1.md; ``to_dict`` gives JSON-ready output.
"""

from dataclasses import asdict, dataclass
from typing import Any

from guidelines.advice import SupportiveItem, TreatmentAdvice
from guidelines.diagnosis import Code, Diagnosis, classify
from guidelines.facts import PatientFacts
from guidelines.followup import FollowUp, followup
from guidelines.labs import CKD_EPI_2021, bsa_mosteller, egfr, free_light_chains
from guidelines.poems import PoemsAssessment
from guidelines.poems import assess as assess_poems
from guidelines.rules import dedupe, fmt
from guidelines.sources import VERSIONS, Ambiguity, Citation
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
            },
            "workup": {"tier": w.tier, "investigations": list(w.investigations), "reasons": list(w.reasons),
                       "missing": list(w.missing)},
            "staging": {
                "iss": s.iss.stage, "r_iss": s.r_iss.stage, "r2_iss": s.r2_iss.stage,
                "high_risk": s.high_risk, "high_risk_reasons": list(s.high_risk_reasons),
                "reasons": list(s.iss.reasons + s.r_iss.reasons + s.r2_iss.reasons), "missing": list(s.missing),
            },
            "treatment": None if self.treatment is None else {
                "setting": self.treatment.setting,
                "options": [{"regimen": o.regimen, "rank": o.rank, "note": o.note,
                             "awaiting_reimbursement": o.awaiting_reimbursement, "citation": _citation(o.citation)}
                            for o in self.treatment.options],
                "notes": list(self.treatment.notes), "reasons": list(self.treatment.reasons),
                "missing": list(self.treatment.missing),
            },
            "poems": {
                "screen_positive": p.screen_positive, "criteria_met": p.criteria_met,
                "mandatory": list(p.mandatory), "major": list(p.major), "minor": list(p.minor),
                "reasons": list(p.reasons), "missing": list(p.missing), "workup": list(p.workup),
                "rehabilitation": list(p.rehabilitation),
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
        }


def _citation(c: Citation) -> dict[str, str]:
    return {"document": c.document, "section": c.section, "detail": c.detail}


def derive(facts: PatientFacts) -> Derived:
    """eGFR (as given or CKD-EPI 2021), BSA (Mosteller), FLC ratio, involved FLC and dFLC, each
    with its working."""
    working, missing = [], []
    e = egfr(facts)
    if e.source == "given":
        working.append(f"eGFR {fmt(e.value)} mL/min/1.73 m² as given")
    elif e.value is not None:
        working.append(f"eGFR {e.value} mL/min/1.73 m² by {CKD_EPI_2021}, from creatinine "
                       f"{fmt(facts.labs.creatinine_umol_l)} µmol/L, age {facts.age}, sex {facts.sex}")
    else:
        missing += e.missing
    bsa = None
    if facts.weight_kg is not None and facts.height_cm is not None:
        bsa = bsa_mosteller(facts.weight_kg, facts.height_cm)
        working.append(f"BSA {bsa} m² by Mosteller: sqrt({fmt(facts.height_cm)} cm × {fmt(facts.weight_kg)} kg / 3600)")
    else:
        missing += [p for p, v in (("weight_kg", facts.weight_kg), ("height_cm", facts.height_cm)) if v is None]
    flc = free_light_chains(facts.labs.flc_kappa_mg_l, facts.labs.flc_lambda_mg_l)
    if flc.involved_mg_l is not None:
        ratio = "undefined (lambda 0)" if flc.ratio is None else str(flc.ratio)
        working.append(f"FLC ratio kappa/lambda {fmt(facts.labs.flc_kappa_mg_l)}/{fmt(facts.labs.flc_lambda_mg_l)} = "
                       f"{ratio}; involved {flc.involved_chain} {fmt(flc.involved_mg_l)} mg/L; dFLC "
                       f"{fmt(flc.involved_mg_l)} − {fmt(flc.uninvolved_mg_l)} = {flc.dflc_mg_l} mg/L")
    return Derived(e.value, bsa, flc.ratio, flc.involved_mg_l, flc.dflc_mg_l, tuple(working), dedupe(missing))


def _default_treatment():
    from guidelines.treatment import recommend

    return recommend


def _default_supportive():
    from guidelines.supportive import supportive_care

    return supportive_care


def _unavailable(module: str, exc: ModuleNotFoundError) -> bool:
    """True when ``module`` itself is absent (a build without those rules), not one of its imports."""
    return exc.name == module


def evaluate(facts: PatientFacts, *, treatment_fn=None, supportive_fn=None) -> Evaluation:
    """The whole assessment of one patient. ``treatment_fn`` / ``supportive_fn`` default to
    guidelines.treatment.recommend and guidelines.supportive.supportive_care (imported lazily);
    for POEMS the treatment comes from guidelines.poems (Danish guideline, Behandling)."""
    derived = derive(facts)
    diagnosis = classify(facts)
    code = str(diagnosis.code)
    work = workup(facts, code)
    stage = staging(facts)
    poems = assess_poems(facts)
    follow = followup(facts, code)
    unavailable: list[str] = []
    if diagnosis.code == Code.POEMS:
        treatment = poems.treatment
    else:
        try:
            treatment_fn = treatment_fn or _default_treatment()
        except ModuleNotFoundError as exc:
            if not _unavailable("guidelines.treatment", exc):
                raise
            treatment = None
            unavailable.append("treatment rules (guidelines.treatment) are not installed: no treatment advice")
        else:
            treatment = treatment_fn(facts, diagnosis_code=code, high_risk=stage.high_risk,
                                     egfr_ml_min=derived.egfr_ml_min)
    try:
        supportive_fn = supportive_fn or _default_supportive()
    except ModuleNotFoundError as exc:
        if not _unavailable("guidelines.supportive", exc):
            raise
        supportive = ()
        unavailable.append("supportive-care rules (guidelines.supportive) are not installed: no supportive care")
    else:
        supportive = tuple(supportive_fn(facts, diagnosis_code=code,
                                         setting=treatment.setting if treatment else "NONE",
                                         egfr_ml_min=derived.egfr_ml_min))
    citations = list(diagnosis.citations) + list(work.citations) + list(stage.citations) + list(poems.citations)
    ambiguities = list(diagnosis.ambiguities) + list(work.ambiguities) + list(stage.ambiguities)
    missing = list(diagnosis.missing) + list(work.missing) + list(stage.missing) + list(derived.missing)
    if poems.screen_positive or poems.criteria_met:
        missing += poems.missing
    if treatment is not None:
        citations += treatment.citations
        ambiguities += treatment.ambiguities
        missing += treatment.missing
    if follow is not None:
        citations += follow.citations
        ambiguities += follow.ambiguities
        missing += follow.missing
    citations += [i.citation for i in supportive]
    reasons = [f"diagnosis {code}", f"workup tier {work.tier}", f"ISS {stage.iss.stage}, R-ISS {stage.r_iss.stage}, "
               f"R2-ISS {stage.r2_iss.stage}, high risk {stage.high_risk}"]
    if treatment is not None:
        reasons.append(f"treatment setting {treatment.setting}")
    reasons += unavailable
    return Evaluation(
        guideline_versions=dict(VERSIONS), derived=derived, diagnosis=diagnosis, workup=work, staging=stage,
        treatment=treatment, poems=poems, followup=follow, supportive_care=supportive,
        citations=_unique_sections(citations),
        ambiguities=dedupe(ambiguities), missing=dedupe(missing), reasons=tuple(reasons),
    )


def _unique_sections(citations) -> tuple[Citation, ...]:
    """One citation per document + section (details dropped), in first-seen order."""
    seen = dedupe((c.document, c.section) for c in citations)
    return tuple(Citation(doc, section) for doc, section in seen)
