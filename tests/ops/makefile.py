"""The manage.py commands the Makefile's ``setup`` recipe runs (what every `make run` runs), read
from the Makefile itself, so tests check the real recipe."""

import re
import shlex
from pathlib import Path

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def setup_commands():
    """Each ``$(PY) manage.py ...`` line of the ``setup`` recipe as its words after manage.py."""
    recipe = re.search(r"^setup:.*\n((?:\t.*\n)+)", MAKEFILE.read_text(), re.MULTILINE).group(1)
    commands = []
    for line in recipe.splitlines():
        words = shlex.split(line.strip().split(">")[0])
        if words[:2] == ["$(PY)", "manage.py"]:
            commands.append(words[2:])
    return commands
