"""The dose engine's refusals of a rounding, as a page words them in the reader's language (issue 14
item 1, docs/adr/0014-dose-rounding-policy.md): at plan time (patients/plans.py: the plan form and
the draft page) and at activation (regimens/actions.py, the activation page). Each names the drug
and the dose. The engine (regimens/dosing/, no Django) gives the refusal as a code and its numbers;
a refusal without a code reads as the engine's English message."""

from django.conf import settings
from django.utils.translation import gettext as _

from core.messages import render
from regimens import dosing
from regimens.formatting import PER_UNIT_WORDS, format_deviation, format_dose, format_number


def hospital_limit():
    """The hospital's maximum deviation of a rounded dose, in per cent (settings)."""
    return settings.DOSE_ROUNDING_MAX_DEVIATION_PERCENT


def _pct(value):
    return format_number(value, places=2)


def dose_refusal(exc: dosing.DosingError) -> str:
    """``exc`` in the reader's words where the engine gave it a code; else the engine's message."""
    p = exc.params
    if exc.code == "rounding_too_coarse":
        unit = p["unit"]
        numbers = {
            "drug": p["drug"], "exact": format_dose(p["exact"], unit, places=4), "given": format_dose(p["given"], unit),
            "deviation": format_deviation(p["deviation_pct"]), "limit": _pct(p["limit_pct"]),
        }
        if p.get("step") is not None:
            return _(
                "%(drug)s: the rounding step %(step)s moves the dose %(exact)s to %(given)s (%(deviation)s), "
                "more than the %(limit)s %% allowed. A pharmacist must change the protocol's rounding step."
            ) % {**numbers, "step": format_dose(p["step"], unit)}
        return _(
            "%(drug)s: the dose %(exact)s cannot be given at three significant figures and two decimals within "
            "%(limit)s %% (it would be %(given)s, %(deviation)s). The protocol must give a rounding step or "
            "the dose in a smaller unit."
        ) % numbers
    if exc.code == "per_unit_above_protocol":
        basis = PER_UNIT_WORDS.get(p["basis"], p["basis"])
        return _(
            "%(drug)s: the dose to give %(given)s is %(achieved)s, more than 10 %% above the protocol's "
            "%(protocol)s. Check the protocol's rounding step and the patient's height and weight."
        ) % {"drug": p["drug"], "given": format_dose(p["given"], p["unit"]),
             "achieved": format_dose(p["achieved"], basis, places=4), "protocol": format_dose(p["protocol"], basis)}
    return render(exc.message)


def _drug(problem: dosing.RoundingProblem) -> str:
    return f"{problem.drug} ({problem.phase})" if problem.phase else problem.drug


def _smallest(problem: dosing.RoundingProblem) -> str:
    """How the smallest dose arises: «1,3 mg/m² × body surface area 1,4 m² = 1,82 mg»."""
    dose = format_dose(problem.smallest_dose, problem.unit)
    per_basis = format_dose(problem.per_basis_dose, PER_UNIT_WORDS.get(problem.basis, problem.basis))
    if problem.at is None:
        return dose
    if problem.basis == "mg/kg":
        return _("%(dose)s × weight %(weight)s = %(result)s") % {
            "dose": per_basis, "weight": format_dose(problem.at, "kg"), "result": dose}
    return _("%(dose)s × body surface area %(bsa)s = %(result)s") % {
        "dose": per_basis, "bsa": format_dose(problem.at, "m²"), "result": dose}


def rounding_problem_text(problem: dosing.RoundingProblem) -> str:
    """Why a protocol's rounding is refused at activation, naming the drug and the dose at which it fails."""
    numbers = {
        "drug": _drug(problem), "limit": _pct(problem.limit_pct), "worst": _pct(problem.worst_pct),
        "below": format_dose(problem.fails_below, problem.unit), "smallest": _smallest(problem),
    }
    if problem.step is not None:
        return _(
            "%(drug)s: the rounding step %(step)s can move a dose by up to half a step, more than %(limit)s %% "
            "for every dose below %(below)s. The protocol gives doses down to %(smallest)s (BSA 1.4–2.6 m², "
            "weight 40–150 kg), which it can move by up to %(worst)s %%. Choose a smaller step."
        ) % {**numbers, "step": format_dose(problem.step, problem.unit)}
    return _(
        "%(drug)s: without a rounding step a dose is given at three significant figures and at most two "
        "decimals, which can move a dose below %(below)s by more than %(limit)s %%. The protocol gives doses "
        "down to %(smallest)s (BSA 1.4–2.6 m², weight 40–150 kg), up to %(worst)s %%. Give a rounding step or "
        "the dose in a smaller unit."
    ) % numbers


def rounding_refusals(proto) -> list[str]:
    """Every drug of ``proto`` (a schema.Protocol) whose rounding the hospital's limit refuses, in words."""
    return [rounding_problem_text(p) for p in dosing.rounding_problems(proto, max_deviation_pct=hospital_limit())]
