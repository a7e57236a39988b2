"""The principle of every relapse line: «Et viktig prinsipp er å bytte til eller legge til et medikament med ny
virkningsmekanisme» (Behandling av tilbakefall), with «Med refraktær menes …» (Andrelinjebehandling), read for
every line (docs/adr/0018-refractory-and-class-switching-per-line.md).
"""

from guidelines.facts import ANTI_CD38
from guidelines.history import HistoryReading
from guidelines.library import Library, drugs_of
from guidelines.messages import gettext_noop, msg
from guidelines.sources import myeloma
from guidelines.terms import drugs
from guidelines.treatment.common import (
    S_RELAPSE,
    Builder,
)

# The library regimens this chapter recommends, each with the drugs its rows and words take it to contain


# «Et viktig prinsipp er å bytte til eller legge til et medikament med ny virkningsmekanisme» (Behandling av
# tilbakefall) with «Med refraktær menes …» (Andrelinjebehandling), read for every line (ADR 0018): an option
# containing a drug the patient is refractory to is not offered. The class is the CD38 antibody, the one class
# the rows name as refractoriness («refraktær mot CD38-antistoff»): refractory to one, every one is avoided.
# Dexamethasone is in every relapse regimen the chapter names, each written for patients who have had it: it is
# not a reason to drop an option (a warning says so, refractory_warnings).
PRINCIPLE_SOURCE = ("Behandling av tilbakefall: «Et viktig prinsipp er å bytte til eller legge til et medikament med "
                    "ny virkningsmekanisme.» Andrelinjebehandling: «Med refraktær menes at pasienten har hatt "
                    "progresjon under behandling med eller innen 60 dager etter seponering av et medikament eller "
                    "regime.»")
BACKBONE = frozenset({"dexamethasone"})
# Combinations the guideline names for a patient refractory to one of their drugs: (regimen, drug). None today —
# the triple-refractory bispecific row names bispecifics, which contain none of the drugs it is written for.
NAMED_DESPITE_REFRACTORY: frozenset[tuple[str, str]] = frozenset()


def avoided_drugs(history: HistoryReading) -> frozenset[str]:
    """The drugs no option may contain: those the patient is refractory to (dexamethasone aside), and every CD38
    antibody when refractory to one."""
    avoid = set(history.refractory - BACKBONE)
    if history.cd38_refractory:
        avoid |= ANTI_CD38
    return frozenset(avoid)


def _option_drugs(library: Library, regimen: str, drug_codes) -> frozenset[str]:
    return frozenset(drugs_of(library, regimen)) | ({regimen} if regimen in drug_codes else frozenset())


def drop_refractory(b: Builder, history: HistoryReading, library: Library, *, drug_codes=frozenset()) -> None:
    """Remove every option that contains a drug (or CD38 antibody) the patient is refractory to, saying which and
    why; where nothing is left the answer says the tables give no option and states the principle.
    ``drug_codes``: the option codes that are a drug's own name (an alkylator named without a regimen)."""
    avoid = avoided_drugs(history)
    if not avoid:
        return
    kept, dropped = [], []
    for option in b.options:
        bad = sorted(d for d in _option_drugs(library, option.regimen, drug_codes) & avoid
                     if (option.regimen, d) not in NAMED_DESPITE_REFRACTORY)
        (dropped if bad else kept).append((option, bad))
    if not dropped:
        return
    b.options[:] = [option for option, _bad in kept]
    for option, bad in dropped:
        b.reasons.append(msg("relapse.option_dropped_refractory", gettext_noop(
            "%(regimen)s is not offered: it contains %(drugs)s, to which the patient is refractory; the principle is "
            "to switch to or add a drug with a new mechanism of action."), regimen=option.regimen, drugs=drugs(bad)))
    b.cite(myeloma(S_RELAPSE))
    if not b.options:
        b.notes.append(msg("relapse.no_option_without_refractory_drug", gettext_noop(
            "The guideline's tables give no option for this history that contains no drug the patient is refractory "
            "to (%(drugs)s). Principle (Behandling av tilbakefall): switch to or add a drug with a new mechanism of "
            "action; refractory means progression on or within 60 days of stopping a drug or regimen "
            "(Andrelinjebehandling). Choose with an expert; the app does not repeat the last line."),
            drugs=drugs(sorted(avoid))))
        b.ambiguous(myeloma(S_RELAPSE), PRINCIPLE_SOURCE, msg("relapse.principle_every_line", gettext_noop(
            "The principle and the definition of refractory are read as applying to every line: an option the "
            "table gives is not offered when it contains a drug the patient is refractory to (any CD38 antibody "
            "when refractory to one).")))


def refractory_warnings(b, history, library):
    """Behandling av tilbakefall: "Et viktig prinsipp er å bytte til eller legge til et medikament med ny
    virkningsmekanisme." The rows do not qualify every option by the drugs it contains; say where an option
    contains a drug the patient is refractory to or stopped for intolerance."""
    for option in b.options:
        bad = sorted(set(drugs_of(library, option.regimen)) & (history.refractory | history.intolerant))
        if not bad:
            continue
        b.notes.append(msg("relapse.option_contains_refractory_drug", gettext_noop(
            "%(regimen)s contains %(drugs)s, to which the patient is refractory or intolerant: the guideline row does "
            "not exclude it, but its principle is to switch to or add a drug with a new mechanism of action — "
            "assess."), regimen=option.regimen, drugs=drugs(bad)))
        b.cite(myeloma(S_RELAPSE))
