"""scripts/check_hazards.py: the clinical safety file and the tests' hazard markers agree."""

import importlib.util
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("check_hazards", ROOT / "scripts" / "check_hazards.py")
check_hazards = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_hazards)

CONTROLLED = """
  - id: HAZ-001
    hazard: Wrong patient.
    cause: Mistyped number.
    control: Check digits.
    status: controlled
    tests:
      - tests/test_a.py::test_check_digits
"""
OPEN = """
  - id: HAZ-002
    hazard: Lost update.
    cause: Concurrent edits.
    control: To be built.
    status: open
    tests: []
"""
MARKED = """
import pytest

@pytest.mark.hazard("HAZ-001")
@pytest.mark.parametrize("x", [1, 2])
def test_check_digits(x):
    assert x
"""


def run(tmp_path, hazards, **test_files):
    (tmp_path / "hazards.yaml").write_text("hazards:\n" + textwrap.dedent(hazards))
    tests = tmp_path / "tests"
    tests.mkdir()
    for name, source in test_files.items():
        (tests / f"{name}.py").write_text(textwrap.dedent(source))
    return check_hazards.check(tmp_path / "hazards.yaml", tests, root=tmp_path)


def test_agreeing_file_and_markers_pass(tmp_path):
    assert run(tmp_path, CONTROLLED + OPEN, test_a=MARKED) == []


def test_controlled_hazard_without_a_marked_test_fails(tmp_path):
    problems = run(tmp_path, CONTROLLED, test_a=MARKED.replace('@pytest.mark.hazard("HAZ-001")\n', ""))
    assert any("HAZ-001: status controlled but no test carries" in p for p in problems)
    assert any("does not carry its marker" in p for p in problems)


def test_open_hazard_needs_no_test(tmp_path):
    assert run(tmp_path, OPEN, test_a="def test_nothing():\n    assert True\n") == []


def test_marker_naming_an_unknown_hazard_fails(tmp_path):
    problems = run(tmp_path, CONTROLLED, test_a=MARKED + '\n@pytest.mark.hazard("HAZ-099")\ndef test_b():\n    pass\n')
    assert any("tests/test_a.py:" in p and "unknown hazard 'HAZ-099'" in p for p in problems)


def test_marked_test_missing_from_the_list_fails(tmp_path):
    extra = '\n@pytest.mark.hazard("HAZ-001")\ndef test_other():\n    pass\n'
    problems = run(tmp_path, CONTROLLED, test_a=MARKED + extra)
    assert problems == ["HAZ-001: tests/test_a.py::test_other carries its marker but is not listed under 'tests'"]


def test_module_pytestmark_class_and_param_marks_count(tmp_path):
    source = """
        import pytest

        pytestmark = [pytest.mark.django_db, pytest.mark.hazard("HAZ-001")]

        def test_check_digits():
            pass

        @pytest.mark.hazard("HAZ-002")
        class TestConcurrency:
            def test_lost_update(self):
                pass

        @pytest.mark.parametrize("x", [pytest.param(1, marks=pytest.mark.hazard("HAZ-003"))])
        def test_param(x):
            pass
    """
    marked, _locations, problems = check_hazards.collect_markers(
        _write(tmp_path, source), root=tmp_path)
    assert problems == []
    assert marked == {"tests/test_a.py::test_check_digits": {"HAZ-001"},
                      "tests/test_a.py::TestConcurrency::test_lost_update": {"HAZ-001", "HAZ-002"},
                      "tests/test_a.py::test_param": {"HAZ-001", "HAZ-003"}}


def _write(tmp_path, source):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_a.py").write_text(textwrap.dedent(source))
    return tests


@pytest.mark.parametrize(("entry", "message"), [
    (CONTROLLED.replace("id: HAZ-001", "id: H-1"), "id must look like HAZ-001"),
    (CONTROLLED.replace("status: controlled", "status: done"), "status 'done' is not one of"),
    (CONTROLLED.replace("    cause: Mistyped number.\n", ""), "missing 'cause'"),
    (CONTROLLED.replace("status: controlled", "status: partial"), "must name the residual risk"),
    (CONTROLLED + CONTROLLED, "id used twice"),
], ids=["bad-id", "bad-status", "missing-field", "partial-without-residual", "duplicate-id"])
def test_malformed_safety_file_fails(tmp_path, entry, message):
    assert any(message in p for p in run(tmp_path, entry, test_a=MARKED))


def test_main_exit_codes(tmp_path, capsys):
    run(tmp_path, CONTROLLED.replace("status: controlled", "status: done"), test_a=MARKED)
    assert check_hazards.main(["--hazards", str(tmp_path / "hazards.yaml"), "--tests", str(tmp_path / "tests")]) == 1
    assert "problem(s)" in capsys.readouterr().err


def test_the_projects_safety_file_agrees_with_the_tests(capsys):
    assert check_hazards.main([]) == 0, capsys.readouterr().err
    assert "hazards" in capsys.readouterr().out
