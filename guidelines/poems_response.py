"""POEMS response: haematological, VEGF and 18-FDG-PET response, each on its own.

Source: Klinisk retningslinje POEMS syndrom (DMSG, 2023), "Responsevaluering": «generelt anbefales
både hæmatologisk respons, VEGF respons, evt PET-respons (hvis gjort baseline) og organ respons
evalueret». Organ response is a clinical judgement (neuropathy, ECHO, lung function, effusion) and
is not computed. Each rule returns the guideline's own category (CRH, VGPRH, PRH, CRV, PRV, NRV,
CRR, PRR) and, as ``code``, the API contract's name for it (CR, VGPR, PR, NO_RESPONSE,
NOT_EVALUABLE).
"""

from dataclasses import dataclass
from decimal import Decimal

from guidelines.messages import Quantity, gettext_noop, msg
from guidelines.response import shown_percent
from guidelines.rules import dec, dedupe
from guidelines.sources import Ambiguity, Citation, ambiguity, poems

CITE_POEMS = poems("Responsevaluering")
CITE_VEGF_WORKUP = poems("Udredning", "VEGF")

VGPRH_BASELINE_MIN_G_L = 5  # «kun evaluerbar hvis M-protein var mindst 5 g/L ved baseline»
PRH_BASELINE_MIN_G_L = 10  # «hvis baseline M-protein var mindst 10 g/L»
VEGF_NORMAL_BELOW_NG_L = 100  # Udredning: «Forventet normal niveau: <100 ng/L»
VEGF_ELEVATED_ABOVE_NG_L = 200  # Udredning: «Værdier > 200 ng/L betragtes som forhøjede»

VEGF_NORMAL_AMBIGUITY = ambiguity("poems_response.ambiguity_vegf_normal")
VEGF_LIMIT_AMBIGUITY = ambiguity("poems_response.ambiguity_vegf_limit")
POEMS_HAEM_AMBIGUITY = ambiguity("poems_response.ambiguity_poems_haem")
POEMS_PERCENT_AMBIGUITY = ambiguity("poems_response.ambiguity_percent")
POEMS_PET_AMBIGUITY = ambiguity("poems_response.ambiguity_pet")

# The guideline's category → the API contract's code.
CONTRACT_CODES = {
    "CRH": "CR", "VGPRH": "VGPR", "PRH": "PR", "CRV": "CR", "PRV": "PR", "NRV": "NO_RESPONSE",
    "CRR": "CR", "PRR": "PR", "NO_RADIOLOGIC_RESPONSE": "NO_RESPONSE",
    "NO_RESPONSE": "NO_RESPONSE", "NOT_EVALUABLE": "NOT_EVALUABLE",
}


@dataclass(frozen=True)
class PoemsResponse:
    """One POEMS response: the guideline's category, its reasons and the facts it lacked (JSON paths of
    POST /api/v1/poems-response)."""

    category: str
    reasons: tuple[str, ...]
    missing: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = (CITE_POEMS,)
    ambiguities: tuple[Ambiguity, ...] = ()

    @property
    def code(self) -> str:
        """The contract's code: CR, VGPR, PR, NO_RESPONSE or NOT_EVALUABLE."""
        return CONTRACT_CODES[self.category]


def _fall(before, after) -> Decimal:
    """Percentage fall from ``before`` (> 0) to ``after``."""
    return (dec(before) - dec(after)) / dec(before) * 100


def _missing(**paths):
    return tuple(path for path, value in paths.items() if value is None)


def poems_haematological_response(
    *, baseline_m_g_l: float | None, current_m_g_l: float | None, serum_ife_negative: bool | None,
    urine_ife_negative: bool | None, marrow_negative: bool | None, baseline_marrow_negative: bool | None,
) -> PoemsResponse:
    """CRH / VGPRH / PRH / NO_RESPONSE (POEMS guideline, Responsevaluering, «Hæmatologisk respons
    udfra modificerede myelomatose kriterier (obs lav M-komponent)»):

    - CRH «Negativ knoglemarv og negativ immunofixation af serum og urin. Hvis baseline KM var negativ
      er der ikke behov for ny KM.»
    - VGPRH «90 procent reduktion i M-protein eller immunofixation positiv, kun evaluerbar hvis
      M-protein var mindst 5 g/L ved baseline.»
    - PRH «50 procent reduktion i M-protein eller immunofixation positiv hvis baseline M-protein var
      mindst 10 g/L.»
    - No response «opfylder ikke kriterier for PRH».

    ``current_m_g_l`` 0 = not detectable by electrophoresis («immunofixation positiv»). Negative
    immunofixation of serum and urine means no M-protein at all (a 100 % fall): with the marrow
    unknown it is at least VGPRH (baseline ≥ 5 g/L) and CRH waits for the marrow."""
    amb = (POEMS_HAEM_AMBIGUITY, POEMS_PERCENT_AMBIGUITY)
    ife_negative = bool(serum_ife_negative and urine_ife_negative)
    # A current marrow, when done, decides; only without one does a negative baseline marrow stand in
    # («Hvis baseline KM var negativ er der ikke behov for ny KM»).
    marrow_ok = marrow_negative if marrow_negative is not None else (True if baseline_marrow_negative else None)
    if ife_negative and current_m_g_l not in (None, 0):
        return PoemsResponse("NOT_EVALUABLE", (msg("poems_response.ife_contradiction", gettext_noop(
            "immunofixation of serum and urine negative, yet an M-protein of %(now)s: the results "
            "contradict each other"), now=Quantity(current_m_g_l, "g/L")),), ambiguities=amb)
    if ife_negative and marrow_ok:
        return PoemsResponse("CRH", (msg("poems_response.crh_baseline_marrow_negative", gettext_noop(
            "negative immunofixation of serum and urine, negative marrow (baseline marrow negative: no new marrow "
            "needed)")) if marrow_negative is None else msg("poems_response.crh", gettext_noop(
                "negative immunofixation of serum and urine, negative marrow")),), ambiguities=amb)
    reasons, missing = [], []
    # CRH still possible but a fact it needs unknown: name it (a positive immunofixation, an involved marrow or
    # an M-protein seen on electrophoresis rules CRH out without asking).
    crh_unknown = _missing(**{"current.serum_ife_negative": serum_ife_negative,
                              "current.urine_ife_negative": urine_ife_negative})
    if (crh_unknown and False not in (serum_ife_negative, urine_ife_negative) and marrow_ok is not False
            and current_m_g_l in (None, 0)):
        missing += [*crh_unknown, *(("current.marrow_involved",) if marrow_ok is None else ())]
        reasons.append(msg("poems_response.crh_facts_unknown", gettext_noop(
            "CRH not evaluable: it needs negative immunofixation of serum and urine and a negative marrow, and "
            "these are not all known")))
    if ife_negative:
        current_m_g_l = 0
        if marrow_ok is None:
            missing.append("current.marrow_involved")
            reasons.append(msg("poems_response.crh_needs_marrow", gettext_noop(
                "immunofixation of serum and urine negative: CRH also needs a negative marrow (not needed when the "
                "baseline marrow was negative)")))
        else:
            reasons.append(msg("poems_response.crh_marrow_involved", gettext_noop(
                "immunofixation of serum and urine negative, but the marrow is involved: not CRH")))
    if baseline_m_g_l is None or current_m_g_l is None:
        missing += _missing(**{"baseline.serum_m_protein_g_l": baseline_m_g_l,
                               "current.serum_m_protein_g_l": current_m_g_l})
        reasons.append(msg("poems_response.m_protein_needed", gettext_noop("M-protein at baseline and now needed")))
        return PoemsResponse("NOT_EVALUABLE", tuple(reasons), dedupe(missing), ambiguities=amb)
    fall = _fall(baseline_m_g_l, current_m_g_l) if baseline_m_g_l > 0 else Decimal(0)
    working = msg("poems_response.m_protein_working", gettext_noop(
        "M-protein %(before)s → %(now)s (fall %(fall)s %%)"), before=Quantity(baseline_m_g_l),
        now=Quantity(current_m_g_l, "g/L"), fall=Quantity(shown_percent(fall)))

    def answer(category, reason):
        return PoemsResponse(category, (*reasons, reason), dedupe(missing), ambiguities=amb)

    if baseline_m_g_l >= VGPRH_BASELINE_MIN_G_L and (fall >= 90 or current_m_g_l == 0):
        return answer("VGPRH", msg("poems_response.vgprh", gettext_noop(
            "%(working)s: ≥ 90 %% or immunofixation-only, baseline ≥ 5 g/L"), working=working))
    if baseline_m_g_l >= PRH_BASELINE_MIN_G_L:
        if fall >= 50 or current_m_g_l == 0:
            return answer("PRH", msg("poems_response.prh", gettext_noop(
                "%(working)s: ≥ 50 %% or immunofixation-only, baseline ≥ 10 g/L"), working=working))
        return answer("NO_RESPONSE", msg("poems_response.no_response", gettext_noop(
            "%(working)s: criteria for PRH not met"), working=working))
    if baseline_m_g_l < VGPRH_BASELINE_MIN_G_L:
        return answer("NOT_EVALUABLE", msg("poems_response.baseline_below_5", gettext_noop(
            "%(working)s: baseline M-protein < 5 g/L, VGPRH and PRH not evaluable («kun evaluerbar hvis M-protein "
            "var mindst 5 g/L ved baseline»)"), working=working))
    return answer("NOT_EVALUABLE", msg("poems_response.prh_not_evaluable", gettext_noop(
        "%(working)s: baseline < 10 g/L, PRH not evaluable"), working=working))


def poems_vegf_response(*, baseline_vegf_ng_l: float | None, current_vegf_ng_l: float | None,
                        upper_limit_ng_l: float | None = None) -> PoemsResponse:
    """CRV / PRV / NRV (POEMS guideline, Responsevaluering, «VEGF respons»): «CRV – Normalisering af
    VEGF» (below the laboratory's upper limit, else < 100 ng/L, «Forventet normal niveau: <100 ng/L»,
    Udredning; VEGF_NORMAL_AMBIGUITY, VEGF_LIMIT_AMBIGUITY), «PRV – Fald ≥50 procent fra baseline, hvis
    initialt forhøjet» (> 200 ng/L), «NRV – Ikke CRv eller PRv». A baseline already normal has
    nothing to normalise and is not evaluable."""
    amb = (VEGF_NORMAL_AMBIGUITY, VEGF_LIMIT_AMBIGUITY)
    cites = (CITE_POEMS, CITE_VEGF_WORKUP)
    if baseline_vegf_ng_l is None or current_vegf_ng_l is None:
        return PoemsResponse("NOT_EVALUABLE", (msg("poems_response.vegf_needed", gettext_noop(
            "VEGF at baseline and now needed")),), _missing(**{"baseline.vegf_ng_l": baseline_vegf_ng_l,
                                                                "current.vegf_ng_l": current_vegf_ng_l}), cites, amb)
    limit = VEGF_NORMAL_BELOW_NG_L if upper_limit_ng_l is None else upper_limit_ng_l
    values = {"before": Quantity(baseline_vegf_ng_l), "now": Quantity(current_vegf_ng_l, "ng/L"),
              "limit": Quantity(limit, "ng/L")}
    if baseline_vegf_ng_l < limit:
        return PoemsResponse("NOT_EVALUABLE", (msg("poems_response.vegf_baseline_normal", gettext_noop(
            "VEGF %(before)s → %(now)s: baseline already normal (< %(limit)s), nothing to normalise"), **values),),
                             citations=cites, ambiguities=amb)
    if current_vegf_ng_l < limit:
        return PoemsResponse("CRV", (msg("poems_response.crv_limit", gettext_noop(
            "VEGF %(before)s → %(now)s: normalised (< %(limit)s)"), **values),), citations=cites, ambiguities=amb)
    fall = _fall(baseline_vegf_ng_l, current_vegf_ng_l)
    values["fall"] = Quantity(shown_percent(fall))
    if baseline_vegf_ng_l > VEGF_ELEVATED_ABOVE_NG_L and fall >= 50:
        return PoemsResponse("PRV", (msg("poems_response.prv_fall", gettext_noop(
            "VEGF %(before)s → %(now)s: fall %(fall)s %% ≥ 50 %% from an elevated baseline (> 200 ng/L)"),
            **values),), citations=cites, ambiguities=amb)
    if baseline_vegf_ng_l > VEGF_ELEVATED_ABOVE_NG_L:
        return PoemsResponse("NRV", (msg("poems_response.nrv_fall", gettext_noop(
            "VEGF %(before)s → %(now)s: fall %(fall)s %% < 50 %% and not normalised: neither CRV nor PRV"),
            **values),), citations=cites, ambiguities=amb)
    return PoemsResponse("NRV", (msg("poems_response.nrv_not_elevated", gettext_noop(
        "VEGF %(before)s → %(now)s: not normalised, and PRV needs an initially elevated VEGF (> 200 ng/L): "
        "neither CRV nor PRV"), **values),), citations=cites, ambiguities=amb)


def poems_pet_response(*, baseline_positive_lesions: int | None = None, current_positive_lesions: int | None = None,
                       baseline_suvmax: float | None = None, current_suvmax: float | None = None,
                       lesions_resolved: bool | None = None) -> PoemsResponse:
    """CRR / PRR / no radiologic response (POEMS guideline, Responsevaluering, «18-FDG-PET-respons»):
    «CRR – Initialt FDG positive læsion(er) på baseline PET scan forsvundet»; «PRR – Initial
    standardized uptake values (SUV)max reduceret 50 procent» (read as ≥ 50 %); «No radiologic
    response – Ikke CRR or PRR». Only «hvis gjort baseline»: a baseline PET is given by its lesion
    count or its SUVmax (POEMS_PET_AMBIGUITY); a baseline SUVmax of 0 is no FDG-positive lesion."""
    amb = (POEMS_PET_AMBIGUITY, POEMS_PERCENT_AMBIGUITY)
    baseline_positive = (baseline_positive_lesions > 0 if baseline_positive_lesions is not None
                         else (None if baseline_suvmax is None else baseline_suvmax > 0))
    resolved = lesions_resolved if lesions_resolved is not None else (
        None if current_positive_lesions is None else current_positive_lesions == 0)
    if baseline_positive is None:
        return PoemsResponse("NOT_EVALUABLE", (msg("poems_response.no_baseline_pet", gettext_noop(
            "no baseline PET: PET response only «hvis gjort baseline»")),), ("baseline.pet_suv_max",),
                             ambiguities=amb)
    if not baseline_positive:
        return PoemsResponse("NOT_EVALUABLE", (msg("poems_response.no_fdg_lesion", gettext_noop(
            "no FDG-positive lesion at baseline")),), ambiguities=amb)
    if resolved:
        return PoemsResponse("CRR", (msg("poems_response.crr", gettext_noop(
            "initially FDG-positive lesions have disappeared")),), ambiguities=amb)
    if baseline_suvmax is None or current_suvmax is None:
        missing = _missing(**{"baseline.pet_suv_max": baseline_suvmax, "current.pet_suv_max": current_suvmax})
        return PoemsResponse("NOT_EVALUABLE", (msg("poems_response.suvmax_needed", gettext_noop(
            "SUVmax at baseline and now needed for PRR")),),
                             missing + (("current.pet_lesions_resolved",) if resolved is None else ()),
                             ambiguities=amb)
    fall = _fall(baseline_suvmax, current_suvmax)
    unknown = ("current.pet_lesions_resolved",) if resolved is None else ()
    if fall >= 50:
        return PoemsResponse("PRR", (msg("poems_response.prr", gettext_noop(
            "SUVmax %(before)s → %(now)s: fall %(fall)s %% ≥ 50 %%"), before=Quantity(baseline_suvmax),
            now=Quantity(current_suvmax), fall=Quantity(shown_percent(fall))),), unknown, ambiguities=amb)
    return PoemsResponse("NO_RADIOLOGIC_RESPONSE", (msg("poems_response.no_radiologic_response", gettext_noop(
        "SUVmax fall %(fall)s %%: neither CRR nor PRR"), fall=Quantity(shown_percent(fall))),), unknown,
                         ambiguities=amb)


@dataclass(frozen=True)
class PoemsMeasurement:
    """One time point of POST /api/v1/poems-response (baseline or current). ``marrow_involved``: clonal
    plasma cells in the marrow (False = «negativ knoglemarv»)."""

    serum_m_protein_g_l: float | None = None
    serum_ife_negative: bool | None = None
    urine_ife_negative: bool | None = None
    marrow_involved: bool | None = None
    vegf_ng_l: float | None = None
    vegf_upper_limit_ng_l: float | None = None
    pet_suv_max: float | None = None
    pet_lesions_resolved: bool | None = None


@dataclass(frozen=True)
class PoemsResponseResult:
    """The three responses, each on its own, with one list of reasons (each naming its response)."""

    haematological: PoemsResponse
    vegf: PoemsResponse
    pet: PoemsResponse
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...]
    citations: tuple[Citation, ...]
    ambiguities: tuple[Ambiguity, ...]


NOTES = (
    msg("poems_response.note_same_method", gettext_noop(
        "Compare VEGF measured by the same method («OBS samme målemetode (plasma/ serum for evaluering)»); "
        "response cannot be judged on plasma VEGF alone.")),
    msg("poems_response.note_schedule", gettext_noop(
        "Monthly measurement during treatment, full response evaluation after 3–6 months; a response should be "
        "seen within 6 months. Organ response (neuropathy, ECHO, lung function, effusion) is judged clinically "
        "every 3–12 months.")),
)


def poems_response(baseline: PoemsMeasurement, current: PoemsMeasurement) -> PoemsResponseResult:
    """Haematological, VEGF and FDG-PET response between baseline and now (POEMS guideline,
    Responsevaluering), each by its own rule above."""
    haem = poems_haematological_response(
        baseline_m_g_l=baseline.serum_m_protein_g_l, current_m_g_l=current.serum_m_protein_g_l,
        serum_ife_negative=current.serum_ife_negative, urine_ife_negative=current.urine_ife_negative,
        marrow_negative=None if current.marrow_involved is None else not current.marrow_involved,
        baseline_marrow_negative=None if baseline.marrow_involved is None else not baseline.marrow_involved)
    vegf = poems_vegf_response(baseline_vegf_ng_l=baseline.vegf_ng_l, current_vegf_ng_l=current.vegf_ng_l,
                               upper_limit_ng_l=current.vegf_upper_limit_ng_l)
    pet = poems_pet_response(baseline_suvmax=baseline.pet_suv_max, current_suvmax=current.pet_suv_max,
                             lesions_resolved=current.pet_lesions_resolved)
    reasons = (*(msg("poems_response.haematological_reason", gettext_noop("Haematological response: %(reason)s"),
                     reason=r) for r in haem.reasons),
               *(msg("poems_response.vegf_reason", gettext_noop("VEGF response: %(reason)s"), reason=r)
                 for r in vegf.reasons),
               *(msg("poems_response.pet_reason", gettext_noop("FDG-PET response: %(reason)s"), reason=r)
                 for r in pet.reasons))
    parts = (haem, vegf, pet)
    return PoemsResponseResult(
        haem, vegf, pet, reasons, dedupe(p for part in parts for p in part.missing), NOTES,
        dedupe(c for part in parts for c in part.citations), dedupe(a for part in parts for a in part.ambiguities))
