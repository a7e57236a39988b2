"""Regimen library and dosing endpoints of the API (shared/contract/api-v1.md).

POST /dosing doses the latest ACTIVE version of a regimen; a regimen with only a
draft answers 409 (a pharmacist must complete and activate it in the admin
first); an unknown code or a value the engine refuses answers 422 naming the field.

The request is validated as strictly as /evaluate (config/api_inputs.py): no coercion (JSON
true or "80" for a number is refused), the physiological ranges the record's forms use
(guidelines/limits.py), a start date within 1900-01-01 … today + 2 years. So no input reaches
the dose engine that the forms would refuse.
"""

from typing import Literal

from ninja import Field, Router, Status

from config.api_inputs import DATE_WINDOW, ApiDate, StrictSchema, accepted
from config.api_messages import localized
from config.api_schemas import ERRORS, Detail, Invalid
from guidelines import limits
from regimens import dosing
from regimens.models import Protocol, ProtocolInvalid
from regimens.presenters import protocol_dict, schedule_dict
from regimens.refusals import hospital_limit

router = Router(tags=["regimens"])


class DosingIn(StrictSchema):
    regimen: str = Field(min_length=1, max_length=50)
    weight_kg: float | None = accepted(limits.WEIGHT_KG, "Actual body weight")
    height_cm: float | None = accepted(limits.HEIGHT_CM, "Height")
    age: int | None = accepted(limits.AGE_YEARS, "Age (adult guidelines)")
    egfr_ml_min: float | None = accepted(limits.EGFR_ML_MIN, "eGFR")
    sex: Literal["male", "female"] | None = None
    start_date: ApiDate = Field(description=f"Cycle 1 day 1, ISO date YYYY-MM-DD {DATE_WINDOW}.")
    cycles: int | None = Field(None, ge=1, le=200)
    bsa_formula: Literal["mosteller", "dubois"] = "mosteller"
    reduced_tolerance: list[str] = Field(default_factory=list, description="drugs marked for the tolerance rule")


def _error(status, field, message, request=None):
    """An error answer; a message of the dose engine in the caller's language, its structured form beside it."""
    body = {"detail": message, "errors": [{"field": field, "message": message}]}
    if request is not None:
        body = localized(body, request, text_lists=frozenset(), text_fields=frozenset({"message"}))
    return Status(status, body)


@router.post("/dosing", response={200: dict, **ERRORS, 409: Invalid}, summary="A regimen's doses as a dated schedule")
def dosing_endpoint(request, payload: DosingIn):
    protocol = Protocol.objects.current(payload.regimen)
    if protocol is None:
        return _error(422, "regimen", f"unknown regimen code {payload.regimen!r}")
    if not protocol.is_active:
        return _error(
            409, "regimen",
            f"{protocol.code} has no active version (version {protocol.version} is {protocol.status}): "
            "a pharmacist must complete and activate it in the admin first",
        )
    try:
        proto = protocol.parsed()
    except ProtocolInvalid as exc:
        return _error(409, "regimen", f"{protocol.code} version {protocol.version} is not valid: {exc}")
    patient = dosing.DosingPatient(
        weight_kg=payload.weight_kg, height_cm=payload.height_cm, age=payload.age,
        egfr_ml_min=payload.egfr_ml_min, sex=payload.sex, reduced_tolerance=frozenset(payload.reduced_tolerance),
    )
    try:
        result = dosing.calculate_schedule(
            proto, patient, start_date=payload.start_date, cycles=payload.cycles, bsa_formula=payload.bsa_formula,
            max_deviation_pct=hospital_limit(),
        )
    except dosing.ProtocolNotDosable as exc:
        return _error(409, exc.field, exc.message, request)
    except dosing.DosingError as exc:
        return _error(422, exc.field, exc.message, request)
    # The dose engine's texts (working lines, warnings) in the caller's language, each message's structured
    # form beside it; protocol texts (an event's text) are the protocol's own words and stay as written.
    return Status(200, localized(schedule_dict(result), request, text_lists=frozenset(), text_fields=frozenset()))


def _entry(protocol: Protocol) -> dict:
    try:
        return protocol_dict(protocol.parsed())
    except ProtocolInvalid as exc:
        return {"code": protocol.code, "name": protocol.name, "version": str(protocol.version),
                "status": protocol.status, "invalid": str(exc)}


@router.get("/regimens", response={200: list[dict], 401: Detail, 403: Detail}, summary="The regimen library")
def regimen_list(request):
    codes = Protocol.objects.order_by("code").values_list("code", flat=True).distinct()
    return [_entry(Protocol.objects.current(code)) for code in codes]


@router.get("/regimens/{code}", response={200: dict, 401: Detail, 403: Detail, 404: Detail},
            summary="One regimen of the library")
def regimen_detail(request, code: str):
    protocol = Protocol.objects.current(code)
    if protocol is None:
        return Status(404, {"detail": f"unknown regimen code {code!r}"})
    return Status(200, _entry(protocol))
