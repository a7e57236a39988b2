"""«Behandling med kimær antigen-reseptor T-celle (CAR-T) behandling»: the prioritisation for CAR-T.

Source: Handlingsprogram for myelomatose 1.2, the CAR-T section, «Seleksjon av pasienter når begrenset
kapasitet» and «Komorbiditet og organfunksjon». Every criterion of the two lists is one ``CarTCriterion``
with its status and its reason; earlier BCMA-directed or GPRC5D-directed therapy and CAR-T in the history
come from the one reading of the history (guidelines.history). The verdict: any criterion not met → not
prioritised; else any fact missing → undetermined; else a criterion for individual assessment → individual
assessment; else prioritised.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from guidelines.facts import PatientFacts, Plasmacytoma
from guidelines.history import HistoryReading
from guidelines.messages import Message, Quantity, Quote, gettext_noop, msg
from guidelines.sources import Ambiguity, Citation, ambiguity, myeloma
from guidelines.terms import code
from guidelines.treatment.common import ACTIVE_MYELOMA, S_CART, beside

SELECTION = "Seleksjon av pasienter når begrenset kapasitet"
ORGAN_FUNCTION = "Komorbiditet og organfunksjon"


class CarTVerdict(StrEnum):
    PRIORITISED = "PRIORITISED"
    NOT_PRIORITISED = "NOT_PRIORITISED"
    INDIVIDUAL_ASSESSMENT = "INDIVIDUAL_ASSESSMENT"
    UNDETERMINED = "UNDETERMINED"  # facts missing that decide the verdict


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"  # not prioritised
    INDIVIDUAL = "individual"  # individual assessment
    UNKNOWN = "unknown"  # a fact is missing


@dataclass(frozen=True)
class CarTCriterion:
    """One criterion of the guideline's lists: ``code`` (stable), its ``status``, the ``reason`` (what was found)
    and the facts it lacks (JSON paths of the evaluate request)."""

    code: str
    status: Status
    reason: Message
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class CarTAssessment:
    verdict: CarTVerdict
    exclusions: tuple[Message, ...]  # the reasons of the criteria not met
    reasons: tuple[Message, ...]  # one per criterion, in the guideline's order
    missing: tuple[str, ...]
    notes: tuple[Message, ...]
    citation: Citation
    criteria: tuple[CarTCriterion, ...] = ()
    ambiguities: tuple[Ambiguity, ...] = ()


SAME_DAY = ambiguity("car_t.ambiguity_same_day")


COMORBIDITY = ambiguity("car_t.ambiguity_serious_comorbidity")

ARRHYTHMIA = msg("car_t.arrhythmia_not_assessed", gettext_noop(
    "Not assessed: %(words)s — there is no input for arrhythmia; check it before referral (LVEF is assessed on its "
    "own)."), words=Quote("«Hjertefunksjon: LVEF ≥ 40% og fravær av eller velbehandlet arytmi»"))


def _criterion(code_, status, reason, *missing):
    return CarTCriterion(code_, status, reason, tuple(missing))


def _by_flag(code_, flag, path, *, yes, unknown, no, yes_status=Status.NOT_MET):
    """A criterion read from one recorded yes/no: yes gives ``yes_status``, no meets it, not recorded
    is unknown with ``path`` missing."""
    if flag:
        return _criterion(code_, yes_status, yes)
    if flag is None:
        return _criterion(code_, Status.UNKNOWN, unknown, path)
    return _criterion(code_, Status.MET, no)


EMD_CONFLICT = ambiguity("car_t.ambiguity_extramedullary_conflict")
EXTRAMEDULLARY_SOURCE = EMD_CONFLICT.source_text


def _extramedullary(facts):
    """«Kjent ekstramedullær sykdom … (plasmacytomer ikke i relasjon til skjelett)»: ``imaging.extramedullary_disease``;
    absent, an extramedullary plasmacytoma on record counts as known extramedullary disease. An explicit «no» beside
    an extramedullary plasmacytoma on record disagrees with it: not decided (EMD_CONFLICT), never the «no» alone."""
    given = facts.imaging.extramedullary_disease
    on_record = facts.imaging.plasmacytoma == Plasmacytoma.EXTRAMEDULLARY
    if given is None and on_record:
        return _criterion("extramedullary", Status.NOT_MET, msg("car_t.extramedullary_plasmacytoma", gettext_noop(
            "Extramedullary plasmacytoma on record: known extramedullary disease (%(words)s) — not prioritised."),
            words=Quote("«plasmacytomer ikke i relasjon til skjelett»")))
    if given is False and on_record:
        return _criterion("extramedullary", Status.UNKNOWN, msg("car_t.extramedullary_conflict", gettext_noop(
            "Recorded as no extramedullary disease, but an extramedullary plasmacytoma is on record (%(words)s): "
            "the two disagree — confirm whether the plasmacytoma is related to bone."),
            words=Quote("«plasmacytomer ikke i relasjon til skjelett»")), "imaging.extramedullary_disease")
    return _by_flag(
        "extramedullary", given, "imaging.extramedullary_disease",
        yes=msg("car_t.extramedullary", gettext_noop(
            "Known extramedullary disease (plasmacytomas not related to bone) — not prioritised.")),
        unknown=msg("car_t.extramedullary_unknown", gettext_noop(
            "Extramedullary disease not recorded (whole-body CT required, PET-CT considered).")),
        no=msg("car_t.no_extramedullary", gettext_noop("No known extramedullary disease.")))


def _unread_lines(history):
    """The systemic lines whose drugs the engine cannot read: no drugs recorded, a regimen the library does not
    hold, not CAR-T, not radiotherapy alone and not mobilisation/HMAS/maintenance. Their drugs are unknown, so
    «no earlier BCMA-directed / T-cell engaging therapy» cannot be said (an unread line is never «no»)."""
    return tuple(line for line in history.lines
                 if not line.drugs and not line.car_t and not line.radiotherapy_only and not line.part_of_a_line)


def _unread_paths(unread):
    return tuple(line.path("drugs") for line in unread)


def _bcma(history):
    if history.exposure.bcma or history.car_t:
        return _criterion("earlier_bcma", Status.NOT_MET, msg("car_t.earlier_bcma", gettext_noop(
            "Earlier BCMA-directed therapy (CAR-T, belantamab mafodotin, teclistamab, elranatamab) — not "
            "prioritised.")))
    unread = _unread_lines(history)
    if unread:
        return _criterion("earlier_bcma", Status.UNKNOWN, msg("car_t.earlier_bcma_unread", gettext_noop(
            "Earlier BCMA-directed therapy not decided: the drugs of %(lines)s cannot be read from the regimen."),
            lines=[line.label for line in unread]), *_unread_paths(unread))
    return _criterion("earlier_bcma", Status.MET, msg("car_t.no_earlier_bcma", gettext_noop(
        "No BCMA-directed therapy in the history.")))


def _last_relapse(history) -> datetime.date | None:
    dates = [p.date for p in history.progression if p.date is not None]
    return max(dates) if dates else None


def _high_risk(facts, history, high_risk):
    """«Høyrisiko cytogenetikk definert etter de nye IMS/IMWG høyrisikokriteriene» on «en ny FISH/TP53
    mutasjonsanalyse … etter siste tilbakefall»: the high-risk verdict counts when the analysis
    (``car_t.fish_tp53_date``) is dated on or after the last relapse (the latest progression date)."""
    taken, relapse = facts.car_t.fish_tp53_date, _last_relapse(history)
    if high_risk is True:
        return _criterion("high_risk", Status.NOT_MET, msg("car_t.high_risk", gettext_noop(
            "High-risk disease by the IMS/IMWG 2024 criteria — not prioritised.")))
    if high_risk is None:
        return _criterion("high_risk", Status.UNKNOWN, msg("car_t.high_risk_unknown", gettext_noop(
            "IMS/IMWG high-risk status not decided: a FISH/TP53 mutation analysis after the last relapse is "
            "needed.")), "cytogenetics")
    if taken is None:
        return _criterion("high_risk", Status.UNKNOWN, msg("car_t.fish_date_unknown", gettext_noop(
            "Not high risk, but the date of the FISH/TP53 analysis is not known: it must be taken after the last "
            "relapse.")), "car_t.fish_tp53_date")
    if relapse is None:
        path = history.progression_line.path("progression_date") if history.progression_line else "treatment_history"
        return _criterion("high_risk", Status.UNKNOWN, msg("car_t.relapse_date_unknown", gettext_noop(
            "Not high risk on the FISH/TP53 analysis of %(taken)s; the date of the last relapse is not known, so "
            "whether the analysis is after it is not known."), taken=taken), path)
    if taken < relapse:
        return _criterion("high_risk", Status.UNKNOWN, msg("car_t.fish_before_relapse", gettext_noop(
            "The FISH/TP53 analysis of %(taken)s is from before the last relapse (%(relapse)s): a new analysis after "
            "the last relapse is required."), taken=taken, relapse=relapse), "cytogenetics")
    return _criterion("high_risk", Status.MET, msg("car_t.not_high_risk", gettext_noop(
        "Not high risk by the IMS/IMWG 2024 criteria on the FISH/TP53 analysis of %(taken)s, after the last relapse "
        "(%(relapse)s)."), taken=taken, relapse=relapse))


def _indication(facts, history, diagnosis_code):
    """«Behandling gis kun i henhold til indikasjon»: not primary or secondary plasma cell leukaemia, AL
    amyloidosis, smouldering myeloma, MGUS or solitary plasmacytomas; and an earlier line (cilta-cel from 2nd
    line, ide-cel from 3rd line)."""
    if diagnosis_code != ACTIVE_MYELOMA:
        return _criterion("indication", Status.NOT_MET, msg("car_t.not_per_indication", gettext_noop(
            "Not per indication (%(diagnosis)s): primary or secondary plasma cell leukaemia, AL amyloidosis, "
            "smouldering myeloma, MGUS or solitary plasmacytomas are not prioritised."),
            diagnosis=code(diagnosis_code)))
    if not history.lines and not facts.car_t.al_amyloidosis:
        return _criterion("indication", Status.NOT_MET, msg("car_t.no_earlier_line", gettext_noop(
            "No earlier treatment line: approvals are cilta-cel from 2nd line, ide-cel from 3rd line.")))
    return _by_flag(
        "indication", facts.car_t.al_amyloidosis, "car_t.al_amyloidosis",
        yes=msg("car_t.al_amyloidosis", gettext_noop("AL amyloidosis: not per indication — not prioritised.")),
        unknown=msg("car_t.al_amyloidosis_unknown", gettext_noop(
            "Myeloma after an earlier line; whether the patient has AL amyloidosis is not recorded.")),
        no=msg("car_t.per_indication", gettext_noop(
            "Per indication: myeloma after an earlier line, no AL amyloidosis.")))


def _blood_smear(facts):
    """«Det vil kreves et aktuelt blodutstryk som er vurdert til å ha <5 % plasmaceller i blod før henvisning»."""
    smear = facts.car_t.blood_plasma_cells_pct
    if smear is None:
        smear = facts.labs.circulating_plasma_cells_pct
    if smear is None:
        return _criterion("blood_smear", Status.UNKNOWN, msg("car_t.blood_smear_unknown", gettext_noop(
            "No recent blood smear: < 5 %% plasma cells in the blood is required before referral.")),
            "car_t.blood_plasma_cells_pct")
    if smear >= 5:
        return _criterion("blood_smear", Status.NOT_MET, msg("car_t.blood_smear", gettext_noop(
            "Blood smear %(smear)s plasma cells: < 5 %% is required before referral."), smear=Quantity(smear, "%")))
    return _criterion("blood_smear", Status.MET, msg("car_t.blood_smear_met", gettext_noop(
        "Blood smear %(smear)s plasma cells (< 5 %% required)."), smear=Quantity(smear, "%")))


def _at_least(code_, value, limit, path, criterion, shown):
    """«≥ limit» criteria of «Komorbiditet og organfunksjon»: the limit itself meets it."""
    if value is None:
        return _criterion(code_, Status.UNKNOWN, msg("car_t.unknown", gettext_noop("%(what)s unknown."),
                                                     what=criterion), path)
    if value < limit:
        return _criterion(code_, Status.NOT_MET, msg("car_t.below_limit", gettext_noop(
            "%(criterion)s required; is %(value)s."), criterion=criterion, value=shown(value)))
    return _criterion(code_, Status.MET, msg("car_t.at_least_limit", gettext_noop("%(criterion)s: is %(value)s."),
                                             criterion=criterion, value=shown(value)))


def _organ_function(facts, egfr_ml_min):
    c = facts.car_t
    yield _at_least("egfr", egfr_ml_min, 30, "labs.egfr_ml_min", msg("car_t.egfr_criterion", gettext_noop(
        "eGFR ≥ 30 mL/min")), lambda v: beside(v, 30))
    yield _at_least("lvef", c.lvef_pct, 40, "car_t.lvef_pct", msg("car_t.lvef_criterion", gettext_noop(
        "LVEF ≥ 40 %%")), lambda v: Quantity(v, "%"))
    yield _at_least("spo2", c.spo2_room_air_pct, 92, "car_t.spo2_room_air_pct", msg("car_t.saturation_criterion",
                    gettext_noop("Saturation ≥ 92 %% on room air")), lambda v: Quantity(v, "%"))
    yield _by_flag(
        "cirrhosis", c.liver_cirrhosis, "car_t.liver_cirrhosis",
        yes=msg("car_t.cirrhosis", gettext_noop("Liver cirrhosis — excluded («Kan ikke ha levercirrhose»).")),
        unknown=msg("car_t.cirrhosis_unknown", gettext_noop("Liver cirrhosis not recorded.")),
        no=msg("car_t.no_cirrhosis", gettext_noop("No liver cirrhosis.")))
    yield _by_flag(
        "comorbidity", c.serious_comorbidity, "car_t.serious_comorbidity", yes_status=Status.INDIVIDUAL,
        yes=msg("car_t.serious_comorbidity", gettext_noop(
            "Other serious comorbidity: %(words)s — individual assessment."),
            words=Quote("«vil være ekskluderende for CAR-T behandling, men vurderes individuelt»")),
        unknown=msg("car_t.comorbidity_unknown", gettext_noop("Other serious comorbidity not recorded.")),
        no=msg("car_t.no_serious_comorbidity", gettext_noop("No other serious comorbidity.")))


def _t_cell_engager(history):
    """«Tidligere bruk av T-celle-engasjerende ikke-BCMA rettet behandling (f.eks. talkvetamab)» → individual."""
    if history.exposure.gprc5d:
        return _criterion("non_bcma_t_cell_engager", Status.INDIVIDUAL, msg(
            "car_t.earlier_non_bcma_t_cell_engager", gettext_noop(
                "Earlier non-BCMA T-cell engaging therapy (talquetamab): individual assessment; patients without "
                "T-cell engaging therapy are prioritised first.")))
    unread = _unread_lines(history)
    if unread:
        return _criterion("non_bcma_t_cell_engager", Status.UNKNOWN, msg("car_t.t_cell_engager_unread", gettext_noop(
            "Earlier non-BCMA T-cell engaging therapy not decided: the drugs of %(lines)s cannot be read from the "
            "regimen."), lines=[line.label for line in unread]), *_unread_paths(unread))
    return _criterion("non_bcma_t_cell_engager", Status.MET, msg("car_t.no_non_bcma_t_cell_engager", gettext_noop(
        "No non-BCMA T-cell engaging therapy in the history.")))


def car_t_priority(facts: PatientFacts, *, history: HistoryReading, high_risk: bool | None,
                   diagnosis_code: str = ACTIVE_MYELOMA, egfr_ml_min: float | None = None) -> CarTAssessment:
    """Behandling med kimær antigen-reseptor T-celle (CAR-T) behandling, "Seleksjon av pasienter når begrenset
    kapasitet" and "Komorbiditet og organfunksjon". CAR-T is not reimbursed in Norway (not in use); this is the
    prioritisation the programme group agreed for when it is. ``high_risk`` is the IMS/IMWG 2024 verdict,
    ``egfr_ml_min`` the eGFR used (given or CKD-EPI 2021); the organ function comes from ``facts.car_t``."""
    criteria = (
        _extramedullary(facts), _bcma(history), _high_risk(facts, history, high_risk),
        _indication(facts, history, diagnosis_code), _blood_smear(facts), *_organ_function(facts, egfr_ml_min),
        _t_cell_engager(history),
    )
    statuses = {c.status for c in criteria}
    if Status.NOT_MET in statuses:
        verdict = CarTVerdict.NOT_PRIORITISED
    elif Status.UNKNOWN in statuses:
        verdict = CarTVerdict.UNDETERMINED
    elif Status.INDIVIDUAL in statuses:
        verdict = CarTVerdict.INDIVIDUAL_ASSESSMENT
    else:
        verdict = CarTVerdict.PRIORITISED
    ambiguities = (SAME_DAY,) if facts.car_t.fish_tp53_date is not None and high_risk is False else ()
    if facts.imaging.extramedullary_disease is False and facts.imaging.plasmacytoma == Plasmacytoma.EXTRAMEDULLARY:
        ambiguities += (EMD_CONFLICT,)
    if facts.car_t.serious_comorbidity is not None:
        ambiguities += (COMORBIDITY,)
    return CarTAssessment(
        verdict=verdict, exclusions=tuple(c.reason for c in criteria if c.status == Status.NOT_MET),
        reasons=tuple(c.reason for c in criteria), missing=tuple(dict.fromkeys(p for c in criteria for p in c.missing)),
        notes=NOTES, citation=myeloma(S_CART), criteria=criteria, ambiguities=ambiguities)


NOTES = (
    ARRHYTHMIA,
    msg("car_t.not_reimbursed", gettext_noop(
        "CAR-T (ide-cel, cilta-cel) is EMA-approved but not reimbursed in Norway, and therefore not in use.")),
    msg("car_t.national_expert_group", gettext_noop(
        "All patients must be referred to the national expert group; the patient must also meet the other "
        "CARTITUDE-4 criteria; other severe comorbidity is assessed individually.")),
    msg("car_t.new_fish", gettext_noop(
        "A new FISH/TP53 mutation analysis is needed after the last relapse before CAR-T assessment.")),
    msg("car_t.heart_lungs", gettext_noop(
        "Echocardiography before referral in known heart disease; lung function tests if underlying lung disease "
        "is in doubt.")),
    msg("car_t.among_prioritised", gettext_noop(
        "Among prioritised patients: younger age, fewer drug exposures and long effect of earlier treatment weigh.")),
)
