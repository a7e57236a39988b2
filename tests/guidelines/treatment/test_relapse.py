"""«Behandling av tilbakefall»: lines 2 to 6 (guidelines/treatment/relapse.py).

Expected values are the guideline's own words (row quoted in each id / comment), never copied from the code.
"""

import pytest

from guidelines.facts import Frailty
from guidelines.history import read_history
from guidelines.treatment import recommend
from tests.guidelines.shipped import LIBRARY
from tests.guidelines.treatment.helpers import FIT, LINE1_R, advise, line, notes, ranked, relapse


def test_fourth_line_thalidomide_does_not_count_as_the_imid():
    # "en immunmodulator (lenalidomid eller pomalidomid)"
    lines = (line(1, "free text", drugs=("thalidomide", "bortezomib", "dexamethasone"), refractory=("thalidomide",)),
             line(2, "Isa-Kd"), line(3, "free text", drugs=("daratumumab",), refractory=("daratumumab",)))
    advice = advise(relapse(*lines))
    assert "teclistamab" not in [o.regimen for o in advice.options]


def test_secondary_pcl_after_treatment_uses_relapse_rules():
    facts = relapse(line(1, "VRd-induction", refractory=("lenalidomide",)))
    advice = advise(facts, "PLASMA_CELL_LEUKEMIA")
    assert advice.setting == "RELAPSE_LINE_2"
    assert any("primary" in r for r in advice.reasons)


# --- Relapse: line number ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("highest", "setting"),
    [
        pytest.param(1, "RELAPSE_LINE_2", id="tilbakefall-etter-linje-1-andrelinje"),
        pytest.param(2, "RELAPSE_LINE_3", id="tilbakefall-etter-linje-2-tredjelinje"),
        pytest.param(3, "RELAPSE_LINE_4", id="tilbakefall-etter-linje-3-fjerdelinje"),
        pytest.param(4, "RELAPSE_LINE_5_PLUS", id="tilbakefall-etter-linje-4-femtelinje"),
        pytest.param(7, "RELAPSE_LINE_5_PLUS", id="tilbakefall-etter-linje-7-fra-femte"),
    ],
)
def test_relapse_line(highest, setting):
    facts = relapse(*[line(n, "VRd-induction", refractory=("lenalidomide",)) for n in range(1, highest + 1)])
    assert advise(facts).setting == setting


# --- Line 2 (Andrelinjebehandling) ---------------------------------------------------------------------------

LINE2_CASES = [
    pytest.param(line(1, "VRd-induction", refractory=("lenalidomide",)), [("BVd", 1), ("Isa-Kd", 2)],
                 id="andrelinje-lenalidomid-refraktær-ikke-CD38-refraktær"),
    pytest.param(line(1, "VRd-induction", intolerant=("lenalidomide",)), [("BVd", 1), ("Isa-Kd", 2)],
                 id="andrelinje-lenalidomid-intoleranse-ikke-CD38-refraktær"),
    pytest.param(line(1, "Dara-VRd", refractory=("lenalidomide",), intolerant=("daratumumab",)),
                 [("BVd", 1), ("Isa-Kd", 2)], id="andrelinje-lenalidomid-refraktær-CD38-intolerant-ikke-refraktær"),
    pytest.param(line(1, "VRd-induction", refractory=("bortezomib",)), [("DRd", 1), ("BPd", 1)],
                 id="andrelinje-ikke-refraktær-CD38-eller-lenalidomid"),
    pytest.param(line(1, "Dara-VRd", refractory=("daratumumab", "lenalidomide")), [("BVd", 1)],
                 id="andrelinje-refraktær-CD38-og-lenalidomid"),
]


@pytest.mark.parametrize(("history", "expected"), LINE2_CASES)
def test_second_line_rows(history, expected):
    advice = advise(relapse(history))
    assert advice.setting == "RELAPSE_LINE_2"
    assert ranked(advice) == expected
    assert all(o.citation.section == "Andrelinjebehandling" for o in advice.options)
    assert not advice.ambiguities


@pytest.mark.parametrize("regimen", ["BVd", "BPd"])
def test_belantamab_is_cup_awaiting_reimbursement(regimen):
    # "Belantamab mafodotin er enda ikke refundert (november 2025), men kan fås gjennom ... CUP"
    histories = {"BVd": line(1, "VRd-induction", refractory=("lenalidomide",)),
                 "BPd": line(1, "VRd-induction", refractory=("bortezomib",))}
    option = next(o for o in advise(relapse(histories[regimen])).options if o.regimen == regimen)
    assert option.awaiting_reimbursement is True
    assert "Compassionate Use" in option.note
    assert "CUP condition is not met" in option.note  # "krever at man har brukt et CD38-antistoff tidligere"


def test_belantamab_cup_condition_met_after_cd38():
    option = advise(relapse(line(1, "Dara-VRd", refractory=("daratumumab", "lenalidomide")))).options[0]
    assert option.regimen == "BVd" and "not met" not in option.note


def test_non_belantamab_options_are_reimbursed():
    advice = advise(relapse(line(1, "VRd-induction", refractory=("lenalidomide",))))
    assert {o.regimen: o.awaiting_reimbursement for o in advice.options} == {"BVd": True, "Isa-Kd": False}


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        pytest.param(line(1, "Dara-VRd", refractory=("daratumumab",)), [("BVd", 1), ("BPd", 1)],
                     id="andrelinje-kun-CD38-refraktær-ingen-rad"),
        pytest.param(line(1, "Dara-VRd", refractory=("daratumumab",), intolerant=("lenalidomide",)),
                     [("BVd", 1), ("BPd", 1)], id="andrelinje-CD38-refraktær-lenalidomid-intolerant-ingen-rad"),
        pytest.param(line(1, "Dara-VRd", intolerant=("daratumumab",)), [("BVd", 1), ("BPd", 1)],
                     id="andrelinje-kun-CD38-intolerant-ingen-rad"),
    ],
)
def test_second_line_gap_is_flagged(history, expected):
    advice = advise(relapse(history))
    assert ranked(advice) == expected
    assert advice.ambiguities and "none of the three rows" in advice.ambiguities[0].interpretation


def test_second_line_gap_with_nothing_fitting():
    history = line(1, "Dara-VRd", refractory=("daratumumab", "bortezomib", "pomalidomide"))
    advice = advise(relapse(history))
    assert advice.options == () and "discuss with an expert" in notes(advice)


def test_option_containing_refractory_drug_is_not_offered():
    # BVd row: refractory to bortezomib too — principle "bytte til ... ny virkningsmekanisme" (ADR 0018): BVd is
    # not offered, the row's 2nd choice Isa-Kd is
    advice = advise(relapse(line(1, "VRd-induction", refractory=("lenalidomide", "bortezomib"))))
    assert ranked(advice) == [("Isa-Kd", 2)]
    assert any("BVd is not offered" in r and "bortezomib" in r for r in advice.reasons)


def test_early_bispecific_rule_line_2():
    # "aktuell for pasienter som er refraktære for CD38-antistoff, karfilzomib og pomalidomide selv om antall
    # linjer er færre enn 3"
    history = line(1, drugs=("daratumumab", "carfilzomib", "pomalidomide", "dexamethasone"),
                   refractory=("daratumumab", "carfilzomib", "pomalidomide"))
    advice = advise(relapse(history))
    assert advice.setting == "RELAPSE_LINE_2"
    assert ranked(advice) == [("teclistamab", 1), ("elranatamab", 1), ("talquetamab", 2)]
    assert advice.options[2].awaiting_reimbursement is True


def test_early_bispecific_needs_all_three():
    history = line(1, drugs=("daratumumab", "carfilzomib", "dexamethasone"),
                   refractory=("daratumumab", "carfilzomib"))
    assert "teclistamab" not in [o.regimen for o in advise(relapse(history)).options]


# --- Line 3 (Tredjelinjebehandling) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line2", "expected"),
    [
        pytest.param(line(2, "Isa-Kd", refractory=("carfilzomib",)), [("BPd", 1)], id="tredjelinje-etter-Isa-Kd-BPd"),
        pytest.param(line(2, "BVd", refractory=("bortezomib",)), [("Isa-Pd", 1), ("Dara-Pd", 1)],
                     id="tredjelinje-etter-BVd-Isa-eller-Dara-Pd"),
        pytest.param(line(2, "BPd", refractory=("pomalidomide",)), [("BVd", 1), ("Isa-Kd", 2)],
                     id="tredjelinje-beste-andrelinjeregime-ikke-brukt"),
    ],
)
def test_third_line_after_second_line_regimen(line2, expected):
    advice = advise(relapse(LINE1_R, line2))
    assert advice.setting == "RELAPSE_LINE_3"
    assert ranked(advice) == expected


def test_third_line_best_regimen_unused_but_second_choice_used():
    # Isa-Kd already given in 1st line; BVd (1st choice of the lenalidomide-refractory row) not yet used
    advice = advise(relapse(line(1, "Isa-Kd"), line(2, "free text", drugs=("lenalidomide", "dexamethasone"),
                                                    refractory=("lenalidomide",))))
    assert ranked(advice) == [("BVd", 1)]


def test_third_line_cd38_and_belantamab_used():
    # "Hvis man har brukt både CD38-antistoff og belantamab mafodotin ...: 1. valg PCd, 2. valg Pd"
    advice = advise(relapse(line(1, "Dara-VRd", refractory=("lenalidomide",)),
                            line(2, "BPd", refractory=("bortezomib",))))
    assert ranked(advice) == [("PCd", 1), ("Pd", 2)]
    assert not advice.ambiguities


def test_third_line_cd38_and_belantamab_used_pomalidomide_refractory_no_option():
    # the same row after pomalidomide-refractory BPd: PCd and Pd contain pomalidomide — «Et viktig prinsipp er å
    # bytte til eller legge til et medikament med ny virkningsmekanisme»; the tables give no other option
    advice = advise(relapse(line(1, "Dara-VRd", refractory=("lenalidomide",)),
                            line(2, "BPd", refractory=("pomalidomide",))))
    assert advice.options == ()
    assert "tables give no option" in notes(advice) and "new mechanism of action" in notes(advice)


def test_third_line_after_isa_kd_with_belantamab_already_used():
    advice = advise(relapse(line(1, "BVd", refractory=("bortezomib",)), line(2, "Isa-Kd", refractory=("carfilzomib",))))
    assert ranked(advice) == [("PCd", 1), ("Pd", 2)]


def test_third_line_no_row_matches_is_flagged():
    advice = advise(relapse(line(1, "VRd-induction", refractory=("bortezomib",)),
                            line(2, "DRd", refractory=("dexamethasone",))))
    assert ranked(advice) == [("PCd", 1), ("Pd", 2)]
    assert advice.ambiguities and advice.ambiguities[0].citation.section == "Tredjelinjebehandling"


# --- Line 4 (Fjerdelinjebehandling) --------------------------------------------------------------------------

TRIPLE = (line(1, "Dara-VRd", refractory=("lenalidomide",)), line(2, "BVd"),
          line(3, "Isa-Pd", refractory=("pomalidomide",)))


def test_fourth_line_triple_class_exposed_bispecifics():
    # "en immunmodulator ..., en proteasomhemmer ... og et CD38-antistoff ... bør få bispesifikt antistoff"
    advice = advise(relapse(*TRIPLE))
    assert advice.setting == "RELAPSE_LINE_4"
    assert ranked(advice) == [("teclistamab", 1), ("elranatamab", 1), ("talquetamab", 2)]
    assert [o.awaiting_reimbursement for o in advice.options] == [False, False, True]


def test_fourth_line_not_triple_class_exposed_flagged():
    advice = advise(relapse(line(1, "VRd-induction", refractory=("lenalidomide",)), line(2, "Pd"), line(3, "PCd",
                                                                                                         refractory=("pomalidomide",))))
    assert advice.setting == "RELAPSE_LINE_4"
    assert any("CD38 antibody" in a.interpretation for a in advice.ambiguities)
    assert "teclistamab" not in [o.regimen for o in advice.options]


@pytest.mark.parametrize(
    ("t11_14", "note"),
    [pytest.param(True, True, id="fjerdelinje-t11-14-venetoclax-tidligst"),
     pytest.param(False, False, id="fjerdelinje-uten-t11-14")],
)
def test_fourth_line_venetoclax_note(t11_14, note):
    assert ("venetoclax (off-label)" in notes(advise(relapse(*TRIPLE, t11_14=t11_14)))) is note


# --- Line 5+ (Behandling fra 5.linje) -------------------------------------------------------------------------

def after_bispecific(*, pomalidomide=False, extra=0):
    lines = [line(1, "VRd-induction", refractory=("lenalidomide",)), line(2, "Isa-Kd"),
             line(3, "PCd" if pomalidomide else "BVd"), line(4, "teclistamab", refractory=("teclistamab",))]
    lines += [line(5 + i, "free text", drugs=("bendamustine",), refractory=("bendamustine",)) for i in range(extra)]
    return lines


@pytest.mark.parametrize(
    ("pomalidomide", "t11_14", "extra", "expected"),
    [
        pytest.param(False, False, 0, [("Elo-Pd", 1)], id="femtelinje-Elo-Pd-pomalidomid-ikke-prøvd"),
        pytest.param(False, True, 0, [("Elo-Pd", 1), ("Ven-Dex", 1)], id="femtelinje-venetoclax-ved-t11-14"),
        pytest.param(True, True, 0, [("Ven-Dex", 1)], id="femtelinje-pomalidomid-prøvd-kun-Ven-Dex"),
        pytest.param(True, False, 0, [("bendamustine", 1), ("cyclophosphamide", 1), ("melphalan", 1)],
                     id="femtelinje-ingen-alternativ-alkylatorer"),
        # refractory to bendamustine on the 5th line: «bytte til … ny virkningsmekanisme» (ADR 0018)
        pytest.param(False, False, 1, [("Elo-Pd", 1), ("cyclophosphamide", 2), ("melphalan", 2)],
                     id="sjettelinje-alkylatorer-uten-bendamustin-refraktær"),
    ],
)
def test_fifth_line_and_later(pomalidomide, t11_14, extra, expected):
    advice = advise(relapse(*after_bispecific(pomalidomide=pomalidomide, extra=extra), t11_14=t11_14))
    assert advice.setting == "RELAPSE_LINE_5_PLUS"
    assert ranked(advice) == expected


def test_fifth_line_t11_14_unknown_missing():
    advice = advise(relapse(*after_bispecific(), t11_14=None))
    assert "cytogenetics.t11_14" in advice.missing
    assert "Ven-Dex" not in [o.regimen for o in advice.options]


def test_fifth_line_without_bispecific_offers_it_first():
    lines = [line(1, "VRd-induction", refractory=("lenalidomide",)), line(2, "Isa-Kd"), line(3, "BVd"),
             line(4, "free text", drugs=("melphalan",), refractory=("melphalan",))]
    advice = advise(relapse(*lines))
    assert ranked(advice)[:3] == [("teclistamab", 1), ("elranatamab", 1), ("talquetamab", 2)]
    assert ("Elo-Pd", 3) in ranked(advice)


# --- HMAS at relapse, history gaps ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("transplant", "frailty", "note", "missing"),
    [
        pytest.param(False, FIT, True, None, id="HMAS-ved-tilbakefall-ikke-tidligere-HMAS-sprek"),
        pytest.param(True, FIT, False, None, id="HMAS-ved-tilbakefall-tidligere-HMAS"),
        pytest.param(False, Frailty.FRAIL, False, None, id="HMAS-ved-tilbakefall-tåler-ikke"),
        pytest.param(None, FIT, True, "treatment_history[0].autologous_transplant", id="HMAS-status-ukjent"),
        pytest.param(False, None, True, "frailty", id="HMAS-ved-tilbakefall-skrøpelighet-ukjent"),
    ],
)
def test_hmas_at_relapse(transplant, frailty, note, missing):
    # "HMAS ved tilbakefall anbefales bare for pasienter som ikke tidligere har fått HMAS, og som anses å kunne tåle"
    facts = relapse(line(1, "DRd", refractory=("lenalidomide",), autologous_transplant=transplant), frailty=frailty)
    advice = advise(facts)
    assert ("HMAS at relapse only if" in notes(advice)) is note
    if missing:
        assert missing in advice.missing


def test_mel_hmas_line_counts_as_previous_transplant():
    facts = relapse(line(1, "VRd-induction"), line(1, "Mel-HMAS", refractory=("lenalidomide",)))
    assert "HMAS at relapse only if" not in notes(advise(facts))


def test_history_gaps_listed():
    facts = relapse(line(1, "my own regimen"), line(2, "DRd"))
    advice = advise(facts)
    assert "treatment_history[0].drugs" in advice.missing
    assert "treatment_history[1].refractory_to" in advice.missing


# --- Second reader's findings (haematologist review) -----------------------------------------------------------

@pytest.mark.parametrize(
    ("line1", "expected", "ambiguous"),
    [
        # «Hvis man har gitt … (BVd) i 2. linje, gis … (Isa/D-Pd) i 3. linje» — no CD38 antibody before
        pytest.param(LINE1_R, [("Isa-Pd", 1), ("Dara-Pd", 1)], False, id="tredjelinje-etter-BVd-uten-CD38-Isa-D-Pd"),
        # «Hvis man har brukt både CD38-antistoff og belantamab mafodotin … 1. valg PCd … 2. valg Pd»
        pytest.param(line(1, "Dara-VRd", refractory=("lenalidomide",)), [("PCd", 1), ("Pd", 2)], True,
                     id="tredjelinje-etter-CD38-og-BVd-PCd-Pd"),
        pytest.param(line(1, "Dara-VRd", refractory=("daratumumab", "lenalidomide")), [("PCd", 1), ("Pd", 2)], True,
                     id="tredjelinje-etter-CD38-refraktaer-og-BVd-PCd-Pd"),
    ],
)
def test_third_line_after_cd38_and_bvd_is_pcd_not_cd38_again(line1, expected, ambiguous):
    advice = advise(relapse(line1, line(2, "BVd", refractory=("bortezomib",))))
    assert ranked(advice) == expected
    assert any("brukt både CD38-antistoff" in a.source_text for a in advice.ambiguities) is ambiguous


def test_ven_dex_names_the_regimen_not_its_doses():
    # «Behandling fra 5.linje»: Venetoclax-Dex only with t(11;14); the doses are the Ven-Dex protocol's
    (option,) = [o for o in advise(relapse(*after_bispecific(), t11_14=True)).options if o.regimen == "Ven-Dex"]
    assert "Ven-Dex protocol" in option.note and "t(11;14)" in option.note
    assert " mg" not in option.note and "28-day" not in option.note


def test_the_drugs_an_option_lists_are_the_librarys():
    # Elo-Pd: elotuzumab, pomalidomide, dexamethasone (Behandling fra 5.linje) in the shipped library; a code the
    # library does not hold is named by its code
    facts = relapse(*after_bispecific())
    (listed,) = [o.note for o in advise(facts).options if o.regimen == "Elo-Pd"]
    assert listed.startswith("Elotuzumab, pomalidomide, dexamethasone — pomalidomide not tried before")
    without = {code: regimen for code, regimen in LIBRARY.items() if code != "Elo-Pd"}
    advice = recommend(facts, history=read_history(facts, without), library=without, diagnosis_code="ACTIVE_MYELOMA",
                       high_risk=False, egfr_ml_min=80)
    (named,) = [o.note for o in advice.options if o.regimen == "Elo-Pd"]
    assert named.startswith("Elo-Pd — pomalidomide not tried before")
