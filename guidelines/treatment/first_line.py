"""«Førstegangsbehandling av myelomatose»: the first line — transplant candidates, non-candidates and
primary plasma cell leukaemia.

Source: Handlingsprogram for myelomatose 1.2, "Førstegangsbehandling av myelomatose", "Pasienter som er
kandidater for HMAS (<70 år)", "Pasienter som ikke er kandidater for HMAS (> ca. 70 år)" and
"Plasmacelleleukemi". The course notes name the library's regimens (stem cell mobilisation, Mel-HMAS,
maintenance); their doses come from the library (guidelines.treatment.renal, ``_mobilisation``).
"""

from guidelines.advice import TreatmentAdvice
from guidelines.facts import Frailty, PatientFacts
from guidelines.history import HistoryReading
from guidelines.library import UNITS, Library, drugs_of
from guidelines.messages import Message, Quantity, Quote, gettext_noop, msg
from guidelines.sources import myeloma
from guidelines.terms import drug, leading_drugs, sentences
from guidelines.treatment.allogeneic import allo_notes
from guidelines.treatment.common import (
    FIRST_LINE_NON_TRANSPLANT,
    FIRST_LINE_TRANSPLANT,
    PLASMA_CELL_LEUKEMIA_SETTING,
    S_FIRST_LINE,
    S_HMAS,
    S_NON_HMAS,
    S_PCL,
    S_PRIMARY_REFRACTORY,
    Builder,
)
from guidelines.treatment.relapse import primary_refractory_notes
from guidelines.treatment.renal import melphalan_note, renal_notes

# The library regimens this chapter names, each with the drugs its rules and words take it to contain
# (tests/guidelines/test_library_guard.py checks them against the library), and its descriptive codes.
REGIMENS = {
    "VRd-induction": frozenset({"bortezomib", "lenalidomide", "dexamethasone"}),
    "Dara-VRd-induction": frozenset({"daratumumab", "bortezomib", "lenalidomide", "dexamethasone"}),
    "Isa-VRd-induction": frozenset({"isatuximab", "bortezomib", "lenalidomide", "dexamethasone"}),
    "Cy-mobilisation": frozenset({"cyclophosphamide", "mesna", "filgrastim"}),
    "Mel-HMAS": frozenset({"melphalan"}),
    "R-maintenance": frozenset({"lenalidomide"}),
    "VR-maintenance": frozenset({"lenalidomide", "bortezomib"}),
    "Dara-R-maintenance": frozenset({"daratumumab", "lenalidomide"}),
    "Isa-R-maintenance": frozenset({"isatuximab", "lenalidomide"}),
    "Dara-VRd": frozenset(),  # its note lists the library's drugs
    "Isa-VRd": frozenset(),
    "DRd": frozenset({"daratumumab", "lenalidomide", "dexamethasone"}),
    "Anti-CD38-KRd-PCL": frozenset({"carfilzomib", "lenalidomide", "dexamethasone"}),
}
DESCRIPTIVE = frozenset({"anti-CD38-monotherapy"})  # daratumumab or isatuximab alone: no one protocol
NAMED = frozenset(REGIMENS) | DESCRIPTIVE
MOBILISATION = "Cy-mobilisation"


def _mobilisation(library: Library) -> Message:
    """«Cy-mobilisation: cyclophosphamide 2 g/m²»: the dose from the protocol's active version."""
    regimen = library.get(MOBILISATION)
    line = regimen.line_of("cyclophosphamide") if regimen is not None else None
    if line is None or line.dose_text is None:
        return msg("first_line.mobilisation_without_dose", gettext_noop(
            "%(regimen)s: %(drug)s as the protocol gives it"), regimen=MOBILISATION, drug=drug("cyclophosphamide"))
    return msg("first_line.mobilisation_dose", gettext_noop("%(regimen)s: %(drug)s %(dose)s"), regimen=MOBILISATION,
               drug=drug("cyclophosphamide"), dose=Quantity(line.dose, UNITS.get(line.basis, line.basis)))


def _drug_list(library: Library, code: str):
    """The regimen's drugs opening a note («Daratumumab, bortezomib, …»), the code when the library lacks it."""
    return leading_drugs(drugs_of(library, code)) or code


def first_line(facts: PatientFacts, *, library: Library, high_risk: bool | None,
               egfr_ml_min: float | None) -> TreatmentAdvice:
    """Førstegangsbehandling av myelomatose: "Pasienter <70 år tilbys høydose kjemoterapi med autolog
    stamcellestøtte (HMAS) med mindre det foreligger kontraindikasjoner for dette." """
    if facts.age < 70 and facts.transplant_contraindication is not True:
        return first_line_transplant(facts, library=library, high_risk=high_risk, egfr_ml_min=egfr_ml_min)
    return first_line_non_transplant(facts, library=library, egfr_ml_min=egfr_ml_min)


def first_line_transplant(facts: PatientFacts, *, library: Library, high_risk: bool | None,
                          egfr_ml_min: float | None) -> TreatmentAdvice:
    """Pasienter som er kandidater for HMAS (<70 år): induction, harvest, HMAS, maintenance."""
    b = Builder(FIRST_LINE_TRANSPLANT, NAMED)
    citation = myeloma(S_HMAS)
    b.cite(myeloma(S_FIRST_LINE))
    b.reasons.append(msg("first_line.age_below_70_hmas", gettext_noop(
        "Age %(age)s < 70: offered HMAS unless contraindicated (Førstegangsbehandling)."), age=facts.age))
    if facts.transplant_contraindication is None:
        b.lack("transplant_contraindication")
        b.reasons.append(msg("first_line.contraindication_unknown", gettext_noop(
            "Whether HMAS is contraindicated is not known: the guideline's default for < 70 (HMAS) is shown; "
            "confirm there is no contraindication.")))
    else:
        b.reasons.append(msg("first_line.no_contraindication", gettext_noop("No contraindication to HMAS.")))
    b.option("VRd-induction", 1, msg("first_line.vrd_induction", gettext_noop(
        "Recommended induction in Norway: VRd, 28-day cycles, 6 cycles before HMAS.")), citation)
    b.ambiguous(citation, "Isatuximab (intravenøst) 10 mg/kg Syklus 1: Dag 1, 8, 15, 22 / Syklus 3 og videre: "
                "Dag 1, 15", msg("first_line.isa_vrd_cycle_2", gettext_noop(
                    "The Isa-VRd induction table says nothing of cycle 2. The Isa-VRd-induction protocol encodes "
                    "cycle 2 as days 1 and 15 (as the guideline's other isatuximab tables: non-transplant Isa-VRd "
                    "%(isa_vrd)s, Isa-Kd %(isa_kd)s), as a separate schedule block a pharmacist can change, and "
                    "flags it: the physician must acknowledge it before the plan is issued."),
                    isa_vrd=Quote("«Syklus 2-17: Dag 1, 15»"), isa_kd=Quote("«Syklus 2 og videre: Dag 1, 15»")))
    for code, antibody in (("Dara-VRd-induction", "daratumumab"), ("Isa-VRd-induction", "isatuximab")):
        b.option(code, 2, msg("first_line.anti_cd38_vrd_induction", gettext_noop(
            "Anti-CD38-VRd with %(antibody)s: the best approved induction, recommended once reimbursed; the two "
            "CD38 antibodies are considered equivalent (choice by price)."), antibody=drug(antibody)), citation,
            awaiting_reimbursement=True)
    b.notes.append(msg("first_line.stem_cell_harvest", gettext_noop(
        "Stem cell harvest after induction cycle 3 (%(mobilisation)s + mesna + G-CSF, or G-CSF alone per local "
        "routine); if daratumumab was given, at least 4 weeks between the last daratumumab dose and harvest. Then "
        "the last three induction cycles."), mobilisation=_mobilisation(library)))
    if egfr_ml_min is None:
        b.lack("labs.egfr_ml_min")
    b.notes.append(melphalan_note(library, egfr_ml_min))
    b.notes.append(msg("first_line.evaluate_after_hmas", gettext_noop(
        "Evaluate the patient 8 weeks after HMAS: tandem HMAS? (risk profile, progression before HMAS, response to "
        "the first HMAS). No second HMAS if clonal markers did not fall after the first (unless already in CR "
        "after induction).")))
    source = "Tandem HMAS anbefales til alle pasienter med cytogenetisk høyrisk"
    if high_risk is True:
        b.notes.append(msg("first_line.tandem_hmas_high_risk", gettext_noop(
            "Tandem HMAS recommended: high-risk disease (also for progression during induction).")))
        b.ambiguous(citation, source, msg("first_line.cytogenetic_high_risk_read_as_ims_imwg", gettext_noop(
            "%(words)s is read as the IMS/IMWG 2024 high-risk verdict, which the programme adopted in 2025 (it also "
            "counts high β2-microglobulin with normal creatinine, which is not cytogenetic)."),
            words=Quote("'cytogenetisk høyrisk'")))
    else:
        if high_risk is None:
            b.lack("cytogenetics")
            b.reasons.append(msg("first_line.high_risk_unknown", gettext_noop(
                "High-risk status unknown: it decides tandem HMAS and double maintenance.")))
        b.notes.append(msg("first_line.tandem_hmas_when", gettext_noop(
            "Tandem HMAS is recommended for cytogenetic high risk and for progression during induction.")))
    b.notes.append(msg("first_line.r_maintenance", gettext_noop(
        "Maintenance: R-maintenance (lenalidomide) started 8–14 weeks after HMAS, until progression or unacceptable "
        "toxicity.")))
    if high_risk is True:
        b.notes.append(msg("first_line.vr_maintenance", gettext_noop(
            "Genetic high risk: VR-maintenance (lenalidomide + bortezomib) if bortezomib was well tolerated.")))
    elif high_risk is None:
        b.notes.append(msg("first_line.vr_maintenance_if_high_risk", gettext_noop(
            "Genetic high risk: VR-maintenance (lenalidomide + bortezomib) if bortezomib was well tolerated "
            "(applies only if high risk).")))
    b.notes.append(msg("first_line.anti_cd38_r_maintenance_not_reimbursed", gettext_noop(
        "Dara-R-maintenance / Isa-R-maintenance (CD38 antibody + lenalidomide) await the decision of "
        "Beslutningsforum (not reimbursed).")))
    if facts.age < 65:
        b.notes.append(msg("first_line.under_65_may_postpone_hmas", gettext_noop(
            "Under about 65 years: because of the risk of secondary malignancies the patient may consider postponing "
            "HMAS to 2nd line and be treated as a non-candidate.")))
        b.cite(myeloma(S_FIRST_LINE))
    primary_refractory_notes(b)
    allo_notes(b, facts, HistoryReading(), pcl=False)
    renal_notes(b, egfr_ml_min, library, [o.regimen for o in b.options])
    return b.build()


def first_line_non_transplant(facts: PatientFacts, *, library: Library, egfr_ml_min: float | None) -> TreatmentAdvice:
    """Pasienter som ikke er kandidater for HMAS (> ca. 70 år): 70–80 Dara-VRd / Isa-VRd; > 80 and fit the
    same with less/no dexamethasone; frail DRd (dara/isa-Rd), anti-CD38 monotherapy an alternative."""
    b = Builder(FIRST_LINE_NON_TRANSPLANT, NAMED)
    citation = myeloma(S_NON_HMAS)
    b.cite(myeloma(S_FIRST_LINE))
    age = facts.age
    if age < 70:
        b.reasons.append(msg("first_line.below_70_contraindicated", gettext_noop(
            "Age %(age)s < 70 but HMAS is contraindicated: not a transplant candidate."), age=age))
        b.ambiguous(citation, "Vi anbefaler at pasienter som er >70 år og som ikke er kandidater for HMAS "
                    "behandles som følger",
                    msg("first_line.younger_non_candidate_rows", gettext_noop(
                        "The guideline gives non-transplant regimens only for patients over 70; a younger patient "
                        "with a contraindication is treated by the same rows (70–80 row; frail row if frail).")))
    else:
        b.reasons.append(msg("first_line.age_70_or_over", gettext_noop(
            "Age %(age)s ≥ 70: not a candidate for HMAS by age."), age=age))
        if age == 70:
            b.ambiguous(myeloma(S_FIRST_LINE), "Pasienter <70 år tilbys HMAS … Pasienter som ikke er kandidater "
                        "for HMAS (> ca. 70 år)",
                        msg("first_line.age_70_boundary", gettext_noop(
                            "Age 70 is in neither %(below)s nor %(above)s; the app reads 70 as not < 70, so not a "
                            "transplant candidate by age, and places it in the %(row)s row."),
                            below=Quote("'<70'"), above=Quote("'>70'"), row=Quote("'mellom 70 og 80'")))
        b.notes.append(msg("first_line.approximate_age_limit", gettext_noop(
            "The heading says %(heading)s: the age limit is approximate; a fit patient around 70 may be assessed "
            "individually for HMAS."), heading=Quote("'> ca. 70 år'")))
    if facts.frailty is None:
        b.lack("frailty")
        b.reasons.append(msg("first_line.frailty_unknown", gettext_noop(
            "Frailty unknown: frail patients get DRd instead of the quadruplet.")))
    if facts.frailty == Frailty.FRAIL:
        b.reasons.append(msg("first_line.frail", gettext_noop(
            "Frail patient: daratumumab/isatuximab, lenalidomide, dexamethasone.")))
        b.option("DRd", 1, msg("first_line.frail_drd", gettext_noop(
            "Daratumumab (or isatuximab), lenalidomide, dexamethasone; low threshold to remove dexamethasone and "
            "give reduced-dose lenalidomide 15 mg.")), citation)
        b.option("anti-CD38-monotherapy", 2, msg("first_line.anti_cd38_monotherapy", gettext_noop(
            "Daratumumab or isatuximab monotherapy can be an alternative for some.")), citation)
    else:
        over_80 = None
        if age > 80:
            if facts.frailty == Frailty.FIT:
                b.reasons.append(msg("first_line.over_80_fit", gettext_noop(
                    "Age %(age)s > 80 and fit: treated as 70–80, consider reducing/removing dexamethasone."),
                    age=age))
            else:
                b.ambiguous(citation, "Pasienter over 80 år som er spreke behandles på samme måte som over … "
                            "Skrøpelige pasienter behandles med daratumumab/isatuximab, lenalidomid og "
                            "deksametason",
                            msg("first_line.over_80_neither_fit_nor_frail", gettext_noop(
                                "A patient over 80 who is not recorded as fit (%(fit)s) or frail is not covered; "
                                "the app shows the quadruplet with dexamethasone reduction and the frail-row DRd."),
                                fit=Quote("'sprek'")))
                b.option("DRd", 2, msg("first_line.closer_to_frail_drd", gettext_noop(
                    "If the patient is closer to frail: DRd with low threshold to remove dexamethasone and "
                    "lenalidomide 15 mg.")), citation)
            over_80 = msg("first_line.over_80_dexamethasone", gettext_noop(
                "Over 80: consider reducing or removing dexamethasone."))
        else:
            if age >= 70:
                b.reasons.append(msg("first_line.row_70_80", gettext_noop("Age %(age)s: %(row)s row."), age=age,
                                     row=Quote("'Pasienter mellom 70 og 80 år'")))
            else:
                b.reasons.append(msg("first_line.treated_by_70_80_row", gettext_noop("Treated by the 70–80 row.")))
            if age == 80:
                b.ambiguous(citation, "Pasienter mellom 70 og 80 år … Pasienter over 80 år som er spreke",
                            msg("first_line.age_80_boundary", gettext_noop(
                                "Age 80 is read as within %(within)s (not %(over)s): no extra dexamethasone "
                                "reduction beyond the table's age rule."),
                                within=Quote("'mellom 70 og 80'"), over=Quote("'over 80'")))
        for code in ("Dara-VRd", "Isa-VRd"):
            note = msg("first_line.quadruplet_continuous", gettext_noop(
                "%(drugs)s, continuous (28-day cycles until progression or unacceptable toxicity)."),
                drugs=_drug_list(library, code))
            b.option(code, 1, sentences(note, over_80) if over_80 else note, citation)
    b.notes.append(msg("first_line.treat_until_progression", gettext_noop(
        "Treat until progression, then switch to the next appropriate regimen (Primært refraktær sykdom).")))
    b.cite(myeloma(S_PRIMARY_REFRACTORY))
    renal_notes(b, egfr_ml_min, library, [o.regimen for o in b.options])
    return b.build()


def plasma_cell_leukemia(facts: PatientFacts, *, library: Library, egfr_ml_min: float | None) -> TreatmentAdvice:
    """Plasmacelleleukemi: anti-CD38 + KRd induction, tandem HMAS, double maintenance anti-CD38 +
    lenalidomide; allogeneic transplant for selected patients."""
    b = Builder(PLASMA_CELL_LEUKEMIA_SETTING, NAMED)
    citation = myeloma(S_PCL)
    b.reasons.append(msg("first_line.primary_pcl", gettext_noop(
        "Primary plasma cell leukaemia, untreated: first-line treatment per %(section)s."),
        section=Quote("'Plasmacelleleukemi'")))
    b.option("Anti-CD38-KRd-PCL", 1, msg("first_line.pcl_induction", gettext_noop(
        "Induction with an anti-CD38 monoclonal antibody (daratumumab or isatuximab) + carfilzomib, lenalidomide, "
        "dexamethasone. The guideline gives no dosing table: the protocol is a draft until a pharmacist completes "
        "it.")), citation)
    b.notes.append(msg("first_line.pcl_tandem_hmas", gettext_noop("Tandem HMAS (harvest stem cells for two).")))
    b.notes.append(msg("first_line.pcl_double_maintenance", gettext_noop(
        "Double maintenance with an anti-CD38 monoclonal antibody and lenalidomide.")))
    b.notes.append(msg("first_line.pcl_allogeneic", gettext_noop(
        "Allogeneic stem cell transplantation for selected patients (age and response after HMAS).")))
    if facts.age >= 70 or facts.transplant_contraindication is True:
        b.ambiguous(citation, "Behandling i førstelinje er induksjonsbehandling med anti-CD-38 monoklonalt "
                    "antistoff+KRd, tandem HMAS og dobbelt vedlikehold",
                    msg("first_line.pcl_not_hmas_candidate", gettext_noop(
                        "The PCL section gives one path, with tandem HMAS, and does not address patients who are "
                        "not HMAS candidates (age ≥ 70 or contraindication); it is shown as written — assess "
                        "transplant eligibility individually.")))
    elif facts.transplant_contraindication is None:
        b.lack("transplant_contraindication")
    allo_notes(b, facts, HistoryReading(), pcl=True)
    renal_notes(b, egfr_ml_min, library, [o.regimen for o in b.options])
    return b.build()
