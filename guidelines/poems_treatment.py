"""POEMS syndrome, the treatment choice: Quick guide items 4–7, "Strålebehandling" (with progression after
radiotherapy), "Systemisk behandling", "Tromboseprofylakse" and "Relaps behandling" of the Danish guideline
(DMSG/DMCG, December 2023). guidelines.poems gives it once the criteria are met.
"""

import calendar
from datetime import date

from guidelines.advice import Option, TreatmentAdvice
from guidelines.facts import Frailty, PatientFacts, TreatmentLine
from guidelines.history import radiotherapy_only
from guidelines.messages import Quantity, Quote, Term, gettext_noop, msg
from guidelines.rules import dedupe
from guidelines.sources import ambiguity, poems

CITE_TREATMENT = poems("Anbefalinger (Quick guide)", "Behandling, items 4–7")
CITE_RADIOTHERAPY = poems("Strålebehandling")
CITE_SYSTEMIC = poems("Systemisk behandling")
CITE_THROMBOSIS = poems("Tromboseprofylakse")
CITE_RELAPSE = poems("Relaps behandling")

# The POEMS guideline's systemic regimens that are not protocols of the library: descriptive option codes with
# the drugs they name (Systemisk behandling). Mel-HMAS is a library regimen (REGIMENS: the drug this chapter
# names for it, checked against the library by tests/guidelines/test_library_guard.py).
OPTION_DRUGS = {
    "lenalidomide-dexamethasone": ("lenalidomide", "dexamethasone"),
    "melphalan-dexamethasone": ("melphalan", "dexamethasone"),
}
REGIMENS = {"Mel-HMAS": frozenset({"melphalan"})}

NOTES = (
    msg("poems_guideline.note_neurotoxicity", gettext_noop(
        "Caution with regimens that can cause neurotoxicity, e.g. bortezomib- and thalidomide-containing regimens; "
        "treatment with them is not contraindicated (item 6). Bortezomib s.c. once weekly to reduce neuropathy risk; "
        "thalidomide cannot be recommended in POEMS (Systemisk behandling).")),
    msg("poems_guideline.note_thrombosis", gettext_noop(
        "Thrombosis prophylaxis: aspirin (or another platelet inhibitor, e.g. aspirin 75 mg) and LMWH/DOAC from "
        "diagnosis; may stop at clinical remission and VEGF normalisation (item 7). Continue LMWH during continuous "
        "IMiD or other thrombogenic treatment.")),
    msg("poems_guideline.note_anti_vegf", gettext_noop(
        "Anti-VEGF treatment is not recommended outside clinical trials.")),
    msg("poems_guideline.note_infection", gettext_noop(
        "Infection prophylaxis incl. vaccination and antivirals as for the corresponding myeloma regimens.")),
)

FOCI_AMBIGUITY = ambiguity("poems_guideline.ambiguity_foci")
AGE_AMBIGUITY = ambiguity("poems_guideline.ambiguity_age")
MARROW_AMBIGUITY = ambiguity("poems_guideline.ambiguity_marrow")

# Item 5 and «Strålebehandling» on progression after radiotherapy, the seed's words.
ITEM_5_AFTER_RADIOTHERAPY = Quote("«samt patienter med tegn på progression 3-6 mdr efter afsluttet "
                                  "strålebehandling (D)»")
SALVAGE_AFTER_RADIOTHERAPY = Quote("«Systemisk salvage terapi kan initieres efter failure af strålebehandling»")
RELAPSE_SYSTEMIC = Quote("«Relapsbehandling kan være svarende til myelomatose algoritmer mhp systemisk behandling, "
                         "inkl en ny HDT behandling»")
WINDOW_MONTHS = (3, 6)  # «3-6 mdr efter afsluttet strålebehandling» (item 5)
RADIOTHERAPY_FAILURE_AMBIGUITY = ambiguity("poems_guideline.ambiguity_radiotherapy_failure")


def radiotherapy_lines(facts: PatientFacts) -> list[tuple[int, TreatmentLine]]:
    """The history lines that gave radiotherapy, with their index in the request: ``radiotherapy_gy`` given
    (contract v1.1), or a line that is radiotherapy alone by its words (guidelines.history.radiotherapy_only)."""
    return [(i, line) for i, line in enumerate(facts.treatment_history)
            if line.radiotherapy_gy or radiotherapy_only(line)]


def months_after(start: date, months: int) -> date:
    """Calendar months after ``start``; a day the target month lacks (31 Aug + 3 months) becomes its last day
    (RADIOTHERAPY_FAILURE_AMBIGUITY says so)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _after_radiotherapy(facts: PatientFacts):
    """Item 5 / Strålebehandling / Relaps behandling for a patient whose history records radiotherapy: (setting
    reason, missing paths, progressed) for the latest radiotherapy line, or None without one. Progression is a
    ``progression_date`` on that line or on a later one (the earliest of them); its place against «3-6 mdr efter
    afsluttet strålebehandling» is dated from the line's ``end_date``."""
    lines = radiotherapy_lines(facts)
    if not lines:
        return None
    index, rt = max(lines, key=lambda item: (item[1].line, item[0]))
    path = f"treatment_history[{index}]"
    dose = (Quantity(rt.radiotherapy_gy, "Gy") if rt.radiotherapy_gy
            else msg("poems_guideline.radiotherapy_dose_unknown", gettext_noop("dose not recorded")))
    progressions = [line.progression_date for line in facts.treatment_history
                    if line.line >= rt.line and line.progression_date is not None]
    if not progressions:
        return msg("poems_guideline.radiotherapy_given_no_progression", gettext_noop(
            "Radiotherapy (%(dose)s) is recorded on line %(line)s and no progression after it: no new treatment is "
            "chosen from these facts; follow the response (M-component and VEGF, full response evaluation after 3–6 "
            "months). If the disease progresses, record the progression date: progression after radiotherapy is "
            "treated systemically (item 5, %(quote)s), not with radiotherapy again."),
            dose=dose, line=rt.line, quote=ITEM_5_AFTER_RADIOTHERAPY), (f"{path}.progression_date",), False
    progressed = min(progressions)
    if rt.end_date is None:
        return msg("poems_guideline.progression_after_radiotherapy_end_unknown", gettext_noop(
            "Progression on %(progression)s after radiotherapy (%(dose)s, line %(line)s): systemic treatment — "
            "%(salvage)s; radiotherapy is not offered again. The end of the radiotherapy is not recorded, so the "
            "3–6 months of item 5 cannot be dated."),
            progression=progressed, dose=dose, line=rt.line, salvage=SALVAGE_AFTER_RADIOTHERAPY), \
            (f"{path}.end_date",), True
    earliest, latest = (months_after(rt.end_date, m) for m in WINDOW_MONTHS)
    common = {"progression": progressed, "dose": dose, "line": rt.line, "end": rt.end_date, "earliest": earliest,
              "latest": latest}
    if progressed < earliest:
        text = msg("poems_guideline.progression_before_3_months_after_radiotherapy", gettext_noop(
            "Progression on %(progression)s, before 3 months after the end of radiotherapy (%(dose)s, line "
            "%(line)s, ended %(end)s; 3–6 months: %(earliest)s – %(latest)s): failure of radiotherapy — systemic "
            "treatment, %(salvage)s; radiotherapy is not offered again."),
            salvage=SALVAGE_AFTER_RADIOTHERAPY, **common)
    elif progressed <= latest:
        text = msg("poems_guideline.progression_3_6_months_after_radiotherapy", gettext_noop(
            "Progression on %(progression)s, 3–6 months after the end of radiotherapy (%(dose)s, line %(line)s, "
            "ended %(end)s; 3–6 months: %(earliest)s – %(latest)s): systemic treatment (item 5, %(quote)s); "
            "radiotherapy is not offered again."),
            quote=ITEM_5_AFTER_RADIOTHERAPY, **common)
    else:
        text = msg("poems_guideline.progression_after_6_months_after_radiotherapy", gettext_noop(
            "Progression on %(progression)s, more than 6 months after the end of radiotherapy (%(dose)s, line "
            "%(line)s, ended %(end)s; 3–6 months: %(earliest)s – %(latest)s): relapse after radiotherapy — systemic "
            "treatment (Relaps behandling, %(relapse)s); radiotherapy is not offered again."),
            relapse=RELAPSE_SYSTEMIC, **common)
    return text, (), True


def treatment(facts: PatientFacts) -> TreatmentAdvice:
    """Treatment choice for diagnosed POEMS (Quick guide items 4–7; Strålebehandling; Systemisk
    behandling; Tromboseprofylakse): radiotherapy 40–50 Gy, curative intent, for localised
    disease (≤ 2 (3) bone foci on CT) without marrow involvement; with 1–2 dominant lesions and
    minimal marrow involvement radiotherapy «kan initieres» (equal standing with systemic
    treatment); otherwise systemic cytoreductive treatment including HDT with ASCT for younger
    (physiologically < 70), fit patients. The setting is left NONE while the foci or the marrow
    needed for the choice are unknown; with clonal plasma cells in the marrow the setting is systemic
    whatever the count, and the count is listed as missing (it decides whether radiotherapy stands
    beside systemic treatment)."""
    foci = facts.imaging.sclerotic_bone_lesion_count
    marrow = facts.marrow.clonal_plasma_cells_pct
    missing = []
    radiotherapy = Option(
        regimen="radiotherapy-40-50Gy", rank=1,
        note=msg("poems_guideline.option_radiotherapy", gettext_noop(
            "Radiotherapy 40–50 Gy to localised disease, curative intent (item 4). Consider PET-CT before; "
            "pelvic/sacral lesion in an ASCT candidate: consider stem cell harvest before radiotherapy. Systemic "
            "treatment if progression 3–6 months after radiotherapy (item 5).")),
        citation=CITE_TREATMENT,
    )
    young_fit = facts.age < 70 and facts.frailty == Frailty.FIT
    if facts.frailty is None:
        missing.append("frailty")
    if young_fit:
        systemic = (
            Option("Mel-HMAS", 1, msg("poems_guideline.option_hdt_asct", gettext_noop(
                "High-dose melphalan (Mel140–200 as in the myeloma guidelines) with ASCT for younger, fit patients "
                "(item 5); lenalidomide-dexamethasone induction may control symptoms until transplant (remember "
                "stem cell harvest).")), CITE_SYSTEMIC),
            Option("lenalidomide-dexamethasone", 2, msg("poems_guideline.option_rd_induction", gettext_noop(
                "Lenalidomide-dexamethasone (as induction before ASCT; not as maintenance after ASCT).")),
                CITE_SYSTEMIC),
        )
    else:
        systemic = (
            Option("lenalidomide-dexamethasone", 1, msg("poems_guideline.option_rd_first_line", gettext_noop(
                "Lenalidomide-dexamethasone, 1st line for elderly/unfit patients, continuous to maintain response; "
                "frail/elderly: lenalidomide 15 mg (Systemisk behandling).")), CITE_SYSTEMIC),
            Option("melphalan-dexamethasone", 2, msg("poems_guideline.option_md", gettext_noop(
                "Melphalan-dexamethasone for patients who are not ASCT candidates (stem cell toxic: not if HDT with "
                "ASCT is planned).")), CITE_SYSTEMIC),
        )
    frailty = Term(str(facts.frailty) if facts.frailty else "unknown")
    reasons = [msg("poems_guideline.hdt_candidate", gettext_noop(
        "age %(age)s, frailty %(frailty)s: HDT/ASCT candidate (physiologically < 70, fit)"),
        age=facts.age, frailty=frailty) if young_fit else msg("poems_guideline.not_hdt_candidate", gettext_noop(
            "age %(age)s, frailty %(frailty)s: not an HDT/ASCT candidate by age < 70 and fit"),
            age=facts.age, frailty=frailty)]
    ambiguities = [FOCI_AMBIGUITY, AGE_AMBIGUITY]
    irradiated = _after_radiotherapy(facts)
    if irradiated is not None:
        text, lacking, progressed = irradiated
        missing += lacking
        reasons.insert(0, text)
        ambiguities.append(RADIOTHERAPY_FAILURE_AMBIGUITY)
        setting, options = ("POEMS_SYSTEMIC", systemic) if progressed else ("NONE", ())
    elif foci is not None and (foci == 0 or foci > 3):
        setting, options = "POEMS_SYSTEMIC", systemic
        reasons.insert(0, msg("poems_guideline.no_focus", gettext_noop(
            "%(foci)s bone foci on CT: no localised focus to irradiate — systemic treatment"), foci=foci)
            if foci == 0 else msg("poems_guideline.disseminated_foci", gettext_noop(
                "%(foci)s bone foci on CT: more than 3 foci, disseminated disease — systemic treatment"), foci=foci))
    elif foci is None and marrow is not None and marrow > 0:
        # Marrow involved: systemic treatment whatever the count; only with 1–2 dominant lesions could
        # radiotherapy stand beside it («et enkelt eller 2 knoglelæsioner»), so the count is asked for.
        setting, options = "POEMS_SYSTEMIC", systemic
        missing.append("imaging.sclerotic_bone_lesion_count")
        reasons.insert(0, msg("poems_guideline.marrow_foci_needed", gettext_noop(
            "%(pct)s %% clonal marrow plasma cells: systemic treatment; the number of bone foci on CT is needed to "
            "tell whether radiotherapy (1–2 dominant lesions) is an option as well"), pct=Quantity(marrow)))
    elif foci is None or marrow is None:
        setting, options = "NONE", ()
        if foci is None:
            missing.append("imaging.sclerotic_bone_lesion_count")
        if marrow is None:
            missing.append("marrow.clonal_plasma_cells_pct")
        reasons.insert(0, msg("poems_guideline.treatment_undecided", gettext_noop(
            "radiotherapy or systemic treatment undecided: the number of bone foci on CT and the marrow involvement "
            "are needed")))
    elif marrow == 0 and foci <= 2:
        setting, options = "POEMS_RADIOTHERAPY", (radiotherapy,)
        reasons.insert(0, msg("poems_guideline.localised", gettext_noop(
            "localised disease: %(foci)s bone focus/foci ≤ 2 and no clonal plasma cells in the marrow"), foci=foci))
    elif marrow == 0:
        setting = "POEMS_RADIOTHERAPY"
        options = (radiotherapy, systemic[0])
        reasons.insert(0, msg("poems_guideline.three_foci", gettext_noop(
            "3 foci without marrow involvement: the guideline's «≤ 2 (3) foci» — radiotherapy and systemic "
            "treatment of equal standing")))
    elif foci <= 2:
        setting = "POEMS_SYSTEMIC"
        options = (*systemic, Option(radiotherapy.regimen, 1, msg(
            "poems_guideline.option_radiotherapy_minimal_marrow", gettext_noop(
            "With 1–2 dominant bone lesions and minimal marrow involvement radiotherapy may be started; monitor "
            "M-component and VEGF after 6–12 months for the need of systemic treatment.")), CITE_RADIOTHERAPY))
        ambiguities.append(MARROW_AMBIGUITY)
        reasons.insert(0, msg("poems_guideline.dominant_lesions_with_marrow", gettext_noop(
            "%(foci)s dominant bone lesion(s) and %(pct)s %% clonal marrow plasma cells: systemic treatment, or "
            "radiotherapy if the marrow involvement is minimal (equal standing)"), foci=foci, pct=Quantity(marrow)))
    else:
        setting, options = "POEMS_SYSTEMIC", systemic
        reasons.insert(0, msg("poems_guideline.disseminated", gettext_noop(
            "disseminated disease: %(foci)s foci with %(pct)s %% clonal marrow plasma cells"), foci=foci,
            pct=Quantity(marrow)))
    citations = (CITE_TREATMENT, CITE_RADIOTHERAPY, CITE_SYSTEMIC, CITE_THROMBOSIS)
    if irradiated is not None:
        citations += (CITE_RELAPSE,)
    return TreatmentAdvice(
        setting=setting, options=tuple(sorted(options, key=lambda o: o.rank)), notes=NOTES, reasons=tuple(reasons),
        missing=dedupe(missing), citations=citations,
        ambiguities=tuple(ambiguities),
    )
