"""The protocol library as the engine reads it (guidelines/library.py), from the shipped YAML
(regimens/library.py from_files). Expected values are the guideline's dosing tables: «Høydose melfalan»
200 mg/m2, «Ved eGFR <30 ml/min: 140 mg/m2»; Cy-mobilisation «Cyklofosfamid 2 g/m2»."""

from guidelines.library import DrugLineInfo, RegimenInfo, RuleInfo, drug_list, drugs_of


def test_doses_read_in_their_unit(library):
    melphalan = library["Mel-HMAS"].line_of("melphalan")
    (renal,) = melphalan.rules
    assert melphalan.dose_text == "200 mg/m²"
    assert melphalan.rule_dose_text(renal) == "140 mg/m²" and renal.threshold == 30
    assert library["Cy-mobilisation"].line_of("cyclophosphamide").dose_text == "2 g/m²"


def test_a_line_without_a_dose_or_a_rule_without_one_gives_no_text():
    assert DrugLineInfo("pomalidomide").dose_text is None
    line = DrugLineInfo("lenalidomide", 25, "mg")
    assert line.rule_dose_text(RuleInfo(kind="tolerance", source_text="stop", omit=True)) is None


def test_a_draft_gives_its_drugs_but_no_dose(library):
    # Elo-Pd: «Behandling fra 5.linje» names elotuzumab, pomalidomide, dexamethasone without a dosing table
    elo_pd = library["Elo-Pd"]
    assert elo_pd.status == "draft" and elo_pd.drugs == ("elotuzumab", "pomalidomide", "dexamethasone")
    assert all(line.dose is None and not line.rules for line in elo_pd.lines)


def test_the_drugs_of_a_code_the_library_does_not_hold():
    library = {"Pd": RegimenInfo("Pd", "active", (DrugLineInfo("pomalidomide"), DrugLineInfo("dexamethasone")))}
    assert drugs_of(library, None) == () and drugs_of(library, "free text") == ()
    assert drug_list(library, "Pd") == "Pomalidomide, dexamethasone"
    assert drug_list(library, "Elo-Pd") == "Elo-Pd"  # named by its code
