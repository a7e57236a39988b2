"""Values derived from lab results: eGFR (CKD-EPI 2021), FLC ratio, involved FLC, dFLC.

eGFR is not in the guideline's text as a formula; where it is not given the app
uses the race-free CKD-EPI 2021 creatinine equation (Inker et al., NEJM 2021)
and says so. An eGFR, given or calculated, outside its accepted range
(guidelines/limits.py) is not used: ``egfr`` then names the field it comes from
and why, so no rule and no dose is based on it.
"""

from dataclasses import dataclass

from guidelines import limits
from guidelines.facts import PatientFacts, Sex
from guidelines.messages import Quantity, gettext_noop, msg

UMOL_PER_MG_DL_CREATININE = 88.4

CKD_EPI_2021 = msg("egfr.ckd_epi_2021_formula", gettext_noop(
    "CKD-EPI 2021 (race-free): 142 × min(Scr/κ,1)^α × max(Scr/κ,1)^-1.200 × 0.9938^age [× 1.012 female]; "
    "Scr in mg/dL = µmol/L ÷ 88.4; κ 0.7 (F) / 0.9 (M); α -0.241 (F) / -0.302 (M)"))
EGFR_UNIT = "mL/min/1.73 m²"


def egfr_ckd_epi_2021(*, creatinine_umol_l: float, age: float, sex: Sex) -> float:
    """Estimated GFR in mL/min/1.73 m² by the CKD-EPI 2021 creatinine equation."""
    scr = creatinine_umol_l / UMOL_PER_MG_DL_CREATININE
    female = sex == Sex.FEMALE
    kappa = 0.7 if female else 0.9
    alpha = -0.241 if female else -0.302
    ratio = scr / kappa
    value = 142 * min(ratio, 1) ** alpha * max(ratio, 1) ** -1.200 * 0.9938**age
    return value * 1.012 if female else value


@dataclass(frozen=True)
class Egfr:
    value: float | None
    source: str  # "given", "CKD-EPI 2021", "missing" or "out of range"
    missing: tuple[str, ...] = ()
    refused: tuple[tuple[str, str], ...] = ()  # (field the value comes from, why it is not used)

    @property
    def source_text(self):
        """Where the value comes from, for a reason text: «given» (a message) or «CKD-EPI 2021»."""
        return msg("egfr.source_given", gettext_noop("given")) if self.source == "given" else self.source


def egfr_quantity(e: Egfr, unit: str = EGFR_UNIT) -> Quantity:
    """The eGFR for a text: as given (an input is never rounded), or the calculated value as an integer."""
    return Quantity(e.value, unit, "" if e.source == "given" else "egfr")


def egfr(facts: PatientFacts) -> Egfr:
    """eGFR as given, else CKD-EPI 2021 from creatinine, age and sex, else missing; not used
    (``refused``, value None) when outside the accepted range ``limits.DERIVED_EGFR_ML_MIN``."""
    accepted = limits.DERIVED_EGFR_ML_MIN
    given = facts.labs.egfr_ml_min
    if given is not None:
        if given not in accepted:
            return Egfr(None, "out of range", refused=(("labs.egfr_ml_min", msg(
                "egfr.given_out_of_range", gettext_noop("eGFR %(egfr)s is outside the accepted range %(range)s"),
                egfr=Quantity(given, EGFR_UNIT), range=accepted.message)),))
        return Egfr(given, "given")
    missing = []
    if facts.labs.creatinine_umol_l is None:
        missing.append("labs.creatinine_umol_l")
    if facts.sex is None:
        missing.append("sex")
    if missing:
        return Egfr(None, "missing", ("labs.egfr_ml_min", *missing))
    creatinine = facts.labs.creatinine_umol_l
    try:
        value = egfr_ckd_epi_2021(creatinine_umol_l=creatinine, age=facts.age, sex=facts.sex)
    except (ArithmeticError, ValueError):  # 0 or negative creatinine: no eGFR at all
        value = None
    if value is None or value not in accepted:
        if not isinstance(value, int | float):  # none, or a complex number from a negative creatinine
            why = msg("egfr.not_calculable", gettext_noop(
                "creatinine %(creatinine)s gives no eGFR (CKD-EPI 2021), outside the accepted range %(range)s: "
                "check the value and its unit (µmol/L)"), creatinine=Quantity(creatinine, "µmol/L"),
                range=accepted.message)
        else:
            why = msg("egfr.calculated_out_of_range", gettext_noop(
                "creatinine %(creatinine)s gives an eGFR (CKD-EPI 2021) of %(egfr)s, outside the accepted range "
                "%(range)s: check the value and its unit (µmol/L)"), creatinine=Quantity(creatinine, "µmol/L"),
                egfr=Quantity(value, EGFR_UNIT, "egfr"), range=accepted.message)
        return Egfr(None, "out of range", refused=(("labs.creatinine_umol_l", why),))
    return Egfr(value, "CKD-EPI 2021")


@dataclass(frozen=True)
class FreeLightChains:
    ratio: float | None  # kappa / lambda
    involved_mg_l: float | None
    uninvolved_mg_l: float | None
    involved_chain: str | None  # "kappa" | "lambda"
    dflc_mg_l: float | None


def free_light_chains(kappa_mg_l: float | None, lambda_mg_l: float | None) -> FreeLightChains:
    """FLC ratio (kappa/lambda); the involved chain is the one in excess (ratio >= 1: kappa);
    dFLC = involved − uninvolved."""
    if kappa_mg_l is None or lambda_mg_l is None:
        return FreeLightChains(None, None, None, None, None)
    ratio = kappa_mg_l / lambda_mg_l if lambda_mg_l > 0 else None
    if kappa_mg_l >= lambda_mg_l:
        chain, involved, uninvolved = "kappa", kappa_mg_l, lambda_mg_l
    else:
        chain, involved, uninvolved = "lambda", lambda_mg_l, kappa_mg_l
    return FreeLightChains(ratio, involved, uninvolved, chain, involved - uninvolved)


def bsa_mosteller(weight_kg: float, height_cm: float) -> float:
    """Body surface area in m² by Mosteller: sqrt(height_cm × weight_kg / 3600)."""
    return (height_cm * weight_kg / 3600) ** 0.5


def bsa_dubois(weight_kg: float, height_cm: float) -> float:
    """Body surface area in m² by DuBois & DuBois: 0.007184 × weight^0.425 × height^0.725."""
    return 0.007184 * weight_kg**0.425 * height_cm**0.725
