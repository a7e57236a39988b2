"""Request field types shared by every API router: one strictness for every endpoint.

Shared/contract/api-v1.md, "v1.1 additions": strictness applies to every endpoint alike,
``/dosing`` included — a JSON boolean or a string where a number is expected, a number
outside the physiological range, or a date outside 1900-01-01 … today + 2 years answers 422
naming the field. The ranges come from guidelines/limits.py, the same the record's forms use.
"""

import datetime as dt
import re
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Strict
from pydantic_core import PydanticCustomError

from guidelines import limits


class StrictSchema(Schema):
    """No coercion ("12" is not 12, 1 is not true), no unknown fields, no NaN or infinity."""

    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)


def _bound(value):
    return int(value) if value == value.to_integral_value() else float(value)


def accepted(accepted_range: limits.Range, what: str, default=None):
    """A number within one of the shared accepted ranges, documented in the schema."""
    low, high = _bound(accepted_range.low), _bound(accepted_range.high)
    unit = f", {accepted_range.unit}" if accepted_range.unit else ""
    text = f"{what}{unit}. Accepted range {'> ' if accepted_range.low_open else ''}{low}–{high}."
    if accepted_range.low_open:
        return Field(default, gt=low, le=high, description=text)
    return Field(default, ge=low, le=high, description=text)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_string(value):
    """Only a JSON string YYYY-MM-DD becomes a date (no numbers, no other formats)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise PydanticCustomError("date_format", "a date is a JSON string YYYY-MM-DD")
    return value


def _in_window(value: dt.date) -> dt.date:
    today = timezone.localdate()
    if not limits.date_in_window(value, today):
        raise PydanticCustomError(
            "date_range", "the date must lie within {earliest} … {latest} (today + {years} years)",
            {"earliest": limits.EARLIEST_DATE.isoformat(), "latest": limits.latest_date(today).isoformat(),
             "years": limits.YEARS_AHEAD},
        )
    return value


DATE_WINDOW = "within 1900-01-01 … today + 2 years"

# A calendar date as ISO text, within the date window. Pydantic's own (lax) date parsing reads the
# string, so 2025-02-30 is refused; the strict schemas' config would refuse any string otherwise.
ApiDate = Annotated[dt.date, Strict(False), BeforeValidator(_iso_date_string), AfterValidator(_in_window)]
