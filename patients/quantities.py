"""Which quantity kind (core/formatting.py) a fact of the record is written as: a field of
guidelines.facts (``labs.calcium_mmol_l``, ``weight_kg``), of a response measurement
(``serum_m_protein_g_l``, ``marrow_plasma_cells_pct``) or of a record (``clonal_plasma_cells_pct``).
The presenters write every number of a page through ``fact_text``."""

from decimal import Decimal

from core.formatting import format_number, format_quantity
from patients import labcatalogue

FIELD_KINDS = {
    **{field: code for code, analyte in labcatalogue.ANALYTES.items()
       for field in (analyte.facts_field, analyte.lower_limit_field, analyte.upper_limit_field) if field},
    "egfr_ml_min": "egfr",
    "bsa_m2": "bsa",
    "weight_kg": "weight",
    "height_cm": "height",
    "clonal_plasma_cells_pct": "percent",
    "marrow_plasma_cells_pct": "percent",
    "plasmacytoma_reduction_pct": "percent",
    "months_from_transplant_to_progression": "months",
    "flc_ratio": "flc_ratio",
    "involved_flc_mg_l": "flc",
    "dflc_mg_l": "flc",
}


def kind_of(path):
    """The quantity kind of the fact at ``path`` (its last dotted part names it), or None."""
    return FIELD_KINDS.get(str(path).rpartition(".")[2])


def fact_text(path, value, *, unit=False):
    """A number of the fact at ``path`` as a page writes it: at its kind's precision, or, for a
    number of no known kind, every digit in the reader's separator; anything else as text."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    kind = kind_of(path)
    if kind is not None:
        return format_quantity(value, kind, unit=unit)
    return format_number(value) if not isinstance(value, int) else str(value)
