"""Diagnosis of a plasma cell disorder from one patient's facts (Handlingsprogram for myelomatose,
"Diagnostiske kriterier"; POEMS from the Danish guideline).

- ``events``: the myeloma-defining events, CRAB + SLiM («Myelomatosedefinerende kriterier»);
- ``criteria``: the table of «Diagnostiske kriterier», which describes untreated disease;
- ``after_treatment``: the table's verdict for a treated patient («Behandling av tilbakefall»).
"""

from guidelines.diagnosis.after_treatment import after_treatment, plasmacytoma_relapse, possible_clinical_relapse
from guidelines.diagnosis.criteria import Code, Diagnosis, by_the_table, flc_ratio_abnormal
from guidelines.diagnosis.events import EVENTS, defining_events
from guidelines.facts import PatientFacts
from guidelines.history import HistoryReading, read_history

__all__ = ["EVENTS", "Code", "Diagnosis", "classify", "defining_events", "flc_ratio_abnormal",
           "plasmacytoma_relapse", "possible_clinical_relapse"]


def classify(facts: PatientFacts, history: HistoryReading | None = None) -> Diagnosis:
    """Classify the patient by the table of «Diagnostiske kriterier» (``criteria.by_the_table``: plasma cell
    leukaemia, POEMS, then the rows of the myeloma table) and, for a treated patient, read the verdict after
    treatment (``after_treatment``, «Behandling av tilbakefall»).

    ``history`` is the one reading of the treatment history ``evaluate`` makes with the protocol library
    (guidelines.history); without it the history is read here without the library, which is enough to
    tell POEMS from the rest (patients/responses.py) but reads a line recorded only by its regimen code as
    one whose drugs are unknown.
    """
    table, treated = by_the_table(facts)
    if treated is None:
        return table
    return after_treatment(facts, table, history if history is not None else read_history(facts), code=treated)
