#!/usr/bin/env python3
"""Fill empty Norwegian translations in locale/nb/LC_MESSAGES/django.po.

Usage: scripts/po_fill.py < pairs.tsv   (each line: English msgid<TAB>Norwegian msgstr)

Run `DEBUG=1 .venv/bin/python manage.py makemessages -l nb --ignore=.venv --ignore=staticfiles`
first. `scripts/po_fill.py --missing` lists the msgids still untranslated. A test
fails while any msgid is left untranslated.
"""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale/nb/LC_MESSAGES/django.po"


def unquote(lines):
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(lines))).replace('\\"', '"').replace("\\\\", "\\")


def esc(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def entries(text):
    return text.split("\n\n")


def parse(block):
    lines = block.split("\n")
    out = {"msgid": [], "msgstr": [], "other": []}
    cur = None
    for line in lines:
        if line.startswith("msgid "):
            cur = "msgid"
            out[cur].append(line[6:])
        elif line.startswith("msgstr "):
            cur = "msgstr"
            out[cur].append(line[7:])
        elif line.startswith('"') and cur:
            out[cur].append(line)
        else:
            cur = None
            out["other"].append(line)
    return out


def main():
    text = PO.read_text()
    blocks = entries(text)
    if "--missing" in sys.argv:
        for b in blocks[1:]:
            e = parse(b)
            if e["msgid"] and not unquote(e["msgstr"]):
                print(unquote(e["msgid"]))
        return
    pairs = {}
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line.strip() and not line.startswith("#"):
            en, nb = line.split("\t", 1)
            pairs[en] = nb
    filled = 0
    for i, b in enumerate(blocks[1:], start=1):
        e = parse(b)
        msgid = unquote(e["msgid"])
        if e["msgid"] and msgid in pairs and not unquote(e["msgstr"]):
            other = [line for line in e["other"] if line != "#, fuzzy"]
            msgid_lines = ["msgid " + e["msgid"][0], *e["msgid"][1:]]
            blocks[i] = "\n".join([*other, *msgid_lines, f'msgstr "{esc(pairs[msgid])}"'])
            filled += 1
    blocks[0] = blocks[0].replace("#, fuzzy\n", "")
    PO.write_text("\n\n".join(blocks))
    print(f"filled {filled}")


if __name__ == "__main__":
    main()
