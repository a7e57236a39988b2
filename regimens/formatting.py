"""Where the regimen code has always found its number formatter: the formatting layer is now
core/formatting.py (the whole app's: numbers per quantity kind, dates, doses). Kept so that the
dose engine and the sheets read ``format_dose``, ``format_number`` and ``ENGINE`` from here."""

from core.formatting import (
    ENGINE,
    MINUS,
    PER_UNIT_WORDS,
    format_deviation,
    format_dose,
    format_number,
    significant,
)

__all__ = ["ENGINE", "MINUS", "PER_UNIT_WORDS", "format_deviation", "format_dose", "format_number", "significant"]
