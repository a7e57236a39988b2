#!/usr/bin/env python3
"""Fill empty or fuzzy Norwegian translations in locale/nb/LC_MESSAGES/django.po.

Usage: scripts/po_fill.py < pairs.tsv   (each line: English msgid<TAB>Norwegian msgstr)

Run `DEBUG=1 .venv/bin/python manage.py makemessages -l nb --ignore=.venv --ignore=staticfiles`
first. `scripts/po_fill.py --missing` lists the msgids still untranslated or fuzzy (a fuzzy
guess by makemessages is never compiled, so it counts as missing). Plural entries are
listed but filled by hand. A test fails while any msgid is left untranslated.
"""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale/nb/LC_MESSAGES/django.po"


def unquote(lines):
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(lines))).replace('\\"', '"').replace("\\\\", "\\")


def esc(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def parse(block):
    """Split an entry into comment lines and its keyword fields (msgid, msgid_plural, msgstr, msgstr[n])."""
    out = {"other": [], "fields": {}}
    cur = None
    for line in block.split("\n"):
        m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
        if m:
            cur = m.group(1)
            out["fields"][cur] = [m.group(2)]
        elif line.startswith('"') and cur:
            out["fields"][cur].append(line)
        else:
            cur = None
            out["other"].append(line)
    return out


def is_missing(entry):
    fields = entry["fields"]
    if "msgid" not in fields or not unquote(fields["msgid"]):
        return False
    if "#, fuzzy" in entry["other"] or any(line.startswith("#,") and "fuzzy" in line for line in entry["other"]):
        return True
    strs = [v for k, v in fields.items() if k.startswith("msgstr")]
    return any(not unquote(v) for v in strs)


def main():
    text = PO.read_text()
    blocks = text.split("\n\n")
    if "--missing" in sys.argv:
        for b in blocks[1:]:
            e = parse(b)
            if is_missing(e):
                print(unquote(e["fields"]["msgid"]))
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
        f = e["fields"]
        if "msgid" not in f or "msgid_plural" in f or not is_missing(e):
            continue
        msgid = unquote(f["msgid"])
        if msgid in pairs:
            other = [line for line in e["other"] if not line.startswith("#,") and not line.startswith("#|")]
            lines = [*other]
            if "msgctxt" in f:
                lines += ["msgctxt " + f["msgctxt"][0], *f["msgctxt"][1:]]
            lines += ["msgid " + f["msgid"][0], *f["msgid"][1:], f'msgstr "{esc(pairs[msgid])}"']
            blocks[i] = "\n".join(line for line in lines if line != "")
            filled += 1
    blocks[0] = blocks[0].replace("#, fuzzy\n", "")
    PO.write_text("\n\n".join(blocks))
    print(f"filled {filled}")


if __name__ == "__main__":
    main()
