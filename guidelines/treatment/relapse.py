"""«Behandling av tilbakefall»: relapse — lines 2 to 6, and primary refractory disease.

Source: Handlingsprogram for myelomatose 1.2, "Behandling av tilbakefall" and its sections, each a function
named after it: «Andrelinjebehandling» → ``second_line``, «Tredjelinjebehandling» → ``third_line``,
«Fjerdelinjebehandling» → ``fourth_line``, «Behandling fra 5.linje» → ``from_fifth_line``; «Primært
refraktær sykdom» → ``primary_refractory_notes``. The history (line number, refractoriness, exposure by
class) is the one reading of guidelines.history; the drugs of the regimens offered are the library's.
"""

from guidelines.advice import TreatmentAdvice
from guidelines.facts import ANTI_CD38, Frailty, PatientFacts, ProgressionInInduction
from guidelines.history import HistoryReading
from guidelines.library import Library, drugs_of
from guidelines.messages import Message, Quote, gettext_noop, msg
from guidelines.sources import Citation, myeloma
from guidelines.terms import drug, drugs, leading_drugs, semicolons, sentences
from guidelines.treatment.allogeneic import allo_notes
from guidelines.treatment.common import (
    PLASMA_CELL_LEUKEMIA,
    RELAPSE_LINE_2,
    RELAPSE_LINE_3,
    RELAPSE_LINE_4,
    RELAPSE_LINE_5_PLUS,
    S_HMAS,
    S_LINE2,
    S_LINE3,
    S_LINE4,
    S_LINE5,
    S_PRIMARY_REFRACTORY,
    S_RELAPSE,
    Builder,
    line_label,
)
from guidelines.treatment.maintenance import maintenance_notes
from guidelines.treatment.monitoring import progression_date_path
from guidelines.treatment.refractory import drop_refractory, refractory_warnings
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
    "Mel-HMAS": frozenset({"melphalan"}),  # «Primært refraktær sykdom»: «Gå raskt til HMAS»
}
DESCRIPTIVE = frozenset({"bendamustine", "cyclophosphamide", "melphalan"})  # alkylators named without a regimen
NAMED = frozenset(REGIMENS) | DESCRIPTIVE

BISPECIFICS = frozenset({"teclistamab", "elranatamab", "talquetamab"})
# Fjerdelinjebehandling names the immunomodulators it counts: "(lenalidomid eller pomalidomid)".
LINE4_IMIDS = frozenset({"lenalidomide", "pomalidomide"})
BELANTAMAB_CUP = msg("relapse.belantamab_cup", gettext_noop(
    "Belantamab mafodotin is not reimbursed (November 2025) but is available through a Compassionate Use Program "
    "(CUP), which requires earlier use of a CD38 antibody."))


def _drug_list(library: Library, code: str):
    """The regimen's drugs opening a note («Isatuximab, carfilzomib, dexamethasone»), the code when the library
    lacks it."""
    return leading_drugs(drugs_of(library, code)) or code


def relapse(facts: PatientFacts, *, history: HistoryReading, library: Library, diagnosis_code: str,
            high_risk: bool | None, egfr_ml_min: float | None) -> TreatmentAdvice:
    """Behandling av tilbakefall: the line is the highest previous systemic line + 1, mobilisation, HMAS and
    maintenance counted with their induction and radiotherapy alone not a line (``history.line_number``);
    then the rows of its section — ``second_line``, ``third_line``, ``fourth_line``, ``from_fifth_line``."""
    line_no = history.line_number
    setting = {2: RELAPSE_LINE_2, 3: RELAPSE_LINE_3, 4: RELAPSE_LINE_4}.get(line_no, RELAPSE_LINE_5_PLUS)
    b = Builder(setting, NAMED)
    b.cite(myeloma(S_RELAPSE))
    b.reasons.append(msg("relapse.line_number", gettext_noop(
        "Treatment history up to line %(previous)s: this is line %(line)s."), previous=line_no - 1, line=line_no))
    _numbering_notes(b, history)
    if not history.progression:
        b.notes.append(msg("relapse.no_progression_recorded", gettext_noop(
            "No progression is recorded on %(label)s: these options assume a clinical relapse — the defining events "
            "new or worsening (Behandling av tilbakefall). If they persist from before or come from the treatment, "
            "continue the current treatment and assess the response at each cycle start (Vurdering av "
            "behandlingsrespons og kontroll); record the progression date on the line when it progresses."),
            label=history.progression_label))
        b.lack(progression_date_path(history))
        maintenance_notes(b, facts, history, library)  # the current treatment continues: its own rules
    if diagnosis_code == PLASMA_CELL_LEUKEMIA:
        b.reasons.append(msg("relapse.pcl_after_treatment", gettext_noop(
            "Plasma cell leukaemia after earlier treatment: the first-line PCL rule covers untreated (primary) PCL "
            "only; relapse rules are applied.")))
    _history_gaps(b, history)
    if history.refractory:
        b.reasons.append(msg("relapse.refractory_to", gettext_noop(
            "Refractory (progression on or within 60 days of stopping) to: %(drugs)s."),
            drugs=drugs(sorted(history.refractory))))
    if history.intolerant:
        b.reasons.append(msg("relapse.intolerant_to", gettext_noop("Stopped for intolerance: %(drugs)s."),
                             drugs=drugs(sorted(history.intolerant))))
    triple_refractory = history.cd38_refractory and {"carfilzomib", "pomalidomide"} <= history.refractory
    if line_no < 4 and triple_refractory:
        b.reasons.append(msg("relapse.triple_refractory_bispecific", gettext_noop(
            "Refractory to a CD38 antibody, carfilzomib and pomalidomide: bispecific antibody even before 4th line, "
            "as there are no other documented alternatives (Fjerdelinjebehandling).")))
        _bispecific_options(b)
    elif line_no == 2 and primary_refractory(b, facts, history, library):
        pass
    elif line_no == 2:
        second_line(b, history, library, citation=myeloma(S_LINE2))
    elif line_no == 3:
        third_line(b, history, library)
    elif line_no == 4:
        fourth_line(b, facts, history, library)
    else:
        from_fifth_line(b, facts, history, library)
    drop_refractory(b, history, library, drug_codes=DESCRIPTIVE)
    _relapse_transplant_note(b, facts, history)
    allo_notes(b, facts, history, pcl=diagnosis_code == PLASMA_CELL_LEUKEMIA)
    refractory_warnings(b, history, library)
    renal_notes(b, egfr_ml_min, library, [o.regimen for o in b.options])
    if high_risk is True:
        b.notes.append(msg("relapse.high_risk_not_prioritised_car_t", gettext_noop(
            "IMS/IMWG high-risk disease: not prioritised for CAR-T if it is introduced (CAR-T section).")))
    return b.build()


def _numbering_notes(b: Builder, history: HistoryReading) -> None:
    """Say how the next line's number was counted where the recorded numbering looks off."""
    numbers = sorted(line.number for line in history.lines)
    if numbers != list(range(1, len(numbers) + 1)):
        b.notes.append(msg("relapse.line_numbers_not_consecutive", gettext_noop(
            "The recorded line numbers are %(numbers)s, not consecutive from 1: the next line is counted from the "
            "highest; correct the numbering if a line is missing or misnumbered."), numbers=numbers))
    parts = [line_label(line) for line in history.lines if line.part_of_a_line]
    if parts:
        b.notes.append(msg("relapse.part_of_a_line", gettext_noop(
            "Mobilisation, high-dose melphalan with stem cell support and maintenance belong to the line of their "
            "induction; read as such and counted as part of the line before them: %(lines)s. If one of these was a "
            "new regimen, record its drugs or regimen code."), lines=parts))
    radiotherapy = [msg("relapse.line", gettext_noop("line %(number)s"), number=line.number)
                    for line in history.lines if line.radiotherapy_only]
    if radiotherapy:
        b.notes.append(msg("relapse.radiotherapy_not_counted", gettext_noop(
            "Read as radiotherapy alone and not counted, radiotherapy is not a systemic line of treatment: "
            "%(lines)s. If drugs were given, record them."), lines=radiotherapy))


def _history_gaps(b: Builder, history: HistoryReading) -> None:
    """Facts the relapse rules need from each line: its drugs; for the latest line, whether the patient was
    refractory (an empty list is read as 'not refractory' and listed so it can be confirmed)."""
    for line in history.systemic:
        if not line.drugs:
            b.lack(line.path("drugs"))
    last = history.latest
    if not last.line.refractory_to and not last.line.intolerant_to:
        b.lack(last.path("refractory_to"))
        b.reasons.append(msg("relapse.no_refractoriness_recorded", gettext_noop(
            "Line %(number)s records no refractoriness or intolerance: read as neither — confirm (refractory = "
            "progression on or within 60 days of stopping a drug or regimen)."), number=last.number))


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
    "lenalidomide-refractory-or-intolerant-not-CD38-refractory": msg("relapse.line2_row_lenalidomide", gettext_noop(
        "Refractory to or stopped for intolerance of lenalidomide, not refractory to a CD38 antibody: 1st choice "
        "BVd, 2nd choice Isa-Kd.")),
    "neither-CD38-nor-lenalidomide-refractory-or-intolerant": msg("relapse.line2_row_neither", gettext_noop(
        "Neither refractory/intolerant to a CD38 antibody nor to lenalidomide: DRd or BPd.")),
    "refractory-to-CD38-and-lenalidomide": msg("relapse.line2_row_cd38_and_lenalidomide", gettext_noop(
        "Refractory to a CD38 antibody and lenalidomide: BVd.")),
}
LINE2_SOURCE = (
    "• Hvis refraktær mot lenalidomid, eller har stoppet behandling grunnet intoleranse for lenalidomid, men ikke "
    "refraktær mot CD38-antistoff: … • Hvis ikke refraktær/intolerant mot CD38-antistoff eller lenalidomid: … "
    "• Hvis refraktær mot CD38-antistoff og lenalidomid: …"
)
LINE2_LIST = ("BVd", "Isa-Kd", "DRd", "BPd")


def _line2_note(library, regimen) -> Message:
    """The 2nd-line option's drugs (the library's) and cycle length."""
    listed = _drug_list(library, regimen)
    if regimen in ("BVd", "BPd"):
        return msg("relapse.line2_note_56_day_cycles", gettext_noop("%(drugs)s (56-day cycles)."), drugs=listed)
    if regimen == "DRd":
        return msg("relapse.line2_note_as_in_first_line", gettext_noop("%(drugs)s (as in first line)."),
                   drugs=listed)
    return msg("relapse.line2_note", gettext_noop("%(drugs)s."), drugs=listed)


def _line2_option(b, history, library, regimen, rank, citation):
    belantamab = "belantamab mafodotin" in drugs_of(library, regimen)
    note = _line2_note(library, regimen)
    if belantamab:
        note = sentences(note, BELANTAMAB_CUP)
        if not history.exposure.cd38:
            note = sentences(note, msg("relapse.cup_condition_not_met", gettext_noop(
                "No CD38 antibody in the history: the CUP condition is not met.")))
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
    b.ambiguous(citation, LINE2_SOURCE, msg("relapse.line2_no_row", gettext_noop(
        "This combination of refractoriness/intolerance (%(drugs)s) is in none of the three rows; the app lists the "
        "2nd-line regimens that contain no drug (or CD38 antibody) the patient is refractory or intolerant to, at "
        "equal rank, for the clinician to choose."), drugs=drugs(sorted(avoid))))
    for regimen in fitting:
        _line2_option(b, history, library, regimen, 1, citation)
    if not fitting:
        b.notes.append(msg("relapse.line2_none_fits", gettext_noop(
            "No 2nd-line regimen avoids the drugs the patient is refractory or intolerant to: discuss with an "
            "expert.")))


def third_line(b: Builder, history: HistoryReading, library: Library) -> None:
    """Tredjelinjebehandling: after Isa-Kd → BPd; after BVd (no CD38 antibody used) → Isa-Pd / Dara-Pd; CD38
    antibody and belantamab both used → PCd (1st), Pd (2nd), which wins over the BVd row (LINE3_BVD_INTERPRETATION);
    otherwise the best 2nd-line regimen if not yet used."""
    citation = myeloma(S_LINE3)
    used_cd38 = bool(history.exposure.cd38)
    used_belantamab = "belantamab mafodotin" in history.exposed
    last = history.last_regimen
    if last == "Isa-Kd" and not used_belantamab:
        b.reasons.append(msg("relapse.line3_after_isa_kd", gettext_noop("Isa-Kd in 2nd line → BPd in 3rd line.")))
        _line2_option(b, history, library, "BPd", 1, citation)
        return
    if last == "BVd" and not used_cd38:
        b.reasons.append(msg("relapse.line3_after_bvd", gettext_noop(
            "BVd in 2nd line, no CD38 antibody used → isatuximab/daratumumab-pomalidomide-dexamethasone in 3rd "
            "line.")))
        for code in ("Isa-Pd", "Dara-Pd"):
            b.option(code, 1, msg("relapse.line3_anti_cd38_pd", gettext_noop(
                "%(drugs)s. The guideline gives no dosing table: the protocol is a draft until a pharmacist "
                "completes it."), drugs=_drug_list(library, code)), citation)
        return
    if used_cd38 and used_belantamab:
        b.reasons.append(msg("relapse.line3_cd38_and_belantamab", gettext_noop(
            "Both a CD38 antibody and belantamab mafodotin used: PCd 1st choice, Pd 2nd choice.")))
        if last == "BVd":
            b.ambiguous(citation, LINE3_BVD_SOURCE, LINE3_BVD_INTERPRETATION)
        _pcd_pd(b, library, citation)
        return
    row, options = _line2_rows(history)
    best = options[0][0] if options else None
    if best and best not in history.regimens:
        b.reasons.append(msg("relapse.line3_best_line2_unused", gettext_noop(
            "The best 2nd-line regimen for this refractoriness has not been used: it is used in 3rd line (%(row)s)"),
            row=LINE2_ROW_TEXT[row]))
        for regimen, rank in options:
            if regimen not in history.regimens:
                _line2_option(b, history, library, regimen, rank, citation)
        return
    b.ambiguous(citation, "Hvis pasienter kommer til tredje linje og ikke har brukt beste regime fra "
                "andrelinjebehandlingen brukes dette … Hvis man har brukt både CD38-antistoff og belantamab "
                "mafodotin når man kommer til 3. linje anbefales: PCd … Pd",
                msg("relapse.line3_no_row", gettext_noop(
                    "None of the 3rd-line rows matches this history exactly; the app shows PCd / Pd, the 3rd-line "
                    "regimens that need neither a CD38 antibody nor belantamab mafodotin.")))
    _pcd_pd(b, library, citation)


LINE3_BVD_SOURCE = (
    "• Hvis man har gitt belantamab mafodotin-bortezomib-deksametason (BVd) i 2. linje, gis isatuximab/daratumumab-"
    "pomalidomid-deksametason (Isa/D-Pd) i 3. linje. … Hvis man har brukt både CD38-antistoff og belantamab "
    "mafodotin når man kommer til 3. linje anbefales: • 1. valg: … PCd • 2. valg: … Pd"
)
LINE3_BVD_INTERPRETATION = msg("relapse.line3_bvd_and_cd38", gettext_noop(
    "A patient who had BVd in 2nd line and a CD38 antibody earlier fits both rows. The row written for exactly this "
    "history (%(row)s) is applied: PCd 1st choice, Pd 2nd choice, no CD38 antibody again. BVd → Isa/D-Pd is applied "
    "only when no CD38 antibody has been used. Note that the belantamab Compassionate Use Program requires earlier "
    "CD38 antibody use, so while belantamab is given through the CUP the Isa/D-Pd row rarely applies; re-treatment "
    "with a CD38 antibody in a patient who is not refractory to it is a specialist decision the guideline does not "
    "make."), row=Quote("«brukt både CD38-antistoff og belantamab mafodotin»"))


def _pcd_pd(b, library, citation):
    b.option("PCd", 1, msg("relapse.pcd", gettext_noop("%(drugs)s (better PFS than Pd)."),
                           drugs=_drug_list(library, "PCd")), citation)
    b.option("Pd", 2, msg("relapse.pd", gettext_noop("%(drugs)s (PCd without cyclophosphamide)."),
                          drugs=_drug_list(library, "Pd")), citation)


def _bispecific_options(b):
    """Fjerdelinjebehandling: teclistamab or elranatamab, or talquetamab (when reimbursed)."""
    citation = myeloma(S_LINE4)
    for bispecific in ("teclistamab", "elranatamab"):
        b.option(bispecific, 1, msg("relapse.bcma_bispecific", gettext_noop(
            "BCMA × CD3 bispecific antibody, step-up dosing.")), citation)
    b.option("talquetamab", 2, msg("relapse.gprc5d_bispecific", gettext_noop(
        "GPRC5D × CD3 bispecific antibody, when reimbursed.")), citation, awaiting_reimbursement=True)


def _triple_class(history):
    return (
        (msg("relapse.class_imid", gettext_noop("an immunomodulatory drug (lenalidomide or pomalidomide)")),
         bool(history.exposed & LINE4_IMIDS)),
        (msg("relapse.class_proteasome_inhibitor", gettext_noop(
            "a proteasome inhibitor (bortezomib, carfilzomib or ixazomib)")),
         bool(history.exposure.proteasome_inhibitor)),
        (msg("relapse.class_cd38", gettext_noop("a CD38 antibody (daratumumab, isatuximab)")),
         bool(history.exposure.cd38)),
    )


def fourth_line(b: Builder, facts: PatientFacts, history: HistoryReading, library: Library) -> None:
    """Fjerdelinjebehandling: triple-class exposed → bispecific antibody regardless of which line 1–3 regimens
    were given."""
    classes = _triple_class(history)
    if all(ok for _name, ok in classes):
        b.reasons.append(msg("relapse.triple_class_exposed", gettext_noop(
            "Triple-class exposed (an IMiD, a proteasome inhibitor and a CD38 antibody): bispecific antibody.")))
        _bispecific_options(b)
    else:
        lacking = [name for name, ok in classes if not ok]
        b.ambiguous(myeloma(S_LINE4), "Pasienter som kommer til fjerde linje og som i en av de tidligere linjene "
                    "har mottatt en immunmodulator …, en proteasomhemmer … og et CD38-antistoff … bør få "
                    "bispesifikt antistoff",
                    msg("relapse.line4_not_triple_class", gettext_noop(
                        "Not yet exposed to %(classes)s: the 4th-line row does not apply; the app applies the "
                        "3rd-line rules to reach the missing class first."), classes=semicolons(lacking)))
        third_line(b, history, library)
    if facts.cytogenetics.t11_14 is True:
        b.notes.append(msg("relapse.venetoclax_t11_14", gettext_noop(
            "t(11;14): venetoclax (off-label) may be considered from 4th line at the earliest, after local approval "
            "/ the expert panel (Ekspertpanelet).")))
        b.cite(myeloma(S_LINE5))


def from_fifth_line(b: Builder, facts: PatientFacts, history: HistoryReading, library: Library) -> None:
    """Behandling fra 5.linje: after (or without access to) bispecific antibodies: Elo-Pd if pomalidomide not
    tried; venetoclax-dexamethasone off-label with t(11;14); 6th line: alkylators."""
    citation = myeloma(S_LINE5)
    rank = 1
    if not history.exposed & BISPECIFICS:
        b.reasons.append(msg("relapse.line5_no_bispecific", gettext_noop(
            "No bispecific antibody in the history: 5th-line options apply after immunotherapy or if immunotherapy "
            "is not available.")))
        _bispecific_options(b)
        rank = 3
    else:
        b.reasons.append(msg("relapse.line5_bispecific_tried", gettext_noop(
            "Bispecific antibody tried: 5th-line options.")))
    fifth = 0
    if "pomalidomide" not in history.exposed:
        b.option("Elo-Pd", rank, msg("relapse.elo_pd", gettext_noop(
            "%(drugs)s — pomalidomide not tried before. The guideline gives no dosing table: the protocol is a draft "
            "until a pharmacist completes it."), drugs=_drug_list(library, "Elo-Pd")), citation)
        fifth += 1
    else:
        b.reasons.append(msg("relapse.pomalidomide_tried", gettext_noop(
            "Pomalidomide already tried: Elo-Pd does not apply.")))
    t11_14 = facts.cytogenetics.t11_14
    if t11_14 is True and "venetoclax" not in history.exposed:
        b.option("Ven-Dex", rank, msg("relapse.ven_dex", gettext_noop(
            "Venetoclax with dexamethasone, doses and schedule as the Ven-Dex protocol gives them (its age rule for "
            "dexamethasone included); off-label, only with t(11;14), earliest 4th line, after local approval / the "
            "expert panel.")), citation)
        fifth += 1
    elif t11_14 is None:
        b.lack("cytogenetics.t11_14")
        b.reasons.append(msg("relapse.t11_14_unknown", gettext_noop(
            "t(11;14) unknown: venetoclax-dexamethasone is only for t(11;14).")))
    sixth = history.line_number >= 6
    if sixth or not fifth:
        alky_rank = rank + (1 if fifth else 0)
        if sixth:
            b.reasons.append(msg("relapse.line6_alkylators", gettext_noop(
                "6th line / all of the above tried: alkylators.")))
        else:
            b.reasons.append(msg("relapse.line5_none_applies_alkylators", gettext_noop(
                "No 5th-line regimen applies: alkylators (guideline: %(words)s)."),
                words=Quote("'når alt over er prøvd'")))
        for alkylator in ("bendamustine", "cyclophosphamide", "melphalan"):
            b.option(alkylator, alky_rank, msg("relapse.alkylator", gettext_noop(
                "Alkylator: %(drug)s. The guideline names the drug without a regimen or dose."),
                drug=drug(alkylator)), citation)


def _relapse_transplant_note(b, facts, history):
    """Behandling av tilbakefall: "HMAS ved tilbakefall anbefales bare for pasienter som ikke tidligere har fått
    HMAS, og som anses å kunne tåle HMAS." """
    if history.previous_transplant is True:
        b.reasons.append(msg("relapse.hmas_already_given", gettext_noop("HMAS already given: no HMAS at relapse.")))
        return
    if history.previous_transplant is None:
        for line in history.lines:
            if line.line.autologous_transplant is None:
                b.lack(line.path("autologous_transplant"))
    if facts.frailty is None:
        b.lack("frailty")
    if facts.frailty in (Frailty.UNFIT, Frailty.FRAIL):
        b.reasons.append(msg("relapse.not_fit_no_hmas", gettext_noop("Not fit: HMAS at relapse does not apply.")))
        return
    b.notes.append(msg("relapse.hmas_at_relapse", gettext_noop(
        "HMAS at relapse only if the patient has not had HMAS before and is considered able to tolerate it; the "
        "induction is chosen like relapse treatment and continued after HMAS.")))


def _induction_without_transplant(facts: PatientFacts, history: HistoryReading):
    """The first-line induction of a transplant candidate not yet transplanted — where «Primært refraktær sykdom»
    («Vi anbefaler følgende håndtering i forbindelse med HMAS») applies: the latest group is line 1, no line had
    an autologous transplant, and the patient is not unfit/frail. None otherwise."""
    last = history.latest
    if last is None or last.number != 1 or any(line.transplant for line in history.lines):
        return None
    if facts.frailty in (Frailty.UNFIT, Frailty.FRAIL):
        return None
    return last


def primary_refractory(b: Builder, facts: PatientFacts, history: HistoryReading, library: Library) -> bool:
    """«Primært refraktær sykdom», the three rows for transplant candidates, read from
    ``treatment_history[].progression_in_induction`` on the induction line. True when a row applied (the
    second-line rows are then not given); unknown → listed missing and the second-line rows follow."""
    line = _induction_without_transplant(facts, history)
    if line is None:
        return False
    citation = myeloma(S_PRIMARY_REFRACTORY)
    where = line.line.progression_in_induction
    if where is None:
        b.lack(line.path("progression_in_induction"))
        b.reasons.append(msg("relapse.primary_refractory_unknown", gettext_noop(
            "First-line induction without HMAS: whether the disease progressed early or late in induction, or "
            "responded suboptimally without progression, is not recorded — it decides the rows of Primært "
            "refraktær sykdom; the 2nd-line rows are shown until it is.")))
        b.cite(citation)
        return False
    b.cite(citation)
    if where == ProgressionInInduction.EARLY:
        b.reasons.append(msg("relapse.primary_refractory_early", gettext_noop(
            "Primary refractory disease, progression early in induction: switch the induction treatment and "
            "involve an expert in the choice (Primært refraktær sykdom); the induction is chosen like relapse "
            "treatment (Behandling av tilbakefall) — the 2nd-line rows below, without the drugs the patient is "
            "refractory to.")))
        b.notes.append(msg("relapse.primary_refractory_expert", gettext_noop(
            "Involve an expert in the choice of the new induction (Primært refraktær sykdom).")))
        second_line(b, history, library, citation=myeloma(S_LINE2))
    elif where == ProgressionInInduction.LATE:
        b.reasons.append(msg("relapse.primary_refractory_late", gettext_noop(
            "Primary refractory disease, progression late in induction: go quickly to HMAS (Primært refraktær "
            "sykdom).")))
        b.option("Mel-HMAS", 1, msg("relapse.primary_refractory_hmas_quickly", gettext_noop(
            "Go quickly to HMAS.")), citation)
    else:
        b.reasons.append(msg("relapse.primary_refractory_suboptimal", gettext_noop(
            "No progression but suboptimal response in induction: complete 6 cycles of induction and go quickly to "
            "HMAS (Primært refraktær sykdom).")))
        b.option("Mel-HMAS", 1, msg("relapse.primary_refractory_six_cycles_then_hmas", gettext_noop(
            "After 6 completed induction cycles, quickly.")), citation)
    if where in (ProgressionInInduction.EARLY, ProgressionInInduction.LATE):
        b.notes.append(msg("relapse.primary_refractory_tandem", gettext_noop(
            "Progression during induction: tandem HMAS is recommended — harvest stem cells for two "
            "(Pasienter som er kandidater for HMAS).")))
        b.cite(myeloma(S_HMAS))
    return True


def primary_refractory_notes(b: Builder) -> None:
    """Primært refraktær sykdom, the three rows for transplant candidates."""
    b.notes.append(msg("relapse.primary_refractory", gettext_noop(
        "Primary refractory disease: progression early in induction → switch induction and involve an expert; "
        "progression late in induction → go quickly to HMAS; no progression but suboptimal response → complete 6 "
        "induction cycles and go quickly to HMAS.")))
    b.cite(myeloma(S_PRIMARY_REFRACTORY))
