"""A bearer token's last_used_at is written at most once a minute (config/api.py):
a write per API request cost a commit each (docs/benchmarks.md)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ApiToken
from config.api import LAST_USED_RESOLUTION, _note_use


def evaluate(client, key):
    return client.post("/api/v1/evaluate", {"age": 70}, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {key}")


def updates(captured):
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]


def test_first_use_records_last_used_at(client, physician):
    token, key = ApiToken.issue(user=physician, name="ehr")
    assert token.last_used_at is None
    assert evaluate(client, key).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_second_use_within_the_minute_does_not_write(client, physician):
    token, key = ApiToken.issue(user=physician, name="ehr")
    evaluate(client, key)
    token.refresh_from_db()
    first = token.last_used_at
    with CaptureQueriesContext(connection) as captured:
        assert evaluate(client, key).status_code == 200
    assert updates(captured) == []
    token.refresh_from_db()
    assert token.last_used_at == first


def test_use_after_a_minute_writes_again(client, physician):
    token, key = ApiToken.issue(user=physician, name="ehr")
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    assert evaluate(client, key).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > long_ago


@pytest.mark.parametrize(("age", "written"), [
    (LAST_USED_RESOLUTION - datetime.timedelta(seconds=1), False),
    (LAST_USED_RESOLUTION, True),
], ids=["59 s ago: kept", "60 s ago: written"])
def test_note_use_on_both_sides_of_the_minute(physician, age, written):
    token, _ = ApiToken.issue(user=physician, name="ehr")
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now - age)
    token.refresh_from_db()
    assert _note_use(token, now=now) is written
    token.refresh_from_db()
    assert (token.last_used_at == now) is written


def test_note_use_does_not_write_twice_when_a_concurrent_request_wrote_first(physician):
    """Two requests read the same stale value; the second UPDATE finds the fresh one and writes nothing."""
    token, _ = ApiToken.issue(user=physician, name="ehr")
    stale_copy = ApiToken.objects.get(pk=token.pk)
    now = timezone.now()
    assert _note_use(token, now=now) is True
    assert _note_use(stale_copy, now=now + datetime.timedelta(seconds=1)) is False
    token.refresh_from_db()
    assert token.last_used_at == now
