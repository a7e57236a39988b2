"""Every regimen the engine can recommend or names is in the shipped protocol library
(regimens/protocols/*.yaml), with the drugs the engine takes it to contain.

The codes come from the engine's own registries — each chapter's REGIMENS (guidelines/treatment/first_line.py,
relapse.py), the POEMS chapter's (guidelines/poems_treatment.py) and the history's mobilisation/HMAS/maintenance codes
(guidelines/history.py) — and the builder of an advice refuses an option outside its chapter's registry, so a
new option cannot skip this check. A drug the engine assumes (for refractoriness, class exposure, supportive
care, the doses its notes quote) must be among the library's drugs for that code.
"""

import pytest

from guidelines import history, poems_treatment, treatment
from guidelines.facts import BCMA_DIRECTED, GPRC5D_DIRECTED
from guidelines.sources import myeloma
from guidelines.treatment import first_line, relapse
from guidelines.treatment.common import Builder
from guidelines.treatment.renal import HMAS, renal_rule


def _named():
    named: dict[str, set[str]] = {}
    for registry in (treatment.REGIMENS, poems_treatment.REGIMENS, {code: frozenset() for code in history.PART_CODES},
                     {history.HMAS_CODE: frozenset({"melphalan"})}):
        for code, drugs in registry.items():
            named.setdefault(code, set()).update(drugs)
    return sorted(named.items())


@pytest.mark.parametrize(("code", "drugs"), _named(), ids=[code for code, _ in _named()])
def test_every_regimen_the_engine_names_is_in_the_library_with_the_drugs_it_assumes(library, code, drugs):
    assert code in library
    assert drugs <= set(library[code].drugs)


def test_the_registries_hold_every_code_of_the_rules():
    assert {"VRd-induction", "Anti-CD38-KRd-PCL", "BVd", "Ven-Dex", "teclistamab"} <= set(treatment.REGIMENS)
    b = Builder("RELAPSE_LINE_2", relapse.NAMED)
    with pytest.raises(ValueError, match="not a regimen code this chapter names"):
        b.option("VRd-induction", 1, "first line is not a relapse option", myeloma("Andrelinjebehandling"))


def test_descriptive_codes_name_no_library_protocol(library):
    # radiotherapy fractionations, drugs named without a regimen, the POEMS guideline's own regimens
    descriptive = treatment.DESCRIPTIVE | set(poems_treatment.OPTION_DRUGS)
    assert descriptive and not descriptive & set(library)


def test_the_bispecific_options_contain_their_target(library):
    # Fjerdelinjebehandling: teclistamab and elranatamab are BCMA × CD3, talquetamab GPRC5D × CD3
    for code in relapse.BISPECIFICS:
        assert set(library[code].drugs) & (BCMA_DIRECTED | GPRC5D_DIRECTED)
    assert set(library["talquetamab"].drugs) & GPRC5D_DIRECTED


def test_the_doses_the_course_notes_quote_are_in_the_active_protocols(library):
    melphalan = library[HMAS].line_of("melphalan")
    assert library[HMAS].status == "active" and melphalan.dose is not None and renal_rule(melphalan) is not None
    mobilisation = library[first_line.MOBILISATION]
    assert mobilisation.status == "active" and mobilisation.line_of("cyclophosphamide").dose is not None


def test_the_drugs_that_belong_to_a_line_are_those_of_mobilisation_hmas_and_maintenance(library):
    # Førstegangsbehandling: harvest with cyclophosphamide, mesna (Uromitexan) and G-CSF (filgrastim); high-dose
    # melphalan; maintenance with lenalidomide, with bortezomib, daratumumab or isatuximab
    assert history._part_drugs(library) == {"cyclophosphamide", "mesna", "filgrastim", "melphalan", "lenalidomide",
                                            "bortezomib", "daratumumab", "isatuximab"}
