"""The diagnosis of a treated patient: «Behandling av tilbakefall».

Source: Handlingsprogram for myelomatose, «Behandling av tilbakefall» (the two indications for relapse
treatment: clinical relapse and progressive disease), «Andrelinjebehandling» (refractory), «Strålebehandling»,
«Tilbakefall med plasmacytomer». The table of Diagnostiske kriterier (guidelines.diagnosis.criteria)
describes untreated disease; here its verdict is read with the one reading of the treatment history
(guidelines.history).
"""

from dataclasses import replace

from guidelines.diagnosis.criteria import Code, Diagnosis
from guidelines.diagnosis.events import defining_events
from guidelines.facts import PatientFacts, Plasmacytoma
from guidelines.history import CITE_RELAPSE, HistoryReading
from guidelines.messages import Term, gettext_noop, msg
from guidelines.rules import dedupe, joined
from guidelines.sources import ambiguity, myeloma, source_quote

CITE_PLASMACYTOMA_RELAPSE = myeloma("Strålebehandling", "Tilbakefall med plasmacytomer")
# Rows of the table that describe untreated disease only: after treatment they say nothing of relapse.
UNTREATED_ROWS = (Code.INSUFFICIENT_DATA, Code.MGUS, Code.SMOLDERING_MYELOMA)
# The defining events the guideline lists as clinical relapse («forverring av hyperkalsemi, anemi eller
# nyresvikt», «nye eller økte osteolytiske … lesjoner»); S, Li and M are not in that list.
CLINICAL_EVENTS = ("C", "R", "A", "B")
RELAPSE_SOURCE = source_quote("after_treatment.relapse")
PLASMACYTOMA_RELAPSE_SOURCE = source_quote("after_treatment.plasmacytoma_relapse")
PROGRESSION_INDICATION = ambiguity("after_treatment.ambiguity_progression_indication")
PLASMACYTOMA_RELAPSE = ambiguity("after_treatment.ambiguity_plasmacytoma_relapse")
POSSIBLE_CLINICAL_RELAPSE = ambiguity("after_treatment.ambiguity_possible_clinical_relapse")


def possible_clinical_relapse(facts: PatientFacts) -> tuple[str, ...]:
    """The defining events of clinical relapse (C, R, A, B) present in the current facts."""
    events = defining_events(facts)
    return tuple(e for e in CLINICAL_EVENTS if events[e].met is True)


def plasmacytoma_relapse(facts: PatientFacts, history: HistoryReading) -> bool:
    """A plasmacytoma on record in a patient treated systemically: relapse with plasmacytoma."""
    return facts.imaging.plasmacytoma in (Plasmacytoma.BONE, Plasmacytoma.EXTRAMEDULLARY) and bool(history.systemic)


def _annotated(table: Diagnosis, note: str, *, citations=(), ambiguities=()) -> Diagnosis:
    """The table's verdict unchanged, with a note and the citations and ambiguities behind it."""
    return replace(table, notes=(*table.notes, note), citations=dedupe((*table.citations, *citations)),
                   ambiguities=dedupe((*table.ambiguities, *ambiguities)))


def after_treatment(facts: PatientFacts, table: Diagnosis, history: HistoryReading, *,
                    code: Code = Code.ACTIVE_MYELOMA) -> Diagnosis:
    """The table's verdict for a patient with a treatment history (Behandling av tilbakefall).

    The rows MGUS, smouldering myeloma and «not enough facts» describe untreated disease, and a
    plasmacytoma after systemic treatment is not a solitary plasmacytoma. After treatment:
    progressive disease recorded on the latest line (``history.progression``), or > 5 % plasma cells
    in the blood, makes the patient ``code`` (ACTIVE_MYELOMA, PLASMA_CELL_LEUKEMIA in the PCL branch)
    with the next line's options; a plasmacytoma makes it ACTIVE_MYELOMA, a relapse with plasmacytoma
    (Tilbakefall med plasmacytomer); a defining event of clinical relapse (C, R, A, B) without recorded
    progression stays a possible clinical relapse, to be confirmed by recording the progression. The
    table's own findings and missing facts are kept and the interpretation is shown. Radiotherapy
    alone is not systemic treatment."""
    if not history.systemic:
        return table
    label, evidence = history.progression_label, [p.text for p in history.progression]
    ambiguities = list(history.progression_ambiguities)
    plasmacytoma = plasmacytoma_relapse(facts, history)
    if table.code == Code.ACTIVE_MYELOMA:
        if evidence:
            return table
        return _annotated(
            table,
            msg("after_treatment.note_events_without_progression", gettext_noop(
                "Treated before (latest: %(line)s) and no progression is recorded on that line: the defining events "
                "may persist from before or come from the treatment — a clinical relapse needs them new or "
                "worsening (Behandling av tilbakefall); if so, record the progression date on the line."),
                line=label),
            citations=(CITE_RELAPSE, *((CITE_PLASMACYTOMA_RELAPSE,) if plasmacytoma else ())),
            ambiguities=(*ambiguities, *((PLASMACYTOMA_RELAPSE,) if plasmacytoma else ())),
        )
    rows = UNTREATED_ROWS + (Code.SOLITARY_PLASMACYTOMA,)
    if table.code not in rows:
        return table
    if not evidence and not plasmacytoma:
        possible = [e for e in CLINICAL_EVENTS if e in table.myeloma_defining_events]
        note = (
            msg("after_treatment.note_possible_clinical_relapse", gettext_noop(
                "Possible clinical relapse after treatment: %(events)s — if new or worsening it is a clinical "
                "relapse, which is always treated: record the progression date on the latest line and the next "
                "line's options follow; hypercalcaemia, anaemia and renal failure are checked for other causes "
                "(Diagnostiske kriterier, Kommentarer)."), events=list(possible))
            if possible else
            msg("after_treatment.note_no_progression", gettext_noop(
                "Treated before (latest: %(line)s), and no progression is recorded on that line (no refractory drug "
                "of the line, no progression date, no months from transplant to progression) and no clinical "
                "relapse is found: relapse treatment is indicated by clinical relapse (new or growing osteolytic or "
                "soft-tissue lesions, worsening hypercalcaemia, anaemia or renal failure; hyperviscosity) or by "
                "progressive disease (table 8.2). When the disease progresses, record the progression date on the "
                "line (and the refractory drugs, if within 60 days of stopping)."), line=label)
        )
        return _annotated(table, note, citations=(CITE_RELAPSE,),
                          ambiguities=(*ambiguities, *((POSSIBLE_CLINICAL_RELAPSE,) if possible else ())))
    reasons = []
    if evidence:
        reasons.append(msg("after_treatment.progressive_disease", gettext_noop(
            "treated before: %(evidence)s — progressive disease after treatment, an indication for relapse "
            "treatment (Behandling av tilbakefall)"), evidence=joined(evidence)))
        ambiguities.append(PROGRESSION_INDICATION)
    if plasmacytoma:
        reasons.append(msg("after_treatment.plasmacytoma_relapse", gettext_noop(
            "treated before: a plasmacytoma (%(kind)s) after systemic treatment — a relapse with plasmacytoma "
            "(Tilbakefall med plasmacytomer), if new or growing"), kind=Term(facts.imaging.plasmacytoma)))
        ambiguities.append(PLASMACYTOMA_RELAPSE)
    reasons.append(msg("after_treatment.table_alone", gettext_noop(
        "the diagnostic table alone, on the current facts, gives %(diagnosis)s: it describes untreated disease"),
        diagnosis=table.code.value))
    notes = [msg("after_treatment.note_no_later_line", gettext_noop(
        "Assumes that no line after %(line)s has started; if one has, record it."), line=label)]
    if evidence:
        notes.append(msg("after_treatment.note_confirm_progression", gettext_noop(
            "Clinical relapse is always treated; biochemical relapse in most cases (Behandling av tilbakefall). "
            "Confirm the progression with the response tracker (table 8.2).")))
    table_notes = () if table.code == Code.SOLITARY_PLASMACYTOMA else table.notes  # its 3-year risks do not apply
    return Diagnosis(
        code=code,
        myeloma_defining_events=table.myeloma_defining_events,
        reasons=(*reasons, *table.reasons),
        missing=table.missing,
        citations=dedupe((CITE_RELAPSE, *((CITE_PLASMACYTOMA_RELAPSE,) if plasmacytoma else ()), *table.citations)),
        notes=(*table_notes, *notes),
        ambiguities=dedupe((*table.ambiguities, *ambiguities)),
    )
