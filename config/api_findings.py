"""Request blocks of POST /evaluate added by contract v1.1 for radiotherapy, surgery and CAR-T
(shared/contract/api-v1.md, "v1.1 additions"): ``emergency``, ``car_t`` and ``current_treatment``.
Same strictness as every other block (config/api_inputs.py); absent means unknown, never "no".
"""

from typing import Literal

from ninja import Field

from config.api_inputs import DATE_WINDOW, ApiDate, StrictSchema
from guidelines import facts as f


def _pct(what: str, low: float = 0):
    return Field(None, ge=low, le=100, description=f"{what}, %. Accepted range {low}–100.")


class EmergencyIn(StrictSchema):
    """«Situasjoner hvor strålebehandling, kirurgisk behandling og kjemoterapi vurderes opp mot hverandre»."""

    spinal_cord_compression: bool | None = Field(None, description="«Truende tverrsnittslesjon»: a medical emergency.")
    painful_lesion: bool | None = None
    fracture: bool | None = None
    impending_fracture: bool | None = None
    postoperative: bool | None = Field(None, description="After fracture surgery (postoperative radiotherapy).")
    space_occupying: bool | None = Field(
        None, description="«Andre romoppfyllende prosesser som truer viktige strukturer» (bile or urinary tract, "
        "cranial nerves, orbit). Extra optional field.")


class CarTIn(StrictSchema):
    """«Komorbiditet og organfunksjon» and the blood smear of «Seleksjon av pasienter når begrenset kapasitet»."""

    lvef_pct: float | None = _pct("Left ventricular ejection fraction (echocardiography)", 5)
    spo2_room_air_pct: float | None = _pct("Oxygen saturation on room air", 50)
    liver_cirrhosis: bool | None = None
    serious_comorbidity: bool | None = Field(None, description="Other serious comorbidity (assessed individually).")
    blood_plasma_cells_pct: float | None = _pct("Plasma cells in a recent blood smear (absent: "
                                                "labs.circulating_plasma_cells_pct)")
    al_amyloidosis: bool | None = Field(None, description="AL amyloidosis (not per indication). Extra optional field.")
    fish_tp53_date: ApiDate | None = Field(
        None, description="Date of the FISH/TP53 analysis the high-risk status rests on, ISO YYYY-MM-DD "
        f"{DATE_WINDOW}: it must be after the last relapse. Extra optional field.")


class CurrentTreatmentIn(StrictSchema):
    regimen: str | None = Field(None, max_length=200, description="A regimen code or free text.")
    phase: Literal["induction", "maintenance", "off_treatment"] | None = None
    start_date: ApiDate | None = Field(None, description=f"ISO YYYY-MM-DD {DATE_WINDOW}.")
    mrd_negative_months: float | None = Field(None, ge=0, le=600, description="MRD-negative CR lasting so far, months. "
                                              "Accepted range 0–600.")


def findings(emergency: EmergencyIn, car_t: CarTIn, current: CurrentTreatmentIn) -> dict:
    """The three blocks as the PatientFacts keyword arguments."""
    treatment = current.model_dump()
    if treatment["phase"] is not None:
        treatment["phase"] = f.Phase(treatment["phase"])
    return {"emergency": f.Emergency(**emergency.model_dump()), "car_t": f.CarTFindings(**car_t.model_dump()),
            "current_treatment": f.CurrentTreatment(**treatment)}
