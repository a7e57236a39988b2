"""One reading of the treatment history: what the recorded lines say, worked out once.

Source: Handlingsprogram for myelomatose — «Behandling av tilbakefall» (relapse, progression, the next
line), «Andrelinjebehandling» («Med refraktær menes at pasienten har hatt progresjon under behandling med
eller innen 60 dager etter seponering av et medikament eller regime»), «Førstegangsbehandling»
(mobilisation, HMAS and maintenance belong to the line of their induction) and «Strålebehandling»
(radiotherapy alone is not a systemic line).

``read_history(facts, library)`` reads ``facts.treatment_history`` once — a line recorded only by its
regimen code gets the drugs the protocol library gives that code — and ``evaluate`` hands the one
``HistoryReading`` to every rule: the diagnosis after treatment, the treatment chapters, CAR-T, the
allogeneic transplant criteria and supportive care.
"""

import datetime
import re
from dataclasses import dataclass

from guidelines.facts import (
    ANTI_CD38,
    BCMA_DIRECTED,
    GPRC5D_DIRECTED,
    IMIDS,
    PROTEASOME_INHIBITORS,
    PatientFacts,
    TreatmentLine,
)
from guidelines.library import NO_LIBRARY, Library, drugs_of
from guidelines.messages import Quantity, Term, gettext_noop, msg
from guidelines.sources import Ambiguity, ambiguity, myeloma, source_quote

CITE_RELAPSE = myeloma("Behandling av tilbakefall")
CITE_REFRACTORY = myeloma("Andrelinjebehandling")
REFRACTORY_SOURCE = source_quote("history.refractory")

# The library regimens that are a part of a line, not a line (Førstegangsbehandling: stem cell mobilisation,
# high-dose melphalan with stem cell support, maintenance); HMAS_CODE marks a line as an autologous transplant.
HMAS_CODE = "Mel-HMAS"
PART_CODES = ("Cy-mobilisation", HMAS_CODE, "R-maintenance", "VR-maintenance", "Dara-R-maintenance",
              "Isa-R-maintenance")
# Words that mark a history line as CAR-T (free-text regimen names).
CAR_T_WORDS = ("car-t", "cart", "cilta-cel", "ide-cel", "ciltacabtagene", "idecabtagene")

# Reading free-text history lines (a regimen is a contract code or free text). Conservative: a line is read
# as radiotherapy alone, or as mobilisation/HMAS/maintenance alone, only when every word of it is one of
# the words below; any other word (a regimen, a drug, a negation, CAR-T, allo …) keeps it a line of its own.
WORD = re.compile(r"[a-zæøå]+|\d+(?:[.,]\d+)?")
RADIOTHERAPY_WORDS = re.compile(
    r"radiotherapy|radioterapi|radiation|radiotherapi|therapy|terapi|behandling|stråle\w*|strål\w*|rt|gy|x|"
    r"fraksjoner|fractions?|"
    r"palliativ\w*|kurativ\w*|curative|mot|to|of|the|lokal\w*|local|ekstern\w*|external|beam|\d+(?:[.,]\d+)?|"
    r"th|l|c|s|costa\w*|bekken\w*|pelvis|femur|humerus|columna|spine|skull|kranie\w*|sacrum|ribs?|"
    r"sternum|plasmacytom\w*|plasmacytoma|lesjon\w*|lesion|høyre|venstre|right|left|og|and|med|with"
)
RADIOTHERAPY_CORE = re.compile(r"radiotherapy|radioterapi|radiation|radiotherapi|stråle\w*|strål\w*|rt|gy")
PART_WORDS = re.compile(
    r"hmas|asct|autolog|autologous|autologe?|stamcelle\w*|stem|cells?|mobilisering|mobilisation|mobilization|"
    r"vedlikehold\w*|maintenance|maint|mel|melphalan|melfalan|høydose\w*|high|dose|cy|cyklofosfamid|"
    r"cyclophosphamide|g|csf|r|len|lenalidomid|lenalidomide|dara|daratumumab|isa|isatuximab|vr|bortezomib|"
    r"og|and|med|with|mg|m|\d+(?:[.,]\d+)?"
)
PART_CORE = re.compile(r"hmas|asct|autolog\w*|stamcelle\w*|stem|mobilis\w*|mobiliz\w*|vedlikehold\w*|"
                       r"maintenance|maint|melphalan|melfalan|høydose\w*")


def _only_words(text: str, allowed: re.Pattern, core: re.Pattern) -> bool:
    words = WORD.findall(text.lower())
    return (bool(words) and all(allowed.fullmatch(w) for w in words)
            and any(core.fullmatch(w) for w in words))


def radiotherapy_only(line: TreatmentLine) -> bool:
    """A history line that is radiotherapy alone: no drugs, and a regimen made only of radiotherapy words,
    doses and sites (a radiotherapy option code, «strålebehandling», «RT 40 Gy mot Th8» …; «Kd + RT» is not), or
    no regimen and no drugs with ``radiotherapy_gy`` given."""
    if line.drugs:
        return False
    if line.radiotherapy_gy and not line.regimen:  # contract v1.1: radiotherapy given, no regimen, no drugs
        return True
    return _only_words(line.regimen or "", RADIOTHERAPY_WORDS, RADIOTHERAPY_CORE)


def _part_drugs(library: Library) -> frozenset[str]:
    return frozenset(drug for code in PART_CODES for drug in drugs_of(library, code))


def _part_of_a_line(line: TreatmentLine, part_drugs: frozenset[str]) -> bool:
    if line.drugs and not set(line.drugs) <= part_drugs:
        return False
    regimen = line.regimen or ""
    if regimen in PART_CODES or _only_words(regimen, PART_WORDS, PART_CORE):
        return True
    return tuple(line.drugs) == ("melphalan",) and line.autologous_transplant is True


def part_of_a_line(line: TreatmentLine, library: Library) -> bool:
    """A history line that is only stem cell mobilisation, HMAS or maintenance — by the guideline part of the
    line of its induction («Førstegangsbehandling»): a PART_CODES code, or free text made only of those words
    («HMAS», «Dara-R vedlikehold»; not «KRd, HMAS», «DRd (ikke HMAS-kandidat)», «cilta-cel (autologous
    CAR-T)»), or melphalan alone with an autologous transplant; its drugs, when given, only those the library
    gives the PART_CODES regimens."""
    return _part_of_a_line(line, _part_drugs(library))


@dataclass(frozen=True)
class LineReading:
    """One recorded line as the engine reads it: its position in the request (``index``, for JSON paths),
    its drugs (as recorded, else the library's for its regimen code; () when neither says), and whether it
    is radiotherapy alone, a part of the line of its induction (mobilisation, HMAS, maintenance) or CAR-T."""

    index: int
    line: TreatmentLine
    drugs: tuple[str, ...]
    radiotherapy_only: bool
    part_of_a_line: bool
    car_t: bool

    @property
    def number(self) -> int:
        return self.line.line

    @property
    def label(self) -> str:
        """«line 2 (Isa-Kd)»."""
        if self.line.regimen:
            return msg("history.line_with_regimen", gettext_noop("line %(number)s (%(regimen)s)"),
                       number=self.line.line, regimen=self.line.regimen)
        return msg("history.line", gettext_noop("line %(number)s"), number=self.line.line)

    @property
    def transplant(self) -> bool | None:
        """An autologous transplant on this line: the HMAS code, else as recorded (None: not said)."""
        return True if self.line.regimen == HMAS_CODE else self.line.autologous_transplant

    def path(self, field: str) -> str:
        """The JSON path of one of the line's fields in the evaluate request."""
        return f"treatment_history[{self.index}].{field}"


@dataclass(frozen=True)
class Progression:
    """One record of progression after treatment (Behandling av tilbakefall, table 8.2): ``source`` is
    «refractory» (progression on or within 60 days of stopping a drug of the line), «date» (a progression
    date), «after_transplant» (months from the line's transplant to progression) or «blood» (> 5 % plasma
    cells in the blood); ``line`` the line that records it, ``date`` the date when given."""

    source: str
    text: str
    line: LineReading | None = None
    date: datetime.date | None = None


@dataclass(frozen=True)
class Exposure:
    """The drugs of each class the guideline reasons with that the history has given (Behandling av
    tilbakefall, Fjerdelinjebehandling: an immunomodulator, a proteasome inhibitor, a CD38 antibody; CAR-T:
    BCMA-directed and GPRC5D-directed therapy)."""

    imid: frozenset[str] = frozenset()
    proteasome_inhibitor: frozenset[str] = frozenset()
    cd38: frozenset[str] = frozenset()
    bcma: frozenset[str] = frozenset()
    gprc5d: frozenset[str] = frozenset()

    @classmethod
    def of(cls, drugs: frozenset[str]) -> "Exposure":
        return cls(drugs & IMIDS, drugs & PROTEASOME_INHIBITORS, drugs & ANTI_CD38, drugs & BCMA_DIRECTED,
                   drugs & GPRC5D_DIRECTED)


@dataclass(frozen=True)
class HistoryReading:
    """What the treatment history says (Behandling av tilbakefall).

    ``lines`` as recorded; ``systemic`` the lines that are not radiotherapy alone, by line number (recorded
    order among equal numbers); ``latest`` the last of them, ``latest_group`` the latest line with the
    mobilisation, HMAS and maintenance lines recorded after it (one line in the guideline's terms);
    ``last_recorded`` the highest-numbered recorded line, radiotherapy included. ``line_number`` is the
    number the next line gets. Drugs: ``exposed`` (every line) and its ``exposure`` by class, ``refractory``
    and ``intolerant`` (as recorded). ``previous_transplant``: True if a line had an autologous
    transplant, None if a line does not say. ``progression``: what the latest group (and the blood smear)
    records of progression, with the group's ``progression_label`` and the ambiguities of reading it."""

    lines: tuple[LineReading, ...] = ()
    systemic: tuple[LineReading, ...] = ()
    latest_group: tuple[LineReading, ...] = ()
    last_recorded: LineReading | None = None
    line_number: int | None = None
    exposed: frozenset[str] = frozenset()
    exposure: Exposure = Exposure()
    refractory: frozenset[str] = frozenset()
    intolerant: frozenset[str] = frozenset()
    regimens: frozenset[str] = frozenset()
    previous_transplant: bool | None = False
    transplants: tuple[LineReading, ...] = ()
    reinfusion_date: datetime.date | None = None
    car_t: bool = False
    progression: tuple[Progression, ...] = ()
    progression_label: str = ""
    progression_ambiguities: tuple[Ambiguity, ...] = ()

    @property
    def latest(self) -> LineReading | None:
        """The latest systemic line (None without one): the last recorded of the highest-numbered."""
        return self.systemic[-1] if self.systemic else None

    @property
    def progression_line(self) -> LineReading | None:
        """Where the engine asks for the progression date: the highest-numbered systemic line, the first
        recorded of them when two share the number (an induction and its HMAS both recorded as line 1:
        the induction)."""
        return max(self.systemic, key=lambda line: line.number) if self.systemic else None

    @property
    def last_regimen(self) -> str | None:
        """The regimen of the highest-numbered recorded line (radiotherapy included)."""
        return self.last_recorded.line.regimen if self.last_recorded is not None else None

    @property
    def cd38_refractory(self) -> bool:
        return bool(self.refractory & ANTI_CD38)

    @property
    def cd38_refractory_or_intolerant(self) -> bool:
        return bool((self.refractory | self.intolerant) & ANTI_CD38)

    @property
    def lenalidomide_refractory(self) -> bool:
        return "lenalidomide" in self.refractory

    @property
    def lenalidomide_refractory_or_intolerant(self) -> bool:
        return "lenalidomide" in (self.refractory | self.intolerant)


def _read_line(index: int, line: TreatmentLine, library: Library, part_drugs: frozenset[str]) -> LineReading:
    return LineReading(
        index=index, line=line, drugs=tuple(line.drugs) or drugs_of(library, line.regimen),
        radiotherapy_only=radiotherapy_only(line), part_of_a_line=_part_of_a_line(line, part_drugs),
        car_t=any(word in (line.regimen or "").lower() for word in CAR_T_WORDS),
    )


def _group_label(group: tuple[LineReading, ...]) -> str:
    if len(group) == 1:
        return group[0].label
    return msg("history.line_group", gettext_noop("%(line)s with %(parts)s"), line=group[0].label,
               parts=[line.label for line in group[1:]])


def _progression(facts: PatientFacts, group: tuple[LineReading, ...]):
    """What the latest group records of progression, and the ambiguities of reading it. Refractory drugs count
    only when they are drugs of the line that records them (refractoriness carried over from an earlier line is
    not progression on this one; with the line's drugs unknown they count, flagged); months from transplant
    to progression only when the line is not marked as without a transplant; > 5 % plasma cells in the blood
    always."""
    found, ambiguities = [], []
    for line in group:
        own = frozenset(line.drugs)
        refractory = frozenset(line.line.refractory_to)
        counted = refractory & own if own else refractory
        if counted:
            found.append(Progression("refractory", msg("history.progression_refractory", gettext_noop(
                "%(line)s records refractoriness to %(drugs)s — progression on or within 60 days of stopping"),
                line=line.label, drugs=[Term(d) for d in sorted(counted)]), line))
            if not own:
                ambiguities.append(ambiguity("history.ambiguity_drugs_unknown", line=line.label))
        if refractory - counted:
            ambiguities.append(ambiguity("history.ambiguity_carried_over", line=line.label,
                                         drugs=[Term(d) for d in sorted(refractory - counted)],
                                         own=[Term(d) for d in sorted(own)]))
        when = line.line.progression_date
        if when is not None:
            found.append(Progression("date", msg("history.progression_date", gettext_noop(
                "%(line)s records progression on %(date)s"), line=line.label, date=when), line, when))
        months = line.line.months_from_transplant_to_progression
        if months is not None:
            if line.line.autologous_transplant is False:
                ambiguities.append(ambiguity("history.ambiguity_months_without_transplant", line=line.label))
            else:
                found.append(Progression("after_transplant", msg("history.progression_after_transplant", gettext_noop(
                    "%(line)s records progression %(months)s months after the autologous transplant"),
                    line=line.label, months=Quantity(months)), line))
    cpc = facts.labs.circulating_plasma_cells_pct
    if cpc is not None and cpc > 5:
        found.append(Progression("blood", msg("history.progression_blood", gettext_noop(
            "plasma cells %(pct)s %% of blood leukocytes > 5 %% after treatment"), pct=Quantity(cpc))))
    return tuple(found), tuple(ambiguities)


def _next_line_number(lines, systemic) -> int:
    """The highest recorded systemic line + 1, where mobilisation, HMAS and maintenance recorded as lines of
    their own count as part of their induction's line, and radiotherapy alone is not a line."""
    counted = [line for line in systemic if not line.part_of_a_line] or list(systemic)
    top = max(line.number for line in counted)
    folded = {line.number for line in lines if line.number < top and (line.radiotherapy_only or line.part_of_a_line)}
    return top + 1 - len(folded)


def read_history(facts: PatientFacts, library: Library = NO_LIBRARY) -> HistoryReading:
    """The one reading of ``facts.treatment_history`` (see HistoryReading). ``library`` gives the drugs of a
    line recorded only by its regimen code and the drugs of mobilisation, HMAS and maintenance; without it a
    code-only line has unknown drugs (its refractoriness then counts as progression, flagged)."""
    part_drugs = _part_drugs(library)
    lines = tuple(_read_line(i, line, library, part_drugs) for i, line in enumerate(facts.treatment_history))
    if not lines:
        return HistoryReading()
    by_number = sorted(lines, key=lambda line: line.number)
    systemic = tuple(line for line in by_number if not line.radiotherapy_only)
    group: tuple[LineReading, ...] = ()
    progression, ambiguities = (), ()
    if systemic:
        start = max((i for i, line in enumerate(systemic) if not line.part_of_a_line), default=0)
        group = systemic[start:]
        progression, ambiguities = _progression(facts, group)
    exposed = frozenset(drug for line in lines for drug in line.drugs)
    flags = [line.transplant for line in lines]
    # the latest reinfusion: a tandem HMAS's second reinfusion counts (contract v1.1 tandem_transplant_date)
    dates = [day for line in lines for day in (line.line.transplant_date, line.line.tandem_transplant_date)
             if day is not None]
    return HistoryReading(
        lines=lines, systemic=systemic, latest_group=group, last_recorded=by_number[-1],
        line_number=_next_line_number(lines, systemic) if systemic else None,
        exposed=exposed, exposure=Exposure.of(exposed),
        refractory=frozenset(drug for line in lines for drug in line.line.refractory_to),
        intolerant=frozenset(drug for line in lines for drug in line.line.intolerant_to),
        regimens=frozenset(line.line.regimen for line in lines if line.line.regimen),
        previous_transplant=True if any(flags) else (None if None in flags else False),
        transplants=tuple(line for line in lines if line.transplant),
        reinfusion_date=max(dates) if dates else None,
        car_t=any(line.car_t for line in lines),
        progression=progression, progression_label=_group_label(group) if group else "",
        progression_ambiguities=ambiguities,
    )
