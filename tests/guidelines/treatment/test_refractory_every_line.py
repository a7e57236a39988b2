"""Issue 13 item 1: «Med refraktær menes …» and «Et viktig prinsipp er å bytte til eller legge til et medikament
med ny virkningsmekanisme» apply to every line (docs/adr/0018-refractory-and-class-switching-per-line.md).

Expected values are the guideline's own rows (quoted in each id / comment), never copied from the code: each
row once with the patient refractory to a drug of its option (the option is not offered) and once without
(it is). Hazard HAZ-113.
"""

import datetime

import pytest

from guidelines.evaluate import evaluate
from tests.guidelines.factories import BASE, make
from tests.guidelines.shipped import LIBRARY
from tests.guidelines.treatment.helpers import advise, line, notes, ranked, relapse

ISSUE_CASE = (
    line(1, "VRd-induction", refractory=("lenalidomide",)),
    line(2, "BVd"),
    line(3, "PCd", refractory=("pomalidomide",), progression_date=datetime.date(2026, 11, 1)),
)


@pytest.mark.hazard("HAZ-113")
def test_issue_case_line4_offers_no_pomalidomide_through_evaluate():
    """Issue 13: «after lenalidomide-refractory VRd, BVd and then PCd with pomalidomide refractoriness, line 4 ranks
    PCd then Pd» — PCd and Pd contain pomalidomide; «Et viktig prinsipp er å bytte til eller legge til et
    medikament med ny virkningsmekanisme». The tables give no option (not triple-class exposed, no CD38
    antibody; «brukt beste regime fra andrelinjebehandlingen» BVd used): the answer says so, with the principle."""
    facts = make(BASE, treatment_history=ISSUE_CASE)
    treatment = evaluate(facts, library=LIBRARY).treatment
    assert treatment.setting == "RELAPSE_LINE_4"
    assert [o.regimen for o in treatment.options] == []
    assert "tables give no option" in notes(treatment)
    assert "new mechanism of action" in notes(treatment)
    assert any("PCd is not offered" in r and "pomalidomide" in r for r in treatment.reasons)
    assert any("Pd is not offered" in r for r in treatment.reasons)
    assert any(c.section == "Behandling av tilbakefall" for c in treatment.citations)


# (history, offered, not offered) per table row: the row's options with and without refractoriness to one drug.
ROWS = [
    # Andrelinjebehandling «refraktær mot lenalidomid … men ikke refraktær mot CD38-antistoff: 1. valg BVd 2. valg
    # Isa-Kd»
    pytest.param((line(1, "VRd-induction", refractory=("lenalidomide",)),), [("BVd", 1), ("Isa-Kd", 2)], [],
                 id="andrelinje-lenalidomid-refraktær-BVd-Isa-Kd"),
    pytest.param((line(1, "VRd-induction", refractory=("lenalidomide", "bortezomib")),), [("Isa-Kd", 2)], ["BVd"],
                 id="andrelinje-lenalidomid-og-bortezomib-refraktær-ikke-BVd"),
    # «Hvis ikke refraktær/intolerant mot CD38-antistoff eller lenalidomid: DRd, BPd»
    pytest.param((line(1, "VRd-induction", refractory=("bortezomib",)),), [("DRd", 1), ("BPd", 1)], [],
                 id="andrelinje-ingen-CD38-lenalidomid-DRd-BPd"),
    pytest.param((line(1, "free text", drugs=("pomalidomide", "dexamethasone"), refractory=("pomalidomide",)),),
                 [("DRd", 1)], ["BPd"], id="andrelinje-pomalidomid-refraktær-ikke-BPd"),
    # «Hvis refraktær mot CD38-antistoff og lenalidomid: BVd»
    pytest.param((line(1, "Dara-VRd", refractory=("daratumumab", "lenalidomide")),), [("BVd", 1)], [],
                 id="andrelinje-CD38-og-lenalidomid-refraktær-BVd"),
    pytest.param((line(1, "Dara-VRd", refractory=("daratumumab", "lenalidomide", "bortezomib")),), [], ["BVd"],
                 id="andrelinje-CD38-lenalidomid-bortezomib-refraktær-ingen"),
    # Tredjelinjebehandling «Isa-Kd i 2. linje → BPd i 3. linje»
    pytest.param((line(1, "VRd-induction", refractory=("lenalidomide",)),
                  line(2, "Isa-Kd", refractory=("carfilzomib",))),
                 [("BPd", 1)], [], id="tredjelinje-etter-Isa-Kd-BPd"),
    pytest.param((line(1, "free text", drugs=("pomalidomide", "dexamethasone"), refractory=("pomalidomide",)),
                  line(2, "Isa-Kd", refractory=("carfilzomib",))),
                 [], ["BPd"], id="tredjelinje-etter-Isa-Kd-pomalidomid-refraktær-ikke-BPd"),
    # «BVd i 2. linje → Isa/D-Pd i 3. linje» (no CD38 antibody used)
    pytest.param((line(1, "VRd-induction", refractory=("lenalidomide",)), line(2, "BVd", refractory=("bortezomib",))),
                 [("Isa-Pd", 1), ("Dara-Pd", 1)], [], id="tredjelinje-etter-BVd-Isa-D-Pd"),
    pytest.param((line(1, "VRd-induction", refractory=("lenalidomide",)),
                  line(2, "BVd", refractory=("bortezomib", "pomalidomide"))),
                 [], ["Isa-Pd", "Dara-Pd"], id="tredjelinje-etter-BVd-pomalidomid-refraktær-ingen-Pd"),
    # «brukt både CD38-antistoff og belantamab mafodotin: 1. valg PCd 2. valg Pd»
    pytest.param((line(1, "Dara-VRd", refractory=("lenalidomide",)), line(2, "BPd", refractory=("bortezomib",))),
                 [("PCd", 1), ("Pd", 2)], [], id="tredjelinje-CD38-og-belantamab-PCd-Pd"),
    pytest.param((line(1, "Dara-VRd", refractory=("lenalidomide",)),
                  line(2, "BVd", refractory=("bortezomib", "cyclophosphamide"))),
                 [("Pd", 2)], ["PCd"], id="tredjelinje-CD38-og-belantamab-cyklofosfamid-refraktær-Pd"),
    # Fjerdelinjebehandling: triple-class exposed → teklistamab / elranatamab / talkvetamab
    pytest.param((line(1, "Dara-VRd", refractory=("lenalidomide",)), line(2, "BVd"),
                  line(3, "Isa-Pd", refractory=("pomalidomide",))),
                 [("teclistamab", 1), ("elranatamab", 1), ("talquetamab", 2)], [], id="fjerdelinje-bispesifikke"),
    pytest.param((line(1, "Dara-VRd", refractory=("lenalidomide",)),
                  line(2, "teclistamab", refractory=("teclistamab",)),
                  line(3, "Isa-Pd", refractory=("pomalidomide",))),
                 [("elranatamab", 1), ("talquetamab", 2)], ["teclistamab"],
                 id="fjerdelinje-teklistamab-refraktær-ikke-teklistamab"),
    # Behandling fra 5.linje: «Elotuzumab-pomalidomid-dexametason, hvis pomalidomid ikke er prøvd»; «Sjettelinje:
    # … bendamustin, cyklofosfamid og melfalan»
    pytest.param((line(1, "VRd-induction", refractory=("lenalidomide",)), line(2, "Isa-Kd"), line(3, "BVd"),
                  line(4, "teclistamab", refractory=("teclistamab",))), [("Elo-Pd", 1)], [], id="femtelinje-Elo-Pd"),
    pytest.param((line(1, "VRd-induction", refractory=("lenalidomide",)), line(2, "Isa-Kd"), line(3, "PCd"),
                  line(4, "teclistamab", refractory=("teclistamab",)),
                  line(5, "free text", drugs=("cyclophosphamide",), refractory=("cyclophosphamide",))),
                 [("bendamustine", 1), ("melphalan", 1)], ["cyclophosphamide"],
                 id="sjettelinje-cyklofosfamid-refraktær-bendamustin-melfalan"),
]


@pytest.mark.hazard("HAZ-113")
@pytest.mark.parametrize(("history", "offered", "not_offered"), ROWS)
def test_no_option_contains_a_refractory_drug(history, offered, not_offered):
    advice = advise(relapse(*history))
    assert ranked(advice) == offered
    for regimen in not_offered:
        assert any(r.startswith(f"{regimen} is not offered") for r in advice.reasons)
    if not advice.options:
        assert "tables give no option" in notes(advice)


@pytest.mark.hazard("HAZ-113")
def test_refractory_to_one_cd38_antibody_avoids_the_other():
    """«Hvis refraktær mot lenalidomid … men ikke refraktær mot CD38-antistoff: … Isa-Kd» — the rows read
    refractoriness to the class («CD38-antistoff»): refractory to daratumumab, no isatuximab either."""
    advice = advise(relapse(line(1, "Dara-VRd", refractory=("daratumumab", "lenalidomide", "bortezomib")),
                            line(2, "free text", drugs=("carfilzomib", "dexamethasone"))))
    assert not {o.regimen for o in advice.options} & {"Isa-Kd", "Isa-Pd", "Dara-Pd", "DRd"}


def test_dexamethasone_refractoriness_does_not_drop_the_rows_regimens():
    """Every relapse regimen the chapter names contains dexamethasone, written for patients who have had it: a
    recorded dexamethasone refractoriness warns but does not empty the table (ADR 0018)."""
    advice = advise(relapse(line(1, "VRd-induction", refractory=("lenalidomide", "dexamethasone"))))
    assert ranked(advice) == [("BVd", 1), ("Isa-Kd", 2)]
    assert "dexamethasone" in notes(advice)
