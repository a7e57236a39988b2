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
from guidelines.library import Library, drug_list
from guidelines.sources import myeloma
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


def _mobilisation(library: Library) -> str:
    """«Cy-mobilisation: cyclophosphamide 2 g/m²»: the dose from the protocol's active version."""
    regimen = library.get(MOBILISATION)
    line = regimen.line_of("cyclophosphamide") if regimen is not None else None
    dose = line.dose_text if line is not None else None
    return f"{MOBILISATION}: cyclophosphamide " + (dose if dose else "as the protocol gives it")


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
    b.reasons.append(f"Age {facts.age} < 70: offered HMAS unless contraindicated (Førstegangsbehandling).")
    if facts.transplant_contraindication is None:
        b.lack("transplant_contraindication")
        b.reasons.append("Whether HMAS is contraindicated is not known: the guideline's default for < 70 (HMAS) "
                         "is shown; confirm there is no contraindication.")
    else:
        b.reasons.append("No contraindication to HMAS.")
    b.option("VRd-induction", 1, "Recommended induction in Norway: VRd, 28-day cycles, 6 cycles before HMAS.",
             citation)
    b.ambiguous(citation, "Isatuximab (intravenøst) 10 mg/kg Syklus 1: Dag 1, 8, 15, 22 / Syklus 3 og videre: "
                "Dag 1, 15", "The Isa-VRd induction table says nothing of cycle 2. The Isa-VRd-induction protocol "
                "encodes cycle 2 as days 1 and 15 (as the guideline's other isatuximab tables: non-transplant "
                "Isa-VRd «Syklus 2-17: Dag 1, 15», Isa-Kd «Syklus 2 og videre: Dag 1, 15»), as a separate schedule "
                "block a pharmacist can change, and flags it: the physician must acknowledge it before the plan is "
                "issued.")
    for code, antibody in (("Dara-VRd-induction", "daratumumab"), ("Isa-VRd-induction", "isatuximab")):
        b.option(code, 2, f"Anti-CD38-VRd with {antibody}: the best approved induction, recommended once "
                 "reimbursed; the two CD38 antibodies are considered equivalent (choice by price).", citation,
                 awaiting_reimbursement=True)
    b.notes.append(f"Stem cell harvest after induction cycle 3 ({_mobilisation(library)} + mesna + G-CSF, or "
                   "G-CSF alone per local routine); if daratumumab was given, at least 4 weeks between the last "
                   "daratumumab dose and harvest. Then the last three induction cycles.")
    if egfr_ml_min is None:
        b.lack("labs.egfr_ml_min")
    b.notes.append(melphalan_note(library, egfr_ml_min))
    b.notes.append("Evaluate the patient 8 weeks after HMAS: tandem HMAS? (risk profile, progression before "
                   "HMAS, response to the first HMAS). No second HMAS if clonal markers did not fall after the "
                   "first (unless already in CR after induction).")
    source = "Tandem HMAS anbefales til alle pasienter med cytogenetisk høyrisk"
    if high_risk is True:
        b.notes.append("Tandem HMAS recommended: high-risk disease (also for progression during induction).")
        b.ambiguous(citation, source, "'cytogenetisk høyrisk' is read as the IMS/IMWG 2024 high-risk verdict, "
                    "which the programme adopted in 2025 (it also counts high β2-microglobulin with normal "
                    "creatinine, which is not cytogenetic).")
    else:
        if high_risk is None:
            b.lack("cytogenetics")
            b.reasons.append("High-risk status unknown: it decides tandem HMAS and double maintenance.")
        b.notes.append("Tandem HMAS is recommended for cytogenetic high risk and for progression during induction.")
    b.notes.append("Maintenance: R-maintenance (lenalidomide) started 8–14 weeks after HMAS, until progression "
                   "or unacceptable toxicity.")
    if high_risk is not False:
        b.notes.append("Genetic high risk: VR-maintenance (lenalidomide + bortezomib) if bortezomib was well "
                       "tolerated" + ("." if high_risk else " (applies only if high risk)."))
    b.notes.append("Dara-R-maintenance / Isa-R-maintenance (CD38 antibody + lenalidomide) await the decision "
                   "of Beslutningsforum (not reimbursed).")
    if facts.age < 65:
        b.notes.append("Under about 65 years: because of the risk of secondary malignancies the patient may "
                       "consider postponing HMAS to 2nd line and be treated as a non-candidate.")
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
        b.reasons.append(f"Age {age} < 70 but HMAS is contraindicated: not a transplant candidate.")
        b.ambiguous(citation, "Vi anbefaler at pasienter som er >70 år og som ikke er kandidater for HMAS "
                    "behandles som følger",
                    "The guideline gives non-transplant regimens only for patients over 70; a younger patient "
                    "with a contraindication is treated by the same rows (70–80 row; frail row if frail).")
    else:
        b.reasons.append(f"Age {age} ≥ 70: not a candidate for HMAS by age.")
        if age == 70:
            b.ambiguous(myeloma(S_FIRST_LINE), "Pasienter <70 år tilbys HMAS … Pasienter som ikke er kandidater "
                        "for HMAS (> ca. 70 år)",
                        "Age 70 is in neither '<70' nor '>70'; the app reads 70 as not < 70, so not a transplant "
                        "candidate by age, and places it in the 'mellom 70 og 80' row.")
        b.notes.append("The heading says '> ca. 70 år': the age limit is approximate; a fit patient around 70 "
                       "may be assessed individually for HMAS.")
    if facts.frailty is None:
        b.lack("frailty")
        b.reasons.append("Frailty unknown: frail patients get DRd instead of the quadruplet.")
    if facts.frailty == Frailty.FRAIL:
        b.reasons.append("Frail patient: daratumumab/isatuximab, lenalidomide, dexamethasone.")
        b.option("DRd", 1, "Daratumumab (or isatuximab), lenalidomide, dexamethasone; low threshold to remove "
                 "dexamethasone and give reduced-dose lenalidomide 15 mg.", citation)
        b.option("anti-CD38-monotherapy", 2, "Daratumumab or isatuximab monotherapy can be an alternative for "
                 "some.", citation)
    else:
        dex = ""
        if age > 80:
            if facts.frailty == Frailty.FIT:
                b.reasons.append(f"Age {age} > 80 and fit: treated as 70–80, consider reducing/removing "
                                 "dexamethasone.")
            else:
                b.ambiguous(citation, "Pasienter over 80 år som er spreke behandles på samme måte som over … "
                            "Skrøpelige pasienter behandles med daratumumab/isatuximab, lenalidomid og "
                            "deksametason",
                            "A patient over 80 who is not recorded as fit ('sprek') or frail is not covered; the "
                            "app shows the quadruplet with dexamethasone reduction and the frail-row DRd.")
                b.option("DRd", 2, "If the patient is closer to frail: DRd with low threshold to remove "
                         "dexamethasone and lenalidomide 15 mg.", citation)
            dex = " Over 80: consider reducing or removing dexamethasone."
        else:
            b.reasons.append(f"Age {age}: 'Pasienter mellom 70 og 80 år' row." if age >= 70 else
                             "Treated by the 70–80 row.")
            if age == 80:
                b.ambiguous(citation, "Pasienter mellom 70 og 80 år … Pasienter over 80 år som er spreke",
                            "Age 80 is read as within 'mellom 70 og 80' (not 'over 80'): no extra dexamethasone "
                            "reduction beyond the table's age rule.")
        for code in ("Dara-VRd", "Isa-VRd"):
            b.option(code, 1, f"{drug_list(library, code)}, continuous (28-day cycles until progression or "
                     f"unacceptable toxicity).{dex}", citation)
    b.notes.append("Treat until progression, then switch to the next appropriate regimen (Primært refraktær "
                   "sykdom).")
    b.cite(myeloma(S_PRIMARY_REFRACTORY))
    renal_notes(b, egfr_ml_min, library, [o.regimen for o in b.options])
    return b.build()


def plasma_cell_leukemia(facts: PatientFacts, *, library: Library, egfr_ml_min: float | None) -> TreatmentAdvice:
    """Plasmacelleleukemi: anti-CD38 + KRd induction, tandem HMAS, double maintenance anti-CD38 +
    lenalidomide; allogeneic transplant for selected patients."""
    b = Builder(PLASMA_CELL_LEUKEMIA_SETTING, NAMED)
    citation = myeloma(S_PCL)
    b.reasons.append("Primary plasma cell leukaemia, untreated: first-line treatment per 'Plasmacelleleukemi'.")
    b.option("Anti-CD38-KRd-PCL", 1, "Induction with an anti-CD38 monoclonal antibody (daratumumab or "
             "isatuximab) + carfilzomib, lenalidomide, dexamethasone. The guideline gives no dosing table: the "
             "protocol is a draft until a pharmacist completes it.", citation)
    b.notes.append("Tandem HMAS (harvest stem cells for two).")
    b.notes.append("Double maintenance with an anti-CD38 monoclonal antibody and lenalidomide.")
    b.notes.append("Allogeneic stem cell transplantation for selected patients (age and response after HMAS).")
    if facts.age >= 70 or facts.transplant_contraindication is True:
        b.ambiguous(citation, "Behandling i førstelinje er induksjonsbehandling med anti-CD-38 monoklonalt "
                    "antistoff+KRd, tandem HMAS og dobbelt vedlikehold",
                    "The PCL section gives one path, with tandem HMAS, and does not address patients who are not "
                    "HMAS candidates (age ≥ 70 or contraindication); it is shown as written — assess transplant "
                    "eligibility individually.")
    elif facts.transplant_contraindication is None:
        b.lack("transplant_contraindication")
    allo_notes(b, facts, HistoryReading(), pcl=True)
    renal_notes(b, egfr_ml_min, library, [o.regimen for o in b.options])
    return b.build()
