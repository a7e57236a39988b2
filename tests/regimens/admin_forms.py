"""What the regimen admin's change form posts, for the admin tests (test_admin.py, test_four_eyes.py,
test_admin_forms_fuzz.py) and the audit and locking tests."""

from django.urls import reverse

PROTOCOL_FIELDS = ("code", "name", "setting", "line", "cycle_length_days", "cycles", "until_progression",
                   "reimbursement", "source_document", "source_section", "source_table", "authored_by",
                   "checked_by", "review_date", "premedication", "supportive_care")
LINE_FIELDS = ("ordering", "drug", "atc", "route", "dose", "basis", "times_per_day", "schedule", "rounding_step",
               "rounding_max_deviation_pct", "max_single_dose_mg", "min_interval_hours", "note")
RULE_FIELDS = ("ordering", "kind", "comparison", "threshold", "dose", "source_text", "boundary_interpretation",
               "at_boundary", "min_hours_to_next_event")


def _value(value):
    return "" if value is None else value


def change_data(protocol, *, line_changes=None, **changes):
    """The POST the admin change form sends for ``protocol``, with changes."""
    data = {name: _value(getattr(protocol, name)) for name in PROTOCOL_FIELDS}
    data["ambiguities"] = "[]"
    data["loaded_lock_version"] = protocol.lock_version
    data["until_progression"] = "on" if protocol.until_progression else ""
    lines = list(protocol.drug_lines.all())
    rules = list(protocol.dose_rules.all())
    for prefix, rows in (("phases", []), ("drug_lines", lines), ("dose_rules", rules)):
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows),
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    for i, line in enumerate(lines):
        data[f"drug_lines-{i}-id"] = line.pk
        data[f"drug_lines-{i}-protocol"] = protocol.pk
        data[f"drug_lines-{i}-phase"] = ""
        for name in LINE_FIELDS:
            data[f"drug_lines-{i}-{name}"] = _value(getattr(line, name))
        data.update({f"drug_lines-{i}-{k}": v for k, v in (line_changes or {}).get(line.drug, {}).items()})
    for i, rule in enumerate(rules):
        data[f"dose_rules-{i}-id"] = rule.pk
        data[f"dose_rules-{i}-protocol"] = protocol.pk
        data[f"dose_rules-{i}-drug_line"] = rule.drug_line_id
        for name in RULE_FIELDS:
            data[f"dose_rules-{i}-{name}"] = _value(getattr(rule, name))
        data[f"dose_rules-{i}-boundary_undefined"] = "on" if rule.boundary_undefined else ""
    data.update(changes)
    return data


def change_url(protocol):
    return reverse("admin:regimens_protocol_change", args=[protocol.pk])
