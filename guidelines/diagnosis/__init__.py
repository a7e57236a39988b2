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
    """Classify the patient by the table of «Diagnostiske kriterier» (``criteria.by_the_table``) and, for a
    treated patient, read the verdict after treatment (``after_treatment``).

    Order: plasma cell leukaemia («Plasmaceller >5 % av leukocytter i blod», Fernández de
    Larrea 2021; section Plasmacelleleukemi: «hos en pasient som oppfyller kriteriene for
    myelomatose»), POEMS (Danish guideline, Diagnostiske kriterier), then the myeloma table:
    behandlingskrevende myelomatose = «≥10 % klonale plasmaceller i benmarg eller
    biopsiverifisert plasmacytom i bein eller ekstramedullært og minst ett
    myelomatosedefinerende kriterium»; solitært plasmacytom; ulmende myelomatose; MGUS.
    Facts the decision needs but lacks are listed in ``missing``; when they could change the
    answer the code is INSUFFICIENT_DATA.

    ``history`` is the one reading of the treatment history ``evaluate`` makes with the protocol library
    (guidelines.history); without it the history is read here without the library, which is enough to
    tell POEMS from the rest (patients/responses.py) but reads a line recorded only by its regimen code as
    one whose drugs are unknown.
    """
    table, treated = by_the_table(facts)
    if treated is None:
        return table
    return after_treatment(facts, table, history if history is not None else read_history(facts), code=treated)
