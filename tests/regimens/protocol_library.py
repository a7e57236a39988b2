"""Test helpers: read the protocol YAML files and list what a protocol gives per cycle.

Deliberately independent of the dose engine (regimens/dosing/): these helpers
only read the schedule as written, so the table tests check the data itself.
"""

from functools import cache
from pathlib import Path

import yaml

from regimens.schema import Protocol

PROTOCOL_DIR = Path(__file__).resolve().parents[2] / "regimens" / "protocols"


def protocol_files():
    return sorted(PROTOCOL_DIR.glob("*.yaml"))


@cache
def protocols():
    """Every protocol file, validated, by code."""
    loaded = {}
    for path in protocol_files():
        protocol = Protocol.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        loaded[protocol.code] = protocol
    return loaded


def drug_line(protocol, drug):
    (line,) = [line for line in protocol.drugs if line.drug == drug]
    return line


def phase_line(protocol, drug):
    (line,) = [line for phase in protocol.phases for line in phase.drugs if line.drug == drug]
    return line


def doses_in_cycle(line, cycle):
    """{day: dose} that ``line`` gives in ``cycle`` (a block's dose overrides the line's)."""
    doses = {}
    for block in line.schedule:
        if block.first_cycle <= cycle and (block.last_cycle is None or cycle <= block.last_cycle):
            for day in block.days:
                assert day not in doses, f"{line.drug}: day {day} of cycle {cycle} is given twice"
                doses[day] = block.dose if block.dose is not None else line.dose
    return doses


def phase_doses(line):
    """{phase day: (dose, label)} of a drug line in an event-anchored phase."""
    doses = {}
    for block in line.schedule:
        for day in block.days:
            assert day not in doses
            doses[day] = (block.dose if block.dose is not None else line.dose, block.label)
    return doses
