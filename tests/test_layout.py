"""The layout shows the architecture (docs/adr/0011-layout.md): the apps import one another in one
direction only, so there is no import cycle between them; no module is too long to read."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Lowest first: an app may import the ones before it, never one after it. ``guidelines`` (the pure
# engine) imports no app at all; ``core`` only the engine (it renders the engine's messages).
LAYERS = ("guidelines", "core", "accounts", "regimens", "patients", "treatment_course", "config")
MAX_LINES = 500


def _modules(package):
    return sorted(path for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts)


def _imported_apps(path):
    """The apps of LAYERS that ``path`` imports, anywhere in the module (function bodies too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in LAYERS)
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_the_apps_below_it(app):
    allowed = set(LAYERS[:LAYERS.index(app) + 1])
    wrong = {str(path.relative_to(ROOT)): sorted(_imported_apps(path) - allowed) for path in _modules(app)}
    assert {path: apps for path, apps in wrong.items() if apps} == {}


def test_the_regimen_library_does_not_reach_into_the_patients_app():
    assert not any("patients" in _imported_apps(path) for path in _modules("regimens"))


@pytest.mark.parametrize("package", [*LAYERS, "benchmarks", "scripts", "tests"])
def test_no_module_is_longer_than_the_limit(package):
    """Migrations and protocol data aside; the engine's tests (tests/guidelines) follow the engine."""
    long = {}
    for path in _modules(package):
        if path.is_relative_to(ROOT / "tests" / "guidelines"):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            long[str(path.relative_to(ROOT))] = lines
    assert long == {}


def test_numbers_are_written_by_the_one_formatter():
    """A dose or measurement becomes text in core/formatting.py only (the Norwegian number
    rules change there): no other module of the apps formats a number its own way. The schedule
    notation (regimens/notation.py) writes its own syntax, the one it parses: data, not display."""
    own = {ROOT / "core" / "formatting.py", ROOT / "regimens" / "notation.py"}
    patterns = ('.4f}".rstrip', ":g}", "normalize():f", "number_format(")
    found = []
    for package in ("accounts", "core", "patients", "regimens", "treatment_course", "config"):
        for path in _modules(package):
            if path in own:
                continue
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(ROOT)}: {p}" for p in patterns if p in text]
    assert found == []


def test_every_path_the_readme_layout_names_exists():
    """The README's layout section is the newcomer's first hop: each file or directory it names is
    there (a name inside a directory's parentheses is looked up in that directory)."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    missing = []
    for line in section.split("\n- ")[1:]:
        directory = re.match(r"`([\w/.-]+/)`", line.strip())
        for name in re.findall(r"`([\w-]+(?:/[\w.*-]*)*(?:\.py|\.yaml|/))`", line):
            candidates = [ROOT / name] + ([ROOT / directory.group(1) / name] if directory else [])
            if not any(path.exists() or list(path.parent.glob(path.name)) for path in candidates):
                missing.append(name)
    for name in re.findall(r"\| `([\w/.-]+)`", section):
        if not (ROOT / name).exists():
            missing.append(name)
    assert missing == []


def _imported_test_modules(path):
    """The modules under tests/ that ``path`` imports whose names say they are not for importing:
    a test module (``test_*.py``) or a conftest (pytest loads it; its names are not a library)."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = list(package[:len(package) - node.level + 1]) if node.level else []
            module = [*base, *(node.module.split(".") if node.module else [])]
            # ``from tests.patients import conftest`` names a module too
            targets = [module, *([*module, alias.name] for alias in node.names)]
        else:
            continue
        for parts in targets:
            if parts[:1] != ["tests"] or not (ROOT.joinpath(*parts).with_suffix(".py")).is_file():
                continue
            if parts[-1] == "conftest" or parts[-1].startswith("test_"):
                found.append(".".join(parts))
    return sorted(set(found))


def test_no_test_module_imports_another_test_module_or_a_conftest():
    """Each test module stands on its own: shared helpers live in modules that are not test modules
    (``tests/personas.py``, ``tests/patients/factories.py``, ...) and shared fixtures in conftest.py,
    which pytest hands to the tests; nothing imports names from a test module or a conftest."""
    wrong = {str(path.relative_to(ROOT)): _imported_test_modules(path) for path in _modules("tests")}
    assert {path: modules for path, modules in wrong.items() if modules} == {}


def test_clinical_tests_take_their_patients_from_the_test_factories():
    """Issue 11: the demo-data command is tested by its own tests; every other test builds its
    patients with tests/patients/factories.py, so a change to the demo data changes no clinical test."""
    own = {"test_seed_demo_patients.py", "test_plan_seed.py", "test_layout.py"}
    found = [str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("*.py")
             if path.name not in own and "seed_demo_patients import" in path.read_text(encoding="utf-8")]
    assert found == []
