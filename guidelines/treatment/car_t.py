"""«Behandling med kimær antigen-reseptor T-celle (CAR-T) behandling»: the prioritisation for CAR-T.

Source: Handlingsprogram for myelomatose 1.2, the CAR-T section, «Seleksjon av pasienter når begrenset
kapasitet» and «Komorbiditet og organfunksjon». Earlier BCMA-directed or GPRC5D-directed therapy and CAR-T
in the history come from the one reading of the history (guidelines.history).
"""

from dataclasses import dataclass
from enum import StrEnum

from guidelines.facts import PatientFacts, Plasmacytoma
from guidelines.history import HistoryReading
from guidelines.sources import Citation, myeloma
from guidelines.treatment.common import ACTIVE_MYELOMA, S_CART


class CarTVerdict(StrEnum):
    PRIORITISED = "PRIORITISED"
    NOT_PRIORITISED = "NOT_PRIORITISED"
    INDIVIDUAL_ASSESSMENT = "INDIVIDUAL_ASSESSMENT"
    UNDETERMINED = "UNDETERMINED"  # facts missing that decide the verdict


@dataclass(frozen=True)
class CarTAssessment:
    verdict: CarTVerdict
    exclusions: tuple[str, ...]
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...]
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
        reasons.append(f"{what} unknown.")

    if extramedullary is None and facts.imaging.plasmacytoma is not None:
        extramedullary = facts.imaging.plasmacytoma == Plasmacytoma.EXTRAMEDULLARY
    if extramedullary:
        exclusions.append("Known extramedullary disease (plasmacytomas not related to bone).")
    elif extramedullary is None:
        unknown("imaging.plasmacytoma", "Extramedullary disease (whole-body CT required, PET-CT considered)")
    if history.exposure.bcma or history.car_t:
        exclusions.append("Earlier BCMA-directed therapy (CAR-T, belantamab mafodotin, teclistamab, elranatamab).")
    if high_risk is True:
        exclusions.append("High-risk disease by the IMS/IMWG 2024 criteria.")
    elif high_risk is None:
        unknown("cytogenetics", "IMS/IMWG high-risk status")
    if diagnosis_code != ACTIVE_MYELOMA:
        exclusions.append(f"Not per indication ({diagnosis_code}): primary or secondary plasma cell leukaemia, "
                          "AL amyloidosis, smouldering myeloma, MGUS or solitary plasmacytomas are not prioritised.")
    if not history.lines:
        exclusions.append("No earlier treatment line: approvals are cilta-cel from 2nd line, ide-cel from 3rd line.")
    smear = facts.labs.circulating_plasma_cells_pct
    if smear is None:
        unknown("labs.circulating_plasma_cells_pct", "A recent blood smear (< 5 % plasma cells required)")
    elif smear >= 5:
        exclusions.append(f"Blood smear {smear:g} % plasma cells: < 5 % is required before referral.")
    for value, path, limit, label in (
        (egfr_ml_min, "labs.egfr_ml_min", 30, "eGFR ≥ 30 mL/min"),
        (lvef_pct, "lvef_pct", 40, "LVEF ≥ 40 % (and no or well-treated arrhythmia)"),
        (saturation_pct, "saturation_pct", 92, "Saturation ≥ 92 % on room air"),
    ):
        if value is None:
            unknown(path, label)
        elif value < limit:
            exclusions.append(f"{label} required; is {value:g}.")
    if cirrhosis:
        exclusions.append("Liver cirrhosis.")
    elif cirrhosis is None:
        unknown("cirrhosis", "Liver cirrhosis")
    if history.exposure.gprc5d:
        individual = True
        reasons.append("Earlier non-BCMA T-cell engaging therapy (talquetamab): individual assessment; patients "
                       "without T-cell engaging therapy are prioritised first.")
    if exclusions:
        verdict = CarTVerdict.NOT_PRIORITISED
    elif missing:
        verdict = CarTVerdict.UNDETERMINED
    elif individual:
        verdict = CarTVerdict.INDIVIDUAL_ASSESSMENT
    else:
        verdict = CarTVerdict.PRIORITISED
        reasons.append("No known extramedullary disease, no BCMA-directed therapy, not high risk, per indication, "
                       "organ function adequate.")
    notes = (
        "CAR-T (ide-cel, cilta-cel) is EMA-approved but not reimbursed in Norway, and therefore not in use.",
        "All patients must be referred to the national expert group; the patient must also meet the other "
        "CARTITUDE-4 criteria; other severe comorbidity is assessed individually.",
        "A new FISH/TP53 mutation analysis is needed after the last relapse before CAR-T assessment.",
        "Among prioritised patients: younger age, fewer drug exposures and long effect of earlier treatment weigh.",
    )
    return CarTAssessment(verdict, tuple(exclusions), tuple(reasons), tuple(missing), notes, myeloma(S_CART))
