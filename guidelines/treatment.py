"""Treatment setting and regimen options from the Norwegian myeloma action programme.

Source: Handlingsprogram for myelomatose (Norsk myelomatosegruppe) 1.2, 2025-11, chapter
"Behandling" and its sections (each rule below names its own). Pure Python, no Django.

The engine recommends, it does not decide: every option carries its citation, every
advice its reasons, the facts it lacked (JSON paths of the evaluate request) and the
places where the guideline leaves a boundary open (``Ambiguity``: source text +
interpretation used).
"""

from dataclasses import dataclass, replace
from enum import StrEnum

from guidelines.advice import Option, TreatmentAdvice
from guidelines.diagnosis import (
    Code,
    latest_systemic_line,
    plasmacytoma_relapse,
    possible_clinical_relapse,
    progression_evidence,
    radiotherapy_only,
    systemic_lines,
)
from guidelines.facts import (
    ANTI_CD38,
    BCMA_DIRECTED,
    PROTEASOME_INHIBITORS,
    Frailty,
    PatientFacts,
    Plasmacytoma,
    Response,
    part_of_a_line,
)
from guidelines.regimen_drugs import CAR_T_WORDS, REGIMEN_DRUGS
from guidelines.sources import Ambiguity, Citation, myeloma

# Diagnosis codes (shared/contract/api-v1.md, diagnosis.code), as the diagnosis rules define them.
ACTIVE_MYELOMA = Code.ACTIVE_MYELOMA.value
SMOLDERING_MYELOMA = Code.SMOLDERING_MYELOMA.value
MGUS = Code.MGUS.value
SOLITARY_PLASMACYTOMA = Code.SOLITARY_PLASMACYTOMA.value
PLASMA_CELL_LEUKEMIA = Code.PLASMA_CELL_LEUKEMIA.value
POEMS = Code.POEMS.value
NO_PLASMA_CELL_DISORDER = Code.NO_PLASMA_CELL_DISORDER.value
INSUFFICIENT_DATA = Code.INSUFFICIENT_DATA.value
DIAGNOSIS_CODES = tuple(code.value for code in Code)

# Treatment setting codes (shared/contract/api-v1.md, treatment.setting).
OBSERVE = "OBSERVE"
FIRST_LINE_TRANSPLANT = "FIRST_LINE_TRANSPLANT"
FIRST_LINE_NON_TRANSPLANT = "FIRST_LINE_NON_TRANSPLANT"
PLASMA_CELL_LEUKEMIA_SETTING = "PLASMA_CELL_LEUKEMIA"
RELAPSE_LINE_2 = "RELAPSE_LINE_2"
RELAPSE_LINE_3 = "RELAPSE_LINE_3"
RELAPSE_LINE_4 = "RELAPSE_LINE_4"
RELAPSE_LINE_5_PLUS = "RELAPSE_LINE_5_PLUS"
SOLITARY_PLASMACYTOMA_RADIOTHERAPY = "SOLITARY_PLASMACYTOMA_RADIOTHERAPY"
POEMS_RADIOTHERAPY = "POEMS_RADIOTHERAPY"
POEMS_SYSTEMIC = "POEMS_SYSTEMIC"
NONE = "NONE"
SETTINGS = (
    OBSERVE, FIRST_LINE_TRANSPLANT, FIRST_LINE_NON_TRANSPLANT, PLASMA_CELL_LEUKEMIA_SETTING, RELAPSE_LINE_2,
    RELAPSE_LINE_3, RELAPSE_LINE_4, RELAPSE_LINE_5_PLUS, SOLITARY_PLASMACYTOMA_RADIOTHERAPY, POEMS_RADIOTHERAPY,
    POEMS_SYSTEMIC, NONE,
)

# Section headings of the seed, verbatim.
S_FOLLOW_UP = "Oppfølging av MGUS, ulmende myelomatose og plasmacytomer"
S_FIRST_LINE = "Førstegangsbehandling av myelomatose"
S_HMAS = "Pasienter som er kandidater for HMAS (<70 år)"
S_NON_HMAS = "Pasienter som ikke er kandidater for HMAS (> ca. 70 år)"
S_RENAL = "Behandling ved nyresvikt"
S_PCL = "Plasmacelleleukemi"
S_ALLO = "Allogen stamcelletransplantasjon"
S_RELAPSE = "Behandling av tilbakefall"
S_LINE2 = "Andrelinjebehandling"
S_LINE3 = "Tredjelinjebehandling"
S_LINE4 = "Fjerdelinjebehandling"
S_LINE5 = "Behandling fra 5.linje"
S_PRIMARY_REFRACTORY = "Primært refraktær sykdom"
S_CART = "Behandling med kimær antigen-reseptor T-celle (CAR-T) behandling"
S_RADIOTHERAPY = "Strålebehandling"

BISPECIFICS = frozenset({"teclistamab", "elranatamab", "talquetamab"})
# Fjerdelinjebehandling names the immunomodulators it counts: "(lenalidomid eller pomalidomid)".
LINE4_IMIDS = frozenset({"lenalidomide", "pomalidomide"})
GOOD_RESPONSES = frozenset({Response.MRD_NEGATIVE_CR, Response.SCR, Response.CR, Response.VGPR})

BELANTAMAB_CUP = (
    "Belantamab mafodotin is not reimbursed (November 2025) but is available through a Compassionate Use "
    "Program (CUP), which requires earlier use of a CD38 antibody."
)


# ---------------------------------------------------------------------------------------------
# Small helpers


class _Builder:
    """Collects the parts of one TreatmentAdvice."""

    def __init__(self, setting):
        self.setting = setting
        self.options = []
        self.notes = []
        self.reasons = []
        self.missing = []
        self.citations = []
        self.ambiguities = []

    def cite(self, citation):
        if citation not in self.citations:
            self.citations.append(citation)

    def option(self, regimen, rank, note, citation, awaiting_reimbursement=False):
        self.options.append(Option(regimen, rank, note, citation, awaiting_reimbursement))
        self.cite(citation)

    def lack(self, path):
        if path not in self.missing:
            self.missing.append(path)

    def ambiguous(self, citation, source_text, interpretation):
        self.ambiguities.append(Ambiguity(citation, source_text, interpretation))
        self.cite(citation)

    def build(self):
        return TreatmentAdvice(
            setting=self.setting,
            options=tuple(sorted(self.options, key=lambda o: o.rank)),
            notes=tuple(self.notes),
            reasons=tuple(self.reasons),
            missing=tuple(self.missing),
            citations=tuple(self.citations),
            ambiguities=tuple(self.ambiguities),
        )


def line_drugs(line):
    """Drugs of one history line: as given, else those of its contract regimen code."""
    if line.drugs:
        return frozenset(line.drugs)
    return frozenset(REGIMEN_DRUGS.get(line.regimen or "", ()))


def _is_car_t(line):
    return any(word in (line.regimen or "").lower() for word in CAR_T_WORDS)


@dataclass(frozen=True)
class History:
    """What the treatment history says, summed over all lines (Behandling av tilbakefall)."""

    exposed: frozenset
    refractory: frozenset
    intolerant: frozenset
    regimens: frozenset
    last_regimen: str | None
    previous_transplant: bool | None  # None: some line does not say
    car_t: bool

    @property
    def cd38_refractory(self):
        return bool(self.refractory & ANTI_CD38)

    @property
    def cd38_refractory_or_intolerant(self):
        return bool((self.refractory | self.intolerant) & ANTI_CD38)

    @property
    def lenalidomide_refractory(self):
        return "lenalidomide" in self.refractory

    @property
    def lenalidomide_refractory_or_intolerant(self):
        return "lenalidomide" in (self.refractory | self.intolerant)


def summarise_history(facts: PatientFacts) -> History:
    lines = sorted(facts.treatment_history, key=lambda line: line.line)
    exposed, refractory, intolerant, regimens = set(), set(), set(), set()
    for line in lines:
        exposed |= line_drugs(line)
        refractory |= set(line.refractory_to)
        intolerant |= set(line.intolerant_to)
        if line.regimen:
            regimens.add(line.regimen)
    flags = [True if line.regimen == "Mel-HMAS" else line.autologous_transplant for line in lines]
    transplant = True if any(flags) else (None if None in flags else False)
    return History(
        exposed=frozenset(exposed),
        refractory=frozenset(refractory),
        intolerant=frozenset(intolerant),
        regimens=frozenset(regimens),
        last_regimen=lines[-1].regimen if lines else None,
        previous_transplant=transplant,
        car_t=any(_is_car_t(line) for line in lines),
    )


# ---------------------------------------------------------------------------------------------
# Renal rules


@dataclass(frozen=True)
class LenalidomideDose:
    """Lenalidomide daily dose by eGFR (Behandling ved nyresvikt)."""

    dose_mg: int | None
    working: str
    ambiguity: Ambiguity | None = None
    missing: tuple[str, ...] = ()


RENAL_NO_REDUCTION = (
    "bortezomib", "bendamustine", "carfilzomib", "pomalidomide", "daratumumab", "isatuximab", "teclistamab",
    "elranatamab", "belantamab mafodotin",
)


def lenalidomide_renal_dose(egfr_ml_min: float | None) -> LenalidomideDose:
    """Behandling ved nyresvikt: "Lenalidomid gis i en dose på 15 mg daglig hvis eGFR <30, og i 25 mg daglig
    hvis >30, men krever initialt tett oppfølging av kreatinin og celletall." eGFR exactly 30 is in neither
    clause; the dosing tables (VRd, Dara-VRd, Isa-VRd) reduce only "Ved eGFR <30", so 30 gets 25 mg and the
    ambiguity is shown."""
    citation = myeloma(S_RENAL)
    if egfr_ml_min is None:
        return LenalidomideDose(None, "eGFR unknown: lenalidomide dose (15 or 25 mg) cannot be chosen",
                                missing=("labs.egfr_ml_min",))
    if egfr_ml_min < 30:
        return LenalidomideDose(15, f"eGFR {egfr_ml_min:g} < 30 mL/min → lenalidomide 15 mg daily; "
                                    "close follow-up of creatinine and blood counts initially")
    if egfr_ml_min > 30:
        return LenalidomideDose(25, f"eGFR {egfr_ml_min:g} > 30 mL/min → lenalidomide 25 mg daily; "
                                    "close follow-up of creatinine and blood counts initially")
    return LenalidomideDose(
        25,
        "eGFR 30 mL/min (boundary) → lenalidomide 25 mg daily, as the dosing tables reduce only 'Ved eGFR <30'; "
        "close follow-up of creatinine and blood counts initially",
        Ambiguity(
            citation,
            "Lenalidomid gis i en dose på 15 mg daglig hvis eGFR <30, og i 25 mg daglig hvis >30",
            "eGFR exactly 30 is in neither clause; the app uses 25 mg as in the induction tables "
            "('Ved eGFR <30: 15 mg') and asks the clinician to confirm.",
        ),
    )


def _renal_notes(b, egfr_ml_min, offers_lenalidomide):
    """Behandling ved nyresvikt, applied to the options offered."""
    if egfr_ml_min is not None and egfr_ml_min < 30:
        b.notes.append(
            "Renal failure (eGFR < 30): bortezomib, bendamustine, carfilzomib, pomalidomide, daratumumab, "
            "isatuximab, teclistamab, elranatamab and belantamab mafodotin are used without dose reduction. "
            "Treat at least as well as patients without renal failure, aim for triplets, avoid unnecessary dose "
            "reduction, and raise the dose if tolerated."
        )
        b.cite(myeloma(S_RENAL))
    if offers_lenalidomide:
        dose = lenalidomide_renal_dose(egfr_ml_min)
        b.notes.append(f"Lenalidomide: {dose.working}.")
        b.cite(myeloma(S_RENAL))
        for path in dose.missing:
            b.lack(path)
        if dose.ambiguity:
            b.ambiguities.append(dose.ambiguity)


def _refractory_warnings(b, history):
    """Behandling av tilbakefall: "Et viktig prinsipp er å bytte til eller legge til et medikament med ny
    virkningsmekanisme." The rows do not qualify every option by the drugs it contains; say where an option
    contains a drug the patient is refractory to or stopped for intolerance."""
    for option in b.options:
        bad = sorted(set(REGIMEN_DRUGS.get(option.regimen, ())) & (history.refractory | history.intolerant))
        if option.regimen == "Anti-CD38-KRd-PCL" or not bad:
            continue
        b.notes.append(
            f"{option.regimen} contains {', '.join(bad)}, to which the patient is refractory or intolerant: "
            "the guideline row does not exclude it, but its principle is to switch to or add a drug with a new "
            "mechanism of action — assess."
        )
        b.cite(myeloma(S_RELAPSE))


# ---------------------------------------------------------------------------------------------
# Entry point


def recommend(facts: PatientFacts, *, diagnosis_code: str, high_risk: bool | None,
              egfr_ml_min: float | None) -> TreatmentAdvice:
    """Treatment setting and options for one patient (Handlingsprogram for myelomatose, "Behandling").

    ``high_risk`` is the IMS/IMWG 2024 verdict (None: unknown); ``egfr_ml_min`` the eGFR used (given or
    CKD-EPI 2021), None when unknown.
    """
    if facts.treatment_history and not systemic_lines(facts):
        return _after_radiotherapy_alone(facts, diagnosis_code=diagnosis_code, high_risk=high_risk,
                                         egfr_ml_min=egfr_ml_min)
    if facts.treatment_history and diagnosis_code in (MGUS, SMOLDERING_MYELOMA, INSUFFICIENT_DATA,
                                                      NO_PLASMA_CELL_DISORDER):
        return _treated_without_progression(facts, diagnosis_code)
    if diagnosis_code in (MGUS, SMOLDERING_MYELOMA):
        return _observe(diagnosis_code)
    if diagnosis_code == SOLITARY_PLASMACYTOMA:
        return _solitary_plasmacytoma(facts)
    if diagnosis_code == POEMS:
        b = _Builder(NONE)
        b.reasons.append("POEMS syndrome: treatment follows the Danish POEMS guideline (POEMS module).")
        b.notes.append("See the POEMS assessment for radiotherapy versus systemic treatment.")
        return b.build()
    if diagnosis_code == PLASMA_CELL_LEUKEMIA and not facts.treatment_history:
        return _plasma_cell_leukemia(facts, egfr_ml_min)
    if diagnosis_code in (ACTIVE_MYELOMA, PLASMA_CELL_LEUKEMIA):
        if not facts.treatment_history:
            return _first_line(facts, high_risk=high_risk, egfr_ml_min=egfr_ml_min)
        progression = progression_evidence(facts)
        if plasmacytoma_relapse(facts) and not progression[1]:
            # a plasmacytoma without recorded progression: defining events beside it may persist from before
            # or come from the treatment — named, not counted as systemic progression
            return _plasmacytoma_relapse(facts)
        return _relapse(facts, diagnosis_code=diagnosis_code, high_risk=high_risk, egfr_ml_min=egfr_ml_min,
                        progression=progression)
    b = _Builder(NONE)
    if diagnosis_code == INSUFFICIENT_DATA:
        b.reasons.append(
            "The diagnosis could not be established from the facts given; no treatment is recommended until "
            "the facts listed as missing by the diagnosis are known."
        )
    else:
        b.reasons.append(f"Diagnosis {diagnosis_code}: no plasma cell disorder requiring treatment.")
    return b.build()


def _after_radiotherapy_alone(facts, *, diagnosis_code, high_risk, egfr_ml_min):
    """Only radiotherapy is recorded (a solitary plasmacytoma treated): no systemic line. The advice for an
    untreated patient, except that a plasmacytoma still on record is read as the treated one."""
    lines = ", ".join(f"line {line.line} ({line.regimen})" for line in facts.treatment_history)
    if diagnosis_code == SOLITARY_PLASMACYTOMA:
        b = _Builder(NONE)
        b.cite(myeloma(S_FOLLOW_UP))
        b.reasons.append(
            f"Radiotherapy is recorded ({lines}): the plasmacytoma on record is read as the treated one, followed "
            "as a plasmacytoma after treatment (Oppfølging av MGUS, ulmende myelomatose og plasmacytomer); no new "
            "radiotherapy is offered. If the lesion is new or growing, specialist review."
        )
        return b.build()
    advice = recommend(replace(facts, treatment_history=()), diagnosis_code=diagnosis_code, high_risk=high_risk,
                       egfr_ml_min=egfr_ml_min)
    return replace(advice, notes=(*advice.notes, f"Radiotherapy alone is recorded ({lines}): not a systemic line "
                                                 "of treatment; the advice is that for a patient not treated "
                                                 "systemically."))


S_RESPONSE = "Vurdering av behandlingsrespons og kontroll"
MONITORING = (
    "Response monitoring (Vurdering av behandlingsrespons og kontroll): on treatment, response is assessed at each "
    "cycle start (every 2 cycles on first-line maintenance) with the blood and urine tests of the diagnosis except "
    "β2-microglobulin; oligo- and non-secretory disease is followed with bone marrow and PET every 6 months in "
    "first line and every 3 months from the first relapse, biopsy and PET alternately; low-dose CT at each "
    "treatment start, otherwise imaging only on clinical indication (not more often than every 6 months). "
    "Measurable disease: serum M-component 10 g/L, urine M-component 200 mg/24 h, involved light chain 100 mg/L "
    "(light chains only without a measurable M-component). The guideline gives no interval for a patient off "
    "treatment."
)
CONTINUOUS = (
    "Treatment is in principle continuous («All behandling er i utgangspunktet kontinuerlig», Behandling av "
    "tilbakefall): reduced and then stopped for intolerance, not restarted because of this advice."
)


def _treated_without_progression(facts, diagnosis_code):
    """Behandling av tilbakefall: a treated patient whose record shows no progression on the latest line
    (guidelines.diagnosis.after_treatment makes those ACTIVE_MYELOMA) gets no new line: the
    response-monitoring plan, and a possible clinical relapse (a defining event of C, R, A, B) named
    as such, to be confirmed by recording the progression. «No plasma cell disorder» after treatment has
    its own wording."""
    label, evidence, _ambiguities = progression_evidence(facts)
    b = _Builder(NONE)
    b.cite(myeloma(S_RELAPSE))
    b.cite(myeloma(S_RESPONSE))
    possible = possible_clinical_relapse(facts)
    if diagnosis_code == NO_PLASMA_CELL_DISORDER:
        b.reasons.append(
            f"Treated before (latest: {label}); the current facts show no clonal marker: a deep response (judge it "
            "by table 8.2 in the response tracker), or oligo- or non-secretory disease, which is followed with bone "
            "marrow and PET. No new line is recommended from these facts."
        )
        if evidence:
            b.reasons.append("Progression is recorded on that line (" + "; ".join(evidence) + "), and no clonal "
                             "marker is found now: a relapse of oligo- or non-secretory disease is judged by bone "
                             "marrow and PET; if a later line has started, record it.")
            if facts.marrow.clonal_plasma_cells_pct is None:
                b.lack("marrow.clonal_plasma_cells_pct")
    elif possible:
        b.reasons.append(
            f"Treated before (latest: {label}): possible clinical relapse — {', '.join(possible)} on the current "
            "facts. If new or worsening, it is a clinical relapse, which is always treated (Behandling av "
            "tilbakefall): record the progression date on that line and the options of the next line are shown. "
            "Hypercalcaemia, anaemia and renal failure: check for other causes, the treatment among them."
        )
        b.lack(_progression_date_path(facts))
    else:
        b.reasons.append(
            f"Treated before (latest: {label}) with no progression recorded on that line and no clinical relapse "
            f"found: no new line is recommended. The current facts give {diagnosis_code}, a row of the diagnostic "
            "table, which describes untreated disease; relapse treatment is indicated by clinical relapse or by "
            "progressive disease (table 8.2)."
        )
        b.lack(_progression_date_path(facts))
    if diagnosis_code == INSUFFICIENT_DATA:
        b.reasons.append("Facts the diagnosis lacks are listed as missing: a new lesion among them would be a "
                         "clinical relapse.")
    b.notes += [MONITORING, CONTINUOUS]
    return b.build()


def _progression_date_path(facts):
    """The JSON path of the latest systemic line's progression date: where recorded progression counts."""
    return f"treatment_history[{facts.treatment_history.index(latest_systemic_line(facts))}].progression_date"


def _plasmacytoma_relapse(facts):
    """Strålebehandling, «Tilbakefall med plasmacytomer»: a new plasmacytoma without systemic progression."""
    last = latest_systemic_line(facts)
    b = _Builder(NONE)
    b.cite(myeloma(S_RADIOTHERAPY, "Tilbakefall med plasmacytomer"))
    b.cite(myeloma(S_RELAPSE))
    b.reasons.append(
        f"Relapse with plasmacytoma after line {last.line}, without recorded systemic progression: during "
        "treatment with good systemic control, radiotherapy and the systemic "
        "treatment continued; in a treatment pause, systemic treatment restarted and radiotherapy considered "
        "(Tilbakefall med plasmacytomer). No new line is recommended; if the disease has progressed "
        "systemically, record the progression date on that line and the next line's options are shown."
    )
    possible = possible_clinical_relapse(facts)
    if possible:
        b.reasons.append(f"Also on the current facts: {', '.join(possible)} — a clinical relapse if new or worsening "
                         "(then record the progression date); they may persist from before or come from the "
                         "treatment.")
    b.lack(_progression_date_path(facts))
    b.notes.append(MONITORING)
    return b.build()


def _observe(diagnosis_code):
    """Oppfølging av MGUS, ulmende myelomatose og plasmacytomer: no treatment, follow-up."""
    b = _Builder(OBSERVE)
    label = "MGUS" if diagnosis_code == MGUS else "Smouldering myeloma"
    b.reasons.append(f"{label}: no myeloma-defining event, so no treatment; follow up as the guideline describes.")
    b.cite(myeloma(S_FOLLOW_UP))
    return b.build()


def _solitary_plasmacytoma(facts):
    """Strålebehandling, "Solitært plasmacytom i ben" / "Ekstramedullært plasmacytom" / "Anbefalinger
    plasmacytomer": curative radiotherapy 2 Gy x 20; plasmacytoma > 5 cm: consider 2 Gy x 25."""
    b = _Builder(SOLITARY_PLASMACYTOMA_RADIOTHERAPY)
    citation = myeloma(S_RADIOTHERAPY, "Solitært plasmacytom i ben")
    b.reasons.append("True solitary plasmacytoma: radiotherapy with curative dose (Anbefalinger plasmacytomer).")
    b.option("radiotherapy-2Gy-x20", 1, "Curative radiotherapy, recommended dose 2 Gy x 20 (total 40 Gy).", citation)
    b.option("radiotherapy-2Gy-x25", 2, "Plasmacytoma > 5 cm: consider 2 Gy x 25 (total 50 Gy). Size is not "
             "among the facts: the clinician checks it.", citation)
    b.notes.append("Supplementary systemic treatment is not indicated in asymptomatic disease.")
    b.notes.append("If more lesions or myeloma are found, systemic treatment as for myeloma comes first.")
    if facts.imaging.plasmacytoma == Plasmacytoma.EXTRAMEDULLARY:
        b.notes.append(
            "Extramedullary plasmacytoma: treated like the others; where the tumour was completely removed "
            "surgically the benefit of radiotherapy can be discussed — in doubt, give curative doses. "
            "PET-CT at diagnosis."
        )
        b.cite(myeloma(S_RADIOTHERAPY, "Ekstramedullært plasmacytom"))
    return b.build()


def _plasma_cell_leukemia(facts, egfr_ml_min):
    """Plasmacelleleukemi: anti-CD38 + KRd induction, tandem HMAS, double maintenance anti-CD38 +
    lenalidomide; allogeneic transplant for selected patients."""
    b = _Builder(PLASMA_CELL_LEUKEMIA_SETTING)
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
    _allo_notes(b, facts, pcl=True)
    _renal_notes(b, egfr_ml_min, offers_lenalidomide=True)
    return b.build()


# ---------------------------------------------------------------------------------------------
# First line


def _first_line(facts, *, high_risk, egfr_ml_min):
    """Førstegangsbehandling av myelomatose: "Pasienter <70 år tilbys høydose kjemoterapi med autolog
    stamcellestøtte (HMAS) med mindre det foreligger kontraindikasjoner for dette." """
    if facts.age < 70 and facts.transplant_contraindication is not True:
        return _first_line_transplant(facts, high_risk=high_risk, egfr_ml_min=egfr_ml_min)
    return _first_line_non_transplant(facts, egfr_ml_min=egfr_ml_min)


def _first_line_transplant(facts, *, high_risk, egfr_ml_min):
    """Pasienter som er kandidater for HMAS (<70 år): induction, harvest, HMAS, maintenance."""
    b = _Builder(FIRST_LINE_TRANSPLANT)
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
    b.notes.append("Stem cell harvest after induction cycle 3 (Cy-mobilisation: cyclophosphamide 2 g/m² + "
                   "mesna + G-CSF, or G-CSF alone per local routine); if daratumumab was given, at least 4 weeks "
                   "between the last daratumumab dose and harvest. Then the last three induction cycles.")
    if egfr_ml_min is None:
        b.lack("labs.egfr_ml_min")
        b.notes.append("Mel-HMAS: melphalan 200 mg/m² day −1 (140 mg/m² if eGFR < 30 — eGFR unknown), "
                       "stem cells day 0 (minimum 2.0 × 10^6 CD34+ cells/kg).")
    elif egfr_ml_min < 30:
        b.notes.append(f"Mel-HMAS: eGFR {egfr_ml_min:g} < 30 → melphalan 140 mg/m² day −1 and at least 48 hours "
                       "from end of melphalan to reinfusion; stem cells day 0 (minimum 2.0 × 10^6 CD34+ cells/kg).")
    else:
        b.notes.append(f"Mel-HMAS: eGFR {egfr_ml_min:g} ≥ 30 → melphalan 200 mg/m² day −1, stem cells day 0 "
                       "(minimum 2.0 × 10^6 CD34+ cells/kg).")
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
    _primary_refractory_notes(b)
    _allo_notes(b, facts, pcl=False)
    _renal_notes(b, egfr_ml_min, offers_lenalidomide=True)
    return b.build()


def _first_line_non_transplant(facts, *, egfr_ml_min):
    """Pasienter som ikke er kandidater for HMAS (> ca. 70 år): 70–80 Dara-VRd / Isa-VRd; > 80 and fit the
    same with less/no dexamethasone; frail DRd (dara/isa-Rd), anti-CD38 monotherapy an alternative."""
    b = _Builder(FIRST_LINE_NON_TRANSPLANT)
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
        for code, antibody in (("Dara-VRd", "Daratumumab"), ("Isa-VRd", "Isatuximab")):
            b.option(code, 1, f"{antibody}, bortezomib, lenalidomide, dexamethasone, continuous (28-day cycles "
                     f"until progression or unacceptable toxicity).{dex}", citation)
    b.notes.append("Treat until progression, then switch to the next appropriate regimen (Primært refraktær "
                   "sykdom).")
    b.cite(myeloma(S_PRIMARY_REFRACTORY))
    _renal_notes(b, egfr_ml_min, offers_lenalidomide=True)
    return b.build()


def _primary_refractory_notes(b):
    """Primært refraktær sykdom, the three rows for transplant candidates."""
    b.notes.append("Primary refractory disease: progression early in induction → switch induction and involve an "
                   "expert; progression late in induction → go quickly to HMAS; no progression but suboptimal "
                   "response → complete 6 induction cycles and go quickly to HMAS.")
    b.cite(myeloma(S_PRIMARY_REFRACTORY))


# ---------------------------------------------------------------------------------------------
# Allogeneic transplant


@dataclass(frozen=True)
class ProgressionBeforeHmas:
    """Whether line 1 shows progression before any HMAS (Allogen stamcelletransplantasjon, «progresjon før
    HMAS»), read from the facts of line 1: met (True / False / None), the working and the facts lacking."""

    met: bool | None
    reason: str
    missing: tuple[str, ...] = ()


def progression_before_hmas(facts: PatientFacts) -> ProgressionBeforeHmas:
    """Inferred from treatment line 1 (the induction), as far as the facts allow:

    - best response PD on line 1: never responded, so progression during induction, before HMAS;
    - line 1 without HMAS (autologous_transplant false) and refractory to a line-1 drug: progression during
      induction, before any HMAS;
    - line 1 with HMAS and a best response other than PD: no sign of progression before HMAS (a line-1
      refractoriness may come from maintenance after HMAS, so it does not count);
    - line 1 without HMAS and not refractory: no progression on line 1;
    - otherwise unknown, naming the line-1 fact that would decide it.
    """
    first = [(i, line) for i, line in enumerate(facts.treatment_history) if line.line == 1]
    if not first:
        if facts.treatment_history:
            return ProgressionBeforeHmas(None, "treatment line 1 is not in the history", ("treatment_history",))
        return ProgressionBeforeHmas(None, "no treatment history")
    index, line = first[0]
    transplant = True if line.regimen == "Mel-HMAS" else line.autologous_transplant
    if line.best_response == Response.PD:
        return ProgressionBeforeHmas(True, "line 1 best response PD: progression during induction, before HMAS")
    if transplant is False and line.refractory_to:
        return ProgressionBeforeHmas(True, "line 1 without HMAS, refractory to " + ", ".join(line.refractory_to)
                                     + ": progression during induction, before any HMAS")
    if transplant is False:
        return ProgressionBeforeHmas(False, "line 1 without HMAS and without refractoriness: no progression before "
                                     "HMAS recorded")
    if transplant is None:
        return ProgressionBeforeHmas(None, "whether line 1 included HMAS is not known",
                                     (f"treatment_history[{index}].autologous_transplant",))
    if line.best_response is None:
        return ProgressionBeforeHmas(None, "line 1 with HMAS: the best response on line 1 (PD = progression before "
                                     "HMAS) is not known", (f"treatment_history[{index}].best_response",))
    return ProgressionBeforeHmas(False, f"line 1 with HMAS, best response {line.best_response}: no progression "
                                 "before HMAS recorded")


def allo_criteria(facts: PatientFacts, *, pcl: bool) -> tuple[tuple[str, bool | None], ...]:
    """Allogen stamcelletransplantasjon, "Anbefaling": age < 55; aggressive disease (progression before HMAS
    or within 6 months after HMAS, or plasma cell leukaemia); at least VGPR on 1st- or 2nd-line treatment.
    Returns (criterion, met?) with None where the facts do not say. Progression before HMAS is inferred from
    line 1 (``progression_before_hmas``)."""
    age_ok = facts.age < 55
    months = [line.months_from_transplant_to_progression for line in facts.treatment_history
              if line.months_from_transplant_to_progression is not None]
    before = progression_before_hmas(facts).met
    transplanted = [line for line in facts.treatment_history
                    if line.autologous_transplant or line.regimen == "Mel-HMAS"]
    after_unknown = any(line.months_from_transplant_to_progression is None for line in transplanted)
    aggressive: bool | None
    if pcl or any(m <= 6 for m in months) or before:
        aggressive = True
    elif before is False and not after_unknown:
        aggressive = False
    else:
        aggressive = None
    responses = [line.best_response for line in facts.treatment_history if line.line in (1, 2)]
    if any(r in GOOD_RESPONSES for r in responses):
        vgpr: bool | None = True
    elif responses and all(r is not None for r in responses):
        vgpr = False
    else:
        vgpr = None
    return (
        (f"age {facts.age} < 55", age_ok),
        ("aggressive disease (progression before or within 6 months after HMAS, or plasma cell leukaemia)",
         aggressive),
        ("at least VGPR on 1st- or 2nd-line treatment", vgpr),
    )


def _allo_notes(b, facts, *, pcl):
    """Notes only when age and aggressive disease are met; the response criterion may still be open."""
    (age_name, age_ok), (aggr_name, aggressive), (vgpr_name, vgpr) = allo_criteria(facts, pcl=pcl)
    if not age_ok:
        return
    if aggressive is None:
        for index, line in enumerate(facts.treatment_history):
            if (line.autologous_transplant or line.regimen == "Mel-HMAS") \
                    and line.months_from_transplant_to_progression is None:
                b.lack(f"treatment_history[{index}].months_from_transplant_to_progression")
        before = progression_before_hmas(facts)
        for path in before.missing:
            b.lack(path)
        if facts.treatment_history:
            b.reasons.append(f"Allogeneic transplant: aggressive disease undecided ({before.reason}).")
        return
    if not aggressive:
        return
    if vgpr:
        b.notes.append(f"Allogeneic stem cell transplantation criteria met ({age_name}; {aggr_name}; {vgpr_name}): "
                       "discuss with the national transplant group.")
    else:
        b.notes.append(f"Allogeneic stem cell transplantation may come into question ({age_name}; {aggr_name}): "
                       f"requires {vgpr_name} when going to allogeneic transplantation.")
    b.cite(myeloma(S_ALLO, "Anbefaling"))


# ---------------------------------------------------------------------------------------------
# Relapse


def next_line_number(facts):
    """The number of the next line: the highest recorded systemic line + 1, where mobilisation, HMAS and
    maintenance recorded as lines of their own count as part of their induction's line, and radiotherapy
    alone is not a line."""
    systemic = systemic_lines(facts)
    counted = [line for line in systemic if not part_of_a_line(line)] or list(systemic)
    top = max(line.line for line in counted)
    folded = {line.line for line in facts.treatment_history if line.line < top
              and (radiotherapy_only(line) or part_of_a_line(line))}
    return top + 1 - len(folded)


def _relapse(facts, *, diagnosis_code, high_risk, egfr_ml_min, progression):
    """Behandling av tilbakefall: the line is the highest previous systemic line + 1 (``next_line_number``);
    ``progression`` is ``progression_evidence(facts)``."""
    history = summarise_history(facts)
    line_no = next_line_number(facts)
    setting = {2: RELAPSE_LINE_2, 3: RELAPSE_LINE_3, 4: RELAPSE_LINE_4}.get(line_no, RELAPSE_LINE_5_PLUS)
    b = _Builder(setting)
    b.cite(myeloma(S_RELAPSE))
    b.reasons.append(f"Treatment history up to line {line_no - 1}: this is line {line_no}.")
    _numbering_notes(b, facts)
    label, evidence, _ambiguities = progression
    if not evidence:
        b.notes.append(
            f"No progression is recorded on {label}: these options assume a clinical relapse — the defining "
            "events new or worsening (Behandling av tilbakefall). If they persist from before or come from the "
            "treatment, continue the current treatment and assess the response at each cycle start (Vurdering "
            "av behandlingsrespons og kontroll); record the progression date on the line when it progresses."
        )
        b.lack(_progression_date_path(facts))
    if diagnosis_code == PLASMA_CELL_LEUKEMIA:
        b.reasons.append("Plasma cell leukaemia after earlier treatment: the first-line PCL rule covers untreated "
                         "(primary) PCL only; relapse rules are applied.")
    _history_gaps(b, facts)
    if history.refractory:
        b.reasons.append("Refractory (progression on or within 60 days of stopping) to: "
                         + ", ".join(sorted(history.refractory)) + ".")
    if history.intolerant:
        b.reasons.append("Stopped for intolerance: " + ", ".join(sorted(history.intolerant)) + ".")
    triple_refractory = history.cd38_refractory and {"carfilzomib", "pomalidomide"} <= history.refractory
    if line_no < 4 and triple_refractory:
        b.reasons.append("Refractory to a CD38 antibody, carfilzomib and pomalidomide: bispecific antibody even "
                         "before 4th line, as there are no other documented alternatives (Fjerdelinjebehandling).")
        _bispecific_options(b)
    elif line_no == 2:
        _line2(b, history, citation=myeloma(S_LINE2))
    elif line_no == 3:
        _line3(b, history)
    elif line_no == 4:
        _line4(b, facts, history)
    else:
        _line5_plus(b, facts, history, line_no)
    _relapse_transplant_note(b, facts, history)
    _allo_notes(b, facts, pcl=diagnosis_code == PLASMA_CELL_LEUKEMIA)
    _refractory_warnings(b, history)
    offers_len = any("lenalidomide" in REGIMEN_DRUGS.get(o.regimen, ()) for o in b.options)
    _renal_notes(b, egfr_ml_min, offers_lenalidomide=offers_len)
    if high_risk is True:
        b.notes.append("IMS/IMWG high-risk disease: not prioritised for CAR-T if it is introduced (CAR-T section).")
    return b.build()


def _numbering_notes(b, facts):
    """Say how the next line's number was counted where the recorded numbering looks off."""
    numbers = sorted(line.line for line in facts.treatment_history)
    if numbers != list(range(1, len(numbers) + 1)):
        b.notes.append("The recorded line numbers are " + ", ".join(map(str, numbers)) + ", not consecutive from 1: "
                       "the next line is counted from the highest; correct the numbering if a line is missing or "
                       "misnumbered.")
    parts = [f"line {line.line} ({line.regimen})" for line in facts.treatment_history if part_of_a_line(line)]
    if parts:
        b.notes.append("Mobilisation, high-dose melphalan with stem cell support and maintenance belong to the line "
                       "of their induction; read as such and counted as part of the line before them: "
                       + ", ".join(parts) + ". If one of these was a new regimen, record its drugs or regimen code.")
    radiotherapy = [f"line {line.line}" for line in facts.treatment_history if radiotherapy_only(line)]
    if radiotherapy:
        b.notes.append("Read as radiotherapy alone and not counted, radiotherapy is not a systemic line of "
                       "treatment: " + ", ".join(radiotherapy) + ". If drugs were given, record them.")


def _history_gaps(b, facts):
    """Facts the relapse rules need from each line: its drugs; for the latest line, whether the patient was
    refractory (an empty list is read as 'not refractory' and listed so it can be confirmed)."""
    lines = sorted(((i, line) for i, line in enumerate(facts.treatment_history) if not radiotherapy_only(line)),
                   key=lambda pair: pair[1].line)
    for index, line in lines:
        if not line_drugs(line):
            b.lack(f"treatment_history[{index}].drugs")
    index, last = lines[-1]
    if not last.refractory_to and not last.intolerant_to:
        b.lack(f"treatment_history[{index}].refractory_to")
        b.reasons.append(f"Line {last.line} records no refractoriness or intolerance: read as neither — confirm "
                         "(refractory = progression on or within 60 days of stopping a drug or regimen).")


def _line2_rows(history):
    """Andrelinjebehandling, the three rows. Returns (row id, [(regimen, rank)]) or (None, []) for a gap."""
    len_ri = history.lenalidomide_refractory_or_intolerant
    if len_ri and not history.cd38_refractory:
        return "lenalidomide-refractory-or-intolerant-not-CD38-refractory", [("BVd", 1), ("Isa-Kd", 2)]
    if not len_ri and not history.cd38_refractory_or_intolerant:
        return "neither-CD38-nor-lenalidomide-refractory-or-intolerant", [("DRd", 1), ("BPd", 1)]
    if history.lenalidomide_refractory and history.cd38_refractory:
        return "refractory-to-CD38-and-lenalidomide", [("BVd", 1)]
    return None, []


LINE2_ROW_TEXT = {
    "lenalidomide-refractory-or-intolerant-not-CD38-refractory":
        "Refractory to or stopped for intolerance of lenalidomide, not refractory to a CD38 antibody: "
        "1st choice BVd, 2nd choice Isa-Kd.",
    "neither-CD38-nor-lenalidomide-refractory-or-intolerant":
        "Neither refractory/intolerant to a CD38 antibody nor to lenalidomide: DRd or BPd.",
    "refractory-to-CD38-and-lenalidomide": "Refractory to a CD38 antibody and lenalidomide: BVd.",
}
LINE2_SOURCE = (
    "• Hvis refraktær mot lenalidomid, eller har stoppet behandling grunnet intoleranse for lenalidomid, men ikke "
    "refraktær mot CD38-antistoff: … • Hvis ikke refraktær/intolerant mot CD38-antistoff eller lenalidomid: … "
    "• Hvis refraktær mot CD38-antistoff og lenalidomid: …"
)
LINE2_LIST = ("BVd", "Isa-Kd", "DRd", "BPd")


def _line2_option(b, history, regimen, rank, citation):
    belantamab = "belantamab mafodotin" in REGIMEN_DRUGS[regimen]
    note = {
        "BVd": "Belantamab mafodotin, bortezomib, dexamethasone (56-day cycles).",
        "Isa-Kd": "Isatuximab, carfilzomib, dexamethasone.",
        "DRd": "Daratumumab, lenalidomide, dexamethasone (as in first line).",
        "BPd": "Belantamab mafodotin, pomalidomide, dexamethasone (56-day cycles).",
    }[regimen]
    if belantamab:
        note += " " + BELANTAMAB_CUP
        if not history.exposed & ANTI_CD38:
            note += " No CD38 antibody in the history: the CUP condition is not met."
    b.option(regimen, rank, note, citation, awaiting_reimbursement=belantamab)


def _line2(b, history, *, citation):
    """Andrelinjebehandling: the row is chosen by refractoriness to lenalidomide and a CD38 antibody."""
    row, options = _line2_rows(history)
    if row:
        b.reasons.append(LINE2_ROW_TEXT[row])
        for regimen, rank in options:
            _line2_option(b, history, regimen, rank, citation)
        return
    # A combination none of the three rows covers.
    avoid = history.refractory | history.intolerant
    fitting = [r for r in LINE2_LIST if not (set(REGIMEN_DRUGS[r]) & avoid)
               and not (set(REGIMEN_DRUGS[r]) & ANTI_CD38 and avoid & ANTI_CD38)]
    b.ambiguous(citation, LINE2_SOURCE,
                "This combination of refractoriness/intolerance (" + ", ".join(sorted(avoid)) + ") is in none of "
                "the three rows; the app lists the 2nd-line regimens that contain no drug (or CD38 antibody) the "
                "patient is refractory or intolerant to, at equal rank, for the clinician to choose.")
    for regimen in fitting:
        _line2_option(b, history, regimen, 1, citation)
    if not fitting:
        b.notes.append("No 2nd-line regimen avoids the drugs the patient is refractory or intolerant to: discuss "
                       "with an expert.")


def _line3(b, history):
    """Tredjelinjebehandling: after Isa-Kd → BPd; after BVd (no CD38 antibody used) → Isa-Pd / Dara-Pd; CD38
    antibody and belantamab both used → PCd (1st), Pd (2nd), which wins over the BVd row (LINE3_BVD_INTERPRETATION);
    otherwise the best 2nd-line regimen if not yet used."""
    citation = myeloma(S_LINE3)
    used_cd38 = bool(history.exposed & ANTI_CD38)
    used_belantamab = "belantamab mafodotin" in history.exposed
    last = history.last_regimen
    if last == "Isa-Kd" and not used_belantamab:
        b.reasons.append("Isa-Kd in 2nd line → BPd in 3rd line.")
        _line2_option(b, history, "BPd", 1, citation)
        return
    if last == "BVd" and not used_cd38:
        b.reasons.append("BVd in 2nd line, no CD38 antibody used → isatuximab/daratumumab-pomalidomide-"
                         "dexamethasone in 3rd line.")
        for code, antibody in (("Isa-Pd", "Isatuximab"), ("Dara-Pd", "Daratumumab")):
            b.option(code, 1, f"{antibody}, pomalidomide, dexamethasone. The guideline gives no dosing table: "
                     "the protocol is a draft until a pharmacist completes it.", citation)
        return
    if used_cd38 and used_belantamab:
        b.reasons.append("Both a CD38 antibody and belantamab mafodotin used: PCd 1st choice, Pd 2nd choice.")
        if last == "BVd":
            b.ambiguous(citation, LINE3_BVD_SOURCE, LINE3_BVD_INTERPRETATION)
        _pcd_pd(b, citation)
        return
    row, options = _line2_rows(history)
    best = options[0][0] if options else None
    if best and best not in history.regimens:
        b.reasons.append("The best 2nd-line regimen for this refractoriness has not been used: it is used in "
                         f"3rd line ({LINE2_ROW_TEXT[row]})")
        for regimen, rank in options:
            if regimen not in history.regimens:
                _line2_option(b, history, regimen, rank, citation)
        return
    b.ambiguous(citation, "Hvis pasienter kommer til tredje linje og ikke har brukt beste regime fra "
                "andrelinjebehandlingen brukes dette … Hvis man har brukt både CD38-antistoff og belantamab "
                "mafodotin når man kommer til 3. linje anbefales: PCd … Pd",
                "None of the 3rd-line rows matches this history exactly; the app shows PCd / Pd, the "
                "3rd-line regimens that need neither a CD38 antibody nor belantamab mafodotin.")
    _pcd_pd(b, citation)


LINE3_BVD_SOURCE = (
    "• Hvis man har gitt belantamab mafodotin-bortezomib-deksametason (BVd) i 2. linje, gis isatuximab/daratumumab-"
    "pomalidomid-deksametason (Isa/D-Pd) i 3. linje. … Hvis man har brukt både CD38-antistoff og belantamab "
    "mafodotin når man kommer til 3. linje anbefales: • 1. valg: … PCd • 2. valg: … Pd"
)
LINE3_BVD_INTERPRETATION = (
    "A patient who had BVd in 2nd line and a CD38 antibody earlier fits both rows. The row written for exactly this "
    "history («brukt både CD38-antistoff og belantamab mafodotin») is applied: PCd 1st choice, Pd 2nd choice, no "
    "CD38 antibody again. BVd → Isa/D-Pd is applied only when no CD38 antibody has been used. Note that the "
    "belantamab Compassionate Use Program requires earlier CD38 antibody use, so while belantamab is given through "
    "the CUP the Isa/D-Pd row rarely applies; re-treatment with a CD38 antibody in a patient who is not refractory "
    "to it is a specialist decision the guideline does not make."
)


def _pcd_pd(b, citation):
    b.option("PCd", 1, "Pomalidomide, cyclophosphamide, dexamethasone (better PFS than Pd).", citation)
    b.option("Pd", 2, "Pomalidomide, dexamethasone (PCd without cyclophosphamide).", citation)


def _bispecific_options(b):
    """Fjerdelinjebehandling: teclistamab or elranatamab, or talquetamab (when reimbursed)."""
    citation = myeloma(S_LINE4)
    b.option("teclistamab", 1, "BCMA × CD3 bispecific antibody, step-up dosing.", citation)
    b.option("elranatamab", 1, "BCMA × CD3 bispecific antibody, step-up dosing.", citation)
    b.option("talquetamab", 2, "GPRC5D × CD3 bispecific antibody, when reimbursed.", citation,
             awaiting_reimbursement=True)


def _triple_class(history):
    return {
        "an immunomodulatory drug (lenalidomide or pomalidomide)": bool(history.exposed & LINE4_IMIDS),
        "a proteasome inhibitor (bortezomib, carfilzomib or ixazomib)": bool(history.exposed
                                                                               & PROTEASOME_INHIBITORS),
        "a CD38 antibody (daratumumab, isatuximab)": bool(history.exposed & ANTI_CD38),
    }


def _line4(b, facts, history):
    """Fjerdelinjebehandling: triple-class exposed → bispecific antibody regardless of which line 1–3 regimens
    were given."""
    classes = _triple_class(history)
    if all(classes.values()):
        b.reasons.append("Triple-class exposed (an IMiD, a proteasome inhibitor and a CD38 antibody): bispecific "
                         "antibody.")
        _bispecific_options(b)
    else:
        lacking = [name for name, ok in classes.items() if not ok]
        b.ambiguous(myeloma(S_LINE4), "Pasienter som kommer til fjerde linje og som i en av de tidligere linjene "
                    "har mottatt en immunmodulator …, en proteasomhemmer … og et CD38-antistoff … bør få "
                    "bispesifikt antistoff",
                    "Not yet exposed to " + "; ".join(lacking) + ": the 4th-line row does not apply; the app "
                    "applies the 3rd-line rules to reach the missing class first.")
        _line3(b, history)
    if facts.cytogenetics.t11_14 is True:
        b.notes.append("t(11;14): venetoclax (off-label) may be considered from 4th line at the earliest, after "
                       "local approval / the expert panel (Ekspertpanelet).")
        b.cite(myeloma(S_LINE5))


def _line5_plus(b, facts, history, line_no):
    """Behandling fra 5.linje: after (or without access to) bispecific antibodies: Elo-Pd if pomalidomide not
    tried; venetoclax-dexamethasone off-label with t(11;14); 6th line: alkylators."""
    citation = myeloma(S_LINE5)
    rank = 1
    if not history.exposed & BISPECIFICS:
        b.reasons.append("No bispecific antibody in the history: 5th-line options apply after immunotherapy or if "
                         "immunotherapy is not available.")
        _bispecific_options(b)
        rank = 3
    else:
        b.reasons.append("Bispecific antibody tried: 5th-line options.")
    fifth = 0
    if "pomalidomide" not in history.exposed:
        b.option("Elo-Pd", rank, "Elotuzumab, pomalidomide, dexamethasone — pomalidomide not tried before. The "
                 "guideline gives no dosing table: the protocol is a draft until a pharmacist completes it.",
                 citation)
        fifth += 1
    else:
        b.reasons.append("Pomalidomide already tried: Elo-Pd does not apply.")
    t11_14 = facts.cytogenetics.t11_14
    if t11_14 is True and "venetoclax" not in history.exposed:
        b.option("Ven-Dex", rank, "Venetoclax 400 mg days 1–28 + dexamethasone 40 mg weekly (> 75 years: half the "
                 "dexamethasone), 28-day cycles; off-label, only with t(11;14), earliest 4th line, after local "
                 "approval / the expert panel.", citation)
        fifth += 1
    elif t11_14 is None:
        b.lack("cytogenetics.t11_14")
        b.reasons.append("t(11;14) unknown: venetoclax-dexamethasone is only for t(11;14).")
    if line_no >= 6 or not fifth:
        alky_rank = rank + (1 if fifth else 0)
        b.reasons.append("6th line / all of the above tried: alkylators." if line_no >= 6 else
                         "No 5th-line regimen applies: alkylators (guideline: 'når alt over er prøvd').")
        for drug in ("bendamustine", "cyclophosphamide", "melphalan"):
            b.option(drug, alky_rank, f"Alkylator: {drug}. The guideline names the drug without a regimen or "
                     "dose.", citation)


def _relapse_transplant_note(b, facts, history):
    """Behandling av tilbakefall: "HMAS ved tilbakefall anbefales bare for pasienter som ikke tidligere har fått
    HMAS, og som anses å kunne tåle HMAS." """
    if history.previous_transplant is True:
        b.reasons.append("HMAS already given: no HMAS at relapse.")
        return
    if history.previous_transplant is None:
        for index, line in enumerate(facts.treatment_history):
            if line.autologous_transplant is None:
                b.lack(f"treatment_history[{index}].autologous_transplant")
    if facts.frailty is None:
        b.lack("frailty")
    if facts.frailty in (Frailty.UNFIT, Frailty.FRAIL):
        b.reasons.append("Not fit: HMAS at relapse does not apply.")
        return
    b.notes.append("HMAS at relapse only if the patient has not had HMAS before and is considered able to tolerate "
                   "it; the induction is chosen like relapse treatment and continued after HMAS.")


# ---------------------------------------------------------------------------------------------
# CAR-T


class CarTVerdict(StrEnum):
    PRIORITISED = "PRIORITISED"
    NOT_PRIORITISED = "NOT_PRIORITISED"
    INDIVIDUAL_ASSESSMENT = "INDIVIDUAL_ASSESSMENT"
    UNDETERMINED = "UNDETERMINED"  # facts missing that decide the verdict


@dataclass(frozen=True)
class CarTAssessment:
    verdict: CarTVerdict
    exclusions: tuple[str, ...]
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...]
    citation: Citation


def car_t_priority(facts: PatientFacts, *, high_risk: bool | None, extramedullary: bool | None = None,
                   diagnosis_code: str = ACTIVE_MYELOMA, egfr_ml_min: float | None = None,
                   lvef_pct: float | None = None, saturation_pct: float | None = None,
                   cirrhosis: bool | None = None) -> CarTAssessment:
    """Behandling med kimær antigen-reseptor T-celle (CAR-T) behandling, "Seleksjon av pasienter når begrenset
    kapasitet" and "Komorbiditet og organfunksjon". CAR-T is not reimbursed in Norway (not in use); this is the
    prioritisation the programme group agreed for when it is. ``extramedullary`` (true extramedullary disease,
    plasmacytomas not related to bone) defaults to ``imaging.plasmacytoma``."""
    exclusions, reasons, missing = [], [], []
    individual = False

    def unknown(path, what):
        missing.append(path)
        reasons.append(f"{what} unknown.")

    if extramedullary is None and facts.imaging.plasmacytoma is not None:
        extramedullary = facts.imaging.plasmacytoma == Plasmacytoma.EXTRAMEDULLARY
    if extramedullary:
        exclusions.append("Known extramedullary disease (plasmacytomas not related to bone).")
    elif extramedullary is None:
        unknown("imaging.plasmacytoma", "Extramedullary disease (whole-body CT required, PET-CT considered)")
    history = summarise_history(facts)
    if history.exposed & BCMA_DIRECTED or history.car_t:
        exclusions.append("Earlier BCMA-directed therapy (CAR-T, belantamab mafodotin, teclistamab, elranatamab).")
    if high_risk is True:
        exclusions.append("High-risk disease by the IMS/IMWG 2024 criteria.")
    elif high_risk is None:
        unknown("cytogenetics", "IMS/IMWG high-risk status")
    if diagnosis_code != ACTIVE_MYELOMA:
        exclusions.append(f"Not per indication ({diagnosis_code}): primary or secondary plasma cell leukaemia, "
                          "AL amyloidosis, smouldering myeloma, MGUS or solitary plasmacytomas are not prioritised.")
    if not facts.treatment_history:
        exclusions.append("No earlier treatment line: approvals are cilta-cel from 2nd line, ide-cel from 3rd line.")
    smear = facts.labs.circulating_plasma_cells_pct
    if smear is None:
        unknown("labs.circulating_plasma_cells_pct", "A recent blood smear (< 5 % plasma cells required)")
    elif smear >= 5:
        exclusions.append(f"Blood smear {smear:g} % plasma cells: < 5 % is required before referral.")
    for value, path, limit, label in (
        (egfr_ml_min, "labs.egfr_ml_min", 30, "eGFR ≥ 30 mL/min"),
        (lvef_pct, "lvef_pct", 40, "LVEF ≥ 40 % (and no or well-treated arrhythmia)"),
        (saturation_pct, "saturation_pct", 92, "Saturation ≥ 92 % on room air"),
    ):
        if value is None:
            unknown(path, label)
        elif value < limit:
            exclusions.append(f"{label} required; is {value:g}.")
    if cirrhosis:
        exclusions.append("Liver cirrhosis.")
    elif cirrhosis is None:
        unknown("cirrhosis", "Liver cirrhosis")
    if "talquetamab" in history.exposed:
        individual = True
        reasons.append("Earlier non-BCMA T-cell engaging therapy (talquetamab): individual assessment; patients "
                       "without T-cell engaging therapy are prioritised first.")
    if exclusions:
        verdict = CarTVerdict.NOT_PRIORITISED
    elif missing:
        verdict = CarTVerdict.UNDETERMINED
    elif individual:
        verdict = CarTVerdict.INDIVIDUAL_ASSESSMENT
    else:
        verdict = CarTVerdict.PRIORITISED
        reasons.append("No known extramedullary disease, no BCMA-directed therapy, not high risk, per indication, "
                       "organ function adequate.")
    notes = (
        "CAR-T (ide-cel, cilta-cel) is EMA-approved but not reimbursed in Norway, and therefore not in use.",
        "All patients must be referred to the national expert group; the patient must also meet the other "
        "CARTITUDE-4 criteria; other severe comorbidity is assessed individually.",
        "A new FISH/TP53 mutation analysis is needed after the last relapse before CAR-T assessment.",
        "Among prioritised patients: younger age, fewer drug exposures and long effect of earlier treatment weigh.",
    )
    return CarTAssessment(verdict, tuple(exclusions), tuple(reasons), tuple(missing), notes, myeloma(S_CART))


# ---------------------------------------------------------------------------------------------
# Radiotherapy


class RadiotherapyIndication(StrEnum):
    SPINAL_CORD_COMPRESSION = "spinal_cord_compression"
    PAINFUL_LESION = "painful_lesion"
    POSTOPERATIVE = "postoperative"
    UNOPERATED_FRACTURE = "unoperated_fracture"
    SPACE_OCCUPYING = "space_occupying"
    SOLITARY_PLASMACYTOMA = "solitary_plasmacytoma"
    RELAPSE_PLASMACYTOMA = "relapse_plasmacytoma"


@dataclass(frozen=True)
class RadiotherapyAdvice:
    indication: RadiotherapyIndication
    options: tuple[Option, ...]
    notes: tuple[str, ...]
    emergency: bool
    citation: Citation


def radiotherapy_advice(indication: RadiotherapyIndication | str, *,
                        on_systemic_treatment: bool | None = None) -> RadiotherapyAdvice:
    """Strålebehandling and "Situasjoner hvor strålebehandling, kirurgisk behandling og kjemoterapi vurderes opp
    mot hverandre". ``on_systemic_treatment`` is for a new plasmacytoma at relapse ("Tilbakefall med
    plasmacytomer"): during treatment with good systemic control, or in a treatment pause."""
    indication = RadiotherapyIndication(indication)
    notes, options, emergency = [], [], False
    if indication == RadiotherapyIndication.SPINAL_CORD_COMPRESSION:
        citation = myeloma(S_RADIOTHERAPY, "Truende tverrsnittslesjon")
        emergency = True
        notes += [
            "Medical emergency. Dexamethasone 40 mg × 1 started at once (40 mg daily for up to 4 days).",
            "MRI of the spine as an emergency (CT myelography if MRI is contraindicated).",
            "Transfer to a hospital with radiotherapy, preferably with neurosurgery.",
            "Radiotherapy 3 Gy × 10 started within 24 hours.",
            "Progressive symptoms, need for stabilisation, uncertain diagnosis or radiotherapy not possible: "
            "consider acute laminectomy.",
        ]
        options.append(Option("radiotherapy-3Gy-x10", 1, "3 Gy × 10, start within 24 hours.", citation))
    elif indication == RadiotherapyIndication.PAINFUL_LESION:
        citation = myeloma(S_RADIOTHERAPY, "Smertefulle lesjoner")
        notes.append("Chemotherapy or radiotherapy; radiotherapy well indicated if pain is hard to relieve with "
                     "chemotherapy or analgesics.")
        options.append(Option("radiotherapy-8Gy-x1", 1, "Single fraction 8 Gy × 1 usually suffices; may be "
                              "repeated to the same area.", citation))
        options.append(Option("radiotherapy-20-30Gy", 2, "Traditionally 20–30 Gy over 1–2 weeks.", citation))
    elif indication == RadiotherapyIndication.POSTOPERATIVE:
        citation = myeloma(S_RADIOTHERAPY, "Postoperativ strålebehandling")
        options.append(Option("radiotherapy-3Gy-x10", 1, "3 Gy × 10 after fracture surgery.", citation))
    elif indication == RadiotherapyIndication.UNOPERATED_FRACTURE:
        citation = myeloma(S_RADIOTHERAPY, "Postoperativ strålebehandling")
        notes.append("Reasonable to irradiate fractures that are not operated, although documentation is weak; the "
                     "guideline gives no dose for this situation. Fracture: surgery if orthopaedic indication.")
    elif indication == RadiotherapyIndication.SPACE_OCCUPYING:
        citation = myeloma(S_RADIOTHERAPY, "Andre romoppfyllende prosesser som truer viktige strukturer")
        options.append(Option("radiotherapy-3Gy-x10", 1, "3 Gy × 10 is usually first choice.", citation))
        notes.append("Stenting may be considered in bile ducts and urinary tract.")
    elif indication == RadiotherapyIndication.SOLITARY_PLASMACYTOMA:
        citation = myeloma(S_RADIOTHERAPY, "Solitært plasmacytom i ben")
        options.append(Option("radiotherapy-2Gy-x20", 1, "Curative: 2 Gy × 20.", citation))
        options.append(Option("radiotherapy-2Gy-x25", 2, "Plasmacytoma > 5 cm: consider 2 Gy × 25.", citation))
    else:
        citation = myeloma(S_RADIOTHERAPY, "Tilbakefall med plasmacytomer")
        if on_systemic_treatment is True:
            notes.append("New plasmacytoma during treatment with good systemic control: radiotherapy and continue "
                         "the systemic treatment.")
        elif on_systemic_treatment is False:
            notes.append("New plasmacytoma in a treatment pause: restart systemic treatment and assess whether "
                         "radiotherapy is also needed.")
        else:
            notes.append("During treatment with good systemic control: radiotherapy and continue systemic "
                         "treatment. In a treatment pause: restart systemic treatment, assess radiotherapy in "
                         "addition. (Whether the patient is on treatment is not known.)")
    notes.append("Drugs in current use can be given at the same time as radiotherapy if medically needed; "
                 "re-irradiation is usually safe if the earlier effect was good and lasting (> 6–12 months), "
                 "judged by the radiotherapy unit.")
    return RadiotherapyAdvice(indication, tuple(options), tuple(notes), emergency, citation)
