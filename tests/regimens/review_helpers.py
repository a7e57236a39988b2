"""Shared by the tests (not a test module)."""

import re

from regimens import actions


def draft_of(source, by, *, reason="review", **line_changes):
    """A new draft copied from ``source`` by ``by``, with some drug line fields changed."""
    data = source.to_schema_data()
    data["drugs"] = [{**line, **line_changes.get(line["drug"], {})} for line in data["drugs"]]
    return actions.create_draft_version(data=data, reason=reason, by=by)


def change_table(response):
    """The rows of the differences table: (where, field, before, now)."""
    html = response.content.decode()
    rows = re.findall(r'<tr data-testid="change">(.*?)</tr>', html, flags=re.S)
    return [tuple(re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, flags=re.S))
            for row in rows]
