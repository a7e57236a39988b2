"""Supportive care from the Norwegian myeloma action programme, chapter "Støttebehandling".

Sections: Tromboseprofylakse, Bisfosfonater og denosumab, Infeksjonsforebyggende behandling (vaccine table and
"Øvrig infeksjonsprofylakse"), Anemibehandling, Behandling av hyperkalsemi. Pure Python, no Django.
A fact a rule needs but does not have is named in the item's reasons as ``missing: <JSON path>``. Every
text is a message (guidelines.messages): a code, an English template and its parameters.

Supportive care follows the treatment, not only the diagnosis drawn from today's labs (contract v1.1;
docs/adr/0022-supportive-care-follows-the-treatment.md): ``treatment_events`` reads the one history reading
(guidelines.history) and ``current_treatment`` into TreatmentEvents — whether the patient has been treated for
myeloma, the HMAS reinfusion date (day 0), whether CAR-T was given, the start of a current bispecific — and
every item the guideline dates from such an event carries its ``due_date``.

This module holds the orchestrator ``supportive_care``, thromboprophylaxis and anaemia; ``bone`` holds
«Bisfosfonater og denosumab» and hypercalcaemia, ``infection`` the vaccines and infection prophylaxis,
``events`` what the treatment says, ``common`` the headings and limits they share.
"""

from dataclasses import replace
from datetime import date

from guidelines.advice import SupportiveItem
from guidelines.facts import PatientFacts
from guidelines.messages import Quantity, gettext_noop, msg
from guidelines.sources import myeloma
from guidelines.supportive.bone import _bone, _hypercalcaemia
from guidelines.supportive.common import (
    MYELOMA_DIAGNOSES,
    S_ANAEMIA,
    S_THROMBOSIS,
    THROMBOGENIC_IMIDS,
)
from guidelines.supportive.events import NO_EVENTS, TreatmentEvents, treatment_events
from guidelines.supportive.infection import _infection, _vaccines, add_months, hmas_vaccination_schedule
from guidelines.terms import code
from guidelines.terms import drugs as terms
from guidelines.treatment.common import (
    NO_PLASMA_CELL_DISORDER,
    POEMS,
)

__all__ = ["NO_EVENTS", "TreatmentEvents", "add_months", "hmas_vaccination_schedule", "supportive_care",
           "treatment_events"]


def supportive_care(facts: PatientFacts, *, diagnosis_code: str, setting: str, egfr_ml_min: float | None,
                    regimen_drugs=(), reinfusion_date: date | None = None, igg_g_l: float | None = None,
                    car_t: bool = False, ionised_calcium_mmol_l: float | None = None,
                    events: TreatmentEvents = NO_EVENTS) -> tuple[SupportiveItem, ...]:
    """The supportive-care measures that apply to this patient and treatment (Støttebehandling).

    ``regimen_drugs`` are the drugs of the current or planned regimen (contract drug names); ``reinfusion_date``
    the HMAS stem cell reinfusion date; ``igg_g_l`` polyclonal serum IgG; ``car_t`` whether the patient gets or
    got CAR-T; ``events`` what the treatment says (``treatment_events``; its reinfusion date and CAR-T add to
    the arguments). POEMS follows the Danish guideline and gets nothing here.

    Follows the treatment: a patient treated for myeloma (``events.treated``) gets the myeloma package — bone
    protection («Også pasienter uten skjelettskade ved diagnosetidspunkt har effekt»), vaccines, infection
    prophylaxis — also when today's labs read as remission (MGUS, no plasma cell disorder, not enough facts);
    each such item says so in its reasons. An untreated patient is read by the diagnosis alone, as before."""
    if diagnosis_code == POEMS or (diagnosis_code == NO_PLASMA_CELL_DISORDER and not events.treated):
        return ()
    reinfusion_date = reinfusion_date or events.reinfusion_date
    car_t = car_t or events.car_t
    drugs = frozenset(regimen_drugs) | frozenset(events.bispecific_drugs)
    items = []
    items += _thrombosis(drugs)
    if diagnosis_code in MYELOMA_DIAGNOSES or events.treated:
        package = []
        package += _bone(facts, setting=setting, egfr_ml_min=egfr_ml_min)
        package += _vaccines(setting=setting, reinfusion_date=reinfusion_date, car_t=car_t, events=events)
        package += _infection(drugs, setting=setting, reinfusion_date=reinfusion_date, igg_g_l=igg_g_l, car_t=car_t,
                              events=events)
        if diagnosis_code not in MYELOMA_DIAGNOSES:
            follows = msg("supportive.follows_treatment", gettext_noop(
                "Treated for myeloma (%(treatment)s): supportive care follows the treatment, not only today's "
                "diagnosis %(diagnosis)s."), treatment=list(events.treated), diagnosis=code(diagnosis_code))
            package = [replace(item, reasons=(*item.reasons, follows)) for item in package]
        items += package
    items += _hypercalcaemia(facts, diagnosis_code=diagnosis_code, ionised_calcium_mmol_l=ionised_calcium_mmol_l)
    items += _anaemia(facts)
    return tuple(items)


def _thrombosis(drugs):
    """Tromboseprofylakse ved lenalidomid og pomalidomid: ASA 75 mg; high thrombosis risk: warfarin, DOAC or
    low-molecular-weight heparin (enoxaparin 40 mg or equivalent)."""
    imids = sorted(drugs & THROMBOGENIC_IMIDS)
    if not imids:
        return []
    return [SupportiveItem(
        "thrombosis",
        msg("supportive.thrombosis_prophylaxis", gettext_noop(
            "Thrombosis prophylaxis: acetylsalicylic acid 75 mg × 1 daily. High thrombosis risk (several risk "
            "factors): warfarin, a DOAC or low-molecular-weight heparin (enoxaparin 40 mg or equivalent) instead.")),
        myeloma(S_THROMBOSIS),
        (msg("supportive.regimen_contains", gettext_noop("Regimen contains %(drugs)s."), drugs=terms(imids)),),
    )]

def _anaemia(facts):
    """Anemibehandling: exclude other common causes; ESA if none found and treatment is needed."""
    hb, lower = facts.labs.hemoglobin_g_dl, facts.labs.hemoglobin_lower_limit_g_dl
    if hb is None or lower is None or hb >= lower:
        return []
    return [SupportiveItem(
        "anaemia", msg("supportive.anaemia_workup", gettext_noop(
            "Anaemia: exclude other common causes — at least reticulocytes, MCV, ferritin, iron/transferrin "
            "saturation/TIBC, B12 and folate. If no other cause is found and treatment is needed, an "
            "erythropoiesis-stimulating agent (ESA) can be tried.")), myeloma(S_ANAEMIA),
        (msg("supportive.haemoglobin_below_lower_limit", gettext_noop(
            "Haemoglobin %(hb)s g/dL below the lower limit %(lower)s g/dL."), hb=Quantity(hb), lower=Quantity(lower)),),
    )]
