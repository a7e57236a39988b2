"""The two source documents and how the app cites them.

Section names are the guidelines' own headings, so a clinician can find the
text. See ../shared/seeds/README.md for the documents and their known defects.
"""

import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from guidelines.messages import msg

MYELOMA = "myeloma"
POEMS = "poems"

DOCUMENTS = {
    MYELOMA: "Handlingsprogram for myelomatose (Norsk myelomatosegruppe), versjon 1.2, november 2025",
    POEMS: "Klinisk retningslinje: POEMS syndrom (DMSG/DMCG), godkendt december 2023",
}
VERSIONS = {MYELOMA: "1.2 (2025-11)", POEMS: "2023-12"}


def document_name(key):
    """The document's title without its publisher and version («Handlingsprogram for myelomatose»);
    a key that names no document (e.g. a hospital's ``local`` source) as it is."""
    return DOCUMENTS[key].split(" (")[0] if key in DOCUMENTS else key


@dataclass(frozen=True, order=True)
class Citation:
    """Document + section heading (+ optional table/row) a rule comes from."""

    document: str
    section: str
    detail: str = ""

    def __str__(self):
        base = f"{document_name(self.document)} — {self.section}"
        return f"{base} ({self.detail})" if self.detail else base


def myeloma(section, detail=""):
    return Citation(MYELOMA, section, detail)


def poems(section, detail=""):
    return Citation(POEMS, section, detail)


@dataclass(frozen=True)
class Ambiguity:
    """A place where the guideline is ambiguous or silent: the source text and the
    interpretation the app uses, shown to the clinician, never applied silently."""

    citation: Citation
    source_text: str
    interpretation: str


# The ambiguities are data (guidelines/data/ambiguities.toml, ADR 0029): one reviewable file of the seed's words
# and the app's readings, keyed by the interpretation's message code.
AMBIGUITIES_FILE = "guidelines/data/ambiguities.toml"
_FIELDS = {"document", "section", "detail", "source_text", "source_quotes", "translate_source_text",
           "interpretation"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _text() -> str:
    return resources.files("guidelines").joinpath("data/ambiguities.toml").read_text(encoding="utf-8")


def _load() -> dict:
    data = tomllib.loads(_text())
    quotes = data.get("quotes", {})
    for code, entry in data["ambiguities"].items():
        problems = [f"unknown field {k!r}" for k in sorted(set(entry) - _FIELDS)]
        problems += [f"no {k}" for k in ("document", "section", "interpretation") if not isinstance(entry.get(k), str)]
        if entry.get("document") not in DOCUMENTS:
            problems.append(f"document {entry.get('document')!r} is not one of {sorted(DOCUMENTS)}")
        if ("source_text" in entry) == ("source_quotes" in entry):
            problems.append("needs one of source_text and source_quotes")
        problems += [f"no quote {q!r}" for q in entry.get("source_quotes", ()) if q not in quotes]
        if problems:
            raise ValueError(f"{AMBIGUITIES_FILE} [{code}]: {'; '.join(problems)}")
    return data


AMBIGUITIES = _load()


def source_quote(name: str) -> str:
    """A seed passage of the data's ``[quotes]``, as written."""
    return AMBIGUITIES["quotes"][name]


def ambiguity(code: str, **params) -> Ambiguity:
    """The ambiguity ``code`` of guidelines/data/ambiguities.toml: its citation, source text and interpretation
    (the message ``code``, its template filled by ``params``; every placeholder needs one, and only those)."""
    entry = AMBIGUITIES["ambiguities"][code]
    template = entry["interpretation"]
    if set(_PLACEHOLDER.findall(template)) != set(params):
        raise ValueError(f"ambiguity {code}: parameters {sorted(params)}, template needs "
                         f"{sorted(set(_PLACEHOLDER.findall(template)))}")
    source = ambiguity_source(code)
    citation = Citation(entry["document"], entry["section"], entry.get("detail", ""))
    return Ambiguity(citation, source, msg(code, template, **params))


def translatable_texts() -> list[tuple[int, str]]:
    """(line, English text) of each interpretation and each source text marked ``translate_source_text`` in the
    data file: the msgids ``manage.py makemessages`` adds to the catalogue (core/management/commands)."""
    lines = {line.strip(): n for n, line in enumerate(_text().splitlines(), start=1)}
    found = []
    for code, entry in AMBIGUITIES["ambiguities"].items():
        line = lines[f'[ambiguities."{code}"]']
        if entry.get("translate_source_text"):
            found.append((line, ambiguity_source(code)))
        found.append((line, entry["interpretation"]))
    return found


def ambiguity_source(code: str) -> str:
    """The source text of the ambiguity ``code``: its ``source_text``, or its ``source_quotes`` joined."""
    entry = AMBIGUITIES["ambiguities"][code]
    return entry.get("source_text") or " ".join(source_quote(q) for q in entry["source_quotes"])
