#!/usr/bin/env python3
"""Check the clinical safety file docs/safety/hazards.yaml against the tests.

Tests name the hazard they control with ``@pytest.mark.hazard("HAZ-nnn")`` (on the
function, its class, the module's ``pytestmark``, or a ``pytest.param(marks=...)``).
Fails (exit 1, one line per problem) when:

- the file is malformed: an entry lacks a field, an id is not HAZ-nnn or repeats, a
  status is not open / partial / controlled, a partial hazard names no residual risk;
- a hazard that is not ``status: open`` has no test carrying its marker;
- a marker names a hazard that is not in the file (or is not a plain string);
- a hazard's ``tests`` list and the tests carrying its marker differ, either way.

The markers are read from the source (ast), not by running pytest: the check takes
well under a second and needs neither Django nor a database.

Usage: scripts/check_hazards.py [--hazards docs/safety/hazards.yaml] [--tests tests]
"""

import argparse
import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ID = re.compile(r"^HAZ-\d{3}$")
STATUSES = {"open", "partial", "controlled"}
REQUIRED = ("id", "hazard", "cause", "control", "status", "tests")


def load_hazards(path):
    """The hazard entries and the problems with the file's shape."""
    problems = []
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return [], [f"{path}: cannot read: {exc}"]
    entries = data.get("hazards") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return [], [f"{path}: expected a top-level 'hazards:' list"]
    seen = set()
    hazards = []
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            problems.append(f"{path}: entry {n} is not a mapping")
            continue
        hid = entry.get("id", f"entry {n}")
        for key in REQUIRED:
            if key not in entry or entry[key] is None or (key != "tests" and not str(entry[key]).strip()):
                problems.append(f"{hid}: missing '{key}'")
        if not ID.match(str(hid)):
            problems.append(f"{hid}: id must look like HAZ-001")
        if hid in seen:
            problems.append(f"{hid}: id used twice")
        seen.add(hid)
        status = entry.get("status")
        if status not in STATUSES:
            problems.append(f"{hid}: status {status!r} is not one of {', '.join(sorted(STATUSES))}")
        if status == "partial" and not str(entry.get("residual") or "").strip():
            problems.append(f"{hid}: a partial control must name the residual risk ('residual')")
        tests = entry.get("tests")
        if tests is not None and (not isinstance(tests, list) or not all(isinstance(t, str) for t in tests)):
            problems.append(f"{hid}: 'tests' must be a list of test ids")
            entry = {**entry, "tests": []}
        hazards.append(entry)
    return hazards, problems


def _hazard_calls(node):
    """Every ``<...>.mark.hazard(...)`` call inside ``node``."""
    for sub in ast.walk(node):
        if (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "hazard"
                and isinstance(sub.func.value, ast.Attribute) and sub.func.value.attr == "mark"):
            yield sub


def _ids(call, where, problems):
    ids = []
    for arg in call.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            ids.append(arg.value)
        else:
            problems.append(f"{where}:{call.lineno}: hazard marker arguments must be plain strings")
    if not call.args:
        problems.append(f"{where}:{call.lineno}: hazard marker without a hazard id")
    return ids


def collect_markers(tests_dir, root=None):
    """{test id: {hazard ids}} from the test files, the markers' locations, and problems."""
    tests_dir = Path(tests_dir)
    root = Path(root) if root else tests_dir.parent
    marked = defaultdict(set)
    locations = []  # (hazard id, "file:line")
    problems = []
    for path in sorted(tests_dir.rglob("test_*.py")):
        rel = path.relative_to(root).as_posix()
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        except SyntaxError as exc:
            problems.append(f"{rel}: cannot parse: {exc}")
            continue

        def ids_in(nodes, rel=rel):
            found = []
            for node in nodes:
                for call in _hazard_calls(node):
                    ids = _ids(call, rel, problems)
                    locations.extend((i, f"{rel}:{call.lineno}") for i in ids)
                    found.extend(ids)
            return found

        module_ids = ids_in(s.value for s in tree.body if isinstance(s, ast.Assign)
                            and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in s.targets))

        def visit(body, prefix, inherited):
            for node in body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                    ids = inherited + ids_in(node.decorator_list)
                    if ids:
                        marked[f"{prefix}::{node.name}"].update(ids)
                elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                    class_ids = ids_in(s.value for s in node.body if isinstance(s, ast.Assign)
                                       and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in s.targets))
                    visit(node.body, f"{prefix}::{node.name}", inherited + ids_in(node.decorator_list) + class_ids)

        visit(tree.body, rel, module_ids)
    return dict(marked), locations, problems


def check(hazards_path, tests_dir, root=None):
    """All problems, as lines; empty when the safety file and the tests agree."""
    hazards, problems = load_hazards(hazards_path)
    marked, locations, marker_problems = collect_markers(tests_dir, root)
    problems += marker_problems
    known = {h.get("id") for h in hazards}
    for hid, where in locations:
        if hid not in known:
            problems.append(f"{where}: marker names unknown hazard {hid!r}")
    by_hazard = defaultdict(set)
    for test, ids in marked.items():
        for hid in ids:
            by_hazard[hid].add(test)
    for hazard in hazards:
        hid = hazard.get("id")
        carrying = by_hazard.get(hid, set())
        listed = set(hazard.get("tests") or [])
        if hazard.get("status") != "open" and not carrying:
            problems.append(f"{hid}: status {hazard.get('status')} but no test carries @pytest.mark.hazard({hid!r})")
        for test in sorted(listed - carrying):
            problems.append(f"{hid}: listed test {test} does not carry its marker (or does not exist)")
        for test in sorted(carrying - listed):
            problems.append(f"{hid}: {test} carries its marker but is not listed under 'tests'")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hazards", default=ROOT / "docs" / "safety" / "hazards.yaml")
    parser.add_argument("--tests", default=ROOT / "tests")
    args = parser.parse_args(argv)
    problems = check(args.hazards, args.tests, root=Path(args.tests).resolve().parent)
    if problems:
        print(f"check_hazards: {len(problems)} problem(s) in the clinical safety file", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    hazards, _ = load_hazards(args.hazards)
    counts = defaultdict(int)
    for hazard in hazards:
        counts[hazard["status"]] += 1
    summary = ", ".join(f"{counts[s]} {s}" for s in ("controlled", "partial", "open"))
    print(f"check_hazards: {len(hazards)} hazards ({summary}); every control has its tests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
