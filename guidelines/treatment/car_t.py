"""«Behandling med kimær antigen-reseptor T-celle (CAR-T) behandling»: the prioritisation for CAR-T.

Source: Handlingsprogram for myelomatose 1.2, the CAR-T section, «Seleksjon av pasienter når begrenset
kapasitet» and «Komorbiditet og organfunksjon». Earlier BCMA-directed or GPRC5D-directed therapy and CAR-T
in the history come from the one reading of the history (guidelines.history).
"""

from dataclasses import dataclass
from enum import StrEnum

from guidelines.facts import PatientFacts, Plasmacytoma
from guidelines.history import HistoryReading
from guidelines.messages import Message, Quantity, gettext_noop, msg
from guidelines.sources import Citation, myeloma
from guidelines.terms import code
from guidelines.treatment.common import ACTIVE_MYELOMA, S_CART, beside


class CarTVerdict(StrEnum):
    PRIORITISED = "PRIORITISED"
    NOT_PRIORITISED = "NOT_PRIORITISED"
    INDIVIDUAL_ASSESSMENT = "INDIVIDUAL_ASSESSMENT"
    UNDETERMINED = "UNDETERMINED"  # facts missing that decide the verdict


@dataclass(frozen=True)
class CarTAssessment:
    verdict: CarTVerdict
    exclusions: tuple[Message, ...]
    reasons: tuple[Message, ...]
    missing: tuple[str, ...]
    notes: tuple[Message, ...]
    citation: Citation


def car_t_priority(facts: PatientFacts, *, history: HistoryReading, high_risk: bool | None,
                   extramedullary: bool | None = None,
                   diagnosis_code: str = ACTIVE_MYELOMA, egfr_ml_min: float | None = None,
                   lvef_pct: float | None = None, saturation_pct: float | None = None,
                   cirrhosis: bool | None = None) -> CarTAssessment:
    """Behandling med kimær antigen-reseptor T-celle (CAR-T) behandling, "Seleksjon av pasienter når begrenset
    kapasitet" and "Komorbiditet og organfunksjon". CAR-T is not reimbursed in Norway (not in use); this is the
    prioritisation the programme group agreed for when it is. ``extramedullary`` (true extramedullary disease,
    plasmacytomas not related to bone) defaults to ``imaging.plasmacytoma``."""
    exclusions, reasons, missing = [], [], []
    individual = False

    def unknown(path, what):
        missing.append(path)
        reasons.append(msg("car_t.unknown", gettext_noop("%(what)s unknown."), what=what))

    if extramedullary is None and facts.imaging.plasmacytoma is not None:
        extramedullary = facts.imaging.plasmacytoma == Plasmacytoma.EXTRAMEDULLARY
    if extramedullary:
        exclusions.append(msg("car_t.extramedullary", gettext_noop(
            "Known extramedullary disease (plasmacytomas not related to bone).")))
    elif extramedullary is None:
        unknown("imaging.plasmacytoma", msg("car_t.extramedullary_criterion", gettext_noop(
            "Extramedullary disease (whole-body CT required, PET-CT considered)")))
    if history.exposure.bcma or history.car_t:
        exclusions.append(msg("car_t.earlier_bcma", gettext_noop(
            "Earlier BCMA-directed therapy (CAR-T, belantamab mafodotin, teclistamab, elranatamab).")))
    if high_risk is True:
        exclusions.append(msg("car_t.high_risk", gettext_noop("High-risk disease by the IMS/IMWG 2024 criteria.")))
    elif high_risk is None:
        unknown("cytogenetics", msg("car_t.high_risk_criterion", gettext_noop("IMS/IMWG high-risk status")))
    if diagnosis_code != ACTIVE_MYELOMA:
        exclusions.append(msg("car_t.not_per_indication", gettext_noop(
            "Not per indication (%(diagnosis)s): primary or secondary plasma cell leukaemia, AL amyloidosis, "
            "smouldering myeloma, MGUS or solitary plasmacytomas are not prioritised."),
            diagnosis=code(diagnosis_code)))
    if not history.lines:
        exclusions.append(msg("car_t.no_earlier_line", gettext_noop(
            "No earlier treatment line: approvals are cilta-cel from 2nd line, ide-cel from 3rd line.")))
    smear = facts.labs.circulating_plasma_cells_pct
    if smear is None:
        unknown("labs.circulating_plasma_cells_pct", msg("car_t.blood_smear_criterion", gettext_noop(
            "A recent blood smear (< 5 %% plasma cells required)")))
    elif smear >= 5:
        exclusions.append(msg("car_t.blood_smear", gettext_noop(
            "Blood smear %(smear)s plasma cells: < 5 %% is required before referral."), smear=Quantity(smear, "%")))
    for value, path, limit, label, shown in (
        (egfr_ml_min, "labs.egfr_ml_min", 30, msg("car_t.egfr_criterion", gettext_noop("eGFR ≥ 30 mL/min")),
         lambda v: beside(v, 30)),
        (lvef_pct, "lvef_pct", 40, msg("car_t.lvef_criterion", gettext_noop(
            "LVEF ≥ 40 %% (and no or well-treated arrhythmia)")), Quantity),
        (saturation_pct, "saturation_pct", 92, msg("car_t.saturation_criterion", gettext_noop(
            "Saturation ≥ 92 %% on room air")), Quantity),
    ):
        if value is None:
            unknown(path, label)
        elif value < limit:
            exclusions.append(msg("car_t.below_limit", gettext_noop("%(criterion)s required; is %(value)s."),
                                  criterion=label, value=shown(value)))
    if cirrhosis:
        exclusions.append(msg("car_t.cirrhosis", gettext_noop("Liver cirrhosis.")))
    elif cirrhosis is None:
        unknown("cirrhosis", msg("car_t.cirrhosis_criterion", gettext_noop("Liver cirrhosis")))
    if history.exposure.gprc5d:
        individual = True
        reasons.append(msg("car_t.earlier_non_bcma_t_cell_engager", gettext_noop(
            "Earlier non-BCMA T-cell engaging therapy (talquetamab): individual assessment; patients without T-cell "
            "engaging therapy are prioritised first.")))
    if exclusions:
        verdict = CarTVerdict.NOT_PRIORITISED
    elif missing:
        verdict = CarTVerdict.UNDETERMINED
    elif individual:
        verdict = CarTVerdict.INDIVIDUAL_ASSESSMENT
    else:
        verdict = CarTVerdict.PRIORITISED
        reasons.append(msg("car_t.prioritised", gettext_noop(
            "No known extramedullary disease, no BCMA-directed therapy, not high risk, per indication, organ "
            "function adequate.")))
    return CarTAssessment(verdict, tuple(exclusions), tuple(reasons), tuple(missing), NOTES, myeloma(S_CART))


NOTES = (
    msg("car_t.not_reimbursed", gettext_noop(
        "CAR-T (ide-cel, cilta-cel) is EMA-approved but not reimbursed in Norway, and therefore not in use.")),
    msg("car_t.national_expert_group", gettext_noop(
        "All patients must be referred to the national expert group; the patient must also meet the other "
        "CARTITUDE-4 criteria; other severe comorbidity is assessed individually.")),
    msg("car_t.new_fish", gettext_noop(
        "A new FISH/TP53 mutation analysis is needed after the last relapse before CAR-T assessment.")),
    msg("car_t.among_prioritised", gettext_noop(
        "Among prioritised patients: younger age, fewer drug exposures and long effect of earlier treatment weigh.")),
)
