"""«Behandling ved nyresvikt»: renal failure and the doses that follow the eGFR.

Source: Handlingsprogram for myelomatose 1.2, "Behandling ved nyresvikt" («Lenalidomid gis i en dose på 15 mg
daglig hvis eGFR <30, og i 25 mg daglig hvis >30, men krever initialt tett oppfølging av kreatinin og
celletall»; the drugs used without dose reduction) and the HMAS table's «Ved eGFR <30 ml/min: 140 mg/m2».
The doses and thresholds are not written here: each comes from the protocol of the regimen offered (its
drug line and renal rule in the library, guidelines.library), so the advice and the dosing sheet say the same.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from guidelines.library import DrugLineInfo, Library, RegimenInfo, RuleInfo, drugs_of
from guidelines.rules import fmt
from guidelines.sources import Ambiguity, myeloma
from guidelines.treatment.common import S_RENAL, Builder

HMAS = "Mel-HMAS"
# «Behandling ved nyresvikt»: used without dose reduction, and the eGFR below which that is said.
RENAL_NO_REDUCTION = (
    "bortezomib", "bendamustine", "carfilzomib", "pomalidomide", "daratumumab", "isatuximab", "teclistamab",
    "elranatamab", "belantamab mafodotin",
)
RENAL_FAILURE_EGFR = 30
FOLLOW_UP = "close follow-up of creatinine and blood counts initially"
STEM_CELLS = "stem cells day 0 (minimum 2.0 × 10^6 CD34+ cells/kg)"


@dataclass(frozen=True)
class LenalidomideDose:
    """Lenalidomide daily dose by eGFR in one regimen (Behandling ved nyresvikt), by its protocol."""

    dose_mg: float | None
    working: str
    ambiguity: Ambiguity | None = None
    missing: tuple[str, ...] = ()


def renal_rule(line: DrugLineInfo | None) -> RuleInfo | None:
    """The drug line's renal rule that lowers the dose below an eGFR threshold (None without one)."""
    if line is None:
        return None
    return next((rule for rule in line.rules
                 if rule.kind == "renal" and rule.comparison == "below" and rule.dose is not None), None)


def lenalidomide_renal_dose(egfr_ml_min: float | None, regimen: RegimenInfo) -> LenalidomideDose:
    """Behandling ved nyresvikt, with the standard dose, the reduced dose and the threshold of the regimen's
    protocol (its lenalidomide line and renal rule). An eGFR exactly at a threshold the guideline leaves
    undefined («eGFR <30 … >30») takes the side the protocol's ``at_boundary`` names and is shown with the
    protocol's own words (source text and interpretation). A protocol without a checked lenalidomide dose
    (a draft) gives none."""
    missing = ("labs.egfr_ml_min",) if egfr_ml_min is None else ()
    line = regimen.line_of("lenalidomide")
    if line is None or line.dose is None:
        return LenalidomideDose(None, f"the {regimen.code} protocol gives no checked lenalidomide dose yet "
                                f"({regimen.status}); the dose by eGFR follows its renal rule once a pharmacist "
                                "completes and activates it", missing=missing)
    standard = fmt(line.dose)
    rule = renal_rule(line)
    if rule is None:
        return LenalidomideDose(line.dose, f"the {regimen.code} protocol gives lenalidomide {standard} mg daily and "
                                "no renal rule; check the dose against the eGFR, with " + FOLLOW_UP, missing=missing)
    reduced, threshold = fmt(rule.dose), fmt(rule.threshold)
    if egfr_ml_min is None:
        return LenalidomideDose(None, f"eGFR unknown: lenalidomide dose ({reduced} or {standard} mg) cannot be "
                                "chosen", missing=missing)
    if egfr_ml_min < rule.threshold:
        return LenalidomideDose(rule.dose, f"eGFR {egfr_ml_min:g} < {threshold} mL/min → lenalidomide {reduced} mg "
                                f"daily; {FOLLOW_UP}")
    if egfr_ml_min > rule.threshold or not rule.boundary_undefined:
        sign = ">" if egfr_ml_min > rule.threshold else "≥"
        return LenalidomideDose(line.dose, f"eGFR {egfr_ml_min:g} {sign} {threshold} mL/min → lenalidomide "
                                f"{standard} mg daily; {FOLLOW_UP}")
    ambiguity = Ambiguity(myeloma(S_RENAL), rule.source_text, rule.boundary_interpretation)
    if rule.at_boundary == "rule":
        return LenalidomideDose(rule.dose, f"eGFR {egfr_ml_min:g} mL/min (boundary) → lenalidomide {reduced} mg "
                                f"daily, as the protocol takes its renal rule at the boundary; {FOLLOW_UP}", ambiguity)
    return LenalidomideDose(line.dose, f"eGFR {egfr_ml_min:g} mL/min (boundary) → lenalidomide {standard} mg daily, "
                            f"as the dosing tables reduce only 'Ved eGFR <{threshold}'; {FOLLOW_UP}", ambiguity)


def renal_notes(b: Builder, egfr_ml_min: float | None, library: Library, offered: Iterable[str]) -> None:
    """Behandling ved nyresvikt, applied to the options offered: the drugs used without dose reduction when
    eGFR < 30, and the lenalidomide dose of each offered regimen that contains lenalidomide (one note when
    their protocols agree, else one per protocol)."""
    if egfr_ml_min is not None and egfr_ml_min < RENAL_FAILURE_EGFR:
        b.notes.append(
            f"Renal failure (eGFR < {RENAL_FAILURE_EGFR}): {', '.join(RENAL_NO_REDUCTION[:-1])} and "
            f"{RENAL_NO_REDUCTION[-1]} are used without dose reduction. Treat at least as well as patients without "
            "renal failure, aim for triplets, avoid unnecessary dose reduction, and raise the dose if tolerated."
        )
        b.cite(myeloma(S_RENAL))
    by_working: dict[str, tuple[LenalidomideDose, list[str]]] = {}
    for code in dict.fromkeys(offered):
        if "lenalidomide" in drugs_of(library, code):
            dose = lenalidomide_renal_dose(egfr_ml_min, library[code])
            by_working.setdefault(dose.working, (dose, []))[1].append(code)
    for working, (dose, codes) in by_working.items():
        which = "" if len(by_working) == 1 else f" ({', '.join(codes)})"
        b.notes.append(f"Lenalidomide{which}: {working}.")
        b.cite(myeloma(S_RENAL))
        for path in dose.missing:
            b.lack(path)
        if dose.ambiguity and dose.ambiguity not in b.ambiguities:
            b.ambiguities.append(dose.ambiguity)


def melphalan_note(library: Library, egfr_ml_min: float | None) -> str:
    """High-dose melphalan with stem cell support (the HMAS table): the dose on day −1 by eGFR, from the
    Mel-HMAS protocol's melphalan line and renal rule, with the hours to reinfusion its rule asks for."""
    regimen = library.get(HMAS)
    line = regimen.line_of("melphalan") if regimen is not None else None
    rule = renal_rule(line)
    if line is None or line.dose_text is None or rule is None:
        return (f"{HMAS}: high-dose melphalan day −1, {STEM_CELLS}; the dose and its renal rule are the {HMAS} "
                "protocol's, which the library does not hold in an active version.")
    standard, reduced, threshold = line.dose_text, line.rule_dose_text(rule), fmt(rule.threshold)
    if egfr_ml_min is None:
        return f"{HMAS}: melphalan {standard} day −1 ({reduced} if eGFR < {threshold} — eGFR unknown), {STEM_CELLS}."
    if egfr_ml_min < rule.threshold:
        hours = rule.min_hours_to_next_event
        wait = f" and at least {hours} hours from end of melphalan to reinfusion" if hours else ""
        return f"{HMAS}: eGFR {egfr_ml_min:g} < {threshold} → melphalan {reduced} day −1{wait}; {STEM_CELLS}."
    return f"{HMAS}: eGFR {egfr_ml_min:g} ≥ {threshold} → melphalan {standard} day −1, {STEM_CELLS}."
