"""docs/lab-catalogue.md and patients/labcatalogue.py describe the same analytes: code, unit,
LOINC code, and whether the LOINC code was checked (the document's status column)."""

from pathlib import Path

from patients.labcatalogue import ANALYTES

DOC = Path(__file__).resolve().parents[2] / "docs" / "lab-catalogue.md"


def _rows():
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            rows[cells[0].strip("`")] = cells
    return rows


def test_every_analyte_is_documented_with_its_unit_and_loinc_code():
    rows = _rows()
    assert set(rows) == set(ANALYTES)
    for code, analyte in ANALYTES.items():
        assert (rows[code][2], rows[code][3]) == (analyte.unit, analyte.loinc), code


def test_only_checked_loinc_codes_are_marked_verified():
    rows = _rows()
    for code, analyte in ANALYTES.items():
        assert rows[code][4].startswith("checked:") == analyte.loinc_verified, code
    assert {c for c, a in ANALYTES.items() if not a.loinc_verified} == {"urine_m_protein", "vegf"}
