"""What the patient calendar calls things: the Norwegian name of each drug of the library, keyed by the
protocol's drug code (the English INN), and the support medicines the guideline names in a regimen's
«Støttebehandling» sentences. Pure Python, no Django.

Drug names are the Norwegian generic names (Handlingsprogram for myelomatose 1.2 writes lenalidomid,
deksametason, cyklofosfamid, melfalan, talkvetamab; isatuksimab and venetoklaks are the Norwegian spellings
of the guideline's «isatuximab» and «venetoclax»). A test checks that every drug of every protocol file has
one (tests/regimens/test_patient_words.py).

A support medicine is printed only where the regimen's own «Støttebehandling» text names it
(``SupportMedicine.phrase`` found in that text): nothing is added that the guideline does not state for
the regimen (docs/adr/0017-patient-calendar-and-protocol-summary.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

DRUG_NAMES = {
    "belantamab mafodotin": "Belantamab mafodotin",
    "bortezomib": "Bortezomib",
    "carfilzomib": "Karfilzomib",
    "cyclophosphamide": "Cyklofosfamid",
    "daratumumab": "Daratumumab",
    "dexamethasone": "Deksametason",
    "elotuzumab": "Elotuzumab",
    "elranatamab": "Elranatamab",
    "filgrastim": "Filgrastim (G-CSF)",
    "isatuximab": "Isatuksimab",
    "lenalidomide": "Lenalidomid",
    "melphalan": "Melfalan",
    "mesna": "Mesna (Uromitexan)",
    "pomalidomide": "Pomalidomid",
    "talquetamab": "Talkvetamab",
    "teclistamab": "Teklistamab",
    "venetoclax": "Venetoklaks",
}


def drug_name(code: str) -> str:
    """The Norwegian name of a drug code; a drug added in the admin without one keeps its code (the
    library's test keeps the table complete for every protocol file)."""
    return DRUG_NAMES.get(code, code)


_LABEL_WORDS = ((re.compile(r"\bstep-up (\d+)\b"), r"opptrappingsdose \1"),
                (re.compile(r"\bx (\d+) daily\b"), r"\1 ganger daglig"))
UNIT_WORDS = {"microgram": "mikrogram"}


def label_words(label: str) -> str:
    """A dose label of the schedule in the patient's words: «step-up 2» is «opptrappingsdose 2» (the
    guideline's «Opptrapping … (2. step-up)»), the engine's «x 4 daily» is «4 ganger daglig»; any other
    label is printed as written."""
    text = label or ""
    for pattern, words in _LABEL_WORDS:
        text = pattern.sub(words, text)
    return text


@dataclass(frozen=True)
class SupportMedicine:
    """A support medicine as the guideline's «Støttebehandling» sentence gives it: ``phrase`` is the
    guideline's words that name it (matched in the regimen's text); ``name``, ``dose`` and ``how`` the
    patient reads; ``purpose`` the guideline's «profylakse mot …» in plain words with the guideline's
    term beside it; ``daily`` whether it is taken every day of the treatment (shown in each day of the
    calendar) or on days the guideline does not name (listed once, on the medicines page);
    ``notes`` further sentences of the same guideline text, in plain words; ``short`` the name in a day
    of the month grid (default ``name``)."""

    key: str
    phrase: str
    name: str
    dose: str
    how: str
    purpose: str
    daily: bool
    notes: tuple[str, ...] = ()
    short: str = ""

    @property
    def in_a_day(self) -> str:
        return self.short or self.name


SUPPORT_MEDICINES = (
    SupportMedicine(
        key="valaciclovir", phrase="valaciklovir 250 mg x 2", name="Valaciklovir", dose="250 mg",
        how="2 ganger daglig", purpose="Forebygger helvetesild («profylakse mot herpes zoster»).", daily=True),
    SupportMedicine(
        key="aspirin", phrase="acetylsalisylsyre 75 mg x 1", name="Acetylsalisylsyre", dose="75 mg",
        how="1 gang daglig", purpose="Forebygger blodpropp («tromboseprofylakse»).", daily=True,
        notes=("Ved flere risikofaktorer for blodpropp anbefaler retningslinjen et annet blodfortynnende middel "
               "i stedet for acetylsalisylsyre: ta det legen har skrevet ut til deg.",)),
    SupportMedicine(
        key="eye_drops", phrase="kunstig tårevæske uten konserveringsmiddel",
        name="Øyedråper (kunstig tårevæske uten konserveringsmiddel, f.eks. Hyprosan, Artelac)", dose="",
        how="minst 4 ganger om dagen under hele behandlingen",
        purpose="Beskytter øynene mot bivirkninger av belantamab mafodotin.", daily=True, short="Øyedråper",
        notes=("Du bør unngå kontaktlinser.",
               "Øyelege undersøker deg før første dose belantamab mafodotin, og senere hvis du får plager "
               "med øynene.")),
    SupportMedicine(
        key="co_trimoxazole", phrase="bactrim 2 tabletter 3 ganger ukentlig", name="Bactrim (eller tilsvarende)",
        dose="2 tabletter", how="3 ganger i uken",
        purpose="Forebygger lungebetennelse som skyldes soppen Pneumocystis («profylakse mot pneumocystis "
                "jirovecii»).", daily=False),
)


_UNTIL = re.compile(r"\)?\s*(til [^.]+)\.")


def support_medicines(supportive_care) -> list[SupportMedicine]:
    """The support medicines the regimen's «Støttebehandling» sentences name, in the table's order. A
    duration the sentence gives right after the medicine («valaciklovir 250 mg x 2) til 3 måneder etter
    HMAS») is added to its notes in the guideline's words."""
    text = " ".join(" ".join(supportive_care).split())
    found = []
    for medicine in SUPPORT_MEDICINES:
        at = text.lower().find(medicine.phrase.lower())
        if at < 0:
            continue
        until = _UNTIL.match(text, at + len(medicine.phrase))
        if until:
            words = until.group(1).replace("HMAS", "høydosebehandlingen (HMAS)")
            medicine = replace(medicine, notes=(f"Tas {words}.", *medicine.notes))
        found.append(medicine)
    return found
