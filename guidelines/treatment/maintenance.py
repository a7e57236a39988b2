"""«Vedlikeholdsbehandling etter HMAS»: when maintenance starts after HMAS, and when the CD38 antibody of a
maintenance stops.

Source: Handlingsprogram for myelomatose 1.2, "Vedlikeholdsbehandling etter HMAS": «Det anbefales oppstart av
vedlikeholdsbehandling med lenalidomid 8-14 uker etter HMAS»; "Daratumumab og lenalidomid vedlikehold" and
"Isatuximab og lenalidomid vedlikehold", «Behandlingsvarighet»: «Hvis pasienten har vært i MRD negativ CR > 12
måneder kan daratumumab avsluttes. Lenalidomid kontinueres.» (isatuximab: the same words); Begrunnelse: «Vi
anbefaler at man stopper isatuximab etter samme regler som for daratumumab.»

The treatment of a patient after HMAS without recorded progression (guidelines.treatment.monitoring) carries
these notes. The window is dated from the HMAS reinfusion (``treatment_history[].transplant_date``; after a
tandem HMAS the second one, ``tandem_transplant_date``); the CD38 antibody is found among the drugs the protocol
library gives the current regimen (``current_treatment.regimen``), never from a list of regimen names here.
"""

from datetime import timedelta

from guidelines.facts import ANTI_CD38, PatientFacts, Phase
from guidelines.history import HistoryReading
from guidelines.library import Library, drugs_of
from guidelines.messages import Quantity, Quote, Term, gettext_noop, msg
from guidelines.sources import ambiguity, myeloma
from guidelines.terms import drug, drugs
from guidelines.treatment.common import Builder

S_MAINTENANCE = "Vedlikeholdsbehandling etter HMAS"
CITE_MAINTENANCE = myeloma(S_MAINTENANCE)
CITE_DURATION = myeloma(S_MAINTENANCE, "Daratumumab og lenalidomid vedlikehold / Isatuximab og lenalidomid "
                                       "vedlikehold: Behandlingsvarighet")

WINDOW_WEEKS = (8, 14)  # «8-14 uker etter HMAS»
WINDOW_SOURCE = Quote("«Det anbefales oppstart av vedlikeholdsbehandling med lenalidomid 8-14 uker etter HMAS»")
MRD_NEGATIVE_STOP_MONTHS = 12  # «MRD negativ CR > 12 måneder»
STOP_SOURCE = {
    "daratumumab": Quote("«Hvis pasienten har vært i MRD negativ CR > 12 måneder kan daratumumab avsluttes. "
                         "Lenalidomid kontinueres.»"),
    "isatuximab": Quote("«Hvis pasienten har vært i MRD negativ CR > 12 måneder kan isatuximab avsluttes. "
                        "Lenalidomid kontinueres.»"),
}
REPEAT_SOURCE = Quote("«Hvis MRD negativ (fravær av klonale plasmaceller med sensitivitet 10-5) gjentas MRD ved "
                      "EuroFlow etter 12 måneder.»")
TANDEM_AMBIGUITY = ambiguity("maintenance.ambiguity_tandem")


def maintenance_notes(b: Builder, facts: PatientFacts, history: HistoryReading, library: Library) -> None:
    """Both rules of «Vedlikeholdsbehandling etter HMAS» for a treated patient without recorded progression."""
    maintenance_window(b, facts, history)
    cd38_stop(b, facts, history, library)


def maintenance_window(b: Builder, facts: PatientFacts, history: HistoryReading) -> None:
    """«oppstart av vedlikeholdsbehandling med lenalidomid 8-14 uker etter HMAS»: when the latest line (with its
    mobilisation, HMAS and maintenance) had an autologous transplant and no progression is recorded, the window
    as dates: reinfusion + 8 weeks … reinfusion + 14 weeks. A transplant line without its date is listed as
    missing and the window is given in weeks only. A maintenance already running (``current_treatment``) is
    placed against the window."""
    if history.progression:
        return
    transplanted = [line for line in history.latest_group if line.transplant]
    if not transplanted:
        return
    b.cite(CITE_MAINTENANCE)
    undated = [line for line in transplanted if line.line.transplant_date is None]
    if undated:
        for line in undated:
            b.lack(line.path("transplant_date"))
        b.notes.append(msg("maintenance.window_undated", gettext_noop(
            "Maintenance after HMAS starts 8–14 weeks after HMAS (%(source)s). The date of the stem cell reinfusion "
            "is not recorded on %(lines)s: the window cannot be dated; record the transplant date."),
            source=WINDOW_SOURCE, lines=[line.label for line in undated]))
        return
    day, line = max(((t.line.tandem_transplant_date or t.line.transplant_date, t) for t in transplanted),
                    key=lambda item: (item[0], item[1].index))
    tandem = line.line.tandem_transplant_date is not None
    earliest, latest = (day + timedelta(weeks=weeks) for weeks in WINDOW_WEEKS)
    if tandem:
        b.ambiguous(CITE_MAINTENANCE, TANDEM_AMBIGUITY.source_text, TANDEM_AMBIGUITY.interpretation)
        b.notes.append(msg("maintenance.window_after_tandem", gettext_noop(
            "Maintenance after HMAS: start between %(earliest)s and %(latest)s — 8–14 weeks after the second (tandem) "
            "HMAS, reinfusion on %(reinfusion)s (%(line)s) (%(source)s)."),
            earliest=earliest, latest=latest, reinfusion=day, line=line.label, source=WINDOW_SOURCE))
    else:
        b.notes.append(msg("maintenance.window", gettext_noop(
            "Maintenance after HMAS: start between %(earliest)s and %(latest)s — 8–14 weeks after HMAS, reinfusion "
            "on %(reinfusion)s (%(line)s) (%(source)s)."),
            earliest=earliest, latest=latest, reinfusion=day, line=line.label, source=WINDOW_SOURCE))
    current = facts.current_treatment
    if current.phase == Phase.MAINTENANCE and current.start_date is not None:
        start = current.start_date
        if start < earliest:
            place = msg("maintenance.started_before_window", gettext_noop("before the window"))
        elif start > latest:
            place = msg("maintenance.started_after_window", gettext_noop("after the window"))
        else:
            place = msg("maintenance.started_within_window", gettext_noop("within the window"))
        b.reasons.append(msg("maintenance.started", gettext_noop(
            "Maintenance (%(regimen)s) started on %(start)s: %(place)s %(earliest)s – %(latest)s."),
            regimen=current.regimen or Term("unknown"), start=start, place=place, earliest=earliest, latest=latest))


def _current_drugs(facts: PatientFacts, history: HistoryReading, library: Library) -> tuple[str, ...]:
    """The drugs of the current regimen: the library's for its code, else those recorded on the latest history
    line of that regimen."""
    regimen = facts.current_treatment.regimen
    found = drugs_of(library, regimen)
    if found or not regimen:
        return found
    recorded = [line for line in history.lines if line.line.regimen == regimen]
    return recorded[-1].drugs if recorded else ()


def cd38_stop(b: Builder, facts: PatientFacts, history: HistoryReading, library: Library) -> None:
    """«Behandlingsvarighet» of Dara-R / Isa-R maintenance: in MRD-negative CR for more than 12 months
    (``current_treatment.mrd_negative_months`` > 12) the CD38 antibody can be stopped and lenalidomide continues;
    12 months or less: it continues and MRD is repeated after 12 months. Applies only when the current regimen's
    drugs (library) contain a CD38 antibody and the phase is maintenance; the months unknown → missing."""
    current = facts.current_treatment
    antibodies = [d for d in _current_drugs(facts, history, library) if d in ANTI_CD38]
    if not antibodies:
        return
    months = current.mrd_negative_months
    others = [d for d in _current_drugs(facts, history, library) if d not in ANTI_CD38]
    if current.phase != Phase.MAINTENANCE:
        if current.phase is None:
            b.lack("current_treatment.phase")
        if current.phase is None or months is not None:
            b.cite(CITE_DURATION)
            b.notes.append(msg("maintenance.cd38_stop_rule_not_applied", gettext_noop(
                "The stop rule for %(antibodies)s after MRD-negative CR (> 12 months) is written for maintenance "
                "after HMAS; the current treatment (%(regimen)s) is not recorded as maintenance, so it is not "
                "applied."), antibodies=drugs(antibodies), regimen=current.regimen))
        return
    b.cite(CITE_DURATION)
    for antibody in antibodies:
        source = STOP_SOURCE[antibody]
        if months is None:
            b.lack("current_treatment.mrd_negative_months")
            b.notes.append(msg("maintenance.cd38_mrd_unknown", gettext_noop(
                "%(regimen)s: how long the patient has been in MRD-negative CR is not recorded. MRD (EuroFlow) is "
                "taken at suspected CR; more than 12 months of MRD-negative CR and %(antibody)s can be stopped "
                "(%(source)s)."), regimen=current.regimen, antibody=drug(antibody), source=source))
        elif months > MRD_NEGATIVE_STOP_MONTHS:
            b.notes.append(msg("maintenance.cd38_can_stop", gettext_noop(
                "MRD-negative CR for %(months)s months, more than 12: %(antibody)s can be stopped, %(others)s "
                "continues (%(source)s). It is not restarted when MRD turns positive: at progression, second-line "
                "treatment."), months=Quantity(months), antibody=drug(antibody), others=drugs(others), source=source))
        else:
            b.notes.append(msg("maintenance.cd38_continue", gettext_noop(
                "MRD-negative CR for %(months)s months, not more than 12: %(antibody)s continues; MRD is repeated "
                "by EuroFlow after 12 months (%(repeat)s; %(source)s)."),
                months=Quantity(months), antibody=drug(antibody), repeat=REPEAT_SOURCE, source=source))
