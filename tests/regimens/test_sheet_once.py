"""Each point the guideline leaves open is on the dosing sheet once (regimens/sheets.py): the engine flags a
protocol's recorded ambiguity and the API lists that flag's message among the warnings too; the sheet and the
issue form show it once, among the points to acknowledge, and not again under «Advarsler». The ambiguity is
the Dara-VRd table's lenalidomide row («denne tabellen gir ingen dose ved nyresvikt»)."""

import pytest
from django.utils import translation

from regimens.sheets import dosing_sheet_context, flag_items

SOURCE = "Lenalidomid (peroralt) 25 mg Dag 1-21 (denne tabellen gir ingen dose ved nyresvikt)"
INTERPRETATION = "Regelen fra kapittelet «Behandling ved nyresvikt» (15 mg ved eGFR <30) brukes."
MESSAGE = f"Dara-VRd: the guideline is ambiguous or silent here: “{SOURCE}”; interpretation used: {INTERPRETATION}"
OTHER = "Dara-VRd: lenalidomide is left out: eGFR below 15"

SCHEDULE = {
    "administrations": [], "cycle_length_days": 28,
    "flags": [{"key": "ambiguity:0", "drug": "", "kind": "ambiguity", "value": None, "threshold": None,
               "source_text": SOURCE, "interpretation": INTERPRETATION, "message": MESSAGE}],
    "warnings": [OTHER, MESSAGE],
    "ambiguities": [{"source_text": SOURCE, "interpretation": INTERPRETATION}],
}


def test_a_flagged_ambiguity_is_one_point_to_acknowledge():
    assert [item["key"] for item in flag_items(SCHEDULE)] == ["ambiguity:0"]


def test_an_ambiguity_of_an_old_snapshot_without_its_flag_is_still_a_point_to_acknowledge():
    (item,) = flag_items({**SCHEDULE, "flags": []})
    assert item["key"].startswith("ambiguity:") and item["source_text"] == SOURCE


def test_a_flags_message_is_not_repeated_among_the_warnings():
    with translation.override("en"):
        sheet = dosing_sheet_context({"patient": {"name": "x", "birth_date": "1960-01-01"}, "protocol": {},
                                      "schedule": SCHEDULE, "measurements": {}})
    assert sheet["warnings"] == [OTHER]
    assert [flag["source_text"] for flag in sheet["flags"]] == [SOURCE]


@pytest.mark.hazard("HAZ-141")
def test_two_ambiguities_of_a_protocol_are_two_points_to_acknowledge():
    second = {**SCHEDULE["flags"][0], "key": "ambiguity:1", "source_text": "Syklus 7 og videre: ikke angitt",
              "message": "Dara-VRd: the guideline is ambiguous or silent here: cycle 7"}
    keys = [item["key"] for item in flag_items({**SCHEDULE, "flags": [SCHEDULE["flags"][0], second]})]
    assert keys == ["ambiguity:0", "ambiguity:1"]
