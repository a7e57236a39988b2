"""Every protocol file under regimens/protocols/ loads, validates and is complete.

Codes and drug names are typed from shared/contract/api-v1.md ("Regimen codes",
"Drug names"); ATC codes from the WHO ATC index as given in the library brief.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml

from regimens.schema import Protocol, Status

from .protocol_library import protocol_files, protocols

CONTRACT_CODES = {
    "VRd-induction", "Dara-VRd-induction", "Isa-VRd-induction", "Cy-mobilisation", "Mel-HMAS",
    "R-maintenance", "VR-maintenance", "Dara-R-maintenance", "Isa-R-maintenance",
    "Dara-VRd", "Isa-VRd", "DRd", "Isa-Kd", "BPd", "BVd", "PCd", "Pd", "Isa-Pd", "Dara-Pd",
    "teclistamab", "elranatamab", "talquetamab", "Elo-Pd", "Ven-Dex", "Anti-CD38-KRd-PCL",
}
# "Where the guideline names a regimen without a dosing table (Isa-Pd, Dara-Pd, Elo-Pd,
# Anti-CD38-KRd-PCL), the protocol exists as a draft with no doses."
DRAFT_CODES = {"Isa-Pd", "Dara-Pd", "Elo-Pd", "Anti-CD38-KRd-PCL"}
CONTRACT_DRUGS = {
    "bortezomib", "lenalidomide", "dexamethasone", "daratumumab", "isatuximab", "carfilzomib",
    "pomalidomide", "cyclophosphamide", "belantamab mafodotin", "melphalan", "mesna", "filgrastim",
    "teclistamab", "elranatamab", "talquetamab", "venetoclax", "elotuzumab", "thalidomide",
    "ixazomib", "bendamustine",
}
ATC = {
    "bortezomib": "L01XG01", "carfilzomib": "L01XG02", "lenalidomide": "L04AX04",
    "pomalidomide": "L04AX06", "dexamethasone": "H02AB02", "daratumumab": "L01FC01",
    "isatuximab": "L01FC02", "elotuzumab": "L01FX08", "belantamab mafodotin": "L01FX15",
    "teclistamab": "L01FX24", "talquetamab": "L01FX29", "elranatamab": "L01FX32",
    "cyclophosphamide": "L01AA01", "melphalan": "L01AA03", "mesna": "V03AF01",
    "filgrastim": "L03AA02", "venetoclax": "L01XX52",
}
SEED = Path(os.environ.get("MYELOMA_SEED", "/work/shared/seeds/000_a55289d2cc444521.txt"))


def all_lines(protocol):
    return [*protocol.drugs, *(line for phase in protocol.phases for line in phase.drugs)]


FILES = protocol_files()
# Files changed after the second reading (boundary sides, Mel-HMAS 48 h rule) carry version 2,
# so a database that loaded version 1 gets the change (regimens/loader.py skips a changed file
# whose version it already holds); regimens/protocols/README.md.
SECOND_READING = dict.fromkeys(
    ("BPd", "BVd", "Cy-mobilisation", "DRd", "Dara-VRd", "Dara-VRd-induction", "Isa-Kd", "Isa-VRd",
     "Isa-VRd-induction", "Mel-HMAS", "PCd", "Pd", "VRd-induction",
     # issue 15: the bispecific antibodies' pre-cycle criteria from «Praktisk anbefaling»
     "elranatamab", "talquetamab", "teclistamab"), 2)
# issue 15 item 3: the dose levels the guideline gives (docs/adr/0024-dose-levels-and-plan-modifications.md)
SECOND_READING.update(dict.fromkeys(("BPd", "BVd", "DRd", "Dara-VRd", "Dara-VRd-induction", "Isa-VRd",
                                     "Isa-VRd-induction", "VRd-induction"), 3))
SECOND_READING.update(dict.fromkeys(("R-maintenance", "Dara-R-maintenance", "Isa-R-maintenance", "VR-maintenance"), 2))
# issue 12: every file's interpretations are written in bokmål, so every file carries one version more
BOKMAL_READING = {code: SECOND_READING.get(code, 1) + 1 for code in CONTRACT_CODES}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_file_loads_and_validates(path):
    protocol = Protocol.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert path.name == f"{protocol.code}.yaml"


def test_codes_equal_the_contract_table():
    assert set(protocols()) == CONTRACT_CODES
    assert len(FILES) == len(CONTRACT_CODES)


def test_exactly_the_regimens_without_a_dosing_table_are_drafts():
    drafts = {code for code, p in protocols().items() if p.status == Status.DRAFT}
    assert drafts == DRAFT_CODES
    assert all(p.status == Status.ACTIVE for code, p in protocols().items() if code not in DRAFT_CODES)


@pytest.mark.parametrize("code", sorted(DRAFT_CODES))
def test_draft_has_no_doses(code):
    protocol = protocols()[code]
    assert protocol.cycle_length_days is None and protocol.cycles is None and not protocol.phases
    for line in all_lines(protocol):
        assert (line.dose, line.basis, line.schedule, line.rules) == (None, None, (), ())
    assert protocol.ambiguities, "a draft says why it has no doses"


@pytest.mark.parametrize("code", sorted(CONTRACT_CODES))
def test_provenance_and_review_fields(code):
    protocol = protocols()[code]
    assert protocol.source.document == "myeloma"
    assert protocol.source.section
    if protocol.status == Status.ACTIVE:
        assert protocol.source.table
    assert protocol.version == BOKMAL_READING[code]
    assert protocol.authored_by == "MyeloPath (transkribert fra handlingsprogrammet)"
    assert protocol.checked_by == ""  # a pharmacist must check before it is marked checked
    assert protocol.review_date == dt.date(2027, 5, 31)


@pytest.mark.parametrize("code", sorted(CONTRACT_CODES))
def test_drug_names_and_atc_codes(code):
    for line in all_lines(protocols()[code]):
        assert line.drug in CONTRACT_DRUGS
        assert line.atc == ATC[line.drug]


@pytest.mark.parametrize("code", sorted(CONTRACT_CODES))
def test_no_rounding_or_cap_the_guideline_does_not_give(code):
    """The guideline gives no rounding rule and no maximum dose for any regimen."""
    for line in all_lines(protocols()[code]):
        assert line.rounding is None
        assert line.max_single_dose_mg is None


@pytest.mark.parametrize("code", sorted(CONTRACT_CODES))
def test_undefined_boundaries_carry_source_text_and_interpretation(code):
    for line in all_lines(protocols()[code]):
        for rule in line.rules:
            assert rule.source_text
            if rule.boundary_undefined:
                assert rule.boundary_interpretation


@pytest.mark.skipif(not SEED.exists(), reason="the guideline seed is not available here")
@pytest.mark.parametrize("code", sorted(CONTRACT_CODES))
def test_source_headings_are_the_guidelines_own(code):
    """Section and table titles are lines of the seed, so a clinician can find the text."""
    lines = {line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()}
    source = protocols()[code].source
    assert source.section in lines
    if source.table:  # Pd cites the PCd table it is derived from
        assert source.table in lines
