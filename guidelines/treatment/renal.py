"""«Behandling ved nyresvikt»: renal failure and the doses that follow the eGFR.

Source: Handlingsprogram for myelomatose 1.2, "Behandling ved nyresvikt" («Lenalidomid gis i en dose på 15 mg
daglig hvis eGFR <30, og i 25 mg daglig hvis >30, men krever initialt tett oppfølging av kreatinin og
celletall»; the drugs used without dose reduction) and the HMAS table's «Ved eGFR <30 ml/min: 140 mg/m2».
The doses and thresholds are not written here: each comes from the protocol of the regimen offered (its
drug line and renal rule in the library, guidelines.library), so the advice and the dosing sheet say the same.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from guidelines.library import UNITS, DrugLineInfo, Library, RegimenInfo, RuleInfo, drugs_of
from guidelines.messages import Message, Quantity, Term, gettext_noop, msg
from guidelines.sources import Ambiguity, myeloma
from guidelines.terms import drug, drugs
from guidelines.treatment.common import S_RENAL, Builder, beside

HMAS = "Mel-HMAS"
# «Behandling ved nyresvikt»: used without dose reduction, and the eGFR below which that is said.
RENAL_NO_REDUCTION = (
    "bortezomib", "bendamustine", "carfilzomib", "pomalidomide", "daratumumab", "isatuximab", "teclistamab",
    "elranatamab", "belantamab mafodotin",
)
RENAL_FAILURE_EGFR = 30
FOLLOW_UP = msg("renal.follow_up", gettext_noop("close follow-up of creatinine and blood counts initially"))
STEM_CELLS = msg("renal.stem_cells", gettext_noop("stem cells day 0 (minimum 2.0 × 10^6 CD34+ cells/kg)"))


@dataclass(frozen=True)
class LenalidomideDose:
    """Lenalidomide daily dose by eGFR in one regimen (Behandling ved nyresvikt), by its protocol."""

    dose_mg: float | None
    working: Message
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
        return LenalidomideDose(None, msg("renal.lenalidomide_no_checked_dose", gettext_noop(
            "the %(regimen)s protocol gives no checked lenalidomide dose yet (%(status)s); the dose by eGFR follows "
            "its renal rule once a pharmacist completes and activates it"), regimen=regimen.code,
            status=Term(regimen.status)), missing=missing)
    standard = Quantity(line.dose)
    rule = renal_rule(line)
    if rule is None:
        return LenalidomideDose(line.dose, msg("renal.lenalidomide_no_renal_rule", gettext_noop(
            "the %(regimen)s protocol gives lenalidomide %(dose)s mg daily and no renal rule; check the dose "
            "against the eGFR, with %(follow_up)s"), regimen=regimen.code, dose=standard, follow_up=FOLLOW_UP),
            missing=missing)
    reduced, threshold = Quantity(rule.dose), Quantity(rule.threshold)
    if egfr_ml_min is None:
        return LenalidomideDose(None, msg("renal.lenalidomide_egfr_unknown", gettext_noop(
            "eGFR unknown: lenalidomide dose (%(reduced)s or %(standard)s mg) cannot be chosen"), reduced=reduced,
            standard=standard), missing=missing)
    egfr = beside(egfr_ml_min, rule.threshold)
    if egfr_ml_min < rule.threshold:
        return LenalidomideDose(rule.dose, msg("renal.lenalidomide_below", gettext_noop(
            "eGFR %(egfr)s < %(threshold)s mL/min → lenalidomide %(dose)s mg daily; %(follow_up)s"), egfr=egfr,
            threshold=threshold, dose=reduced, follow_up=FOLLOW_UP))
    if egfr_ml_min > rule.threshold:
        return LenalidomideDose(line.dose, msg("renal.lenalidomide_above", gettext_noop(
            "eGFR %(egfr)s > %(threshold)s mL/min → lenalidomide %(dose)s mg daily; %(follow_up)s"), egfr=egfr,
            threshold=threshold, dose=standard, follow_up=FOLLOW_UP))
    if not rule.boundary_undefined:
        return LenalidomideDose(line.dose, msg("renal.lenalidomide_at_threshold", gettext_noop(
            "eGFR %(egfr)s ≥ %(threshold)s mL/min → lenalidomide %(dose)s mg daily; %(follow_up)s"), egfr=egfr,
            threshold=threshold, dose=standard, follow_up=FOLLOW_UP))
    ambiguity = Ambiguity(myeloma(S_RENAL), rule.source_text, rule.boundary_interpretation)
    if rule.at_boundary == "rule":
        return LenalidomideDose(rule.dose, msg("renal.lenalidomide_boundary_rule", gettext_noop(
            "eGFR %(egfr)s mL/min (boundary) → lenalidomide %(dose)s mg daily, as the protocol takes its renal rule "
            "at the boundary; %(follow_up)s"), egfr=egfr, dose=reduced, follow_up=FOLLOW_UP), ambiguity)
    return LenalidomideDose(line.dose, msg("renal.lenalidomide_boundary_standard", gettext_noop(
        "eGFR %(egfr)s mL/min (boundary) → lenalidomide %(dose)s mg daily, as the dosing tables reduce only "
        "'Ved eGFR <%(threshold)s'; %(follow_up)s"), egfr=egfr, dose=standard, threshold=threshold,
        follow_up=FOLLOW_UP), ambiguity)


def renal_notes(b: Builder, egfr_ml_min: float | None, library: Library, offered: Iterable[str]) -> None:
    """Behandling ved nyresvikt, applied to the options offered: the drugs used without dose reduction when
    eGFR < 30, and the lenalidomide dose of each offered regimen that contains lenalidomide (one note when
    their protocols agree, else one per protocol)."""
    if egfr_ml_min is not None and egfr_ml_min < RENAL_FAILURE_EGFR:
        b.notes.append(msg("renal.failure_no_dose_reduction", gettext_noop(
            "Renal failure (eGFR < %(limit)s): %(drugs)s and %(last)s are used without dose reduction. Treat at "
            "least as well as patients without renal failure, aim for triplets, avoid unnecessary dose reduction, "
            "and raise the dose if tolerated."), limit=RENAL_FAILURE_EGFR, drugs=drugs(RENAL_NO_REDUCTION[:-1]),
            last=drug(RENAL_NO_REDUCTION[-1])))
        b.cite(myeloma(S_RENAL))
    by_working: dict[str, tuple[LenalidomideDose, list[str]]] = {}
    for code in dict.fromkeys(offered):
        if "lenalidomide" in drugs_of(library, code):
            dose = lenalidomide_renal_dose(egfr_ml_min, library[code])
            by_working.setdefault(dose.working, (dose, []))[1].append(code)
    for dose, codes in by_working.values():
        if len(by_working) == 1:
            b.notes.append(msg("renal.lenalidomide_note", gettext_noop("Lenalidomide: %(working)s."),
                               working=dose.working))
        else:
            b.notes.append(msg("renal.lenalidomide_note_for_regimens", gettext_noop(
                "Lenalidomide (%(regimens)s): %(working)s."), regimens=codes, working=dose.working))
        b.cite(myeloma(S_RENAL))
        for path in dose.missing:
            b.lack(path)
        if dose.ambiguity and dose.ambiguity not in b.ambiguities:
            b.ambiguities.append(dose.ambiguity)


def melphalan_note(library: Library, egfr_ml_min: float | None) -> Message:
    """High-dose melphalan with stem cell support (the HMAS table): the dose on day −1 by eGFR, from the
    Mel-HMAS protocol's melphalan line and renal rule, with the hours to reinfusion its rule asks for."""
    regimen = library.get(HMAS)
    line = regimen.line_of("melphalan") if regimen is not None else None
    rule = renal_rule(line)
    if line is None or line.dose_text is None or rule is None:
        return msg("renal.melphalan_no_protocol", gettext_noop(
            "%(regimen)s: high-dose melphalan day −1, %(stem_cells)s; the dose and its renal rule are the "
            "%(regimen)s protocol's, which the library does not hold in an active version."), regimen=HMAS,
            stem_cells=STEM_CELLS)
    unit = UNITS.get(line.basis, line.basis)
    standard, reduced, threshold = Quantity(line.dose, unit), Quantity(rule.dose, unit), Quantity(rule.threshold)
    if egfr_ml_min is None:
        return msg("renal.melphalan_egfr_unknown", gettext_noop(
            "%(regimen)s: melphalan %(standard)s day −1 (%(reduced)s if eGFR < %(threshold)s — eGFR unknown), "
            "%(stem_cells)s."), regimen=HMAS, standard=standard, reduced=reduced, threshold=threshold,
            stem_cells=STEM_CELLS)
    egfr = beside(egfr_ml_min, rule.threshold)
    if egfr_ml_min < rule.threshold:
        hours = rule.min_hours_to_next_event
        if hours:
            return msg("renal.melphalan_reduced_with_interval", gettext_noop(
                "%(regimen)s: eGFR %(egfr)s < %(threshold)s → melphalan %(reduced)s day −1 and at least %(hours)s "
                "hours from end of melphalan to reinfusion; %(stem_cells)s."), regimen=HMAS, egfr=egfr,
                threshold=threshold, reduced=reduced, hours=hours, stem_cells=STEM_CELLS)
        return msg("renal.melphalan_reduced", gettext_noop(
            "%(regimen)s: eGFR %(egfr)s < %(threshold)s → melphalan %(reduced)s day −1; %(stem_cells)s."),
            regimen=HMAS, egfr=egfr, threshold=threshold, reduced=reduced, stem_cells=STEM_CELLS)
    return msg("renal.melphalan_standard", gettext_noop(
        "%(regimen)s: eGFR %(egfr)s ≥ %(threshold)s → melphalan %(standard)s day −1, %(stem_cells)s."),
        regimen=HMAS, egfr=egfr, threshold=threshold, standard=standard, stem_cells=STEM_CELLS)
