"""«Vurdering av behandlingsrespons og kontroll»: a treated patient without recorded progression gets no new
line, but the response monitoring plan.

Source: Handlingsprogram for myelomatose 1.2, "Vurdering av behandlingsrespons og kontroll" and "Behandling
av tilbakefall" (the indications for relapse treatment; «All behandling er i utgangspunktet kontinuerlig»).
"""

from guidelines.advice import TreatmentAdvice
from guidelines.diagnosis import possible_clinical_relapse
from guidelines.facts import PatientFacts
from guidelines.history import HistoryReading
from guidelines.library import NO_LIBRARY, Library
from guidelines.messages import Quote, gettext_noop, msg
from guidelines.sources import myeloma
from guidelines.terms import code, semicolons
from guidelines.treatment.common import INSUFFICIENT_DATA, NO_PLASMA_CELL_DISORDER, NONE, S_RELAPSE, S_RESPONSE, Builder
from guidelines.treatment.maintenance import maintenance_notes

MONITORING = msg("monitoring.response_monitoring", gettext_noop(
    "Response monitoring (Vurdering av behandlingsrespons og kontroll): on treatment, response is assessed at each "
    "cycle start (every 2 cycles on first-line maintenance) with the blood and urine tests of the diagnosis except "
    "β2-microglobulin; oligo- and non-secretory disease is followed with bone marrow and PET every 6 months in "
    "first line and every 3 months from the first relapse, biopsy and PET alternately; low-dose CT at each "
    "treatment start, otherwise imaging only on clinical indication (not more often than every 6 months). "
    "Measurable disease: serum M-component 10 g/L, urine M-component 200 mg/24 h, involved light chain 100 mg/L "
    "(light chains only without a measurable M-component). The guideline gives no interval for a patient off "
    "treatment."))
CONTINUOUS = msg("monitoring.continuous", gettext_noop(
    "Treatment is in principle continuous (%(words)s, Behandling av tilbakefall): reduced and then stopped for "
    "intolerance, not restarted because of this advice."),
    words=Quote("«All behandling er i utgangspunktet kontinuerlig»"))


def treated_without_progression(facts: PatientFacts, history: HistoryReading, diagnosis_code: str, *,
                                library: Library = NO_LIBRARY) -> TreatmentAdvice:
    """Behandling av tilbakefall: a treated patient whose record shows no progression on the latest line
    (guidelines.diagnosis.after_treatment makes those ACTIVE_MYELOMA) gets no new line: the
    response-monitoring plan, and a possible clinical relapse (a defining event of C, R, A, B) named
    as such, to be confirmed by recording the progression. «No plasma cell disorder» after treatment has
    its own wording. After HMAS: the maintenance window and the CD38 antibody's stop rule
    (guidelines.treatment.maintenance, «Vedlikeholdsbehandling etter HMAS»)."""
    label, evidence = history.progression_label, [p.text for p in history.progression]
    b = Builder(NONE)
    b.cite(myeloma(S_RELAPSE))
    b.cite(myeloma(S_RESPONSE))
    possible = possible_clinical_relapse(facts)
    if diagnosis_code == NO_PLASMA_CELL_DISORDER:
        b.reasons.append(msg("monitoring.no_clonal_marker", gettext_noop(
            "Treated before (latest: %(label)s); the current facts show no clonal marker: a deep response (judge it "
            "by table 8.2 in the response tracker), or oligo- or non-secretory disease, which is followed with bone "
            "marrow and PET. No new line is recommended from these facts."), label=label))
        if evidence:
            b.reasons.append(msg("monitoring.progression_without_clonal_marker", gettext_noop(
                "Progression is recorded on that line (%(evidence)s), and no clonal marker is found now: a relapse "
                "of oligo- or non-secretory disease is judged by bone marrow and PET; if a later line has started, "
                "record it."), evidence=semicolons(evidence)))
            if facts.marrow.clonal_plasma_cells_pct is None:
                b.lack("marrow.clonal_plasma_cells_pct")
    else:
        b.reasons.append(msg("monitoring.possible_clinical_relapse", gettext_noop(
            "Treated before (latest: %(label)s): possible clinical relapse — %(events)s on the current facts. If new "
            "or worsening, it is a clinical relapse, which is always treated (Behandling av tilbakefall): record the "
            "progression date on that line and the options of the next line are shown. Hypercalcaemia, anaemia and "
            "renal failure: check for other causes, the treatment among them."), label=label, events=list(possible))
            if possible else msg("monitoring.no_progression_no_relapse", gettext_noop(
                "Treated before (latest: %(label)s) with no progression recorded on that line and no clinical "
                "relapse found: no new line is recommended. The current facts give %(diagnosis)s, a row of the "
                "diagnostic table, which describes untreated disease; relapse treatment is indicated by clinical "
                "relapse or by progressive disease (table 8.2)."), label=label, diagnosis=code(diagnosis_code)))
        b.lack(progression_date_path(history))
    if diagnosis_code == INSUFFICIENT_DATA:
        b.reasons.append(msg("monitoring.missing_facts_may_be_relapse", gettext_noop(
            "Facts the diagnosis lacks are listed as missing: a new lesion among them would be a clinical "
            "relapse.")))
    b.notes += [MONITORING, CONTINUOUS]
    maintenance_notes(b, facts, history, library)
    return b.build()


def progression_date_path(history: HistoryReading) -> str:
    """The JSON path of the latest systemic line's progression date: where recorded progression counts."""
    return history.progression_line.path("progression_date")
