"""The library's one query of each kind and its one reading error (regimens/models/protocol.py):
``Protocol.objects.active()`` and ``.current(code)``, ``Protocol.parsed()`` raising ProtocolInvalid."""

import pytest

from regimens.models import DrugLine, Protocol, ProtocolInvalid
from tests.regimens.factories import behind_the_draft_rule, stored


def test_active_holds_the_active_versions_only(vrd, vrd_draft, draft):
    codes = set(Protocol.objects.active().values_list("code", "version"))
    assert ("T-VRd", 1) in codes
    assert ("T-VRd", 2) not in codes and ("T-Isa-Pd", 1) not in codes


def test_current_is_the_active_version_else_the_latest_else_none(vrd, vrd_draft, draft):
    assert Protocol.objects.current("T-VRd") == vrd  # active version 1, though draft 2 is newer
    assert Protocol.objects.current("T-Isa-Pd") == draft  # only a draft
    assert Protocol.objects.current("T-none") is None
    retired = stored(code="T-old", status="retired")
    assert Protocol.objects.current("T-old") == retired


def test_parsed_is_the_schema_protocol(vrd):
    assert vrd.parsed() == vrd.to_schema()


def test_a_broken_schedule_is_one_error_naming_the_notation_problem(vrd):
    behind_the_draft_rule(DrugLine).filter(protocol=vrd, drug="bortezomib").update(schedule="Day 1, 8")
    with pytest.raises(ProtocolInvalid, match="not a schedule block") as refused:
        vrd.parsed()
    assert refused.value.incomplete is False and refused.value.protocol == vrd
    with pytest.raises(ProtocolInvalid, match="not a schedule block"):
        vrd.parsed_data()


def test_an_incomplete_draft_read_as_active_says_what_is_missing(draft):
    assert draft.parsed().status == "draft"
    with pytest.raises(ProtocolInvalid) as refused:
        draft.parsed(as_status="active")
    assert refused.value.incomplete is True
    # the schema's words, without pydantic's wrapping: isatuximab has no dose yet
    assert refused.value.problems == "isatuximab: dose and basis are required outside drafts"
