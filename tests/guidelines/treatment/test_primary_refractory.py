"""Issue 13 item 2: «Primært refraktær sykdom» (Handlingsprogram, Behandling av tilbakefall), read from
``treatment_history[].progression_in_induction``. Hazard HAZ-114.

«Vi anbefaler følgende håndtering i forbindelse med HMAS:
• For pasienter som har progresjon i starten av induksjonsbehandlingen => Bytt induksjonsbehandling, og involver en
  ekspert i valg av behandling.
• For pasienter som har progresjon sent i induksjonsbehandling => Gå raskt til HMAS
• For pasienter som ikke har progresjon, men suboptimal respons => Fullfør 6 sykluser induksjonsbehandling og gå
  raskt til HMAS»
«Tandem HMAS anbefales til … pasienter med progresjon under induksjon» (Pasienter som er kandidater for HMAS).
"""

import pytest

from guidelines.facts import Frailty, ProgressionInInduction
from tests.guidelines.treatment.helpers import advise, line, notes, ranked, relapse


def induction(where, **kw):
    return line(1, "VRd-induction", refractory=("lenalidomide",), autologous_transplant=False,
                progression_in_induction=where, **kw)


@pytest.mark.hazard("HAZ-114")
@pytest.mark.parametrize(
    ("where", "expected", "expert", "tandem"),
    [
        pytest.param(ProgressionInInduction.EARLY, [("BVd", 1), ("Isa-Kd", 2)], True, True,
                     id="progresjon-i-starten-bytt-induksjon-ekspert-tandem"),
        pytest.param(ProgressionInInduction.LATE, [("Mel-HMAS", 1)], False, True,
                     id="progresjon-sent-gå-raskt-til-HMAS-tandem"),
        pytest.param(ProgressionInInduction.NONE, [("Mel-HMAS", 1)], False, False,
                     id="suboptimal-respons-fullfør-6-sykluser-HMAS"),
    ],
)
def test_primary_refractory_rows(where, expected, expert, tandem):
    advice = advise(relapse(induction(where)))
    assert ranked(advice) == expected
    assert any(c.section == "Primært refraktær sykdom" for c in advice.citations)
    assert ("involve an expert" in notes(advice).lower()) is expert
    assert ("tandem HMAS" in notes(advice)) is tandem
    if where == ProgressionInInduction.NONE:
        assert any("complete 6 cycles" in r for r in advice.reasons)
        assert "6 completed induction cycles" in advice.options[0].note
    if where == ProgressionInInduction.LATE:
        assert any("go quickly to HMAS" in r for r in advice.reasons)


@pytest.mark.hazard("HAZ-114")
def test_unknown_is_listed_missing_and_second_line_follows():
    advice = advise(relapse(induction(None)))
    assert "treatment_history[0].progression_in_induction" in advice.missing
    assert ranked(advice) == [("BVd", 1), ("Isa-Kd", 2)]


@pytest.mark.hazard("HAZ-114")
@pytest.mark.parametrize(
    ("history", "frailty"),
    [
        # after HMAS: relapse, not primary refractory («i forbindelse med HMAS»)
        pytest.param((line(1, "VRd-induction", refractory=("lenalidomide",), autologous_transplant=True,
                           progression_in_induction=ProgressionInInduction.LATE),), Frailty.FIT, id="etter-HMAS"),
        # not a transplant candidate: «For pasienter som ikke skal til HMAS, behandler man videre til progresjon, og
        # bytter så til det neste aktuelle behandlingsregimet»
        pytest.param((induction(ProgressionInInduction.LATE),), Frailty.UNFIT, id="ikke-HMAS-kandidat"),
    ],
)
def test_not_primary_refractory_rows(history, frailty):
    advice = advise(relapse(*history, frailty=frailty))
    assert "Mel-HMAS" not in [o.regimen for o in advice.options]
    assert "treatment_history[0].progression_in_induction" not in advice.missing
