"""What the Norwegian crawl (tests/e2e/test_norwegian_crawl.py) looks for in a page's visible text:
English sentences, internal keys and numbers with more decimals than their rule. A helper module
(no tests here), so that the detector can be tried on any page, the old English ones too.

Visible text is read in the browser: every text node that is rendered, outside ``lang="en"`` elements,
quotations (``q``, ``blockquote``, ``cite``: the guideline's and the protocols' own words), ``code``,
scripts and styles, and a form field's content, editable (textarea) or read-only (the admin's
``.readonly``): the data a person typed, such as a protocol's own words, is not the app's text. Each
text node is judged on its own, with the class of the place it stands in."""

import re

# The visible text nodes, each with where it stands: in a dose's or a derived value's working (its exact
# figures allowed, see below).
VISIBLE_TEXT_JS = """() => {
  const skip = 'script, style, noscript, template, textarea, .readonly, code, pre, q, blockquote, cite, '
             + '[lang="en"], [lang|="en"], [hidden], [aria-hidden="true"], .visually-hidden';
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    const parent = node.parentElement;
    if (!text || !parent || parent.closest(skip)) continue;
    const style = getComputedStyle(parent);
    if (style.visibility === 'hidden' || style.display === 'none' || parent.getClientRects().length === 0) continue;
    out.push({text, working: !!parent.closest('td.working, [data-testid="rounding"], [data-testid="derived"]')});
  }
  return out;
}"""

# English words that are not Norwegian words (or so rare in Norwegian that a ward page never has them):
# function words first, then the app's own English labels of old («Open all», «Missing», «Warnings»).
ENGLISH_WORDS = frozenset("""
the and of with is are was were this that these those which who whose when where while should must
than been has have had not from into onto or an it its be will would can could may might only also
without between above below your you our their there here what how why does did done being
after before because during until unless whether each every any some such other
open all missing warnings warning none yes days day cycle cycles weight height result results drug drugs
reason reasons treatment recommended options option show hide save cancel delete edit print new
exact rounded rounding protocol's guideline's patient's achieved flat given instead left out
interpretation used undefined threshold rule lowest applies apply please enter select choose
""".split())
# English words that are Norwegian words too («for», «at», «by», «to», «på») are not counted.
WORD = re.compile(r"[A-Za-zÆØÅæøåé']+")

# A key of the code: snake_case (weight_kg, labs.calcium_mmol_l) or a dotted lowercase code (a message
# code such as dosing.formula.per_m2), but not a web address.
SNAKE = re.compile(r"(?<![\w/.@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-])")
DOTTED = re.compile(r"(?<![\w/.@-])[a-z]{2,}(?:\.[a-z_][a-z0-9_]+)+(?![\w/@-])")
DOMAINS = ("no", "com", "org", "dk", "se", "net", "html", "pdf", "png", "yaml", "py")

# Dates and times (dd.mm.åååå, HH:MM) and identity numbers are not decimals.
DATES = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b")
NUMBER = re.compile(r"(?<![\d,.])(\d+)[,.](\d+)(?![\d,.])")
# The rules (core/formatting.py): at most two decimals (a dose, a lab value, a BSA, a deviation); a value
# below 1 at three significant figures (the free light-chain ratio «0,0316»). A dose's working shows its
# exact figures at four decimals (the BSA a dose was calculated on, the exact dose before «→», the
# constants of a formula).
MAX_DECIMALS, WORKING_DECIMALS = 2, 4


def english_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w.lower() in ENGLISH_WORDS]


def is_english(text: str) -> bool:
    """Two English words in one text node, or a short label (up to three words) that is one."""
    words = WORD.findall(text)
    found = english_words(text)
    return len(found) >= 2 or (len(found) >= 1 and len(words) <= 3)


# A key in double quotes before a colon is a JSON example the reader is to type («{"source_text": …}»).
JSON_KEY = re.compile(r'"[a-z_]+"\s*:')


def internal_keys(text: str) -> list[str]:
    text = JSON_KEY.sub(" ", text)
    keys = SNAKE.findall(text)
    keys += [k for k in DOTTED.findall(text) if k.rsplit(".", 1)[-1] not in DOMAINS and not k.startswith("www")]
    return keys


def too_many_decimals(text: str, *, working: bool = False) -> list[str]:
    out = []
    for whole, decimals in NUMBER.findall(DATES.sub(" ", text)):
        if working:
            if len(decimals) > WORKING_DECIMALS:
                out.append(f"{whole},{decimals}")
        elif len(decimals) > MAX_DECIMALS and not (int(whole) == 0 and len(decimals.lstrip("0")) <= 3):
            out.append(f"{whole},{decimals}")
    return out


def problems(nodes) -> dict[str, list[str]]:
    """{"english": [...], "keys": [...], "decimals": [...]} of the page's visible text nodes."""
    found = {"english": [], "keys": [], "decimals": []}
    for node in nodes:
        text = node["text"]
        if is_english(text):
            found["english"].append(text[:160])
        if internal_keys(text):
            found["keys"].append(f"{internal_keys(text)} in {text[:120]}")
        if too_many_decimals(text, working=node.get("working", False)):
            found["decimals"].append(f"{too_many_decimals(text, working=node.get('working', False))} in {text[:120]}")
    return {kind: sorted(set(items)) for kind, items in found.items() if items}
