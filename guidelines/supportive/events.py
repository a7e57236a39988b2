"""What supportive care reads from the treatment: the events it dates items from (docs/adr/0022)."""

from dataclasses import dataclass
from datetime import date

from guidelines.facts import PatientFacts
from guidelines.history import CAR_T_WORDS, HistoryReading
from guidelines.messages import gettext_noop, msg
from guidelines.supportive.common import (
    BISPECIFICS,
)


@dataclass(frozen=True)
class TreatmentEvents:
    """What supportive care reads from the treatment (history and ``current_treatment``), worked out once by
    ``treatment_events``.

    ``treated``: labels of the latest systemic treatment given and of the current one (empty: untreated) — a
    patient treated for myeloma keeps the myeloma package (bone, vaccines, infection prophylaxis) whatever
    today's labs say.
    ``reinfusion_date``: the latest HMAS stem cell reinfusion, day 0 (``treatment_history[].transplant_date`` of a
    line that is not CAR-T); ``reinfusion_missing``: the JSON path to ask for when a line records an
    autologous transplant without its date (on the latest line, no progression recorded). ``car_t``: CAR-T in
    the history or the current regimen.
    ``bispecific_start``: ``current_treatment.start_date`` when the current regimen is a bispecific antibody
    (``bispecific_drugs``); ``bispecific_missing``: that path when the start date is not known."""

    treated: tuple[str, ...] = ()
    reinfusion_date: date | None = None
    reinfusion_missing: str | None = None
    car_t: bool = False
    bispecific_drugs: tuple[str, ...] = ()
    bispecific_start: date | None = None
    bispecific_missing: str | None = None


NO_EVENTS = TreatmentEvents()


def treatment_events(facts: PatientFacts, history: HistoryReading, current_drugs=()) -> TreatmentEvents:
    """The events supportive care dates from, read from the one history reading and ``current_treatment``
    (``current_drugs``: the drugs of ``current_treatment.regimen``, from the protocol library).

    A ``transplant_date`` on a CAR-T line is not the HMAS reinfusion: the HMAS revaccination («3, 4 og 5 måneder
    etter reinfusjon») is not dated from it. Radiotherapy alone is not systemic treatment (history.systemic)."""
    current = facts.current_treatment
    current_car_t = any(word in (current.regimen or "").lower() for word in CAR_T_WORDS)
    # named by the latest line (with its HMAS and maintenance) and the current treatment when it is another one
    treated = [line.label for line in history.latest_group]
    if current.regimen and (current_drugs or current_car_t) and current.regimen not in {
            line.line.regimen for line in history.latest_group}:
        treated.append(msg("supportive.current_treatment", gettext_noop("current treatment %(regimen)s"),
                           regimen=current.regimen))
    hmas_dates = [line.line.transplant_date for line in history.lines
                  if line.line.transplant_date is not None and not line.car_t]
    # an undated transplant is asked for only on the latest line without recorded progression (in remission or on
    # maintenance after it): after a relapse the HMAS schedule is not asked for again
    undated = [line for line in history.latest_group if line.transplant and line.line.transplant_date is None
               and not line.car_t] if not history.progression else []
    bispecifics = tuple(sorted(frozenset(current_drugs) & BISPECIFICS))
    return TreatmentEvents(
        treated=tuple(treated),
        reinfusion_date=max(hmas_dates) if hmas_dates else None,
        reinfusion_missing=undated[-1].path("transplant_date") if undated and not hmas_dates else None,
        car_t=history.car_t or current_car_t,
        bispecific_drugs=bispecifics,
        bispecific_start=current.start_date if bispecifics else None,
        bispecific_missing="current_treatment.start_date" if bispecifics and current.start_date is None else None,
    )
