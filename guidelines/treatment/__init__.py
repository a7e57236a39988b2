"""Treatment setting and regimen options from the Norwegian myeloma action programme, chapter "Behandling".

Source: Handlingsprogram for myelomatose (Norsk myelomatosegruppe) 1.2, 2025-11. One module per chapter of
the guideline, each named in its docstring:

- ``first_line``: «Førstegangsbehandling av myelomatose» (HMAS candidates, non-candidates) and
  «Plasmacelleleukemi»;
- ``relapse``: «Behandling av tilbakefall» — «Andrelinjebehandling» (``second_line``) to «Behandling fra
  5.linje», and «Primært refraktær sykdom»;
- ``monitoring``: «Vurdering av behandlingsrespons og kontroll» (treated, no progression recorded);
- ``car_t``: «Behandling med kimær antigen-reseptor T-celle (CAR-T) behandling»;
- ``allogeneic``: «Allogen stamcelletransplantasjon»;
- ``radiotherapy``: «Strålebehandling»;
- ``renal``: «Behandling ved nyresvikt»;
- ``common``: the codes, headings and builder they share.

The engine recommends, it does not decide: every option carries its citation, every advice its reasons,
the facts it lacked (JSON paths of the evaluate request) and the places where the guideline leaves a
boundary open (``Ambiguity``: source text + interpretation used). Options name regimens of the protocol
library; the doses are the library's (guidelines.library).
"""

from dataclasses import replace

from guidelines.advice import TreatmentAdvice
from guidelines.diagnosis import plasmacytoma_relapse
from guidelines.facts import PatientFacts
from guidelines.history import HistoryReading
from guidelines.library import Library
from guidelines.messages import gettext_noop, msg
from guidelines.sources import myeloma
from guidelines.terms import code
from guidelines.treatment import first_line, relapse
from guidelines.treatment.allogeneic import allo_criteria, progression_before_hmas
from guidelines.treatment.car_t import CarTAssessment, CarTVerdict, car_t_priority
from guidelines.treatment.common import (
    ACTIVE_MYELOMA,
    DIAGNOSIS_CODES,
    INSUFFICIENT_DATA,
    MGUS,
    NO_PLASMA_CELL_DISORDER,
    NONE,
    OBSERVE,
    PLASMA_CELL_LEUKEMIA,
    POEMS,
    RELAPSE_SETTINGS,
    S_FOLLOW_UP,
    SETTINGS,
    SMOLDERING_MYELOMA,
    SOLITARY_PLASMACYTOMA,
    Builder,
    line_label,
)
from guidelines.treatment.monitoring import treated_without_progression
from guidelines.treatment.radiotherapy import (
    DESCRIPTIVE as RADIOTHERAPY_CODES,
)
from guidelines.treatment.radiotherapy import (
    RadiotherapyAdvice,
    RadiotherapyIndication,
    plasmacytoma_relapse_advice,
    radiotherapy_advice,
    solitary_plasmacytoma,
)
from guidelines.treatment.renal import lenalidomide_renal_dose

__all__ = [
    "DESCRIPTIVE", "DIAGNOSIS_CODES", "REGIMENS", "RELAPSE_SETTINGS", "SETTINGS", "CarTAssessment", "CarTVerdict",
    "RadiotherapyAdvice", "RadiotherapyIndication", "allo_criteria", "car_t_priority", "lenalidomide_renal_dose",
    "progression_before_hmas", "radiotherapy_advice", "recommend",
]

# Every library regimen a chapter names, with the drugs its rules and words take it to contain; and the
# descriptive option codes, which name no library protocol (tests/guidelines/test_library_guard.py).
REGIMENS: dict[str, frozenset[str]] = {}
for _chapter in (first_line.REGIMENS, relapse.REGIMENS):
    for _code, _drugs in _chapter.items():
        REGIMENS[_code] = REGIMENS.get(_code, frozenset()) | _drugs
DESCRIPTIVE = first_line.DESCRIPTIVE | relapse.DESCRIPTIVE | RADIOTHERAPY_CODES


def recommend(facts: PatientFacts, *, history: HistoryReading, library: Library, diagnosis_code: str,
              high_risk: bool | None, egfr_ml_min: float | None) -> TreatmentAdvice:
    """Treatment setting and options for one patient (Handlingsprogram for myelomatose, "Behandling").

    ``history`` is the reading of ``facts.treatment_history`` (guidelines.history.read_history), ``library``
    the protocol library; ``high_risk`` is the IMS/IMWG 2024 verdict (None: unknown); ``egfr_ml_min`` the
    eGFR used (given or CKD-EPI 2021), None when unknown.
    """
    if history.lines and not history.systemic:
        return _after_radiotherapy_alone(facts, history=history, library=library, diagnosis_code=diagnosis_code,
                                         high_risk=high_risk, egfr_ml_min=egfr_ml_min)
    if history.lines and diagnosis_code in (MGUS, SMOLDERING_MYELOMA, INSUFFICIENT_DATA, NO_PLASMA_CELL_DISORDER):
        return treated_without_progression(facts, history, diagnosis_code, library=library)
    if diagnosis_code in (MGUS, SMOLDERING_MYELOMA):
        return _observe(diagnosis_code)
    if diagnosis_code == SOLITARY_PLASMACYTOMA:
        return solitary_plasmacytoma(facts)
    if diagnosis_code == POEMS:
        b = Builder(NONE)
        b.reasons.append(msg("treatment.poems_danish_guideline", gettext_noop(
            "POEMS syndrome: treatment follows the Danish POEMS guideline (POEMS module).")))
        b.notes.append(msg("treatment.poems_see_assessment", gettext_noop(
            "See the POEMS assessment for radiotherapy versus systemic treatment.")))
        return b.build()
    if diagnosis_code == PLASMA_CELL_LEUKEMIA and not history.lines:
        return first_line.plasma_cell_leukemia(facts, library=library, egfr_ml_min=egfr_ml_min)
    if diagnosis_code in (ACTIVE_MYELOMA, PLASMA_CELL_LEUKEMIA):
        if not history.lines:
            return first_line.first_line(facts, library=library, high_risk=high_risk, egfr_ml_min=egfr_ml_min)
        if plasmacytoma_relapse(facts, history) and not history.progression:
            # a plasmacytoma without recorded progression: defining events beside it may persist from before
            # or come from the treatment — named, not counted as systemic progression
            return plasmacytoma_relapse_advice(facts, history)
        return relapse.relapse(facts, history=history, library=library, diagnosis_code=diagnosis_code,
                               high_risk=high_risk, egfr_ml_min=egfr_ml_min)
    b = Builder(NONE)
    if diagnosis_code == INSUFFICIENT_DATA:
        b.reasons.append(msg("treatment.insufficient_data", gettext_noop(
            "The diagnosis could not be established from the facts given; no treatment is recommended until "
            "the facts listed as missing by the diagnosis are known.")))
    else:
        b.reasons.append(msg("treatment.no_disorder_requiring_treatment", gettext_noop(
            "Diagnosis %(diagnosis)s: no plasma cell disorder requiring treatment."), diagnosis=code(diagnosis_code)))
    return b.build()


def _after_radiotherapy_alone(facts, *, history, library, diagnosis_code, high_risk, egfr_ml_min):
    """Only radiotherapy is recorded (a solitary plasmacytoma treated): no systemic line. The advice for an
    untreated patient, except that a plasmacytoma still on record is read as the treated one."""
    lines = [line_label(line) for line in history.lines]
    if diagnosis_code == SOLITARY_PLASMACYTOMA:
        b = Builder(NONE)
        b.cite(myeloma(S_FOLLOW_UP))
        b.reasons.append(msg("treatment.radiotherapy_recorded_plasmacytoma", gettext_noop(
            "Radiotherapy is recorded (%(lines)s): the plasmacytoma on record is read as the treated one, followed "
            "as a plasmacytoma after treatment (Oppfølging av MGUS, ulmende myelomatose og plasmacytomer); no new "
            "radiotherapy is offered. If the lesion is new or growing, specialist review."), lines=lines))
        return b.build()
    advice = recommend(replace(facts, treatment_history=()), history=HistoryReading(), library=library,
                       diagnosis_code=diagnosis_code, high_risk=high_risk, egfr_ml_min=egfr_ml_min)
    return replace(advice, notes=(*advice.notes, msg("treatment.radiotherapy_alone_recorded", gettext_noop(
        "Radiotherapy alone is recorded (%(lines)s): not a systemic line of treatment; the advice is that for a "
        "patient not treated systemically."), lines=lines)))


def _observe(diagnosis_code):
    """Oppfølging av MGUS, ulmende myelomatose og plasmacytomer: no treatment, follow-up."""
    b = Builder(OBSERVE)
    if diagnosis_code == MGUS:
        b.reasons.append(msg("treatment.observe_mgus", gettext_noop(
            "MGUS: no myeloma-defining event, so no treatment; follow up as the guideline describes.")))
    else:
        b.reasons.append(msg("treatment.observe_smouldering", gettext_noop(
            "Smouldering myeloma: no myeloma-defining event, so no treatment; follow up as the guideline "
            "describes.")))
    b.cite(myeloma(S_FOLLOW_UP))
    return b.build()
