"""«Behandling av tilbakefall»: relapse — lines 2 to 6, and primary refractory disease.

Source: Handlingsprogram for myelomatose 1.2, "Behandling av tilbakefall" and its sections, each a function
named after it: «Andrelinjebehandling» → ``second_line``, «Tredjelinjebehandling» → ``third_line``,
«Fjerdelinjebehandling» → ``fourth_line``, «Behandling fra 5.linje» → ``from_fifth_line``; «Primært
refraktær sykdom» → ``primary_refractory_notes``. The history (line number, refractoriness, exposure by
class) is the one reading of guidelines.history; the drugs of the regimens offered are the library's.
"""

from guidelines.advice import TreatmentAdvice
from guidelines.facts import ANTI_CD38, Frailty, PatientFacts
from guidelines.history import HistoryReading
from guidelines.library import Library, drug_list, drugs_of
from guidelines.sources import Citation, myeloma
from guidelines.treatment.allogeneic import allo_notes
from guidelines.treatment.common import (
    PLASMA_CELL_LEUKEMIA,
    RELAPSE_LINE_2,
    RELAPSE_LINE_3,
    RELAPSE_LINE_4,
    RELAPSE_LINE_5_PLUS,
    S_LINE2,
    S_LINE3,
    S_LINE4,
    S_LINE5,
    S_PRIMARY_REFRACTORY,
    S_RELAPSE,
    Builder,
)
from guidelines.treatment.monitoring import progression_date_path
from guidelines.treatment.renal import renal_notes

# The library regimens this chapter recommends, each with the drugs its rows and words take it to contain
# (tests/guidelines/test_library_guard.py checks them against the library): the CUP rule reads belantamab,
# the 3rd-line rows a CD38 antibody, the 5th-line rows pomalidomide and venetoclax, the bispecific
# options their target (BCMA, GPRC5D); notes that list a regimen's drugs take them from the library.
REGIMENS = {
    "BVd": frozenset({"belantamab mafodotin", "bortezomib"}),
    "Isa-Kd": frozenset({"isatuximab", "carfilzomib"}),
    "DRd": frozenset({"daratumumab", "lenalidomide"}),
    "BPd": frozenset({"belantamab mafodotin", "pomalidomide"}),
    "Isa-Pd": frozenset({"isatuximab", "pomalidomide"}),
    "Dara-Pd": frozenset({"daratumumab", "pomalidomide"}),
    "PCd": frozenset({"pomalidomide", "cyclophosphamide"}),
    "Pd": frozenset({"pomalidomide"}),
    "teclistamab": frozenset({"teclistamab"}),
    "elranatamab": frozenset({"elranatamab"}),
    "talquetamab": frozenset({"talquetamab"}),
    "Elo-Pd": frozenset({"elotuzumab", "pomalidomide"}),
    "Ven-Dex": frozenset({"venetoclax", "dexamethasone"}),
}
DESCRIPTIVE = frozenset({"bendamustine", "cyclophosphamide", "melphalan"})  # alkylators named without a regimen
NAMED = frozenset(REGIMENS) | DESCRIPTIVE

BISPECIFICS = frozenset({"teclistamab", "elranatamab", "talquetamab"})
# Fjerdelinjebehandling names the immunomodulators it counts: "(lenalidomid eller pomalidomid)".
LINE4_IMIDS = frozenset({"lenalidomide", "pomalidomide"})
NO_PROGRESSION_RECORDED = (
    "No progression is recorded on {label}: these options assume a clinical relapse — the defining events new or "
    "worsening (Behandling av tilbakefall). If they persist from before or come from the treatment, continue the "
    "current treatment and assess the response at each cycle start (Vurdering av behandlingsrespons og kontroll); "
    "record the progression date on the line when it progresses."
)
BELANTAMAB_CUP = (
    "Belantamab mafodotin is not reimbursed (November 2025) but is available through a Compassionate Use "
    "Program (CUP), which requires earlier use of a CD38 antibody."
)


def relapse(facts: PatientFacts, *, history: HistoryReading, library: Library, diagnosis_code: str,
            high_risk: bool | None, egfr_ml_min: float | None) -> TreatmentAdvice:
    """Behandling av tilbakefall: the line is the highest previous systemic line + 1, mobilisation, HMAS and
    maintenance counted with their induction and radiotherapy alone not a line (``history.line_number``);
    then the rows of its section — ``second_line``, ``third_line``, ``fourth_line``, ``from_fifth_line``."""
    line_no = history.line_number
    setting = {2: RELAPSE_LINE_2, 3: RELAPSE_LINE_3, 4: RELAPSE_LINE_4}.get(line_no, RELAPSE_LINE_5_PLUS)
    b = Builder(setting, NAMED)
    b.cite(myeloma(S_RELAPSE))
    b.reasons.append(f"Treatment history up to line {line_no - 1}: this is line {line_no}.")
    _numbering_notes(b, history)
    if not history.progression:
        b.notes.append(NO_PROGRESSION_RECORDED.format(label=history.progression_label))
        b.lack(progression_date_path(history))
    if diagnosis_code == PLASMA_CELL_LEUKEMIA:
        b.reasons.append("Plasma cell leukaemia after earlier treatment: the first-line PCL rule covers untreated "
                         "(primary) PCL only; relapse rules are applied.")
    _history_gaps(b, history)
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
        second_line(b, history, library, citation=myeloma(S_LINE2))
    elif line_no == 3:
        third_line(b, history, library)
    elif line_no == 4:
        fourth_line(b, facts, history, library)
    else:
        from_fifth_line(b, facts, history, library)
    _relapse_transplant_note(b, facts, history)
    allo_notes(b, facts, history, pcl=diagnosis_code == PLASMA_CELL_LEUKEMIA)
    _refractory_warnings(b, history, library)
    renal_notes(b, egfr_ml_min, library, [o.regimen for o in b.options])
    if high_risk is True:
        b.notes.append("IMS/IMWG high-risk disease: not prioritised for CAR-T if it is introduced (CAR-T section).")
    return b.build()


def _numbering_notes(b: Builder, history: HistoryReading) -> None:
    """Say how the next line's number was counted where the recorded numbering looks off."""
    numbers = sorted(line.number for line in history.lines)
    if numbers != list(range(1, len(numbers) + 1)):
        b.notes.append("The recorded line numbers are " + ", ".join(map(str, numbers)) + ", not consecutive from 1: "
                       "the next line is counted from the highest; correct the numbering if a line is missing or "
                       "misnumbered.")
    parts = [f"line {line.number} ({line.line.regimen})" for line in history.lines if line.part_of_a_line]
    if parts:
        b.notes.append("Mobilisation, high-dose melphalan with stem cell support and maintenance belong to the line "
                       "of their induction; read as such and counted as part of the line before them: "
                       + ", ".join(parts) + ". If one of these was a new regimen, record its drugs or regimen code.")
    radiotherapy = [f"line {line.number}" for line in history.lines if line.radiotherapy_only]
    if radiotherapy:
        b.notes.append("Read as radiotherapy alone and not counted, radiotherapy is not a systemic line of "
                       "treatment: " + ", ".join(radiotherapy) + ". If drugs were given, record them.")


def _history_gaps(b: Builder, history: HistoryReading) -> None:
    """Facts the relapse rules need from each line: its drugs; for the latest line, whether the patient was
    refractory (an empty list is read as 'not refractory' and listed so it can be confirmed)."""
    for line in history.systemic:
        if not line.drugs:
            b.lack(line.path("drugs"))
    last = history.latest
    if not last.line.refractory_to and not last.line.intolerant_to:
        b.lack(last.path("refractory_to"))
        b.reasons.append(f"Line {last.number} records no refractoriness or intolerance: read as neither — confirm "
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


LINE2_NOTE = {"BVd": " (56-day cycles).", "Isa-Kd": ".", "DRd": " (as in first line).", "BPd": " (56-day cycles)."}


def _line2_option(b, history, library, regimen, rank, citation):
    belantamab = "belantamab mafodotin" in drugs_of(library, regimen)
    note = drug_list(library, regimen) + LINE2_NOTE[regimen]
    if belantamab:
        note += " " + BELANTAMAB_CUP
        if not history.exposure.cd38:
            note += " No CD38 antibody in the history: the CUP condition is not met."
    b.option(regimen, rank, note, citation, awaiting_reimbursement=belantamab)


def second_line(b: Builder, history: HistoryReading, library: Library, *, citation: Citation) -> None:
    """Andrelinjebehandling: the row is chosen by refractoriness to lenalidomide and a CD38 antibody."""
    row, options = _line2_rows(history)
    if row:
        b.reasons.append(LINE2_ROW_TEXT[row])
        for regimen, rank in options:
            _line2_option(b, history, library, regimen, rank, citation)
        return
    # A combination none of the three rows covers.
    avoid = history.refractory | history.intolerant
    fitting = [r for r in LINE2_LIST if not (set(drugs_of(library, r)) & avoid)
               and not (set(drugs_of(library, r)) & ANTI_CD38 and avoid & ANTI_CD38)]
    b.ambiguous(citation, LINE2_SOURCE,
                "This combination of refractoriness/intolerance (" + ", ".join(sorted(avoid)) + ") is in none of "
                "the three rows; the app lists the 2nd-line regimens that contain no drug (or CD38 antibody) the "
                "patient is refractory or intolerant to, at equal rank, for the clinician to choose.")
    for regimen in fitting:
        _line2_option(b, history, library, regimen, 1, citation)
    if not fitting:
        b.notes.append("No 2nd-line regimen avoids the drugs the patient is refractory or intolerant to: discuss "
                       "with an expert.")


def third_line(b: Builder, history: HistoryReading, library: Library) -> None:
    """Tredjelinjebehandling: after Isa-Kd → BPd; after BVd (no CD38 antibody used) → Isa-Pd / Dara-Pd; CD38
    antibody and belantamab both used → PCd (1st), Pd (2nd), which wins over the BVd row (LINE3_BVD_INTERPRETATION);
    otherwise the best 2nd-line regimen if not yet used."""
    citation = myeloma(S_LINE3)
    used_cd38 = bool(history.exposure.cd38)
    used_belantamab = "belantamab mafodotin" in history.exposed
    last = history.last_regimen
    if last == "Isa-Kd" and not used_belantamab:
        b.reasons.append("Isa-Kd in 2nd line → BPd in 3rd line.")
        _line2_option(b, history, library, "BPd", 1, citation)
        return
    if last == "BVd" and not used_cd38:
        b.reasons.append("BVd in 2nd line, no CD38 antibody used → isatuximab/daratumumab-pomalidomide-"
                         "dexamethasone in 3rd line.")
        for code in ("Isa-Pd", "Dara-Pd"):
            b.option(code, 1, f"{drug_list(library, code)}. The guideline gives no dosing table: the protocol is "
                     "a draft until a pharmacist completes it.", citation)
        return
    if used_cd38 and used_belantamab:
        b.reasons.append("Both a CD38 antibody and belantamab mafodotin used: PCd 1st choice, Pd 2nd choice.")
        if last == "BVd":
            b.ambiguous(citation, LINE3_BVD_SOURCE, LINE3_BVD_INTERPRETATION)
        _pcd_pd(b, library, citation)
        return
    row, options = _line2_rows(history)
    best = options[0][0] if options else None
    if best and best not in history.regimens:
        b.reasons.append("The best 2nd-line regimen for this refractoriness has not been used: it is used in "
                         f"3rd line ({LINE2_ROW_TEXT[row]})")
        for regimen, rank in options:
            if regimen not in history.regimens:
                _line2_option(b, history, library, regimen, rank, citation)
        return
    b.ambiguous(citation, "Hvis pasienter kommer til tredje linje og ikke har brukt beste regime fra "
                "andrelinjebehandlingen brukes dette … Hvis man har brukt både CD38-antistoff og belantamab "
                "mafodotin når man kommer til 3. linje anbefales: PCd … Pd",
                "None of the 3rd-line rows matches this history exactly; the app shows PCd / Pd, the "
                "3rd-line regimens that need neither a CD38 antibody nor belantamab mafodotin.")
    _pcd_pd(b, library, citation)


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


def _pcd_pd(b, library, citation):
    b.option("PCd", 1, f"{drug_list(library, 'PCd')} (better PFS than Pd).", citation)
    b.option("Pd", 2, f"{drug_list(library, 'Pd')} (PCd without cyclophosphamide).", citation)


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
        "a proteasome inhibitor (bortezomib, carfilzomib or ixazomib)": bool(history.exposure.proteasome_inhibitor),
        "a CD38 antibody (daratumumab, isatuximab)": bool(history.exposure.cd38),
    }


def fourth_line(b: Builder, facts: PatientFacts, history: HistoryReading, library: Library) -> None:
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
        third_line(b, history, library)
    if facts.cytogenetics.t11_14 is True:
        b.notes.append("t(11;14): venetoclax (off-label) may be considered from 4th line at the earliest, after "
                       "local approval / the expert panel (Ekspertpanelet).")
        b.cite(myeloma(S_LINE5))


def from_fifth_line(b: Builder, facts: PatientFacts, history: HistoryReading, library: Library) -> None:
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
        b.option("Elo-Pd", rank, f"{drug_list(library, 'Elo-Pd')} — pomalidomide not tried before. The guideline "
                 "gives no dosing table: the protocol is a draft until a pharmacist completes it.", citation)
        fifth += 1
    else:
        b.reasons.append("Pomalidomide already tried: Elo-Pd does not apply.")
    t11_14 = facts.cytogenetics.t11_14
    if t11_14 is True and "venetoclax" not in history.exposed:
        b.option("Ven-Dex", rank, "Venetoclax with dexamethasone, doses and schedule as the Ven-Dex protocol gives "
                 "them (its age rule for dexamethasone included); off-label, only with t(11;14), earliest 4th line, "
                 "after local approval / the expert panel.", citation)
        fifth += 1
    elif t11_14 is None:
        b.lack("cytogenetics.t11_14")
        b.reasons.append("t(11;14) unknown: venetoclax-dexamethasone is only for t(11;14).")
    sixth = history.line_number >= 6
    if sixth or not fifth:
        alky_rank = rank + (1 if fifth else 0)
        b.reasons.append("6th line / all of the above tried: alkylators." if sixth else
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
        for line in history.lines:
            if line.line.autologous_transplant is None:
                b.lack(line.path("autologous_transplant"))
    if facts.frailty is None:
        b.lack("frailty")
    if facts.frailty in (Frailty.UNFIT, Frailty.FRAIL):
        b.reasons.append("Not fit: HMAS at relapse does not apply.")
        return
    b.notes.append("HMAS at relapse only if the patient has not had HMAS before and is considered able to tolerate "
                   "it; the induction is chosen like relapse treatment and continued after HMAS.")


def _refractory_warnings(b, history, library):
    """Behandling av tilbakefall: "Et viktig prinsipp er å bytte til eller legge til et medikament med ny
    virkningsmekanisme." The rows do not qualify every option by the drugs it contains; say where an option
    contains a drug the patient is refractory to or stopped for intolerance."""
    for option in b.options:
        bad = sorted(set(drugs_of(library, option.regimen)) & (history.refractory | history.intolerant))
        if not bad:
            continue
        b.notes.append(
            f"{option.regimen} contains {', '.join(bad)}, to which the patient is refractory or intolerant: "
            "the guideline row does not exclude it, but its principle is to switch to or add a drug with a new "
            "mechanism of action — assess."
        )
        b.cite(myeloma(S_RELAPSE))


def primary_refractory_notes(b: Builder) -> None:
    """Primært refraktær sykdom, the three rows for transplant candidates."""
    b.notes.append("Primary refractory disease: progression early in induction → switch induction and involve an "
                   "expert; progression late in induction → go quickly to HMAS; no progression but suboptimal "
                   "response → complete 6 induction cycles and go quickly to HMAS.")
    b.cite(myeloma(S_PRIMARY_REFRACTORY))
