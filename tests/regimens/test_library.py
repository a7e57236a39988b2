"""The protocol library as the guideline engine's data (regimens/library.py): from the shipped YAML and from
the database the pharmacist keeps, the same conversion, the version each code gives, and a database library
that is read again after every change of it and only then."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regimens.actions import create_draft_version
from regimens.library import from_database, from_files, from_protocols
from regimens.models import DrugLine, Protocol
from tests.regimens.factories import activate, behind_the_draft_rule, protocol_author
from tests.regimens.protocols import protocol


def test_each_code_gives_its_active_version_else_its_latest():
    active, draft = protocol(version=1), protocol(version=2, status="draft", cycles=None)
    assert from_protocols([active, draft])["VRd-induction"].status == "active"
    retired = protocol(version=1, status="retired")
    assert from_protocols([retired, draft])["VRd-induction"].status == "draft"
    assert from_protocols([retired])["VRd-induction"].status == "retired"


def test_only_an_active_version_gives_doses():
    # an unchecked draft (or a retired version) gives its drugs, so the engine never quotes its doses
    (draft,) = from_protocols([protocol(status="draft", cycles=None)]).values()
    assert draft.drugs == ("bortezomib", "lenalidomide", "dexamethasone")
    assert all(line.dose is None and not line.rules for line in draft.lines)
    (active,) = from_protocols([protocol()]).values()
    assert active.line_of("lenalidomide").dose == 25 and active.line_of("lenalidomide").rules[0].threshold == 30


def test_the_database_holds_the_shipped_library(db):
    assert from_database() == from_files()


def test_a_new_draft_leaves_the_active_version_in_use(db):
    vrd = Protocol.objects.get(code="VRd-induction", status="active")
    data = vrd.to_schema_data()
    data["drugs"] = [{**line, "dose": 20} if line["drug"] == "lenalidomide" else line for line in data["drugs"]]
    create_draft_version(data=data, reason="review", by=protocol_author())
    assert from_database()["VRd-induction"].line_of("lenalidomide").dose == 25


def test_inside_a_transaction_the_library_is_read_afresh(db):
    # a change the app would record, or not, is seen at once inside a transaction (it may still be rolled back)
    draft = Protocol.objects.get(code="Elo-Pd")
    behind_the_draft_rule(DrugLine).filter(protocol=draft, drug="elotuzumab").update(drug="isatuximab")
    assert from_database()["Elo-Pd"].drugs == ("isatuximab", "pomalidomide", "dexamethasone")


def test_a_version_the_schema_refuses_gives_its_drugs(db):
    vrd = Protocol.objects.get(code="VRd-induction", status="active")
    behind_the_draft_rule(DrugLine).filter(protocol=vrd, drug="bortezomib").update(schedule="Day one")
    regimen = from_database()["VRd-induction"]
    assert regimen.drugs == ("bortezomib", "lenalidomide", "dexamethasone")
    assert all(line.dose is None for line in regimen.lines)


@pytest.mark.hazard("HAZ-038")
@pytest.mark.django_db(transaction=True)
def test_the_library_is_read_again_after_each_change_and_only_then(pharmacist):
    first = from_database()
    with CaptureQueriesContext(connection) as queries:
        assert from_database() is first
    assert len(queries) == 1  # whether the library changed: nothing else
    # a pharmacist adds a drug to the Elo-Pd draft, then a new active version of a regimen is checked
    DrugLine.objects.create(protocol=Protocol.objects.get(code="Elo-Pd"), drug="cyclophosphamide", route="po",
                            ordering=9)
    assert from_database()["Elo-Pd"].drugs == ("elotuzumab", "pomalidomide", "dexamethasone", "cyclophosphamide")
    pd = Protocol.objects.get(code="Pd", status="active").to_schema_data()
    pd["drugs"] = [{**line, "dose": 3} if line["drug"] == "pomalidomide" else line for line in pd["drugs"]]
    draft = create_draft_version(data=pd, reason="dose review", by=protocol_author())
    assert from_database()["Pd"].line_of("pomalidomide").dose == 4  # the active version still
    activate(draft, pharmacist)
    assert from_database()["Pd"].line_of("pomalidomide").dose == 3
