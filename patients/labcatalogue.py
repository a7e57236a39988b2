"""The fixed catalogue of lab analytes the app records: unit, LOINC code,
default reference limits, physiological range, and how to recognise a value
typed in another unit. See docs/lab-catalogue.md (LOINC codes marked
"unverified" or "doubtful" there must be checked against the hospital's laboratory
catalogue before production; ``loinc_verified`` is False for them).

The physiological ranges of creatinine and the free light chains come from
guidelines/limits.py, which the API and the derived values (eGFR, FLC ratio) read too.

Units are the contract's (shared/contract/api-v1.md), so a value goes to the
engine unchanged. Reference limits are adult Nordic (NORIP) defaults; the
local laboratory's limits, when entered with a result, win.

How a result is written (core/formatting.py): ``decimals`` is the precision Norwegian
laboratories report the analyte at (haemoglobin 12,4 g/dL, calcium 2,41 mmol/L, creatinine
78 µmol/L); a result typed with more decimals is shown with all of them. ``chart_min_span`` is
the least range the overview's trend chart spans on its y axis, in the unit: a change smaller
than the analyte's usual day-to-day variation does not fill the chart like a cliff.

"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.formatting import Quantity, format_number
from guidelines import limits
from guidelines.quantities import DECIMALS as ENGINE_DECIMALS


@dataclass(frozen=True)
class OtherUnit:
    """Values in [low, high] look like this other unit, not the catalogue's."""

    unit: str
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class Analyte:
    code: str
    label: str
    unit: str
    loinc: str
    loinc_verified: bool
    plausible: tuple[Decimal, Decimal]  # physiological range; outside is refused
    facts_field: str | None  # guidelines.facts.Labs attribute; None: recorded, but the engine reads no such fact
    lower_limit_field: str | None = None  # Labs attribute fed with the lower reference limit
    upper_limit_field: str | None = None
    reference: dict | None = None  # {"male"/"female"/"any": (lower, upper)}; None = no range
    other_units: tuple[OtherUnit, ...] = ()
    chart: str | None = None  # chart group on the overview
    decimals: int = 0  # as the laboratory reports it (0 = whole numbers; typed decimals are kept)
    chart_min_span: Decimal | None = None  # least y-axis span of its trend chart, in ``unit``

    @property
    def quantity(self) -> Quantity:
        """How a result is written (core/formatting.py): the catalogue's unit and precision."""
        return Quantity(self.unit, self.decimals, entered=True)


def D(x):
    return Decimal(str(x))


def _range(accepted):
    """A physiological range shared with the API and the derived values (guidelines/limits.py)."""
    return (accepted.low, accepted.high)


ANALYTES = {
    a.code: a
    for a in (
        Analyte(
            "m_protein", _("M-protein (serum)"), "g/L", "33358-3", True, (D(0), D(150)),
            "serum_m_protein_g_l", chart="m_protein", decimals=1, chart_min_span=D(10),
        ),
        Analyte(
            "urine_m_protein", _("M-protein (urine, 24 h)"), "mg/24 h", "40661-1", False, (D(0), D(50000)),
            "urine_m_protein_mg_24h", chart="m_protein", chart_min_span=D(500),
        ),
        Analyte(
            "flc_kappa", _("Free light chain kappa"), "mg/L", "36916-5", True, _range(limits.FLC_MG_L),
            "flc_kappa_mg_l", reference={"any": (D("3.3"), D("19.4"))}, chart="flc", decimals=1,
            chart_min_span=D(20),
        ),
        Analyte(
            "flc_lambda", _("Free light chain lambda"), "mg/L", "33944-0", True, _range(limits.FLC_MG_L),
            "flc_lambda_mg_l", reference={"any": (D("5.7"), D("26.3"))}, chart="flc", decimals=1,
            chart_min_span=D(20),
        ),
        Analyte(
            "beta2m", _("Beta-2-microglobulin"), "mg/L", "1952-1", True, (D("0.3"), D(100)),
            "beta2m_mg_l", reference={"any": (D("1.3"), D("2.7"))}, decimals=1,
        ),
        Analyte(
            "albumin", _("Albumin"), "g/L", "1751-7", True, (D(10), D(60)),
            "albumin_g_l", reference={"any": (D(36), D(48))},
            other_units=(OtherUnit("g/dL", D("0.5"), D("6")),),
        ),
        Analyte(
            "creatinine", _("Creatinine"), "µmol/L", "14682-9", True, _range(limits.CREATININE_UMOL_L),
            "creatinine_umol_l", reference={"male": (D(60), D(105)), "female": (D(45), D(90))},
            other_units=(OtherUnit("mg/dL", D("0.1"), D("19.9")),), chart="creatinine", chart_min_span=D(50),
            decimals=ENGINE_DECIMALS["creatinine"],  # the engine writes creatinine too (guidelines/quantities.py)
        ),
        Analyte(
            "ldh", _("Lactate dehydrogenase (LD)"), "U/L", "2532-0", True, (D(50), D(10000)),
            "ldh_u_l", upper_limit_field="ldh_upper_limit_u_l",
            reference={"under70": (D(105), D(205)), "70plus": (D(115), D(255))},
            other_units=(OtherUnit("µkat/L", D("0.5"), D("49.9")),),
        ),
        Analyte(
            "calcium", _("Calcium, albumin-corrected"), "mmol/L", "29265-6", True, (D("1.0"), D("5.0")),
            "calcium_mmol_l", upper_limit_field="calcium_upper_limit_mmol_l",
            reference={"any": (D("2.15"), D("2.51"))},
            other_units=(OtherUnit("mg/dL", D("5.01"), D(20)),), decimals=2,
        ),
        Analyte(
            "hemoglobin", _("Haemoglobin"), "g/dL", "718-7", True, (D("3.0"), D("25.0")),
            "hemoglobin_g_dl", lower_limit_field="hemoglobin_lower_limit_g_dl",
            reference={"male": (D("13.4"), D("17.0")), "female": (D("11.7"), D("15.3"))},
            other_units=(OtherUnit("g/L", D(30), D(250)), OtherUnit("mmol/L", D("1.5"), D("2.99"))),
            chart="hemoglobin", decimals=1, chart_min_span=D(4),
        ),
        Analyte(
            "platelets", _("Platelets"), "10⁹/L", "777-3", True, (D(1), D(2500)),
            "platelets_10e9_l", reference={"male": (D(145), D(348)), "female": (D(165), D(387))},
        ),
        Analyte(
            "circulating_plasma_cells", _("Circulating plasma cells (blood smear, share of leukocytes)"), "%",
            "13047-6", True, (D(0), D(100)), "circulating_plasma_cells_pct",
        ),
        Analyte(
            "vegf", _("VEGF-A (plasma)"), "ng/L", "49877-4", False, (D(0), D(20000)),
            "vegf_ng_l", reference={"any": (None, D(100))},
        ),
        Analyte(
            "igg", _("IgG"), "g/L", "2465-3", True, (D("0.1"), D(150)),
            "igg_g_l", reference={"any": (D("6.1"), D("14.9"))}, decimals=1,
        ),
        # The rest of the Handlingsprogram's «Laboratorieprøver» and the POEMS guideline's
        # «Udredning» (see the module docstring of patients/labpanel.py). No default reference
        # limits: the laboratory's own are entered with the result. The physiological ranges are
        # generous bounds of what a living adult can have (docs/lab-catalogue.md says why each),
        # not clinical thresholds; no engine rule reads these analytes (facts_field None).
        Analyte(
            "leukocytes", _("Leukocytes"), "10⁹/L", "6690-2", True, (D(0), D(1000)), None,
            other_units=(OtherUnit("/µL", D(1001), D(1000000)),),
        ),
        Analyte(
            "neutrophils", _("Neutrophils"), "10⁹/L", "751-8", True, (D(0), D(1000)), None,
            other_units=(OtherUnit("/µL", D(1001), D(1000000)),),
        ),
        Analyte(
            "iga", _("IgA"), "g/L", "2458-8", True, (D(0), D(150)), None,
            other_units=(OtherUnit("mg/dL", D("150.001"), D(15000)),),
        ),
        Analyte(
            "igm", _("IgM"), "g/L", "2472-9", True, (D(0), D(150)), None,
            other_units=(OtherUnit("mg/dL", D("150.001"), D(15000)),),
        ),
        Analyte("nt_probnp", _("NT-proBNP"), "ng/L", "33762-6", True, (D(0), D(300000)), None),
        Analyte("troponin_t", _("Troponin T (high-sensitivity)"), "ng/L", "67151-1", True, (D(0), D(100000)), None),
        Analyte("alp", _("Alkaline phosphatase (ALP)"), "U/L", "6768-6", True, (D(0), D(20000)), None),
        Analyte("alt", _("Alanine aminotransferase (ALT)"), "U/L", "1742-6", True, (D(0), D(30000)), None),
        Analyte("bilirubin", _("Bilirubin, total"), "µmol/L", "14631-6", True, (D(0), D(1500)), None),
        Analyte(
            "urine_albumin", _("Urine albumin/creatinine ratio"), "mg/mmol", "32294-1", True, (D(0), D(5000)), None,
        ),
        Analyte(
            "ionised_calcium", _("Calcium, ionised"), "mmol/L", "1994-3", True, (D("0.2"), D("3.5")), None,
            other_units=(OtherUnit("mg/dL", D("3.51"), D(14)),),
        ),
    )
}

QUANTITY_KINDS = {code: a.quantity for code, a in ANALYTES.items()}
CHOICES = [(a.code, format_lazy("{} ({})", a.label, a.unit)) for a in ANALYTES.values()]


def reference_limits(code, *, sex=None, age=None):
    """Default (lower, upper) reference limits for a patient, or (None, None)
    when the catalogue has none or they depend on an unknown sex/age."""
    ref = ANALYTES[code].reference
    if not ref:
        return (None, None)
    if "any" in ref:
        return ref["any"]
    if "under70" in ref:
        if age is None:
            return (None, None)
        return ref["under70"] if age < 70 else ref["70plus"]
    return ref.get(sex, (None, None))


def check_value(code, value):
    """Why ``value`` cannot be a result of this analyte in its unit, or None: a message in the
    reader's language that names the analyte and, for a value in another unit's range, that unit."""
    analyte = ANALYTES[code]
    low, high = analyte.plausible
    args = {"value": format_number(value), "unit": analyte.unit, "low": format_number(low),
            "high": format_number(high), "label": analyte.label}
    if value < 0:
        return gettext("%(label)s: a value cannot be negative (unit %(unit)s).") % args
    if low <= value <= high:
        return None
    for other in analyte.other_units:
        if other.low <= value <= other.high:
            return gettext(
                "%(label)s: %(value)s looks like a value in %(other)s, not in %(unit)s. Enter the value in "
                "%(unit)s (physiological range %(low)s–%(high)s %(unit)s)."
            ) % {**args, "other": other.unit}
    return gettext(
        "%(label)s: %(value)s %(unit)s is outside the physiological range %(low)s–%(high)s %(unit)s."
    ) % args
