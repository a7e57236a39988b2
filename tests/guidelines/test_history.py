"""The one reading of the treatment history (guidelines/history.py).

Handlingsprogram for myelomatose: «Førstegangsbehandling» (induction, stem cell harvest, HMAS and maintenance
are one first line), «Behandling av tilbakefall» / «Andrelinjebehandling» («Med refraktær menes at pasienten
har hatt progresjon under behandling med eller innen 60 dager etter seponering av et medikament eller
regime»), «Strålebehandling» (radiotherapy is not a systemic line). The drugs of a regimen are the
guideline's tables (Isa-Kd: isatuximab, carfilzomib, dexamethasone; Dara-VRd: daratumumab, bortezomib,
lenalidomide, dexamethasone; BVd: belantamab mafodotin, bortezomib, dexamethasone).
"""

import datetime
from unittest.mock import patch

from guidelines import history as history_module
from guidelines.facts import Labs, PatientFacts, TreatmentLine
from guidelines.history import Exposure, HistoryReading, Progression, read_history

from .factories import BASE, make
from .shipped import LIBRARY, evaluate


def facts(*lines, **kw):
    return PatientFacts(age=60, treatment_history=tuple(lines), **kw)


def test_a_line_recorded_by_its_regimen_code_has_the_protocol_drugs():
    line = TreatmentLine(line=1, regimen="Isa-Kd")
    assert read_history(facts(line), LIBRARY).lines[0].drugs == ("isatuximab", "carfilzomib", "dexamethasone")
    assert read_history(facts(line)).lines[0].drugs == ()  # without the library: not known
    recorded = TreatmentLine(line=1, regimen="Isa-Kd", drugs=("carfilzomib", "dexamethasone"))
    assert read_history(facts(recorded), LIBRARY).lines[0].drugs == ("carfilzomib", "dexamethasone")


def test_exposure_by_class():
    reading = read_history(facts(TreatmentLine(line=1, regimen="Dara-VRd"), TreatmentLine(line=2, regimen="BVd")),
                           LIBRARY)
    assert reading.exposure == Exposure(imid={"lenalidomide"}, proteasome_inhibitor={"bortezomib"},
                                        cd38={"daratumumab"}, bcma={"belantamab mafodotin"})
    later = read_history(facts(TreatmentLine(line=1, regimen="talquetamab")), LIBRARY)
    assert later.exposure.gprc5d == {"talquetamab"} and later.exposure.bcma == frozenset()


def test_progression_has_its_source_line_and_date():
    when = datetime.date(2026, 3, 1)
    dated = TreatmentLine(line=1, regimen="VRd-induction", progression_date=when)
    (found,) = read_history(facts(dated), LIBRARY).progression
    assert (found.source, found.date, found.line.number) == ("date", when, 1)
    refractory = TreatmentLine(line=1, regimen="VRd-induction", refractory_to=("lenalidomide",))
    assert [p.source for p in read_history(facts(refractory), LIBRARY).progression] == ["refractory"]
    after = TreatmentLine(line=1, regimen="VRd-induction", autologous_transplant=True,
                          months_from_transplant_to_progression=4)
    assert [p.source for p in read_history(facts(after), LIBRARY).progression] == ["after_transplant"]
    # > 5 % plasma cells in the blood after treatment (Plasmacelleleukemi), with no line to name
    blood = read_history(facts(TreatmentLine(line=1, regimen="VRd-induction"),
                               labs=Labs(circulating_plasma_cells_pct=8)), LIBRARY)
    assert blood.progression == (Progression("blood", "plasma cells 8 % of blood leukocytes > 5 % after "
                                                      "treatment"),)


def test_mobilisation_hmas_and_maintenance_are_one_line_with_their_induction():
    lines = (TreatmentLine(line=1, regimen="VRd-induction"), TreatmentLine(line=2, regimen="Cy-mobilisation"),
             TreatmentLine(line=3, regimen="Mel-HMAS"), TreatmentLine(line=4, regimen="R-maintenance"))
    reading = read_history(facts(*lines), LIBRARY)
    assert reading.line_number == 2
    assert [line.number for line in reading.latest_group] == [1, 2, 3, 4]
    assert reading.progression_label == ("line 1 (VRd-induction) with line 2 (Cy-mobilisation), line 3 (Mel-HMAS), "
                                         "line 4 (R-maintenance)")


def test_transplants_with_their_dates():
    first, second = datetime.date(2024, 5, 2), datetime.date(2025, 1, 10)
    lines = (TreatmentLine(line=1, regimen="VRd-induction", autologous_transplant=True, transplant_date=first),
             TreatmentLine(line=2, regimen="Mel-HMAS", transplant_date=second),
             TreatmentLine(line=3, regimen="Isa-Kd", autologous_transplant=False))
    reading = read_history(facts(*lines), LIBRARY)
    assert [line.number for line in reading.transplants] == [1, 2]  # the HMAS code is a transplant
    assert reading.reinfusion_date == second and reading.previous_transplant is True
    unknown = read_history(facts(TreatmentLine(line=1, regimen="Isa-Kd")), LIBRARY)
    assert unknown.previous_transplant is None  # the line does not say


def test_radiotherapy_alone_is_recorded_but_not_a_systemic_line():
    lines = (TreatmentLine(line=1, regimen="VRd-induction"), TreatmentLine(line=2, regimen="radiotherapy-8Gy-x1"))
    reading = read_history(facts(*lines), LIBRARY)
    assert reading.latest.line.regimen == "VRd-induction"
    assert reading.last_recorded.line.regimen == "radiotherapy-8Gy-x1"
    assert reading.line_number == 2


def test_two_lines_of_the_same_number():
    # an induction and its HMAS both recorded as line 1: the rules that read the latest line read the last
    # recorded; the progression date is asked on the first (the induction)
    lines = (TreatmentLine(line=1, regimen="VRd-induction"), TreatmentLine(line=1, regimen="Mel-HMAS"))
    reading = read_history(facts(*lines), LIBRARY)
    assert reading.latest.line.regimen == "Mel-HMAS"
    assert reading.progression_line.line.regimen == "VRd-induction"


def test_no_history():
    reading = read_history(facts())
    assert reading == HistoryReading()
    assert (reading.latest, reading.progression_line, reading.last_recorded, reading.line_number) == (None,) * 4
    assert reading.previous_transplant is False and reading.progression == () and reading.last_regimen is None


def test_evaluate_reads_the_history_once():
    history = (TreatmentLine(line=1, regimen="VRd-induction", refractory_to=("lenalidomide",)),
               TreatmentLine(line=2, regimen="Isa-Kd"))
    with patch.object(history_module, "_read_line", wraps=history_module._read_line) as read_line:
        evaluate(make(BASE, treatment_history=history))
    assert read_line.call_count == 2  # one reading of two lines, handed to every rule
