"""The compact, human-editable schedule notation of a drug line in the admin.

Blocks are separated by ``;``. Each block is::

    [C<first>[-<last>|+]:] D<days> [@<dose>] [[<label>]]

- ``C1-2:`` cycles 1 to 2, ``C3+:`` cycle 3 and every later cycle, ``C1:``
  cycle 1 only; no prefix means every cycle.
- ``D1,8,15,22`` days of the cycle; ``D1-21`` a range; ``D-1`` a negative
  phase day (event-anchored phases only), ``D-1,0`` day -1 and day 0.
- ``@20`` overrides the line's dose in these cycles (in the line's basis).
- ``[step-up 1]`` labels the administrations.

Examples: ``C1-2: D1,8,15,22; C3-6: D1,15; C7+: D1`` (daratumumab),
``C1: D1 @20; C1: D8,15; C2+: D1,8,15`` (carfilzomib 20 -> 70 mg/m2),
``D1 @0.06 [step-up 1]; D3 @0.3 [step-up 2]`` (a step-up phase).
Pure (no Django): the admin, the loader and the tests share it; its errors are messages
(guidelines.messages) the admin shows in the reader's language.
"""

import re

from pydantic import ValidationError

from guidelines.messages import Message, Quote, gettext_noop, msg
from regimens.schema import DayBlock

_BLOCK = re.compile(
    r"^(?:C(?P<first>\d+)(?:(?P<plus>\+)|-(?P<last>\d+))?\s*:\s*)?"
    r"D\s*(?P<days>-?\d+(?:\s*-\s*-?\d+)?(?:\s*,\s*-?\d+(?:\s*-\s*-?\d+)?)*)"
    r"(?:\s*@\s*(?P<dose>\d+(?:\.\d+)?))?"
    r"(?:\s*\[(?P<label>[^\]]*)\])?$"
)
_DAY = re.compile(r"^(-?\d+)(?:\s*-\s*(-?\d+))?$")


class ScheduleSyntaxError(ValueError):
    """The notation cannot be read; the message says which block and why (``message``: a Message the admin
    renders in the reader's language; ``str()``: its English)."""

    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = message


def _days(text: str, block: str) -> tuple[int, ...]:
    days: list[int] = []
    for item in text.split(","):
        match = _DAY.match(item.strip())
        first, last = int(match.group(1)), match.group(2)
        if last is None:
            days.append(first)
            continue
        if int(last) < first:
            raise ScheduleSyntaxError(msg("notation.range_backwards", gettext_noop(
                "“%(block)s”: the range %(range)s runs backwards"), block=Quote(block), range=Quote(item.strip())))
        days.extend(range(first, int(last) + 1))
    if len(set(days)) != len(days):
        raise ScheduleSyntaxError(msg("notation.day_twice", gettext_noop("“%(block)s”: a day is listed twice"),
                                      block=Quote(block)))
    return tuple(days)


def parse_schedule(text: str) -> tuple[DayBlock, ...]:
    blocks = []
    for raw in text.split(";"):
        block = raw.strip()
        if not block:
            continue
        match = _BLOCK.match(block)
        if match is None:
            raise ScheduleSyntaxError(msg("notation.not_a_block", gettext_noop(
                "“%(block)s” is not a schedule block; write e.g. “C1-2: D1,8,15,22”, “D1-21”, “C1: D1 @20” "
                "or “D1 @0.06 [step-up 1]”"), block=Quote(block)))
        first = int(match["first"]) if match["first"] else 1
        if match["first"] is None or match["plus"]:
            last = None
        else:
            last = int(match["last"]) if match["last"] else first
        try:
            blocks.append(
                DayBlock(
                    first_cycle=first, last_cycle=last, days=_days(match["days"], block),
                    dose=float(match["dose"]) if match["dose"] else None, label=(match["label"] or "").strip(),
                )
            )
        except ValidationError as exc:
            raise ScheduleSyntaxError(msg("notation.invalid_block", gettext_noop("“%(block)s”: %(problem)s"),
                                          block=Quote(block), problem=Quote(exc.errors()[0]["msg"]))) from exc
    return tuple(blocks)


def _fmt_number(value: float) -> str:
    return f"{value:g}" if value == int(value) else repr(value)


def _fmt_days(days: tuple[int, ...]) -> str:
    out, i = [], 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and days[j + 1] == days[j] + 1:
            j += 1
        if j - i >= 2:
            out.append(f"{days[i]}-{days[j]}")
        else:
            out.extend(str(d) for d in days[i : j + 1])
        i = j + 1
    return ",".join(out)


def format_schedule(blocks: tuple[DayBlock, ...] | list[DayBlock]) -> str:
    parts = []
    for block in blocks:
        if block.first_cycle == 1 and block.last_cycle is None:
            prefix = ""
        elif block.last_cycle is None:
            prefix = f"C{block.first_cycle}+: "
        elif block.last_cycle == block.first_cycle:
            prefix = f"C{block.first_cycle}: "
        else:
            prefix = f"C{block.first_cycle}-{block.last_cycle}: "
        text = f"{prefix}D{_fmt_days(block.days)}"
        if block.dose is not None:
            text += f" @{_fmt_number(block.dose)}"
        if block.label:
            text += f" [{block.label}]"
        parts.append(text)
    return "; ".join(parts)
